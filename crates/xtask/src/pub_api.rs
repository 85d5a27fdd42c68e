//! `cargo xtask pub-api`: lists the public items of each library crate
//! that nothing outside the crate names, and a test that keeps the list
//! empty. An item that only its own crate uses should be `pub(crate)` (or
//! private): a smaller public API is one the next engineer can change
//! without reading every other crate.
//!
//! The check is lexical on purpose (no compiler internals, fast enough for
//! the test command): it collects the crate's public API, the `pub fn|
//! struct|enum|trait|type|const|static` items (methods too) declared in
//! modules reachable from `lib.rs` through `pub mod` only, plus every name
//! a `pub use` re-exports, and the identifiers of every Rust file
//! outside that `src/` (other crates, this crate's `tests/`, `examples/`,
//! `benches/`, the fuzz targets) and of the JS that calls into the wasm.
//! A name used anywhere outside counts as used, so it can miss an unused
//! item that shares a name with a used one, never the other way round.
//! Crates built as a `cdylib` (the wasm of the widget, the worker and the
//! engine benchmark) are not checked: no crate depends on them, their API is
//! what `#[wasm_bindgen]` exports to JavaScript, and their Rust `pub` items
//! are how the native tests and the wasm-only glue reach the browser-free
//! logic (made `pub(crate)`, an item only the wasm glue uses would be dead
//! code in the native build). Deliberate exceptions are listed, each with a
//! reason, in `pub-api-allow.txt` next to this crate's manifest.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// One public item nothing outside its crate names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unused {
    pub krate: String,
    pub name: String,
    pub file: PathBuf,
    pub line: usize,
}

pub fn run(_args: &[String]) -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let unused = find_unused(&root)?;
    for u in &unused {
        println!(
            "{}: {} ({}:{})",
            u.krate,
            u.name,
            u.file.strip_prefix(&root).unwrap_or(&u.file).display(),
            u.line
        );
    }
    println!("{} public items used only inside their crate", unused.len());
    if unused.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("make them pub(crate), remove them, or list them in crates/xtask/pub-api-allow.txt with a reason")
    }
}

