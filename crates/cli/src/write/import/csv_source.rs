//! A CSV export as a source: a header row, one row per article and
//! language. Columns are found by header name (`external_id`, `language`,
//! `title`, `content`, optional `category`, `slug`), renamed by flags or a
//! mapping file. Content is taken as HTML, as the API stores it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};
use hc_core::LangCode;
use serde::Deserialize;

use crate::write::item::{Record, SourceTranslation};

/// Which header holds each field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ColumnMap {
    pub external_id: String,
    pub language: String,
    pub title: String,
    pub content: String,
    pub category: String,
    pub slug: String,
}

impl Default for ColumnMap {
    fn default() -> Self {
        ColumnMap {
            external_id: "external_id".into(),
            language: "language".into(),
            title: "title".into(),
            content: "content".into(),
            category: "category".into(),
            slug: "slug".into(),
        }
    }
}

impl ColumnMap {
    /// A mapping file: YAML (or JSON) with any of the six keys, e.g.
    /// `external_id: "FAQ ID"` / `title: Question` / `content: Answer`.
    pub(crate) fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the mapping file {}", path.display()))?;
        super::parse_yaml(&text).with_context(|| {
            format!(
                "{}: not a column mapping (expected keys among external_id, language, title, \
                 content, category, slug, each naming a CSV header)",
                path.display()
            )
        })
    }
}

/// Reads every row of `path` as a [`Record`]. Rows without a language take
/// `default_lang`; rows without a category take `default_category`.
pub fn read(
    path: &Path,
    columns: &ColumnMap,
    default_lang: &LangCode,
    default_category: i64,
) -> anyhow::Result<Vec<Record>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(
        &bytes,
        &path.display().to_string(),
        columns,
        default_lang,
        default_category,
    )
}

