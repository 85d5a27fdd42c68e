//! The state file: what this tool has written upstream, so that a rerun
//! never creates a duplicate and an interrupted run resumes.
//!
//! It maps each source item's external id to the article id it became and
//! the hashes of the fields last written. It is replaced atomically and
//! durably (a temporary file in the same folder, flushed to disk, renamed
//! over the old one, then the folder flushed so that the rename itself
//! survives a power cut) after every successful write, and *before* every
//! create an "intent" is recorded: if the process dies after the API
//! applied a POST but before the id was stored, the next run sees the
//! intent and looks the article up upstream instead of creating it again.
//! An intent that a power cut could still take back would not close that
//! gap, hence the folder's fsync before the POST is sent.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub(crate) const STATE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateFile {
    pub version: u32,
    /// The API base URL the ids belong to.
    pub api: String,
    /// Which command owns it (`import` or `sync`).
    pub job: String,
    pub items: BTreeMap<String, ItemState>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemState {
    /// `None` while only the intent to create is recorded.
    #[serde(default)]
    pub article_id: Option<i64>,
    /// Hash of everything last written (see `SourceItem::content_hash`).
    #[serde(default)]
    pub hash: String,
    /// Per-field hashes of what was last written.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default)]
    pub published: bool,
    /// `updated_at` of the article as our last write left it: a different
    /// value upstream means someone else edited it.
    #[serde(default)]
    pub updated_at: String,
    /// The category of our last write.
    #[serde(default)]
    pub category: Option<i64>,
    /// Set just before a POST; cleared when its answer is stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<CreateIntent>,
}

impl ItemState {
    /// Where the article is (or was about to be created) upstream.
    pub(crate) fn fields_category(&self) -> Option<i64> {
        self.category.or(self.intent.as_ref().map(|i| i.category))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateIntent {
    pub hash: String,
    pub category: i64,
    /// Unix seconds when the POST was about to be sent.
    pub at: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(
        "the state file {path} is unreadable or corrupt ({detail}).\n\
         Refusing to run: without it this tool cannot tell what it already created, and starting \
         over would make duplicates.\n\
         To recover: restore the file from a backup or version control; or move it away \
         (mv {path} {path}.broken) and rerun with --adopt-existing, which links each source item \
         to the article with the same title already in the target category instead of creating \
         a new one."
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "the state file {path} belongs to `{found_job}` against {found_api}, not `{job}` against \
         {api}; use --state to keep one state file per job and target"
    )]
    Mismatch {
        path: PathBuf,
        found_job: String,
        found_api: String,
        job: String,
        api: String,
    },
    #[error(
        "another hcs run is using the state file {path} (it holds {path}.lock); wait for it to \
         finish: two runs writing one state could create duplicates"
    )]
    Busy { path: PathBuf },
    #[error("cannot write the state file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The file-system steps of a durable replacement that a test cannot see
/// from outside (an fsync leaves no trace without strace). `save` takes
/// them through this trait, so a test can record them in order while they
/// still happen for real.
pub(crate) trait Disk: std::fmt::Debug + Send + Sync {
    /// Flushes a file's data and metadata to the device.
    fn sync_file(&self, file: &std::fs::File) -> io::Result<()>;
    /// Renames `from` over `to` (atomic within one file system).
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Flushes a folder, so that the names in it (a rename) are on the device.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
}

/// The real file system.
#[derive(Debug)]
struct OsDisk;

impl Disk for OsDisk {
    fn sync_file(&self, file: &std::fs::File) -> io::Result<()> {
        file.sync_all()
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        // Opening a folder for fsync is a Unix notion; elsewhere the rename
        // is as durable as the platform makes it.
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        #[cfg(not(unix))]
        let _ = dir;
        Ok(())
    }
}

/// A state file on disk and its contents.
#[derive(Debug)]
pub struct StateStore {
    path: PathBuf,
    pub data: StateFile,
    /// When false (dry run) `save` does nothing.
    writable: bool,
    disk: Box<dyn Disk>,
    /// An exclusive lock on `STATE.lock`, held while the store lives, so
    /// two runs cannot write the same state (the OS drops it if the
    /// process dies, so a killed run never blocks the next one).
    _lock: Option<std::fs::File>,
}

