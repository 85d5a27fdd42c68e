//! Simulator behaviour that a case file cannot express: the per-token rate
//! limit, body limits, persistence across restarts, fault injection, the
//! real corpus, and properties over arbitrary input.

mod common;

use std::time::Duration;

use common::{config, corpus, start, tiny, READ_KEY, WRITE_KEY};
use hc_sim::{Faults, SimConfig};
use serde_json::{json, Value};

async fn get(url: &str, key: &str) -> (u16, reqwest::header::HeaderMap, Value) {
    let resp = reqwest::Client::new()
        .get(url)
        .header("apikey", key)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn sixty_first_request_in_a_minute_is_429_with_retry_after() {
    let sim = start(SimConfig {
        rate_limit: 60,
        ..config(tiny())
    })
    .await;
    let url = format!("{}/categories", sim.api_url());
    for i in 0..60 {
        let (status, headers, _) = get(&url, READ_KEY).await;
        assert_eq!(status, 200, "request {i}");
        assert_eq!(
            headers["x-ratelimit-remaining"],
            (59 - i).to_string().as_str()
        );
    }
    let (status, headers, body) = get(&url, READ_KEY).await;
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({"status": "error", "message": "Too Many Attempts."})
    );
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((55..=60).contains(&wait), "Retry-After {wait}");
    // The limit is per token.
    assert_eq!(get(&url, WRITE_KEY).await.0, 200);
    assert_eq!(sim.call_count("GET", "/v1/categories"), 62);
}

#[tokio::test]
async fn rate_window_expires() {
    let sim = start(SimConfig {
        rate_limit: 2,
        rate_window: Duration::from_millis(600),
        ..config(tiny())
    })
    .await;
    let url = format!("{}/articles", sim.api_url());
    assert_eq!(get(&url, READ_KEY).await.0, 200);
    assert_eq!(get(&url, READ_KEY).await.0, 200);
    assert_eq!(get(&url, READ_KEY).await.0, 429);
    tokio::time::sleep(Duration::from_millis(650)).await;
    assert_eq!(get(&url, READ_KEY).await.0, 200);
}

#[tokio::test]
async fn oversized_body_is_413_and_changes_nothing() {
    let sim = start(SimConfig {
        body_limit: 1024,
        ..config(tiny())
    })
    .await;
    let before = sim.data();
    let big = json!({"title": {"en": "x"}, "content": {"en": "a".repeat(4096)}});
    let resp = reqwest::Client::new()
        .post(format!("{}/articles", sim.api_url()))
        .header("apikey", WRITE_KEY)
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 413);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "error");
    assert_eq!(sim.data(), before);
}

