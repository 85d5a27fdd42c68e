//! The size of the Debian Reference's English pack as `hcs build-static`
//! writes it (the snapshot made with hc-proxy's `Prepared` and
//! `Sanitizer`, as `build_static` makes it). Run by hand:
//! `cargo test -p hc-cli --test pack_size -- --ignored --nocapture`
//! (the figure is in crates/engine/README.md, "Index container").

mod common;

use hc_core::LangCode;
use hc_proxy::prepared::{LanguageConfig, Prepared};
use hc_proxy::sanitize::Sanitizer;

#[test]
#[ignore = "a measurement, run by hand"]
fn debian_english_pack_size() {
    let data = common::debian().clone();
    let prepared = Prepared::build(
        data.articles,
        data.categories,
        &Sanitizer::new(None),
        &LanguageConfig::default(),
    );
    let snapshot = prepared.snapshot_value();
    let en = LangCode::parse("en").unwrap();
    let bytes = hc_proxy::packs::pack(&snapshot, &en).unwrap();
    let path = std::env::temp_dir().join("hc-debian-en.hcpack");
    std::fs::write(&path, &bytes).unwrap();
    println!(
        "debian en pack: {} bytes, written to {}",
        bytes.len(),
        path.display()
    );
}
