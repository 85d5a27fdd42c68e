//! `ApiErrorBody::parse`, which reads any non-2xx body the API sends: no
//! panic, and an unrecognised body is kept short.
#![no_main]

use hc_core::wire::ApiErrorBody;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let body = ApiErrorBody::parse(data);
    if let ApiErrorBody::Other(text) = &body {
        assert!(text.chars().count() <= 300);
    }
    let _ = body.summary();
});
