//! Property: over generated help centers (a random mix of published and
//! draft, public, private and link-only articles with share tokens, and
//! hostile HTML), no response of any route contains a non-public article,
//! a share token or active content, and every public article is served;
//! the prebuilt packs are decoded and checked the same way.

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::*;
use hc_core::wire::Article;
use hc_core::{Category, HelpCenterData, LangCode, Site, Translations, Visibility};
use proptest::prelude::*;

const PAYLOADS: &[&str] = &[
    "<script>alert('{m}')</script>",
    "<img src=x onerror=\"alert('{m}')\">",
    "<a href=\"javascript:alert('{m}')\">click {m}</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>",
    "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
    "<svg onload=\"alert(1)\"><circle r=\"1\"/></svg>",
    "<iframe src=\"https://evil.example/{m}\"></iframe>",
    "<object data=\"x.swf\"></object><embed src=\"x\">",
    "<p onclick=\"steal()\" style=\"background:url(javascript:alert(1))\">text {m}</p>",
    "<form action=\"https://evil.example\"><input name=q></form>",
    "<a href=\"/relative/{m}\">rel</a>",
    "<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>",
    "<scr<script>ipt>alert(1)</script>",
    "<p>plain {m}</p>",
];

fn lang(code: &str) -> LangCode {
    LangCode::parse(code).unwrap()
}

fn tr(pairs: &[(&str, String)]) -> Translations<String> {
    let mut t = Translations::new();
    for (l, v) in pairs {
        t.insert(lang(l), v.clone());
    }
    t
}

#[derive(Debug, Clone)]
struct Spec {
    published: bool,
    visibility: u8,
    payloads: Vec<usize>,
    german: bool,
    views: u64,
    salt: u32,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        any::<bool>(),
        0u8..3,
        prop::collection::vec(0..PAYLOADS.len(), 1..4),
        any::<bool>(),
        0u64..1000,
        any::<u32>(),
    )
        .prop_map(
            |(published, visibility, payloads, german, views, salt)| Spec {
                published,
                visibility,
                payloads,
                german,
                views,
                salt,
            },
        )
}

fn build(specs: &[Spec]) -> HelpCenterData {
    let categories = (1..=3)
        .map(|id| Category {
            id,
            name: tr(&[
                ("en", format!("Category {id}")),
                ("de", format!("Kategorie {id}")),
            ]),
            description: Translations::new(),
            parent: None,
            icon: None,
            position: Some(id),
        })
        .collect();
    let articles = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = i as i64 + 1;
            let m = format!("mark{id}z{}", s.salt);
            let html: String = s
                .payloads
                .iter()
                .map(|p| PAYLOADS[*p].replace("{m}", &m))
                .collect();
            let visibility = [
                Visibility::Public,
                Visibility::Private,
                Visibility::LinkOnly,
            ][s.visibility as usize];
            let mut content = vec![("en", format!("<h2>{m}</h2>{html}"))];
            let mut title = vec![("en", format!("Title {m}"))];
            if s.german {
                content.push(("de", format!("<p>de {m}</p>{html}")));
                title.push(("de", format!("Titel {m}")));
            }
            Article {
                id,
                title: tr(&title),
                slug: tr(&[("en", format!("slug-{m}"))]),
                content: tr(&content),
                published: s.published,
                visibility,
                category_id: Some(id % 3 + 1),
                categories: Vec::new(),
                views: s.views,
                created_at: "2024-01-01T00:00:00Z".into(),
                updated_at: "2024-01-02T00:00:00Z".into(),
                share_token: (visibility == Visibility::LinkOnly)
                    .then(|| format!("{:064x}", u128::from(s.salt) * 7919 + id as u128)),
                content_json: Some(serde_json::json!({"secret": format!("cj-{m}")})),
            }
        })
        .collect();
    HelpCenterData {
        site: Site {
            default_language: lang("en"),
            languages: vec![lang("en"), lang("de")],
        },
        categories,
        articles,
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

async fn fetch_all(proxy: &Running, private_marks: &[String]) -> Vec<(String, String)> {
    let c = http();
    let mut paths: Vec<String> = [
        "/v1/snapshot",
        "/v1/packs.json",
        "/v1/articles",
        "/v1/articles?page=2",
        "/v1/articles?lang=de",
        "/v1/articles?sort=views&order=asc",
        "/v1/articles?category_id=2",
        "/v1/categories",
        "/v1/categories?lang=de",
        "/healthz",
        "/metrics",
        "/v1/articles/1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for page in 1..=10 {
        paths.push(format!("/v1/articles?limit=3&page={page}"));
    }
    for m in private_marks.iter().take(3) {
        paths.push(format!("/v1/articles?search={m}"));
    }
    let mut out = Vec::new();
    for path in paths {
        for enc in ["identity", "br", "gzip"] {
            let r = c
                .get(proxy.url(&path))
                .header("accept-encoding", enc)
                .send()
                .await
                .unwrap();
            let headers = format!("{:?}", r.headers());
            let coding = r
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string());
            let raw = r.bytes().await.unwrap();
            let body = match coding.as_deref() {
                Some("br") => unbrotli(&raw),
                Some("gzip") => gunzip(&raw),
                _ => raw.to_vec(),
            };
            out.push((
                format!("{path} [{enc}]"),
                headers + &String::from_utf8_lossy(&body),
            ));
        }
    }
    out.extend(packs(proxy).await);
    out
}

