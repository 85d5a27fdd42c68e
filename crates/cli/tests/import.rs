//! `hcs import` against hc-sim over real HTTP, in-process.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use hc_cli::write::import::{run_with_client, ImportArgs};
use hc_cli::write::Fatal;
use hc_client::{ApiKey, Client, UpstreamLimiter};
use hc_core::wire::UpdateArticle;
use hc_sim::Faults;

#[tokio::test]
async fn imports_300_rows_then_a_rerun_writes_nothing() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    write_csv(&csv, &corpus_rows(300, &["en"]));
    let c = client(&sim, WRITE_KEY);
    let args = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();

    let first = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(first.created.len(), 300);
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    assert_eq!(sim.call_count("POST", "/v1/articles"), 300);
    assert_eq!(writes(&sim), 300);
    let upstream = in_category(&sim, CATEGORY);
    assert_eq!(upstream.len(), 300);
    assert!(upstream.iter().all(|a| !a.published), "drafts by default");

    sim.reset_calls();
    let second = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(second.unchanged, 300);
    assert!(second.created.is_empty() && second.updated.is_empty() && second.failed.is_empty());
    assert_eq!(writes(&sim), 0, "a rerun sends no write");
    assert!(sim.calls().is_empty(), "nor any request at all");
    // Asked to report drift: one paged walk of the category (3 pages).
    let check = ImportArgs::from_words(words(&sim, &csv, &["--check-drift"])).unwrap();
    let third = run_with_client(&c, &check, true).await.unwrap();
    assert_eq!((third.unchanged, third.drift.len()), (300, 0));
    assert_eq!(sim.call_count("GET", "/v1/articles"), 3);
    assert_eq!(writes(&sim), 0);
    assert_eq!(in_category(&sim, CATEGORY).len(), 300);
}

#[tokio::test]
async fn publish_on_a_rerun_patches_only_published() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    write_csv(&csv, &corpus_rows(10, &["en"]));
    let c = client(&sim, WRITE_KEY);
    let drafts = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();
    run_with_client(&c, &drafts, true).await.unwrap();
    assert!(in_category(&sim, CATEGORY).iter().all(|a| !a.published));

    sim.reset_calls();
    let publish = ImportArgs::from_words(words(&sim, &csv, &["--publish"])).unwrap();
    let s = run_with_client(&c, &publish, true).await.unwrap();
    assert_eq!(s.updated.len(), 10);
    assert!(
        s.updated.iter().all(|u| u.fields == ["published"]),
        "{:?}",
        s.updated
    );
    assert_eq!(sim.call_count("PATCH", "/v1/articles/{id}"), 10);
    assert_eq!(sim.call_count("POST", "/v1/articles"), 0);
    assert!(in_category(&sim, CATEGORY).iter().all(|a| a.published));

    sim.reset_calls();
    let again = run_with_client(&c, &publish, true).await.unwrap();
    assert_eq!(again.unchanged, 10);
    assert_eq!(writes(&sim), 0);
    // Without --publish a rerun does not unpublish anything.
    let s = run_with_client(&c, &drafts, true).await.unwrap();
    assert_eq!(s.unchanged, 10);
    assert_eq!(writes(&sim), 0);
}

#[tokio::test]
async fn languages_of_one_external_id_become_one_article_and_bad_items_do_not_stop_the_rest() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    let mut rows = corpus_rows(20, &["en", "de", "fr"]);
    assert_eq!(rows.len(), 60);
    // A language the site has not enabled, and an item without the site's
    // default language: the API refuses those two, the rest goes through.
    rows.push((
        "extra-ko".into(),
        "en".into(),
        "Hello".into(),
        "<p>x</p>".into(),
    ));
    rows.push((
        "extra-ko".into(),
        "ko".into(),
        "안녕".into(),
        "<p>x</p>".into(),
    ));
    rows.push((
        "only-de".into(),
        "de".into(),
        "Nur Deutsch".into(),
        "<p>x</p>".into(),
    ));
    write_csv(&csv, &rows);
    let c = client(&sim, WRITE_KEY);
    let args = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.created.len(), 20);
    assert_eq!(s.failed.len(), 2, "{:?}", s.failed);
    let ko = s
        .failed
        .iter()
        .find(|f| f.external_id == "extra-ko")
        .unwrap();
    assert!(ko.reason.contains("not enabled"), "{}", ko.reason);
    let upstream = in_category(&sim, CATEGORY);
    assert_eq!(upstream.len(), 20);
    for a in &upstream {
        let langs: Vec<&str> = a.title.languages().map(|l| l.as_str()).collect();
        assert_eq!(langs, ["de", "en", "fr"], "article {}", a.id);
        assert_eq!(a.content.len(), 3);
    }
    // The refused items hold no state: a rerun tries them again, and only them.
    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!((s.unchanged, s.failed.len()), (20, 2));
    assert_eq!(sim.call_count("POST", "/v1/articles"), 2);
}

