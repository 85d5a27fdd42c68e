//! The browser assets of the widget (`cargo xtask build-web`'s `dist/`),
//! served under `/hc-search/` the way a CDN should serve them: the
//! content-hashed files (`hc_widget.0123456789.wasm`) cached forever, since
//! a new build gives them new names, and the one stable name
//! (`hc-search.js`) revalidated on every load, so a rebuild is picked up.
//! They carry the page's Content-Security-Policy too: a dedicated worker
//! takes its policy from its own script's response, so this is what holds
//! the engine's worker to the same rules as the page.
//!
//! A folder is served by tower-http's `ServeDir`; files embedded in the
//! binary (`embed-web`) by a route that looks the name up among them.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

pub use crate::assets::{Assets, LOADER};

/// URL prefix of the assets on the demo server.
pub(crate) const PREFIX: &str = "/hc-search";

/// `name.<10 hex digits>.js|wasm`: the names build-web gives the files
/// whose content it hashed.
pub(crate) fn is_content_hashed(file_name: &str) -> bool {
    let mut parts = file_name.rsplitn(3, '.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    matches!(ext, "js" | "wasm")
        && !stem.is_empty()
        && hash.len() == 10
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A router serving `assets` under [`PREFIX`], with `csp` on every file.
pub fn router(assets: &Assets, csp: HeaderValue) -> Router {
    let files = match assets {
        Assets::Dir(dir) => Router::new().nest_service(PREFIX, ServeDir::new(dir)),
        #[cfg(feature = "embed-web")]
        Assets::Embedded => Router::new().route(
            &format!("{PREFIX}/{{name}}"),
            axum::routing::get(embedded_file),
        ),
    };
    files.layer(axum::middleware::from_fn_with_state(csp, headers))
}

/// One embedded file, typed by its extension (as `ServeDir` types a
/// file); a name that is not one of them is a 404. No conditional
/// requests: the hashed files are cached for good and the loader is a few
/// KB on loopback.
#[cfg(feature = "embed-web")]
async fn embedded_file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    use axum::response::IntoResponse;
    let Some(bytes) = Assets::Embedded.get(&name) else {
        return (axum::http::StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let content_type = match name.rsplit('.').next() {
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    ([(header::CONTENT_TYPE, content_type)], bytes.into_owned()).into_response()
}

async fn headers(State(csp): State<HeaderValue>, req: Request, next: Next) -> Response {
    let name = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut response = next.run(req).await;
    if !response.status().is_success() {
        return response;
    }
    let h = response.headers_mut();
    let cache = if is_content_hashed(&name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Streaming compilation needs exactly this type; do not rely on the
    // guess table.
    if name.ends_with(".wasm") {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/wasm"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_content_hashed("hc_widget.90b6285892.wasm"));
        assert!(is_content_hashed("hc-worker-boot.dd1f6246ea.js"));
        assert!(!is_content_hashed("hc-search.js"));
        assert!(!is_content_hashed("manifest.json"));
        assert!(!is_content_hashed("hc_widget.90B6285892.wasm"));
        assert!(!is_content_hashed("hc_widget.90b628589.wasm"));
        assert!(!is_content_hashed(".0123456789.js"));
        assert!(!is_content_hashed("x.0123456789.css"));
    }
}
