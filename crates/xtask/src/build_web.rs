//! `cargo xtask build-web [--out DIR] [--dev]`: the one reproducible build
//! of the browser artefacts, used by the demo, the npm package and static
//! builds alike.
//!
//! 1. `hc-widget`, `hc-worker` and `hc-builder` to `wasm32-unknown-unknown` (profile
//!    `wasm-release`, or `dev` with `--dev` for a fast edit loop);
//! 2. bindgen (`--target web`) through `wasm-bindgen-cli-support`, the
//!    wasm's imports from its glue renamed to short names in both (not
//!    with `--dev`);
//! 3. `wasm-opt -Oz` (binaryen from the npm registry, pinned in `tools/`;
//!    on the UI's wasm also `--converge` and the unused stream exports
//!    removed);
//! 4. the worker's and the builder's entries appended to their glue (one
//!    module file each);
//! 5. content-hashed names, filled into the loader (`hc-search.js`, the one
//!    stable name);
//! 6. the four JS files minified (esbuild, pinned in `tools/`; not with
//!    `--dev`); `manifest.json` lists every file with its raw, gzip and
//!    brotli size.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Builds `package` for wasm32 and returns the path of its `.wasm`.
///
/// A cdylib's `.wasm` has no hash in its name, so checkouts that share one
/// `CARGO_TARGET_DIR` (git worktrees) write the same file, while cargo
/// keeps each checkout's record of it apart: a checkout whose sources did
/// not change since its last build finds its record fresh and does not link
/// again, and the file holds whatever another checkout linked last. So the
/// checkout that linked the file is written beside it (`.wasm.checkout`),
/// and the package is cleaned first when that is another one (or unknown).
pub fn cargo_wasm(package: &str, profile: &str) -> Result<PathBuf> {
    cargo_wasm_with(package, profile, &[])
}

/// [`cargo_wasm`] with more arguments for `cargo build` (features). The
/// builds of one package share its `.wasm` (a cdylib's name has no hash),
/// so a caller that builds it with other features checks what it got
/// (`snowball_web` asks each module its language).
pub fn cargo_wasm_with(package: &str, profile: &str, extra: &[&str]) -> Result<PathBuf> {
    let dir = if profile == "dev" { "debug" } else { profile };
    let wasm = target_dir()
        .join("wasm32-unknown-unknown")
        .join(dir)
        .join(format!("{}.wasm", package.replace('-', "_")));
    let stamp = wasm.with_extension("wasm.checkout");
    let here = workspace_root().display().to_string();
    let linked_here = std::fs::read_to_string(&stamp).is_ok_and(|s| s == here);
    if wasm.exists() && !linked_here {
        cargo(&["clean", "-p", package], profile)?;
    }
    let mut args = vec!["build", "-p", package];
    args.extend_from_slice(extra);
    cargo(&args, profile)?;
    std::fs::write(&stamp, &here)?;
    Ok(wasm)
}

/// The cargo that runs this xtask (`$CARGO`), else `cargo`.
pub fn cargo_command() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `cargo <args> --target wasm32-unknown-unknown --profile <profile>` in the
/// workspace.
fn cargo(args: &[&str], profile: &str) -> Result<()> {
    let status = cargo_command()
        .current_dir(workspace_root())
        .args(args)
        .args(["--target", "wasm32-unknown-unknown", "--profile", profile])
        .status()
        .context("running cargo")?;
    if !status.success() {
        bail!("cargo {} failed", args.join(" "));
    }
    Ok(())
}

/// Runs bindgen (`--target web`) into `out`; returns (js, wasm) paths.
pub fn bindgen(wasm: &Path, out: &Path, name: &str) -> Result<(PathBuf, PathBuf)> {
    bindgen_with(wasm, out, name, false)
}

