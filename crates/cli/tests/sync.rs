//! `hcs sync` against hc-sim over real HTTP, in-process.

mod common;

use std::path::Path;

use common::*;
use hc_cli::write::sync::{run_with_client, SyncArgs};

fn note(dir: &Path, name: &str, title: &str, body: &str) {
    std::fs::write(
        dir.join(name),
        format!("---\ntitle: {title}\n---\n{body}\n"),
    )
    .unwrap();
}

#[tokio::test]
async fn new_files_create_changed_files_patch_only_what_changed() {
    let sim = sim().await;
    let dir = tmp();
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    for v in 1..=5 {
        note(
            &notes,
            &format!("1.{v}.md"),
            &format!("Release 1.{v}"),
            &format!("* fixed bug {v}"),
        );
    }
    let c = client(&sim, WRITE_KEY);
    let args = SyncArgs::from_words(words(&sim, &notes, &[])).unwrap();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.created.len(), 5);
    let upstream = in_category(&sim, CATEGORY);
    assert_eq!(upstream.len(), 5);
    assert!(
        upstream.iter().all(|a| a.published),
        "release notes ship published"
    );
    assert!(upstream
        .iter()
        .any(|a| a.content.get_str("en").unwrap() == "<ul>\n<li>fixed bug 3</li>\n</ul>\n"));

    // Unchanged files cost no request at all.
    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.unchanged, 5);
    assert!(sim.calls().is_empty(), "{:?}", sim.calls());

    // Edit one file's body: one PATCH carrying only content.en.
    note(
        &notes,
        "1.3.md",
        "Release 1.3",
        "* fixed bug 3\n* and bug 33",
    );
    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.updated.len(), 1);
    assert_eq!(s.updated[0].external_id, "1.3");
    assert_eq!(s.updated[0].fields, ["content.en"]);
    assert_eq!(sim.call_count("PATCH", "/v1/articles/{id}"), 1);
    assert_eq!(writes(&sim), 1);
    let a = sim
        .data()
        .articles
        .into_iter()
        .find(|a| Some(a.id) == s.updated[0].article_id)
        .unwrap();
    assert!(a.content.get_str("en").unwrap().contains("bug 33"));
    assert_eq!(a.title.get_str("en").unwrap(), "Release 1.3");

    // A new file creates one; a removed file is reported, nothing deleted.
    note(&notes, "1.6.md", "Release 1.6", "new");
    std::fs::remove_file(notes.join("1.1.md")).unwrap();
    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!((s.created.len(), s.unchanged), (1, 4));
    assert_eq!(writes(&sim), 1);
    assert_eq!(s.gone_from_source.len(), 1);
    assert!(s.table("sync").contains("no longer in the source"));
    assert_eq!(in_category(&sim, CATEGORY).len(), 6);
}

#[tokio::test]
async fn translations_in_several_files_and_a_title_change() {
    let sim = sim().await;
    let dir = tmp();
    let notes = dir.path();
    note(notes, "2.0.md", "Release 2.0", "English");
    std::fs::write(
        notes.join("2.0.de.md"),
        "---\ntitle: Version 2.0\nlang: de\n---\nDeutsch\n",
    )
    .unwrap();
    let c = client(&sim, WRITE_KEY);
    let args = SyncArgs::from_words(words(&sim, notes, &[])).unwrap();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.created.len(), 1);
    std::fs::write(
        notes.join("2.0.de.md"),
        "---\ntitle: Neu in 2.0\nlang: de\n---\nDeutsch\n",
    )
    .unwrap();
    sim.reset_calls();
    let s = run_with_client(&c, &args, true).await.unwrap();
    assert_eq!(s.updated[0].fields, ["title.de"]);
    assert_eq!(writes(&sim), 1);
    let a = &in_category(&sim, CATEGORY)[0];
    assert_eq!(a.title.get_str("de").unwrap(), "Neu in 2.0");
    assert_eq!(a.title.get_str("en").unwrap(), "Release 2.0");
}

#[tokio::test]
async fn bad_folders_are_refused_before_any_request() {
    let sim = sim().await;
    let c = client(&sim, WRITE_KEY);
    let empty = tmp();
    let args = SyncArgs::from_words(words(&sim, empty.path(), &[])).unwrap();
    let err = run_with_client(&c, &args, true)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("no Markdown files"), "{err}");
    let untitled = tmp();
    std::fs::write(untitled.path().join("x.md"), "# Heading only\n").unwrap();
    note(untitled.path(), "ok.md", "Fine", "body");
    let args = SyncArgs::from_words(words(&sim, untitled.path(), &[])).unwrap();
    let err = format!("{:#}", run_with_client(&c, &args, true).await.unwrap_err());
    assert!(err.contains("x.md: no title"), "{err}");
    assert!(sim.calls().is_empty());
}
