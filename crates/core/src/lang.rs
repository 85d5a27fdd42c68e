//! Language codes and language negotiation.
//!
//! HelpCenter.io keys every translated field by a lowercase code such as
//! `en`, `pt-br` or `zh-cn`. Browsers speak BCP 47 (`pt-BR`, `zh-Hant-TW`).
//! [`LangCode`] is the validated, normalised API form; [`negotiate`] maps
//! what the page and the visitor ask for onto the languages a site has.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A language code as the API uses it: lowercase ASCII, a 2–3 letter primary
/// subtag, then up to two subtags of 2–8 letters or digits (`en`, `pt-br`,
/// `zh-cn`, `sr-latn-rs`). Input is accepted in any case and with `_` as a
/// separator, and normalised.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LangCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a language code (expected a code such as en, de, pt-br or zh-cn)")]
pub struct LangCodeError {
    pub input: String,
}

impl LangCode {
    pub fn parse(input: &str) -> Result<Self, LangCodeError> {
        let err = || LangCodeError {
            input: input.chars().take(40).collect(),
        };
        let normalised = input.trim().replace('_', "-").to_ascii_lowercase();
        let mut parts = normalised.split('-');
        let primary = parts.next().unwrap_or_default();
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(err());
        }
        let mut subtags = 0;
        for part in parts {
            subtags += 1;
            if subtags > 2
                || !(2..=8).contains(&part.len())
                || !part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                return Err(err());
            }
        }
        Ok(LangCode(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary subtag: `pt` for `pt-br`.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for LangCode {
    /// The code, padded to a width if one is given (`{:6}` in a table).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for LangCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LangCode({})", self.0)
    }
}

impl std::str::FromStr for LangCode {
    type Err = LangCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LangCode::parse(s)
    }
}

impl AsRef<str> for LangCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for LangCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LangCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        LangCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What a visit asks for, most authoritative first.
#[derive(Debug, Clone, Default)]
pub struct LanguagePreferences<'a> {
    /// The widget's explicit `lang` attribute or a `setLanguage` call.
    pub explicit: Option<&'a str>,
    /// The host page's `<html lang>`.
    pub page: Option<&'a str>,
    /// `navigator.languages`, in the visitor's order.
    pub visitor: &'a [&'a str],
}

/// Picks the language to show: the first of explicit choice, page language
/// and visitor preferences that the site has (after region fallback), else
/// the site's default. Never fails: unparseable tags are skipped.
pub fn negotiate(
    prefs: &LanguagePreferences<'_>,
    available: &[LangCode],
    default: &LangCode,
) -> LangCode {
    let candidates = prefs
        .explicit
        .into_iter()
        .chain(prefs.page)
        .chain(prefs.visitor.iter().copied());
    for tag in candidates {
        if let Some(found) = match_tag(tag, available) {
            return found;
        }
    }
    default.clone()
}

/// Maps one BCP 47 tag onto the site's languages, or `None`.
///
/// Order: exact match; Chinese by script or region (`zh-Hant-*`, `zh-TW`,
/// `zh-HK`, `zh-MO` → `zh-tw`; `zh-Hans-*`, `zh-CN`, `zh-SG` → `zh-cn`);
/// primary+region with the script dropped (`pt-Latn-BR` → `pt-br`); the
/// primary alone (`de-AT` → `de`); finally a regional variant of the same
/// primary (`pt` → `pt-br` when the site has no plain `pt`).
pub fn match_tag(tag: &str, available: &[LangCode]) -> Option<LangCode> {
    let norm = tag.trim().replace('_', "-").to_ascii_lowercase();
    let subtags: Vec<&str> = norm.split('-').filter(|s| !s.is_empty()).collect();
    let primary = *subtags.first()?;
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let primary = match primary {
        // Deprecated codes browsers still send.
        "in" => "id",
        "iw" => "he",
        "ji" => "yi",
        other => other,
    };
    let has = |code: &str| available.iter().find(|l| l.as_str() == code).cloned();

    if let Some(found) = has(&norm) {
        return Some(found);
    }
    let script = subtags.iter().skip(1).find(|s| s.len() == 4).copied();
    let region = subtags
        .iter()
        .skip(1)
        .find(|s| s.len() == 2 || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())))
        .copied();

    if primary == "zh" {
        let traditional = match (script, region) {
            (Some("hant"), _) => Some(true),
            (Some("hans"), _) => Some(false),
            (_, Some("tw" | "hk" | "mo")) => Some(true),
            (_, Some("cn" | "sg" | "my")) => Some(false),
            _ => None,
        };
        let wanted: &[&str] = match traditional {
            Some(true) => &["zh-tw", "zh-hk", "zh-hant"],
            Some(false) => &["zh-cn", "zh-sg", "zh-hans"],
            None => &["zh-cn", "zh-hans", "zh-tw"],
        };
        if let Some(found) = wanted.iter().find_map(|w| has(w)) {
            return Some(found);
        }
    }
    if let Some(region) = region {
        if let Some(found) = has(&format!("{primary}-{region}")) {
            return Some(found);
        }
    }
    if let Some(found) = has(primary) {
        return Some(found);
    }
    available.iter().find(|l| l.primary() == primary).cloned()
}

