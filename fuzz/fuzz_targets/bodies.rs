//! The body-text buffer of a pack-cache entry (`hc_worker::bodies`): no
//! panic, and what decodes re-encodes to the very same bytes.
#![no_main]

use hc_worker::bodies;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(decoded) = bodies::decode(data) {
        assert_eq!(bodies::encode(&decoded), data);
    }
});
