//! Article HTML is written by site editors (or imported), then shown inside
//! a widget on someone else's page, so it is cleaned here, once per refresh,
//! with ammonia's allowlist: no script or style, no event handlers, no
//! iframe/svg/object, only http(s)/mailto/tel URLs (so no `javascript:` or
//! `data:`), `rel="noopener noreferrer"` on every link, and relative URLs
//! made absolute against the help center's public address when one is
//! configured (otherwise they are left relative).

use std::collections::HashSet;

use ammonia::{Builder, Url, UrlRelative};

pub struct Sanitizer {
    builder: Builder<'static>,
}

impl std::fmt::Debug for Sanitizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sanitizer")
    }
}

impl Sanitizer {
    pub fn new(public_url: Option<&Url>) -> Self {
        let mut builder = Builder::default();
        builder
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true);
        match public_url {
            Some(base) => builder.url_relative(UrlRelative::RewriteWithBase(base.clone())),
            None => builder.url_relative(UrlRelative::PassThrough),
        };
        Sanitizer { builder }
    }

    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

/// `--public-url` is not an absolute http(s) URL.
#[derive(Debug, thiserror::Error)]
#[error("the public URL must be an absolute http:// or https:// URL, not {0:?}")]
pub struct PublicUrlError(pub String);

/// The help center's public address, against which relative links in
/// articles are made absolute.
pub fn parse_public_url(raw: &str) -> Result<Url, PublicUrlError> {
    match Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
        _ => Err(PublicUrlError(raw.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_active_content_and_absolutises_links() {
        let base = Url::parse("https://help.example.com/").unwrap();
        let s = Sanitizer::new(Some(&base));
        let out = s.clean(
            r#"<p onclick="x()">Hi<script>alert(1)</script><img src="x" onerror="alert(2)">
            <a href="javascript:alert(3)">j</a><a href="/guide">g</a>
            <img src="data:image/png;base64,AAAA"><iframe src="https://evil"></iframe>
            <svg onload="alert(4)"><circle/></svg><style>p{}</style></p>"#,
        );
        for bad in [
            "script",
            "onerror",
            "onclick",
            "javascript:",
            "data:",
            "iframe",
            "svg",
            "onload",
            "<style",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(
            out.contains(r#"href="https://help.example.com/guide""#),
            "{out}"
        );
        assert!(out.contains(r#"rel="noopener noreferrer""#), "{out}");
        assert!(out.contains(r#"src="https://help.example.com/x""#), "{out}");
    }
}
