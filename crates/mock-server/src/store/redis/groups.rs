//! Calls to Redis made in groups: each caller waits for its own answer, but
//! the calls that come while groups are on their way (at most
//! [`ON_THE_WAY`]) go together in the next one. Under load that is one
//! round trip, and one script run, for many requests: Redis' fixed cost of
//! a call (its I/O, the script's start) and this process' (a command sent
//! and its answer read) are paid once per group. A call alone waits for no
//! one.
//!
//! Each namespace has one queue and one task ([`RedisStore::groups`]),
//! which sends its groups in order on one connection, so Redis runs them in
//! the order they were made. A group carries two kinds of [`Call`] in one
//! `group.lua` call:
//! - journal entries: every request's entry is on Redis before its answer
//!   goes (so any replica's journal shows it at once), numbered in the
//!   order they came;
//! - gates: each request's steps 2 to 4 (`gate` in `lib.lua`) stay one
//!   atomic step of its own, run in the order they came.
//!
//! Under load a request's journal entry rides the group that carries the
//! gates of the requests that came after it: one call where two kinds
//! in groups of their own took two.

use futures::{StreamExt, stream::FuturesUnordered};
use redis::Value;
use tokio::sync::{mpsc, oneshot};

use super::{RedisStore, connection::Args};
use crate::store::{StoreResult, Unavailable};

/// A call waiting to be sent, and who waits for its answer.
struct Waiting {
    call: Call,
    answer: oneshot::Sender<StoreResult<Value>>,
}

/// The queue of one namespace's calls, and the task that sends them in
/// groups.
pub(super) struct Groups {
    queue: mpsc::UnboundedSender<Waiting>,
}

impl Groups {
    /// Starts the task sending groups of at most [`AT_ONCE`] calls to
    /// `store`'s namespace; it ends when the groups are dropped, once what
    /// is queued is sent.
    fn start(store: RedisStore) -> Self {
        let (queue, waiting) = mpsc::unbounded_channel();
        tokio::spawn(send_in_groups(store, waiting));
        Groups { queue }
    }

    /// The answer to `call`, once its group has been sent.
    pub(super) async fn send(&self, call: Call) -> StoreResult<Value> {
        let (answer, answered) = oneshot::channel();
        self.queue
            .send(Waiting { call, answer })
            .map_err(|_| Unavailable)?;
        answered.await.unwrap_or(Err(Unavailable))
    }
}

/// The task: whatever waits, in one call, again and again, with up to
/// [`ON_THE_WAY`] calls on their way at once.
async fn send_in_groups(store: RedisStore, mut waiting: mpsc::UnboundedReceiver<Waiting>) {
    let mut on_the_way = FuturesUnordered::new();
    let mut open = true;
    while open || !on_the_way.is_empty() {
        tokio::select! {
            Some(()) = on_the_way.next(), if !on_the_way.is_empty() => {}
            group = next_group(&mut waiting), if open && on_the_way.len() < ON_THE_WAY => {
                match group {
                    Some(group) => on_the_way.push(send_group(&store, group)),
                    None => open = false,
                }
            }
        }
    }
}

/// What waits, at most [`AT_ONCE`] calls, once at least one does; `None`
/// once the queue is closed and empty.
async fn next_group(waiting: &mut mpsc::UnboundedReceiver<Waiting>) -> Option<Vec<Waiting>> {
    let mut group = Vec::with_capacity(AT_ONCE);
    (waiting.recv_many(&mut group, AT_ONCE).await > 0).then_some(group)
}

/// Sends `group` and gives each caller its answer.
async fn send_group(store: &RedisStore, group: Vec<Waiting>) {
    let (calls, answers): (Vec<Call>, Vec<_>) =
        group.into_iter().map(|w| (w.call, w.answer)).unzip();
    match run_group(store, &calls).await {
        Ok(results) => {
            for (answer, result) in answers.into_iter().zip(results) {
                let _ = answer.send(Ok(result));
            }
        }
        Err(unavailable) => {
            for answer in answers {
                let _ = answer.send(Err(unavailable));
            }
        }
    }
}

/// Most groups on their way at once. With one, Redis and this process took
/// turns: a request that came while a group was on its way waited for that
/// group's answer before its own could go. With two, the next group goes
/// while the last one is answered, and Redis runs them in the order sent.
const ON_THE_WAY: usize = 2;

/// Most calls one group sends: a gate is about 30 arguments of the script,
/// a journal entry one, and the script unpacks them onto Lua's stack.
const AT_ONCE: usize = 128;

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
    pub(super) fn groups(&self) -> &Groups {
        self.groups
            .get_or_init(|| Groups::start(self.in_namespace(&self.namespace)))
    }
}

/// Sends `calls` in one `group.lua` call (its journal entries first, in
/// order, then its gates): an answer per call, in order.
async fn run_group(store: &RedisStore, calls: &[Call]) -> StoreResult<Vec<Value>> {
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
