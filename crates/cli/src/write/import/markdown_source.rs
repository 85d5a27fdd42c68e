//! A folder of Markdown files as a source. Each file is one language of
//! one article: YAML front matter (parsed by serde-saphyr) between `---` lines (`title` required;
//! `lang`, `category`, `slug`, `external_id` optional), then the body,
//! rendered to HTML with pulldown-cmark. Files sharing an external id are
//! the translations of one article. Without an `external_id` the id is the
//! file's path in the folder without `.md` (and without a `.LANG` suffix,
//! so `intro.md` and `intro.de.md` are one article).
//!
//! Symbolic links: a `*.md` link is read only if its target resolves inside
//! the folder; one that leads out of it (to `~/.ssh/id_rsa`, `/etc/passwd`)
//! would publish what it points at, so it refuses the whole run before any
//! request, naming the file. Links to folders are not followed (a folder
//! inside is walked anyway, one outside must not be).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use hc_core::LangCode;
use serde::Deserialize;

use crate::write::item::{Record, SourceTranslation};

#[derive(Debug, Default, Deserialize)]
struct FrontMatter {
    title: Option<String>,
    #[serde(alias = "language")]
    lang: Option<String>,
    #[serde(alias = "category_id")]
    category: Option<Scalar>,
    slug: Option<String>,
    #[serde(alias = "external-id", alias = "externalId", alias = "id")]
    external_id: Option<Scalar>,
}

/// A front-matter value that may be written as text or as a number
/// (`category: 9`, `external_id: "1.10"`, `external_id: 42`); any other
/// shape is kept as `Other`, for a clear error naming the field.
#[derive(Debug)]
enum Scalar {
    Text(String),
    /// As written back by YAML's number formatting: `1.10` is `1.1`, a
    /// float keeps its `.0` (so `category: 9.0` is not a category id).
    Number(String),
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Number(format!("{v:?}")))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Scalar::Other)
    }
}

/// Every `.md`/`.markdown` file under `dir`, sorted, as records. With
/// `fixed_category` every file goes to that category whatever it says.
pub fn read_dir(
    dir: &Path,
    default_lang: &LangCode,
    default_category: i64,
    fixed_category: bool,
) -> anyhow::Result<Vec<Record>> {
    let root = dir
        .canonicalize()
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    let mut files = Vec::new();
    collect(dir, &mut files)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    files.sort();
    if files.is_empty() {
        bail!(
            "{}: no Markdown files (*.md, *.markdown) in this folder or below it",
            dir.display()
        );
    }
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let rel = file.strip_prefix(dir).unwrap_or(&file).to_path_buf();
        let real = match inside(&root, &file, &rel) {
            Ok(real) => real,
            Err(e) => {
                errors.push(format!("{e:#}"));
                continue;
            }
        };
        match read_file(&real, &rel, default_lang, default_category, fixed_category) {
            Ok(r) => records.push(r),
            Err(e) => errors.push(format!("{e:#}")),
        }
    }
    if !errors.is_empty() {
        bail!(
            "{} Markdown file(s) cannot be imported:\n  {}",
            errors.len(),
            errors.join("\n  ")
        );
    }
    Ok(records)
}

