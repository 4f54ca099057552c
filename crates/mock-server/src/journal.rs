//! The request journal: a bounded ring buffer of what clients sent, without their keys.

use std::{collections::VecDeque, sync::Arc};

use chrono::{DateTime, Utc};
use http::Method;
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::ids::RequestId;

/// One request as the journal keeps it. The API key itself is never kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// Position in the journal since start or the last reset, from 1.
    pub seq: u64,
    /// When the request arrived.
    pub time: DateTime<Utc>,
    /// The `X-Request-Id` the response carried.
    pub request_id: String,
    /// The HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The status answered.
    pub status: u16,
    /// The account the key belongs to (its id, never the key), when the key was valid.
    pub account_id: Option<String>,
    /// The fault injected, if any (`500`, `reset`, `delay=100`, ...).
    pub fault: Option<String>,
    /// Time to produce the response head, in milliseconds.
    pub duration_ms: f64,
}

/// A request as it is recorded: what a [`JournalEntry`] shows, kept compact
/// (the journal holds thousands, each made by one request and dropped by a
/// much later one, so each allocation in it is one the allocator pays for
/// cold; this one has a single allocation, its path).
#[derive(Debug, Clone)]
pub struct RequestRecord {
    /// When the request arrived.
    pub time: DateTime<Utc>,
    /// The `X-Request-Id` the response carried.
    pub request_id: RequestId,
    /// The HTTP method.
    pub method: Method,
    /// The path and the query.
    pub target: Target,
    /// The status answered.
    pub status: u16,
    /// The account the key belongs to (its id, never the key), when the key was valid.
    pub account_id: Option<Arc<str>>,
    /// The fault injected, if any (`500`, `reset`, `delay=100`, ...).
    pub fault: Option<String>,
    /// Time to produce the response head, in milliseconds.
    pub duration_ms: f64,
}

/// A request's path and query: inline when short (every API path is), else in
/// one allocation.
#[derive(Debug, Clone)]
pub struct Target {
    text: TargetText,
    /// Where the query starts in the text, if there is one.
    query_at: Option<usize>,
}

/// Most bytes of path and query a [`Target`] keeps inline.
const INLINE_TARGET: usize = 40;

#[derive(Debug, Clone)]
enum TargetText {
    /// `bytes[..len]`, the UTF-8 of a `&str`.
    Inline {
        bytes: [u8; INLINE_TARGET],
        len: u8,
    },
    Boxed(Box<str>),
}

impl Target {
    /// `path` and `query` (without its `?`).
    pub fn new(path: &str, query: Option<&str>) -> Self {
        let query_at = query.map(|_| path.len());
        let len = path.len() + query.map_or(0, str::len);
        let text = match u8::try_from(len) {
            Ok(short) if len <= INLINE_TARGET => {
                let mut bytes = [0; INLINE_TARGET];
                bytes[..path.len()].copy_from_slice(path.as_bytes());
                if let Some(query) = query {
                    bytes[path.len()..len].copy_from_slice(query.as_bytes());
                }
                TargetText::Inline { bytes, len: short }
            }
            _ => TargetText::Boxed([path, query.unwrap_or("")].concat().into_boxed_str()),
        };
        Target { text, query_at }
    }

    /// Path and query as one text.
    fn text(&self) -> &str {
        match &self.text {
            // Copied from `&str`s, at a boundary between them: UTF-8. Checked
            // here, when the journal is read, not when a request writes it.
            TargetText::Inline { bytes, len } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            TargetText::Boxed(text) => text,
        }
    }

    /// The path.
    pub fn path(&self) -> &str {
        let text = self.text();
        let end = self.query_at.unwrap_or(text.len());
        text.get(..end).unwrap_or_default()
    }

    /// The query, without its `?`.
    pub fn query(&self) -> Option<&str> {
        self.query_at.and_then(|at| self.text().get(at..))
    }
}

