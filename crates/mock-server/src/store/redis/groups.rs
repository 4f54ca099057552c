//! Calls to Redis made in groups: each caller waits for its own answer, but
//! the calls that come while a group is on its way go together in the next
//! one. Under load that is one round trip, and one script run, for many
//! requests: Redis' fixed cost of a call (its I/O, the script's start) and
//! this process' (a command sent and its answer read) are paid once per
//! group. A call alone waits for no one.
//!
//! Each namespace has one queue and one task ([`RedisStore::groups`]), and
//! a group carries two kinds of [`Call`] in one `group.lua` call:
//! - journal entries: every request's entry is on Redis before its answer
//!   goes (so any replica's journal shows it at once), numbered in the
//!   order they came;
//! - gates: each request's steps 2 to 4 (`gate` in `lib.lua`) stay one
//!   atomic step of its own, run in the order they came.
//!
//! Under load a request's journal entry rides the group that carries the
//! gates of the requests that came after it: one call where two kinds
//! in groups of their own took two.

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

/// Most calls one group sends: a gate is about 30 arguments of the script,
/// a journal entry one, and the script unpacks them onto Lua's stack.
pub(super) const AT_ONCE: usize = 128;

/// What a request sends to Redis through its namespace's groups.
pub(super) enum Call {
    /// A gate (what `gate` in `lib.lua` takes): answered with the gate's
    /// answer.
    Gate(Args),
    /// A journal entry (JSON without its seq) and the journal's capacity:
    /// answered with `Nil` once it is on Redis.
    Journal(String, usize),
}

impl RedisStore {
    /// The namespace's groups, started by the first call.
    pub(super) fn groups(&self) -> &Groups<Call, Value> {
        self.groups
            .get_or_init(|| Groups::start(self.in_namespace(&self.namespace), AT_ONCE, run_group))
    }
}

/// Sends `calls` in one `group.lua` call (its journal entries first, in
/// order, then its gates): an answer per call, in order.
fn run_group<'a>(
    store: &'a RedisStore,
    calls: &'a [Call],
) -> BoxFuture<'a, StoreResult<Vec<Value>>> {
    Box::pin(async move {
        let entries = || {
            calls.iter().filter_map(|c| match c {
                Call::Journal(json, capacity) => Some((json, *capacity)),
                Call::Gate(_) => None,
            })
        };
        let gates = || {
            calls.iter().filter_map(|c| match c {
                Call::Gate(args) => Some(args),
                Call::Journal(..) => None,
            })
        };
        let capacity = entries().map(|e| e.1).max().unwrap_or(0);
        let answer = store
            .run(&store.scripts.group, |s| {
                s.arg(capacity).arg(entries().count());
                for (json, _) in entries() {
                    s.arg(json);
                }
                for args in gates() {
                    s.arg(args.len()).arg(args);
                }
            })
            .await?;
        let answers = match answer {
            Value::BulkString(json) => unpack(&json),
            _ => None,
        };
        let answers = match answers {
            Some(Value::Array(answers)) if answers.len() == gates().count() => answers,
            _ => return Err(store.malformed("group")),
        };
        let mut answers = answers.into_iter();
        Ok(calls
            .iter()
            .map(|call| match call {
                Call::Gate(_) => answers.next().unwrap_or(Value::Nil),
                Call::Journal(..) => Value::Nil,
            })
            .collect())
    })
}

/// The answers `group.lua` wrote as JSON, as the tree of values Redis
/// would have answered had the script returned them as they are: a string
/// is a bulk string, a number an integer (cut to one, as Redis does),
/// `false` and `null` nil, `true` 1, a list (or `{}`, an empty Lua table) a
/// list. `None` for anything else.
fn unpack(json: &[u8]) -> Option<Value> {
    fn value_of(json: serde_json::Value) -> Option<Value> {
        Some(match json {
            serde_json::Value::String(text) => Value::BulkString(text.into_bytes()),
            // A float beyond i64 saturates: no panic, and no gate answers one.
            serde_json::Value::Number(n) => {
                Value::Int(n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?)
            }
            serde_json::Value::Bool(false) | serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(true) => Value::Int(1),
            serde_json::Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .map(value_of)
                    .collect::<Option<Vec<_>>>()?,
            ),
            serde_json::Value::Object(empty) if empty.is_empty() => Value::Array(Vec::new()),
            _ => return None,
        })
    }
    value_of(serde_json::from_slice(json).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    #[test]
    fn answers_in_json_read_as_the_tree_redis_would_answer() {
        let json =
            br#"[["ok","",1,-1,["id","7","p","{\"a\":\"\/\"}"],{}],["fault","500"],[false,null,true,2.9]]"#;
        let fields = Value::Array(vec![text("id"), text("7"), text("p"), text(r#"{"a":"/"}"#)]);
        assert_eq!(
            unpack(json),
            Some(Value::Array(vec![
                Value::Array(vec![
                    text("ok"),
                    text(""),
                    Value::Int(1),
                    Value::Int(-1),
                    fields,
                    Value::Array(vec![]),
                ]),
                Value::Array(vec![text("fault"), text("500")]),
                Value::Array(vec![Value::Nil, Value::Nil, Value::Int(1), Value::Int(2)]),
            ]))
        );
    }

    #[test]
    fn anything_else_is_none_not_a_panic() {
        for bad in [&b""[..], b"[", b"[1", b"{\"a\":1}", b"[{\"a\":1}]", b"\xff"] {
            assert_eq!(unpack(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }
}
