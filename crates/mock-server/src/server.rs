//! Starting and stopping a server: [`MockServerBuilder`], and the
//! [`MockServer`] handle with its sessions (whose control methods are in
//! `control.rs`) and graceful shutdown.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    path::PathBuf,
    sync::Arc,
    time::Duration,
};

use artificial_studio_types::rules::session::{
    INVALID_SESSION_NAME, SESSION_PATH_PREFIX, is_valid_name,
};
use tokio::{net::TcpListener, task::JoinHandle};
use tokio_util::sync::CancellationToken;

use crate::{
    accept,
    app::{AdminAccess, App, Parts, lifecycle},
    catalog::Catalog,
    config::{AccountConfig, DEMO_EMPTY_KEY, DEMO_FREE_KEY, DEMO_PRO_KEY, MockConfig, RateLimits},
    control::MockSession,
    error::Error,
    http,
    instruments::Instruments,
    lifecycle::Schedule,
    sessions::{Limits, MemoryStores, SessionStores, Sessions},
    state_file::{self, StateWriter},
    store::{
        DEFAULT_NAMESPACE, MemoryStore, MemoryStoreOptions, RedisStore, RedisStoreOptions,
        Resumable, SharedStore, Store,
    },
};

/// The built-in demo keys (present unless accounts were configured).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoKeys {
    /// Free plan, 100 credits: [`DEMO_FREE_KEY`].
    pub free: &'static str,
    /// Pro plan, 100 000 credits: [`DEMO_PRO_KEY`].
    pub pro: &'static str,
    /// Free plan, no credits: [`DEMO_EMPTY_KEY`].
    pub empty: &'static str,
}

/// The demo keys.
pub const DEMO_KEYS: DemoKeys = DemoKeys {
    free: DEMO_FREE_KEY,
    pro: DEMO_PRO_KEY,
    empty: DEMO_EMPTY_KEY,
};

/// Builds a [`MockServer`] with the same options as the `astudio-mock` flags.
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
    config: MockConfig,
    store: Option<Arc<dyn Store>>,
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
    /// [`MockServer::shutdown`] or by a drop), always whole. For the built-in
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

    /// Binds the port and starts serving in the background of the current
    /// Tokio runtime. Takes a few milliseconds.
    pub async fn start(self) -> Result<MockServer, Error> {
        let config = self.config;
        let catalog = match &config.catalog {
            None => Catalog::builtin()?,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
                Arc::new(Catalog::from_yaml(&text)?)
            }
        };
        let addr = SocketAddr::new(config.host, config.port);
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| Error::Bind { addr, source })?;
        let base_url = base_url(local);
        let public_url = match &config.public_url {
            Some(url) => {
                url::Url::parse(url)
                    .map_err(|e| Error::InvalidConfig(format!("public URL {url:?}: {e}")))?;
                url.trim_end_matches('/').to_string()
            }
            None => base_url.clone(),
        };
        let admin = match (&config.admin_token, config.host.is_loopback()) {
            (Some(token), _) => AdminAccess::Token(token.clone()),
            (None, true) => AdminAccess::Open,
            (None, false) => AdminAccess::Disabled,
        };

        let accounts = config.initial_accounts()?;
        let options = MemoryStoreOptions {
            rate_limits: config.rate_limit,
            max_generations: config.max_generations.max(1),
        };
        let mut resumable: Vec<Resumable> = Vec::new();
        let mut state = None;
        let (store, client_key): (Arc<dyn Store>, String) = match self.store {
            Some(_) if config.state.is_some() => {
                return Err(Error::InvalidConfig(
                    "a state file is for the built-in memory store, not a store of your own"
                        .to_string(),
                ));
            }
            Some(store) => (store, DEMO_PRO_KEY.to_string()),
            None if config.store != "memory" => {
                if config.state.is_some() {
                    return Err(Error::InvalidConfig(
                        "a state file is for the memory store; a Redis store keeps its state \
                             in Redis (see its persistence settings)"
                            .to_string(),
                    ));
                }
                let store = RedisStore::new(
                    &config.store,
                    DEFAULT_NAMESPACE,
                    accounts.clone(),
                    RedisStoreOptions {
                        rate_limits: config.rate_limit,
                        max_generations: config.max_generations.max(1),
                    },
                )?;
                (Arc::new(store), client_key(&accounts))
            }
            None => {
                let snapshot = match &config.state {
                    Some(path) => state_file::load(path)?,
                    None => None,
                };
                let store = match (snapshot, &config.state) {
                    (Some(mut snapshot), Some(path)) => {
                        snapshot.rebase(&public_url);
                        let (store, running) =
                            MemoryStore::restored(accounts.clone(), options.clone(), snapshot)
                                .map_err(|message| Error::State {
                                    path: path.clone(),
                                    message,
                                })?;
                        resumable = running;
                        store
                    }
                    (None, Some(_)) => {
                        MemoryStore::new(accounts.clone(), options.clone()).with_snapshots()
                    }
                    _ => MemoryStore::new(accounts.clone(), options.clone()),
                };
                let store = Arc::new(store);
                state = config.state.clone().map(|path| {
                    Arc::new(StateWriter::new(store.clone(), path, public_url.clone()))
                });
                (store, client_key(&accounts))
            }
        };
        let instruments = Arc::new(Instruments::of(&*store, config.journal_capacity));
        let cancel = CancellationToken::new();
        let schedule = Schedule::from_config(&config);
        let parts = Parts {
            journal_capacity: config.journal_capacity,
            schedule,
            speed: config.speed,
            allow_private_webhooks: config.allow_private_webhooks,
        };
        let lifecycle = lifecycle(
            store.clone(),
            instruments.clone(),
            public_url.clone(),
            &parts,
            cancel.clone(),
        );
        let app = Arc::new(App {
            store,
            instruments,
            catalog,
            lifecycle,
            public_url,
            allow_private_webhooks: config.allow_private_webhooks,
            max_body_bytes: config.max_body_bytes,
            max_upload_bytes: config.max_upload_bytes,
            body_timeout: Duration::from_millis(config.body_timeout_ms.max(1)),
            admin,
            rate_limits: config.rate_limit,
            drift: config.drift,
            run_poll_after: http::poll::value(schedule.first_change()),
        });
        let sessions = Arc::new(Sessions::new(
            app.clone(),
            Box::new(SessionStores {
                default: app.store.clone(),
                memory: MemoryStores { accounts, options },
            }),
            parts,
            Limits {
                ttl: config.session_ttl,
                max: config.max_sessions,
            },
            cancel.clone(),
        ));
        sessions.spawn_sweeper();
        if config.drift {
            // Reads the spec now rather than on the first answer.
            crate::drift::Drift::builtin();
        }
        app.lifecycle.spawn_sweeper();
        app.lifecycle.resume(resumable);
        if let Some(writer) = &state {
            tokio::spawn(writer.clone().run(config.state_interval, cancel.clone()));
        }
        let router = http::service(app.clone(), sessions.clone());
        let task = tokio::spawn(accept::serve(
            listener,
            router,
            cancel.clone(),
            app.body_timeout,
        ));
        Ok(MockServer {
            addr: local,
            default: MockSession::new(None, base_url.clone(), client_key, app),
            base_url,
            sessions,
            cancel,
            task: Some(task),
            state,
        })
    }
}