/// Every prebuilt pack, decoded: its reader documents as text (title,
/// slug, HTML, category path), for the same checks as every response, and
/// the ids it indexes.
async fn packs(proxy: &Running) -> Vec<(String, String)> {
    let c = http();
    let index_url = proxy.url("/v1/packs.json");
    let index: hc_core::static_site::PacksIndex = c
        .get(&index_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut out = Vec::new();
    for (lang, name) in &index.packs {
        let url = hc_core::static_site::sibling_url(&index_url, name);
        let bytes = c.get(&url).send().await.unwrap().bytes().await.unwrap();
        let built = hc_engine::IndexContainer::from_bytes(&bytes).unwrap();
        assert_eq!(built.engine.len(), built.reader.docs.len(), "{lang}");
        let mut text = String::new();
        for d in built.reader.docs.iter() {
            text += &format!(
                "id={} {} {} {} {}\n",
                d.id,
                d.title,
                d.slug(),
                built.reader.html(d.id).unwrap_or_default(),
                d.category_path.join("/")
            );
        }
        out.push((format!("pack {lang}"), text));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn nothing_private_ever_leaves(specs in prop::collection::vec(spec(), 1..25)) {
        let data = build(&specs);
        let public: BTreeSet<i64> = data.articles.iter().filter(|a| a.is_public()).map(|a| a.id).collect();
        let secrets: Vec<String> = data
            .articles
            .iter()
            .filter(|a| !a.is_public())
            .map(|a| format!("mark{}z{}", a.id, specs[a.id as usize - 1].salt))
            .collect();
        let tokens: Vec<String> = data.articles.iter().filter_map(|a| a.share_token.clone()).collect();
        let responses = runtime().block_on(async {
            let (sim, proxy) = stack(data, |s| {
                s.public_url = Some(ammonia::Url::parse("https://help.example.com/").unwrap());
                s.build_packs = true;
            })
            .await;
            packs_for(&proxy, &snapshot_etag(&proxy).await).await;
            let responses = fetch_all(&proxy, &secrets).await;
            let snapshot: hc_core::Snapshot = http()
                .get(proxy.url("/v1/snapshot"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            drop(proxy);
            sim.shutdown().await;
            (responses, snapshot)
        });
        let (responses, snapshot) = responses;
        let served: BTreeSet<i64> = snapshot.articles.iter().map(|a| a.id).collect();
        prop_assert_eq!(&served, &public);
        // The packs index public articles only, each in a language it has.
        let packed: BTreeSet<i64> = responses
            .iter()
            .filter(|(what, _)| what.starts_with("pack "))
            .flat_map(|(_, text)| text.lines().filter_map(|l| l.strip_prefix("id=")?.split(' ').next()?.parse().ok()))
            .collect();
        prop_assert!(packed.is_subset(&public), "{:?} not public", packed.difference(&public).collect::<Vec<_>>());
        prop_assert!(responses.iter().any(|(what, _)| what == "pack en"), "an English pack");
        for (what, text) in &responses {
            for s in &secrets {
                // `mark1z5` must not match inside `mark1z55`: check with the delimiters around it.
                for form in [format!("{s}<"), format!("{s}'"), format!("{s}\""), format!("{s} "), format!("{s}/")] {
                    prop_assert!(!text.contains(&form), "{} leaked in {}", s, what);
                }
            }
            for t in &tokens {
                prop_assert!(!text.contains(t.as_str()), "share token in {}", what);
            }
            let lower = text.to_lowercase();
            for bad in ["<script", "onerror", "onload", "onclick", "javascript:", "data:", "<iframe", "<svg", "<object", "<embed", "<form", "share_token", "content_json", "cj-mark"] {
                prop_assert!(!lower.contains(bad), "{} in {}", bad, what);
            }
        }
        // The same check finds what is public (so it would find a leak).
        for id in &public {
            let m = format!("mark{id}z{}<", specs[*id as usize - 1].salt);
            prop_assert!(responses.iter().any(|(_, t)| t.contains(&m)), "public {} not found", m);
        }
        // Relative links were made absolute against the public URL.
        for a in &snapshot.articles {
            for (_, html) in a.content.iter() {
                prop_assert!(!html.contains("href=\"/"), "relative link left in {}", html);
            }
        }
    }
}
