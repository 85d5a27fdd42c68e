//! Language tags (`LangCode::parse`, `match_tag`, `negotiate`): the input
//! is lines; the first is parsed as a code, the rest are the visitor's
//! tags and, when they parse, the site's languages. A code that parses is
//! normal (parses to itself); negotiation picks a site language or the
//! default.
#![no_main]

use hc_core::lang::match_tag;
use hc_core::{negotiate, LangCode, LanguagePreferences};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines: Vec<&str> = text.split('\n').collect();
    if let Ok(code) = LangCode::parse(lines[0]) {
        assert_eq!(LangCode::parse(code.as_str()).unwrap(), code);
        assert!(code.as_str().starts_with(code.primary()));
    }
    let available: Vec<LangCode> = lines
        .iter()
        .filter_map(|l| LangCode::parse(l).ok())
        .collect();
    let default = LangCode::parse("en").unwrap();
    for tag in &lines {
        if let Some(found) = match_tag(tag, &available) {
            assert!(available.contains(&found));
        }
    }
    let prefs = LanguagePreferences {
        explicit: lines.first().copied(),
        page: lines.get(1).copied(),
        visitor: &lines,
    };
    let got = negotiate(&prefs, &available, &default);
    assert!(got == default || available.contains(&got));
});
