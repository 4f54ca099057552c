//! Scripted outcomes: the `error` that upcoming generations of a tool end with
//! (`POST /__mock/outcomes`, `MockServer::fail_next_generation`).

use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

/// A scripted end for upcoming generations of a tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptedOutcome {
    /// The tool slug, or `*` for any tool.
    pub tool: String,
    /// The `error` message the generations end with.
    pub error: String,
    /// How many upcoming generations it applies to (default 1).
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

/// The scripted outcomes still to use, oldest first.
#[derive(Debug, Default)]
pub struct Outcomes {
    list: Mutex<Vec<ScriptedOutcome>>,
    /// Whether `list` has any: the one read on the way of every run.
    any: AtomicBool,
}

impl Outcomes {
    /// Scripts the end of upcoming generations of a tool (none if `count` is 0).
    pub fn add(&self, outcome: ScriptedOutcome) {
        if outcome.count > 0 {
            self.list.lock().push(outcome);
            self.any.store(true, Ordering::Release);
        }
    }

    /// The scripted error for the next generation of `tool`, if any (used up).
    pub fn take(&self, tool: &str) -> Option<String> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let mut outcomes = self.list.lock();
        let index = outcomes
            .iter()
            .position(|o| o.tool == tool || o.tool == "*")?;
        let message = outcomes[index].error.clone();
        outcomes[index].count = outcomes[index].count.saturating_sub(1);
        if outcomes[index].count == 0 {
            outcomes.remove(index);
        }
        if outcomes.is_empty() {
            self.any.store(false, Ordering::Release);
        }
        Some(message)
    }

    /// Whether any scripted outcome is waiting (asked by the Redis store only).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub fn any(&self) -> bool {
        self.any.load(Ordering::Acquire)
    }

    /// Forgets every scripted outcome.
    pub fn clear(&self) {
        self.list.lock().clear();
        self.any.store(false, Ordering::Release);
    }
}