#[tokio::test]
async fn changed_rows_patch_only_what_changed() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    let mut rows = corpus_rows(5, &["en", "de"]);
    write_csv(&csv, &rows);
    let c = client(&sim, WRITE_KEY);
    let args = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();
    run_with_client(&c, &args, true).await.unwrap();
    let target = rows.iter().position(|r| r.1 == "de").unwrap();
    rows[target].3 = "<p>Neuer Inhalt</p>".into();
    let id = rows[target].0.clone();
    write_csv(&csv, &rows);
    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.updated.len(), 1);
    assert_eq!(s.updated[0].external_id, id);
    assert_eq!(s.updated[0].fields, ["content.de"]);
    assert_eq!(s.unchanged, 4);
    assert_eq!(writes(&sim), 1);
    let a = sim
        .data()
        .articles
        .into_iter()
        .find(|a| Some(a.id) == s.updated[0].article_id)
        .unwrap();
    assert_eq!(a.content.get_str("de").unwrap(), "<p>Neuer Inhalt</p>");
}

#[tokio::test]
async fn dry_run_sends_no_write_and_keeps_no_state() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    write_csv(&csv, &corpus_rows(12, &["en"]));
    let c = client(&sim, WRITE_KEY);
    let args = ImportArgs::from_words(words(&sim, &csv, &["--dry-run"])).unwrap();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert!(s.dry_run);
    assert_eq!(s.created.len(), 12);
    assert_eq!(writes(&sim), 0);
    assert!(!args.state_path().exists());
    assert!(s.table("import").contains("to be created"));
}

#[tokio::test]
async fn a_read_only_key_is_explained_in_one_line() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    write_csv(&csv, &corpus_rows(3, &["en"]));
    let c = client(&sim, READ_KEY);
    let args = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();
    let err = run_with_client(&c, &args, true).await.unwrap_err();
    let fatal = err.downcast_ref::<Fatal>().expect("a fatal error");
    assert!(matches!(fatal, Fatal::ReadOnlyKey(_)), "{fatal:?}");
    let msg = err.to_string();
    assert!(!msg.contains('\n'), "{msg}");
    assert!(
        msg.contains("Read Only") && msg.contains("creating articles"),
        "{msg}"
    );
    assert_eq!(
        sim.call_count("POST", "/v1/articles"),
        1,
        "stops at the first 403"
    );
    // The refused item's intent was withdrawn: nothing is pending.
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(args.state_path()).unwrap()).unwrap();
    assert_eq!(state["items"], serde_json::json!({}));
}

#[tokio::test]
async fn a_corrupt_state_file_stops_the_run_before_any_request() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    write_csv(&csv, &corpus_rows(3, &["en"]));
    let c = client(&sim, WRITE_KEY);
    let args = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();
    std::fs::write(args.state_path(), b"{\"version\": 1, \"items\": {\"x\"").unwrap();
    let err = run_with_client(&c, &args, true)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Refusing to run") && err.contains("--adopt-existing"),
        "{err}"
    );
    assert!(sim.calls().is_empty());
    // The documented recovery: move it away, adopt what is upstream.
    let ok = ImportArgs::from_words(words(
        &sim,
        &csv,
        &["--state", dir.path().join("s2.json").to_str().unwrap()],
    ))
    .unwrap();
    run_with_client(&c, &ok, true).await.unwrap();
    std::fs::remove_file(dir.path().join("s2.json")).unwrap();
    sim.reset_calls();
    let adopt = ImportArgs::from_words(words(
        &sim,
        &csv,
        &[
            "--state",
            dir.path().join("s3.json").to_str().unwrap(),
            "--adopt-existing",
        ],
    ))
    .unwrap();
    let s = run_with_client(&c, &adopt, true).await.unwrap();
    assert_eq!((s.linked.len(), s.created.len()), (3, 0));
    assert_eq!(writes(&sim), 0);
    assert_eq!(in_category(&sim, CATEGORY).len(), 3);
}

