//! `hcs export`: the API reference's weekly-backup workflow. Every category
//! and every article the key can list (drafts, private and link-only ones
//! included: the API lists them to the site's owner) is walked page by
//! page through hc-client, which keeps to the rate limit and retries, and
//! written as one JSON file in the shape of `shared/corpus/*.json`, so that
//! `hc-sim --data` and `hcs demo --data` serve an export as it is.
//!
//! The file is replaced atomically (temporary file in the same folder,
//! fsync, rename): an export that fails part-way leaves no torn file and
//! never replaces the previous good one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use hc_client::{ArticleQuery, Client, ClientError};
use hc_core::wire::{Article, Category, Site, Visibility};
use hc_core::{LangCode, LangCodeError};

use crate::api::{ApiArgs, ApiSetupError};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    /// File to write; or an existing folder, to write
    /// `helpcenter-export-YYYY-MM-DD.json` in it.
    #[arg(long)]
    pub out: PathBuf,
    /// The site's default language. The API does not expose it; without
    /// this flag it is `en` when the content has it, else the language most
    /// article titles have.
    #[arg(long)]
    pub default_language: Option<String>,
    /// The site's languages (repeatable or comma-separated). The API does
    /// not expose them; without this flag they are every language found in
    /// the content.
    #[arg(long = "language", value_delimiter = ',')]
    pub languages: Vec<String>,
}

/// What an export needs besides the client.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// A file, or an existing folder (the file is then named by date).
    pub out: PathBuf,
    pub default_language: Option<LangCode>,
    /// Empty: derived from the content.
    pub languages: Vec<LangCode>,
    /// The `exported_at` stamp (and the date of a file named by date).
    pub now: SystemTime,
}

