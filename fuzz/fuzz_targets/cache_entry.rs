//! A pack-cache entry as a warm start reads it back from IndexedDB
//! (`hc_worker::cache_entry::load`): the first four bytes say how much of
//! the rest is the body-text buffer, the remainder is the pack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((len, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let split = (u32::from_le_bytes(*len) as usize).min(rest.len());
    let (bodies, pack) = rest.split_at(split);
    let _ = hc_worker::cache_entry::load(pack, bodies);
});
