//! The widget's configuration, as the loader passes it from the element's
//! attributes and the page (`lang` of `<html>`, `navigator.languages`).
//!
//! Attributes are written by the host page, possibly from data it does not
//! control, so nothing here trusts their shape: a `strings` value of any
//! JSON shape deserialises (what is usable is used, the rest ignored), and a
//! `help-center-url` that is not an `http(s)` URL is treated as absent, so
//! no `javascript:` or `data:` link can be built from it. What was ignored
//! is listed by [`Options::warnings`] for the console.

use std::collections::HashMap;
use std::fmt;

use hc_core::protocol::{ContentSource, Fallback, LanguageRequest};
use hc_core::static_site::sibling_url;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// hc-proxy base URL.
    pub proxy: Option<String>,
    /// Static snapshot URL (`hcs build-static`), used when `proxy` is absent.
    pub snapshot: Option<String>,
    /// `packs.json` of prebuilt per-language packs (`hcs build-static`);
    /// alone it implies the snapshot next to it.
    pub packs: Option<String>,
    pub lang: Option<String>,
    pub page_lang: Option<String>,
    pub visitor_languages: Vec<String>,
    /// `"default"` shows the default language where a translation is missing.
    pub fallback: Option<String>,
    /// `light`, `dark` or `auto` (default).
    pub theme: Option<String>,
    /// `modal` (default) or `inline`.
    pub mode: Option<String>,
    pub placeholder: Option<String>,
    /// The help center's public URL, for "open the full article".
    pub help_center_url: Option<String>,
    /// Where a visitor who found nothing can ask a person: an `http(s)` or
    /// `mailto:` URL.
    pub contact_url: Option<String>,
    /// What the host page is about (`context`), for the empty state.
    pub context: Option<String>,
    /// Article ids the host suggests for this page (`suggest="12,40"`).
    pub suggest: Option<String>,
    /// `off`: no recent searches or recently viewed articles.
    pub history: Option<String>,
    /// `category="ID"`: every search is limited to that category.
    pub category: Option<String>,
    /// URL of the worker module (its wasm URL in the fragment), for when
    /// the loader did not start the worker itself.
    pub worker_url: String,
    /// Overrides of UI strings by key.
    pub strings: StringOverrides,
}

impl Options {
    pub fn source(&self) -> Option<ContentSource> {
        match (&self.proxy, &self.snapshot) {
            (Some(url), _) if !url.trim().is_empty() => Some(ContentSource::Proxy {
                url: url.trim().to_string(),
            }),
            (_, Some(url)) if !url.trim().is_empty() => Some(ContentSource::Static {
                snapshot_url: url.trim().to_string(),
                packs_url: self.packs_url(),
            }),
            _ => self.packs_url().map(|packs| ContentSource::Static {
                snapshot_url: sibling_url(&packs, "snapshot.json"),
                packs_url: Some(packs),
            }),
        }
    }

    fn packs_url(&self) -> Option<String> {
        let url = self.packs.as_deref()?.trim();
        (!url.is_empty()).then(|| url.to_string())
    }

    pub fn fallback(&self) -> Fallback {
        match self.fallback.as_deref() {
            Some("default") => Fallback::Default,
            _ => Fallback::None,
        }
    }

    pub fn inline(&self) -> bool {
        self.mode.as_deref() == Some("inline")
    }

    pub fn language_request(&self) -> LanguageRequest {
        LanguageRequest {
            explicit: self.lang.clone().filter(|l| !l.trim().is_empty()),
            page: self.page_lang.clone().filter(|l| !l.trim().is_empty()),
            visitor: self.visitor_languages.clone(),
        }
    }

    /// The language of the widget's own strings before the site's languages
    /// are known: the same negotiation over the built-in tables.
    pub fn ui_language(&self) -> String {
        let available: Vec<hc_core::LangCode> = crate::strings::UI_LANGUAGES
            .iter()
            .filter_map(|l| l.parse().ok())
            .collect();
        let en: hc_core::LangCode = "en".parse().expect("en is a language code");
        self.language_request().resolve(&available, &en).to_string()
    }

