//! The gates of one namespace's requests, sent in groups: each request's
//! steps 2 to 4 (`gate` in `lib.lua`) stay one atomic step of its own, but
//! the gates of the requests that came while a group was on its way go
//! together in one `gates.lua` call. Under load that is one round trip,
//! and one script run, for many requests: Redis' fixed cost of a call (its
//! I/O, the script's start) and this process' (a command sent and its
//! answer read) are paid once per group. A request alone waits for no one.

use redis::Value;
use tokio::sync::{mpsc, oneshot};

use super::{RedisStore, connection::Args};
use crate::store::{StoreResult, Unavailable};

/// Most gates one call runs.
const MOST_AT_ONCE: usize = 128;

/// A gate waiting to be run, and who waits for its answer.
struct Waiting {
    args: Args,
    answer: oneshot::Sender<StoreResult<Value>>,
}

/// The queue of one namespace's gates, and the task that runs them.
pub(super) struct GateGroups {
    queue: mpsc::UnboundedSender<Waiting>,
}

impl GateGroups {
    /// Starts the task running gates in `store`'s namespace; it ends when
    /// the groups are dropped, once what is queued has run.
    pub(super) fn start(store: RedisStore) -> Self {
        let (queue, waiting) = mpsc::unbounded_channel();
        tokio::spawn(run_in_groups(store, waiting));
        GateGroups { queue }
    }

    /// The answer of `gate` to `args` (what it takes, see `lib.lua`).
    pub(super) async fn gate(&self, args: Args) -> StoreResult<Value> {
        let (answer, answered) = oneshot::channel();
        self.queue
            .send(Waiting { args, answer })
            .map_err(|_| Unavailable)?;
        answered.await.unwrap_or(Err(Unavailable))
    }
}

/// The task: whatever waits, in one call, again and again.
async fn run_in_groups(store: RedisStore, mut waiting: mpsc::UnboundedReceiver<Waiting>) {
    let mut group = Vec::with_capacity(MOST_AT_ONCE);
    while waiting.recv_many(&mut group, MOST_AT_ONCE).await > 0 {
        let answer = store
            .run(&store.scripts.gates, |s| {
                for gate in &group {
                    s.arg(gate.args.len()).arg(&gate.args);
                }
            })
            .await;
        let answers = match answer {
            Ok(Value::Array(answers)) if answers.len() == group.len() => Ok(answers),
            Ok(_) => Err(store.malformed::<Unavailable>("gates")),
            Err(unavailable) => Err(unavailable),
        };
        match answers {
            Ok(answers) => {
                for (gate, answer) in group.drain(..).zip(answers) {
                    let _ = gate.answer.send(Ok(answer));
                }
            }
            Err(unavailable) => {
                for gate in group.drain(..) {
                    let _ = gate.answer.send(Err(unavailable));
                }
            }
        }
    }
}