/// [`bindgen`], with the wasm's imports from its glue given short names
/// when `short_imports` (see [`shorten_imports`]).
fn bindgen_with(
    wasm: &Path,
    out: &Path,
    name: &str,
    short_imports: bool,
) -> Result<(PathBuf, PathBuf)> {
    let mut output = wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .web(true)?
        .typescript(false)
        .out_name(name)
        .generate_output()
        .with_context(|| format!("bindgen of {}", wasm.display()))?;
    let renamed = if short_imports {
        shorten_imports(output.wasm_mut())
    } else {
        Vec::new()
    };
    output
        .emit(out)
        .with_context(|| format!("writing the bindgen output of {}", wasm.display()))?;
    let js = out.join(format!("{name}.js"));
    if !renamed.is_empty() {
        let mut text = std::fs::read_to_string(&js)?;
        for (long, short) in &renamed {
            // The glue names each import once, as a key of its import
            // object; anything else means the glue's shape changed.
            if text.matches(long.as_str()).count() != 1 {
                bail!("{name}.js does not name the import {long} exactly once: update shorten_imports");
            }
            text = text.replace(long.as_str(), short);
        }
        std::fs::write(&js, text)?;
    }
    Ok((js, out.join(format!("{name}_bg.wasm"))))
}

/// Renames the functions the wasm imports from its glue
/// (`__wbg_addEventListener_90e553fdce254421`: a name and a 16-digit hash
/// each) to short ones (`_a`, `_b`, …) and returns (old, new) pairs, for
/// the glue to be renamed alike. The hashes do not compress: in both the
/// wasm and the glue they cost the UI ~3.9 KB brotli of its 150 KB budget.
fn shorten_imports(module: &mut walrus::Module) -> Vec<(String, String)> {
    let mut renamed = Vec::new();
    for import in module.imports.iter_mut() {
        // The glue's own module: `./NAME_bg.js` (`wbg` in older versions).
        let from_glue = import.module.ends_with("_bg.js") || import.module == "wbg";
        if !from_glue || !is_hashed_glue_name(&import.name) {
            continue;
        }
        let short = short_name(renamed.len());
        renamed.push((std::mem::replace(&mut import.name, short.clone()), short));
    }
    renamed
}

