//! From the raw text of a search box to the words to look for.
//!
//! The only syntax is quotation marks: words between a pair of quotes
//! (`"`, `“…”`, `„…“`, `«…»`, `「…」`, `『…』`) form a [`Phrase`] that an
//! article must contain as written (case and accents aside), in that
//! order. Every other character (`AND`, `-`, `:`, brackets) is just a
//! character the tokenizer drops like any punctuation, and an unpaired
//! quote runs to the end of the text (the visitor is still typing the
//! phrase), so no input can fail to parse. The text is cut to
//! [`MAX_QUERY_BYTES`] first (on a char boundary) so a pasted novel is
//! still answered fast.

use crate::analysis::{Analysis, QueryToken};

/// Longest query text considered; the rest is ignored.
pub const MAX_QUERY_BYTES: usize = 512;
/// Most words considered (after duplicates; weak stop words go first).
pub const MAX_GROUPS: usize = 16;
/// Most quoted phrases considered; later quotes are plain words.
pub const MAX_PHRASES: usize = 4;

/// One word of the query: all its variants (exact, prefix completions,
/// typo corrections) count once towards "all words present".
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub token: QueryToken,
    /// The word is still being typed: also match it as a prefix.
    pub prefix: bool,
    /// The word is quoted: no typo corrections (an article must contain
    /// it as written anyway).
    pub quoted: bool,
    /// A stop word beside other words: it adds its (BM25, so small) score,
    /// so an article that has it too ranks a little higher ("who" in "how
    /// to see who is logged in"), but it does not count towards "all words
    /// present", is matched only as written, and is not highlighted.
    pub weak: bool,
}

/// Quoted words an article must contain next to each other, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// The words lowercased and folded, not stemmed, stop words included
    /// (CJK text as the tokenizer's bigrams).
    pub words: Vec<String>,
    /// The closing quote is not typed yet and the last word is being
    /// typed: that word matches as a prefix.
    pub open: bool,
}

/// What a search looks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// The words that find and score candidates.
    pub groups: Vec<Group>,
    /// Phrases every hit must contain.
    pub phrases: Vec<Phrase>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// Cuts `text` to at most `max` bytes on a char boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Plans the query. Empty when the text has no words.
pub fn plan(analysis: &Analysis, raw: &str) -> Plan {
    let truncated = raw.len() > MAX_QUERY_BYTES;
    let text = truncate(raw, MAX_QUERY_BYTES);
    let tokens = analysis.query_tokens(text);
    let Some(last) = tokens.last() else {
        return Plan::default();
    };
    // The last word is being typed when nothing follows it.
    let typing = !truncated && last.to == text.len();
    let last_from = last.from;
    let spans = quoted_spans(text);
    let span_of = |t: &QueryToken| spans.iter().position(|s| s.from <= t.from && t.to <= s.to);
    let straddles = straddling_stop_words(&tokens);
    let straddling = |i: usize, t: &QueryToken| straddles[i] && span_of(t).is_none();
    let being_typed = |t: &QueryToken| typing && t.from == last_from;
    let all_stop = tokens
        .iter()
        .enumerate()
        .all(|(i, t)| t.stop || (straddling(i, t) && !being_typed(t)));
    let mut phrases: Vec<Phrase> = spans
        .iter()
        .map(|s| Phrase {
            words: Vec::new(),
            open: !s.closed && typing,
        })
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    for (i, mut t) in tokens.into_iter().enumerate() {
        let prefix = being_typed(&t);
        let span = span_of(&t);
        if let Some(p) = span.and_then(|i| phrases.get_mut(i)) {
            p.words.push(t.folded.clone());
        }
        if straddling(i, &t) {
            // The character just typed after a stop word ("配" of "怎么配")
            // starts the next word: it is looked for as a word being typed,
            // alone (a prefix of bigrams), as when it is the whole query.
            match last_char(&t).filter(|_| prefix) {
                Some(c) => t = c,
                None => continue,
            }
        }
        let quoted = span.is_some();
        // A quoted word is completed only while its quote is still open.
        let prefix = prefix && span.is_none_or(|i| phrases[i].open);
        // A stop word beside other words still scores, weakly (see
        // `Group::weak`), unless it is being typed.
        let weak = t.stop && !all_stop && !prefix;
        if t.stop && prefix && !all_stop {
            // A finished-looking stop word at the end: only as a prefix.
            if t.folded.chars().count() < 3 {
                continue;
            }
        }
        if let Some(g) = groups.iter_mut().find(|g| g.token.term == t.term) {
            g.prefix |= prefix;
            g.quoted |= quoted;
            g.weak &= weak;
            continue;
        }
        groups.push(Group {
            token: t,
            prefix,
            quoted,
            weak,
        });
    }
    while groups.len() > MAX_GROUPS {
        // Weak words go first, the last first.
        let Some(i) = groups.iter().rposition(|g| g.weak) else {
            break;
        };
        groups.remove(i);
    }
    if groups.len() > MAX_GROUPS {
        // Keep the first words and the one being typed.
        let last = groups.pop();
        groups.truncate(MAX_GROUPS - 1);
        groups.extend(last);
    }
    phrases.retain(|p| !p.words.is_empty());
    Plan { groups, phrases }
}

