//! Per-language field values (`{"en": "…", "de": "…"}`) and the merge rule
//! of partial updates: a language present in the update replaces that
//! translation, a language absent from it is preserved.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lang::LangCode;

/// A translated field: one value per language, ordered by code so that
/// serialisation is deterministic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Translations<T>(BTreeMap<LangCode, T>);

impl<T> Default for Translations<T> {
    fn default() -> Self {
        Translations(BTreeMap::new())
    }
}

impl<T> Translations<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, lang: &LangCode) -> Option<&T> {
        self.0.get(lang)
    }

    pub fn get_str(&self, lang: &str) -> Option<&T> {
        LangCode::parse(lang).ok().and_then(|l| self.0.get(&l))
    }

    pub fn insert(&mut self, lang: LangCode, value: T) -> Option<T> {
        self.0.insert(lang, value)
    }

    pub fn remove(&mut self, lang: &LangCode) -> Option<T> {
        self.0.remove(lang)
    }

    pub fn contains(&self, lang: &LangCode) -> bool {
        self.0.contains_key(lang)
    }

    pub fn languages(&self) -> impl Iterator<Item = &LangCode> {
        self.0.keys()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&LangCode, &T)> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The PATCH rule: every language in `update` replaces ours; languages
    /// not in `update` stay as they are.
    pub fn merge(&mut self, update: Translations<T>) {
        self.0.extend(update.0);
    }

    /// Keeps only the given language (the API's `?lang=` response shape).
    pub fn retain_only(&mut self, lang: &LangCode) {
        self.0.retain(|k, _| k == lang);
    }

    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Translations<U> {
        Translations(self.0.into_iter().map(|(k, v)| (k, f(v))).collect())
    }
}

impl<T> FromIterator<(LangCode, T)> for Translations<T> {
    fn from_iter<I: IntoIterator<Item = (LangCode, T)>>(iter: I) -> Self {
        Translations(iter.into_iter().collect())
    }
}

impl<T> IntoIterator for Translations<T> {
    type Item = (LangCode, T);
    type IntoIter = std::collections::btree_map::IntoIter<LangCode, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Builds a [`Translations`] from string pairs; panics on a bad code, so
/// it is for tests and literals only.
#[macro_export]
macro_rules! tr {
    ($($lang:literal => $value:expr),* $(,)?) => {{
        let mut t = $crate::Translations::new();
        $( t.insert($crate::LangCode::parse($lang).expect("literal language code"), $value.into()); )*
        t
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_preserves_untouched_languages() {
        let mut title: Translations<String> =
            crate::tr!("en" => "Getting started", "de" => "Erste Schritte");
        title.merge(crate::tr!("en" => "Start here", "fr" => "Commencer"));
        assert_eq!(
            serde_json::to_value(&title).unwrap(),
            serde_json::json!({"de": "Erste Schritte", "en": "Start here", "fr": "Commencer"})
        );
    }

    #[test]
    fn rejects_non_objects_and_bad_codes() {
        assert!(serde_json::from_str::<Translations<String>>("\"Getting started\"").is_err());
        assert!(serde_json::from_str::<Translations<String>>("{\"english\": \"x\"}").is_err());
        let t: Translations<String> = serde_json::from_str("{\"pt-BR\": \"Olá\"}").unwrap();
        assert_eq!(t.get_str("pt-br").map(String::as_str), Some("Olá"));
    }
}
