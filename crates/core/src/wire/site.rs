use serde::{Deserialize, Serialize};

use crate::lang::LangCode;
use crate::wire::{Article, Category};

/// A site's language settings: the default is always enabled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub default_language: LangCode,
    pub languages: Vec<LangCode>,
}

impl Site {
    pub fn supports(&self, lang: &LangCode) -> bool {
        &self.default_language == lang || self.languages.contains(lang)
    }

    /// The enabled languages, default first, without duplicates.
    pub fn enabled(&self) -> Vec<LangCode> {
        let mut out = vec![self.default_language.clone()];
        out.extend(
            self.languages
                .iter()
                .filter(|l| **l != self.default_language)
                .cloned(),
        );
        out
    }
}

/// A whole help center in one file: the shape of `shared/corpus/*.json`,
/// of the simulator's `--data` and of `hcs export`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpCenterData {
    pub site: Site,
    pub categories: Vec<Category>,
    pub articles: Vec<Article>,
}