#[tokio::test]
async fn drift_is_reported_not_overwritten() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    let mut rows = corpus_rows(4, &["en"]);
    write_csv(&csv, &rows);
    let c = client(&sim, WRITE_KEY);
    let args = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();
    let s = run_with_client(&c, &args, true).await.unwrap();
    let edited = s.created[0].article_id.unwrap();
    let moved = s.created[1].article_id.unwrap();
    // Someone edits one article in the dashboard and moves another away.
    // (The simulator's clock has one-second steps.)
    tokio::time::sleep(Duration::from_millis(1100)).await;
    c.update_article(
        edited,
        &UpdateArticle {
            title: Some(hc_core::tr!("en" => "Edited by hand")),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    c.update_article(
        moved,
        &UpdateArticle {
            category_id: Some(3),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Our source changes the edited one too.
    rows[0].3 = "<p>new source text</p>".into();
    write_csv(&csv, &rows);
    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(writes(&sim), 0, "nothing overwritten: {:?}", s);
    assert_eq!(s.drift.len(), 2, "{:?}", s.drift);
    assert_eq!(s.failed.len(), 2);
    assert!(s
        .failed
        .iter()
        .any(|f| f.reason.contains("edited upstream")));
    assert!(s
        .failed
        .iter()
        .any(|f| f.reason.contains("deleted or moved")));
    assert_eq!(s.unchanged, 2);
    // --force overwrites the edited one (only the changed field).
    let force = ImportArgs::from_words(words(&sim, &csv, &["--force"])).unwrap();
    let s = run_with_client(&c, &force, true).await.unwrap();
    // The edited title is restored along with the changed content.
    assert_eq!(s.updated.len(), 1);
    assert_eq!(s.updated[0].fields, ["content.en", "title.en"]);
    // Drift settled: the next run is quiet (the moved one is still reported).
    sim.reset_calls();
    let check = ImportArgs::from_words(words(&sim, &csv, &["--check-drift"])).unwrap();
    let s = run_with_client(&c, &check, true).await.unwrap();
    assert_eq!((s.drift.len(), s.unchanged), (1, 3));
    assert_eq!(writes(&sim), 0);
}

/// 429 storms (injected, and the simulator's own limit) and 500s: the job
/// finishes, exactly the source set exists, and no window of the limit ever
/// saw more requests than the limit.
#[tokio::test]
async fn storms_of_429_and_500_finish_within_the_limit() {
    const LIMIT: u32 = 20;
    let window = Duration::from_secs(2);
    let sim = sim_with(LIMIT, window).await;
    sim.set_faults(Faults {
        rate_limit_rate: 0.15,
        error_rate: 0.08,
        retry_after_secs: 1,
        seed: 7,
        ..Default::default()
    });
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    write_csv(&csv, &corpus_rows(40, &["en"]));
    let sent: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let log = sent.clone();
    let c = Client::new(&sim.api_url(), ApiKey::new(WRITE_KEY).unwrap())
        .unwrap()
        .with_retry(fast_policy())
        .with_limiter(Some(UpstreamLimiter::new(LIMIT, window)))
        .with_observer(move |e| log.lock().unwrap().push(Instant::now() - e.elapsed));
    let args = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();
    let mut runs = 0;
    loop {
        runs += 1;
        let s = run_with_client(&c, &args, true).await.unwrap();
        if s.failed.is_empty() {
            break;
        }
        assert!(runs < 4, "still failing after {runs} runs: {:?}", s.failed);
    }
    let upstream = in_category(&sim, CATEGORY);
    assert_eq!(upstream.len(), 40, "no duplicates, nothing missing");
    let titles: BTreeSet<String> = upstream
        .iter()
        .map(|a| a.title.get_str("en").unwrap().clone())
        .collect();
    assert_eq!(titles.len(), 40);
    let refused: u64 = sim
        .calls()
        .iter()
        .filter(|c| c.status == 429)
        .map(|c| c.count)
        .sum();
    assert!(refused > 0, "the storm happened");
    let mut times = sent.lock().unwrap().clone();
    times.sort();
    let busiest = (0..times.len())
        .map(|i| {
            times[i..]
                .iter()
                .take_while(|t| **t - times[i] < window)
                .count()
        })
        .max()
        .unwrap_or(0);
    assert!(busiest as u32 <= LIMIT, "{busiest} requests in one window");
    eprintln!(
        "runs {runs}, requests {}, 429s {refused}, busiest window {busiest}",
        times.len()
    );
}

/// The gap a state file alone cannot close: the API applied a POST but the
/// process died before the article id was stored. The intent written before
/// the POST makes the next run look the article up instead of creating a
/// second one.
#[tokio::test]
async fn a_create_applied_but_not_recorded_is_found_not_repeated() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    let rows = corpus_rows(5, &["en"]);
    write_csv(&csv, &rows);
    let c = client(&sim, WRITE_KEY);
    let args = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();
    // What a run killed right after its third POST leaves behind: two items
    // recorded, the third only as an intent, its article upstream.
    let items = args.load_items().unwrap();
    let mut recorded = serde_json::Map::new();
    for item in &items[..2] {
        let a = c.create_article(&item.create_request(false)).await.unwrap();
        recorded.insert(
            item.external_id.clone(),
            serde_json::json!({"article_id": a.id, "hash": item.content_hash(),
                "fields": item.field_hashes(), "published": false,
                "updated_at": a.updated_at, "category": CATEGORY}),
        );
    }
    c.create_article(&items[2].create_request(false))
        .await
        .unwrap();
    recorded.insert(
        items[2].external_id.clone(),
        serde_json::json!({"intent": {"hash": items[2].content_hash(), "category": CATEGORY, "at": 0}}),
    );
    let state =
        serde_json::json!({"version": 1, "api": sim.api_url(), "job": "import", "items": recorded});
    std::fs::write(args.state_path(), serde_json::to_vec(&state).unwrap()).unwrap();

    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!((s.unchanged, s.linked.len(), s.created.len()), (2, 1, 2));
    assert_eq!(sim.call_count("POST", "/v1/articles"), 2);
    assert_eq!(in_category(&sim, CATEGORY).len(), 5);
    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.unchanged, 5);
    assert_eq!(writes(&sim), 0);
}

/// An API that only answers 500: the run stops after a few items instead of
/// failing every one slowly, keeps the intents, and a rerun once the API is
/// back finishes the job without duplicates. (With a state file, the
/// first request is the category walk, and a failing walk stops the run
/// before any write.)
#[tokio::test]
async fn an_unavailable_api_stops_the_run_and_a_rerun_resumes() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    write_csv(&csv, &corpus_rows(20, &["en"]));
    let c = client(&sim, WRITE_KEY);
    let args = ImportArgs::from_words(words(&sim, &csv, &[])).unwrap();
    sim.set_faults(Faults {
        error_rate: 1.0,
        ..Default::default()
    });
    let s = run_with_client(&c, &args, true).await.unwrap();
    let stopped = s.stopped.clone().expect("stopped early");
    assert!(stopped.contains("15 items not attempted"), "{stopped}");
    assert_eq!(s.failed.len(), hc_cli::write::MAX_TRANSIENT_STREAK as usize);
    assert_eq!(
        hc_cli::write::import::exit_code(&s),
        std::process::ExitCode::from(2)
    );
    sim.set_faults(Faults::default());
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.created.len(), 20);
    assert!(s.stopped.is_none() && s.failed.is_empty());
    assert_eq!(in_category(&sim, CATEGORY).len(), 20);
}

