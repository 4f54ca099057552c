//! The record of webhook delivery attempts, which the admin API shows.

use artificial_studio_types::WebhookPayload;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
