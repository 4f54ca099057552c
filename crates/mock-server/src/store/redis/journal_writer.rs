//! The journal on Redis, written in groups: every request's entry is
//! written before its answer goes (so any replica's journal shows it at
//! once), but the entries of the requests answered meanwhile go together in
//! one `journal_push.lua` call, numbered in the order they came. Under load
//! that is one round trip for many requests, not one each; a request alone
//! waits for no one.

use tokio::sync::{mpsc, oneshot};

use super::RedisStore;
use crate::store::{StoreResult, Unavailable};

/// Most entries one call writes (each is an argument of the script, and the
/// script unpacks them onto Lua's stack).
const MOST_AT_ONCE: usize = 256;

/// An entry waiting to be written, and who waits for it.
struct Waiting {
    json: String,
    capacity: usize,
    written: oneshot::Sender<StoreResult<()>>,
}

/// The queue of one namespace's journal, and the task that writes it.
pub(super) struct JournalWriter {
    queue: mpsc::UnboundedSender<Waiting>,
}

impl JournalWriter {
    /// Starts the task writing into `store`'s namespace; it ends when the
    /// writer is dropped, once what is queued is written.
    pub(super) fn start(store: RedisStore) -> Self {
        let (queue, waiting) = mpsc::unbounded_channel();
        tokio::spawn(write_in_groups(store, waiting));
        JournalWriter { queue }
    }

    /// Writes `json` (an entry without its seq), keeping the newest
    /// `capacity`; answers once it is on Redis.
    pub(super) async fn write(&self, json: String, capacity: usize) -> StoreResult<()> {
        let (written, done) = oneshot::channel();
        let waiting = Waiting {
            json,
            capacity,
            written,
        };
        self.queue.send(waiting).map_err(|_| Unavailable)?;
        done.await.unwrap_or(Err(Unavailable))
    }
}

/// The writer's task: whatever waits, in one call, again and again.
async fn write_in_groups(store: RedisStore, mut waiting: mpsc::UnboundedReceiver<Waiting>) {
    let mut group = Vec::with_capacity(MOST_AT_ONCE);
    while waiting.recv_many(&mut group, MOST_AT_ONCE).await > 0 {
        let capacity = group.iter().map(|w| w.capacity).max().unwrap_or(0);
        let written = store
            .run(&store.scripts.journal_push, |s| {
                s.arg(capacity);
                for entry in &group {
                    s.arg(&entry.json);
                }
            })
            .await
            .map(drop);
        for entry in group.drain(..) {
            let _ = entry.written.send(written);
        }
    }
}
