//! [`Request::Build`](crate::load::Request::Build): the snapshot goes to
//! the builder (`hc-builder`), which the worker's entry runs in a worker of
//! its own (the channel's `build`, see `www/hc-worker-main.js`), and the
//! container it made comes back.

use hc_core::loader::{CHANNEL_BUILD, CHANNEL_PREPARE_BUILD};
use hc_core::protocol::Fallback;
use hc_core::LangCode;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::load::FetchError;

/// The container's bytes; a builder that could not be loaded is
/// [`FetchError::BuilderUnavailable`], one that rejected the snapshot
/// [`FetchError::BadContent`].
pub async fn build(
    snapshot: Vec<u8>,
    lang: &LangCode,
    fallback: Fallback,
) -> Result<Vec<u8>, FetchError> {
    let unreachable = |what: &str| FetchError::BuilderUnavailable(what.to_string());
    let build = super::channel_function(CHANNEL_BUILD)
        .ok_or_else(|| unreachable("not given to this worker"))?;
    let bytes = Uint8Array::from(&snapshot[..]);
    drop(snapshot);
    let fill = JsValue::from_bool(fallback == Fallback::Default);
    let promise = build
        .call3(
            &JsValue::NULL,
            &bytes,
            &JsValue::from_str(lang.as_str()),
            &fill,
        )
        .map_err(|e| unreachable(&describe(&e)))?;
    let answer = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise))
        .await
        .map_err(|e| unreachable(&describe(&e)))?;
    let field = |name: &str| Reflect::get(&answer, &JsValue::from_str(name)).unwrap_or_default();
    if let Ok(pack) = field("pack").dyn_into::<Uint8Array>() {
        return Ok(pack.to_vec());
    }
    let message = describe(&field("error"));
    Err(if field("loaded").is_truthy() {
        FetchError::BadContent(message)
    } else {
        unreachable(&message)
    })
}

/// Starts the builder ahead of [`build`] (the channel's `prepareBuild`).
pub fn prepare() {
    if let Some(prepare) = super::channel_function(CHANNEL_PREPARE_BUILD) {
        let _ = prepare.call0(&JsValue::NULL);
    }
}

/// A thrown value's message, or its string form.
fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