impl RequestRecord {
    /// The record as the journal shows it, at position `seq`.
    pub fn entry(&self, seq: u64) -> JournalEntry {
        JournalEntry {
            seq,
            time: self.time,
            request_id: self.request_id.to_string(),
            method: self.method.to_string(),
            path: self.target.path().to_string(),
            query: self.target.query().map(str::to_string),
            status: self.status,
            account_id: self.account_id.as_deref().map(str::to_string),
            fault: self.fault.clone(),
            duration_ms: self.duration_ms,
        }
    }
}

/// A fixed-capacity ring buffer of journal entries, oldest dropped first.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    inner: Mutex<Ring>,
}

#[derive(Debug, Default)]
struct Ring {
    next_seq: u64,
    entries: VecDeque<(u64, RequestRecord)>,
}

impl Journal {
    /// An empty journal keeping at most `capacity` entries (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        Journal {
            capacity,
            inner: Mutex::new(Ring {
                next_seq: 1,
                entries: VecDeque::with_capacity(capacity.min(1024)),
            }),
        }
    }

    /// Appends a request, numbering it, and drops the oldest past capacity.
    pub fn push(&self, record: RequestRecord) {
        if self.capacity == 0 {
            return;
        }
        let mut ring = self.inner.lock();
        let seq = ring.next_seq;
        ring.next_seq += 1;
        let oldest = if ring.entries.len() >= self.capacity {
            ring.entries.pop_front()
        } else {
            None
        };
        ring.entries.push_back((seq, record));
        drop(ring);
        // Freed after the lock: other requests need not wait for it.
        drop(oldest);
    }

    /// A copy of the entries, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        let ring = self.inner.lock();
        ring.entries
            .iter()
            .map(|(seq, record)| record.entry(*seq))
            .collect()
    }

    /// How many entries are kept.
    pub fn count(&self) -> usize {
        self.inner.lock().entries.len()
    }

    /// Empties the journal and restarts numbering from 1.
    pub fn clear(&self) {
        let mut ring = self.inner.lock();
        ring.entries.clear();
        ring.next_seq = 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str) -> RequestRecord {
        RequestRecord {
            time: Utc::now(),
            request_id: RequestId::random(),
            method: Method::GET,
            target: Target::new(path, None),
            status: 200,
            account_id: None,
            fault: None,
            duration_ms: 0.0,
        }
    }

    #[test]
    fn journal_keeps_only_the_newest_entries_up_to_its_capacity() {
        let journal = Journal::new(2);
        for path in ["/a", "/b", "/c"] {
            journal.push(record(path));
        }
        let kept: Vec<_> = journal
            .entries()
            .into_iter()
            .map(|e| (e.seq, e.path))
            .collect();
        assert_eq!(kept, [(2, "/b".to_string()), (3, "/c".to_string())]);
        journal.clear();
        assert!(journal.entries().is_empty());
    }

    proptest::proptest! {
        /// Inline (short) or boxed (long), with text outside ASCII, a target
        /// gives back its path and query exactly.
        #[test]
        fn a_target_gives_back_any_path_and_query(
            path in "/[a-zé/]{0,50}",
            query in proptest::option::of("[a-z=&é🌅]{0,30}"),
        ) {
            let target = Target::new(&path, query.as_deref());
            proptest::prop_assert_eq!(target.path(), path.as_str());
            proptest::prop_assert_eq!(target.query(), query.as_deref());
        }
    }

    #[test]
    fn a_target_keeps_its_path_and_query_apart() {
        let plain = Target::new("/api/generations", None);
        assert_eq!((plain.path(), plain.query()), ("/api/generations", None));
        let queried = Target::new("/api/generations", Some("limit=5&status=error"));
        assert_eq!(queried.path(), "/api/generations");
        assert_eq!(queried.query(), Some("limit=5&status=error"));
        let empty = Target::new("/api/generations", Some(""));
        assert_eq!(
            (empty.path(), empty.query()),
            ("/api/generations", Some(""))
        );
        let entry = RequestRecord {
            target: queried,
            ..record("/unused")
        }
        .entry(7);
        assert_eq!(entry.seq, 7);
        assert_eq!(entry.path, "/api/generations");
        assert_eq!(entry.query.as_deref(), Some("limit=5&status=error"));
        assert_eq!(entry.method, "GET");
        assert!(entry.request_id.starts_with("req_"));
    }
}
