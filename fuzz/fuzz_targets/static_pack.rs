//! The static pack of `hcs build-static` (`hc_worker::static_pack`): no
//! panic; what decodes re-encodes and decodes to the same parts.
#![no_main]

use hc_core::LangCode;
use hc_worker::static_pack;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((pack, reader)) = static_pack::decode(data) {
        let again = static_pack::encode(pack, &reader).expect("re-encodes");
        let (pack2, reader2) = static_pack::decode(&again).expect("decodes again");
        assert_eq!(pack2, pack);
        assert_eq!(reader2, reader);
        let _ = static_pack::load(data, &LangCode::parse("en").unwrap());
    }
});