/// What was written, for the summary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub bytes: u64,
    pub exported_at: String,
    pub categories: usize,
    pub articles: usize,
    /// `published: false`.
    pub drafts: usize,
    /// Published, but private or link-only (or a visibility we do not know).
    pub not_public: usize,
    pub languages: Vec<LangCode>,
    /// Whether `site.languages` was derived from the content (no `--language`).
    pub languages_derived: bool,
    /// Ids listed twice during the walk (the help center changed while it
    /// was read); each is written once, as last seen.
    pub duplicates: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Setup(#[from] ApiSetupError),
    #[error(transparent)]
    Lang(#[from] LangCodeError),
    #[error("the folder of {0} does not exist (create it, or give --out an existing folder)")]
    NoFolder(PathBuf),
    #[error("reading the help center failed; nothing was written")]
    Api(#[from] ClientError),
    #[error("cannot write {path} (a previous export there is untouched)")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The command: builds the client from the options and `HC_API_KEY`,
/// exports, prints the summary.
pub async fn run(args: ExportArgs) -> Result<ExitCode, ExportError> {
    let mut client = args.api.client()?;
    if std::io::stderr().is_terminal() {
        // Progress for a person watching; a cron job's mail stays quiet.
        client = client.with_observer(|e| {
            let status = e.status.map_or("no answer".to_string(), |s| s.to_string());
            eprintln!("  {} {} → {status}", e.method, e.path);
        });
    }
    let options = ExportOptions {
        out: args.out,
        default_language: args
            .default_language
            .as_deref()
            .map(LangCode::parse)
            .transpose()?,
        languages: args
            .languages
            .iter()
            .map(|l| LangCode::parse(l))
            .collect::<Result<_, _>>()?,
        now: SystemTime::now(),
    };
    let summary = export(&client, &options).await?;
    println!("{}", summary_text(&summary));
    Ok(ExitCode::SUCCESS)
}

/// Walks the help center and writes the export file.
pub async fn export(
    client: &Client,
    options: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    let exported_at = humantime::format_rfc3339_seconds(options.now).to_string();
    // Decide where to write before spending any request on a path that
    // cannot be written.
    let path = target_path(&options.out, &exported_at[..10])?;

    // The reference's order: categories, then articles, each to its last page.
    let categories = client.list_all_categories().await?;
    let articles = client.list_all_articles(&ArticleQuery::default()).await?;
    let listed = categories.len() + articles.len();
    let categories = by_id(categories, |c: &Category| c.id);
    let articles = by_id(articles, |a: &Article| a.id);
    let duplicates = listed - categories.len() - articles.len();

    let languages_derived = options.languages.is_empty();
    let site = site_of(
        &categories,
        &articles,
        options.default_language.clone(),
        options.languages.clone(),
    );
    let bytes = render(&exported_at, &site, &categories, &articles);
    write_atomically(&path, &bytes)?;

    Ok(ExportSummary {
        path,
        bytes: bytes.len() as u64,
        exported_at,
        categories: categories.len(),
        articles: articles.len(),
        drafts: articles.iter().filter(|a| !a.published).count(),
        not_public: articles
            .iter()
            .filter(|a| a.published && a.visibility != Visibility::Public)
            .count(),
        languages: site.enabled(),
        languages_derived,
        duplicates,
    })
}

/// The file to write: `out` itself, or a dated name inside `out` when it is
/// an existing folder.
pub(crate) fn target_path(out: &Path, date: &str) -> Result<PathBuf, ExportError> {
    if out.is_dir() {
        return Ok(out.join(format!("helpcenter-export-{date}.json")));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(ExportError::NoFolder(out.to_path_buf()));
    }
    Ok(out.to_path_buf())
}

/// Sorted by id, each id once (the last copy listed wins: a walk over a
/// help center being edited can list an item on two pages).
fn by_id<T>(items: Vec<T>, id: impl Fn(&T) -> i64) -> Vec<T> {
    let mut map = BTreeMap::new();
    for item in items {
        map.insert(id(&item), item);
    }
    map.into_values().collect()
}

/// The `site` block. The v1 API has no route for the site's settings, so
/// unless given, the languages are those found in the content (a language
/// enabled on the site but used by nothing is not seen) and the default is
/// `en` when present (as hc-proxy assumes), else the language most article
/// titles have (creating an article requires a title in the default
/// language).
pub(crate) fn site_of(
    categories: &[Category],
    articles: &[Article],
    default_language: Option<LangCode>,
    languages: Vec<LangCode>,
) -> Site {
    let mut title_counts: BTreeMap<LangCode, usize> = BTreeMap::new();
    let mut found: BTreeSet<LangCode> = BTreeSet::new();
    for a in articles {
        for lang in a.title.languages() {
            *title_counts.entry(lang.clone()).or_default() += 1;
        }
        found.extend(a.title.languages().cloned());
        found.extend(a.slug.languages().cloned());
        found.extend(a.content.languages().cloned());
    }
    for c in categories {
        found.extend(c.name.languages().cloned());
        found.extend(c.description.languages().cloned());
    }
    let mut languages = if languages.is_empty() {
        found.into_iter().collect()
    } else {
        languages
    };
    let default_language = default_language.unwrap_or_else(|| {
        let en = LangCode::parse("en").expect("a valid code");
        if languages.contains(&en) {
            return en;
        }
        // Most titles first; ties go to the first code in sorted order.
        title_counts
            .iter()
            .max_by(|(la, a), (lb, b)| a.cmp(b).then(lb.cmp(la)))
            .map(|(l, _)| l.clone())
            .or_else(|| languages.first().cloned())
            .unwrap_or(en)
    });
    languages.retain(|l| *l != default_language);
    languages.insert(0, default_language.clone());
    Site {
        default_language,
        languages,
    }
}

#[derive(serde::Serialize)]
struct Header<'a> {
    exported_at: &'a str,
    site: &'a Site,
}

/// The corpus layout: a header line, then one category or article per line,
/// so that exports diff and grep well (a weekly backup in git shows what
/// changed, article by article).
fn render(
    exported_at: &str,
    site: &Site,
    categories: &[Category],
    articles: &[Article],
) -> Vec<u8> {
    fn line<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value).expect("wire types serialise")
    }
    let header = line(&Header { exported_at, site });
    let mut out = String::new();
    // `{"exported_at":…,"site":{…}` without its closing brace, then the lists.
    out.push_str(&header[..header.len() - 1]);
    out.push_str(",\n\"categories\":[");
    push_lines(&mut out, categories.iter().map(line));
    out.push_str("],\n\"articles\":[");
    push_lines(&mut out, articles.iter().map(line));
    out.push_str("]}\n");
    out.into_bytes()
}