/// Which tokens are CJK bigrams that share a character with a CJK stop
/// word of the query ("免哪" and "些操" in "避免哪些操作", beside "哪些"):
/// a stop word is a word, so a bigram across its edge straddles a word
/// boundary and is no word the visitor typed, only two halves that
/// happen to meet ("一些操作" has "些操"). Such a bigram is not looked for,
/// unless quoted, where the phrase needs every bigram of the text.
fn straddling_stop_words(tokens: &[QueryToken]) -> Vec<bool> {
    tokens
        .iter()
        .map(|t| {
            t.cjk
                && !t.stop
                && tokens
                    .iter()
                    .any(|s| s.cjk && s.stop && t.from < s.to && s.from < t.to)
        })
        .collect()
}

/// The last character of a CJK bigram as a token of its own.
fn last_char(t: &QueryToken) -> Option<QueryToken> {
    let c = t.folded.chars().last()?;
    Some(QueryToken {
        from: t.to.checked_sub(c.len_utf8())?,
        folded: c.to_string(),
        term: c.to_string(),
        ..t.clone()
    })
}

/// A quoted part of the text: byte range inside the quotes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    from: usize,
    to: usize,
    closed: bool,
}

/// Opening quotation marks and the marks that close each.
const QUOTES: &[(char, &[char])] = &[
    ('"', &['"']),
    ('“', &['”', '“']),
    ('”', &['”']),
    ('„', &['“', '”']),
    ('«', &['»']),
    ('»', &['«']),
    ('「', &['」']),
    ('『', &['』']),
];

