//! The size of the Debian Reference's English pack as `hcs build-static`
//! writes it (the snapshot made by `hc_publish`, as every route makes it). Run by hand:
//! `cargo test -p hc-cli --test pack_size -- --ignored --nocapture`
//! (the figure is in crates/engine/README.md, "Index container").

mod common;

use hc_core::LangCode;
use hc_publish::{LanguageConfig, Sanitizer};

#[test]
#[ignore = "a measurement, run by hand"]
fn debian_english_pack_size() {
    let data = common::debian().clone();
    let snapshot = hc_publish::public_snapshot(
        data.articles,
        data.categories,
        &Sanitizer::new(None),
        &LanguageConfig::default(),
    );
    let en = LangCode::parse("en").unwrap();
    let files = hc_publish::pack(&snapshot, &en).unwrap();
    let path = std::env::temp_dir().join("hc-debian-en.hcpack");
    std::fs::write(&path, &files.pack).unwrap();
    let sizes: Vec<usize> = files.pieces.iter().map(|(_, b)| b.len()).collect();
    println!(
        "debian en pack: {} bytes, written to {}; texts: {} bytes in {} pieces (smallest {}, largest {})",
        files.pack.len(),
        path.display(),
        files.pieces_bytes(),
        sizes.len(),
        sizes.iter().min().unwrap_or(&0),
        sizes.iter().max().unwrap_or(&0),
    );
}
