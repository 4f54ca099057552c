//! Calls to Redis made in groups: each caller waits for its own answer, but
//! the calls that come while a group is on its way go together in the next
//! one. Under load that is one round trip, and one script run, for many
//! requests: Redis' fixed cost of a call (its I/O, the script's start) and
//! this process' (a command sent and its answer read) are paid once per
//! group. A call alone waits for no one.
//!
//! Two kinds use it, each with a queue and a task of its own per namespace:
//! - the journal ([`push_journal`]): every request's entry is on Redis
//!   before its answer goes (so any replica's journal shows it at once),
//!   the entries of the requests answered meanwhile in one
//!   `journal_push.lua` call, numbered in the order they came;
//! - the gates ([`run_gates`]): each request's steps 2 to 4 (`gate` in
//!   `lib.lua`) stay one atomic step of its own, the gates of the requests
//!   that came meanwhile in one `gates.lua` call.

use futures::future::BoxFuture;
use redis::Value;
use tokio::sync::{mpsc, oneshot};

use super::{RedisStore, connection::Args};
use crate::store::{StoreResult, Unavailable};

/// One group's call: an answer per item, in order.
pub(super) type GroupCall<T, A> =
    for<'a> fn(&'a RedisStore, &'a [T]) -> BoxFuture<'a, StoreResult<Vec<A>>>;

/// An item waiting to be sent, and who waits for its answer.
struct Waiting<T, A> {
    item: T,
    answer: oneshot::Sender<StoreResult<A>>,
}

/// The queue of one kind of call in one namespace, and the task that sends
/// it in groups.
pub(super) struct Groups<T, A> {
    queue: mpsc::UnboundedSender<Waiting<T, A>>,
}

impl<T: Send + 'static, A: Send + 'static> Groups<T, A> {
    /// Starts the task sending groups of at most `most` items to `store`'s
    /// namespace with `call`; it ends when the groups are dropped, once what
    /// is queued is sent.
    pub(super) fn start(store: RedisStore, most: usize, call: GroupCall<T, A>) -> Self {
        let (queue, waiting) = mpsc::unbounded_channel();
        tokio::spawn(send_in_groups(store, most, call, waiting));
        Groups { queue }
    }

    /// The answer to `item`, once its group has been sent.
    pub(super) async fn send(&self, item: T) -> StoreResult<A> {
        let (answer, answered) = oneshot::channel();
        self.queue
            .send(Waiting { item, answer })
            .map_err(|_| Unavailable)?;
        answered.await.unwrap_or(Err(Unavailable))
    }
}

/// The task: whatever waits, in one call, again and again.
async fn send_in_groups<T, A>(
    store: RedisStore,
    most: usize,
    call: GroupCall<T, A>,
    mut waiting: mpsc::UnboundedReceiver<Waiting<T, A>>,
) {
    let mut group = Vec::with_capacity(most);
    while waiting.recv_many(&mut group, most).await > 0 {
        let (items, answers): (Vec<T>, Vec<_>) =
            group.drain(..).map(|w| (w.item, w.answer)).unzip();
        match call(&store, &items).await {
            Ok(results) if results.len() == answers.len() => {
                for (answer, result) in answers.into_iter().zip(results) {
                    let _ = answer.send(Ok(result));
                }
            }
            failed => {
                let unavailable = match failed {
                    Err(unavailable) => unavailable,
                    Ok(_) => store.malformed::<Unavailable>("a group's answers"),
                };
                for answer in answers {
                    let _ = answer.send(Err(unavailable));
                }
            }
        }
    }
}

/// Most journal entries one call writes (each is an argument of the script,
/// and the script unpacks them onto Lua's stack).
pub(super) const JOURNAL_AT_ONCE: usize = 256;

/// Most gates one call runs.
pub(super) const GATES_AT_ONCE: usize = 128;

/// Writes journal entries (JSON without their seq, and the journal's
/// capacity) in one `journal_push.lua` call.
pub(super) fn push_journal<'a>(
    store: &'a RedisStore,
    entries: &'a [(String, usize)],
) -> BoxFuture<'a, StoreResult<Vec<()>>> {
    Box::pin(async move {
        let capacity = entries.iter().map(|e| e.1).max().unwrap_or(0);
        store
            .run(&store.scripts.journal_push, |s| {
                s.arg(capacity);
                for entry in entries {
                    s.arg(&entry.0);
                }
            })
            .await?;
        Ok(vec![(); entries.len()])
    })
}

/// Runs gates (what `gate` in `lib.lua` takes, each) in one `gates.lua`
/// call: their answers.
pub(super) fn run_gates<'a>(
    store: &'a RedisStore,
    gates: &'a [Args],
) -> BoxFuture<'a, StoreResult<Vec<Value>>> {
    Box::pin(async move {
        let answer = store
            .run(&store.scripts.gates, |s| {
                for args in gates {
                    s.arg(args.len()).arg(args);
                }
            })
            .await?;
        match answer {
            Value::Array(answers) => Ok(answers),
            _ => Err(store.malformed("gates")),
        }
    })
}
