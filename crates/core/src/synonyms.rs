//! Synonyms a support team edits: groups of words that mean the same to a
//! visitor (`invoice, bill, receipt`), per language. hc-proxy
//! (`--synonyms`) and `hcs build-static --synonyms` read the file, put the
//! groups in the public [`crate::Snapshot`], and the engine applies them at
//! query time: a query for one word of a group also finds the others.
//!
//! Two file formats, both parsed here so the proxy and the CLI agree:
//!
//! - JSON, every language in one file:
//!   `{"en": [["invoice", "bill", "receipt"]], "de": [["Rechnung", "Beleg"]]}`;
//! - CSV, one language per file (the language is given with the file:
//!   `--synonyms en=synonyms.csv`): one group per line, members separated
//!   by commas, `#` starts a comment.
//!
//! A member may be several words (`2fa, two-factor authentication`): it
//! then matches an article containing all of them. Limits keep a mistaken
//! file from slowing every keystroke: [`MAX_GROUPS`] groups per language,
//! 16 members per group, 100 bytes per member.

use std::collections::BTreeMap;

use crate::lang::LangCode;

/// Groups per language at most.
pub const MAX_GROUPS: usize = 5_000;
/// Members per group at most.
const MAX_MEMBERS: usize = 16;
/// Bytes per member at most.
const MAX_MEMBER_BYTES: usize = 100;

/// One language's groups: each a list of at least two members.
pub type SynonymGroups = Vec<Vec<String>>;
/// Every language's groups.
pub type Synonyms = BTreeMap<LangCode, SynonymGroups>;

/// Why a synonyms file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynonymsError {
    #[error("synonyms JSON: {0} (expected {{\"en\": [[\"invoice\", \"bill\"]], …}})")]
    Json(String),
    #[error("synonyms: {0:?} is not a language code")]
    Language(String),
    #[error("synonyms ({lang}), group {group}: {problem}")]
    Group {
        lang: String,
        /// 1-based: the line of a CSV file, the position in a JSON list.
        group: usize,
        problem: String,
    },
    #[error("synonyms ({lang}): more than {MAX_GROUPS} groups")]
    TooMany { lang: String },
}

/// Parses the JSON format (every language).
fn parse_json(text: &str) -> Result<Synonyms, SynonymsError> {
    let raw: BTreeMap<String, Vec<Vec<String>>> =
        serde_json::from_str(text).map_err(|e| SynonymsError::Json(e.to_string()))?;
    let mut out = Synonyms::new();
    for (lang, groups) in raw {
        let code: LangCode = lang
            .parse()
            .map_err(|_| SynonymsError::Language(lang.clone()))?;
        let lines = groups.into_iter().enumerate().map(|(i, g)| (i + 1, g));
        let checked = check_groups(code.as_str(), lines)?;
        merge(&mut out, code, checked)?;
    }
    Ok(out)
}

/// Parses the CSV format: one language's groups, one per line.
pub fn parse_csv(lang: &str, text: &str) -> Result<Synonyms, SynonymsError> {
    let code: LangCode = lang
        .parse()
        .map_err(|_| SynonymsError::Language(lang.to_string()))?;
    let lines = text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.split('#').next().unwrap_or("").trim();
        (!line.is_empty()).then(|| (i + 1, line.split(',').map(str::to_string).collect()))
    });
    let groups = check_groups(code.as_str(), lines)?;
    let mut out = Synonyms::new();
    merge(&mut out, code, groups)?;
    Ok(out)
}

/// Parses one `--synonyms` argument's file: `LANG=FILE` names a CSV file of
/// one language, anything else a JSON file. `read` returns the file's text.
pub fn parse_arg(
    arg: &str,
    read: impl FnOnce(&str) -> Result<String, String>,
) -> Result<Synonyms, String> {
    match arg.split_once('=') {
        Some((lang, path)) if lang.parse::<LangCode>().is_ok() => {
            let text = read(path)?;
            parse_csv(lang, &text).map_err(|e| format!("{path}: {e}"))
        }
        _ => {
            let text = read(arg)?;
            parse_json(&text).map_err(|e| format!("{arg}: {e}"))
        }
    }
}

/// Parses every `--synonyms` argument ([`parse_arg`]) into one set.
pub fn parse_args(
    args: &[String],
    mut read: impl FnMut(&str) -> Result<String, String>,
) -> Result<Synonyms, String> {
    let mut all = Synonyms::new();
    for arg in args {
        for (lang, groups) in parse_arg(arg, &mut read)? {
            merge(&mut all, lang, groups).map_err(|e| format!("{arg}: {e}"))?;
        }
    }
    Ok(all)
}

