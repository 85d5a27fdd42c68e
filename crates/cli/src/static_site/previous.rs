//! The files of the build being replaced, kept for one more build
//! (`hc_publish::generations` decides which; this is the file I/O).

use std::path::Path;

use anyhow::{Context, Result};
use hc_publish::generations::{files_list, files_to_keep, FILES_LIST};

/// Writes the list of the files now in `dir` (the new build, before
/// anything is kept), and returns their names.
pub(super) fn list_own(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    let list = files_list(names.iter().map(String::as_str));
    std::fs::write(dir.join(FILES_LIST), list).with_context(|| format!("writing {FILES_LIST}"))?;
    Ok(names)
}

/// Copies the files `old`'s list names into `new` (whose own files are
/// `written`) where `new` has no file of that name. Returns how many.
/// Nothing here fails the build: what cannot be read or copied is not
/// kept.
pub(super) fn keep(old: &Path, new: &Path, written: &[String]) -> usize {
    let Ok(list) = std::fs::read_to_string(old.join(FILES_LIST)) else {
        return 0;
    };
    files_to_keep(&list, written)
        .iter()
        .filter(|name| std::fs::copy(old.join(name), new.join(name)).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_files_missing_from_the_new_build_are_copied() {
        let (old, new) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for name in ["a.1.wasm", "packs.json", "stale.bin"] {
            std::fs::write(old.path().join(name), name).unwrap();
        }
        std::fs::write(old.path().join(FILES_LIST), "a.1.wasm\npacks.json\ngone\n").unwrap();
        std::fs::write(new.path().join("packs.json"), "new").unwrap();
        let written = ["packs.json".to_string()];
        assert_eq!(
            keep(old.path(), new.path(), &written),
            1,
            "\"gone\" cannot be copied"
        );
        assert_eq!(
            std::fs::read(new.path().join("a.1.wasm")).unwrap(),
            b"a.1.wasm"
        );
        assert_eq!(
            std::fs::read(new.path().join("packs.json")).unwrap(),
            b"new"
        );
        assert!(!new.path().join("stale.bin").exists(), "not listed");
        assert_eq!(keep(new.path(), old.path(), &[]), 0, "no list");
    }
}
