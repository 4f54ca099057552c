//! `--state FILE`: the memory store's snapshot read at start and written
//! every few seconds while something changed and at shutdown, always whole:
//! a temporary file in the same directory, synced, renamed over the old one,
//! and the directory synced. A crash loses at most one interval and never
//! leaves a torn file; of two processes writing the same file, the last
//! rename wins.
//!
//! The named sessions are in it too: their stores come from
//! [`SessionStates`], which keeps a handle on each for the writer, and each
//! is put back at start with its idle time, unless it expired meanwhile.

use std::{
    io::Write,
    path::{Path, PathBuf},
    sync::{
        Arc, OnceLock,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::Utc;
use foldhash::HashMap;
use parking_lot::Mutex;
use tokio_util::sync::CancellationToken;

use crate::{
    error::Error,
    sessions::{MemoryStores, Sessions, StoreFactory},
    store::{MemoryStore, SavedSession, Snapshot, Store},
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

/// The in-memory stores of the named sessions, made with their changes
/// tracked, and kept by name for the [`StateWriter`].
#[derive(Clone)]
pub struct SessionStates(Arc<Tracked>);

struct Tracked {
    memory: MemoryStores,
    stores: Mutex<HashMap<Arc<str>, Arc<MemoryStore>>>,
}

impl SessionStates {
    /// New sessions get stores of `memory`'s accounts and limits.
    pub fn new(memory: MemoryStores) -> Self {
        SessionStates(Arc::new(Tracked {
            memory,
            stores: Mutex::default(),
        }))
    }

    /// Puts back the sessions of a state file into `sessions` (those idle
    /// for less than the TTL, up to the limit), each with its generations
    /// still running resumed. The error says which session is damaged.
    pub fn restore(&self, saved: Vec<SavedSession>, sessions: &Sessions) -> Result<(), String> {
        let now = Utc::now();
        for session in saved {
            let (store, running) = MemoryStore::restored(
                self.0.memory.accounts.clone(),
                self.0.memory.options.clone(),
                session.state(),
            )
            .map_err(|message| format!("session {}: {message}", session.name))?;
            let store = Arc::new(store);
            let idle = (now - session.last_used_at).to_std().unwrap_or_default();
            if let Some(app) =
                sessions.restore(&session.name, store.clone(), session.created_at, idle)
            {
                self.0.stores.lock().insert(Arc::from(session.name), store);
                app.lifecycle.resume(running);
            }
        }
        Ok(())
    }

    fn store_of(&self, name: &str) -> Option<Arc<MemoryStore>> {
        self.0.stores.lock().get(name).cloned()
    }

    /// Forgets the stores of the sessions not in `alive`.
    fn keep_only(&self, alive: &[(Arc<str>, chrono::DateTime<Utc>, Instant)]) {
        self.0
            .stores
            .lock()
            .retain(|name, _| alive.iter().any(|(n, _, _)| n == name));
    }
}

impl StoreFactory for SessionStates {
    fn store(&self, name: &str) -> Arc<dyn Store> {
        let store = Arc::new(
            MemoryStore::new(
                self.0.memory.accounts.clone(),
                self.0.memory.options.clone(),
            )
            .with_snapshots(),
        );
        self.0.stores.lock().insert(Arc::from(name), store.clone());
        store
    }
}

/// The named sessions a [`StateWriter`] writes beside the default one.
struct Named {
    sessions: Arc<Sessions>,
    states: SessionStates,
    /// The sessions (name and last use) the last snapshot held.
    written: Mutex<Vec<(Arc<str>, Instant)>>,
}

impl Named {
    /// Whether a session came, went or was used since the last snapshot, or
    /// its store changed.
    fn changed(&self) -> bool {
        let mut alive: Vec<_> = self
            .sessions
            .alive()
            .into_iter()
            .map(|(name, _, used)| (name, used))
            .collect();
        alive.sort();
        *self.written.lock() != alive
            || alive.iter().any(|(name, _)| {
                self.states
                    .store_of(name)
                    .is_some_and(|store| store.has_changed())
            })
    }

    /// Each session alive, with its store's state, and remembers them.
    fn snapshot(&self) -> Vec<SavedSession> {
        let mut alive = self.sessions.alive();
        alive.sort_by(|a, b| a.0.cmp(&b.0));
        self.states.keep_only(&alive);
        let (now, utc_now) = (Instant::now(), Utc::now());
        let saved = alive
            .iter()
            .filter_map(|(name, created_at, used)| {
                let state = self.states.store_of(name)?.snapshot();
                let idle = chrono::Duration::from_std(now.saturating_duration_since(*used))
                    .unwrap_or_default();
                Some(SavedSession::of(
                    name.to_string(),
                    *created_at,
                    utc_now - idle,
                    state,
                ))
            })
            .collect();
        *self.written.lock() = alive
            .into_iter()
            .map(|(name, _, used)| (name, used))
            .collect();
        saved
    }
}

/// Writes one server's snapshots to one file: the default session's store
/// and, once [`StateWriter::keep_sessions`] is called, the named sessions.
pub struct StateWriter {
    store: Arc<MemoryStore>,
    named: OnceLock<Named>,
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
            named: OnceLock::new(),
            path,
            public_url,
            closed: AtomicBool::new(false),
        }
    }

    /// Puts back the named sessions `saved` (as [`SessionStates::restore`])
    /// and writes the sessions of `sessions`, whose stores `states` makes,
    /// from now on. The error names the file.
    pub fn keep_sessions(
        &self,
        sessions: &Arc<Sessions>,
        states: SessionStates,
        saved: Vec<SavedSession>,
    ) -> Result<(), Error> {
        states
            .restore(saved, sessions)
            .map_err(|message| Error::State {
                path: self.path.clone(),
                message,
            })?;
        let _ = self.named.set(Named {
            sessions: sessions.clone(),
            states,
            written: Mutex::default(),
        });
        Ok(())
    }

    /// Whether anything to write changed since the last snapshot.
    fn has_changed(&self) -> bool {
        self.store.has_changed() || self.named.get().is_some_and(Named::changed)
    }

    /// Takes a snapshot and writes it (blocking: call it off the runtime's
    /// workers). On failure the store stays marked changed, so the next
    /// interval tries again.
    fn save(&self) -> Result<(), Error> {
        let mut snapshot = self.store.snapshot();
        snapshot.public_url = Some(self.public_url.clone());
        if let Some(named) = self.named.get() {
            snapshot.sessions = named.snapshot();
        }
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

    /// Writes a snapshot every `interval` while the state changed, off the
    /// request path (the snapshot and the write on the blocking pool), until
    /// `cancel` fires.
    pub async fn run(self: Arc<Self>, interval: Duration, cancel: CancellationToken) {
        let interval = interval.max(Duration::from_millis(10));
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = cancel.cancelled() => return,
            }
            if !self.closed.load(Ordering::Acquire) && self.has_changed() {
                let writer = self.clone();
                let _ = tokio::task::spawn_blocking(move || writer.save_logged()).await;
            }
        }
    }

    /// Writes the last snapshot, once, if anything changed since the one
    /// before (later calls do nothing). Blocking.
    pub fn close(&self) {
        if !self.closed.swap(true, Ordering::AcqRel) && self.has_changed() {
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