/// A language's own name ("Deutsch", "日本語"), for language switchers in
/// the widget and on the demo page; the code itself for a language without
/// one here.
pub fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "de" => "Deutsch",
        "es" => "Español",
        "fr" => "Français",
        "it" => "Italiano",
        "ja" => "日本語",
        "pt" => "Português",
        "pt-br" => "Português (Brasil)",
        "zh-cn" => "简体中文",
        "zh-tw" => "繁體中文",
        "id" => "Bahasa Indonesia",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "ru" => "Русский",
        "ko" => "한국어",
        "sv" => "Svenska",
        "tr" => "Türkçe",
        "uk" => "Українська",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `hcs build-static` lists packs in columns (`{lang:6}`).
    #[test]
    fn a_code_pads_to_the_width_asked_for() {
        let pt_br: LangCode = "pt-br".parse().unwrap();
        let en: LangCode = "en".parse().unwrap();
        assert_eq!(format!("{en:6}|{pt_br:6}|{en}"), "en    |pt-br |en");
    }

    fn codes(list: &[&str]) -> Vec<LangCode> {
        list.iter().map(|c| LangCode::parse(c).unwrap()).collect()
    }

    const CORPUS: &[&str] = &[
        "en", "de", "es", "fr", "it", "ja", "pt", "pt-br", "zh-cn", "zh-tw", "id",
    ];

    #[test]
    fn parses_and_normalises() {
        assert_eq!(LangCode::parse("pt-BR").unwrap().as_str(), "pt-br");
        assert_eq!(LangCode::parse("zh_CN").unwrap().as_str(), "zh-cn");
        assert_eq!(LangCode::parse(" en ").unwrap().as_str(), "en");
        assert_eq!(LangCode::parse("sr-latn-rs").unwrap().primary(), "sr");
        for bad in [
            "",
            "e",
            "english",
            "en-",
            "en--us",
            "1e",
            "en-a",
            "e n",
            "en-us-x-y",
            "ü",
        ] {
            assert!(LangCode::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn serde_round_trip_rejects_garbage() {
        let c: LangCode = serde_json::from_str("\"DE\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"de\"");
        assert!(serde_json::from_str::<LangCode>("\"not a code\"").is_err());
    }

    /// (tag, expected) against the corpus' eleven languages.
    #[test]
    fn region_fallback() {
        let site = codes(CORPUS);
        let cases = [
            ("de-AT", Some("de")),
            ("pt-BR", Some("pt-br")),
            ("pt-PT", Some("pt")),
            ("pt", Some("pt")),
            ("zh-Hant-TW", Some("zh-tw")),
            ("zh-Hant", Some("zh-tw")),
            ("zh-HK", Some("zh-tw")),
            ("zh-Hans-CN", Some("zh-cn")),
            ("zh-SG", Some("zh-cn")),
            ("zh", Some("zh-cn")),
            ("en-US", Some("en")),
            ("fr_CA", Some("fr")),
            ("ja-JP", Some("ja")),
            ("in-ID", Some("id")),
            ("ko-KR", None),
            ("*", None),
            ("", None),
            ("x-klingon", None),
        ];
        for (tag, want) in cases {
            assert_eq!(
                match_tag(tag, &site).as_ref().map(LangCode::as_str),
                want,
                "tag {tag}"
            );
        }
        // A regional variant serves the bare primary when the plain one is absent.
        let only_br = codes(&["en", "pt-br"]);
        assert_eq!(match_tag("pt", &only_br).unwrap().as_str(), "pt-br");
        assert_eq!(match_tag("pt-PT", &only_br).unwrap().as_str(), "pt-br");
        let only_pt = codes(&["en", "pt"]);
        assert_eq!(match_tag("pt-BR", &only_pt).unwrap().as_str(), "pt");
    }

    #[test]
    fn negotiation_order() {
        let site = codes(CORPUS);
        let en = LangCode::parse("en").unwrap();
        let pick = |explicit, page, visitor: &[&str]| {
            negotiate(
                &LanguagePreferences {
                    explicit,
                    page,
                    visitor,
                },
                &site,
                &en,
            )
            .to_string()
        };
        assert_eq!(pick(Some("fr"), Some("de"), &["ja"]), "fr");
        assert_eq!(pick(None, Some("de-CH"), &["ja"]), "de");
        assert_eq!(pick(None, None, &["ko", "ja-JP", "de"]), "ja");
        assert_eq!(pick(Some("klingon"), None, &["es-MX"]), "es");
        assert_eq!(pick(None, None, &["ko", "ru"]), "en");
        assert_eq!(pick(None, None, &[]), "en");
    }

    proptest::proptest! {
        #[test]
        fn negotiation_always_yields_a_site_language(
            explicit in proptest::option::of(".{0,20}"),
            page in proptest::option::of("[a-zA-Z_-]{0,12}"),
            visitor in proptest::collection::vec("[a-zA-Z_-]{0,12}", 0..4),
        ) {
            let site = codes(CORPUS);
            let en = LangCode::parse("en").unwrap();
            let visitor: Vec<&str> = visitor.iter().map(String::as_str).collect();
            let prefs = LanguagePreferences { explicit: explicit.as_deref(), page: page.as_deref(), visitor: &visitor };
            let got = negotiate(&prefs, &site, &en);
            proptest::prop_assert!(site.contains(&got));
        }
    }
}
