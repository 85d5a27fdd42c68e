//! Splitting text by highlight ranges into plain and marked runs. The view
//! turns each run into a text node or a `<mark>` around a text node, so
//! neither article text nor the visitor's query is ever parsed as HTML.

use hc_core::protocol::Highlight;

/// Runs of `(text, marked)` covering `text` in order. Ranges that overlap,
/// run past the end or split a character are clipped or skipped, never a
/// panic: they come from another thread and must not be trusted blindly.
pub fn runs<'a>(text: &'a str, highlights: &[Highlight]) -> Vec<(&'a str, bool)> {
    let mut ranges: Vec<(usize, usize)> = highlights
        .iter()
        .map(|h| (h.start as usize, (h.end as usize).min(text.len())))
        .filter(|(s, e)| s < e && text.is_char_boundary(*s) && text.is_char_boundary(*e))
        .collect();
    ranges.sort_unstable();
    let mut out = Vec::new();
    let mut pos = 0;
    for (start, end) in ranges {
        if end <= pos {
            continue;
        }
        let start = start.max(pos);
        if start > pos {
            out.push((&text[pos..start], false));
        }
        out.push((&text[start..end], true));
        pos = end;
    }
    if pos < text.len() {
        out.push((&text[pos..], false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(start: u32, end: u32) -> Highlight {
        Highlight { start, end }
    }

    #[test]
    fn splits_and_survives_bad_ranges() {
        assert_eq!(
            runs("apt install", &[h(0, 3)]),
            vec![("apt", true), (" install", false)]
        );
        assert_eq!(
            runs("a <b> c", &[h(2, 5), h(3, 4), h(6, 99)]),
            vec![("a ", false), ("<b>", true), (" ", false), ("c", true)]
        );
        // 'é' is two bytes: a range ending inside it is skipped.
        assert_eq!(runs("réseau", &[h(0, 2)]), vec![("réseau", false)]);
        assert_eq!(runs("", &[h(0, 1)]), Vec::<(&str, bool)>::new());
        let text = "日本語のテキスト";
        let joined: String = runs(text, &[h(3, 9), h(0, 3)])
            .iter()
            .map(|(t, _)| *t)
            .collect();
        assert_eq!(joined, text);
    }
}
