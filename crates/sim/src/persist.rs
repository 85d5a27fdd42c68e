//! `--state FILE`: writes survive a restart. The file holds only what was
//! written since the seed data (changed and created articles and
//! categories), so it stays small; it is replaced atomically (temporary file
//! in the same folder, fsync, rename), so a crash leaves the old or the new
//! file, never a partial one.

use std::io::Write;
use std::path::Path;

use hc_core::wire::{Article, Category};
use serde::{Deserialize, Serialize};

use crate::store::Store;

const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct StateFile {
    version: u32,
    next_article_id: i64,
    articles: Vec<Article>,
    categories: Vec<Category>,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot read state file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("state file {path} is not valid ({source}); move it away to start from the seed data")]
    Corrupt {
        path: String,
        source: serde_json::Error,
    },
    #[error("state file {path} has format version {found}, this simulator reads {FORMAT_VERSION}")]
    Version { path: String, found: u32 },
    #[error("cannot write state file {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Applies a state file (if it exists) on top of the seed data.
pub fn load(path: &Path, store: &mut Store) -> Result<(), StateError> {
    let display = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(StateError::Read {
                path: display,
                source,
            })
        }
    };
    let state: StateFile =
        serde_json::from_slice(&bytes).map_err(|source| StateError::Corrupt {
            path: display.clone(),
            source,
        })?;
    if state.version != FORMAT_VERSION {
        return Err(StateError::Version {
            path: display,
            found: state.version,
        });
    }
    for a in state.articles {
        store.dirty_articles.insert(a.id);
        store.articles.insert(a.id, a);
    }
    for c in state.categories {
        store.dirty_categories.insert(c.id);
        store.categories.insert(c.id, c);
    }
    store.next_article_id = store.next_article_id.max(state.next_article_id);
    Ok(())
}

/// Writes every item changed since the seed data, atomically.
pub fn save(path: &Path, store: &Store) -> Result<(), StateError> {
    let write_err = |source| StateError::Write {
        path: path.display().to_string(),
        source,
    };
    let state = StateFile {
        version: FORMAT_VERSION,
        next_article_id: store.next_article_id,
        articles: store
            .dirty_articles
            .iter()
            .filter_map(|id| store.articles.get(id).cloned())
            .collect(),
        categories: store
            .dirty_categories
            .iter()
            .filter_map(|id| store.categories.get(id).cloned())
            .collect(),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(write_err)?;
    serde_json::to_writer(&mut tmp, &state).map_err(|e| write_err(e.into()))?;
    tmp.flush().map_err(write_err)?;
    tmp.as_file().sync_all().map_err(write_err)?;
    tmp.persist(path).map_err(|e| write_err(e.error))?;
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