/// Every unused public item of every library crate, minus the allow list.
pub fn find_unused(root: &Path) -> anyhow::Result<Vec<Unused>> {
    let allowed = allow_list(root)?;
    let crates_dir = root.join("crates");
    let mut all_rs: Vec<PathBuf> = Vec::new();
    collect(&crates_dir, "rs", &mut all_rs)?;
    collect(&root.join("fuzz"), "rs", &mut all_rs)?;
    let mut js: Vec<PathBuf> = Vec::new();
    for dir in ["www", "npm", "tests", "bench"] {
        collect(&root.join(dir), "js", &mut js)?;
        collect(&root.join(dir), "mjs", &mut js)?;
    }
    let mut out = BTreeSet::new();
    let mut libs: Vec<PathBuf> = std::fs::read_dir(&crates_dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("src/lib.rs").exists())
        .filter(|p| {
            !std::fs::read_to_string(p.join("Cargo.toml")).is_ok_and(|m| m.contains("\"cdylib\""))
        })
        .collect();
    libs.sort();
    for krate in libs {
        let src = krate.join("src");
        let name = crate_name(&krate)?;
        let mut outside = HashSet::new();
        for f in all_rs.iter().filter(|f| !in_library(&src, f)) {
            identifiers(&read(f)?, &mut outside);
        }
        for f in &js {
            identifiers(&read(f)?, &mut outside);
        }
        let (public_files, reexported) = public_modules(&src)?;
        // A type in the signature of a `pub` item must stay public even
        // when nothing outside spells its name.
        let own = own_files(&src)?;
        let mut exposed = HashSet::new();
        for file in &own {
            signature_identifiers(&read(file)?, &mut exposed);
        }
        for file in &own {
            let text = read(file)?;
            let public_file = public_files.contains(file);
            for (line, item) in public_items(&text) {
                let api = public_file || reexported.contains(&item);
                if api
                    && !outside.contains(item.as_str())
                    && !exposed.contains(item.as_str())
                    && !allowed.contains(&format!("{name}::{item}"))
                {
                    out.insert(Unused {
                        krate: name.clone(),
                        name: item,
                        file: file.clone(),
                        line,
                    });
                }
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// Whether `file` is part of the library target of the crate whose
/// sources are `src` (a binary's `main.rs` and `src/bin/` are users of it).
fn in_library(src: &Path, file: &Path) -> bool {
    file.starts_with(src) && file != src.join("main.rs") && !file.starts_with(src.join("bin"))
}

fn own_files(src: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut own = Vec::new();
    collect(src, "rs", &mut own)?;
    own.retain(|f| in_library(src, f));
    Ok(own)
}

/// The files of the modules reachable from `lib.rs` through `pub mod`
/// declarations only, and the names any module's `pub use` re-exports.
fn public_modules(src: &Path) -> anyhow::Result<(HashSet<PathBuf>, HashSet<String>)> {
    let mut files = HashSet::new();
    let mut reexported = HashSet::new();
    let mut queue = vec![src.join("lib.rs")];
    while let Some(file) = queue.pop() {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        // A module's children live in `dir/child.rs` or `dir/child/mod.rs`,
        // where `dir` is the module's own folder.
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let parent = file.parent().unwrap_or(src);
        let dir = if matches!(stem, "lib" | "mod" | "main") {
            parent.to_path_buf()
        } else {
            parent.join(stem)
        };
        for line in text.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("pub use ") {
                let mut names = HashSet::new();
                identifiers(rest, &mut names);
                reexported.extend(names);
            }
            let Some(child) = line
                .strip_prefix("pub mod ")
                .and_then(|r| r.strip_suffix(';'))
            else {
                continue;
            };
            for candidate in [
                dir.join(format!("{child}.rs")),
                dir.join(child).join("mod.rs"),
            ] {
                if candidate.exists() {
                    queue.push(candidate);
                }
            }
        }
        files.insert(file);
    }
    Ok((files, reexported))
}

/// `crate::item` lines of the allow list (text after `#` is the reason).
fn allow_list(root: &Path) -> anyhow::Result<HashSet<String>> {
    let path = root.join("crates/xtask/pub-api-allow.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

fn crate_name(dir: &Path) -> anyhow::Result<String> {
    let manifest = read(&dir.join("Cargo.toml"))?;
    manifest
        .lines()
        .find_map(|l| {
            let v = l.trim().strip_prefix("name")?.trim().strip_prefix('=')?;
            Some(v.trim().trim_matches('"').to_string())
        })
        .ok_or_else(|| anyhow::anyhow!("{}: no package name", dir.display()))
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Files under `dir` ending in `.ext`, skipping build output and packages.
fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(name, "target" | "node_modules" | "dist" | "pkg" | "results") {
                collect(&path, ext, out)?;
            }
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    Ok(())
}

/// Adds every identifier-like word of `text` to `into`.
fn identifiers(text: &str, into: &mut HashSet<String>) {
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if !word.is_empty() && !into.contains(word) {
            into.insert(word.to_string());
        }
    }
}

/// The identifiers in the declarations of `pub` items (a function's
/// parameters and return type, a `pub` field's type) of one file, without
/// the item's own name.
fn signature_identifiers(text: &str, into: &mut HashSet<String>) {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if !line.starts_with("pub ") || line.starts_with("pub mod ") || line.starts_with("pub use ")
        {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let kind = words.iter().position(|w| {
            matches!(
                *w,
                "fn" | "struct" | "enum" | "trait" | "type" | "const" | "static"
            )
        });
        let mut declaration = line.to_string();
        match kind.map(|k| words[k]) {
            // A function: its parameters and return type, up to the body.
            Some("fn") => {
                while !declaration.contains('{') && !declaration.ends_with(';') && i < lines.len() {
                    declaration.push(' ');
                    declaration.push_str(lines[i]);
                    i += 1;
                }
                declaration = declaration.split('{').next().unwrap_or("").to_string();
            }
            // A struct or enum: every field of every variant, to the
            // matching closing brace.
            Some("struct" | "enum") if line.ends_with('{') => {
                let mut depth = 1i32;
                while depth > 0 && i < lines.len() {
                    depth += lines[i].matches('{').count() as i32;
                    depth -= lines[i].matches('}').count() as i32;
                    declaration.push(' ');
                    declaration.push_str(lines[i]);
                    i += 1;
                }
            }
            // A field (`pub name: Type,`), a type alias, a const: the line.
            _ => {}
        }
        let own = kind.and_then(|k| words.get(k + 1)).map(|w| {
            w.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("")
                .to_string()
        });
        let mut names = HashSet::new();
        identifiers(&declaration, &mut names);
        if let Some(own) = own {
            names.remove(&own);
        }
        into.extend(names);
    }
}

/// `pub` items declared in one file, with their line numbers; items under
/// a `#[wasm_bindgen]` attribute and inside `#[cfg(test)]` modules are
/// skipped.
fn public_items(text: &str) -> Vec<(usize, String)> {
    const KINDS: [&str; 7] = ["fn", "struct", "enum", "trait", "type", "const", "static"];
    let mut out = Vec::new();
    let mut attributes: Vec<&str> = Vec::new();
    let mut test_module_depth: Option<usize> = None;
    let mut depth = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let opens = line.matches('{').count();
        let closes = line.matches('}').count();
        if let Some(d) = test_module_depth {
            depth = (depth + opens).saturating_sub(closes);
            if depth <= d {
                test_module_depth = None;
            }
            continue;
        }
        if line.starts_with("#[") {
            attributes.push(line);
            depth = (depth + opens).saturating_sub(closes);
            continue;
        }
        let in_test = attributes.iter().any(|a| a.contains("cfg(test)"));
        let exported = attributes.iter().any(|a| a.contains("wasm_bindgen"));
        if in_test && line.starts_with("mod ") && opens > closes {
            test_module_depth = Some(depth);
            depth += opens - closes;
            attributes.clear();
            continue;
        }
        if !line.starts_with("//") && !line.is_empty() {
            attributes.clear();
        }
        depth = (depth + opens).saturating_sub(closes);
        let Some(rest) = line.strip_prefix("pub ") else {
            continue;
        };
        if exported || in_test {
            continue;
        }
        let rest = rest
            .trim_start_matches("async ")
            .trim_start_matches("unsafe ")
            .trim_start_matches("const fn ")
            .trim_start();
        let rest = if line.contains("const fn ") {
            format!("fn {rest}")
        } else {
            rest.to_string()
        };
        let Some(kind) = KINDS.iter().find(|k| rest.starts_with(&format!("{k} "))) else {
            continue;
        };
        let name: String = rest[kind.len() + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.push((i + 1, name));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pub_items_but_not_exported_or_test_ones() {
        let src = "pub fn used() {}\n\
                   pub(crate) fn internal() {}\n\
                   pub const fn konst() -> u8 { 1 }\n\
                   #[wasm_bindgen]\npub fn for_js() {}\n\
                   impl X {\n    pub async fn method(&self) {}\n}\n\
                   #[cfg(test)]\nmod tests {\n    pub fn helper() {}\n}\n\
                   pub struct After;\n";
        let names: Vec<String> = public_items(src).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["used", "konst", "method", "After"]);
    }

    /// The workspace's public items are all used outside their crate (or
    /// listed, with a reason, in `pub-api-allow.txt`).
    #[test]
    fn no_public_item_is_used_only_inside_its_crate() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let unused = find_unused(&root).unwrap();
        let list: Vec<String> = unused
            .iter()
            .map(|u| format!("{}::{} ({}:{})", u.krate, u.name, u.file.display(), u.line))
            .collect();
        assert!(
            unused.is_empty(),
            "{} public items nothing outside their crate uses (make them pub(crate), remove them, or allow-list them with a reason in crates/xtask/pub-api-allow.txt):\n{}",
            unused.len(),
            list.join("\n")
        );
    }
}
