//! The index cache in IndexedDB: per (snapshot URL, language, fallback,
//! engine version) an entry holding the snapshot's ETag and, as a Blob
//! (see `record_from`), the index
//! container (`hc_engine::container`, encoded with `Packing::Cache`: the
//! index and reader documents stored, not deflated, and the article HTML
//! in chunks deflated each, as the engine keeps it), decoded
//! by [`crate::entry`] (keys: [`crate::load::cache_key`]): the engine first, the reader documents after the
//! first answer. Writing an entry deletes what older engines or cache
//! layouts stored for the same language. Every failure here is a cache
//! miss, never an error for the visitor (private browsing may have no
//! IndexedDB at all).
//!
//! A warm start should not wait for the wasm to compile before it reads the
//! disk, and the worker's thread is busy compiling it, so the loader
//! (`readWarm` in `www/hc-search.js`) reads the entry's record on the
//! page's thread on intent and posts it to the worker (the Blob's bytes
//! are read here, in the worker), whose entry script leaves it on
//! the channel (`hc_core::loader::CHANNEL`). The loader cannot negotiate the language, so every
//! stored entry also gets a lookup record, keyed by the `Init` message's
//! JSON, that names the entry the negotiation picked and holds the site it
//! picked from. The load ([`crate::load`]) takes the prefetched entry only
//! if negotiating against that site names the same entry; anything else is
//! read again here ([`read_site`], then [`read`]).

use hc_core::Site;
use idb::{Database, DatabaseEvent, Factory, KeyRange, ObjectStoreParams, Query, TransactionMode};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

use super::chunks::read_chunks;
use crate::load::{version_suffix, CacheRecord, Entry, Prefetch};
use hc_core::loader::{CACHE_DB as DB_NAME, CACHE_STORE as STORE, CHANNEL_WARM};

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

/// One record's value, `None` when absent or unreadable.
async fn get(key: &str) -> Option<JsValue> {
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).ok()?;
    let store = tx.object_store(STORE).ok()?;
    let value = store.get(JsValue::from_str(key)).ok()?.await.ok()?;
    db.close();
    value
}

/// The site record stored for the snapshot `url` (JSON).
pub async fn read_site(url: &str) -> Option<String> {
    get(&format!("site|{url}")).await?.as_string()
}

/// The entry `key`.
pub async fn read(key: &str) -> CacheRecord {
    match get(key).await {
        None => CacheRecord::Missing,
        Some(value) => record_from(value).await,
    }
}

/// Takes the loader's prefetch (the channel's `warm`, see
/// `hc_core::loader::CHANNEL`: a promise of `{lookup, key, site, value}` or
/// `null`), once.
pub async fn take_prefetch() -> Option<Prefetch> {
    let (channel, promise) = super::channel_field(CHANNEL_WARM)?;
    let _ = js_sys::Reflect::delete_property(&channel, &JsValue::from_str(CHANNEL_WARM));
    let promise: js_sys::Promise = promise.dyn_into().ok()?;
    let found = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let field = |name: &str| js_sys::Reflect::get(&found, &JsValue::from_str(name)).ok();
    Some(Prefetch {
        lookup: field("lookup")?.as_string()?,
        key: field("key")?.as_string()?,
        site: field("site")?.as_string()?,
        record: record_from(field("value")?).await,
    })
}

/// A stored record, `[etag, container Blob]` or `[etag, container Blob,
/// pack URL]`, with the container's bytes read into the wasm heap. The
/// container is a Blob, not bytes, so that reading the record hands over a
/// handle: whichever thread reads it (the page's, for the loader's
/// prefetch), the bytes are read from disk here, in the worker, by the
/// browser's I/O, and only here copied, once.
async fn record_from(value: JsValue) -> CacheRecord {
    let parts: Option<Array> = value.dyn_into().ok();
    let shape = parts.and_then(|parts| {
        let pack_url = match parts.length() {
            2 => None,
            3 => Some(parts.get(2).as_string()?),
            _ => return None,
        };
        let etag = parts.get(0).as_string()?;
        let blob = parts.get(1).dyn_into::<Blob>().ok()?;
        Some((etag, blob, pack_url))
    });
    let Some((etag, blob, pack_url)) = shape else {
        return CacheRecord::Unreadable;
    };
    // Read through one lent buffer (`super::chunks`), into a heap buffer
    // of the Blob's size. A Blob whose file has gone (storage cleared
    // under the page) fails to read: a miss like an unreadable record.
    let mut container = Vec::with_capacity(blob.size() as usize);
    let body = blob.stream();
    let mut append = |chunk: &Uint8Array| {
        let at = container.len();
        container.resize(at + chunk.length() as usize, 0);
        chunk.copy_to(&mut container[at..]);
        Ok(())
    };
    if read_chunks(&body, &mut append).await.is_err() {
        return CacheRecord::Unreadable;
    }
    CacheRecord::Found(Entry {
        etag,
        container: container.into(),
        pack_url,
    })
}