/// `__wbg_` + a name + `_` + 16 hex digits.
fn is_hashed_glue_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("__wbg_") else {
        return false;
    };
    match rest.rsplit_once('_') {
        Some((stem, hash)) => {
            !stem.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// `_a` … `_Z`, `_ba` …: an identifier no glue function is named.
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    loop {
        out.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
    }
    out.push(b'_');
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// A build tool from the npm registry pinned in `tools/package.json`
/// (installed on first use, and again when a newly pinned tool is
/// missing); `None` when there is no npm to install it with.
fn npm_tool(name: &str) -> Result<Option<PathBuf>> {
    let tools = workspace_root().join("tools");
    let bin = tools.join("node_modules/.bin").join(name);
    if !bin.exists() {
        let status = match Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .status()
        {
            Ok(status) => status,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).context("running npm"),
        };
        if !status.success() {
            bail!("npm ci in tools/ failed");
        }
    }
    Ok(Some(bin))
}

/// The `wasm-opt` to use: `$WASM_OPT`, else binaryen from the npm registry
/// pinned in `tools/package.json`; `None` when there is no npm to install
/// it with (the build still works, only larger).
/// Debian's binaryen 108 is too old: it breaks wasm-bindgen's externref
/// table ("WebAssembly.Table.set(): Argument 1 is invalid").
pub fn wasm_opt_path() -> Result<Option<PathBuf>> {
    if let Some(p) = std::env::var_os("WASM_OPT") {
        return Ok(Some(PathBuf::from(p)));
    }
    let bin = npm_tool("wasm-opt")?;
    if bin.is_none() {
        eprintln!(
            "warning: npm not found, so wasm-opt (binaryen, from the npm registry) is \
             skipped: the wasm files work but are larger. Install Node.js for the \
             optimised build."
        );
    }
    Ok(bin)
}

/// `js` (an ES module) minified by esbuild from `tools/` (whitespace,
/// comments, local names; exported names, property names and
/// `import.meta.url` stay), or as it is when there is no npm. The loader
/// and the glue are fetched before the first answer and counted in its
/// byte budgets; wasm-bindgen's glue comes out of it unminified.
fn minify_js(js: &[u8], name: &str) -> Result<Vec<u8>> {
    let Some(esbuild) = npm_tool("esbuild")? else {
        eprintln!("warning: npm not found, so {name} is not minified");
        return Ok(js.to_vec());
    };
    let mut child = Command::new(esbuild)
        .args([
            "--minify",
            "--format=esm",
            "--loader=js",
            "--target=es2022",
            "--legal-comments=none",
            "--log-level=warning",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("running esbuild")?;
    let mut stdin = child.stdin.take().context("esbuild's stdin")?;
    let input = js.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().context("running esbuild")?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writing to esbuild"))?
        .context("writing to esbuild")?;
    if !out.status.success() {
        bail!("esbuild could not minify {name}");
    }
    Ok(out.stdout)
}

/// `wasm-opt -Oz` in place (skipped when `HC_NO_WASM_OPT` is set or there
/// is no wasm-opt); whether it ran.
pub fn wasm_opt(wasm: &Path) -> Result<bool> {
    wasm_opt_with(wasm, &[])
}

/// [`wasm_opt`] with `extra` flags, given before `-Oz`: binaryen runs
/// passes in the order given, so `-Oz` cleans up after a pass there.
pub fn wasm_opt_with(wasm: &Path, extra: &[&str]) -> Result<bool> {
    if std::env::var_os("HC_NO_WASM_OPT").is_some() {
        return Ok(false);
    }
    let Some(wasm_opt) = wasm_opt_path()? else {
        return Ok(false);
    };
    let status = Command::new(wasm_opt)
        .args(extra)
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-reference-types",
            "--enable-multivalue",
            "--enable-mutable-globals",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(wasm)
        .status()
        .context("running wasm-opt")?;
    if !status.success() {
        bail!("wasm-opt failed on {}", wasm.display());
    }
    Ok(true)
}

/// [`wasm_opt`], skipped when this exact input was optimised before: the
/// result is kept under the target folder, keyed by the input's hash
/// (wasm-opt takes minutes on the worker; most rebuilds change only the UI).
pub fn wasm_opt_cached(wasm: &Path) -> Result<()> {
    wasm_opt_cached_with(wasm, &[])
}

/// [`wasm_opt_cached`] with `extra` flags (part of the cache key).
pub fn wasm_opt_cached_with(wasm: &Path, extra: &[&str]) -> Result<()> {
    if std::env::var_os("HC_NO_WASM_OPT").is_some() {
        return Ok(());
    }
    let mut input = std::fs::read(wasm)?;
    for flag in extra {
        input.extend_from_slice(flag.as_bytes());
    }
    let key: String = Sha256::digest(&input)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let cache = target_dir().join("wasm-opt-cache");
    let cached = cache.join(format!("{key}.wasm"));
    if let Ok(bytes) = std::fs::read(&cached) {
        std::fs::write(wasm, bytes)?;
        return Ok(());
    }
    if wasm_opt_with(wasm, extra)? {
        std::fs::create_dir_all(&cache)?;
        std::fs::copy(wasm, &cached)?;
    }
    Ok(())
}

pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("in-memory write");
    enc.finish().expect("in-memory write").len()
}

pub fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("in-memory write");
    out.len()
}

/// `js` with its one `__HC_CONTRACT__` replaced by the names it shares
/// with the worker ([`hc_core::loader::contract_js`]).
fn with_contract(js: &str, name: &str) -> Result<String> {
    if js.matches("__HC_CONTRACT__").count() != 1 {
        bail!("{name} must hold `__HC_CONTRACT__` once (the shared names of hc_core::loader)");
    }
    Ok(js.replace("__HC_CONTRACT__", &hc_core::loader::contract_js()))
}

/// The launcher's strings of every built-in language and the aliases the
/// loader finds them by, as a JS object literal (JSON), from the widget's
/// tables (`hc_widget::strings`): `{"tables": {"de": {"launcher": …,
/// "placeholder": …, "label": …}, …}, "aliases": {"zh-hk": "zh-tw", …}}`.
pub fn launcher_js() -> String {
    use hc_widget::strings::{builtin, launcher_aliases, LAUNCHER_TEXTS, UI_LANGUAGES};
    let tables: serde_json::Map<String, serde_json::Value> = UI_LANGUAGES
        .iter()
        .map(|lang| {
            let texts: serde_json::Map<String, serde_json::Value> = LAUNCHER_TEXTS
                .iter()
                .map(|t| (t.key().to_string(), builtin(lang, *t).into()))
                .collect();
            (lang.to_string(), texts.into())
        })
        .collect();
    let aliases: serde_json::Map<String, serde_json::Value> = launcher_aliases()
        .into_iter()
        .map(|(tag, code)| (tag.to_string(), code.into()))
        .collect();
    serde_json::json!({ "tables": tables, "aliases": aliases }).to_string()
}

/// `js` with its one `__HC_LAUNCHER_STRINGS__` replaced by [`launcher_js`].
fn with_launcher(js: &str, name: &str) -> Result<String> {
    if js.matches("__HC_LAUNCHER_STRINGS__").count() != 1 {
        bail!("{name} must hold `__HC_LAUNCHER_STRINGS__` once (the launcher's strings of hc_widget::strings)");
    }
    Ok(js.replace("__HC_LAUNCHER_STRINGS__", &launcher_js()))
}

/// The worker as one module: the wasm-bindgen glue with the worker's entry
/// (`www/hc-worker-main.js`, the names it shares with the loader filled
/// in) appended, which calls the glue's private `__wbg_init` and its
/// `handle_message` export.
fn worker_module(glue: Vec<u8>, root: &Path) -> Result<Vec<u8>> {
    let entry = "www/hc-worker-main.js";
    let text = with_contract(&std::fs::read_to_string(root.join(entry))?, entry)?;
    // The entry also wraps the glue's imports with the split's
    // (`split_wasm`) and hands the second part the instance's exports.
    with_entry(
        glue,
        entry,
        &text,
        &[
            "export function handle_message(",
            "function __wbg_get_imports(",
            "wasm = instance.exports;",
        ],
    )
}

/// The builder as one module: its glue with `www/hc-builder-main.js`
/// appended, which calls `__wbg_init` and `build_pack`.
fn builder_module(glue: Vec<u8>, root: &Path) -> Result<Vec<u8>> {
    let entry = "www/hc-builder-main.js";
    let text = std::fs::read_to_string(root.join(entry))?;
    with_entry(glue, entry, &text, &["export function build_pack("])
}

/// `glue` with `entry_text` appended, checked to define the private
/// `__wbg_init` and what else the entry uses (`needs`: the export it
/// calls, …), so that a wasm-bindgen upgrade that renames them fails the
/// build, not the browser.
fn with_entry(mut glue: Vec<u8>, entry: &str, entry_text: &str, needs: &[&str]) -> Result<Vec<u8>> {
    let text = String::from_utf8_lossy(&glue);
    for needed in std::iter::once("async function __wbg_init(").chain(needs.iter().copied()) {
        if !text.contains(needed) {
            bail!("the wasm-bindgen glue no longer has `{needed}`: update {entry}");
        }
    }
    glue.extend_from_slice(b"\n");
    glue.extend_from_slice(entry_text.as_bytes());
    Ok(glue)
}

pub fn hashed_name(stem: &str, ext: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("{stem}.{hex}.{ext}")
}

pub fn run(args: &[String]) -> Result<()> {
    let mut out = workspace_root().join("dist");
    let mut profile = "wasm-release";
    let mut instrument = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = PathBuf::from(it.next().context("--out needs a folder")?),
            "--dev" => profile = "dev",
            "--instrument-split" => instrument = true,
            other => bail!("unknown argument {other}"),
        }
    }
    let split = match instrument {
        true => WorkerSplit::Instrument,
        false => WorkerSplit::for_profile(profile),
    };
    let out = build_with(&out, profile, split)?;
    println!("browser artefacts in {}", out.display());
    Ok(())
}

