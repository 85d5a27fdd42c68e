//! `cargo xtask bench-engine`: every engine figure from one command.
//!
//! 1. `cargo run --release -p hc-engine --example bench` (native figures;
//!    also writes its packs for step 4).
//! 2. `cargo build -p hc-engine-bench-wasm --target wasm32-unknown-unknown
//!    --profile <wasm-release>`, then bindgen (nodejs target) with
//!    `wasm-bindgen-cli-support`, then `wasm-opt -Oz` (binaryen from npm,
//!    as `build-web` uses), in place: Node runs the optimised module.
//! 3. Sizes of the optimised wasm: raw, gzip -9, brotli -q 11.
//! 4. `node crates/engine/bench/run.mjs` (wasm figures, and a check that
//!    the native packs load in wasm and answer the same).

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::build_web::{
    brotli_len, cargo_command as cargo, gzip_len, target_dir, wasm_opt, workspace_root,
};

fn sh(cmd: &mut Command) -> Result<String> {
    eprintln!("$ {cmd:?}");
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed: {}", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `ROW <where> <corpus> <lang> k=v ...` lines → (where, corpus, lang) → fields.
type Rows = BTreeMap<(String, String, String), BTreeMap<String, String>>;

fn parse_rows(text: &str, rows: &mut Rows) {
    for line in text.lines().filter(|l| l.starts_with("ROW ")) {
        let mut parts = line.split_whitespace().skip(1);
        let (Some(w), Some(c), Some(l)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let fields = parts
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        rows.insert((w.to_string(), c.to_string(), l.to_string()), fields);
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let profile = match args {
        [flag, p] if flag == "--profile" => p.clone(),
        [] => "wasm-release".to_string(),
        _ => bail!("usage: cargo xtask bench-engine [--profile PROFILE]"),
    };
    let root = workspace_root();
    let target = target_dir();
    let out = target.join("bench-engine");
    let native_out = out.join("native");
    std::fs::create_dir_all(&native_out)?;
    let corpus = root.join("../shared/corpus");
    let mut rows = Rows::new();

    // 1. Native.
    let native = sh(cargo()
        .current_dir(&root)
        .args([
            "run",
            "--release",
            "-q",
            "-p",
            "hc-engine",
            // Packs as `hcs build-static` writes them (as the wasm's).
            "--features",
            "zopfli",
            "--example",
            "bench",
        ])
        .env("HC_BENCH_OUT", &native_out)
        .env("HC_CORPUS_DIR", &corpus))?;
    parse_rows(&native, &mut rows);

    // 2. wasm build, bindgen, wasm-opt.
    sh(cargo().current_dir(&root).args([
        "build",
        "-q",
        "-p",
        "hc-engine-bench-wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        &profile,
    ]))?;
    let wasm = target
        .join("wasm32-unknown-unknown")
        .join(&profile)
        .join("hc_engine_bench_wasm.wasm");
    let pkg = out.join(format!("pkg-{profile}"));
    std::fs::create_dir_all(&pkg)?;
    eprintln!(
        "$ wasm-bindgen (cli-support) --target nodejs {} --out-dir {}",
        wasm.display(),
        pkg.display()
    );
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .nodejs(true)?
        .typescript(false)
        .generate(&pkg)
        .context("bindgen")?;
    let bg = pkg.join("hc_engine_bench_wasm_bg.wasm");
    let raw_before = std::fs::metadata(&bg)?.len();
    wasm_opt(&bg)?;
    let optimised = std::fs::read(&bg)?;
    let raw = optimised.len();
    let gz = gzip_len(&optimised);
    let br = brotli_len(&optimised);

    // 4. Node.
    let node = sh(Command::new("node")
        .arg(root.join("crates/engine/bench/run.mjs"))
        .arg(&pkg)
        .arg(&corpus)
        .arg(&native_out))?;
    parse_rows(&node, &mut rows);

    // Table.
    println!();
    println!("engine benchmark (wasm profile: {profile}); build = median of 3 in wasm, 1 native; queries = dev queries of the corpus/lang, each also typed char by char");
    println!(
        "| where  | corpus           | lang | docs | build ms | pack load ms | text bytes | pack bytes | pack/text | query p50 µs | query p95 µs | searches | native pack in wasm |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for ((w, c, l), f) in &rows {
        let g = |k: &str| f.get(k).map_or("-", String::as_str);
        let ratio = match (
            g("pack_bytes").parse::<f64>(),
            g("text_bytes").parse::<f64>(),
        ) {
            (Ok(p), Ok(t)) if t > 0.0 => format!("{:.1}%", p * 100.0 / t),
            _ => "-".into(),
        };
        println!(
            "| {w:<6} | {c:<16} | {l:<4} | {} | {} | {} | {} | {} | {ratio} | {} | {} | {} | {} |",
            g("docs"),
            g("build_ms"),
            g("load_ms"),
            g("text_bytes"),
            g("pack_bytes"),
            g("p50_us"),
            g("p95_us"),
            g("n"),
            g("native_pack"),
        );
    }
    println!();
    println!("engine wasm (hc-engine-bench-wasm, profile {profile}): after bindgen {raw_before} B; after wasm-opt -Oz: raw {raw} B, gzip -9 {gz} B, brotli -q 11 {br} B");
    Ok(())
}
