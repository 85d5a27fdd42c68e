//! Property tests over arbitrary and damaged input for the import sources,
//! the CLI's decoders of files it did not write: a CSV export
//! (`csv_source::parse`) and one Markdown file
//! (`markdown_source::parse_file`). No input panics; a bad file is an error
//! with its name; rows written by a CSV writer read back as written. Case
//! counts are bounded so that this runs in seconds; `fuzz/` has the
//! libFuzzer targets for long runs.

use std::path::Path;

use hc_cli::write::import::csv_source::{self, ColumnMap};
use hc_cli::write::import::markdown_source;
use hc_core::LangCode;
use proptest::prelude::*;

const CSV: &str = "external_id,language,title,content,category,slug\n\
faq-1,en,Reset your password,\"<p>Open <b>Settings</b>, then \"\"Security\"\".</p>\",4,reset\n\
faq-1,de,Passwort zurücksetzen,<p>Einstellungen</p>,4,\n\
faq-2,,Billing,\"multi\nline\",,\n";

const MARKDOWN: &str = "---\ntitle: Reset your password\nlang: de\ncategory: 4\nslug: reset\nexternal_id: faq-1\n---\n# Heading\n\nSome *text* with a [link](https://example.com) and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n";

fn en() -> LangCode {
    LangCode::parse("en").unwrap()
}

/// `text` with a few bytes replaced, inserted or removed.
fn mutated(text: &'static str) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6).prop_map(move |edits| {
        let mut bytes = text.as_bytes().to_vec();
        for (at, byte, kind) in edits {
            let at = at % (bytes.len() + 1);
            match kind {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        bytes
    })
}

fn parse_csv(bytes: &[u8]) -> anyhow::Result<Vec<hc_cli::write::item::Record>> {
    csv_source::parse(bytes, "in.csv", &ColumnMap::default(), &en(), 1)
}

fn parse_md(bytes: &[u8]) -> anyhow::Result<hc_cli::write::item::Record> {
    markdown_source::parse_file(bytes, Path::new("notes/intro.de.md"), &en(), 1, false)
}

#[test]
fn the_seed_files_parse() {
    assert_eq!(parse_csv(CSV.as_bytes()).unwrap().len(), 3);
    let md = parse_md(MARKDOWN.as_bytes()).unwrap();
    assert_eq!(md.external_id, "faq-1");
    assert!(md.translation.content.contains("<table>"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn csv_from_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        check_csv(&bytes)?;
        let mut with_header = b"external_id,title,content\n".to_vec();
        with_header.extend_from_slice(&bytes);
        check_csv(&with_header)?;
    }

    #[test]
    fn damaged_csv(bytes in mutated(CSV)) {
        check_csv(&bytes)?;
    }

    /// Rows as a spreadsheet writes them (any text, quoted as needed) read
    /// back as written.
    #[test]
    fn csv_rows_round_trip(rows in proptest::collection::vec(
        ("[a-z0-9-]{1,8}", "[a-z]{2}(-[a-z]{2})?", "\\PC{0,16}", "\\PC{0,40}", 1i64..1000),
        1..5,
    )) {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["external_id", "language", "title", "content", "category"]).unwrap();
        let rows: Vec<_> = rows.into_iter().map(|(id, lang, title, content, cat)| {
            // Titles are trimmed and must not be empty: keep what the
            // parser keeps.
            let title = format!("T{}", title.trim());
            (id, lang, title, content, cat)
        }).collect();
        for (id, lang, title, content, cat) in &rows {
            w.write_record([id.as_str(), lang, title, content, &cat.to_string()]).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        let records = parse_csv(&bytes).map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
        prop_assert_eq!(records.len(), rows.len());
        for (r, (id, lang, title, content, cat)) in records.iter().zip(&rows) {
            prop_assert_eq!(&r.external_id, id);
            prop_assert_eq!(r.lang.as_str(), lang.as_str());
            prop_assert_eq!(&r.translation.title, title);
            prop_assert_eq!(&r.translation.content, content);
            prop_assert_eq!(r.category, *cat);
        }
    }

    #[test]
    fn markdown_from_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        check_md(&bytes)?;
        let mut fronted = b"---\ntitle: x\n".to_vec();
        fronted.extend_from_slice(&bytes);
        check_md(&fronted)?;
    }

    #[test]
    fn damaged_markdown(bytes in mutated(MARKDOWN)) {
        check_md(&bytes)?;
    }
}

/// What any parse must satisfy: an error names the file; records have a
/// non-empty id and title and a positive category.
fn check_csv(bytes: &[u8]) -> Result<(), TestCaseError> {
    match parse_csv(bytes) {
        Ok(records) => {
            for r in records {
                prop_assert!(!r.external_id.is_empty() && !r.translation.title.is_empty());
                prop_assert!(r.category > 0);
            }
        }
        Err(e) => prop_assert!(format!("{e:#}").contains("in.csv"), "{e:#}"),
    }
    Ok(())
}

fn check_md(bytes: &[u8]) -> Result<(), TestCaseError> {
    match parse_md(bytes) {
        Ok(r) => {
            prop_assert!(!r.external_id.is_empty() && !r.translation.title.is_empty());
            prop_assert!(r.category > 0);
        }
        Err(e) => prop_assert!(format!("{e:#}").contains("intro.de.md"), "{e:#}"),
    }
    Ok(())
}