    /// Link to the article on the help center itself; `None` without a
    /// usable `help-center-url` (absent, blank, or not `http(s)`).
    pub fn article_url(&self, lang: &str, slug: &str) -> Option<String> {
        let base = web_url(self.help_center_url.as_deref()?)?.trim_end_matches('/');
        if slug.is_empty() {
            return None;
        }
        Some(format!("{base}/{lang}/articles/{slug}"))
    }

    /// The `suggest` attribute's article ids, in order; anything that is
    /// not a whole number is left out (and named by [`Options::warnings`]).
    pub fn suggested_ids(&self) -> Vec<i64> {
        parse_ids(self.suggest.as_deref().unwrap_or("")).0
    }

    /// Whether the visitor's history is shown and kept (`history="off"`,
    /// in any case and with spaces, turns it off).
    pub fn history_enabled(&self) -> bool {
        !self
            .history
            .as_deref()
            .is_some_and(|h| h.trim().eq_ignore_ascii_case("off"))
    }

    /// The category every search is limited to (`category="ID"`); `None`
    /// when absent or not a whole number (named by [`Options::warnings`]).
    pub fn scope(&self) -> Option<i64> {
        self.category.as_deref()?.trim().parse().ok()
    }

    /// The "Contact support" link; `None` without a usable `contact-url`
    /// (absent, blank, or neither `http(s)` nor `mailto:`).
    pub fn contact_url(&self) -> Option<String> {
        let raw = self.contact_url.as_deref()?;
        web_url(raw).or_else(|| mailto_url(raw)).map(str::to_string)
    }

    /// One line per attribute that was ignored in whole or in part, for
    /// `console.warn`: the page's author learns why, the visitor sees a
    /// working widget.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(raw) = self.help_center_url.as_deref() {
            if !raw.trim().is_empty() && web_url(raw).is_none() {
                out.push(format!(
                    "hc-search: help-center-url {:?} is ignored: it must be an http:// or \
                     https:// URL (no \"Open the full article\" link is shown)",
                    shorten(raw.trim(), 80)
                ));
            }
        }
        if let Some(raw) = self.contact_url.as_deref() {
            if !raw.trim().is_empty() && self.contact_url().is_none() {
                out.push(format!(
                    "hc-search: contact-url {:?} is ignored: it must be an http://, https:// or \
                     mailto: URL (no \"Contact support\" link is shown)",
                    shorten(raw.trim(), 80)
                ));
            }
        }
        if let Some(raw) = self.category.as_deref() {
            if !raw.trim().is_empty() && self.scope().is_none() {
                out.push(format!(
                    "hc-search: category {:?} is ignored: it must be a category id \
                     (searches are not limited to a category)",
                    shorten(raw.trim(), 80)
                ));
            }
        }
        let (_, bad) = parse_ids(self.suggest.as_deref().unwrap_or(""));
        if !bad.is_empty() {
            out.push(format!(
                "hc-search: suggest has entries that are not article ids, left out: {}",
                shorten(&bad.join(", "), 80)
            ));
        }
        if let Some(w) = self.strings.warning() {
            out.push(w);
        }
        out
    }
}

/// `raw` trimmed, if it is an absolute `http://` or `https://` URL with
/// something after the `//`. Only the exact prefix counts: a browser would
/// also strip control characters and tabs inside a scheme (`java\tscript:`),
/// so anything that is not literally `http(s)://…` is refused rather than
/// parsed.
fn web_url(raw: &str) -> Option<&str> {
    let url = raw.trim();
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|p| p.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    })?;
    (!rest.is_empty() && !rest.starts_with(['/', '\\'])).then_some(url)
}

/// The most article ids a page may suggest.
pub const MAX_SUGGESTED: usize = 50;

/// An article id from a JS number: only whole, safe integers are ids.
pub fn article_id(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0).then_some(n as i64)
}

/// Article ids from a comma- or space-separated list, at most
/// [`MAX_SUGGESTED`], and the entries that were not ids.
pub fn parse_ids(raw: &str) -> (Vec<i64>, Vec<String>) {
    let mut ids = Vec::new();
    let mut bad = Vec::new();
    for part in raw.split([',', ' ', '\n', '\t']).filter(|p| !p.is_empty()) {
        match part.parse::<i64>() {
            Ok(id) if ids.len() < MAX_SUGGESTED => ids.push(id),
            Ok(_) => {}
            Err(_) => bad.push(part.to_string()),
        }
    }
    (ids, bad)
}

