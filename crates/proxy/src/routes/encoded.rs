//! Serving a precomputed [`Encoded`] body: pick the encoding the visitor
//! accepts (brotli, then gzip, then none), answer `If-None-Match` with 304,
//! and send the cache headers. No serialisation or compression happens here.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};

use crate::prepared::Encoded;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Br,
    Gzip,
    Identity,
}

/// The best coding the `Accept-Encoding` header allows.
pub fn choose(headers: &HeaderMap) -> Coding {
    let mut br = false;
    let mut gzip = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(text) = value.to_str() else { continue };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            match name.as_str() {
                "br" => br = true,
                "gzip" | "x-gzip" => gzip = true,
                "*" => {
                    br = true;
                    gzip = true
                }
                _ => {}
            }
        }
    }
    if br {
        Coding::Br
    } else if gzip {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

/// Whether `If-None-Match` names this body (weak comparison, as RFC 9110
/// prescribes for `If-None-Match`; the coding suffix is ignored because
/// all codings carry the same content).
pub fn not_modified(headers: &HeaderMap, etag_hex: &str) -> bool {
    headers.get_all(header::IF_NONE_MATCH).iter().any(|v| {
        v.to_str().is_ok_and(|text| {
            text.split(',').any(|tag| {
                let tag = tag.trim();
                if tag == "*" {
                    return true;
                }
                let tag = tag.strip_prefix("W/").unwrap_or(tag);
                let inner = tag.trim_matches('"');
                let inner = inner
                    .strip_suffix("-br")
                    .or_else(|| inner.strip_suffix("-gz"))
                    .unwrap_or(inner);
                inner == etag_hex
            })
        })
    })
}

pub fn respond(
    headers: &HeaderMap,
    body: &Encoded,
    cache_control: &HeaderValue,
) -> (Response<Body>, bool) {
    let coding = choose(headers);
    let etag = match coding {
        Coding::Br => format!("\"{}-br\"", body.etag),
        Coding::Gzip => format!("\"{}-gz\"", body.etag),
        Coding::Identity => format!("\"{}\"", body.etag),
    };
    let is_304 = not_modified(headers, &body.etag);
    let mut builder = Response::builder()
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, cache_control.clone())
        .header(header::VARY, HeaderValue::from_static("accept-encoding"));
    if is_304 {
        let r = builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("valid response");
        return (r, true);
    }
    builder = builder.header(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let bytes = match coding {
        Coding::Br => {
            builder = builder.header(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            body.br()
        }
        Coding::Gzip => {
            builder = builder.header(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            body.gzip()
        }
        Coding::Identity => body.identity.clone(),
    };
    (
        builder.body(Body::from(bytes)).expect("valid response"),
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(name: header::HeaderName, v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(name, v.parse().unwrap());
        m
    }

    #[test]
    fn picks_codings() {
        assert_eq!(
            choose(&h(header::ACCEPT_ENCODING, "gzip, deflate, br")),
            Coding::Br
        );
        assert_eq!(
            choose(&h(header::ACCEPT_ENCODING, "gzip, br;q=0")),
            Coding::Gzip
        );
        assert_eq!(
            choose(&h(header::ACCEPT_ENCODING, "identity")),
            Coding::Identity
        );
        assert_eq!(choose(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn matches_etags() {
        assert!(not_modified(&h(header::IF_NONE_MATCH, "\"abc-br\""), "abc"));
        assert!(not_modified(
            &h(header::IF_NONE_MATCH, "W/\"x\", \"abc\""),
            "abc"
        ));
        assert!(not_modified(&h(header::IF_NONE_MATCH, "*"), "abc"));
        assert!(!not_modified(&h(header::IF_NONE_MATCH, "\"abd\""), "abc"));
    }
}