impl StateStore {
    /// Loads `path`, or starts an empty state when it does not exist. A file
    /// that exists but does not parse is an error, never a fresh start.
    pub fn open(path: &Path, api: &str, job: &str, writable: bool) -> Result<Self, StateError> {
        let lock = if writable { Some(lock(path)?) } else { None };
        let data = match std::fs::read(path) {
            Ok(bytes) => {
                let data: StateFile =
                    serde_json::from_slice(&bytes).map_err(|e| StateError::Corrupt {
                        path: path.to_path_buf(),
                        detail: e.to_string(),
                    })?;
                if data.version != STATE_VERSION {
                    return Err(StateError::Corrupt {
                        path: path.to_path_buf(),
                        detail: format!(
                            "version {} (this hcs writes version {STATE_VERSION})",
                            data.version
                        ),
                    });
                }
                if data.api != api || data.job != job {
                    return Err(StateError::Mismatch {
                        path: path.to_path_buf(),
                        found_job: data.job,
                        found_api: data.api,
                        job: job.into(),
                        api: api.into(),
                    });
                }
                data
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => StateFile {
                version: STATE_VERSION,
                api: api.to_string(),
                job: job.to_string(),
                items: BTreeMap::new(),
            },
            Err(e) => {
                return Err(StateError::Corrupt {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                })
            }
        };
        Ok(StateStore {
            path: path.to_path_buf(),
            data,
            writable,
            disk: Box::new(OsDisk),
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Replaces the file atomically and durably: write a temporary file
    /// next to it, flush it to disk, rename it over the old one, flush the
    /// folder. A kill at any moment leaves either the old or the new file,
    /// never a torn one; once this returns, a power cut cannot bring the
    /// old one back (without the folder's fsync the rename may be lost
    /// with the folder's cached entries, and with it a create intent).
    pub fn save(&self) -> Result<(), StateError> {
        if !self.writable {
            return Ok(());
        }
        let err = |source| StateError::Write {
            path: self.path.clone(),
            source,
        };
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".hcs-state-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(err)?;
        let bytes = serde_json::to_vec_pretty(&self.data).expect("state serialises");
        tmp.write_all(&bytes).map_err(err)?;
        tmp.write_all(b"\n").map_err(err)?;
        self.disk.sync_file(tmp.as_file()).map_err(err)?;
        // Closed before the rename; until it is renamed, dropping it on an
        // error deletes it.
        let tmp = tmp.into_temp_path();
        self.disk.rename(&tmp, &self.path).map_err(err)?;
        // Renamed away: nothing left to delete under that name.
        let _ = tmp.keep();
        self.disk.sync_dir(&dir).map_err(err)?;
        Ok(())
    }
}

fn lock(path: &Path) -> Result<std::fs::File, StateError> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&name)
        .map_err(|source| StateError::Write {
            path: PathBuf::from(&name),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StateError::Busy {
            path: path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(StateError::Write {
            path: PathBuf::from(name),
            source,
        }),
    }
}

pub(crate) fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut s = StateStore::open(&path, "http://x/v1", "import", true).unwrap();
        s.data.items.insert(
            "a".into(),
            ItemState {
                article_id: Some(4),
                hash: "h".into(),
                fields: BTreeMap::new(),
                published: false,
                updated_at: String::new(),
                category: Some(1),
                intent: None,
            },
        );
        s.save().unwrap();
        assert!(matches!(
            StateStore::open(&path, "http://x/v1", "import", true),
            Err(StateError::Busy { .. })
        ));
        let expected = s.data.clone();
        drop(s);
        let again = StateStore::open(&path, "http://x/v1", "import", true).unwrap();
        assert_eq!(again.data, expected);
        drop(again);
        assert!(matches!(
            StateStore::open(&path, "http://y/v1", "import", true),
            Err(StateError::Mismatch { .. })
        ));
        std::fs::write(&path, "{\"version\":1,\"api\":").unwrap();
        let err = StateStore::open(&path, "http://x/v1", "import", true).unwrap_err();
        assert!(err.to_string().contains("Refusing to run"), "{err}");
        // Only the state file and its lock are left (no temporary files).
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    /// The real steps, each recorded after it happened.
    #[derive(Debug, Clone, Default)]
    struct Recording {
        steps: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
        fail_dir_sync: bool,
    }

    impl Recording {
        fn log(&self, step: String) {
            self.steps.lock().unwrap().push(step);
        }
    }

    impl Disk for Recording {
        fn sync_file(&self, file: &std::fs::File) -> io::Result<()> {
            OsDisk.sync_file(file)?;
            self.log("sync file".into());
            Ok(())
        }

        fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
            OsDisk.rename(from, to)?;
            let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
            let tmp_dir = from.parent().unwrap().canonicalize()?;
            assert_eq!(tmp_dir, to.parent().unwrap().canonicalize()?);
            assert!(name(from).starts_with(".hcs-state-"), "{from:?}");
            self.log(format!("rename to {}", name(to)));
            Ok(())
        }

        fn sync_dir(&self, dir: &Path) -> io::Result<()> {
            if self.fail_dir_sync {
                return Err(io::Error::other("injected: the folder cannot be synced"));
            }
            OsDisk.sync_dir(dir)?;
            self.log(format!("sync dir {}", dir.canonicalize()?.display()));
            Ok(())
        }
    }

    /// A create intent must survive a power cut before its POST is sent:
    /// the file is synced, renamed, and then its folder is synced, every
    /// time, in that order.
    #[test]
    fn save_syncs_the_file_then_renames_then_syncs_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut s = StateStore::open(&path, "http://x/v1", "import", true).unwrap();
        let disk = Recording::default();
        s.disk = Box::new(disk.clone());
        s.save().unwrap();
        s.data.items.insert(
            "a".into(),
            ItemState {
                article_id: None,
                hash: String::new(),
                fields: BTreeMap::new(),
                published: false,
                updated_at: String::new(),
                category: None,
                intent: Some(CreateIntent {
                    hash: "h".into(),
                    category: 2,
                    at: 1,
                }),
            },
        );
        s.save().unwrap();
        let folder = dir.path().canonicalize().unwrap().display().to_string();
        let once = [
            "sync file".to_string(),
            "rename to state.json".to_string(),
            format!("sync dir {folder}"),
        ];
        assert_eq!(*disk.steps.lock().unwrap(), [once.clone(), once].concat());
        let on_disk: StateFile = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(on_disk, s.data);
    }

    #[test]
    fn a_folder_that_cannot_be_synced_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut s = StateStore::open(&path, "http://x/v1", "import", true).unwrap();
        s.disk = Box::new(Recording {
            fail_dir_sync: true,
            ..Recording::default()
        });
        let err = s.save().unwrap_err();
        assert!(err.to_string().contains("cannot be synced"), "{err}");
    }
}
