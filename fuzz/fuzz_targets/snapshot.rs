//! The public snapshot (`hc_core::Snapshot`) as the worker decodes it:
//! no panic, what decodes round-trips through JSON, and the index container
//! (index and reader documents) can be built from it for every enabled
//! language.
#![no_main]

use hc_core::Snapshot;
use hc_engine::IndexContainer;
use hc_worker::reader::fill_from_default;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(snapshot) = serde_json::from_slice::<Snapshot>(data) {
        let text = serde_json::to_vec(&snapshot).unwrap();
        assert_eq!(serde_json::from_slice::<Snapshot>(&text).unwrap(), snapshot);
        for lang in snapshot.site.enabled() {
            let filled = fill_from_default(&snapshot, &lang);
            let _ = IndexContainer::build(&filled, lang.as_str());
        }
    }
});