/// `\nA,\nB\n` (or just `\n` for no items): the items of a list, a line each.
fn push_lines(out: &mut String, lines: impl Iterator<Item = String>) {
    for (i, l) in lines.enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&l);
    }
    out.push('\n');
}

/// Temporary file in the target's folder, fsync, rename over the target,
/// fsync the folder. On any error the temporary file is removed (dropping
/// it does) and the target is as it was.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let err = |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    // The rename is durable only once the folder itself is synced.
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(err)?;
    Ok(())
}

pub(crate) fn summary_text(s: &ExportSummary) -> String {
    let langs: Vec<&str> = s.languages.iter().map(LangCode::as_str).collect();
    let mut text = format!(
        "exported {} categories and {} articles ({} drafts, {} published but not public) \
         to {} ({} bytes, exported_at {})\nlanguages: {}{}",
        s.categories,
        s.articles,
        s.drafts,
        s.not_public,
        s.path.display(),
        s.bytes,
        s.exported_at,
        langs.join(", "),
        if s.languages_derived {
            " (found in the content; the API does not list a site's languages)"
        } else {
            ""
        },
    );
    if s.duplicates > 0 {
        text.push_str(&format!(
            "\nnote: {} items were listed twice (the help center changed during the export); each is written once",
            s.duplicates
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use hc_core::Translations;

    fn lang(s: &str) -> LangCode {
        LangCode::parse(s).unwrap()
    }

    fn article(id: i64, title_langs: &[&str]) -> Article {
        let t: Translations<String> = title_langs
            .iter()
            .map(|l| (lang(l), format!("t{id}")))
            .collect();
        serde_json::from_value(serde_json::json!({
            "id": id, "title": t, "content": t, "published": true, "visibility": "public"
        }))
        .unwrap()
    }

    #[test]
    fn site_languages_are_derived_with_a_sensible_default() {
        let articles = [article(1, &["de", "fr"]), article(2, &["fr"])];
        let site = site_of(&[], &articles, None, vec![]);
        assert_eq!(site.default_language, lang("fr"), "most titles");
        assert_eq!(site.languages, vec![lang("fr"), lang("de")]);

        let articles = [article(1, &["de", "en"]), article(2, &["de"])];
        let site = site_of(&[], &articles, None, vec![]);
        assert_eq!(site.default_language, lang("en"), "en wins when present");

        let site = site_of(&[], &articles, Some(lang("de")), vec![lang("it")]);
        assert_eq!(site.default_language, lang("de"));
        assert_eq!(site.languages, vec![lang("de"), lang("it")], "flags win");

        let site = site_of(&[], &[], None, vec![]);
        assert_eq!(site.default_language, lang("en"), "an empty site");
    }

    #[test]
    fn the_file_is_one_object_per_line_and_parses_as_help_center_data() {
        let articles = [article(2, &["en"]), article(1, &["en"])];
        let articles = by_id(articles.to_vec(), |a| a.id);
        let site = site_of(&[], &articles, None, vec![]);
        let bytes = render("2026-01-02T03:04:05Z", &site, &[], &articles);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(text.lines().count(), 7, "{text}");
        assert!(text.starts_with("{\"exported_at\":\"2026-01-02T03:04:05Z\",\"site\":"));
        let data: hc_core::HelpCenterData = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            data.articles.iter().map(|a| a.id).collect::<Vec<_>>(),
            [1, 2]
        );
        let raw: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(raw["exported_at"], "2026-01-02T03:04:05Z");
    }

    #[test]
    fn a_folder_gets_a_dated_name_and_a_missing_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            target_path(dir.path(), "2026-01-02").unwrap(),
            dir.path().join("helpcenter-export-2026-01-02.json")
        );
        let file = dir.path().join("backup.json");
        assert_eq!(target_path(&file, "2026-01-02").unwrap(), file);
        assert!(matches!(
            target_path(&dir.path().join("nope/backup.json"), "2026-01-02"),
            Err(ExportError::NoFolder(_))
        ));
    }
}
