//! The visitor side of the server, as tower layers around the routes
//! (outermost first): a request id (`x-request-id`, generated unless the
//! caller sent one) and a tracing span carrying it (method and path only:
//! no headers, so an `apikey` a visitor sends is never logged), security
//! headers, CORS from the allowlist, a request timeout (408), a body limit
//! (413), a header size limit (431), the per-IP rate limit (429 with `Retry-After`), and compression
//! of dynamic answers (precomputed ones already carry `Content-Encoding`
//! and pass through untouched).

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use governor::middleware::NoOpMiddleware;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::{KeyExtractor, PeerIpKeyExtractor};
use tower_governor::{GovernorError, GovernorLayer};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::{normalize_origin, Origins, Settings};
use crate::routes::errors::json_error;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn apply(router: Router, settings: &Settings) -> Router {
    // Packs are deflated already: compressing them again per request would
    // cost CPU for nothing.
    let compress =
        DefaultPredicate::new().and(NotForContentType::const_new("application/octet-stream"));
    let mut router = router.layer(CompressionLayer::new().compress_when(compress));
    router = match (settings.per_ip_per_second, settings.trusted_hops) {
        (0, _) => router,
        (_, 0) => rate_limit(router, settings, PeerIpKeyExtractor),
        (_, hops) => rate_limit(router, settings, TrustedHops(hops as usize)),
    };
    router = router
        .layer(axum::middleware::from_fn(limit_headers))
        .layer(RequestBodyLimitLayer::new(settings.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            settings.request_timeout,
        ));
    if let Some(cors) = cors(&settings.origins) {
        router = router.layer(cors);
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'; sandbox",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "cross-origin",
        ),
        (header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"),
    ] {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(Level::DEBUG)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Total size of request headers we accept: a widget sends a handful of
/// short ones; hyper's own limit is far larger.
pub(crate) const MAX_HEADER_BYTES: usize = 16 * 1024;

async fn limit_headers(req: Request<axum::body::Body>, next: axum::middleware::Next) -> Response {
    let size: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum::<usize>()
        + req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if size > MAX_HEADER_BYTES {
        return json_error(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "Request headers are too large.",
        );
    }
    next.run(req).await
}

fn cors(origins: &Origins) -> Option<CorsLayer> {
    let allow = match origins {
        Origins::None => return None,
        Origins::Any => AllowOrigin::any(),
        Origins::List(list) => {
            // The list is normalised at configuration time; the request's
            // Origin is normalised the same way before comparing.
            let allowed: HashSet<String> = list.iter().cloned().collect();
            AllowOrigin::predicate(move |origin: &HeaderValue, _| {
                origin
                    .to_str()
                    .ok()
                    .and_then(|o| normalize_origin(o).ok())
                    .is_some_and(|o| allowed.contains(&o))
            })
        }
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::HEAD])
            .allow_headers([header::IF_NONE_MATCH, header::ACCEPT, header::CONTENT_TYPE])
            .expose_headers([header::ETAG, header::RETRY_AFTER, REQUEST_ID])
            .max_age(Duration::from_secs(86_400)),
    )
}

/// The visitor's address behind `N` trusted proxies that each append the
/// address they received the request from to `X-Forwarded-For`: the N-th
/// entry from the right, written by the outermost trusted hop. Everything
/// left of it was written by the client and is ignored (the left-most
/// entry is whatever the client chose). With fewer entries than hops, or an
/// entry that is not an address, the peer address is used.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TrustedHops(pub usize);

impl TrustedHops {
    /// The visitor's address from the `X-Forwarded-For` headers (all of
    /// them, in order, as one list), if the trusted hops wrote one.
    pub(crate) fn forwarded_ip(&self, headers: &axum::http::HeaderMap) -> Option<IpAddr> {
        if self.0 == 0 {
            return None;
        }
        let mut entries = Vec::new();
        for value in headers.get_all("x-forwarded-for") {
            entries.extend(value.to_str().ok()?.split(',').map(str::trim));
        }
        let trusted = entries.len().checked_sub(self.0).map(|i| &entries[i..])?;
        let ips: Option<Vec<IpAddr>> = trusted.iter().map(|e| parse_hop(e)).collect();
        ips?.first().copied()
    }
}

/// An `X-Forwarded-For` entry: an address, or an address with a port as
/// some load balancers write it (`1.2.3.4:5678`, `[::1]:80`).
fn parse_hop(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

impl KeyExtractor for TrustedHops {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        self.forwarded_ip(req.headers())
            .or(peer)
            .ok_or(GovernorError::UnableToExtractKey)
    }
}

fn rate_limit<K>(router: Router, settings: &Settings, extractor: K) -> Router
where
    K: KeyExtractor<Key = IpAddr> + Send + Sync + 'static,
{
    let per_second = settings.per_ip_per_second.max(1);
    let config = GovernorConfigBuilder::default()
        .period(Duration::from_secs(1) / per_second)
        .burst_size(settings.per_ip_burst)
        .key_extractor(extractor)
        .finish()
        .expect("period and burst are non-zero");
    let limiter = config.limiter().clone();
    // Forget visitors who have been quiet, so the table does not grow forever.
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiter.retain_recent();
        }
    });
    let layer: GovernorLayer<K, NoOpMiddleware, axum::body::Body> = GovernorLayer::new(config)
        .error_handler(|e| match e {
            GovernorError::TooManyRequests { wait_time, .. } => {
                let mut r = json_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many requests from this address; slow down.",
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(wait_time.max(1)));
                r
            }
            GovernorError::UnableToExtractKey => {
                json_error(StatusCode::BAD_REQUEST, "Cannot tell the client's address.")
            }
            GovernorError::Other { code, msg, .. } => {
                json_error(code, msg.unwrap_or_else(|| "Refused.".into()))
            }
        });
    router.layer(layer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn ip(hops: usize, values: &[&str]) -> Option<IpAddr> {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        TrustedHops(hops).forwarded_ip(&h)
    }

    #[test]
    fn trusted_hops_count_from_the_right() {
        let some = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(ip(1, &["1.1.1.1, 2.2.2.2"]), some("2.2.2.2"));
        assert_eq!(ip(2, &["1.1.1.1, 2.2.2.2, 3.3.3.3"]), some("2.2.2.2"));
        assert_eq!(ip(2, &["1.1.1.1, 2.2.2.2", "3.3.3.3"]), some("2.2.2.2"));
        assert_eq!(ip(1, &["2001:db8::1"]), some("2001:db8::1"));
        assert_eq!(ip(1, &["x, [2001:db8::1]:443"]), some("2001:db8::1"));
        assert_eq!(ip(1, &["x, 4.4.4.4:80"]), some("4.4.4.4"));
        // Too few entries, none, malformed, or no hops trusted: the peer.
        assert_eq!(ip(2, &["1.1.1.1"]), None);
        assert_eq!(ip(1, &[]), None);
        assert_eq!(ip(1, &["1.1.1.1, not-an-ip"]), None);
        assert_eq!(ip(2, &["1.1.1.1, garbage, 3.3.3.3"]), None);
        assert_eq!(ip(0, &["1.1.1.1"]), None);
    }
}
