//! Markdown front matter, case by case (`fixtures/front_matter.json`): each
//! case is one file in a folder of its own, read by the Markdown source,
//! and gives either the record's fields or an error containing a phrase.
//! The cases pin what the YAML parser accepts, so that a change of parser
//! cannot change what an import does.

use hc_cli::write::import::markdown_source::read_dir;
use hc_core::LangCode;
use serde_json::{json, Value};

#[test]
fn front_matter_cases() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/front_matter.json");
    let cases: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let en = LangCode::parse("en").unwrap();
    let mut failures = Vec::new();
    let mut actual_all = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("case.md"), case["file"].as_str().unwrap()).unwrap();
        let actual = match read_dir(dir.path(), &en, 3, false) {
            Ok(records) => {
                let r = &records[0];
                json!({
                    "external_id": r.external_id,
                    "title": r.translation.title,
                    "lang": r.lang.as_str(),
                    "category": r.category,
                    "slug": r.translation.slug,
                })
            }
            Err(e) => json!({ "error": format!("{e:#}") }),
        };
        let expect = &case["expect"];
        let ok = match (expect.get("error"), actual.get("error")) {
            (Some(want), Some(got)) => got.as_str().unwrap().contains(want.as_str().unwrap()),
            _ => *expect == actual,
        };
        if !ok {
            failures.push(format!("{name}: expected {expect}, got {actual}"));
        }
        let mut c = case.clone();
        c["expect"] = actual;
        actual_all.push(c);
    }
    if std::env::var_os("HC_RECORD").is_some() {
        std::fs::write(
            "/tmp/front_matter.actual.json",
            serde_json::to_string_pretty(&actual_all).unwrap(),
        )
        .unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
