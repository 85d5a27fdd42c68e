//! The files of the build being replaced, kept for one more build. A page
//! loaded before a redeploy still runs the old build: its loader fetches
//! the old content-hashed widget and worker files when the visitor first
//! reaches for search, and its worker fetches the old pack's pieces of
//! article text as hits need them, maybe long after the swap. Without
//! them the widget would not open, or hits would have no snippet and the
//! reader no text. hc-proxy keeps one generation of packs the same way.
//!
//! Each build lists its own files in [`LIST`]; the next build copies those
//! it does not write itself (same name, same content: the names that stay
//! are rewritten, the hashed ones differ) and lists only its own, so
//! generations do not pile up. An output without the list (none yet, or
//! written by an older `hcs`) has nothing kept.

use std::path::Path;

use anyhow::{Context, Result};

/// The build's own files, one name per line, beside them.
pub const LIST: &str = ".hcs-files";

/// Writes the list of the files now in `dir` (the new build, before
/// anything is kept), sorted.
pub(super) fn list_own(dir: &Path) -> Result<()> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    let mut text = names.join("\n");
    text.push('\n');
    std::fs::write(dir.join(LIST), text).with_context(|| format!("writing {LIST}"))
}

/// Copies the files `old`'s list names into `new` where `new` has no file
/// of that name. Returns how many. Nothing here fails the build: what
/// cannot be read or copied is not kept.
pub(super) fn keep(old: &Path, new: &Path) -> usize {
    let Ok(list) = std::fs::read_to_string(old.join(LIST)) else {
        return 0;
    };
    list.lines()
        .filter(|name| is_plain_name(name) && *name != LIST)
        .filter(|name| {
            let to = new.join(name);
            !to.exists() && std::fs::copy(old.join(name), to).is_ok()
        })
        .count()
}

/// A name in the folder itself: the list is ours, but the old folder is
/// read as found.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_plain_names_missing_from_the_new_build_are_kept() {
        let (old, new) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for name in ["a.1.wasm", "packs.json", "stale.bin"] {
            std::fs::write(old.path().join(name), name).unwrap();
        }
        std::fs::write(old.path().join(LIST), "a.1.wasm\npacks.json\n../x\ngone\n").unwrap();
        std::fs::write(new.path().join("packs.json"), "new").unwrap();
        assert_eq!(keep(old.path(), new.path()), 1);
        assert_eq!(
            std::fs::read(new.path().join("a.1.wasm")).unwrap(),
            b"a.1.wasm"
        );
        assert_eq!(
            std::fs::read(new.path().join("packs.json")).unwrap(),
            b"new"
        );
        assert!(!new.path().join("stale.bin").exists(), "not listed");
        assert_eq!(keep(new.path(), old.path()), 0, "no list");
    }
}
