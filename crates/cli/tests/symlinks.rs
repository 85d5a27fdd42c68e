//! Symbolic links in a Markdown folder (`hcs import` and `hcs sync`, against
//! hc-sim in-process): a link that leads out of the folder would publish
//! whatever it points at, so the run is refused before any request, naming
//! the file; a link to a file inside the folder is read like that file.

#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::*;

fn note(path: &Path, title: &str, body: &str) {
    std::fs::write(path, format!("---\ntitle: {title}\n---\n{body}\n")).unwrap();
}

/// `root/notes` with two good notes, and `root/outside/secret.md` (valid
/// front matter, so that only the link check can keep it out).
fn folder_with_an_outside_target() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let root = tmp();
    let notes = root.path().join("notes");
    let outside = root.path().join("outside");
    std::fs::create_dir_all(notes.join("sub")).unwrap();
    std::fs::create_dir(&outside).unwrap();
    note(&notes.join("1.0.md"), "Release 1.0", "* first");
    note(&notes.join("sub/1.1.md"), "Release 1.1", "* second");
    let secret = outside.join("secret.md");
    note(
        &secret,
        "Private key",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
    );
    (root, notes, secret)
}

fn assert_refused(err: &anyhow::Error, file: &str) {
    let msg = format!("{err:#}");
    assert!(msg.contains(file), "names the file: {msg}");
    assert!(msg.contains("outside"), "says why: {msg}");
}

#[tokio::test]
async fn import_refuses_a_link_out_of_the_folder_and_sends_nothing() {
    let sim = sim().await;
    let (_root, notes, secret) = folder_with_an_outside_target();
    // An absolute link, and a relative one climbing out from a subfolder.
    symlink(&secret, notes.join("leak.md")).unwrap();
    symlink("../../outside/secret.md", notes.join("sub/leak2.markdown")).unwrap();
    let c = client(&sim, WRITE_KEY);
    let args = hc_cli::write::import::ImportArgs::from_words(words(&sim, &notes, &[])).unwrap();
    let err = hc_cli::write::import::run_with_client(&c, &args, true)
        .await
        .expect_err("the run is refused");
    assert_refused(&err, "leak.md");
    assert_refused(&err, "leak2.markdown");
    assert!(
        sim.calls().is_empty(),
        "no request at all: {:?}",
        sim.calls()
    );
    assert_eq!(sim.call_count("POST", "/v1/articles"), 0);
    assert!(in_category(&sim, CATEGORY).is_empty());
    assert!(
        !notes.join(".hcs-import-state.json").exists(),
        "no state file either"
    );
}

#[tokio::test]
async fn sync_refuses_a_link_out_of_the_folder_and_sends_nothing() {
    let sim = sim().await;
    let (_root, notes, _secret) = folder_with_an_outside_target();
    symlink("../outside/secret.md", notes.join("notes.md")).unwrap();
    let c = client(&sim, WRITE_KEY);
    let args = hc_cli::write::sync::SyncArgs::from_words(words(&sim, &notes, &[])).unwrap();
    let err = hc_cli::write::sync::run_with_client(&c, &args, true)
        .await
        .expect_err("the run is refused");
    assert_refused(&err, "notes.md");
    assert!(
        sim.calls().is_empty(),
        "no request at all: {:?}",
        sim.calls()
    );
    assert!(in_category(&sim, CATEGORY).is_empty());
}

#[tokio::test]
async fn a_link_to_a_folder_outside_is_not_followed() {
    let sim = sim().await;
    let (root, notes, _secret) = folder_with_an_outside_target();
    symlink(root.path().join("outside"), notes.join("more")).unwrap();
    let c = client(&sim, WRITE_KEY);
    let args = hc_cli::write::sync::SyncArgs::from_words(words(&sim, &notes, &[])).unwrap();
    let s = hc_cli::write::sync::run_with_client(&c, &args, true)
        .await
        .unwrap();
    assert_eq!(s.created.len(), 2);
    let titles: Vec<String> = in_category(&sim, CATEGORY)
        .iter()
        .map(|a| a.title.get_str("en").unwrap().clone())
        .collect();
    assert!(!titles.iter().any(|t| t == "Private key"), "{titles:?}");
    assert_eq!(sim.call_count("POST", "/v1/articles"), 2);
}

#[tokio::test]
async fn a_link_inside_the_folder_is_read_like_its_target() {
    let sim = sim().await;
    let (_root, notes, _secret) = folder_with_an_outside_target();
    // `latest.md` → `sub/1.1.md`, and a link through the folder's own path.
    symlink("sub/1.1.md", notes.join("latest.md")).unwrap();
    symlink(notes.join("1.0.md"), notes.join("sub/first.md")).unwrap();
    let c = client(&sim, WRITE_KEY);
    let args = hc_cli::write::import::ImportArgs::from_words(words(&sim, &notes, &[])).unwrap();
    let s = hc_cli::write::import::run_with_client(&c, &args, true)
        .await
        .unwrap();
    assert!(s.failed.is_empty(), "{:?}", s.failed);
    assert_eq!(s.created.len(), 4);
    assert_eq!(sim.call_count("POST", "/v1/articles"), 4);
}
