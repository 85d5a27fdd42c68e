//! The widget's end of the worker channel: sends [`ToWorker`] messages and
//! hands every [`FromWorker`] to a callback. The loader normally starts the
//! worker itself at intent (so the engine loads in parallel with this UI)
//! and hands it over; without one, the link starts its own.

use hc_core::protocol::{FromWorker, ToWorker};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

pub struct Link {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Link {
    /// Starts a module worker from `url`.
    pub fn start(url: &str, on_message: impl FnMut(FromWorker) + 'static) -> Result<Link, JsValue> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(url, &options)?;
        Ok(Link::attach(worker, on_message))
    }

    /// Takes over a running worker: its `onmessage` becomes ours.
    pub fn attach(worker: Worker, mut on_message: impl FnMut(FromWorker) + 'static) -> Link {
        let handler =
            Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                match decode(ev.data()) {
                    Ok(msg) => on_message(msg),
                    Err(e) => web_sys::console::warn_1(
                        &format!("hc-search: unreadable worker message: {e}").into(),
                    ),
                }
            });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        Link {
            worker,
            _on_message: handler,
        }
    }

    pub fn send(&self, msg: &ToWorker) {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        match serde::Serialize::serialize(msg, &serializer) {
            Ok(value) => {
                let _ = self.worker.post_message(&value);
            }
            Err(e) => {
                web_sys::console::warn_1(&format!("hc-search: cannot encode a message: {e}").into())
            }
        }
    }
}

/// A worker message: its `type` read off the object first, then that
/// variant's fields ([`FromWorker::from_fields`], which keeps serde's
/// buffering of tagged enums out of this wasm).
fn decode(data: JsValue) -> Result<FromWorker, serde_wasm_bindgen::Error> {
    let tag = js_sys::Reflect::get(&data, &JsValue::from_str("type"))
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    FromWorker::from_fields(&tag, serde_wasm_bindgen::Deserializer::from(data))
}

impl Drop for Link {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.terminate();
    }
}
