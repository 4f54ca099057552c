//! [`MockServerBuilder`]: the options of a server to start, the same as
//! the `astudio-mock` flags (its `start` is in `server.rs`, which makes the
//! [`MockServer`](crate::MockServer) handle).

use std::{net::IpAddr, path::PathBuf, sync::Arc, time::Duration};

use crate::{
    config::{AccountConfig, MockConfig, RateLimits},
    store::{SharedStore, Store},
};

/// Builds a [`MockServer`](crate::MockServer) with the same options as the `astudio-mock` flags.
///
/// ```no_run
/// # async fn demo() -> Result<(), artificial_studio_mock::Error> {
/// use artificial_studio_mock::{MockServer, RateLimits};
///
/// let server = MockServer::builder()
///     .speed(0.0) // generations end before POST /api/run answers
///     .rate_limits(RateLimits::Off)
///     .start()
///     .await?;
/// println!("{}", server.base_url());
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until .start().await"]
pub struct MockServerBuilder {
    pub(crate) config: MockConfig,
    pub(crate) store: Option<Arc<dyn Store>>,
}

impl std::fmt::Debug for MockServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServerBuilder")
            .field("config", &self.config)
            .field("custom_store", &self.store.is_some())
            .finish()
    }
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder::new()
    }
}

impl MockServerBuilder {
    /// The binary's defaults, but on a free loopback port.
    pub fn new() -> Self {
        MockServerBuilder {
            config: MockConfig {
                port: 0,
                ..MockConfig::default()
            },
            store: None,
        }
    }

    /// Starts from a whole configuration (as the binary does with its flags).
    pub fn from_config(config: MockConfig) -> Self {
        MockServerBuilder {
            config,
            store: None,
        }
    }

    /// The configuration so far.
    pub fn config(&self) -> &MockConfig {
        &self.config
    }

    /// Address to listen on (default `127.0.0.1`).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.config.host = host;
        self
    }

    /// Port to listen on (default 0: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.config.port = port;
        self
    }

    /// Time scale: every delay is multiplied by it; 0 ends generations at once.
    pub fn speed(mut self, speed: f64) -> Self {
        self.config.speed = if speed.is_finite() {
            speed.max(0.0)
        } else {
            1.0
        };
        self
    }

    /// Milliseconds (at speed 1) spent in `pending`, `processing` and `uploading`.
    pub fn stage_ms(mut self, pending: u64, processing: u64, uploading: u64) -> Self {
        self.config.pending_ms = pending;
        self.config.processing_ms = processing;
        self.config.uploading_ms = uploading;
        self
    }

    /// The accounts to start with, replacing the demo keys and any accounts file.
    pub fn accounts(mut self, accounts: Vec<AccountConfig>) -> Self {
        self.config.accounts = Some(accounts);
        self
    }

    /// Adds one account to start with (the demo keys are dropped unless added too).
    pub fn account(mut self, account: AccountConfig) -> Self {
        self.config
            .accounts
            .get_or_insert_with(Vec::new)
            .push(account);
        self
    }

    /// An accounts file (TOML), as `--config`.
    pub fn accounts_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.config = Some(path.into());
        self
    }

    /// A catalog file (YAML), as `--catalog`.
    pub fn catalog_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.catalog = Some(path.into());
        self
    }

    /// Rate limits, as `--rate-limit`.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.config.rate_limit = limits;
        self
    }

    /// Token the admin API requires in `X-Admin-Token`.
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.config.admin_token = Some(token.into());
        self
    }

    /// Accept `http://` webhooks on private or loopback hosts.
    pub fn allow_private_webhooks(mut self, allow: bool) -> Self {
        self.config.allow_private_webhooks = allow;
        self
    }

    /// Most generations kept before the oldest finished ones are evicted.
    pub fn max_generations(mut self, max: usize) -> Self {
        self.config.max_generations = max;
        self
    }

    /// Most requests kept in the journal.
    pub fn journal_capacity(mut self, capacity: usize) -> Self {
        self.config.journal_capacity = capacity;
        self
    }

    /// Largest JSON body in bytes.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.config.max_body_bytes = bytes;
        self
    }

    /// Largest upload in bytes.
    pub fn max_upload_bytes(mut self, bytes: usize) -> Self {
        self.config.max_upload_bytes = bytes;
        self
    }

    /// How long a client may take to send headers or body, in milliseconds.
    pub fn body_timeout_ms(mut self, ms: u64) -> Self {
        self.config.body_timeout_ms = ms;
        self
    }

    /// The base of the URLs handed out (default: the listening address).
    pub fn public_url(mut self, url: impl Into<String>) -> Self {
        self.config.public_url = Some(url.into());
        self
    }

    /// Drift mode on every API answer, as `--drift` (see [`crate::drift`]):
    /// optional fields left out, an unknown field added, unknown enum values.
    pub fn drift(mut self, on: bool) -> Self {
        self.config.drift = on;
        self
    }

    /// How long a session may stay idle before it is dropped, as
    /// `--session-ttl` (default one day; the default session never expires).
    pub fn session_ttl(mut self, ttl: Duration) -> Self {
        self.config.session_ttl = ttl;
        self
    }

    /// Most sessions alive at once, as `--max-sessions` (default 256).
    pub fn max_sessions(mut self, max: usize) -> Self {
        self.config.max_sessions = max;
        self
    }

    /// Keeps the state in `path`, as `--state`: loaded at start when the file
    /// exists, written every [`state_interval`](Self::state_interval) while
    /// something changed and when the server stops (by
    /// [`MockServer::shutdown`](crate::MockServer::shutdown) or by a drop), always whole. For the built-in
    /// memory store only: with [`store`](Self::store) too, `start` fails.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), artificial_studio_mock::Error> {
    /// use artificial_studio_mock::MockServer;
    ///
    /// let server = MockServer::builder().state_file("sandbox.json").start().await?;
    /// // ... generations made now are there after the next start too.
    /// server.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.state = Some(path.into());
        self
    }

    /// How often the state file is written while something changed (default 2 s).
    pub fn state_interval(mut self, interval: Duration) -> Self {
        self.config.state_interval = interval;
        self
    }

    /// Keeps the state in this store instead of a new in-memory one (for a
    /// shared store behind several replicas). The store then owns accounts,
    /// rate limits and the generation cap: the matching
    /// options of this builder are not used. It is the default session's
    /// store; named sessions still get in-memory stores of the configured
    /// accounts.
    pub fn store(mut self, store: SharedStore) -> Self {
        self.store = Some(store.into_inner());
        self
    }
}
