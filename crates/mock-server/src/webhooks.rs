//! Webhook delivery: the documented payload and headers, a 5 s answer deadline and
//! the documented retry schedule, all scaled by the server's speed; every attempt is
//! recorded for the admin API.
//!
//! On the in-memory store a webhook's attempts run in one task of this
//! process ([`WebhookSender::deliver`]). On a store that queues deliveries
//! (Redis), the lifecycle's sweeper claims each attempt from the store with
//! a [lease](WebhookSender::lease) and sends it with
//! [`WebhookSender::attempt`]; the schedule is the same.
//!
//! A webhook's host is checked again when it is delivered, by the addresses
//! it resolves to: one that resolves to any address that is not public
//! (loopback, private, unique local, link-local, unspecified, ...) is
//! refused unless `--allow-private-webhooks`. The check is made by the HTTP
//! client's resolver itself, so the connection goes to the very addresses
//! that were checked and a DNS answer that changes in between (a rebind)
//! cannot slip past it.

use std::{
    net::{IpAddr, SocketAddr},
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use artificial_studio_types::{WebhookPayload, rules::webhook::is_public_ip};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
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
/// Attempts of one webhook at most: the first and one per retry.
pub const MAX_ATTEMPTS: u32 = RETRY_SCHEDULE.len() as u32 + 1;
/// What a lease on a queued delivery adds to one attempt's deadline: time to
/// record the attempt and settle the delivery in the store.
pub const LEASE_MARGIN: Duration = Duration::from_secs(1);

/// Why a webhook host was refused at delivery: it resolves to an address
/// that is not public.
#[derive(Debug, thiserror::Error)]
#[error(
    "refused: webhook host {host} resolves to {ip}, which is not a public address \
     (loopback, private, link-local or otherwise internal); \
     the mock delivers there only with --allow-private-webhooks"
)]
pub struct RefusedHost {
    host: String,
    ip: IpAddr,
}

