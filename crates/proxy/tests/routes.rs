//! The visitor-facing surface over a real socket, in front of a simulator
//! serving the Debian corpus: the snapshot (ETag, 304, gzip/brotli, cache
//! headers), the upstream-compatible lists, CORS, 404/405, malformed and
//! oversized requests, security headers and request ids, operations.

mod common;

use std::collections::BTreeSet;

use common::*;
use hc_core::wire::{ArticleList, CategoryList};
use hc_core::{PublicArticle, PublicCategory, Snapshot};
use reqwest::header;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_is_public_complete_and_cacheable() {
    let data = debian();
    let public: BTreeSet<i64> = data
        .articles
        .iter()
        .filter(|a| a.is_public())
        .map(|a| a.id)
        .collect();
    let tokens: Vec<String> = data
        .articles
        .iter()
        .filter_map(|a| a.share_token.clone())
        .collect();
    assert_eq!(tokens.len(), 10);
    let (sim, proxy) = stack(data, |_| {}).await;
    let c = http();

    let r = c.get(proxy.url("/v1/snapshot")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let etag = r.headers()[header::ETAG].to_str().unwrap().to_string();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "strong ETag: {etag}"
    );
    let cc = r.headers()[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .to_string();
    for part in [
        "public",
        "max-age=300",
        "stale-while-revalidate=",
        "stale-if-error=",
    ] {
        assert!(cc.contains(part), "{cc}");
    }
    assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
    let body = r.bytes().await.unwrap();
    let text = std::str::from_utf8(&body).unwrap();
    for t in &tokens {
        assert!(!text.contains(t.as_str()), "share token leaked");
    }
    let raw: serde_json::Value = serde_json::from_slice(&body).unwrap();
    for a in raw["articles"].as_array().unwrap() {
        let keys: BTreeSet<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
        for private in ["share_token", "published", "visibility", "content_json"] {
            assert!(!keys.contains(private), "{private} in {keys:?}");
        }
    }
    let snap: Snapshot = serde_json::from_slice(&body).unwrap();
    let got: BTreeSet<i64> = snap.articles.iter().map(|a| a.id).collect();
    assert_eq!(got, public, "exactly the published public articles");
    assert_eq!(snap.categories.len(), 110);
    assert_eq!(snap.site.default_language.as_str(), "en");
    assert_eq!(snap.site.languages.len(), 11, "{:?}", snap.site.languages);

    // Brotli and gzip carry the same document.
    let br = c
        .get(proxy.url("/v1/snapshot"))
        .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
    assert!(br.headers()[header::VARY]
        .to_str()
        .unwrap()
        .contains("accept-encoding"));
    let br_etag = br.headers()[header::ETAG].to_str().unwrap().to_string();
    assert_ne!(br_etag, etag, "each coding has its own strong validator");
    let br_body = br.bytes().await.unwrap();
    assert!(
        br_body.len() * 4 < body.len(),
        "brotli shrinks it: {} vs {}",
        br_body.len(),
        body.len()
    );
    assert_eq!(unbrotli(&br_body), body.to_vec());
    let gz = c
        .get(proxy.url("/v1/snapshot"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(gunzip(&gz.bytes().await.unwrap()), body.to_vec());

    // Revalidation, with the identity or the brotli validator.
    for tag in [&etag, &br_etag] {
        let r = c
            .get(proxy.url("/v1/snapshot"))
            .header(header::IF_NONE_MATCH, tag.as_str())
            .header(header::ACCEPT_ENCODING, "br")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert!(r.headers().contains_key(header::ETAG));
        assert!(r.headers().contains_key(header::CACHE_CONTROL));
        assert!(r.bytes().await.unwrap().is_empty());
    }
    let r = c
        .get(proxy.url("/v1/snapshot"))
        .header(header::IF_NONE_MATCH, "\"0000\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // HEAD answers the headers only.
    let r = c.head(proxy.url("/v1/snapshot")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::ETAG].to_str().unwrap(), etag);

    // All of that was one upstream walk: 5 pages of articles, 2 of categories.
    assert_eq!(walks(&sim), (5, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_routes_keep_the_upstream_envelope() {
    let (sim, proxy) = stack(debian(), |_| {}).await;
    let c = http();
    let mut seen = Vec::new();
    for page in 1..=4 {
        let r = c
            .get(proxy.url(&format!("/v1/articles?page={page}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let list: ArticleList<PublicArticle> = r.json().await.unwrap();
        assert_eq!(list.meta.page, page);
        assert_eq!(list.meta.per_page, 100);
        assert_eq!(list.meta.items_count, 387);
        assert_eq!(list.meta.total_pages, 4);
        seen.extend(list.articles.into_iter().map(|a| a.id));
    }
    assert_eq!(seen.len(), 387);
    // Past the end: an empty page with the true meta, as upstream.
    let list: ArticleList<PublicArticle> = c
        .get(proxy.url("/v1/articles?page=9"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.articles.is_empty());
    assert_eq!(list.meta.total_pages, 4);
    // Smaller pages, a language, a category, a search, sorting.
    let list: ArticleList<PublicArticle> = c
        .get(proxy.url("/v1/articles?limit=7&page=2&lang=de"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.articles.len(), 7);
    assert_eq!(list.meta.per_page, 7);
    for a in &list.articles {
        let langs: Vec<_> = a
            .content
            .languages()
            .map(|l| l.as_str().to_string())
            .collect();
        assert_eq!(langs, ["de"]);
    }
    let list: ArticleList<PublicArticle> = c
        .get(proxy.url("/v1/articles?category_id=15&limit=100"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.articles.iter().all(|a| a.category_ids.contains(&15)));
    let list: ArticleList<PublicArticle> = c
        .get(proxy.url("/v1/articles?search=APT&sort=views"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!list.articles.is_empty());
    assert!(list.articles.windows(2).all(|w| w[0].views >= w[1].views));
    // Categories.
    let cats: CategoryList<PublicCategory> = c
        .get(proxy.url("/v1/categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cats.categories.len(), 100);
    assert_eq!(cats.meta.items_count, 110);
    let cats: CategoryList<PublicCategory> = c
        .get(proxy.url("/v1/categories?page=2&lang=fr"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cats.categories.len(), 10);
    // Bad parameters: the upstream's error shapes.
    for (q, field) in [
        ("page=abc", "page"),
        ("limit=0", "limit"),
        ("category_id=99999", "category_id"),
    ] {
        let r = c
            .get(proxy.url(&format!("/v1/articles?{q}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{q}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["status"], "validation_error");
        assert!(v["errors"][field].is_array(), "{v}");
    }
    let r = c
        .get(proxy.url("/v1/articles?lang=xx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], "error");
    // Still only the one walk.
    assert_eq!(walks(&sim), (5, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_404_and_writes_405() {
    let (sim, proxy) = stack(debian(), |_| {}).await;
    let c = http();
    for path in [
        "/",
        "/v2/articles",
        "/v1/articles/5",
        "/v1/snapshot/x",
        "/admin",
    ] {
        let r = c.get(proxy.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["status"], "error");
    }
    for (method, path) in [
        (reqwest::Method::POST, "/v1/articles"),
        (reqwest::Method::PATCH, "/v1/articles/5"),
        (reqwest::Method::PUT, "/v1/categories"),
        (reqwest::Method::DELETE, "/v1/snapshot"),
        (reqwest::Method::PATCH, "/v1/categories/3"),
        (reqwest::Method::POST, "/healthz"),
    ] {
        let r = c
            .request(method.clone(), proxy.url(path))
            .header(header::CONTENT_TYPE, "application/json")
            .body(r#"{"title":{"en":"x"}}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(r.headers()[header::ALLOW], "GET, HEAD", "{method} {path}");
    }
    // Nothing was forwarded upstream.
    assert!(
        sim.calls().iter().all(|c| c.method == "GET"),
        "{:?}",
        sim.calls()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_only_the_listed_origins() {
    let (_sim, proxy) = stack(debian(), |s| {
        s.origins = hc_proxy::Origins::List(vec!["https://docs.example.com".into()]);
    })
    .await;
    let c = http();
    let r = c
        .get(proxy.url("/v1/snapshot"))
        .header(header::ORIGIN, "https://docs.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://docs.example.com"
    );
    let exposed = r.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(exposed.contains("etag"), "{exposed}");
    let r = c
        .get(proxy.url("/v1/snapshot"))
        .header(header::ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(!r
        .headers()
        .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    // Preflight.
    let pre = |origin: &'static str| {
        c.request(reqwest::Method::OPTIONS, proxy.url("/v1/snapshot"))
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "if-none-match")
            .send()
    };
    let r = pre("https://docs.example.com").await.unwrap();
    assert!(r.status().is_success());
    assert_eq!(
        r.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://docs.example.com"
    );
    let methods = r.headers()[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap();
    assert!(
        methods.contains("GET") && !methods.contains("POST"),
        "{methods}"
    );
    let r = pre("https://evil.example").await.unwrap();
    assert!(!r
        .headers()
        .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));

    // No origins configured: no CORS headers at all (no implicit wildcard).
    let (_sim2, closed) = stack(debian(), |_| {}).await;
    let r = c
        .get(closed.url("/healthz"))
        .header(header::ORIGIN, "https://docs.example.com")
        .send()
        .await
        .unwrap();
    assert!(!r
        .headers()
        .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    // `*` only when configured.
    let (_sim3, open) = stack(debian(), |s| s.origins = hc_proxy::Origins::Any).await;
    let r = c
        .get(open.url("/healthz"))
        .header(header::ORIGIN, "https://anyone.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_requests_are_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (sim, proxy) = stack(debian(), |_| {}).await;
    let c = http();
    // A body larger than the limit, even on a GET.
    let r = c
        .get(proxy.url("/v1/snapshot"))
        .body(vec![b'x'; 64 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // (the server closes that connection without reading the body)
    let c = http();
    // Malformed query strings.
    let r = c
        .get(proxy.url("/v1/articles?page=%ZZ&limit=%"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = c
        .get(proxy.url("/v1/articles?page=-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = c
        .get(proxy.url(&format!("/v1/articles?page={}", "9".repeat(40))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Huge headers.
    let r = c
        .get(proxy.url("/v1/snapshot"))
        .header("x-junk", "a".repeat(64 * 1024))
        .send()
        .await;
    // (or the connection is closed instead)
    if let Ok(r) = r {
        assert_eq!(r.status(), StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    }
    // Not HTTP at all.
    let mut s = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
    s.write_all(b"\x00\x01garbage garbage\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    let head = String::from_utf8_lossy(&buf);
    assert!(
        head.is_empty() || head.starts_with("HTTP/1.1 400"),
        "{head}"
    );
    // The server is still fine.
    let r = c.get(proxy.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // None of that reached the upstream.
    assert_eq!(walks(&sim), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_request_ids_health_and_metrics() {
    let (_sim, proxy) = stack(debian(), |_| {}).await;
    let c = http();
    let r = c.get(proxy.url("/healthz")).send().await.unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["cache"], "empty");
    let r = c.get(proxy.url("/v1/snapshot")).send().await.unwrap();
    for h in [
        "x-content-type-options",
        "referrer-policy",
        "content-security-policy",
        "x-frame-options",
        "x-request-id",
        "cross-origin-resource-policy",
    ] {
        assert!(r.headers().contains_key(h), "{h} missing");
    }
    let id = r.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let r = c
        .get(proxy.url("/healthz"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "trace-me-123");
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["cache"], "fresh");
    assert_eq!(v["articles"], 387);
    let text = c
        .get(proxy.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "hc_proxy_upstream_calls_total{method=\"GET\",route=\"/articles\",status=\"200\"} 5",
        "hc_proxy_upstream_calls_total{method=\"GET\",route=\"/categories\",status=\"200\"} 2",
        "hc_proxy_cache_requests_total{outcome=\"miss\"} 1",
        "hc_proxy_refreshes_total{result=\"ok\"} 1",
        "hc_proxy_upstream_rate_limited_total 0",
    ] {
        assert!(text.contains(line), "{line} not in\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_ip_rate_limit_answers_429() {
    let (_sim, proxy) = stack(debian(), |s| {
        s.per_ip_per_second = 1;
        s.per_ip_burst = 3;
    })
    .await;
    let c = http();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(c.get(proxy.url("/healthz")).send().await.unwrap());
    }
    let limited = statuses
        .iter()
        .filter(|r| r.status() == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        limited >= 2,
        "{:?}",
        statuses.iter().map(|r| r.status()).collect::<Vec<_>>()
    );
    let r = statuses
        .into_iter()
        .find(|r| r.status() == StatusCode::TOO_MANY_REQUESTS)
        .unwrap();
    assert!(r.headers().contains_key(header::RETRY_AFTER));
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], "error");
}
