//! Site-wide suggestions by page: a rules file maps URL path patterns to
//! articles (ids) or to a query, so that the widget on `/billing/invoices`
//! opens on the invoice articles with an empty search box, without every
//! page of the host app saying so (`suggest` / `context` attributes). hc-proxy
//! (`--suggestions FILE`) and `hcs build-static --suggestions FILE` read
//! the file and serve the rules in the public [`crate::Snapshot`]; the
//! worker matches the page's path.
//!
//! The file (JSON):
//!
//! ```json
//! {"rules": [
//!   {"path": "/billing/*", "ids": [12, 40]},
//!   {"path": "/settings/team", "query": "invite members"}
//! ]}
//! ```
//!
//! A pattern is a path where `*` stands for any run of characters
//! (slashes included); the query string and fragment of the page are not
//! part of the path. The first matching rule wins. Limits keep a mistaken
//! file small: [`MAX_RULES`] rules, [`MAX_RULE_IDS`] ids and a pattern and
//! query of at most [`MAX_RULE_TEXT`] bytes each.

use serde::{Deserialize, Serialize};

/// Rules at most.
const MAX_RULES: usize = 1_000;
/// Ids per rule at most.
const MAX_RULE_IDS: usize = 20;
/// Bytes of a pattern or a query at most.
const MAX_RULE_TEXT: usize = 200;

/// One rule: the pages it applies to and what they suggest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageRule {
    /// Path pattern, `*` for any run of characters.
    pub path: String,
    /// Articles to suggest first, in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<i64>,
    /// What the page is about: its best matches follow the ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rules: Vec<PageRule>,
}

/// Why a rules file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageRulesError {
    #[error("suggestions JSON: {0} (expected {{\"rules\": [{{\"path\": \"/billing/*\", \"ids\": [12]}}]}})")]
    Json(String),
    #[error("suggestions, rule {rule}: {problem}")]
    Rule { rule: usize, problem: String },
    #[error("suggestions: more than {MAX_RULES} rules")]
    TooMany,
}

/// Parses and checks a rules file.
pub fn parse(text: &str) -> Result<Vec<PageRule>, PageRulesError> {
    let file: RulesFile =
        serde_json::from_str(text).map_err(|e| PageRulesError::Json(e.to_string()))?;
    if file.rules.len() > MAX_RULES {
        return Err(PageRulesError::TooMany);
    }
    for (i, r) in file.rules.iter().enumerate() {
        let problem = |problem: &str| PageRulesError::Rule {
            rule: i + 1,
            problem: problem.to_string(),
        };
        if !r.path.starts_with('/') && !r.path.starts_with('*') {
            return Err(problem("a path starts with / (or *)"));
        }
        if r.path.len() > MAX_RULE_TEXT || r.query.as_ref().is_some_and(|q| q.len() > MAX_RULE_TEXT)
        {
            return Err(problem("a path or query longer than 200 bytes"));
        }
        if r.ids.len() > MAX_RULE_IDS {
            return Err(problem("more than 20 ids"));
        }
        if r.ids.is_empty() && r.query.as_deref().is_none_or(|q| q.trim().is_empty()) {
            return Err(problem("a rule needs ids or a query"));
        }
    }
    Ok(file.rules)
}

/// The first rule whose pattern matches `path` (query string and fragment
/// ignored).
pub fn first_match<'a>(rules: &'a [PageRule], path: &str) -> Option<&'a PageRule> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    rules.iter().find(|r| matches(&r.path, path))
}

/// Whether `path` matches `pattern` (`*` = any run of characters).
fn matches(pattern: &str, path: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = path.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty(); // no `*`: the whole path
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(matches("/billing", "/billing"));
        assert!(!matches("/billing", "/billing/x"));
        assert!(matches("/billing/*", "/billing/invoices/2"));
        assert!(!matches("/billing/*", "/billings"));
        assert!(matches("*/team", "/settings/team"));
        assert!(matches("/a/*/c/*", "/a/b/c/d"));
        assert!(!matches("/a/*/c", "/a/b/d"));
        assert!(matches("*", "/anything"));
        assert!(matches("/x*x", "/xx"));
        assert!(!matches("/x*x*x", "/xx"));
    }

    #[test]
    fn the_first_rule_that_matches_wins_and_the_query_string_is_ignored() {
        let rules = parse(
            r#"{"rules": [
                {"path": "/billing/invoices", "ids": [12, 40]},
                {"path": "/billing/*", "query": "payment"}
            ]}"#,
        )
        .unwrap();
        assert_eq!(
            first_match(&rules, "/billing/invoices?page=2#top")
                .unwrap()
                .ids,
            [12, 40]
        );
        assert_eq!(
            first_match(&rules, "/billing/cards")
                .unwrap()
                .query
                .as_deref(),
            Some("payment")
        );
        assert!(first_match(&rules, "/home").is_none());
    }

    #[test]
    fn mistakes_are_refused_with_the_rule_number() {
        let err = |t: &str| parse(t).unwrap_err().to_string();
        assert!(err("[]").contains("expected"));
        assert!(
            err(r#"{"rules": [{"path": "/a", "ids": [1]}, {"path": "b", "ids": [1]}]}"#)
                .contains("rule 2")
        );
        assert!(err(r#"{"rules": [{"path": "/a"}]}"#).contains("ids or a query"));
        assert!(err(r#"{"rules": [{"path": "/a", "query": "  "}]}"#).contains("ids or a query"));
        assert!(err(r#"{"rules": [{"path": "/a", "idz": [1]}]}"#).contains("unknown field"));
        let many = format!(
            r#"{{"rules": [{}]}}"#,
            vec![r#"{"path": "/a", "ids": [1]}"#; MAX_RULES + 1].join(",")
        );
        assert!(err(&many).contains("more than"));
    }
}