/// `wasm-opt` flags beyond `-Oz` per package. The UI's wasm is fetched on
/// the visitor's first intent against a 150 KB budget, so it is optimised
/// until the passes stop shrinking it (`--converge`: ~1.3 KB brotli less,
/// seconds on its half-megabyte); the worker's 3 MB would take minutes more.
/// `--low-memory-unused` (~0.7 KB brotli less) lets binaryen fold constant
/// offsets into loads and stores, which is sound when nothing lives in the
/// first 1 KB of memory: rustc links wasm32 with the stack first (the stack
/// pointer starts at 1 MB and grows down, the data follows it), so those
/// bytes are the last of the stack, reached only by an overflow.
///
/// `--remove-exports` drops the exports of wasm-streams (its stream
/// adapters, `IntoUnderlying*`), which leptos's server functions pull in
/// and the widget, having none, never calls; the code only they reach goes
/// with them (~1.1 KB brotli). Their classes stay in the glue, unused.
///
/// The worker gets `--low-memory-unused` too, on the same grounds (its data
/// starts at 1 MB, after the stack), and `--converge` (wasm-opt ~1.5 times
/// as long on it, cached): worker wasm brotli 481,870 → 480,305 B with the
/// first, → 477,306 B with both (main 6294128).
/// The worker takes containers as they are served and stores them as
/// they are (engine README, "A piece travels as it is kept"), so its wasm
/// must not link miniz_oxide's compressor: checked by the function names
/// rustc leaves in the wasm before wasm-bindgen and wasm-opt. The
/// inflater, which it links by design, shows that the names are there.
fn links_no_deflater(wasm: &[u8]) -> Result<()> {
    let has = |needle: &[u8]| wasm.windows(needle.len()).any(|w| w == needle);
    if !has(b"miniz_oxide7inflate") {
        bail!("the worker's wasm has no function names to check for a deflater (miniz_oxide's inflater is not named)");
    }
    if has(b"miniz_oxide7deflate") {
        bail!(
            "the worker's wasm links miniz_oxide's compressor: something it calls reaches a deflate \
             (Container::engine or ::reader instead of the served_ ones, container::encode with \
             Packing::Travel, Texts::build); see crates/engine/README.md, \"A piece travels as it is kept\""
        );
    }
    Ok(())
}

