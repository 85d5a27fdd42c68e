//! Recent searches and recently viewed articles, so that a visitor coming
//! back finds again what they looked at. They are the visitor's own data:
//! kept in their browser only (`localStorage`, one entry per help center,
//! keyed by its content URL), never sent anywhere (not to the worker, the
//! proxy or the host page's events), each removable, all clearable, and
//! not read or written at all with `history="off"`.
//!
//! What is stored may have been written by an older widget, edited by
//! hand or by another script of the same origin: [`History::from_stored`]
//! accepts any value; one of the stored shape is kept within bounds
//! (counts, lengths, language codes), anything else reads as no history.
//! A damaged entry costs the visitor their history, never the widget. (Not
//! salvaging entry by entry keeps serde's buffering of untagged values,
//! some kilobytes, out of the UI's wasm.)

use serde::{Deserialize, Deserializer, Serialize};

/// Searches and articles kept, each (older ones drop out).
pub const MAX_KEPT: usize = 8;
/// Searches and articles shown in the empty state, each.
pub const MAX_SHOWN: usize = 5;
/// A stored value longer than this is not parsed (it is not ours).
pub const MAX_STORED_BYTES: usize = 32 * 1024;
const MAX_QUERY_CHARS: usize = 200;
const MAX_TITLE_CHARS: usize = 300;
const MAX_PATH: usize = 8;
const MAX_NAME_CHARS: usize = 100;

/// The `localStorage` key of one help center's history.
pub fn storage_key(snapshot_url: &str) -> String {
    format!("hc-search:history:{snapshot_url}")
}

/// A search the visitor made and opened a result of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentSearch {
    pub query: String,
    /// The content language it was made in (shown only there).
    pub lang: String,
}

/// An article the visitor read in the widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewed {
    pub id: i64,
    pub title: String,
    pub lang: String,
    pub category_path: Vec<String>,
}

/// Newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub searches: Vec<RecentSearch>,
    pub viewed: Vec<Viewed>,
}

impl History {
    pub fn is_empty(&self) -> bool {
        self.searches.is_empty() && self.viewed.is_empty()
    }

    /// Keeps `query` (trimmed, bounded) as the newest search of `lang`;
    /// the same text (ignoring ASCII case: Unicode's case tables would
    /// weigh more than this module) moves up instead of appearing twice.
    pub fn add_search(&mut self, query: &str, lang: &str) {
        let query = bounded(query.trim(), MAX_QUERY_CHARS);
        if query.is_empty() {
            return;
        }
        self.searches
            .retain(|s| !(s.lang == lang && s.query.eq_ignore_ascii_case(&query)));
        self.searches.insert(
            0,
            RecentSearch {
                query,
                lang: lang.to_string(),
            },
        );
        self.searches.truncate(MAX_KEPT);
    }

    /// Keeps an article as the newest viewed in `lang`.
    pub fn add_viewed(&mut self, id: i64, title: &str, lang: &str, category_path: &[String]) {
        self.viewed.retain(|v| !(v.id == id && v.lang == lang));
        self.viewed.insert(
            0,
            Viewed {
                id,
                title: bounded(title.trim(), MAX_TITLE_CHARS),
                lang: lang.to_string(),
                category_path: category_path
                    .iter()
                    .take(MAX_PATH)
                    .map(|n| bounded(n, MAX_NAME_CHARS))
                    .collect(),
            },
        );
        self.viewed.truncate(MAX_KEPT);
    }

    /// The searches of `lang`, newest first, at most [`MAX_SHOWN`].
    pub fn searches_in<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a RecentSearch> {
        self.searches
            .iter()
            .filter(move |s| s.lang == lang)
            .take(MAX_SHOWN)
    }

    /// The articles viewed in `lang`, newest first, at most [`MAX_SHOWN`].
    pub fn viewed_in<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a Viewed> {
        self.viewed
            .iter()
            .filter(move |v| v.lang == lang)
            .take(MAX_SHOWN)
    }

    pub fn remove_search(&mut self, query: &str, lang: &str) {
        self.searches
            .retain(|s| !(s.query == query && s.lang == lang));
    }

    pub fn remove_viewed(&mut self, id: i64, lang: &str) {
        self.viewed.retain(|v| !(v.id == id && v.lang == lang));
    }

    /// The value to store (serialise it as JSON).
    pub fn to_stored(&self) -> Stored {
        Stored {
            v: 1,
            searches: self
                .searches
                .iter()
                .map(|s| (s.query.clone(), s.lang.clone()))
                .collect(),
            viewed: self
                .viewed
                .iter()
                .map(|v| StoredView {
                    id: v.id,
                    title: v.title.clone(),
                    lang: v.lang.clone(),
                    path: v.category_path.clone(),
                })
                .collect(),
        }
    }

    /// The usable part of a stored value: one of the stored shape
    /// (unknown fields ignored) gives its first [`MAX_KEPT`] entries of
    /// each kind that have a valid language code and text within bounds;
    /// any other value gives no history. Never fails.
    pub fn from_stored<'de, D: Deserializer<'de>>(d: D) -> History {
        let Ok(stored) = Stored::deserialize(d) else {
            return History::default();
        };
        let mut out = History::default();
        // Oldest first, so that `add_*` leaves the newest at the front and
        // applies the same bounds and de-duplication as a live visit.
        let searches = &stored.searches[..stored.searches.len().min(MAX_KEPT)];
        for (query, lang) in searches.iter().rev() {
            if valid_lang(lang) && query.chars().count() <= MAX_QUERY_CHARS {
                out.add_search(query, lang);
            }
        }
        let viewed = &stored.viewed[..stored.viewed.len().min(MAX_KEPT)];
        for v in viewed.iter().rev() {
            if valid_lang(&v.lang) && v.title.chars().count() <= MAX_TITLE_CHARS {
                out.add_viewed(v.id, &v.title, &v.lang, &v.path);
            }
        }
        out
    }
}