/// Adds `more` to `into` (several files may name the same language).
pub fn merge(
    into: &mut Synonyms,
    lang: LangCode,
    more: SynonymGroups,
) -> Result<(), SynonymsError> {
    let groups = into.entry(lang.clone()).or_default();
    groups.extend(more);
    if groups.len() > MAX_GROUPS {
        return Err(SynonymsError::TooMany {
            lang: lang.to_string(),
        });
    }
    Ok(())
}

fn check_groups(
    lang: &str,
    groups: impl Iterator<Item = (usize, Vec<String>)>,
) -> Result<SynonymGroups, SynonymsError> {
    let mut out = Vec::new();
    for (group, members) in groups {
        let problem = |problem: String| SynonymsError::Group {
            lang: lang.to_string(),
            group,
            problem,
        };
        let mut clean: Vec<String> = Vec::new();
        for m in members {
            // One space between words; no control characters.
            let m: String = m
                .split(|c: char| c.is_whitespace() || c.is_control())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if m.is_empty() {
                return Err(problem("an empty member (two commas in a row?)".into()));
            }
            if m.len() > MAX_MEMBER_BYTES {
                return Err(problem(format!(
                    "a member longer than {MAX_MEMBER_BYTES} bytes"
                )));
            }
            if !clean.iter().any(|c| c.to_lowercase() == m.to_lowercase()) {
                clean.push(m);
            }
        }
        if clean.len() < 2 {
            return Err(problem(
                "a group needs at least two different members".into(),
            ));
        }
        if clean.len() > MAX_MEMBERS {
            return Err(problem(format!("more than {MAX_MEMBERS} members")));
        }
        out.push(clean);
        if out.len() > MAX_GROUPS {
            return Err(SynonymsError::TooMany {
                lang: lang.to_string(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(groups: &[&[&str]]) -> Synonyms {
        let groups = groups
            .iter()
            .map(|g| g.iter().map(|s| s.to_string()).collect())
            .collect();
        Synonyms::from([("en".parse().unwrap(), groups)])
    }

    #[test]
    fn json_and_csv_say_the_same() {
        let json = parse_json(
            r#"{"en": [["invoice", " bill ", "receipt"], ["2fa", "two-factor  authentication"]]}"#,
        )
        .unwrap();
        let csv = parse_csv(
            "en",
            "# billing words\ninvoice, bill ,receipt\n\n2fa, two-factor\tauthentication # 2FA\n",
        )
        .unwrap();
        let want = en(&[
            &["invoice", "bill", "receipt"],
            &["2fa", "two-factor authentication"],
        ]);
        assert_eq!(json, want);
        assert_eq!(csv, want);
    }

    #[test]
    fn mistakes_are_refused_with_where_and_why() {
        let err = |r: Result<Synonyms, SynonymsError>| r.unwrap_err().to_string();
        assert!(err(parse_csv("en", "a, b\ninvoice,, bill\n")).contains("group 2: an empty member"));
        assert!(err(parse_csv("en", "invoice\n")).contains("at least two"));
        assert!(err(parse_csv("en", "Bill, bill\n")).contains("at least two"));
        assert!(err(parse_csv("xx-!!", "a, b\n")).contains("not a language code"));
        assert!(err(parse_json("[]")).contains("expected"));
        assert!(err(parse_json(r#"{"en": [["a", "b"]], "e n": []}"#)).contains("not a language"));
        let long = format!("a, {}\n", "b".repeat(MAX_MEMBER_BYTES + 1));
        assert!(err(parse_csv("en", &long)).contains("longer than"));
        let many = "a, b\n".repeat(MAX_GROUPS + 1);
        assert!(err(parse_csv("en", &many)).contains("more than"));
        let wide = (0..=MAX_MEMBERS)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(err(parse_csv("en", &wide)).contains("more than 16 members"));
    }

    #[test]
    fn an_argument_names_a_csv_with_its_language_or_a_json_file() {
        let read = |path: &str| match path {
            "s.csv" => Ok("invoice, bill\n".to_string()),
            "all.json" => Ok(r#"{"en": [["invoice", "bill"]]}"#.to_string()),
            other => Err(format!("{other}: not found")),
        };
        assert_eq!(
            parse_arg("en=s.csv", read).unwrap(),
            en(&[&["invoice", "bill"]])
        );
        assert_eq!(
            parse_arg("all.json", read).unwrap(),
            en(&[&["invoice", "bill"]])
        );
        assert!(parse_arg("missing.json", read)
            .unwrap_err()
            .contains("not found"));
    }
}
