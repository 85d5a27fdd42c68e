//! The directory an engine's tantivy index lives in. A loaded container's
//! files are read where they came: slices of the buffer that holds them
//! (the inflated index section of a pack, or a cache entry's own bytes),
//! shared, not copied into a RAM directory. At 50,000 articles the index
//! is ~15 MB, and a copy beside the buffer it came in raised the wasm
//! heap's high-water mark, which never comes down. What tantivy writes
//! itself (its `meta.json`, `.managed.json`), and every file of an index
//! built here, goes to a [`RamDirectory`]. The files of a pack that
//! travel in chunks (its postings and term dictionary) are read from the
//! [`ApartFiles`], which read the chunks that have arrived.

use std::io;
use std::path::Path;
use std::sync::Arc;

use crate::apart::ApartFiles;
use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, FileHandle, OwnedBytes, RamDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// A container's files, read only, over a RAM directory for the rest.
#[derive(Clone, Debug)]
pub(crate) struct IndexDir {
    /// By name: a segment has at most six.
    files: Arc<[(String, OwnedBytes)]>,
    /// The files that travel in chunks, if any.
    apart: Option<ApartFiles>,
    ram: RamDirectory,
}

impl IndexDir {
    /// The files of a loaded container (names checked by the caller).
    pub(crate) fn over(files: Vec<(String, OwnedBytes)>, apart: Option<ApartFiles>) -> IndexDir {
        IndexDir {
            files: files.into(),
            apart,
            ram: RamDirectory::create(),
        }
    }

    /// The files that travel in chunks, if any.
    pub(crate) fn apart_files(&self) -> Option<&ApartFiles> {
        self.apart.as_ref()
    }

    /// The directory an index was built in.
    pub(crate) fn built(ram: RamDirectory) -> IndexDir {
        IndexDir {
            files: Arc::default(),
            apart: None,
            ram,
        }
    }

    fn apart(&self, path: &Path) -> Option<crate::apart::ApartFile> {
        self.apart.as_ref()?.file(path.to_str()?)
    }

    fn file(&self, path: &Path) -> Option<&OwnedBytes> {
        let name = path.to_str()?;
        self.files.iter().find(|(n, _)| n == name).map(|(_, b)| b)
    }
}

impl Directory for IndexDir {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if let Some(file) = self.apart(path) {
            return Ok(Arc::new(file));
        }
        match self.file(path) {
            Some(bytes) => Ok(Arc::new(bytes.clone())),
            None => self.ram.get_file_handle(path),
        }
    }

    /// A container's file is never deleted (nothing writes to a loaded
    /// index); the RAM directory's are.
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.ram.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.file(path).is_some() || self.apart(path).is_some() || self.ram.exists(path)?)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        if self.file(path).is_some() || self.apart(path).is_some() {
            return Err(OpenWriteError::FileAlreadyExists(path.to_path_buf()));
        }
        self.ram.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        match self.file(path) {
            Some(bytes) => Ok(bytes.as_slice().to_vec()),
            None => self.ram.atomic_read(path),
        }
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.ram.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.ram.sync_directory()
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.ram.watch(watch_callback)
    }
}
