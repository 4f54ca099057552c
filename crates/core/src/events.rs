//! What the client tells an observer about each HTTP attempt ([`RequestEvent`]),
//! so a front end can show `--verbose` output without ever seeing the key.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::secs;

/// A callback that sees every attempt the client makes. Set it with
/// [`ClientBuilder::observer`](crate::ClientBuilder::observer).
pub type Observer = Arc<dyn Fn(&RequestEvent) + Send + Sync>;

/// One step of one request, as seen by an [`Observer`]. The API key and
/// request bodies are never part of it. The same facts are also emitted as
/// `tracing` events (target `artificial_studio`, level `debug`).
///
/// `Display` gives one line for a log, such as
/// `← GET /api/account 200 in 120ms`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestEvent {
    /// An attempt is about to be sent.
    Sending {
        /// `GET`, `POST`.
        method: String,
        /// The path and query, such as `/api/generations?limit=20`.
        path: String,
        /// 1 for the first attempt, 2 for the first retry, and so on.
        attempt: u32,
    },
    /// An answer arrived (any status).
    Received {
        /// `GET`, `POST`.
        method: String,
        /// The path and query.
        path: String,
        /// The attempt this answers.
        attempt: u32,
        /// The HTTP status.
        status: u16,
        /// From sending to the answer's headers.
        elapsed: Duration,
        /// The answer's `X-Request-Id`.
        request_id: Option<String>,
    },
    /// The attempt got no answer (connect error, reset, timeout).
    Failed {
        /// `GET`, `POST`.
        method: String,
        /// The path and query.
        path: String,
        /// The attempt that failed.
        attempt: u32,
        /// The cause, in words.
        error: String,
        /// From sending to the failure.
        elapsed: Duration,
    },
    /// The client will sleep, then send the request again.
    Retrying {
        /// `GET`, `POST`.
        method: String,
        /// The path and query.
        path: String,
        /// The number of the attempt that follows the sleep.
        next_attempt: u32,
        /// How long the client sleeps first.
        delay: Duration,
        /// Why, such as `429 Too Many Requests`.
        reason: String,
    },
}

impl fmt::Display for RequestEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestEvent::Sending {
                method,
                path,
                attempt,
            } => write!(f, "→ {method} {path} (attempt {attempt})"),
            RequestEvent::Received {
                method,
                path,
                status,
                elapsed,
                request_id,
                ..
            } => {
                write!(f, "← {method} {path} {status} in {}", secs(*elapsed))?;
                match request_id {
                    Some(id) => write!(f, " (request id {id})"),
                    None => Ok(()),
                }
            }
            RequestEvent::Failed {
                method,
                path,
                error,
                elapsed,
                ..
            } => write!(
                f,
                "✗ {method} {path} failed after {}: {error}",
                secs(*elapsed)
            ),
            RequestEvent::Retrying {
                method,
                path,
                delay,
                next_attempt,
                reason,
            } => write!(
                f,
                "↻ {method} {path}: {reason}; retrying in {} (attempt {next_attempt})",
                secs(*delay)
            ),
        }
    }
}