#[tokio::test]
async fn a_markdown_folder_imports_with_front_matter() {
    let sim = sim().await;
    let dir = tmp();
    let docs = dir.path();
    std::fs::write(
        docs.join("reset.md"),
        "---\ntitle: Reset your password\nslug: reset-password\n---\nGo to **Settings**.\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("reset.fr.md"),
        "---\ntitle: Réinitialiser le mot de passe\nlang: fr\n---\nAllez dans **Réglages**.\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("billing.md"),
        "---\ntitle: Billing\ncategory: 3\nexternal_id: faq-billing\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    )
    .unwrap();
    let c = client(&sim, WRITE_KEY);
    let args = ImportArgs::from_words(words(&sim, docs, &["--publish"])).unwrap();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.created.len(), 2, "{s:?}");
    let data = sim.data();
    let reset = data
        .articles
        .iter()
        .find(|a| {
            a.title
                .get_str("en")
                .is_some_and(|t| t == "Reset your password")
        })
        .unwrap();
    assert!(reset.published);
    assert_eq!(reset.slug.get_str("en").unwrap(), "reset-password");
    assert_eq!(
        reset.content.get_str("fr").unwrap(),
        "<p>Allez dans <strong>Réglages</strong>.</p>\n"
    );
    assert_eq!(reset.category_ids(), [CATEGORY]);
    let billing = data
        .articles
        .iter()
        .find(|a| a.title.get_str("en").is_some_and(|t| t == "Billing"))
        .unwrap();
    assert_eq!(billing.category_ids(), [3]);
    assert!(billing.content.get_str("en").unwrap().contains("<table>"));
    // The state file sits in the folder as a dot-file, which the walk skips.
    assert!(docs.join(".hcs-import-state.json").exists());
    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.unchanged, 2);
    assert!(sim.calls().is_empty());
}