fn valid_lang(lang: &str) -> bool {
    lang.parse::<hc_core::LangCode>()
        .is_ok_and(|l| l.as_str() == lang)
}

fn bounded(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => s[..at].to_string(),
        None => s.to_string(),
    }
}

/// The stored form: `{"v":1,"searches":[[query, lang]…],"viewed":[{id,
/// title, lang, path}…]}`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Stored {
    #[serde(default)]
    v: u32,
    #[serde(default)]
    searches: Vec<(String, String)>,
    #[serde(default)]
    viewed: Vec<StoredView>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredView {
    id: i64,
    title: String,
    lang: String,
    #[serde(default)]
    path: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> History {
        History::from_stored(&mut serde_json::Deserializer::from_str(json))
    }

    fn stored_json(h: &History) -> String {
        serde_json::to_string(&h.to_stored()).unwrap()
    }

    #[test]
    fn searches_and_articles_are_kept_newest_first_bounded_and_once() {
        let mut h = History::default();
        for i in 0..12 {
            h.add_search(&format!("query {i}"), "en");
        }
        h.add_search("  Query 3 ", "en");
        h.add_search("   ", "en");
        h.add_search("query 3", "de");
        assert_eq!(h.searches.len(), MAX_KEPT);
        assert_eq!(h.searches[0].query, "query 3");
        assert_eq!(h.searches[1].query, "Query 3", "moved up, not twice");
        assert_eq!(h.searches[2].query, "query 11");
        assert_eq!(
            h.searches_in("en")
                .map(|s| s.query.as_str())
                .collect::<Vec<_>>(),
            ["Query 3", "query 11", "query 10", "query 9", "query 8"]
        );
        h.add_viewed(1, "A", "en", &["Net".into()]);
        h.add_viewed(2, "B", "en", &[]);
        h.add_viewed(1, "A", "en", &["Net".into()]);
        assert_eq!(h.viewed_in("en").map(|v| v.id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(h.viewed_in("de").count(), 0);
        h.remove_viewed(1, "en");
        h.remove_search("Query 3", "en");
        assert_eq!(h.viewed.len(), 1);
        assert_eq!(h.searches_in("en").next().unwrap().query, "query 11");
        let long = "x".repeat(1000);
        h.add_search(&long, "en");
        assert_eq!(h.searches[0].query.chars().count(), MAX_QUERY_CHARS);
    }

    #[test]
    fn what_is_stored_reads_back() {
        let mut h = History::default();
        h.add_search("ssh key", "en");
        h.add_search("Netzwerk", "de");
        h.add_viewed(12, "SSH", "en", &["Network".into(), "SSH".into()]);
        let json = stored_json(&h);
        assert!(json.starts_with("{\"v\":1,"), "{json}");
        assert_eq!(parse(&json), h);
    }

    /// A damaged or hostile value gives what is usable of it, never an
    /// error or a panic.
    #[test]
    fn any_stored_value_is_read_defensively() {
        for junk in [
            "",
            "null",
            "42",
            "\"text\"",
            "[1,2]",
            "{",
            "{}",
            "{\"searches\":7}",
            "{\"searches\":{\"a\":1},\"viewed\":\"x\"}",
            "{\"v\":\"x\"}",
            r#"{"searches":[["ok","en"],[1,"en"]]}"#,
            r#"{"viewed":[{"id":1.5,"title":"t","lang":"en"}]}"#,
            r#"{"viewed":[{"title":"no id","lang":"en"}]}"#,
        ] {
            assert_eq!(parse(junk), History::default(), "{junk}");
        }
        // The stored shape with unknown fields, entries of invalid
        // languages and duplicates: the usable entries.
        let mixed = r#"{"v":9,"extra":{"deep":[1,2,3]},
            "searches":[["ok","en"],["bad lang","EN"],["<img src=x>","de"],["OK","en"]],
            "viewed":[{"id":3,"title":"T","lang":"xx-"},{"id":4,"title":"U","lang":"ja","path":["A"],"more":1}]}"#;
        let h = parse(mixed);
        assert_eq!(
            h.searches
                .iter()
                .map(|s| (s.query.as_str(), s.lang.as_str()))
                .collect::<Vec<_>>(),
            [("ok", "en"), ("<img src=x>", "de")]
        );
        assert_eq!(h.viewed.len(), 1);
        assert_eq!(h.viewed[0].id, 4);
        // Too many entries: the first kept, as stored.
        let many: Vec<String> = (0..500).map(|i| format!("[\"q{i}\",\"en\"]")).collect();
        let h = parse(&format!("{{\"searches\":[{}]}}", many.join(",")));
        assert_eq!(h.searches.len(), MAX_KEPT);
        assert_eq!(h.searches[0].query, "q0");
        // Over-long text is dropped, not cut.
        let long = format!("{{\"searches\":[[\"{}\",\"en\"]]}}", "y".repeat(5000));
        assert!(parse(&long).is_empty());
        assert_eq!(
            storage_key("https://p.example/v1/snapshot"),
            "hc-search:history:https://p.example/v1/snapshot"
        );
    }
}
