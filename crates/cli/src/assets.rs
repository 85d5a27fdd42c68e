//! Where the built browser files are: `hc-search.js` and the content-hashed
//! widget and worker files that `cargo xtask build-web` writes. Commands
//! that serve or ship the widget (`hcs demo`, `hcs build-static`) copy or
//! serve them as they are; none of them builds wasm itself.
//!
//! They come from a folder (`--assets`, `HC_ASSETS`, else the checkout's
//! `dist/`) or, in an `hcs` built with the `embed-web` feature (the
//! release binaries), from the binary itself, so that `hcs` works from any
//! directory with nothing beside it. A folder named on the command line
//! wins over the embedded files.

use std::borrow::Cow;
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
    #[error("cannot read the browser files in {path}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Where the browser files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assets {
    /// A folder holding them (flat, as build-web writes it).
    Dir(PathBuf),
    /// The files `dist/` held when this binary was built.
    #[cfg(feature = "embed-web")]
    Embedded,
}

/// The browser files compiled into the binary (`embed-web`). rust-embed's
/// `debug-embed` makes a debug build embed them too, so what the tests
/// check is what a release binary holds.
#[cfg(feature = "embed-web")]
#[derive(rust_embed::RustEmbed)]
#[folder = "../../dist/"]
struct Embedded;

/// Where the files are when neither `--assets` nor `HC_ASSETS` says and
/// none are embedded: the workspace's `dist/`, where `cargo xtask
/// build-web` writes them.
#[cfg(not(feature = "embed-web"))]
pub(crate) fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist")
}

impl Assets {
    /// `--assets` (clap fills it from `HC_ASSETS` too), else the embedded
    /// files, else [`default_dir`]; checked to hold the loader.
    pub fn locate(flag: Option<&Path>) -> Result<Assets, AssetsError> {
        let assets = match flag {
            Some(dir) => Assets::Dir(dir.to_path_buf()),
            None => Assets::built_in(),
        };
        assets.check()?;
        Ok(assets)
    }

    /// The embedded files if this binary has them, else [`default_dir`].
    pub(crate) fn built_in() -> Assets {
        #[cfg(feature = "embed-web")]
        {
            Assets::Embedded
        }
        #[cfg(not(feature = "embed-web"))]
        {
            Assets::Dir(default_dir())
        }
    }

    /// Refuses a source without the loader.
    pub fn check(&self) -> Result<(), AssetsError> {
        match self {
            Assets::Dir(dir) if !dir.join(LOADER).is_file() => {
                Err(AssetsError::Missing(dir.clone()))
            }
            _ => Ok(()),
        }
    }

    /// What the files are, for messages: the folder, or "built in".
    pub(crate) fn describe(&self) -> String {
        match self {
            Assets::Dir(dir) => dir.display().to_string(),
            #[cfg(feature = "embed-web")]
            Assets::Embedded => "the browser files built into hcs".to_string(),
        }
    }

    /// One file's bytes, by name; `None` for a name that is not one of
    /// them (nothing outside the folder: no separator, no `..`).
    pub fn get(&self, name: &str) -> Option<Cow<'static, [u8]>> {
        if name.is_empty() || name.contains(['/', '\\']) || name == ".." || name == "." {
            return None;
        }
        match self {
            Assets::Dir(dir) => std::fs::read(dir.join(name)).ok().map(Cow::Owned),
            #[cfg(feature = "embed-web")]
            Assets::Embedded => Embedded::get(name).map(|f| f.data),
        }
    }

    /// The files' names, sorted.
    pub fn names(&self) -> Result<Vec<String>, AssetsError> {
        let mut names = match self {
            Assets::Dir(dir) => {
                let read = |source| AssetsError::Read {
                    path: dir.clone(),
                    source,
                };
                let mut names = Vec::new();
                for entry in std::fs::read_dir(dir).map_err(read)? {
                    let entry = entry.map_err(read)?;
                    // Not recursive: the build writes one flat folder.
                    if entry.file_type().map_err(read)?.is_file() {
                        names.push(entry.file_name().to_string_lossy().into_owned());
                    }
                }
                names
            }
            #[cfg(feature = "embed-web")]
            Assets::Embedded => Embedded::iter().map(Cow::into_owned).collect(),
        };
        names.sort();
        Ok(names)
    }

    /// Writes every file into `to`; returns how many.
    pub(crate) fn write_into(&self, to: &Path) -> Result<usize, AssetsError> {
        let names = self.names()?;
        for name in &names {
            let bytes = self.get(name).ok_or_else(|| AssetsError::Read {
                path: PathBuf::from(self.describe()).join(name),
                source: std::io::ErrorKind::NotFound.into(),
            })?;
            let path = to.join(name);
            std::fs::write(&path, bytes).map_err(|source| AssetsError::Write { path, source })?;
        }
        Ok(names.len())
    }
}