/// The webhook client's resolver: the system's, then the check of every
/// address it gives (see the module docs).
struct CheckedResolver {
    allow_private: bool,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private && let Some(bad) = addrs.iter().find(|a| !is_public_ip(a.ip())) {
                return Err(Box::new(RefusedHost { host, ip: bad.ip() }) as _);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// The refusal of a URL whose host is an IP address (which no resolver sees).
fn refused_literal(url: &str, allow_private: bool) -> Option<RefusedHost> {
    if allow_private {
        return None;
    }
    let parsed = url::Url::parse(url).ok()?;
    let ip = match parsed.host()? {
        url::Host::Ipv4(ip) => IpAddr::V4(ip),
        url::Host::Ipv6(ip) => IpAddr::V6(ip),
        url::Host::Domain(_) => return None,
    };
    (!is_public_ip(ip)).then(|| RefusedHost {
        host: ip.to_string(),
        ip,
    })
}

/// The refusal somewhere in an error's chain, if that is why it failed.
fn refusal_in<'e>(error: &'e (dyn std::error::Error + 'static)) -> Option<&'e RefusedHost> {
    let mut source = Some(error);
    while let Some(inner) = source {
        if let Some(refused) = inner.downcast_ref::<RefusedHost>() {
            return Some(refused);
        }
        source = inner.source();
    }
    None
}

/// Sends webhooks for one server.
pub struct WebhookSender {
    instruments: Arc<Instruments>,
    speed: f64,
    allow_private: bool,
    cancel: CancellationToken,
    // Built on first use: loading TLS roots would slow down every server start.
    client: OnceLock<Result<reqwest::Client, String>>,
}

impl WebhookSender {
    /// A sender recording into `instruments`' deliveries, with delays scaled by `speed`,
    /// delivering to hosts that resolve to private addresses only if `allow_private`, stopping
    /// when `cancel` fires.
    pub fn new(
        instruments: Arc<Instruments>,
        speed: f64,
        allow_private: bool,
        cancel: CancellationToken,
    ) -> Self {
        WebhookSender {
            instruments,
            speed,
            allow_private,
            cancel,
            client: OnceLock::new(),
        }
    }

    fn client(&self) -> Result<reqwest::Client, String> {
        self.client
            .get_or_init(|| {
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    // Straight to the checked address: a proxy would connect elsewhere.
                    .no_proxy()
                    .dns_resolver(Arc::new(CheckedResolver {
                        allow_private: self.allow_private,
                    }))
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

    /// The answer deadline of one attempt at this server's speed.
    pub fn timeout(&self) -> Duration {
        RECEIVER_TIMEOUT
            .mul_f64(self.speed)
            .max(MIN_RECEIVER_TIMEOUT)
    }

    /// How long a replica's claim on a queued delivery lasts: one attempt's
    /// [deadline](WebhookSender::timeout) and [`LEASE_MARGIN`] to record and
    /// settle it, so a healthy replica always settles in time.
    pub fn lease(&self) -> Duration {
        self.timeout() + LEASE_MARGIN
    }

    async fn run(&self, payload: WebhookPayload, url: String) {
        for attempt in 1..=MAX_ATTEMPTS {
            let (record, next) = self.attempt(&payload, &url, attempt).await;
            self.instruments.deliveries.record(record);
            match next {
                Some(wait) => tokio::time::sleep(wait).await,
                None => return,
            }
        }
    }

    /// Sends attempt number `attempt` (1 for the first) of the webhook
    /// `payload` to `url`: its record (for the caller to keep), and the wait
    /// before the next attempt: `None` once delivered, refused, or after the
    /// last attempt of the schedule.
    pub async fn attempt(
        &self,
        payload: &WebhookPayload,
        url: &str,
        attempt: u32,
    ) -> (WebhookDelivery, Option<Duration>) {
        let timeout = self.timeout();
        let client = self.client();
        let time = ids::now();
        let started = Instant::now();
        let mut refused = refused_literal(url, self.allow_private).map(|r| r.to_string());
        let (status, error) = match (&client, &refused) {
            (_, Some(reason)) => (None, Some(reason.clone())),
            (Err(e), None) => (None, Some(format!("cannot build HTTP client: {e}"))),
            (Ok(client), None) => {
                let sent = client
                    .post(url)
                    .header("X-Webhook-Source", "artificial-studio")
                    .header("X-Media-Id", &payload.id)
                    .json(payload)
                    .timeout(timeout)
                    .send()
                    .await;
                match sent {
                    Ok(response) => (Some(response.status().as_u16()), None),
                    Err(e) if e.is_timeout() => (
                        None,
                        Some(format!("no answer within {} ms", timeout.as_millis())),
                    ),
                    Err(e) => {
                        refused = refusal_in(&e).map(|r| r.to_string());
                        (
                            None,
                            Some(refused.clone().unwrap_or_else(|| error_chain(&e))),
                        )
                    }
                }
            }
        };
        if let Some(reason) = &refused {
            tracing::warn!(generation = %payload.id, %url, "webhook not delivered: {reason}");
        }
        let delivered = status == Some(200);
        // A refused host is not tried again: the answer would be the same.
        let next = (!delivered && refused.is_none())
            .then(|| (attempt as usize).checked_sub(1))
            .flatten()
            .and_then(|i| RETRY_SCHEDULE.get(i))
            .map(|d| d.mul_f64(self.speed));
        tracing::debug!(
            generation = %payload.id, attempt, ?status, ?error,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "webhook attempt"
        );
        let record = WebhookDelivery {
            generation_id: payload.id.clone(),
            url: url.to_string(),
            attempt,
            time,
            status,
            error,
            delivered,
            next_retry_ms: next.map(|d| d.as_millis() as u64),
            payload: payload.clone(),
        };
        (record, next)
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use artificial_studio_types::GenerationStatus;

    use super::*;

    /// A receiver on loopback answering `200`, counting what it gets.
    async fn receiver() -> (u16, Arc<AtomicUsize>) {
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = hits.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { "ok" }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (port, hits)
    }

    fn payload() -> WebhookPayload {
        WebhookPayload {
            id: "gen-1".into(),
            status: GenerationStatus::Success,
            tool: Some("create-image".into()),
            type_: None,
            output: Some("https://example.com/out.png".into()),
            thumbnail: None,
            created_at: None,
        }
    }

    /// Delivers once to `url` and waits (by condition) for the attempt's record.
    async fn deliver(url: String, allow_private: bool) -> WebhookDelivery {
        let instruments = Arc::new(Instruments::new(10));
        let sender = Arc::new(WebhookSender::new(
            instruments.clone(),
            0.0,
            allow_private,
            CancellationToken::new(),
        ));
        sender.deliver(payload(), url);
        for _ in 0..500 {
            if let Some(first) = instruments.deliveries.list().into_iter().next() {
                return first;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no delivery recorded within 5 s");
    }

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused_at_delivery_and_recorded() {
        let (port, hits) = receiver().await;
        let record = deliver(format!("http://localhost:{port}/hook"), false).await;
        let reason = record.error.unwrap_or_default();
        assert!(
            reason.contains("refused") && reason.contains("localhost"),
            "{reason}"
        );
        assert!(!record.delivered);
        assert_eq!(record.status, None);
        assert_eq!(record.next_retry_ms, None, "a refused host is not retried");
        assert_eq!(
            hits.load(Ordering::SeqCst),
            0,
            "nothing reached the receiver"
        );
    }

    #[tokio::test]
    async fn a_loopback_address_written_as_such_is_refused_too() {
        let (port, hits) = receiver().await;
        let record = deliver(format!("http://127.0.0.1:{port}/hook"), false).await;
        assert!(record.error.unwrap_or_default().contains("127.0.0.1"));
        assert_eq!(hits.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn with_private_webhooks_allowed_the_same_name_is_delivered() {
        let (port, hits) = receiver().await;
        let record = deliver(format!("http://localhost:{port}/hook"), true).await;
        assert!(record.delivered, "{record:?}");
        assert_eq!(record.status, Some(200));
        assert_eq!(hits.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn public_ip_literals_pass_the_literal_check() {
        assert!(refused_literal("https://93.184.216.34/hook", false).is_none());
        assert!(refused_literal("https://[::1]/hook", false).is_some());
        assert!(refused_literal("https://10.0.0.1/hook", true).is_none());
    }
}
