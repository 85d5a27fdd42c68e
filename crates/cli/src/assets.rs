//! Where the built browser files are: `hc-search.js` and the content-hashed
//! widget and worker files that `cargo xtask build-web` writes. Commands
//! that serve or ship the widget (`hcs demo`, `hcs build-static`) copy or
//! serve them as they are; none of them builds wasm itself.

use std::path::{Path, PathBuf};

/// The loader, the one stable name among the browser files.
pub const LOADER: &str = "hc-search.js";

#[derive(Debug, thiserror::Error)]
pub enum AssetsError {
    #[error(
        "no browser files in {0} (missing {LOADER}); build them with `cargo xtask build-web`, \
         or point --assets (or HC_ASSETS) at a folder that has them"
    )]
    Missing(PathBuf),
}

/// Where the files are when neither `--assets` nor `HC_ASSETS` says: the
/// workspace's `dist/`, where `cargo xtask build-web` writes them.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist")
}

/// `--assets` (clap fills it from `HC_ASSETS` too), else [`default_dir`],
/// checked to hold the loader.
pub fn locate(flag: Option<&Path>) -> Result<PathBuf, AssetsError> {
    let dir = flag.map_or_else(default_dir, Path::to_path_buf);
    if dir.join(LOADER).is_file() {
        Ok(dir)
    } else {
        Err(AssetsError::Missing(dir))
    }
}

/// Copies every file of `from` (not recursive: the build writes one flat
/// folder) into `to`; returns how many.
pub fn copy_flat(from: &Path, to: &Path) -> std::io::Result<usize> {
    let mut n = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
            n += 1;
        }
    }
    Ok(n)
}
