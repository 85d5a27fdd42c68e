//! `packs.json` (`hc_core::static_site::PacksIndex`) as the worker reads
//! it: no panic, and what decodes round-trips through JSON.
#![no_main]

use hc_core::static_site::{sibling_url, PacksIndex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(index) = serde_json::from_slice::<PacksIndex>(data) {
        let text = serde_json::to_vec(&index).unwrap();
        assert_eq!(serde_json::from_slice::<PacksIndex>(&text).unwrap(), index);
        for file in index.packs.values() {
            let _ = sibling_url(&index.snapshot, file);
        }
        let _ = index.site.enabled();
    }
});
