//! One Markdown file given to `hcs import` (`markdown_source::parse_file`):
//! front matter (YAML) and body (pulldown-cmark). No panic; every record it
//! accepts has an id, a title and a category.
#![no_main]

use std::path::Path;

use hc_cli::write::import::markdown_source::parse_file;
use hc_core::LangCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let en = LangCode::parse("en").unwrap();
    if let Ok(r) = parse_file(data, Path::new("notes/intro.de.md"), &en, 1, false) {
        assert!(!r.external_id.is_empty() && !r.translation.title.is_empty());
        assert!(r.category > 0);
    }
});