/// The real path of `file` (all links resolved), if it is inside `root`
/// (itself resolved). A link out of the folder, or one that leads nowhere,
/// is an error naming the file; the target is never opened.
fn inside(root: &Path, file: &Path, rel: &Path) -> anyhow::Result<PathBuf> {
    let name = rel.display();
    let link = || {
        std::fs::read_link(file)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".into())
    };
    let real = file.canonicalize().map_err(|e| {
        anyhow::anyhow!(
            "{name}: cannot resolve it (a symbolic link to {} whose target is missing?): {e}",
            link()
        )
    })?;
    if !real.starts_with(root) {
        bail!(
            "{name}: a symbolic link to {}, which is outside the folder {}; refused so that \
             nothing outside the folder is published (only links to files inside it are \
             followed): remove the link, or copy the file into the folder",
            real.display(),
            root.display()
        );
    }
    Ok(real)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        // `file_type` does not follow links: a link to a folder is not
        // walked, a link named `*.md` is checked by `inside`.
        if entry.file_type()?.is_dir() {
            collect(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "markdown")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

fn scalar(v: &Scalar) -> Option<String> {
    match v {
        Scalar::Text(s) => Some(s.trim().to_string()),
        Scalar::Number(n) => Some(n.clone()),
        Scalar::Other => None,
    }
}

fn read_file(
    file: &Path,
    rel: &Path,
    default_lang: &LangCode,
    default_category: i64,
    fixed_category: bool,
) -> anyhow::Result<Record> {
    let bytes = std::fs::read(file).with_context(|| format!("{}: cannot read", rel.display()))?;
    parse_file(&bytes, rel, default_lang, default_category, fixed_category)
}

/// One Markdown file's bytes as a [`Record`]; `rel` is its path in the
/// folder (its name in errors, and its default external id). The file
/// system stays out of it so that the parsing is tested and fuzzed alone.
pub fn parse_file(
    bytes: &[u8],
    rel: &Path,
    default_lang: &LangCode,
    default_category: i64,
    fixed_category: bool,
) -> anyhow::Result<Record> {
    let name = rel.display().to_string();
    let text = std::str::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{name}: not valid UTF-8 (at byte {}); re-save it as UTF-8",
            e.valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let (front, body) = split_front_matter(text);
    let fm: FrontMatter = match front {
        Some(yaml) if !yaml.trim().is_empty() => super::parse_yaml(yaml)
            .map_err(|e| anyhow::anyhow!("{name}: the front matter is not valid YAML: {e}"))?,
        _ => FrontMatter::default(),
    };
    let title = fm.title.as_deref().map(str::trim).unwrap_or("");
    if title.is_empty() {
        bail!(
            "{name}: no title; start the file with front matter such as\n    ---\n    title: Your title\n    ---"
        );
    }
    let lang = match fm.lang.as_deref() {
        Some(l) => LangCode::parse(l).map_err(|e| anyhow::anyhow!("{name}: lang: {e}"))?,
        None => default_lang.clone(),
    };
    let category = match (&fm.category, fixed_category) {
        (Some(v), false) => scalar(v)
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|c| *c > 0)
            .ok_or_else(|| {
                anyhow::anyhow!("{name}: category must be a category id (a positive number)")
            })?,
        _ => default_category,
    };
    let external_id = match fm.external_id.as_ref() {
        Some(v) => scalar(v)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| anyhow::anyhow!("{name}: external_id must be a string or a number"))?,
        None => default_id(rel, fm.lang.is_some().then_some(&lang)),
    };
    Ok(Record {
        external_id,
        origin: name,
        category,
        lang,
        translation: SourceTranslation {
            title: title.to_string(),
            content: render(body),
            slug: fm
                .slug
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        },
    })
}

/// `notes/1.2.de.md` → `notes/1.2` when the file says `lang: de`.
fn default_id(rel: &Path, lang: Option<&LangCode>) -> String {
    let no_ext = rel.with_extension("");
    let mut id = no_ext
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if let Some(lang) = lang {
        let suffix = format!(".{lang}");
        if id.to_ascii_lowercase().ends_with(&suffix) {
            id.truncate(id.len() - suffix.len());
        }
    }
    id
}

/// `(front matter, body)`; no front matter unless the first line is `---`.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return (None, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return (Some(&rest[..offset]), &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    (None, text)
}

pub fn render(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS;
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_ids() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("intro.md"),
            "---\ntitle: Intro\n---\n# Hi\n\nSome *text*.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("intro.de.md"),
            "---\ntitle: Einführung\nlang: de\n---\nText\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(
            dir.path().join("sub/x.md"),
            "---\ntitle: X\nexternal_id: 42\ncategory: 9\nslug: ex\n---\nbody\n",
        )
        .unwrap();
        let en = LangCode::parse("en").unwrap();
        let recs = read_dir(dir.path(), &en, 3, false).unwrap();
        let ids: Vec<&str> = recs.iter().map(|r| r.external_id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro", "42"]);
        assert_eq!(
            recs[1].translation.content,
            "<h1>Hi</h1>\n<p>Some <em>text</em>.</p>\n"
        );
        assert_eq!(recs[2].category, 9);
        assert_eq!(recs[2].translation.slug.as_deref(), Some("ex"));
        let fixed = read_dir(dir.path(), &en, 3, true).unwrap();
        assert!(fixed.iter().all(|r| r.category == 3));
    }

    #[test]
    fn missing_title_and_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        let en = LangCode::parse("en").unwrap();
        let e = read_dir(dir.path(), &en, 1, false).unwrap_err().to_string();
        assert!(e.contains("no Markdown files"), "{e}");
        std::fs::write(dir.path().join("a.md"), "# Just a heading\n").unwrap();
        let e = format!("{:#}", read_dir(dir.path(), &en, 1, false).unwrap_err());
        assert!(e.contains("a.md: no title"), "{e}");
    }
}
