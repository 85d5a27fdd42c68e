//! The JS face of [`SiteBuild`]: values in and out, no logic.

use js_sys::{Array, Function, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::{Options, SiteBuild};

/// `new SiteBuild(options, readFile)`; see [`SiteBuild`].
#[wasm_bindgen(js_name = SiteBuild)]
pub struct JsSiteBuild(Option<SiteBuild>);

#[wasm_bindgen(js_class = SiteBuild)]
impl JsSiteBuild {
    /// `options`: `{publicUrl, languages, defaultLanguage, synonyms,
    /// suggestions}`; `readFile(path)` returns a file's text or throws.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, read_file: &Function) -> Result<JsSiteBuild, JsError> {
        let options: Options = serde_wasm_bindgen::from_value(options)
            .map_err(|e| crate::BuildError::Options(e.to_string()))?;
        let read = |path: &str| {
            read_file
                .call1(&JsValue::NULL, &JsValue::from_str(path))
                .map_err(|e| {
                    e.dyn_ref::<js_sys::Error>()
                        .map_or_else(|| format!("{path}: cannot be read"), |e| e.message().into())
                })?
                .as_string()
                .ok_or_else(|| format!("{path}: not a text file"))
        };
        Ok(JsSiteBuild(Some(SiteBuild::new(options, read)?)))
    }

    /// The next page to read below the API base, or `undefined`.
    #[wasm_bindgen(js_name = nextRequest)]
    pub fn next_request(&self) -> Option<String> {
        self.0.as_ref().and_then(SiteBuild::next_request)
    }

    /// The body of a 200 answer to `nextRequest()`.
    pub fn feed(&mut self, body: &str) -> Result<(), JsError> {
        let build = self.0.as_mut().ok_or(crate::BuildError::NotWaiting)?;
        Ok(build.feed(body)?)
    }

    /// `{files: [[name, Uint8Array]], packs: [{lang, file, articles,
    /// bytes}], articles, snapshotBytes, skipped: [string]}`;
    /// `onLanguage(lang)` is called before each language is indexed.
    pub fn finish(&mut self, on_language: &Function) -> Result<JsValue, JsError> {
        let build = self.0.take().ok_or(crate::BuildError::NotWalked)?;
        let built = build.finish(|lang| {
            // Progress only: a failing callback must not fail the build.
            let _ = on_language.call1(&JsValue::NULL, &JsValue::from_str(lang.as_str()));
        })?;
        let files = Array::new();
        for (name, bytes) in &built.site.files {
            files.push(&Array::of2(
                &JsValue::from_str(name),
                &Uint8Array::from(bytes.as_slice()),
            ));
        }
        let packs = Array::new();
        for p in &built.site.packs {
            let o = js_sys::Object::new();
            set(&o, "lang", &JsValue::from_str(p.lang.as_str()))?;
            set(&o, "file", &JsValue::from_str(&p.file))?;
            set(&o, "articles", &JsValue::from(p.articles as u32))?;
            set(&o, "bytes", &JsValue::from(p.bytes as u32))?;
            packs.push(&o);
        }
        let skipped: Array = built
            .skipped
            .iter()
            .map(|s| JsValue::from_str(&s.to_string()))
            .collect();
        let out = js_sys::Object::new();
        set(&out, "files", &files)?;
        set(&out, "packs", &packs)?;
        set(&out, "articles", &JsValue::from(built.site.articles as u32))?;
        set(
            &out,
            "snapshotBytes",
            &JsValue::from(built.site.snapshot_bytes as u32),
        )?;
        set(&out, "skipped", &skipped)?;
        Ok(out.into())
    }
}

/// The API base as every client uses it (a host alone means its `/v1`).
#[wasm_bindgen(js_name = normalizeApiBase)]
pub fn normalize_api_base(base: &str) -> String {
    hc_core::wire::walk::normalize_base(base)
}

/// The name of the list of a build's own files
/// (`hc_publish::generations`).
#[wasm_bindgen(js_name = filesListName)]
pub fn files_list_name() -> String {
    hc_publish::generations::FILES_LIST.to_string()
}

/// The text of that list for a build of these files.
#[wasm_bindgen(js_name = filesList)]
pub fn files_list(names: Vec<String>) -> String {
    hc_publish::generations::files_list(names.iter().map(String::as_str))
}

/// Of the files an earlier build listed, those to copy into the new one
/// (`written`: the new build's files).
#[wasm_bindgen(js_name = filesToKeep)]
pub fn files_to_keep(old_list: &str, written: Vec<String>) -> Vec<String> {
    hc_publish::generations::files_to_keep(old_list, &written)
}

/// The engine's id, for `--version`.
#[wasm_bindgen(js_name = engineId)]
pub fn engine_id() -> String {
    hc_engine::engine_id()
}

fn set(o: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    js_sys::Reflect::set(o, &JsValue::from_str(key), value)
        .map(drop)
        .map_err(|_| JsError::new("setting a result field"))
}
