//! The request journal: a bounded ring buffer of what clients sent, without their keys.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

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

/// A fixed-capacity ring buffer of journal entries, oldest dropped first.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    inner: Mutex<Ring>,
}

#[derive(Debug, Default)]
struct Ring {
    next_seq: u64,
    entries: VecDeque<JournalEntry>,
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

    /// Appends an entry, numbering it and dropping the oldest when full.
    pub fn push(&self, mut entry: JournalEntry) {
        if self.capacity == 0 {
            return;
        }
        let mut ring = self.inner.lock();
        entry.seq = ring.next_seq;
        ring.next_seq += 1;
        let oldest = if ring.entries.len() >= self.capacity {
            ring.entries.pop_front()
        } else {
            None
        };
        ring.entries.push_back(entry);
        drop(ring);
        // Freed after the lock: other requests need not wait for it.
        drop(oldest);
    }

    /// Every entry kept, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.inner.lock().entries.iter().cloned().collect()
    }

    /// Forgets every entry and restarts numbering.
    pub fn clear(&self) {
        let mut ring = self.inner.lock();
        ring.entries.clear();
        ring.next_seq = 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> JournalEntry {
        JournalEntry {
            seq: 0,
            time: Utc::now(),
            request_id: "r".into(),
            method: "GET".into(),
            path: path.into(),
            query: None,
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
            journal.push(entry(path));
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
}
