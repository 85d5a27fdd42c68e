//! The pack cache in IndexedDB: one entry per (snapshot URL, language,
//! fallback, engine version), holding the snapshot's ETag, the engine pack,
//! the reader documents and the engine's body texts. Every failure here is a cache miss, never an
//! error for the visitor (private browsing may have no IndexedDB at all).

use hc_core::protocol::Fallback;
use hc_core::{LangCode, Site};
use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

const DB_NAME: &str = "hc-search";
const STORE: &str = "packs";

pub struct Entry {
    pub etag: String,
    pub pack: Vec<u8>,
    /// The reader documents as a plain JS value (serde-wasm-bindgen), not
    /// JSON bytes: IndexedDB's structured clone and the copy of each string
    /// into wasm are native, where parsing megabytes of escaped article
    /// HTML with serde_json in cold wasm code was a large part of a warm
    /// start.
    pub reader: JsValue,
    /// The engine's body texts ([`hc_engine::Engine::bodies`]), so that a
    /// warm start does not extract them from the HTML again (most of a pack
    /// load), as a plain JS value too.
    pub bodies: JsValue,
}

/// A value as the cache stores it: a plain JS value (JSON-compatible), which
/// IndexedDB clones natively.
pub fn to_js<T: serde::Serialize>(value: &T) -> Option<JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()
}

pub fn key(url: &str, lang: &LangCode, fallback: Fallback) -> String {
    format!(
        "{url}|{lang}|{fallback:?}|{}|reader-js|bodies",
        crate::static_pack::engine_id()
    )
}

async fn open() -> Option<Database> {
    let factory = Factory::new().ok()?;
    let mut request = factory.open(DB_NAME, Some(1)).ok()?;
    request.on_upgrade_needed(|event| {
        if let Ok(db) = event.database() {
            if !db.store_names().iter().any(|s| s == STORE) {
                let _ = db.create_object_store(STORE, ObjectStoreParams::new());
            }
        }
    });
    request.await.ok()
}

/// The warm-start read in one database connection: the site's languages
/// for this snapshot URL, then the entry `key_for(site)` names.
pub async fn get_warm(url: &str, key_for: impl FnOnce(&Site) -> String) -> Option<(Site, Entry)> {
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).ok()?;
    let store = tx.object_store(STORE).ok()?;
    let site_text = store
        .get(JsValue::from_str(&format!("site|{url}")))
        .ok()?
        .await
        .ok()??
        .as_string()?;
    let site: Site = serde_json::from_str(&site_text).ok()?;
    let value = store
        .get(JsValue::from_str(&key_for(&site)))
        .ok()?
        .await
        .ok()??;
    db.close();
    Some((site, entry_from(value)?))
}

fn entry_from(value: JsValue) -> Option<Entry> {
    let parts: Array = value.dyn_into().ok()?;
    let etag = parts.get(0).as_string()?;
    let pack = parts.get(1).dyn_into::<Uint8Array>().ok()?.to_vec();
    let reader = parts.get(2);
    let bodies = parts.get(3);
    if !reader.is_object() || !bodies.is_object() {
        return None;
    }
    Some(Entry {
        etag,
        pack,
        reader,
        bodies,
    })
}

/// Stores a built index for a warm start: the site's languages for this
/// snapshot URL (what a warm start negotiates against before any network
/// request) and the entry, in one transaction.
pub async fn put_warm(url: &str, site: &Site, key: &str, entry: &Entry) {
    let Ok(site_text) = serde_json::to_string(site) else {
        return;
    };
    let value = Array::new();
    value.push(&JsValue::from_str(&entry.etag));
    value.push(&Uint8Array::from(entry.pack.as_slice()));
    value.push(&entry.reader);
    value.push(&entry.bodies);
    let Some(db) = open().await else { return };
    let Ok(tx) = db.transaction(&[STORE], TransactionMode::ReadWrite) else {
        return;
    };
    let Ok(store) = tx.object_store(STORE) else {
        return;
    };
    for (k, v) in [
        (format!("site|{url}"), JsValue::from_str(&site_text)),
        (key.to_string(), value.into()),
    ] {
        if let Ok(request) = store.put(&v, Some(&JsValue::from_str(&k))) {
            let _ = request.await;
        }
    }
    if let Ok(tx) = tx.commit() {
        let _ = tx.await;
    }
    db.close();
}

pub async fn delete(key: &str) {
    let Some(db) = open().await else { return };
    let Ok(tx) = db.transaction(&[STORE], TransactionMode::ReadWrite) else {
        return;
    };
    if let Ok(store) = tx.object_store(STORE) {
        if let Ok(request) = store.delete(JsValue::from_str(key)) {
            let _ = request.await;
        }
    }
    if let Ok(tx) = tx.commit() {
        let _ = tx.await;
    }
    db.close();
}
