//! `cargo xtask bench-web-pkg --out DIR`: `hc-engine-bench-wasm` built for
//! the browser (profile `wasm-release`, bindgen `--target web`, `wasm-opt
//! -Oz` cached by input hash), for the side-by-side benchmark in `bench/`.
//! Writes `DIR/hc_engine_bench_wasm.js` and `DIR/hc_engine_bench_wasm_bg.wasm`,
//! plus `DIR/sizes.json` (raw, gzip -9 and brotli -q 11 of both files).

use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::build_web::{bindgen, brotli_len, cargo_wasm, gzip_len, wasm_opt_cached};

pub fn run(args: &[String]) -> Result<()> {
    let out = match args {
        [flag, dir] if flag == "--out" => PathBuf::from(dir),
        _ => bail!("usage: cargo xtask bench-web-pkg --out DIR"),
    };
    std::fs::create_dir_all(&out)?;
    let wasm = cargo_wasm("hc-engine-bench-wasm", "wasm-release")?;
    let name = "hc_engine_bench_wasm";
    let (js, bg) = bindgen(&wasm, &out, name)?;
    wasm_opt_cached(&bg)?;
    let mut entries = Vec::new();
    for p in [&js, &bg] {
        let bytes = std::fs::read(p)?;
        let file = p.file_name().unwrap().to_string_lossy().into_owned();
        entries.push(format!(
            "  \"{file}\": {{\"raw\": {}, \"gzip\": {}, \"brotli\": {}}}",
            bytes.len(),
            gzip_len(&bytes),
            brotli_len(&bytes)
        ));
    }
    std::fs::write(
        out.join("sizes.json"),
        format!("{{\n{}\n}}\n", entries.join(",\n")),
    )?;
    eprintln!("bench-web-pkg: wrote {}", out.display());
    Ok(())
}