/// Stores a built index for a warm start: the site's languages for this
/// snapshot URL (what a warm start negotiates against before any network
/// request), the entry, and, given the `Init` it was negotiated for, the
/// lookup record the loader prefetches by, in one transaction.
pub async fn put_warm(url: &str, site: &Site, key: &str, entry: &Entry, lookup: Option<&str>) {
    let Ok(site_text) = serde_json::to_string(site) else {
        return;
    };
    let Some(db) = open().await else { return };
    let Ok(tx) = db.transaction(&[STORE], TransactionMode::ReadWrite) else {
        return;
    };
    let Ok(store) = tx.object_store(STORE) else {
        return;
    };
    let site_record = JsValue::from_str(&site_text);
    put(&store, &format!("site|{url}"), &site_record).await;
    // The entry (tens of MB for a large help center) goes in as a Blob
    // (see `record_from`), made from views of its parts in the wasm heap
    // (the engine's own index files among them), not from a copy: the Blob
    // copies the bytes as it is made, and a copy in the heap would stay
    // there, since the wasm heap never shrinks.
    let etag = JsValue::from_str(&entry.etag);
    let pack_url = entry.pack_url.as_deref().map(JsValue::from_str);
    let views = Array::new();
    // SAFETY: the views are read only, by Blob::new, while `entry` is
    // borrowed; nothing between their making and that call allocates in
    // the wasm heap (the array and the views are JS objects), so the
    // heap's buffer is not replaced under them.
    for part in entry.container.slices() {
        views.push(&unsafe { Uint8Array::view(part) }.into());
    }
    let Ok(blob) = Blob::new_with_u8_array_sequence(&views) else {
        return;
    };
    let record = Array::of2(&etag, &blob);
    if let Some(url) = &pack_url {
        record.push(url);
    }
    put(&store, key, &record).await;
    if let Some(lookup) = lookup {
        put(
            &store,
            lookup,
            &Array::of2(&JsValue::from_str(key), &site_record),
        )
        .await;
    }
    for stale in stale_keys(&store, key).await {
        if let Ok(request) = store.delete(JsValue::from_str(&stale)) {
            let _ = request.await;
        }
    }
    if let Ok(tx) = tx.commit() {
        let _ = tx.await;
    }
    db.close();
}

/// Puts one record; a failed put leaves a cache miss, nothing worse.
async fn put(store: &idb::ObjectStore, key: &str, value: &JsValue) {
    if let Ok(request) = store.put(value, Some(&JsValue::from_str(key))) {
        let _ = request.await;
    }
}

/// The records an older engine or cache layout wrote for the language of
/// `key`: never read again, and megabytes each, so they go when `key` is
/// written.
async fn stale_keys(store: &idb::ObjectStore, key: &str) -> Vec<String> {
    let Some(prefix) = key.strip_suffix(&version_suffix()) else {
        return Vec::new();
    };
    let (lower, upper) = (
        JsValue::from_str(prefix),
        JsValue::from_str(&format!("{prefix}\u{ffff}")),
    );
    let Ok(range) = KeyRange::bound(&lower, &upper, None, None) else {
        return Vec::new();
    };
    let Ok(request) = store.get_all_keys(Some(Query::KeyRange(range)), None) else {
        return Vec::new();
    };
    let Ok(keys) = request.await else {
        return Vec::new();
    };
    keys.into_iter()
        .filter_map(|k| k.as_string())
        .filter(|k| k != key)
        .collect()
}

/// Deletes the entry `key`.
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
