//! `hcs build-static` against hc-sim: what the folder holds, that nothing
//! non-public is in it, that every pack answers like an index built from
//! the snapshot, and that a failed or refused build leaves the previous
//! output serving.

mod common;

use std::path::Path;

use common::*;
use hc_cli::api::ApiArgs;
use hc_cli::static_site::{build_with, BuildStaticArgs};
use hc_core::static_site::PacksIndex;
use hc_core::{LangCode, Snapshot};
use hc_engine::{Engine, IndexContainer, SearchOptions};
use hc_sim::SimConfig;

fn tiny() -> hc_core::HelpCenterData {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sim/tests/fixtures/tiny.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

async fn sim_serving(data: hc_core::HelpCenterData) -> hc_sim::SimHandle {
    let config = SimConfig {
        read_keys: vec![READ_KEY.into()],
        ..SimConfig::new(data)
    };
    hc_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn fake_assets(dir: &Path) -> std::path::PathBuf {
    let assets = dir.join("dist");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(assets.join("hc-search.js"), "export {};").unwrap();
    std::fs::write(assets.join("hc_worker.0123456789.wasm"), b"\0asm").unwrap();
    assets
}

fn args(sim: &hc_sim::SimHandle, out: &Path, assets: &Path) -> BuildStaticArgs {
    BuildStaticArgs {
        api: ApiArgs {
            api: sim.api_url(),
            rate_limit: 0,
        },
        out: out.to_path_buf(),
        assets: Some(assets.to_path_buf()),
        public_url: Some("https://help.example.com".into()),
        language: Vec::new(),
        default_language: None,
        synonyms: Vec::new(),
        suggestions: None,
    }
}

#[tokio::test]
async fn writes_assets_snapshot_and_a_working_pack_per_language() {
    let sim = sim_serving(tiny()).await;
    let dir = tmp();
    let assets = fake_assets(dir.path());
    let out = dir.path().join("site/static/hc-search");
    let built = build_with(&client(&sim, READ_KEY), &args(&sim, &out, &assets))
        .await
        .unwrap();

    assert!(out.join("hc-search.js").is_file());
    assert!(out.join("hc_worker.0123456789.wasm").is_file());
    let index: PacksIndex =
        serde_json::from_slice(&std::fs::read(out.join("packs.json")).unwrap()).unwrap();
    assert_eq!(index.engine, hc_engine::engine_id());
    let langs: Vec<&str> = index.packs.keys().map(LangCode::as_str).collect();
    assert_eq!(langs, ["de", "en", "ja"]);
    assert_eq!(built.packs.len(), 3);

    let snapshot_text = std::fs::read_to_string(out.join(&index.snapshot)).unwrap();
    assert!(!snapshot_text.contains("share_token"));
    let snapshot: Snapshot = serde_json::from_str(&snapshot_text).unwrap();
    let mut ids: Vec<i64> = snapshot.articles.iter().map(|a| a.id).collect();
    ids.sort();
    assert_eq!(ids, [1, 2, 3], "only published, public articles");

    for (lang, file) in &index.packs {
        let bytes = std::fs::read(out.join(file)).unwrap();
        let IndexContainer { engine, reader } = IndexContainer::from_bytes(&bytes).unwrap();
        assert_eq!(engine.lang(), lang.as_str());
        // The pieces of its texts, the chunks of its postings and their
        // bundle are written beside the pack.
        let n = attach_all(&engine, &out.join(file));
        assert!(n > engine.text_pieces() && engine.chunks_bundle() == Some(n - 1));
        let fresh = Engine::from_snapshot(&snapshot, lang.as_str()).unwrap();
        assert_eq!(engine.len(), fresh.len(), "{lang}");
        for doc in reader.docs.iter() {
            let opts = SearchOptions::default();
            let hits = engine.search(doc.title, &opts);
            assert_eq!(hits, fresh.search(doc.title, &opts));
            assert!(
                hits.hits.iter().any(|h| h.id == doc.id),
                "{lang}: {}",
                doc.title
            );
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("hc-search")]);
}

#[tokio::test]
async fn synonyms_and_page_rules_reach_the_snapshot_and_each_language_pack() {
    let sim = sim_serving(tiny()).await;
    let dir = tmp();
    let assets = fake_assets(dir.path());
    let csv = dir.path().join("synonyms.en.csv");
    std::fs::write(&csv, "invoice, bill, receipt\n").unwrap();
    let json = dir.path().join("synonyms.json");
    std::fs::write(&json, r#"{"de": [["Konto", "Zugang"]]}"#).unwrap();
    let out = dir.path().join("out");
    let rules = dir.path().join("suggestions.json");
    std::fs::write(&rules, r#"{"rules": [{"path": "/billing/*", "ids": [2]}]}"#).unwrap();
    let mut a = args(&sim, &out, &assets);
    a.synonyms = vec![format!("en={}", csv.display()), json.display().to_string()];
    a.suggestions = Some(rules);
    build_with(&client(&sim, READ_KEY), &a).await.unwrap();
    let index: PacksIndex =
        serde_json::from_slice(&std::fs::read(out.join("packs.json")).unwrap()).unwrap();
    let snapshot: Snapshot =
        serde_json::from_slice(&std::fs::read(out.join(&index.snapshot)).unwrap()).unwrap();
    assert_eq!(snapshot.synonyms.len(), 2);
    let open = |lang: &str| {
        let file = &index.packs[&LangCode::parse(lang).unwrap()];
        let engine = IndexContainer::from_bytes(&std::fs::read(out.join(file)).unwrap())
            .unwrap()
            .engine;
        attach_all(&engine, &out.join(file));
        engine
    };
    let ids = |e: &Engine, q: &str| -> Vec<i64> {
        e.search(q, &SearchOptions::default())
            .hits
            .iter()
            .map(|h| h.id)
            .collect()
    };
    assert_eq!(ids(&open("en"), "receipt "), [2]);
    assert_eq!(ids(&open("de"), "Zugang "), [1]);
    assert!(open("ja").synonym_groups().is_empty());
    for lang in ["en", "de", "ja"] {
        assert_eq!(open(lang).page_rules(), snapshot.page_rules.as_slice());
    }
    assert_eq!(snapshot.page_rules[0].ids, [2]);

    // A mistake in a file stops the build with where it is.
    std::fs::write(&csv, "invoice\n").unwrap();
    let err = build_with(&client(&sim, READ_KEY), &a).await.unwrap_err();
    assert!(format!("{err:#}").contains("group 1"), "{err:#}");
}

#[tokio::test]
async fn a_rebuild_replaces_the_output_and_a_failed_one_keeps_it() {
    let sim = sim_serving(tiny()).await;
    let dir = tmp();
    let assets = fake_assets(dir.path());
    let out = dir.path().join("hc-search");
    let args = args(&sim, &out, &assets);
    build_with(&client(&sim, READ_KEY), &args).await.unwrap();
    std::fs::write(out.join("stale.hcpack"), b"old").unwrap();
    build_with(&client(&sim, READ_KEY), &args).await.unwrap();
    assert!(!out.join("stale.hcpack").exists(), "replaced whole");

    let before = std::fs::read(out.join("packs.json")).unwrap();
    let err = build_with(&client(&sim, "x".repeat(64).as_str()), &args)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("401"), "{err:#}");
    assert_eq!(std::fs::read(out.join("packs.json")).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no staging left"
    );
}

/// The files a rebuild replaces (packs, their pieces, the hashed widget
/// files) stay one more build, for pages loaded before the swap; older
/// ones go.
#[tokio::test]
async fn a_rebuild_keeps_the_files_it_replaces_for_one_more_build() {
    let dir = tmp();
    let assets = fake_assets(dir.path());
    let out = dir.path().join("hc-search");
    let mut generations: Vec<Vec<String>> = Vec::new();
    for edit in 0..3 {
        // Each build sees other content and other widget files, so other
        // pack, piece and asset names.
        std::fs::write(assets.join(format!("hc_widget.{edit}.wasm")), b"\0asm").unwrap();
        if edit > 0 {
            std::fs::remove_file(assets.join(format!("hc_widget.{}.wasm", edit - 1))).unwrap();
        }
        let mut data = serde_json::to_value(tiny()).unwrap();
        let content = &mut data["articles"][0]["content"]["en"];
        *content = format!("{} Edition {edit}.", content.as_str().unwrap()).into();
        let sim = sim_serving(serde_json::from_value(data).unwrap()).await;
        let built = build_with(&client(&sim, READ_KEY), &args(&sim, &out, &assets))
            .await
            .unwrap();
        let index: PacksIndex =
            serde_json::from_slice(&std::fs::read(out.join("packs.json")).unwrap()).unwrap();
        let en = &index.packs[&LangCode::parse("en").unwrap()];
        let bytes = std::fs::read(out.join(en)).unwrap();
        let engine = IndexContainer::from_bytes(&bytes).unwrap().engine;
        let mut files = vec![en.clone(), format!("hc_widget.{edit}.wasm")];
        files.extend((0..).map_while(|n| engine.piece_file(n)));
        assert!(files.len() > 1, "pieces");
        assert_eq!(built.kept > 0, edit > 0, "build {edit} kept {}", built.kept);
        generations.push(files);
    }
    let present = |f: &String| out.join(f).is_file();
    assert!(generations[2].iter().all(present), "the new build");
    assert!(generations[1].iter().all(present), "the one it replaced");
    // Files are named by their content: one the newer builds wrote again
    // (content an edit left as it was) is theirs too.
    let gone: Vec<&String> = generations[0]
        .iter()
        .filter(|f| !generations[1].contains(f) && !generations[2].contains(f))
        .collect();
    assert!(gone.len() > 2, "{gone:?}");
    assert!(!gone.into_iter().any(present), "the one before that");
}

#[tokio::test]
async fn refuses_to_replace_a_folder_it_did_not_write() {
    let sim = sim_serving(tiny()).await;
    let dir = tmp();
    let assets = fake_assets(dir.path());
    let out = dir.path().join("content");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("index.md"), "# my docs").unwrap();
    let err = build_with(&client(&sim, READ_KEY), &args(&sim, &out, &assets))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("refusing"), "{err}");
    assert!(out.join("index.md").is_file());

    let missing = dir.path().join("nothing-here");
    let err = build_with(&client(&sim, READ_KEY), &args(&sim, &out, &missing))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cargo xtask build-web"), "{err}");
}

/// A null where the reference shows a number, a string or a translation,
/// and one record no one can read (hc-sim's wire patches), do not abort
/// the build: every published public article is in the snapshot and packs.
#[tokio::test]
async fn nulls_and_an_unreadable_record_do_not_abort_the_build() {
    let patches =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../sim/tests/fixtures/tiny-nulls.patches.json");
    let config = SimConfig {
        read_keys: vec![READ_KEY.into()],
        wire_patches: serde_json::from_slice(&std::fs::read(patches).unwrap()).unwrap(),
        ..SimConfig::new(tiny())
    };
    let sim = hc_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let dir = tmp();
    let assets = fake_assets(dir.path());
    let out = dir.path().join("hc-search");
    build_with(&client(&sim, READ_KEY), &args(&sim, &out, &assets))
        .await
        .unwrap();
    let index: PacksIndex =
        serde_json::from_slice(&std::fs::read(out.join("packs.json")).unwrap()).unwrap();
    let snapshot: Snapshot =
        serde_json::from_slice(&std::fs::read(out.join(&index.snapshot)).unwrap()).unwrap();
    let ids: Vec<i64> = snapshot.articles.iter().map(|a| a.id).collect();
    assert_eq!(ids, [1, 2, 3]);
    let langs: Vec<&str> = index.packs.keys().map(LangCode::as_str).collect();
    assert_eq!(
        langs,
        ["de", "en"],
        "a pack per language with content: the only Japanese content was null"
    );
}

/// Attaches every piece written beside the pack at `pack` (its texts'
/// and its postings' chunks); returns how many.
fn attach_all(engine: &Engine, pack: &std::path::Path) -> u32 {
    let dir = pack.parent().unwrap();
    let mut n = 0;
    while let Some(piece) = engine.piece_file(n) {
        engine
            .attach_piece(n, &std::fs::read(dir.join(piece)).unwrap())
            .unwrap();
        n += 1;
    }
    n
}
