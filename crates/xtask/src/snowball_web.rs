//! The per-language Snowball modules of `build-web` (`crates/snowball`):
//! one wasm per language of `hc_engine::snowball::LANGUAGES`, each with
//! that language's stemmer and stop list, which the search worker fetches
//! for the visitor's language (its own wasm links none: checked here).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};

use crate::build_web::{cargo_wasm_with, hashed_name, wasm_opt_cached};

/// Builds every language's module into `staging`: for each subtag, the
/// module's file name (`hc_snowball_fr.<hash>.wasm`) and bytes.
pub fn build(staging: &Path, profile: &str) -> Result<BTreeMap<String, (String, Vec<u8>)>> {
    let mut modules = BTreeMap::new();
    for subtag in hc_engine::snowball::LANGUAGES {
        let wasm = cargo_wasm_with(
            "hc-snowball",
            profile,
            &["--no-default-features", "--features", subtag],
        )?;
        let stem = format!("hc_snowball_{subtag}");
        let bg = staging.join(format!("{stem}.wasm"));
        let module = own_exports_only(&std::fs::read(&wasm)?, subtag)
            .map_err(|e| e.context(format!("{}", wasm.display())))?;
        std::fs::write(&bg, module)?;
        if profile != "dev" {
            wasm_opt_cached(&bg)?;
        }
        let bytes = std::fs::read(&bg)?;
        imports_nothing(&bytes, subtag)?;
        modules.insert(
            subtag.to_string(),
            (hashed_name(&stem, "wasm", &bytes), bytes),
        );
    }
    Ok(modules)
}

/// The custom section in which a module names its language
/// (`crates/snowball`, `LANG_SECTION`).
const LANG_SECTION: &str = "hc_snowball_lang";

/// The module of `subtag` with its memory and its own functions
/// (`hc_snowball_*`) as its only exports, and no custom sections: what the
/// engine's dependencies leave for wasm-bindgen (describe functions, the
/// externref table's helpers) is exported, so kept, until this drops it,
/// with what only it reached (`walrus`'s garbage collection). The builds
/// of all languages share one file, so the module must name `subtag` in
/// its [`LANG_SECTION`].
fn own_exports_only(wasm: &[u8], subtag: &str) -> Result<Vec<u8>> {
    let mut module = walrus::Module::from_buffer(wasm)?;
    let named = module.customs.remove_raw(LANG_SECTION).map(|c| c.data);
    if named.as_deref() != Some(subtag.as_bytes()) {
        bail!("not the Snowball module of {subtag} (another build wrote it meanwhile?)");
    }
    let foreign: Vec<_> = module
        .exports
        .iter()
        .filter(|e| e.name != "memory" && !e.name.starts_with("hc_snowball_"))
        .map(|e| e.id())
        .collect();
    for id in foreign {
        module.exports.delete(id);
    }
    let customs: Vec<_> = module.customs.iter().map(|(id, _)| id).collect();
    for id in customs {
        module.customs.delete(id);
    }
    walrus::passes::gc::run(&mut module);
    Ok(module.emit_wasm())
}

/// The worker's entry instantiates a module with no imports: one that
/// needs any (wasm-bindgen's glue, say) would fail there at run time.
fn imports_nothing(wasm: &[u8], subtag: &str) -> Result<()> {
    let module = walrus::Module::from_buffer(wasm)?;
    if let Some(import) = module.imports.iter().next() {
        bail!(
            "the Snowball module of {subtag} imports {}.{}: the worker's entry gives it nothing \
             (crates/snowball must call nothing outside its wasm)",
            import.module,
            import.name
        );
    }
    Ok(())
}

/// The worker's wasm links no stemmer: the languages' modules bring them.
/// Checked by the function names rustc leaves before wasm-bindgen.
pub fn links_no_stemmer(wasm: &[u8]) -> Result<()> {
    if wasm.windows(7).any(|w| w == b"frostem") {
        bail!(
            "the worker's wasm links frostem: hc-engine's `snowball` feature is on in its build \
             (crates/worker/Cargo.toml); the languages' Snowball modules bring the stemmers"
        );
    }
    Ok(())
}

/// The loader's `SNOWBALL`: by primary subtag, aliases included, each
/// module's URL as a literal `new URL("./hc_snowball_fr.<hash>.wasm",
/// import.meta.url).href`, as the loader writes its other files, so that
/// bundlers copy the modules too (written in for `__HC_SNOWBALL__`).
pub fn urls_js(modules: &BTreeMap<String, (String, Vec<u8>)>) -> String {
    let url = |name: &str| format!("new URL({:?}, import.meta.url).href", format!("./{name}"));
    let mut entries: Vec<String> = modules
        .iter()
        .map(|(subtag, (name, _))| format!("{subtag:?}: {}", url(name)))
        .collect();
    for (alias, to) in hc_engine::snowball::ALIASES {
        if let Some((name, _)) = modules.get(to) {
            entries.push(format!("{alias:?}: {}", url(name)));
        }
    }
    format!("{{\n  {},\n}}", entries.join(",\n  "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_urls_are_literal_for_bundlers_and_include_the_aliases() {
        let modules: BTreeMap<String, (String, Vec<u8>)> = [
            (
                "no".to_string(),
                ("hc_snowball_no.1.wasm".to_string(), vec![]),
            ),
            (
                "fr".to_string(),
                ("hc_snowball_fr.2.wasm".to_string(), vec![]),
            ),
        ]
        .into();
        let js = urls_js(&modules);
        for entry in [
            r#""fr": new URL("./hc_snowball_fr.2.wasm", import.meta.url).href"#,
            r#""no": new URL("./hc_snowball_no.1.wasm", import.meta.url).href"#,
            r#""nb": new URL("./hc_snowball_no.1.wasm", import.meta.url).href"#,
            r#""nn": new URL("./hc_snowball_no.1.wasm", import.meta.url).href"#,
        ] {
            assert!(js.contains(entry), "{js}");
        }
    }

    #[test]
    fn a_worker_that_links_a_stemmer_is_refused() {
        assert!(links_no_stemmer(b"..._ZN7frostem10algorithms..").is_err());
        assert!(links_no_stemmer(b"..miniz_oxide7inflate..").is_ok());
    }

    #[test]
    fn a_module_is_taken_only_as_the_language_it_names() {
        let named = |lang: Option<&[u8]>| {
            let mut module = walrus::Module::default();
            if let Some(lang) = lang {
                module.customs.add(walrus::RawCustomSection {
                    name: LANG_SECTION.to_string(),
                    data: lang.to_vec(),
                });
            }
            module.emit_wasm()
        };
        let fr = own_exports_only(&named(Some(b"fr")), "fr").unwrap();
        assert!(walrus::Module::from_buffer(&fr)
            .unwrap()
            .customs
            .iter()
            .next()
            .is_none());
        assert!(own_exports_only(&named(Some(b"fr")), "de").is_err());
        assert!(own_exports_only(&named(None), "fr").is_err());
    }

    #[test]
    fn a_module_with_an_import_is_refused() {
        // (module (import "env" "f" (func)))
        let with_import = [
            0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 9, 1, 3, 101, 110, 118, 1, 102, 0, 0,
        ];
        assert!(imports_nothing(&with_import, "xx").is_err());
        let empty = [0, 97, 115, 109, 1, 0, 0, 0];
        assert!(imports_nothing(&empty, "xx").is_ok());
    }
}