fn extra_opt_flags(package: &str) -> &'static [&'static str] {
    match package {
        "hc-widget" => &[
            "--remove-exports",
            "--pass-arg=remove-exports@*intounderlying*",
            "--converge",
            "--low-memory-unused",
        ],
        "hc-worker" => &["--low-memory-unused", "--converge"],
        // Fetched only on the snapshot route, after intent: not worth
        // `--converge`'s minutes.
        "hc-builder" => &["--low-memory-unused"],
        _ => &[],
    }
}

/// How [`build_with`] makes the worker's wasm (`split_wasm`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum WorkerSplit {
    /// In two parts, by the list of what first answers run ([`FIRST_ANSWER`]).
    Split,
    /// Whole, with an empty second part (never fetched): `--dev`.
    Whole,
    /// Whole, marking each function as it first runs, and the list of
    /// their names written beside it ([`SPLIT_KEYS`]): `--instrument-split`,
    /// for `tests/e2e/profile-split.mjs`.
    Instrument,
}

impl WorkerSplit {
    /// In two parts, but whole for `dev` (a fast edit loop: no wasm-opt;
    /// and an unoptimised build runs functions the list does not name).
    fn for_profile(profile: &str) -> WorkerSplit {
        match profile {
            "dev" => WorkerSplit::Whole,
            _ => WorkerSplit::Split,
        }
    }
}

