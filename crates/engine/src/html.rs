//! HTML to plain text, for indexing and snippets.
//!
//! Article content is sanitised HTML, but the engine must not trust that:
//! this is a small, allocation-bounded scanner that never panics on
//! malformed or hostile markup. It drops tags (and the whole content of
//! `script`, `style`, `svg`, `template`, `head`), decodes entities, keeps the
//! text of `<pre>`/`<code>` as text, turns block boundaries into line breaks
//! and folds runs of whitespace into single spaces.

/// Tags whose content is not text a visitor reads.
const SKIP_CONTENT: &[&str] = &[
    "script", "style", "svg", "template", "head", "noscript", "iframe", "object",
];

/// Tags that separate words (a boundary must not glue two words together).
const BLOCK: &[&str] = &[
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "main",
    "details",
    "summary",
    "form",
    "fieldset",
    "legend",
    "caption",
];

/// Converts HTML to folded plain text. Total and linear in the input size.
pub fn html_to_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut skip_until: Option<&'static str> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'<' {
            let Some((name, closing, end)) = parse_tag(html, i) else {
                // A lone '<' is text.
                if skip_until.is_none() {
                    raw.push('<');
                }
                i += 1;
                continue;
            };
            i = end;
            if let Some(skip) = skip_until {
                if closing && name.eq_ignore_ascii_case(skip) {
                    skip_until = None;
                }
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if !closing {
                if let Some(s) = SKIP_CONTENT.iter().find(|s| **s == lower) {
                    skip_until = Some(*s);
                    continue;
                }
            }
            if BLOCK.contains(&lower.as_str()) {
                raw.push('\n');
            }
            continue;
        }
        // Copy the text run up to the next '<'.
        let next = html[i..].find('<').map_or(bytes.len(), |p| i + p);
        if skip_until.is_none() {
            decode_entities_into(&html[i..next], &mut raw);
        }
        i = next;
    }
    fold_whitespace(&raw)
}

/// Parses a tag (or comment, doctype) starting at `start` (a '<'). Returns
/// the tag name, whether it is a closing tag, and the index just after it.
/// `None` if this '<' does not start a tag.
fn parse_tag(html: &str, start: usize) -> Option<(&str, bool, usize)> {
    let rest = &html[start + 1..];
    if let Some(after) = rest.strip_prefix("!--") {
        let end = after.find("-->").map_or(html.len(), |p| start + 4 + p + 3);
        return Some(("!--", false, end));
    }
    let first = rest.chars().next()?;
    let (closing, name_start) = match first {
        '/' => (true, 1),
        '!' | '?' => (false, 1),
        c if c.is_ascii_alphabetic() => (false, 0),
        _ => return None,
    };
    let name_len = rest[name_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(rest.len() - name_start);
    let name = &rest[name_start..name_start + name_len];
    // Find the closing '>' outside quoted attribute values.
    let mut quote: Option<u8> = None;
    let body = rest.as_bytes();
    let mut j = name_start + name_len;
    while j < body.len() {
        let c = body[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some((name, closing, start + 1 + j + 1)),
            None => {}
        }
        j += 1;
    }
    // Unterminated tag: swallow the rest of the input.
    Some((name, closing, html.len()))
}

/// Decodes HTML character references in `text`, appending to `out`.
/// Unknown or malformed references are kept literally.
pub fn decode_entities_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .char_indices()
            .take(32)
            .find(|(_, c)| *c == ';')
            .map(|(p, _)| p);
        let decoded = end.and_then(|e| decode_entity(&after[..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        return Some(match char::from_u32(code) {
            Some('\0') | None => '\u{FFFD}',
            Some(c) => c,
        });
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "times" => '×',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "rArr" => '⇒',
        "lArr" => '⇐',
        "bull" => '•',
        "middot" => '·',
        "deg" => '°',
        "shy" => '\u{AD}',
        "zwsp" => '\u{200B}',
        "euro" => '€',
        "sect" => '§',
        "para" => '¶',
        _ => return None,
    })
}

/// Folds every run of whitespace (and control characters) into one space
/// and trims the ends.
pub fn fold_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || c == '\u{AD}' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn extracts_text() {
        let cases = [
            ("<p>Hello <b>world</b></p><p>again</p>", "Hello world again"),
            ("a&amp;b &lt;c&gt; &#233;&#x00E9; &nbsp;x", "a&b <c> éé x"),
            (
                "<pre><code>fn main() {\n    x &lt; 1\n}</code></pre>",
                "fn main() { x < 1 }",
            ),
            ("<script>alert(1)</script>ok<style>p{}</style>", "ok"),
            ("one<br>two<li>three", "one two three"),
            ("x < y and y > z", "x < y and y > z"),
            ("<a href='>'>link</a>", "link"),
            ("<!-- hidden -->shown", "shown"),
            ("&bogus; &#xFFFFFFFF; &", "&bogus; \u{FFFD} &"),
            ("<p unterminated", ""),
            ("<script>never closed", ""),
            ("", ""),
        ];
        for (html, want) in cases {
            assert_eq!(html_to_text(html), want, "for {html:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = html_to_text(&s);
        }
        #[test]
        fn never_panics_tagsoup(s in "[<>/&;#a-z\"' =!-]{0,64}") {
            let _ = html_to_text(&s);
        }
    }
}