pub fn parse(
    bytes: &[u8],
    name: &str,
    columns: &ColumnMap,
    default_lang: &LangCode,
    default_category: i64,
) -> anyhow::Result<Vec<Record>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        bail!("{name}: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8 and try again");
    }
    // A UTF-8 byte order mark (Excel writes one) is not part of the first header.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        bail!(
            "{name}: line {line} is not valid UTF-8 (byte 0x{:02X} at offset {at}); the file is probably \
             in another encoding such as Windows-1252 or Latin-1: re-save it as UTF-8 (e.g. \
             `iconv -f WINDOWS-1252 -t UTF-8`) and try again",
            bytes[at]
        );
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        bail!("{name}: the file is empty (expected a header row and at least one row)");
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .with_context(|| format!("{name}: cannot read the header row"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let find = |want: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(want));
    let mut missing = Vec::new();
    let mut required = |field: &str, header: &str| match find(header) {
        Some(i) => i,
        None => {
            missing.push(format!("'{header}' (for {field})"));
            0
        }
    };
    let c_id = required("external_id", &columns.external_id);
    let c_title = required("title", &columns.title);
    let c_content = required("content", &columns.content);
    if !missing.is_empty() {
        bail!(
            "{name}: missing column {}; the header row has: {}. Map other names with \
             --col-external-id/--col-title/--col-content/... or --mapping FILE",
            missing.join(", "),
            headers
                .iter()
                .map(|h| format!("'{h}'"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let c_lang = find(&columns.language);
    let c_category = find(&columns.category);
    let c_slug = find(&columns.slug);

    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut seen_rows = 0usize;
    for (i, row) in reader.records().enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("{name}: {e}"));
                break;
            }
        };
        seen_rows += 1;
        let line = row.position().map(|p| p.line()).unwrap_or(i as u64 + 2);
        let origin = format!("{name} line {line}");
        let cell = |c: usize| row.get(c).unwrap_or("").to_string();
        let opt = |c: Option<usize>| {
            c.map(|c| row.get(c).unwrap_or("").trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let external_id = cell(c_id).trim().to_string();
        let title = cell(c_title).trim().to_string();
        if external_id.is_empty() {
            errors.push(format!("{origin}: empty {}", columns.external_id));
            continue;
        }
        if title.is_empty() {
            errors.push(format!("{origin}: empty {}", columns.title));
            continue;
        }
        let lang = match opt(c_lang) {
            None => default_lang.clone(),
            Some(l) => match LangCode::parse(&l) {
                Ok(l) => l,
                Err(e) => {
                    errors.push(format!("{origin}: {e}"));
                    continue;
                }
            },
        };
        let category = match opt(c_category) {
            None => default_category,
            Some(c) => match c.parse::<i64>() {
                Ok(c) if c > 0 => c,
                _ => {
                    errors.push(format!(
                        "{origin}: category '{c}' is not a category id (a positive number)"
                    ));
                    continue;
                }
            },
        };
        records.push(Record {
            external_id,
            origin,
            category,
            lang,
            translation: SourceTranslation {
                title,
                content: cell(c_content),
                slug: opt(c_slug),
            },
        });
    }
    if !errors.is_empty() {
        let shown: Vec<&String> = errors.iter().take(20).collect();
        let more = errors.len().saturating_sub(shown.len());
        bail!(
            "{} problem(s) in {name}:\n  {}{}",
            errors.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n  "),
            if more > 0 {
                format!("\n  … and {more} more")
            } else {
                String::new()
            }
        );
    }
    if seen_rows == 0 || records.is_empty() {
        bail!("{name}: no rows under the header");
    }
    Ok(records)
}

/// Column names from flags, on top of a mapping file, on top of the defaults.
pub(crate) fn column_map(
    mapping: Option<&Path>,
    overrides: &BTreeMap<&'static str, Option<String>>,
) -> anyhow::Result<ColumnMap> {
    let mut map = match mapping {
        Some(p) => ColumnMap::from_file(p)?,
        None => ColumnMap::default(),
    };
    for (field, value) in overrides {
        let Some(v) = value else { continue };
        let slot = match *field {
            "external_id" => &mut map.external_id,
            "language" => &mut map.language,
            "title" => &mut map.title,
            "content" => &mut map.content,
            "category" => &mut map.category,
            "slug" => &mut map.slug,
            _ => continue,
        };
        *slot = v.clone();
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> LangCode {
        LangCode::parse("en").unwrap()
    }

    #[test]
    fn bom_and_quoted_newlines() {
        let csv = "\u{FEFF}external_id,language,title,content\n\
                   1,en,Hello,\"<p>line one\nline two</p>\"\n\
                   1,de,Hallo,\"<p>eins, zwei</p>\"\n";
        let recs = parse(csv.as_bytes(), "t.csv", &ColumnMap::default(), &en(), 7).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].translation.content, "<p>line one\nline two</p>");
        assert_eq!(recs[1].lang.as_str(), "de");
        assert_eq!(recs[1].category, 7);
        assert_eq!(recs[1].origin, "t.csv line 4");
    }

    #[test]
    fn clear_errors() {
        let e = parse(
            b"id,title,body\n1,x,y\n",
            "t.csv",
            &ColumnMap::default(),
            &en(),
            1,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("missing column 'external_id'") && e.contains("'content'"),
            "{e}"
        );
        let latin1 = b"external_id,title,content\n1,Caf\xE9,x\n";
        let e = parse(latin1, "t.csv", &ColumnMap::default(), &en(), 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2 is not valid UTF-8"), "{e}");
        let e = parse(b"\xFF\xFEe\x00", "t.csv", &ColumnMap::default(), &en(), 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("UTF-16"), "{e}");
        let e = parse(
            b"external_id,language,title,content\n1,english,x,y\n",
            "t.csv",
            &ColumnMap::default(),
            &en(),
            1,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("line 2") && e.contains("'english' is not a language code"),
            "{e}"
        );
    }

    #[test]
    fn mapping_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.yaml");
        std::fs::write(
            &path,
            "external_id: FAQ ID\ntitle: Question\ncontent: Answer\n",
        )
        .unwrap();
        let mut over = BTreeMap::new();
        over.insert("content", Some("Body".to_string()));
        let map = column_map(Some(&path), &over).unwrap();
        assert_eq!(
            (
                map.external_id.as_str(),
                map.title.as_str(),
                map.content.as_str(),
                map.language.as_str()
            ),
            ("FAQ ID", "Question", "Body", "language")
        );
        // JSON is YAML too.
        std::fs::write(&path, r#"{"external_id": "FAQ ID", "title": "Question"}"#).unwrap();
        let map = column_map(Some(&path), &BTreeMap::new()).unwrap();
        assert_eq!(
            (map.external_id.as_str(), map.title.as_str()),
            ("FAQ ID", "Question")
        );
        std::fs::write(&path, "titel: Question\n").unwrap();
        let e = format!(
            "{:#}",
            column_map(Some(&path), &BTreeMap::new()).unwrap_err()
        );
        assert!(e.contains("unknown field `titel`"), "{e}");
    }

    #[test]
    fn mapped_headers() {
        let mut over = BTreeMap::new();
        over.insert("external_id", Some("FAQ ID".to_string()));
        over.insert("title", Some("Question".to_string()));
        over.insert("content", Some("Answer".to_string()));
        let map = column_map(None, &over).unwrap();
        let recs = parse(
            b"FAQ ID,Question,Answer\nq1,How?,Like this\n",
            "t.csv",
            &map,
            &en(),
            2,
        )
        .unwrap();
        assert_eq!(recs[0].external_id, "q1");
        assert_eq!(recs[0].translation.title, "How?");
    }
}
