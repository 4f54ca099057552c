//! Starting and stopping a server: [`MockServerBuilder::start`], and the
//! [`MockServer`] handle with its sessions (whose control methods are in
//! `control.rs`) and graceful shutdown.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
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
    builder::MockServerBuilder,
    catalog::Catalog,
    config::{AccountConfig, DEMO_EMPTY_KEY, DEMO_FREE_KEY, DEMO_PRO_KEY},
    control::MockSession,
    error::Error,
    http,
    instruments::Instruments,
    lifecycle::Schedule,
    sessions::{Limits, MemoryStores, Refused, SessionStores, Sessions, StoreFactory, TooMany},
    state_file::{self, SessionStates, StateWriter},
    store::{MemoryStore, MemoryStoreOptions, Resumable, SharedStore, Store},
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

impl MockServerBuilder {
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
        let mut saved_sessions = Vec::new();
        let mut state: Option<Arc<StateWriter>> = None;
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
                let store = SharedStore::of_url(&config.store, accounts.clone(), options.clone())?;
                (store.into_inner(), client_key(&accounts))
            }
            None => {
                let snapshot = match &config.state {
                    Some(path) => state_file::load(path)?,
                    None => None,
                };
                let store = match (snapshot, &config.state) {
                    (Some(mut snapshot), Some(path)) => {
                        snapshot.rebase(&public_url);
                        saved_sessions = std::mem::take(&mut snapshot.sessions);
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
        let memory = MemoryStores { accounts, options };
        let states = state.as_ref().map(|_| SessionStates::new(memory.clone()));
        let factory: Box<dyn StoreFactory> = match &states {
            Some(states) => Box::new(states.clone()),
            None => Box::new(SessionStores {
                default: app.store.clone(),
                memory,
            }),
        };
        let sessions = Arc::new(Sessions::new(
            app.clone(),
            factory,
            parts,
            Limits {
                ttl: config.session_ttl,
                max: config.max_sessions,
            },
            cancel.clone(),
        ));
        if let (Some(writer), Some(states)) = (&state, states) {
            writer.keep_sessions(&sessions, states, saved_sessions)?;
        }
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
    /// A new session is admitted as a request's would be: on a shared store,
    /// across the replicas (an error when `--max-sessions` are alive, or
    /// when the store is out of reach).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), artificial_studio_mock::Error> {
    /// let server = artificial_studio_mock::MockServer::start().await?;
    /// let job = server.session("ci-4711").await?;
    /// assert!(job.base_url().ends_with("/s/ci-4711"));
    /// job.set_credits(server.demo_keys().free, 0).await?;
    /// assert_eq!(server.credits(server.demo_keys().free).await?, 100);
    /// # Ok(()) }
    /// ```
    pub async fn session(&self, name: &str) -> Result<MockSession, Error> {
        if !is_valid_name(name) {
            return Err(Error::InvalidRequest(INVALID_SESSION_NAME.to_string()));
        }
        let too_many = |too_many: TooMany| Error::InvalidRequest(too_many.message());
        let (app, admit) = self.sessions.get(name).map_err(too_many)?;
        if admit {
            self.sessions
                .admit(name)
                .await
                .map_err(|refused| match refused {
                    Refused::TooMany(limit) => too_many(limit),
                    Refused::Unavailable => Error::StoreUnavailable,
                })?;
        }
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
