//! The site owner's synonym groups (`hc_core::synonyms`), compiled for
//! one language: each member analysed into indexed terms the way query
//! words are, and a map from a one-word member's term to the other members.
//!
//! A query word whose indexed term is a one-word member of a group also
//! looks for every other member, as a variant of that word weighted
//! [`SYNONYM_WEIGHT`] (a little below the word typed, above a prefix
//! completion) whose IDF is capped by the typed word's, like completions;
//! a member of several words matches an article containing all of them. A query of several
//! words is not matched against a several-word member: `two factor` does
//! not find `2fa` (the group `2fa, two-factor authentication` works from
//! `2fa`).

use std::collections::HashMap;

use crate::analysis::Analysis;

/// Weight of a synonym relative to the word typed.
pub const SYNONYM_WEIGHT: f32 = 0.9;

/// One language's synonym groups, as given and as indexed terms.
#[derive(Debug, Clone, Default)]
pub struct SynonymIndex {
    groups: Vec<Vec<String>>,
    alternatives: HashMap<String, Vec<Vec<String>>>,
}

impl SynonymIndex {
    pub fn new(analysis: &Analysis, groups: Vec<Vec<String>>) -> Self {
        let mut alternatives: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for group in &groups {
            let members: Vec<Vec<String>> = group
                .iter()
                .map(|m| terms_of(analysis, m))
                .filter(|t| !t.is_empty())
                .collect();
            for member in &members {
                let [term] = member.as_slice() else {
                    continue;
                };
                let alts = alternatives.entry(term.clone()).or_default();
                for other in &members {
                    if other != member && !alts.contains(other) {
                        alts.push(other.clone());
                    }
                }
            }
        }
        SynonymIndex {
            groups,
            alternatives,
        }
    }

    /// The groups as given (what a container stores).
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// The other members of the groups that have `term` as a one-word
    /// member, each as its indexed terms.
    pub fn alternatives(&self, term: &str) -> &[Vec<String>] {
        self.alternatives.get(term).map_or(&[], Vec::as_slice)
    }
}

/// A member's indexed terms: stop words dropped unless it has nothing else.
fn terms_of(analysis: &Analysis, member: &str) -> Vec<String> {
    let tokens = analysis.query_tokens(member);
    let content: Vec<String> = tokens
        .iter()
        .filter(|t| !t.stop)
        .map(|t| t.term.clone())
        .collect();
    if content.is_empty() {
        tokens.into_iter().map(|t| t.term).collect()
    } else {
        content
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(g: &[&[&str]]) -> Vec<Vec<String>> {
        g.iter()
            .map(|m| m.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn one_word_members_point_at_the_others_by_indexed_term() {
        let a = Analysis::new("en");
        let s = SynonymIndex::new(
            &a,
            groups(&[
                &["Invoice", "bill", "receipts"],
                &["2FA", "two-factor authentication"],
            ]),
        );
        assert_eq!(
            s.alternatives("invoic"),
            [vec!["bill".to_string()], vec!["receipt".to_string()]]
        );
        assert_eq!(
            s.alternatives("bill"),
            [vec!["invoic".to_string()], vec!["receipt".to_string()]]
        );
        assert_eq!(
            s.alternatives("2fa"),
            [vec![
                "two".to_string(),
                "factor".to_string(),
                "authent".to_string()
            ]]
        );
        // A several-word member points nowhere itself.
        assert!(s.alternatives("two").is_empty());
        assert!(s.alternatives("unknown").is_empty());
        assert_eq!(s.groups().len(), 2);
    }
}