/// `raw` trimmed, if it is a `mailto:` URL with an address.
fn mailto_url(raw: &str) -> Option<&str> {
    let url = raw.trim();
    let rest = url
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("mailto:"))
        .map(|_| &url[7..])?;
    rest.contains('@').then_some(url)
}

/// At most `max` characters of `s`, for messages about host input.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// The longest override used: UI strings are short, and a megabyte of
/// text in the launcher is a mistake (or an attack on the layout).
pub const MAX_STRING_CHARS: usize = 1000;

/// The host's overrides of UI strings (the `strings` attribute, which the
/// loader parses as JSON). It deserialises from any value: the entries of
/// an object that name a known key (`crate::strings::KEYS`) and hold a
/// string of at most [`MAX_STRING_CHARS`] are used; everything else (a
/// non-object, other keys, numbers, nested objects, over-long text) is
/// ignored and described once in [`Options::warnings`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringOverrides {
    values: HashMap<String, String>,
    /// The first few things ignored, and how many there were in all.
    ignored: Vec<String>,
    ignored_count: usize,
}

impl StringOverrides {
    /// Only the overrides to apply, by key.
    pub fn values(&self) -> &HashMap<String, String> {
        &self.values
    }

    fn ignore(&mut self, what: String) {
        const LISTED: usize = 5;
        if self.ignored.len() < LISTED {
            self.ignored.push(what);
        }
        self.ignored_count += 1;
    }

    fn warning(&self) -> Option<String> {
        if self.ignored_count == 0 {
            return None;
        }
        let more = self.ignored_count - self.ignored.len();
        Some(format!(
            "hc-search: the strings attribute takes a JSON object of UI strings by key \
             (e.g. {{\"placeholder\": \"Ask us\"}}); ignored: {}{}",
            self.ignored.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        ))
    }
}

impl<'de> Deserialize<'de> for StringOverrides {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OverridesVisitor)
    }
}

struct OverridesVisitor;

impl OverridesVisitor {
    fn not_an_object<E>(kind: &str) -> Result<StringOverrides, E> {
        let mut out = StringOverrides::default();
        out.ignore(format!("the whole value ({kind}, not an object)"));
        Ok(out)
    }
}

impl<'de> Visitor<'de> for OverridesVisitor {
    type Value = StringOverrides;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value (a JSON object of UI strings is used)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = StringOverrides::default();
        while let Some(key) = map.next_key::<String>()? {
            let entry = map.next_value::<Entry>()?;
            let name = shorten(&key, 40);
            match entry {
                _ if !crate::strings::KEYS.contains(&key.as_str()) => {
                    out.ignore(format!("{name:?} (not a UI string key)"))
                }
                Entry::Text(text) if text.chars().count() > MAX_STRING_CHARS => out.ignore(
                    format!("{name:?} (longer than {MAX_STRING_CHARS} characters)"),
                ),
                Entry::Text(text) => {
                    out.values.insert(key, text);
                }
                Entry::Other(kind) => out.ignore(format!("{name:?} ({kind}, not a string)")),
            }
        }
        Ok(out)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(StringOverrides::default())
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(StringOverrides::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        StringOverrides::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Self::not_an_object("an array")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Self::not_an_object("a boolean")
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Self::not_an_object("a number")
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Self::not_an_object("a number")
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Self::not_an_object("a number")
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Self::not_an_object("text that is not a JSON object")
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Self::Value, E> {
        Self::not_an_object("bytes")
    }
}

/// One value of the `strings` object: text, or what kind of thing it was.
enum Entry {
    Text(String),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(EntryVisitor)
    }
}

struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value (a string is used)")
    }

    fn visit_str<E>(self, v: &str) -> Result<Entry, E> {
        Ok(Entry::Text(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Entry, E> {
        Ok(Entry::Text(v))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Entry, E> {
        Ok(Entry::Other("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Entry, E> {
        Ok(Entry::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Entry, E> {
        Ok(Entry::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Entry, E> {
        Ok(Entry::Other("a number"))
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Entry, E> {
        Ok(Entry::Other("bytes"))
    }

    fn visit_unit<E>(self) -> Result<Entry, E> {
        Ok(Entry::Other("null"))
    }

    fn visit_none<E>(self) -> Result<Entry, E> {
        Ok(Entry::Other("null"))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Entry, D::Error> {
        Entry::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Entry::Other("an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Entry::Other("an object"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_language_follows_the_negotiation() {
        let o = Options {
            page_lang: Some("de-DE".into()),
            ..Default::default()
        };
        assert_eq!(o.ui_language(), "de");
        let o = Options {
            visitor_languages: vec!["ko".into(), "zh-Hant-TW".into()],
            ..Default::default()
        };
        assert_eq!(o.ui_language(), "zh-tw");
        assert_eq!(Options::default().ui_language(), "en");
    }

    #[test]
    fn history_is_on_unless_off_and_category_must_be_an_id() {
        assert!(Options::default().history_enabled());
        for off in ["off", " OFF ", "Off"] {
            let o = Options {
                history: Some(off.into()),
                ..Default::default()
            };
            assert!(!o.history_enabled(), "{off:?}");
        }
        let on = Options {
            history: Some("on".into()),
            ..Default::default()
        };
        assert!(on.history_enabled());
        let scoped = Options {
            category: Some(" 42 ".into()),
            ..Default::default()
        };
        assert_eq!(scoped.scope(), Some(42));
        assert!(scoped.warnings().is_empty());
        let bad = Options {
            category: Some("billing".into()),
            ..Default::default()
        };
        assert_eq!(bad.scope(), None);
        assert_eq!(bad.warnings().len(), 1);
        assert!(bad.warnings()[0].starts_with("hc-search: category \"billing\""));
    }

    #[test]
    fn source_prefers_the_proxy() {
        let o = Options {
            proxy: Some(" http://p ".into()),
            snapshot: Some("s.json".into()),
            ..Default::default()
        };
        assert_eq!(
            o.source(),
            Some(ContentSource::Proxy {
                url: "http://p".into()
            })
        );
        assert_eq!(Options::default().source(), None);
        assert_eq!(
            Options {
                help_center_url: Some("https://help.example.com/".into()),
                ..Default::default()
            }
            .article_url("de", "konto"),
            Some("https://help.example.com/de/articles/konto".into())
        );
    }

    #[test]
    fn packs_alone_imply_the_snapshot_next_to_them() {
        let o = Options {
            packs: Some("/hc-search/packs.json".into()),
            ..Default::default()
        };
        assert_eq!(
            o.source(),
            Some(ContentSource::Static {
                snapshot_url: "/hc-search/snapshot.json".into(),
                packs_url: Some("/hc-search/packs.json".into()),
            })
        );
        let o = Options {
            snapshot: Some("/s.json".into()),
            packs: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(
            o.source(),
            Some(ContentSource::Static {
                snapshot_url: "/s.json".into(),
                packs_url: None,
            })
        );
    }

    #[test]
    fn help_center_url_must_be_http_or_https() {
        let hostile = [
            "javascript:alert(1)",
            " JavaScript:alert(1)//https://help.example.com",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "//evil.example",
            "/relative/help",
            "help.example.com",
            "https:",
            "https://",
            "https:///x",
            "https:\\\\evil.example",
        ];
        for bad in hostile {
            let o = Options {
                help_center_url: Some(bad.into()),
                ..Default::default()
            };
            assert_eq!(o.article_url("en", "konto"), None, "{bad:?}");
            let warnings = o.warnings();
            assert_eq!(warnings.len(), 1, "{bad:?}: {warnings:?}");
            assert!(warnings[0].contains("help-center-url"), "{warnings:?}");
        }
        for (good, link) in [
            (
                "https://help.example.com",
                "https://help.example.com/de/articles/konto",
            ),
            (
                " HTTP://help.example.com/x/ ",
                "HTTP://help.example.com/x/de/articles/konto",
            ),
        ] {
            let o = Options {
                help_center_url: Some(good.into()),
                ..Default::default()
            };
            assert_eq!(o.article_url("de", "konto").as_deref(), Some(link));
            assert!(o.warnings().is_empty(), "{good:?}");
        }
        // Absent or blank: no link, and nothing to warn about.
        for absent in [None, Some("  ".to_string())] {
            let o = Options {
                help_center_url: absent,
                ..Default::default()
            };
            assert_eq!(o.article_url("de", "konto"), None);
            assert!(o.warnings().is_empty());
        }
    }

    /// `strings` of every JSON shape, as the loader passes it: the options
    /// always deserialise, the usable entries are used, and anything
    /// ignored makes exactly one warning.
    #[test]
    fn strings_of_any_shape_leave_the_options_usable() {
        let huge = "x".repeat(MAX_STRING_CHARS + 1);
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let many: Vec<String> = (0..10_000).map(|i| format!("\"k{i}\": {i}")).collect();
        // (the attribute's JSON, the overrides used, whether it warns)
        type Case = (String, &'static [(&'static str, &'static str)], bool);
        let cases: Vec<Case> = vec![
            ("[1,2]".into(), &[], true),
            ("[\"placeholder\", \"x\"]".into(), &[], true),
            ("5".into(), &[], true),
            ("true".into(), &[], true),
            ("\"{not json\"".into(), &[], true),
            (r#"{"placeholder": {"x": 1}}"#.into(), &[], true),
            (format!(r#"{{"placeholder": {deep}}}"#), &[], true),
            (format!(r#"{{"placeholder": "{huge}"}}"#), &[], true),
            (
                r#"{"placeholder": "Ask us", "close": 3, "retry": ["a"], "back": null,
                   "open_full": false, "nope": "x", "__proto__": "y"}"#
                    .into(),
                &[("placeholder", "Ask us")],
                true,
            ),
            (format!("{{{}}}", many.join(",")), &[], true),
            (
                r#"{"placeholder": "Ask us", "close": "Done"}"#.into(),
                &[("placeholder", "Ask us"), ("close", "Done")],
                false,
            ),
            ("{}".into(), &[], false),
            ("null".into(), &[], false),
        ];
        for (strings, used, warns) in cases {
            let json = format!(r#"{{"workerUrl": "w.js", "strings": {strings}}}"#);
            let o: Options = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{}: {e}", shorten(&strings, 60)));
            let expected: HashMap<String, String> = used
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(o.strings.values(), &expected, "{}", shorten(&strings, 60));
            let warnings = o.warnings();
            assert_eq!(
                warnings.len(),
                usize::from(warns),
                "{}: {warnings:?}",
                shorten(&strings, 60)
            );
            // The message stays short whatever the input's size.
            assert!(
                warnings.iter().all(|w| w.chars().count() < 600),
                "{warnings:?}"
            );
            let ui = crate::strings::Strings::new("en", o.strings.values());
            assert_eq!(
                ui.get(crate::strings::Text::Placeholder),
                expected
                    .get("placeholder")
                    .map_or("Search help articles…", String::as_str)
            );
            assert_eq!(o.worker_url, "w.js");
        }
        // Without the attribute at all.
        let o: Options = serde_json::from_str(r#"{"workerUrl": "w.js"}"#).unwrap();
        assert!(o.strings.values().is_empty() && o.warnings().is_empty());
    }

    #[test]
    fn contact_url_is_a_web_or_mail_link_or_nothing() {
        let with = |url: &str| Options {
            contact_url: Some(url.into()),
            ..Default::default()
        };
        for good in [
            "https://acme.example/support",
            " mailto:help@acme.example ",
            "MAILTO:help@acme.example?subject=Help",
        ] {
            assert_eq!(
                with(good).contact_url().as_deref(),
                Some(good.trim()),
                "{good}"
            );
            assert!(with(good).warnings().is_empty(), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "mailto:",
            "//acme.example",
            "data:text/html,x",
        ] {
            assert_eq!(with(bad).contact_url(), None, "{bad}");
            assert!(with(bad).warnings()[0].contains("contact-url"), "{bad}");
        }
        assert_eq!(with("  ").contact_url(), None);
        assert!(with("  ").warnings().is_empty());
    }

    #[test]
    fn suggest_is_a_list_of_ids_and_the_rest_is_named() {
        let o = Options {
            suggest: Some(" 12, 40 x,7 ".into()),
            ..Default::default()
        };
        assert_eq!(o.suggested_ids(), vec![12, 40, 7]);
        assert!(o.warnings()[0].contains("x"), "{:?}", o.warnings());
        assert_eq!(Options::default().suggested_ids(), Vec::<i64>::new());
        let many: String = (0..80).map(|i| format!("{i},")).collect();
        assert_eq!(parse_ids(&many).0.len(), 50);
    }
}
