//! `--state FILE`: the memory store's snapshot read at start and written
//! every few seconds while something changed and at shutdown, always whole:
//! a temporary file in the same directory, synced, renamed over the old one,
//! and the directory synced. A crash loses at most one interval and never
//! leaves a torn file; of two processes writing the same file, the last
//! rename wins.

use std::{
    io::Write,
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use tokio_util::sync::CancellationToken;

use crate::{
    error::Error,
    store::{MemoryStore, Snapshot},
};

/// The snapshot in `path`; `None` when there is no such file yet.
pub fn load(path: &Path) -> Result<Option<Snapshot>, Error> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    Snapshot::parse(&bytes)
        .map(Some)
        .map_err(|message| Error::State {
            path: path.to_path_buf(),
            message,
        })
}

/// Replaces `path` with `bytes` atomically (see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".to_string());
    // Unique per process and write: two writers never share a temporary file.
    let temp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        crate::ids::object_id()
    ));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    sync_dir(&dir)
}

/// Makes a rename in `dir` durable (on Unix; elsewhere the rename is all).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Writes one store's snapshots to one file.
pub struct StateWriter {
    store: Arc<MemoryStore>,
    path: PathBuf,
    public_url: String,
    /// Set once the last snapshot (at shutdown) is written: no more after it.
    closed: AtomicBool,
}

impl StateWriter {
    /// A writer of `store`'s snapshots to `path`, for a server whose URLs
    /// start with `public_url`.
    pub fn new(store: Arc<MemoryStore>, path: PathBuf, public_url: String) -> Self {
        StateWriter {
            store,
            path,
            public_url,
            closed: AtomicBool::new(false),
        }
    }

    /// Takes a snapshot and writes it (blocking: call it off the runtime's
    /// workers). On failure the store stays marked changed, so the next
    /// interval tries again.
    fn save(&self) -> Result<(), Error> {
        let mut snapshot = self.store.snapshot();
        snapshot.public_url = Some(self.public_url.clone());
        let written = snapshot
            .to_bytes()
            .map_err(|e| std::io::Error::other(e.to_string()))
            .and_then(|bytes| write_atomic(&self.path, &bytes));
        written.map_err(|source| {
            self.store.mark_changed();
            Error::Write {
                path: self.path.clone(),
                source,
            }
        })
    }

    fn save_logged(&self) {
        match self.save() {
            Ok(()) => tracing::debug!(path = %self.path.display(), "state written"),
            Err(error) => tracing::error!(%error, "the state could not be written"),
        }
    }

    /// Writes a snapshot every `interval` while the store changed, off the
    /// request path (the snapshot and the write on the blocking pool), until
    /// `cancel` fires.
    pub async fn run(self: Arc<Self>, interval: Duration, cancel: CancellationToken) {
        let interval = interval.max(Duration::from_millis(10));
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = cancel.cancelled() => return,
            }
            if self.store.has_changed() && !self.closed.load(Ordering::Acquire) {
                let writer = self.clone();
                let _ = tokio::task::spawn_blocking(move || writer.save_logged()).await;
            }
        }
    }

    /// Writes the last snapshot, once, if anything changed since the one
    /// before (later calls do nothing). Blocking.
    pub fn close(&self) {
        if !self.closed.swap(true, Ordering::AcqRel) && self.store.has_changed() {
            self.save_logged();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["state.json"]);
    }

    #[test]
    fn a_missing_file_is_no_snapshot_and_a_foreign_one_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        assert!(load(&path).unwrap().is_none());
        std::fs::write(&path, "[1, 2]").unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(error.contains("state.json"), "{error}");
    }
}
