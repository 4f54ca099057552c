//! Webhook delivery: the documented payload and headers, a 5 s answer deadline and
//! the documented retry schedule, all scaled by the server's speed; every attempt is
//! recorded for the admin API.

use std::{
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use artificial_studio_types::WebhookPayload;
use tokio_util::sync::CancellationToken;

use crate::{deliveries::WebhookDelivery, ids, instruments::Instruments};

/// Waits before each retry, as documented: 5 s, 15 s, 1 min, 5 min, 15 min, 1 h,
/// 6 h, 12 h and 24 h (scaled by the server's speed).
pub const RETRY_SCHEDULE: [Duration; 9] = [
    Duration::from_secs(5),
    Duration::from_secs(15),
    Duration::from_secs(60),
    Duration::from_secs(5 * 60),
    Duration::from_secs(15 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(6 * 60 * 60),
    Duration::from_secs(12 * 60 * 60),
    Duration::from_secs(24 * 60 * 60),
];

/// How long a receiver has to answer, as documented (scaled by speed, never under
/// [`MIN_RECEIVER_TIMEOUT`]).
pub const RECEIVER_TIMEOUT: Duration = Duration::from_secs(5);
/// The shortest answer deadline at any speed, so a fast test still reaches a local receiver.
pub const MIN_RECEIVER_TIMEOUT: Duration = Duration::from_millis(500);

/// Sends webhooks for one server.
pub struct WebhookSender {
    instruments: Arc<Instruments>,
    speed: f64,
    cancel: CancellationToken,
    // Built on first use: loading TLS roots would slow down every server start.
    client: OnceLock<Result<reqwest::Client, String>>,
}

impl WebhookSender {
    /// A sender recording into `instruments`' deliveries, with delays scaled by `speed`, stopping
    /// when `cancel` fires.
    pub fn new(instruments: Arc<Instruments>, speed: f64, cancel: CancellationToken) -> Self {
        WebhookSender {
            instruments,
            speed,
            cancel,
            client: OnceLock::new(),
        }
    }

    fn client(&self) -> Result<reqwest::Client, String> {
        self.client
            .get_or_init(|| {
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .user_agent(concat!("astudio-mock/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(|e| e.to_string())
            })
            .clone()
    }

    /// Starts delivering the success webhook of `generation` to `url` in the background.
    pub fn deliver(self: &Arc<Self>, payload: WebhookPayload, url: String) {
        let sender = self.clone();
        tokio::spawn(async move {
            let cancel = sender.cancel.clone();
            tokio::select! {
                () = sender.run(payload, url) => {}
                () = cancel.cancelled() => {}
            }
        });
    }

    async fn run(&self, payload: WebhookPayload, url: String) {
        let timeout = RECEIVER_TIMEOUT
            .mul_f64(self.speed)
            .max(MIN_RECEIVER_TIMEOUT);
        let client = self.client();
        for attempt in 1..=(RETRY_SCHEDULE.len() as u32 + 1) {
            let time = ids::now();
            let started = Instant::now();
            let (status, error) = match &client {
                Err(e) => (None, Some(format!("cannot build HTTP client: {e}"))),
                Ok(client) => {
                    let sent = client
                        .post(&url)
                        .header("X-Webhook-Source", "artificial-studio")
                        .header("X-Media-Id", &payload.id)
                        .json(&payload)
                        .timeout(timeout)
                        .send()
                        .await;
                    match sent {
                        Ok(response) => (Some(response.status().as_u16()), None),
                        Err(e) if e.is_timeout() => (
                            None,
                            Some(format!("no answer within {} ms", timeout.as_millis())),
                        ),
                        Err(e) => (None, Some(error_chain(&e))),
                    }
                }
            };
            let delivered = status == Some(200);
            let next = (!delivered)
                .then(|| RETRY_SCHEDULE.get(attempt as usize - 1))
                .flatten()
                .map(|d| d.mul_f64(self.speed));
            tracing::debug!(
                generation = %payload.id, attempt, ?status, ?error,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "webhook attempt"
            );
            self.instruments.deliveries.record(WebhookDelivery {
                generation_id: payload.id.clone(),
                url: url.clone(),
                attempt,
                time,
                status,
                error,
                delivered,
                next_retry_ms: next.map(|d| d.as_millis() as u64),
                payload: payload.clone(),
            });
            match next {
                Some(wait) => tokio::time::sleep(wait).await,
                None => return,
            }
        }
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}
