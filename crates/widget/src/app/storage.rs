//! The visitor's history in `localStorage`: read once at mount, written on
//! every change. Storage may be missing or throw (Safari's private mode, a
//! sandboxed frame, a full quota, a policy): then the history lives for the
//! page's life only. What a stored value means is `crate::history`'s
//! business.

use crate::history::{History, MAX_STORED_BYTES};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored history under `key`; empty when there is none, it cannot be
/// read, or it is not ours.
pub(super) fn load(key: Option<&str>) -> History {
    let Some(raw) = key.and_then(|k| storage()?.get_item(k).ok().flatten()) else {
        return History::default();
    };
    if raw.len() > MAX_STORED_BYTES {
        return History::default();
    }
    match js_sys::JSON::parse(&raw) {
        Ok(value) => History::from_stored(serde_wasm_bindgen::Deserializer::from(value)),
        Err(_) => History::default(),
    }
}

/// Stores `history` under `key` (removes the entry when it is empty);
/// failures are ignored: the visitor keeps the history of this page.
pub(super) fn save(key: &str, history: &History) {
    let Some(storage) = storage() else {
        return;
    };
    if history.is_empty() {
        let _ = storage.remove_item(key);
        return;
    }
    let Ok(value) = serde_wasm_bindgen::to_value(&history.to_stored()) else {
        return;
    };
    if let Some(text) = js_sys::JSON::stringify(&value).ok().map(String::from) {
        let _ = storage.set_item(key, &text);
    }
}
