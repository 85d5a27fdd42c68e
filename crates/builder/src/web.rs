//! The builder's one export for its worker's entry
//! (`www/hc-builder-main.js`, appended to this crate's glue).

use hc_core::protocol::Fallback;
use hc_core::LangCode;
use wasm_bindgen::prelude::*;

/// The cache-entry container of `lang` built from the snapshot's JSON;
/// `fill`: with `fallback="default"`. A failure is thrown as an `Error`
/// whose message the search worker shows.
#[wasm_bindgen]
pub fn build_pack(snapshot: &[u8], lang: &str, fill: bool) -> Result<Vec<u8>, JsError> {
    let lang: LangCode = lang
        .parse()
        .map_err(|_| JsError::new(&format!("not a language code: {lang:?}")))?;
    let fallback = if fill {
        Fallback::Default
    } else {
        Fallback::None
    };
    crate::build(snapshot, &lang, fallback).map_err(|e| JsError::new(&e.to_string()))
}