/// The functions a visit runs before its first answers, by name
/// (`tests/e2e/profile-split.mjs` writes it).
pub const FIRST_ANSWER: &str = "crates/worker/first-answer.txt";
/// An instrumented build's names of the worker's functions, by the number
/// each marks (in the output folder).
pub const SPLIT_KEYS: &str = "split-keys.txt";
/// A wasm module with nothing in it: the second part of a worker not split.
const EMPTY_WASM: &[u8] = b"\0asm\x01\0\0\0";

/// Builds everything into `out` (replaced) and returns it: the worker in
/// two parts unless `profile` is `dev`.
pub fn build(out: &Path, profile: &str) -> Result<PathBuf> {
    build_with(out, profile, WorkerSplit::for_profile(profile))
}

/// The worker's second part, after the first (`bg`, rewritten in place):
/// see [`WorkerSplit`]. Also the instrumented build's function names.
fn worker_parts(
    bg: &Path,
    root: &Path,
    split: WorkerSplit,
) -> Result<(Vec<u8>, Option<Vec<String>>)> {
    match split {
        WorkerSplit::Whole => Ok((EMPTY_WASM.to_vec(), None)),
        WorkerSplit::Instrument => {
            let (wasm, keys) = crate::split_wasm::instrument(&std::fs::read(bg)?)?;
            // Not optimised: wasm-opt would take minutes on a build that
            // only marks what runs.
            std::fs::write(bg, wasm)?;
            Ok((EMPTY_WASM.to_vec(), Some(keys)))
        }
        WorkerSplit::Split => {
            let list = root.join(FIRST_ANSWER);
            let keep = crate::split_wasm::read_list(
                &std::fs::read_to_string(&list)
                    .with_context(|| format!("reading {}", list.display()))?,
            );
            let parts = crate::split_wasm::split(&std::fs::read(bg)?, &keep)?;
            std::fs::write(bg, &parts.primary)?;
            let rest = bg.with_file_name("hc_worker_rest_bg.wasm");
            std::fs::write(&rest, &parts.secondary)?;
            for wasm in [bg, rest.as_path()] {
                wasm_opt_cached_with(wasm, extra_opt_flags("hc-worker"))?;
            }
            eprintln!(
                "worker split: {} of {} functions in the second part ({FIRST_ANSWER} names {} kept)",
                parts.moved,
                parts.functions,
                keep.len()
            );
            Ok((std::fs::read(&rest)?, None))
        }
    }
}

