//! A CSV export given to `hcs import` (`csv_source::parse`): no panic;
//! every record it accepts has an id, a title and a category.
#![no_main]

use hc_cli::write::import::csv_source::{parse, ColumnMap};
use hc_core::LangCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let en = LangCode::parse("en").unwrap();
    if let Ok(records) = parse(data, "in.csv", &ColumnMap::default(), &en, 1) {
        for r in records {
            assert!(!r.external_id.is_empty() && !r.translation.title.is_empty());
            assert!(r.category > 0);
        }
    }
});