/// The key [`MockServer::client`] uses among the accounts a server starts
/// with: the demo pro key when it is there (the most credits and the highest
/// rate limits), else the first account's, else the demo pro key anyway.
fn client_key(accounts: &[AccountConfig]) -> String {
    accounts
        .iter()
        .find(|a| a.key == DEMO_PRO_KEY)
        .or_else(|| accounts.first())
        .map_or_else(|| DEMO_PRO_KEY.to_string(), |a| a.key.clone())
}

fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{}", addr.port()),
        IpAddr::V6(v6) => format!("http://[{v6}]:{}", addr.port()),
    }
}

/// A running mock server. Dropping it shuts the server down; see
/// [`MockServer::shutdown`] to wait for requests in flight.
///
/// It derefs to its default session's [`MockSession`], whose control methods
/// (accounts, credits, faults, scripted outcomes, journal, webhooks, reset,
/// a client) are so the server's own; [`MockServer::session`] gives another
/// session's.
///
/// ```no_run
/// # async fn demo() -> Result<(), artificial_studio_mock::Error> {
/// let server = artificial_studio_mock::MockServer::start().await?;
/// let url = format!("{}/api/account", server.base_url());
/// let key = server.demo_keys().free;
/// server.set_credits(key, 0).await?;
/// # Ok(()) }
/// ```
pub struct MockServer {
    addr: SocketAddr,
    base_url: String,
    /// The default session's controls.
    default: MockSession,
    sessions: Arc<Sessions>,
    cancel: CancellationToken,
    task: Option<JoinHandle<()>>,
    /// The state file's writer, with `--state`.
    state: Option<Arc<StateWriter>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server with the defaults on a free loopback port.
    pub async fn start() -> Result<MockServer, Error> {
        MockServerBuilder::new().start().await
    }

    /// A builder with the same options as the binary.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::new()
    }

    /// The base URL, such as `http://127.0.0.1:43123` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The built-in demo keys (they exist unless accounts were configured).
    pub fn demo_keys(&self) -> DemoKeys {
        DEMO_KEYS
    }

    /// A handle on session `name` (made now if it is new): the same control
    /// methods as this server's, on that session's accounts, journal, faults,
    /// scripted outcomes and webhooks, and its own base URL
    /// (`http://127.0.0.1:PORT/s/NAME`). The handle keeps the session's
    /// state as it is now: once the session expires or is dropped, take a
    /// new one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), artificial_studio_mock::Error> {
    /// let server = artificial_studio_mock::MockServer::start().await?;
    /// let job = server.session("ci-4711")?;
    /// assert!(job.base_url().ends_with("/s/ci-4711"));
    /// job.set_credits(server.demo_keys().free, 0).await?;
    /// assert_eq!(server.credits(server.demo_keys().free).await?, 100);
    /// # Ok(()) }
    /// ```
    pub fn session(&self, name: &str) -> Result<MockSession, Error> {
        if !is_valid_name(name) {
            return Err(Error::InvalidRequest(INVALID_SESSION_NAME.to_string()));
        }
        let app = self
            .sessions
            .get(name)
            .map_err(|too_many| Error::InvalidRequest(too_many.message()))?;
        Ok(MockSession::new(
            Some(name),
            format!("{}{SESSION_PATH_PREFIX}{name}", self.base_url),
            self.default.client_key(),
            app,
        ))
    }

    /// Stops accepting connections, lets requests in flight finish (up to 10 s)
    /// and returns when the server has stopped, its state file (if any)
    /// written.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(writer) = self.state.take() {
            let _ = tokio::task::spawn_blocking(move || writer.close()).await;
        }
    }
}

impl std::ops::Deref for MockServer {
    type Target = MockSession;

    fn deref(&self) -> &MockSession {
        &self.default
    }
}

impl Drop for MockServer {
    /// Stops the server; with a state file, writes it one last time (here,
    /// blocking: a drop cannot wait).
    fn drop(&mut self) {
        self.cancel.cancel();
        if let Some(writer) = self.state.take() {
            writer.close();
        }
    }
}