/// Builds everything into `out` (replaced), the worker as `split` says,
/// and returns it.
pub fn build_with(out: &Path, profile: &str, split: WorkerSplit) -> Result<PathBuf> {
    let root = workspace_root();
    let staging = target_dir().join("web-staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    let snowball = crate::snowball_web::build(&staging, profile)?;
    let mut names = BTreeMap::new();
    let mut split_keys = None;
    for (package, stem) in [
        ("hc-widget", "hc_widget"),
        ("hc-worker", "hc_worker"),
        ("hc-builder", "hc_builder"),
    ] {
        let wasm = cargo_wasm(package, profile)?;
        if package == "hc-worker" {
            let bytes = std::fs::read(&wasm)?;
            links_no_deflater(&bytes)?;
            crate::snowball_web::links_no_stemmer(&bytes)?;
        }
        let (js, bg) = bindgen_with(&wasm, &staging, stem, profile != "dev")?;
        if package == "hc-worker" {
            let (rest, keys) = worker_parts(&bg, &root, split)?;
            names.insert(
                "hc_worker_rest_wasm".to_string(),
                (hashed_name("hc_worker_rest", "wasm", &rest), rest),
            );
            split_keys = keys;
        } else if profile != "dev" {
            wasm_opt_cached_with(&bg, extra_opt_flags(package))?;
        }
        let wasm_bytes = std::fs::read(&bg)?;
        let mut js_bytes = std::fs::read(&js)?;
        match package {
            "hc-worker" => js_bytes = worker_module(js_bytes, &root)?,
            "hc-builder" => js_bytes = builder_module(js_bytes, &root)?,
            _ => {}
        }
        if profile != "dev" {
            js_bytes = minify_js(&js_bytes, &format!("{stem}.js"))?;
        }
        names.insert(
            format!("{stem}_wasm"),
            (hashed_name(stem, "wasm", &wasm_bytes), wasm_bytes),
        );
        names.insert(
            format!("{stem}_js"),
            (hashed_name(stem, "js", &js_bytes), js_bytes),
        );
    }
    let snowball_urls = crate::snowball_web::urls_js(&snowball);
    for (subtag, module) in snowball {
        names.insert(format!("hc_snowball_{subtag}_wasm"), module);
    }
    let loader = std::fs::read_to_string(root.join("www/hc-search.js"))?;
    let loader = with_launcher(
        &with_contract(&loader, "www/hc-search.js")?,
        "www/hc-search.js",
    )?
    .replace("__HC_WIDGET_JS__", &names["hc_widget_js"].0)
    .replace("__HC_WIDGET_WASM__", &names["hc_widget_wasm"].0)
    .replace("__HC_WORKER_JS__", &names["hc_worker_js"].0)
    .replace("__HC_WORKER_WASM__", &names["hc_worker_wasm"].0)
    .replace("__HC_WORKER_REST_WASM__", &names["hc_worker_rest_wasm"].0)
    .replace("__HC_BUILDER_JS__", &names["hc_builder_js"].0)
    .replace("__HC_BUILDER_WASM__", &names["hc_builder_wasm"].0);
    if loader.matches("__HC_SNOWBALL__").count() != 1 {
        bail!(
            "www/hc-search.js must hold `__HC_SNOWBALL__` once (the languages' Snowball modules)"
        );
    }
    let loader = loader.replace("__HC_SNOWBALL__", &snowball_urls);
    let loader = if profile != "dev" {
        minify_js(loader.as_bytes(), "hc-search.js")?
    } else {
        loader.into_bytes()
    };
    names.insert("loader".into(), ("hc-search.js".into(), loader));

    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out)?;
    let mut manifest = String::from("{\n");
    let count = names.len();
    for (i, (key, (name, bytes))) in names.iter().enumerate() {
        std::fs::write(out.join(name), bytes)?;
        manifest.push_str(&format!(
            "  \"{key}\": {{\"file\": \"{name}\", \"bytes\": {}, \"gzip\": {}, \"brotli\": {}}}{}\n",
            bytes.len(),
            gzip_len(bytes),
            brotli_len(bytes),
            if i + 1 < count { "," } else { "" }
        ));
    }
    manifest.push_str("}\n");
    std::fs::write(out.join("manifest.json"), &manifest)?;
    if let Some(keys) = split_keys {
        std::fs::write(out.join(SPLIT_KEYS), keys.join("\n") + "\n")?;
    }
    print!("{manifest}");
    Ok(out.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_glue_imports_are_renamed_and_short_names_are_distinct() {
        assert!(is_hashed_glue_name(
            "__wbg_addEventListener_90e553fdce254421"
        ));
        assert!(is_hashed_glue_name("__wbg_new_8a6f238a6ece86ea"));
        for kept in [
            "__wbindgen_throw",
            "__wbindgen_cast_0000000000000001",
            "__wbg__90e553fdce254421",
            "__wbg_new_90e553fdce25442",
            "__wbg_new_90e553fdce25442z",
            "handle_message",
        ] {
            assert!(!is_hashed_glue_name(kept), "{kept}");
        }
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(names[0], "_a");
        assert_eq!(names[52], "_ba");
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(names.iter().all(|n| !n.starts_with("__wbg")));
    }

    /// The JS side of the worker contract comes from `hc_core::loader`: a
    /// JS file that spells a message name or key prefix of its own, opens
    /// the cache by a name of its own or tags `Init` itself (and so could
    /// drift from the wasm) fails here.
    #[test]
    fn a_worker_that_links_a_deflater_or_has_no_names_is_refused() {
        let inflater = b"_ZN11miniz_oxide7inflate4core10decompress17hE".as_slice();
        let deflater = b"_ZN11miniz_oxide7deflate4core8compress17hE".as_slice();
        assert!(links_no_deflater(&[b"\0asm", inflater].concat()).is_ok());
        assert!(links_no_deflater(&[b"\0asm", inflater, deflater].concat()).is_err());
        assert!(links_no_deflater(b"\0asm stripped").is_err());
    }

    #[test]
    fn the_js_files_take_the_worker_contract_from_rust() {
        use hc_core::loader::{
            INIT_TAG, INTENT_TAG, LOOKUP_PREFIX, MODULE_MESSAGE, RESULTS_TAG, WARM_MESSAGE,
        };
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for name in ["www/hc-search.js", "www/hc-worker-main.js"] {
            let js = std::fs::read_to_string(root.join(name)).unwrap();
            let filled = with_contract(&js, name).unwrap();
            assert!(filled.contains(&hc_core::loader::contract_js()), "{name}");
            // (Comments may name them in backticks; code may not, as a
            // string or the start of a template.)
            let mut spelt = Vec::new();
            for value in [MODULE_MESSAGE, WARM_MESSAGE, RESULTS_TAG] {
                spelt.extend([format!("\"{value}\""), format!("'{value}'")]);
            }
            spelt.extend([
                format!("\"{LOOKUP_PREFIX}"),
                format!("'{LOOKUP_PREFIX}"),
                format!("`{LOOKUP_PREFIX}$"),
            ]);
            for quoted in spelt {
                assert!(!js.contains(&quoted), "{name} spells {quoted} itself");
            }
            for tag in [INIT_TAG, INTENT_TAG] {
                assert!(
                    !js.contains(&format!("type: \"{tag}\"")),
                    "{name} tags {tag} itself"
                );
            }
            // One typed channel on the worker's global scope, named by the
            // contract, instead of loose `self.__hc…` properties.
            assert!(
                !js.contains("self.__hc"),
                "{name} hands over on its own global"
            );
            assert!(
                js.contains("CONTRACT.channel"),
                "{name} does not use the channel"
            );
            for call in ["indexedDB.open(", ".transaction(", ".objectStore("] {
                for (at, _) in js.match_indices(call) {
                    let argument = &js[at + call.len()..];
                    assert!(
                        argument.starts_with("CONTRACT."),
                        "{name}: {call}{} names the cache itself",
                        &argument[..argument.len().min(20)]
                    );
                }
            }
        }
        assert!(with_contract("no placeholder", "x").is_err());
    }

    /// The loader's launcher texts come from the widget's string tables:
    /// filled in, it holds every language's, and the file itself spells
    /// none of them (it once said "Search help" on a German page).
    #[test]
    fn the_loader_takes_the_launchers_strings_from_the_widget() {
        use hc_widget::strings::{builtin, LAUNCHER_TEXTS, UI_LANGUAGES};
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let js = std::fs::read_to_string(root.join("www/hc-search.js")).unwrap();
        let filled = with_launcher(&js, "www/hc-search.js").unwrap();
        let table: serde_json::Value = serde_json::from_str(&launcher_js()).unwrap();
        for lang in UI_LANGUAGES {
            for text in LAUNCHER_TEXTS {
                let s = builtin(lang, text);
                assert_eq!(table["tables"][lang][text.key()], s);
                assert!(!js.contains(s), "www/hc-search.js spells {s:?} itself");
            }
        }
        assert!(filled.contains(&launcher_js()));
        assert_eq!(table["aliases"]["zh-hant"], "zh-tw");
        assert!(with_launcher("none here", "x").is_err());
    }
}
