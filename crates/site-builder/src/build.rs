//! The build as a state machine: [`SiteBuild::next_request`] names the
//! next API page to read, [`SiteBuild::feed`] takes its body, and once the
//! walk is done [`SiteBuild::finish`] builds the files.

use hc_core::wire::walk::{is_last_page, Page, Walk, PAGE_LIMIT};
use hc_core::wire::{Article, ArticleList, Category, CategoryList, Lenient, Undecodable};
use hc_core::LangCode;
use hc_publish::{LanguageConfig, Sanitizer, StaticSite};

/// The flags of `build-static` that shape the content (the script keeps
/// the ones about I/O: `--api`, `--out`, the rate limit).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    pub public_url: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub default_language: Option<String>,
    /// `--synonyms` arguments as given (`FILE.json` or `LANG=FILE.csv`).
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// The `--suggestions` rules file's path.
    pub suggestions: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("--public-url: {0}")]
    PublicUrl(#[from] hc_publish::sanitize::PublicUrlError),
    #[error("{flag}: {value:?} is not a language code (such as en, de or pt-br)")]
    Language { flag: &'static str, value: String },
    #[error("--synonyms: {0}")]
    Synonyms(String),
    #[error("--suggestions {path}: {message}")]
    Suggestions { path: String, message: String },
    #[error("the options are not what build-static takes: {0}")]
    Options(String),
    #[error("the API's answer to {request} is not a list of {kind}: {message}")]
    Page {
        request: String,
        kind: &'static str,
        message: String,
    },
    #[error("an answer came with no request waiting for it")]
    NotWaiting,
    #[error("the API has not been read to its end yet")]
    NotWalked,
    #[error("building the packs: {0}")]
    Pack(#[from] hc_engine::EngineError),
}

/// What the build made.
#[derive(Debug)]
pub struct Built {
    pub site: StaticSite,
    /// Records the API sent in a form that cannot be read, left out (ids
    /// and fields only).
    pub skipped: Vec<Undecodable>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Categories(u32),
    Articles(u32),
    Walked,
}

#[derive(Debug)]
pub struct SiteBuild {
    sanitizer: Sanitizer,
    languages: LanguageConfig,
    step: Step,
    categories: Walk<Category>,
    articles: Walk<Article>,
}

impl SiteBuild {
    /// Checks the options; `read` returns the text of a file they name.
    pub fn new(
        options: Options,
        mut read: impl FnMut(&str) -> Result<String, String>,
    ) -> Result<SiteBuild, BuildError> {
        let public_url = options
            .public_url
            .as_deref()
            .map(hc_publish::parse_public_url)
            .transpose()?;
        let language = |flag, value: &str| {
            LangCode::parse(value).map_err(|_| BuildError::Language {
                flag,
                value: value.to_string(),
            })
        };
        let page_rules = match &options.suggestions {
            None => Vec::new(),
            Some(path) => {
                let fail = |message| BuildError::Suggestions {
                    path: path.clone(),
                    message,
                };
                let text = read(path).map_err(fail)?;
                hc_core::page_rules::parse(&text).map_err(|e| fail(e.to_string()))?
            }
        };
        Ok(SiteBuild {
            sanitizer: Sanitizer::new(public_url.as_ref()),
            languages: LanguageConfig {
                languages: options
                    .languages
                    .iter()
                    .map(|l| language("--language", l))
                    .collect::<Result<_, _>>()?,
                default_language: options
                    .default_language
                    .as_deref()
                    .map(|l| language("--default-language", l))
                    .transpose()?,
                synonyms: hc_core::synonyms::parse_args(&options.synonyms, &mut read)
                    .map_err(BuildError::Synonyms)?,
                page_rules,
            },
            step: Step::Categories(1),
            categories: Walk::default(),
            articles: Walk::default(),
        })
    }

    /// The next page to read, below the API base (`/categories?page=1&limit=100`),
    /// or `None` when the walk is done.
    pub fn next_request(&self) -> Option<String> {
        match self.step {
            Step::Categories(page) => Some(format!("/categories?page={page}&limit={PAGE_LIMIT}")),
            Step::Articles(page) => Some(format!("/articles?page={page}&limit={PAGE_LIMIT}")),
            Step::Walked => None,
        }
    }

    /// The body of a successful answer to [`SiteBuild::next_request`]. A
    /// record that cannot be read is left out and reported, as hc-proxy
    /// does: one bad record does not stop the site's build.
    pub fn feed(&mut self, body: &str) -> Result<(), BuildError> {
        let request = self.next_request().ok_or(BuildError::NotWaiting)?;
        let bad = |kind, e: serde_json::Error| BuildError::Page {
            request: request.clone(),
            kind,
            message: e.to_string(),
        };
        self.step = match self.step {
            Step::Categories(page) => {
                let list: CategoryList<Lenient<Category>> =
                    serde_json::from_str(body).map_err(|e| bad("categories", e))?;
                let meta = list.meta;
                self.categories
                    .add(Page::split(list.categories, meta), |c| c.id);
                if is_last_page(page, &meta) {
                    Step::Articles(1)
                } else {
                    Step::Categories(page + 1)
                }
            }
            Step::Articles(page) => {
                let list: ArticleList<Lenient<Article>> =
                    serde_json::from_str(body).map_err(|e| bad("articles", e))?;
                let meta = list.meta;
                self.articles
                    .add(Page::split(list.articles, meta), |a| a.id);
                if is_last_page(page, &meta) {
                    Step::Walked
                } else {
                    Step::Articles(page + 1)
                }
            }
            Step::Walked => return Err(BuildError::NotWaiting),
        };
        Ok(())
    }

    /// Builds the site's files from what was read; `on_language` is told
    /// before each language is indexed (the slow part).
    pub fn finish(self, on_language: impl FnMut(&LangCode)) -> Result<Built, BuildError> {
        if self.step != Step::Walked {
            return Err(BuildError::NotWalked);
        }
        let categories = self.categories.finish(true, |c| c.id);
        let articles = self.articles.finish(true, |a| a.id);
        let mut skipped = categories.skipped;
        skipped.extend(articles.skipped);
        let snapshot = hc_publish::public_snapshot(
            articles.items,
            categories.items,
            &self.sanitizer,
            &self.languages,
        );
        Ok(Built {
            site: StaticSite::build(&snapshot, on_language)?,
            skipped,
        })
    }
}

#[cfg(test)]
mod tests;
