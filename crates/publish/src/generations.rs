//! The files of a static build that the next build keeps for one more
//! build. A page loaded before a redeploy still runs the old build: its
//! loader fetches the old content-hashed widget and worker files when the
//! visitor first reaches for search, and its worker fetches the old
//! pack's pieces of article text as hits need them, maybe long after the
//! swap. Without them the widget would not open, or hits would have no
//! snippet and the reader no text. (hc-proxy keeps one generation of
//! packs the same way.)
//!
//! Each build lists its own files in [`FILES_LIST`]; the next build copies
//! those it does not write itself and lists only its own, so generations
//! do not pile up. Both builders (`hcs build-static` and `npx hc-search
//! build-static`, through the site builder's wasm) decide here and only
//! do the file I/O themselves.

/// The build's own files, one name per line, beside them.
pub const FILES_LIST: &str = ".hcs-files";

/// The text of [`FILES_LIST`] for a build of these files (sorted, one per
/// line; the list itself left out).
pub fn files_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.into_iter().filter(|n| *n != FILES_LIST).collect();
    names.sort_unstable();
    names.dedup();
    names.iter().map(|n| format!("{n}\n")).collect()
}

/// Of the files an earlier build listed (`old_list`, its [`FILES_LIST`]),
/// those to copy into the new build: names of a file in the folder itself
/// (the list is ours, but the old folder is read as found) that the new
/// build does not write.
pub fn files_to_keep<S: AsRef<str>>(old_list: &str, written: &[S]) -> Vec<String> {
    // A set: a build of 10k articles in 11 languages writes ~30k pieces.
    let written: std::collections::HashSet<&str> = written.iter().map(AsRef::as_ref).collect();
    old_list
        .lines()
        .filter(|n| is_plain_name(n) && *n != FILES_LIST && !written.contains(n))
        .map(str::to_string)
        .collect()
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\', '\0']) && name != "." && name != ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_names_each_own_file_once_in_order() {
        assert_eq!(
            files_list(["b.wasm", FILES_LIST, "a.js", "b.wasm"]),
            "a.js\nb.wasm\n"
        );
        assert_eq!(files_list([]), "");
    }

    #[test]
    fn only_plain_listed_names_the_new_build_lacks_are_kept() {
        let old = "a.1.wasm\npacks.json\n../x\n/etc/passwd\n.\n\n.hcs-files\nen.2.hcpack\n";
        assert_eq!(
            files_to_keep(old, &["packs.json"]),
            ["a.1.wasm", "en.2.hcpack"]
        );
    }
}
