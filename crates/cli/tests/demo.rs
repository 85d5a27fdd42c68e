//! `hcs demo` in-process (`hc_cli::demo::start`) and as the real binary:
//! the page with its policy, the assets with their cache headers, the proxy
//! serving only public articles to the page's origin, clear errors for bad
//! input, and a clean stop on SIGTERM and Ctrl+C.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use hc_cli::assets::Assets;
use hc_cli::demo::page::content_security_policy;
use hc_cli::demo::{self, DemoData, DemoError, DemoOptions, EMBEDDED_DATA};
use hc_core::{HelpCenterData, Visibility};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const FAKE_LOADER: &str = "// fake loader for tests\nexport {};\n";
const HASHED_WASM: &str = "hc_widget.0123456789.wasm";

fn embedded() -> HelpCenterData {
    serde_json::from_slice(EMBEDDED_DATA).expect("the embedded demo data parses")
}

/// A folder that looks like `cargo xtask build-web`'s output.
fn fake_assets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hc-search.js"), FAKE_LOADER).unwrap();
    std::fs::write(dir.path().join(HASHED_WASM), b"\0asm\x01\0\0\0").unwrap();
    dir
}

fn options(assets: &Path) -> DemoOptions {
    DemoOptions {
        data: DemoData::Embedded,
        listen: "127.0.0.1:0".parse().unwrap(),
        assets: Assets::Dir(assets.to_path_buf()),
        proxy_listen: None,
    }
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

#[test]
fn the_embedded_subset_has_every_language_and_non_public_copies() {
    let data = embedded();
    let langs: Vec<&str> = data.site.languages.iter().map(|l| l.as_str()).collect();
    assert_eq!(
        langs,
        ["en", "de", "es", "fr", "it", "ja", "pt", "pt-br", "zh-cn", "zh-tw", "id"]
    );
    for lang in &data.site.languages {
        let n = data
            .articles
            .iter()
            .filter(|a| a.is_public() && a.content.contains(lang))
            .count();
        assert!(n >= 80, "{lang}: only {n} public articles");
    }
    assert!((80..=120).contains(&data.articles.len()));
    let categories: BTreeSet<i64> = data.categories.iter().map(|c| c.id).collect();
    for a in &data.articles {
        for c in a.category_ids() {
            assert!(categories.contains(&c), "article {} → category {c}", a.id);
        }
    }
    let copies: Vec<_> = data.articles.iter().filter(|a| a.id > 100_000).collect();
    assert!(copies.iter().any(|a| !a.published), "a draft");
    assert!(copies.iter().any(|a| a.visibility == Visibility::Private));
    assert!(copies
        .iter()
        .any(|a| a.visibility == Visibility::LinkOnly && a.share_token.is_some()));
    for copy in &copies {
        assert!(
            data.articles
                .iter()
                .any(|a| a.id < 100_000 && a.title == copy.title && a.content == copy.content),
            "copy {} has its original",
            copy.id
        );
    }
    assert!(
        EMBEDDED_DATA.len() <= 3_200_000,
        "{} bytes",
        EMBEDDED_DATA.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_assets_and_proxy_work_together() {
    let assets = fake_assets();
    let demo = demo::start(options(assets.path()))
        .await
        .expect("demo starts");
    let http = reqwest::Client::new();
    let url = demo.url().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "{url}"
    );

    // The page: HTML with the widget pointed at the proxy, under the policy.
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "text/html; charset=utf-8");
    assert_eq!(
        header(&r, "content-security-policy"),
        content_security_policy(demo.proxy_url())
    );
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!(
            "<hc-search proxy=\"{}\" help-center-url=\"https://help.example.com\" lang-source=\"browser\"></hc-search>",
            demo.proxy_url()
        )),
        "{html}"
    );
    assert!(html.contains("<script type=\"module\" src=\"/hc-search/hc-search.js\"></script>"));
    assert!(!html.contains("<script>"), "no inline script");
    for lang in ["de", "ja", "zh-tw", "pt-br"] {
        assert!(html.contains(&format!("href=\"/?lang={lang}\"")), "{lang}");
    }

    // A chosen language becomes the element's; anything else is ignored.
    let de = http.get(format!("{url}?lang=de")).send().await.unwrap();
    assert!(de
        .text()
        .await
        .unwrap()
        .contains(" lang=\"de\"></hc-search>"));
    let hostile = http
        .get(format!("{url}?lang=%22%3E%3Cscript%3E&lang=x%20y"))
        .send()
        .await
        .unwrap();
    assert_eq!(hostile.status(), 200);
    let hostile = hostile.text().await.unwrap();
    assert!(hostile.contains(" lang-source=\"browser\"></hc-search>"));
    assert!(!hostile.contains("%22") && !hostile.contains("<script>"));

    // Assets: the loader revalidated, hashed files immutable, wasm typed.
    let r = http
        .get(format!("{url}hc-search/hc-search.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "cache-control"), "no-cache");
    assert!(header(&r, "content-type").contains("javascript"));
    assert!(header(&r, "content-security-policy").contains("connect-src 'self' http://127.0.0.1:"));
    assert_eq!(r.text().await.unwrap(), FAKE_LOADER);
    let r = http
        .get(format!("{url}hc-search/{HASHED_WASM}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "application/wasm");
    assert_eq!(
        header(&r, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let css = http.get(format!("{url}demo.css")).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert!(header(&css, "content-type").starts_with("text/css"));
    for missing in [
        "hc-search/nope.js",
        "hc-search/..%2f..%2fCargo.toml",
        "favicon.ico",
    ] {
        let r = http.get(format!("{url}{missing}")).send().await.unwrap();
        assert_eq!(r.status(), 404, "{missing}");
    }

    // The proxy answers the page's origin, with public articles only.
    let r = http
        .get(format!("{}/v1/snapshot", demo.proxy_url()))
        .header("origin", demo.origin())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "access-control-allow-origin"), demo.origin());
    let body = r.text().await.unwrap();
    assert!(!body.contains("share_token"));
    let snapshot: serde_json::Value = serde_json::from_str(&body).unwrap();
    let served = common::snapshot_ids(&snapshot);
    let public = common::public_ids(&embedded());
    assert_eq!(served, public);
    assert!(served.iter().all(|id| *id < 100_001));
    assert_eq!(snapshot["site"]["languages"].as_array().unwrap().len(), 11);
    // `localhost` is the same page, so it is allowed too; others are not.
    let other = http
        .get(format!("{}/v1/snapshot", demo.proxy_url()))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());

    let proxy = demo.proxy_url().to_string();
    demo.shutdown().await.expect("clean stop");
    assert!(http.get(&url).send().await.is_err(), "the page is gone");
    assert!(http.get(&proxy).send().await.is_err(), "the proxy is gone");
}

#[tokio::test]
async fn bad_data_files_are_clear_errors() {
    let assets = fake_assets();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    for content in [
        "{\"site\": 1",
        "[]",
        "{\"categories\":[],\"articles\":[]}",
        "\u{0}\u{1}",
    ] {
        std::fs::write(&bad, content).unwrap();
        let err = demo::start(DemoOptions {
            data: DemoData::File(bad.clone()),
            ..options(assets.path())
        })
        .await
        .expect_err("refused");
        assert!(matches!(err, DemoError::DataFormat { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("bad.json is not a help center file"), "{msg}");
    }
    let err = demo::start(DemoOptions {
        data: DemoData::File(dir.path().join("missing.json")),
        ..options(assets.path())
    })
    .await
    .expect_err("refused");
    assert!(matches!(err, DemoError::ReadData { .. }), "{err:?}");
    assert!(err.to_string().contains("missing.json"));
}

#[tokio::test]
async fn missing_assets_say_how_to_build_them() {
    let empty = tempfile::tempdir().unwrap();
    let err = demo::start(options(empty.path()))
        .await
        .expect_err("refused");
    assert!(matches!(err, DemoError::AssetsMissing(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("missing hc-search.js"), "{msg}");
    assert!(msg.contains("cargo xtask build-web"), "{msg}");
}

#[tokio::test]
async fn a_busy_port_suggests_a_free_one() {
    let assets = fake_assets();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let err = demo::start(DemoOptions {
        listen: addr,
        ..options(assets.path())
    })
    .await
    .expect_err("refused");
    assert!(
        matches!(err, DemoError::AddrInUse(a) if a == addr),
        "{err:?}"
    );
    assert!(err.to_string().contains("--listen 127.0.0.1:0"));
}

/// The real binary: the URL on the first line, a working page, and exit 0
/// on SIGTERM and on SIGINT (Ctrl+C), with no key on the output.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_prints_its_url_and_stops_cleanly_on_a_signal() {
    let assets = fake_assets();
    for signal in ["TERM", "INT"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hcs"))
            .args(["demo", "--listen", "127.0.0.1:0", "--assets"])
            .arg(assets.path())
            .env_remove("HC_ASSETS")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("a first line in time")
            .unwrap()
            .expect("a first line");
        let url = first
            .strip_prefix("hc-search demo: ")
            .unwrap_or_else(|| panic!("{first}"))
            .to_string();
        let second = lines.next_line().await.unwrap().unwrap();
        assert!(
            second.starts_with("help center: Debian Reference 2.100"),
            "{second}"
        );
        assert!(second.contains("; proxy: http://127.0.0.1:"), "{second}");
        let page = reqwest::get(&url).await.unwrap();
        assert_eq!(page.status(), 200);

        let pid = child.id().unwrap().to_string();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
            .await
            .expect("stops in time")
            .unwrap();
        let mut stderr = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr)
            .await
            .unwrap();
        assert!(status.success(), "SIG{signal}: {status:?} {stderr}");
        let mut rest = String::new();
        while let Some(l) = lines.next_line().await.unwrap() {
            rest.push_str(&l);
        }
        // The key is 64 letters and digits; nothing printed comes close.
        for text in [&first, &second, &rest, &stderr] {
            assert!(!has_alnum_run(text, 40), "{text}");
        }
    }
}

fn has_alnum_run(text: &str, len: usize) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_alphanumeric() {
            run + 1
        } else {
            0
        };
        if run >= len {
            return true;
        }
    }
    false
}