#[tokio::test]
async fn writes_survive_a_restart_and_the_state_file_is_never_partial() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let cfg = SimConfig {
        state_file: Some(state.clone()),
        ..config(tiny())
    };
    let sim = start(cfg.clone()).await;
    let http = reqwest::Client::new();
    let created: Value = http
        .post(format!("{}/articles", sim.api_url()))
        .header("apikey", WRITE_KEY)
        .json(&json!({"title": {"en": "Persisted"}, "published": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["article"]["id"].as_i64().unwrap();
    for i in 0..20 {
        let r = http
            .patch(format!("{}/articles/1", sim.api_url()))
            .header("apikey", WRITE_KEY)
            .json(&json!({"title": {"de": format!("Version {i}")}}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        // After every acknowledged write the file is complete and current.
        let on_disk: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
        let a1 = on_disk["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == 1)
            .unwrap();
        assert_eq!(a1["title"]["de"], format!("Version {i}"));
    }
    http.patch(format!("{}/categories/2", sim.api_url()))
        .header("apikey", WRITE_KEY)
        .json(&json!({"name": {"en": "Payments"}}))
        .send()
        .await
        .unwrap();
    sim.shutdown().await;
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");

    let again = start(cfg.clone()).await;
    let data = again.data();
    let a = data
        .articles
        .iter()
        .find(|a| a.id == id)
        .expect("created article survives");
    assert_eq!(a.title.get_str("en").unwrap(), "Persisted");
    let a1 = data.articles.iter().find(|a| a.id == 1).unwrap();
    assert_eq!(a1.title.get_str("de").unwrap(), "Version 19");
    assert_eq!(a1.title.get_str("en").unwrap(), "Create your account");
    assert_eq!(data.categories[1].name.get_str("en").unwrap(), "Payments");
    // New ids continue after the persisted ones.
    let next: Value = reqwest::Client::new()
        .post(format!("{}/articles", again.api_url()))
        .header("apikey", WRITE_KEY)
        .json(&json!({"title": {"en": "Next"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(next["article"]["id"].as_i64().unwrap(), id + 1);
}

#[tokio::test]
async fn a_corrupt_state_file_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    std::fs::write(&state, b"{\"version\": 1, \"articles\": [").unwrap();
    let err = hc_sim::spawn(
        SimConfig {
            state_file: Some(state),
            ..config(tiny())
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .err()
    .expect("must refuse");
    assert!(err.to_string().contains("not valid"), "{err}");
}

#[tokio::test]
async fn keys_must_be_64_characters() {
    let err = hc_sim::build(SimConfig {
        read_keys: vec!["short".into()],
        ..SimConfig::new(tiny())
    })
    .err()
    .expect("must refuse");
    assert!(err.to_string().contains("64"), "{err}");
}

#[tokio::test]
async fn injected_faults_are_deterministic_and_switchable() {
    let sim = start(config(tiny())).await;
    let url = format!("{}/articles", sim.api_url());
    let faults = Faults {
        error_rate: 0.5,
        seed: 7,
        ..Default::default()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        sim.set_faults(faults.clone());
        let mut statuses = Vec::new();
        for _ in 0..20 {
            statuses.push(get(&url, READ_KEY).await.0);
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1], "same seed, same sequence");
    assert!(runs[0].contains(&500) && runs[0].contains(&200));
    sim.set_faults(Faults {
        rate_limit_rate: 1.0,
        retry_after_secs: 2,
        ..Default::default()
    });
    let (status, headers, _) = get(&url, READ_KEY).await;
    assert_eq!(
        (status, headers["retry-after"].to_str().unwrap()),
        (429, "2")
    );
    sim.set_faults(Faults {
        latency_ms: 150,
        ..Default::default()
    });
    let t = std::time::Instant::now();
    assert_eq!(get(&url, READ_KEY).await.0, 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
    sim.set_faults(Faults::default());
    assert_eq!(get(&url, READ_KEY).await.0, 200);
}

#[tokio::test]
async fn serves_the_debian_reference_corpus() {
    let sim = start(config(corpus("debian-reference.json"))).await;
    let (status, _, body) = get(
        &format!("{}/articles?page=2&limit=100", sim.api_url()),
        READ_KEY,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["meta"],
        json!({"page": 2, "per_page": 100, "total_pages": 5, "items_count": 417})
    );
    let ids: Vec<i64> = body["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, (101..=200).collect::<Vec<_>>());
    let (_, _, ja) = get(
        &format!("{}/articles?lang=ja&limit=100&page=4", sim.api_url()),
        READ_KEY,
    )
    .await;
    assert_eq!(ja["meta"]["items_count"], 404);
    let (_, _, cats) = get(
        &format!("{}/categories?limit=100&page=2", sim.api_url()),
        READ_KEY,
    )
    .await;
    assert_eq!(
        cats["meta"],
        json!({"page": 2, "per_page": 100, "total_pages": 2, "items_count": 110})
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

        /// No query string makes the list endpoint fail with a 5xx or a non-JSON body.
        #[test]
        fn any_query_string_gets_a_json_answer(query in "[ -~]{0,60}") {
            let rt = runtime();
            rt.block_on(async {
                let sim = start(config(tiny())).await;
                let url = format!("http://{}/v1/articles?{}", sim.addr(), query.replace(' ', "+").replace('#', "%23"));
                let resp = reqwest::Client::new().get(&url).header("apikey", READ_KEY).send().await.unwrap();
                let status = resp.status().as_u16();
                let body: Result<Value, _> = resp.json().await;
                prop_assert!(status == 200 || status == 400, "{url} -> {status}");
                prop_assert!(body.is_ok());
                Ok(())
            })?;
        }

        /// Arbitrary JSON bodies to every write route: never a 5xx, and
        /// whatever is refused leaves the data as it was.
        #[test]
        fn any_write_body_is_answered_and_refusals_change_nothing(
            body in arbitrary_json(),
            route in prop::sample::select(vec!["/v1/articles", "/v1/articles/1", "/v1/categories/2"]),
        ) {
            let rt = runtime();
            rt.block_on(async {
                let sim = start(config(tiny())).await;
                let before = sim.data();
                let http = reqwest::Client::new();
                let url = format!("http://{}{route}", sim.addr());
                let req = if route == "/v1/articles" { http.post(&url) } else { http.patch(&url) };
                let resp = req.header("apikey", WRITE_KEY).json(&body).send().await.unwrap();
                let status = resp.status().as_u16();
                prop_assert!(status < 500, "{route} {body} -> {status}");
                prop_assert!(resp.json::<Value>().await.is_ok());
                if status >= 400 {
                    prop_assert_eq!(sim.data(), before);
                }
                Ok(())
            })?;
        }
    }

    fn arbitrary_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            "[a-z]{0,8}".prop_map(Value::String),
            prop::sample::select(vec!["en", "de", "fr", "ja", "title", "public", "link_only"])
                .prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(vec![
                        "title",
                        "content",
                        "slug",
                        "published",
                        "visibility",
                        "category_id",
                        "categories",
                        "name",
                        "description",
                        "parent",
                        "icon",
                        "en",
                        "de",
                        "fr",
                        "xx"
                    ])
                    .prop_map(String::from),
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}

fn wire_patches(name: &str) -> hc_sim::WirePatches {
    let bytes = std::fs::read(common::fixture(name)).expect("patches fixture");
    serde_json::from_slice(&bytes).expect("patches fixture parses")
}

/// Wire patches are served in list responses exactly as written (nulls,
/// undecodable values), on the record they name, and can be changed while
/// running; the stored data is untouched.
#[tokio::test]
async fn wire_patches_serve_records_as_written() {
    let sim = start(SimConfig {
        wire_patches: wire_patches("fixtures/tiny-nulls.patches.json"),
        ..config(tiny())
    })
    .await;
    let (status, _, body) = get(&format!("{}/articles", sim.api_url()), READ_KEY).await;
    assert_eq!(status, 200);
    let a = &body["articles"];
    assert_eq!(a[0]["views"], Value::Null);
    assert_eq!(a[0]["created_at"], Value::Null);
    assert_eq!(
        a[0]["title"]["en"], "Create your account",
        "other fields kept"
    );
    assert_eq!(
        a[1]["title"],
        json!({"en": "Download an invoice", "de": null})
    );
    assert_eq!(a[3]["content"], Value::Null);
    assert_eq!(a[4]["title"], 42);
    assert_eq!(a[5]["title"]["en"], "Beta invite", "unpatched");
    let (_, _, cats) = get(&format!("{}/categories", sim.api_url()), READ_KEY).await;
    assert_eq!(cats["categories"][0]["description"], Value::Null);
    assert_eq!(sim.data(), tiny(), "the store is untouched");

    sim.set_wire_patches(Default::default());
    let (_, _, body) = get(&format!("{}/articles", sim.api_url()), READ_KEY).await;
    assert_eq!(body["articles"][0]["views"], 120);
}

/// `shifted_pages`: each page after the first starts with the previous
/// page's last item and counts one more, so walking to `total_pages` sees
/// every item, and page 1's last id twice.
#[tokio::test]
async fn shifted_pages_repeat_page_ones_last_id() {
    let sim = start(config(tiny())).await;
    sim.set_faults(Faults {
        shifted_pages: true,
        ..Faults::default()
    });
    let mut ids = Vec::new();
    let mut page = 1;
    loop {
        let url = format!("{}/articles?limit=2&page={page}", sim.api_url());
        let (status, _, body) = get(&url, READ_KEY).await;
        assert_eq!(status, 200);
        ids.extend(
            body["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_i64().unwrap()),
        );
        let expected_count = if page == 1 { 6 } else { 7 };
        assert_eq!(body["meta"]["items_count"], expected_count, "page {page}");
        if page >= body["meta"]["total_pages"].as_u64().unwrap() {
            break;
        }
        page += 1;
    }
    assert_eq!(ids, [1, 2, 2, 3, 4, 5, 6]);
    let (_, _, cats) = get(
        &format!("{}/categories?limit=2&page=2", sim.api_url()),
        READ_KEY,
    )
    .await;
    let cat_ids: Vec<i64> = cats["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(cat_ids, [2, 3], "categories shift too");
}