/// The quoted parts of `text`, at most [`MAX_PHRASES`]; an unpaired quote
/// runs to the end of the text.
fn quoted_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, &[char])> = None;
    for (i, c) in text.char_indices() {
        match open {
            Some((from, closers)) if closers.contains(&c) => {
                spans.push(Span {
                    from,
                    to: i,
                    closed: true,
                });
                open = None;
            }
            Some(_) => {}
            None => {
                if let Some((_, closers)) = QUOTES.iter().find(|(q, _)| *q == c) {
                    open = Some((i + c.len_utf8(), closers));
                }
            }
        }
        if spans.len() == MAX_PHRASES {
            return spans;
        }
    }
    if let Some((from, _)) = open {
        spans.push(Span {
            from,
            to: text.len(),
            closed: false,
        });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(q: &str) -> Vec<(Vec<String>, bool)> {
        plan(&Analysis::new("en"), q)
            .phrases
            .into_iter()
            .map(|p| (p.words, p.open))
            .collect()
    }

    fn w(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    /// The terms a query searches by, in `lang`: those that count towards
    /// "all words present", and the weak ones.
    fn terms(lang: &str, q: &str) -> Vec<String> {
        split_terms(lang, q).0
    }

    fn split_terms(lang: &str, q: &str) -> (Vec<String>, Vec<String>) {
        let (weak, strong): (Vec<Group>, Vec<Group>) = plan(&Analysis::new(lang), q)
            .groups
            .into_iter()
            .partition(|g| g.weak);
        let t = |gs: Vec<Group>| gs.into_iter().map(|g| g.token.term).collect();
        (t(strong), t(weak))
    }

    #[test]
    fn stop_words_beside_other_words_are_weak() {
        assert_eq!(
            split_terms("en", "who is logged in "),
            (w(&["log"]), w(&["who", "is", "in"]))
        );
        // The language's whole list, as typed: "à" is on French's.
        assert_eq!(
            split_terms("fr", "un message à tous "),
            (w(&["messag", "tous"]), w(&["un", "a"]))
        );
        // Folded, only the common words we list: "ändern" (to change)
        // folds to German's "andern" (others), and stays a word.
        assert_eq!(
            split_terms("de", "shell ändern "),
            (w(&["shell", "and"]), w(&[]))
        );
        // A stop word being typed is a prefix, not weak; alone, words count.
        assert_eq!(
            split_terms("en", "router the"),
            (w(&["router", "the"]), w(&[]))
        );
        assert_eq!(split_terms("en", "the "), (w(&["the"]), w(&[])));
    }

    #[test]
    fn weak_words_make_room_for_words_first() {
        let words: Vec<String> = (0..MAX_GROUPS).map(|i| format!("word{i}")).collect();
        let q = words.join(" the ") + " ";
        let p = plan(&Analysis::new("en"), &q);
        assert_eq!(p.groups.len(), MAX_GROUPS);
        assert!(p.groups.iter().all(|g| !g.weak), "{:?}", p.groups);
    }

    #[test]
    fn cjk_question_words_and_japanese_particles_are_dropped_from_queries() {
        // Particles and inflections (hiragana) and "what" go; the subject stays.
        assert_eq!(terms("ja", "initramfs とは何ですか"), w(&["initramfs"]));
        assert_eq!(
            terms("ja", "端末の表示が崩れたのを治す方法"),
            w(&["端末", "表示", "崩", "治"])
        );
        // "which" goes, "need" (a modal verb, not a question word) stays.
        let zh = terms("zh-cn", "编译内核模块需要哪些头文件");
        assert!(!zh.iter().any(|t| t == "哪些"), "{zh:?}");
        assert!(zh.iter().any(|t| t == "需要"), "{zh:?}");
        assert!(
            zh.iter().any(|t| t == "内核") && zh.iter().any(|t| t == "文件"),
            "{zh:?}"
        );
        // A query of nothing else keeps its words, as in English.
        assert!(!terms("ja", "何ですか").is_empty());
        assert!(!terms("zh-cn", "什么").is_empty());
    }

    #[test]
    fn cjk_pairs_across_a_stop_words_edge_are_not_looked_for() {
        // "要哪" and "些头" are halves of "需要" / "哪些" / "头文件" that
        // meet; the pairs inside the words stay, "哪些" is weak.
        assert_eq!(
            split_terms("zh-cn", "需要哪些头文件"),
            (w(&["需要", "头文", "文件"]), w(&["哪些"]))
        );
        // Only beside a stop word: every pair of other text stays.
        assert_eq!(
            terms("zh-cn", "需要头文件"),
            w(&["需要", "要头", "头文", "文件"])
        );
        // A stop word and its straddling pair alone, typed on: the stop
        // word is the query, as any query of stop words only.
        assert_eq!(split_terms("zh-cn", "怎么样 "), (w(&["怎么"]), w(&[])));
        // The character being typed after a stop word starts a word: it
        // is completed alone, as a one-character query is.
        let p = plan(&Analysis::new("zh-cn"), "怎么配");
        let g: Vec<_> = p
            .groups
            .iter()
            .map(|g| (g.token.term.as_str(), g.weak, g.prefix))
            .collect();
        assert_eq!(g, [("怎么", true, false), ("配", false, true)]);
        // Quoted, the phrase needs every pair of its text.
        let p = plan(&Analysis::new("zh-cn"), "\"需要哪些\"");
        assert_eq!(p.phrases[0].words, w(&["需要", "要哪", "哪些"]));
        assert!(p.groups.iter().any(|g| g.token.term == "要哪"));
        // Other languages are untouched: hiragana is not a stop word there.
        assert_eq!(terms("en", "です"), w(&["です"]));
    }

    #[test]
    fn quotes_make_phrases() {
        assert_eq!(phrases("reset password"), vec![]);
        assert_eq!(
            phrases("\"Reset the Password\" email"),
            vec![(w(&["reset", "the", "password"]), false)]
        );
        assert_eq!(
            phrases("“café crème” «a b» „c d“"),
            vec![
                (w(&["cafe", "creme"]), false),
                (w(&["a", "b"]), false),
                (w(&["c", "d"]), false),
            ]
        );
        assert_eq!(
            phrases("「設定変更」"),
            vec![(w(&["設定", "定変", "変更"]), false)]
        );
    }

    #[test]
    fn an_unpaired_quote_is_a_phrase_being_typed() {
        assert_eq!(phrases("\"reset pass"), vec![(w(&["reset", "pass"]), true)]);
        assert_eq!(
            phrases("\"reset pass "),
            vec![(w(&["reset", "pass"]), false)]
        );
        let p = plan(&Analysis::new("en"), "\"reset pass");
        assert!(p.groups.iter().all(|g| g.quoted));
        assert!(p.groups.last().is_some_and(|g| g.prefix));
        // A closed phrase's last word is not completed.
        let p = plan(&Analysis::new("en"), "\"reset pass\"");
        assert!(!p.groups.iter().any(|g| g.prefix));
    }

    #[test]
    fn empty_quotes_and_stray_marks_change_nothing() {
        assert_eq!(phrases("\"\" reset"), vec![]);
        assert_eq!(phrases("\""), vec![]);
        let p = plan(&Analysis::new("en"), "\"\"\"\"\"");
        assert!(p.is_empty() && p.phrases.is_empty());
    }

    #[test]
    fn at_most_four_phrases() {
        let q = "\"a1 b\" \"c2 d\" \"e3 f\" \"g4 h\" \"i5 j\"";
        assert_eq!(phrases(q).len(), MAX_PHRASES);
    }
}
