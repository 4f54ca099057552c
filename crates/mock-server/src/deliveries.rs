//! The record of webhook delivery attempts, which the admin API shows.

use std::{collections::VecDeque, sync::Arc};

use artificial_studio_types::WebhookPayload;
use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::instruments::SharedInstruments;

/// Most webhook delivery attempts kept for the admin API.
pub const MAX_DELIVERIES: usize = 10_000;

/// One attempt to deliver a webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    /// The generation the webhook is about.
    pub generation_id: String,
    /// Where it was sent.
    pub url: String,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// When the attempt started.
    pub time: DateTime<Utc>,
    /// The receiver's status, if it answered in time.
    pub status: Option<u16>,
    /// Why the attempt failed without a status (timeout, connection refused, ...).
    pub error: Option<String>,
    /// Whether the receiver answered 200, ending the deliveries.
    pub delivered: bool,
    /// Wait before the next attempt, in milliseconds (scaled); absent when none follows.
    pub next_retry_ms: Option<u64>,
    /// The body that was sent.
    pub payload: WebhookPayload,
}

/// The last [`MAX_DELIVERIES`] delivery attempts, oldest first: in this
/// process, or recorded on the shared store of the session's instruments.
#[derive(Default)]
pub struct Deliveries {
    kept: Mutex<VecDeque<WebhookDelivery>>,
    shared: Option<Arc<dyn SharedInstruments>>,
}

impl std::fmt::Debug for Deliveries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deliveries")
            .field("shared", &self.shared.is_some())
            .finish_non_exhaustive()
    }
}

impl Deliveries {
    /// Deliveries kept here (`shared` absent) or on a shared store.
    pub fn new(shared: Option<Arc<dyn SharedInstruments>>) -> Self {
        Deliveries {
            kept: Mutex::default(),
            shared,
        }
    }

    /// Records one attempt, dropping the oldest past the bound. On a shared
    /// store the write is sent from a task of its own (a failure is logged
    /// by the store), so the sender never waits on it.
    pub fn record(&self, delivery: WebhookDelivery) {
        if let Some(shared) = &self.shared {
            let shared = shared.clone();
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    runtime.spawn(async move {
                        let _ = shared.record_delivery(delivery).await;
                    });
                }
                Err(_) => tracing::warn!("a webhook delivery outside a runtime was not recorded"),
            }
            return;
        }
        let mut deliveries = self.kept.lock();
        if deliveries.len() >= MAX_DELIVERIES {
            deliveries.pop_front();
        }
        deliveries.push_back(delivery);
    }

    /// Every attempt kept in this process, oldest first (see
    /// `Instruments::delivery_list` for those of a shared store).
    pub fn list(&self) -> Vec<WebhookDelivery> {
        self.kept.lock().iter().cloned().collect()
    }

    /// Forgets every attempt kept in this process.
    pub fn clear(&self) {
        self.kept.lock().clear();
    }
}
