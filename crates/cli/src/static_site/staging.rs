//! The output folder of `hcs build-static`, written next to its final
//! place and swapped in whole, so that a failed build leaves the previous
//! one serving and a build never writes into a folder that is not its own.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use hc_publish::static_site::PACKS_JSON;

/// A folder beside the destination, filled, then swapped in whole.
pub(super) struct Staging {
    dir: tempfile::TempDir,
}

impl Staging {
    pub fn next_to(out: &Path) -> Result<Self> {
        if out.exists() && !is_replaceable(out)? {
            bail!(
                "{} is not empty and is not an earlier `hcs build-static` output \
                 (no {PACKS_JSON}); refusing to replace it",
                out.display()
            );
        }
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let dir = tempfile::Builder::new()
            .prefix(".hcs-build-static-")
            .tempdir_in(&parent)
            .with_context(|| format!("creating a folder in {}", parent.display()))?;
        Ok(Staging { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Moves the old output aside, the new one in, then deletes the old.
    pub fn swap_into(self, out: &Path) -> Result<()> {
        let staged = self.dir.keep();
        let old = out.exists().then(|| staged.with_extension("old"));
        if let Some(old) = &old {
            std::fs::rename(out, old).with_context(|| format!("moving {} aside", out.display()))?;
        }
        if let Err(e) = std::fs::rename(&staged, out) {
            if let Some(old) = &old {
                let _ = std::fs::rename(old, out);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e).with_context(|| format!("moving the build into {}", out.display()));
        }
        if let Some(old) = old {
            let _ = std::fs::remove_dir_all(old);
        }
        Ok(())
    }
}

fn is_replaceable(out: &Path) -> Result<bool> {
    if !out.is_dir() {
        return Ok(false);
    }
    Ok(out.join(PACKS_JSON).is_file() || std::fs::read_dir(out)?.next().is_none())
}
