//! Sessions: named, isolated copies of the sandbox on one server. A request
//! names one with `X-Mock-Session: NAME` or the path prefix `/s/NAME/`; its
//! state ([`App`]: a store with the configured accounts at their starting
//! balances, and instruments of its own) is made on first use by a
//! [`StoreFactory`], and dropped once idle for longer than the TTL. Requests
//! without a name live in the default session, which never expires.
//!
//! On a store shared by replicas (Redis), the sessions of every replica are
//! kept in a registry there ([`SessionRegistry`]):
//! - a session new to a replica is admitted there first, in one script that
//!   counts the sessions of every replica, so `--max-sessions` holds across
//!   them (the request waits for that one round trip; the state of a
//!   session idle for longer than the TTL is dropped then, so it starts
//!   afresh);
//! - afterwards each replica marks it used at most every
//!   [`Sessions::touch_every`] (a quarter of the TTL, at most a second) from
//!   a task of its own, so a request never waits on it;
//! - the list shows every replica's sessions, and each replica's sweeper
//!   drops the namespaces of the sessions idle on all of them for longer
//!   than the TTL (one script: their keys and registry entries). A sweeper
//!   rather than an `EXPIRE` on each key: a session's keys are many (one per
//!   generation and upload) and would each need refreshing on every use;
//! - the sessions' timed generations end, and their webhooks go out, from
//!   one sweeper per replica that serves every session with something due
//!   ([`SessionRegistry::claim_session_deliveries`]), whether or not any
//!   replica has it open; their own lifecycles run no sweeper.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use artificial_studio_types::rules::session::SESSION_PATH_PREFIX;
use chrono::{DateTime, Utc};
use foldhash::HashMap;
use futures::future::BoxFuture;
use parking_lot::Mutex;
use tokio_util::sync::CancellationToken;

use crate::{
    app::{App, Parts},
    config::AccountConfig,
    instruments::Instruments,
    store::{
        ClaimedDelivery, MemoryStore, MemoryStoreOptions, SessionInfo, SessionRegistry, Store,
        StoreResult,
    },
};

/// Makes the API state of a new session. A store over the network gives each
/// session its own key space from its name; the in-memory one a new store.
pub trait StoreFactory: Send + Sync + 'static {
    /// A store in its starting state for the session `name`.
    fn store(&self, name: &str) -> Arc<dyn Store>;
}

/// New in-memory stores, each with the configured accounts.
#[derive(Clone)]
pub struct MemoryStores {
    /// The accounts every session starts with.
    pub accounts: Vec<AccountConfig>,
    /// The limits of each session's store.
    pub options: MemoryStoreOptions,
}

impl StoreFactory for MemoryStores {
    fn store(&self, _name: &str) -> Arc<dyn Store> {
        Arc::new(MemoryStore::new(
            self.accounts.clone(),
            self.options.clone(),
        ))
    }
}

/// The stores of a server's sessions: each from the default session's store
/// when that store can make one for a session (a Redis store: the same server,
/// a namespace of the session's own, so that replicas on one Redis share each
/// session too), else a new in-memory store.
pub struct SessionStores {
    /// The default session's store.
    pub default: Arc<dyn Store>,
    /// Where sessions live when `default` cannot hold them.
    pub memory: MemoryStores,
}

impl StoreFactory for SessionStores {
    fn store(&self, name: &str) -> Arc<dyn Store> {
        self.default
            .session_store(name)
            .unwrap_or_else(|| self.memory.store(name))
    }
}

/// How long sessions live and how many may.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Idle time after which a session is dropped.
    pub ttl: Duration,
    /// Most sessions alive at once.
    pub max: usize,
}

/// A session could not be started: as many are alive as the limit allows.
#[derive(Debug, Clone, Copy)]
pub struct TooMany(pub usize);

/// Why [`Sessions::admit`] refused a session.
#[derive(Debug, Clone, Copy)]
pub enum Refused {
    /// As many sessions are alive, across the replicas, as the limit allows.
    TooMany(TooMany),
    /// The shared store is out of reach (logged by the store).
    Unavailable,
}

/// How often each replica's sweeper of the sessions serves those with
/// something due, on a shared store.
const SESSIONS_SWEEP_EVERY: Duration = Duration::from_millis(20);
/// Most webhook deliveries of sessions one sweep claims.
const SESSION_DELIVERY_BATCH: u32 = 100;

impl TooMany {
    /// The `503`'s message.
    pub fn message(self) -> String {
        format!(
            "Too many mock sessions (limit {}): drop one with DELETE /__mock/sessions/NAME \
             or wait for an idle one to expire",
            self.0
        )
    }
}

struct Live {
    app: Arc<App>,
    created_at: DateTime<Utc>,
    last_used: Instant,
    /// When this replica last marked it used in the registry.
    touched: Instant,
    /// Whether the registry has admitted it (always, without a registry).
    admitted: bool,
    /// Stops the session's generations and webhooks.
    cancel: CancellationToken,
}

impl Live {
    fn idle_longer_than(&self, ttl: Duration, now: Instant) -> bool {
        now.saturating_duration_since(self.last_used) > ttl
    }
}

/// The named sessions of one server.
pub struct Sessions {
    /// The default session: the template of every other.
    default: Arc<App>,
    factory: Box<dyn StoreFactory>,
    parts: Parts,
    limits: Limits,
    /// The server's: a session's own token is a child of it.
    cancel: CancellationToken,
    live: Mutex<HashMap<Arc<str>, Live>>,
    /// Every replica's sessions, on a shared store.
    registry: Option<Arc<dyn SessionRegistry>>,
}

impl Sessions {
    /// No named session yet; new ones copy `default`'s settings, with stores
    /// from `factory`.
    pub fn new(
        default: Arc<App>,
        factory: Box<dyn StoreFactory>,
        parts: Parts,
        limits: Limits,
        cancel: CancellationToken,
    ) -> Self {
        let registry = default.store.session_registry();
        Sessions {
            default,
            factory,
            parts,
            limits,
            cancel,
            live: Mutex::new(HashMap::default()),
            registry,
        }
    }

    /// How often a replica marks a session it serves used in the registry:
    /// a quarter of the TTL, at most a second.
    fn touch_every(&self) -> Duration {
        (self.limits.ttl / 4).min(Duration::from_secs(1))
    }

    /// Marks `name` used in the registry, from a task of its own (a failure
    /// is logged by the store; the next use tries again). A session dropped
    /// through another replica meanwhile is admitted again as a new one:
    /// if the limit refuses it, this replica forgets it, so that its next
    /// request waits for admission.
    fn touch(self: &Arc<Self>, name: &str) {
        let (Some(registry), Ok(runtime)) =
            (self.registry.clone(), tokio::runtime::Handle::try_current())
        else {
            return;
        };
        let sessions = Arc::downgrade(self);
        let name = name.to_string();
        let Limits { ttl, max } = self.limits;
        runtime.spawn(async move {
            if registry.admit_session(&name, ttl, Some(max)).await == Ok(false)
                && let Some(sessions) = sessions.upgrade()
                && let Some(refused) = sessions.live.lock().remove(name.as_str())
            {
                refused.cancel.cancel();
            }
        });
    }

    /// The state of session `name` (a valid name), made now if it is new or
    /// has expired; marks it used. With `true` beside it, the session is
    /// new to this replica of a shared store and must be
    /// [admitted](Sessions::admit) before it is used.
    pub fn get(self: &Arc<Self>, name: &str) -> Result<(Arc<App>, bool), TooMany> {
        let now = Instant::now();
        let mut live = self.live.lock();
        if let Some(session) = live.get_mut(name) {
            if !session.idle_longer_than(self.limits.ttl, now) {
                session.last_used = now;
                if !session.admitted {
                    return Ok((session.app.clone(), true));
                }
                if self.registry.is_some()
                    && now.saturating_duration_since(session.touched) >= self.touch_every()
                {
                    session.touched = now;
                    self.touch(name);
                }
                return Ok((session.app.clone(), false));
            }
            if let Some(expired) = live.remove(name) {
                expired.cancel.cancel();
            }
        }
        // On a shared store the registry counts the sessions of every
        // replica (see `admit`); this replica may still hold one dropped
        // through another.
        if self.registry.is_none() && live.len() >= self.limits.max {
            self.drop_expired(&mut live, now);
            if live.len() >= self.limits.max {
                return Err(TooMany(self.limits.max));
            }
        }
        let mut session = self.start(name, self.factory.store(name), Utc::now(), now);
        session.admitted = self.registry.is_none();
        let app = session.app.clone();
        live.insert(Arc::from(name), session);
        Ok((app, self.registry.is_some()))
    }

    /// Admits session `name`, which [`Sessions::get`] made on this replica,
    /// in the registry of a shared store: at once if another replica has it,
    /// else only while fewer sessions than the limit are alive across the
    /// replicas. A session refused is dropped from this replica again.
    pub async fn admit(&self, name: &str) -> Result<(), Refused> {
        let Some(registry) = &self.registry else {
            return Ok(());
        };
        let answer = registry
            .admit_session(name, self.limits.ttl, Some(self.limits.max))
            .await;
        let mut live = self.live.lock();
        if answer == Ok(true) {
            if let Some(session) = live.get_mut(name) {
                session.admitted = true;
                session.touched = Instant::now();
            }
            return Ok(());
        }
        if live.get(name).is_some_and(|s| !s.admitted)
            && let Some(refused) = live.remove(name)
        {
            refused.cancel.cancel();
        }
        match answer {
            Ok(_) => Err(Refused::TooMany(TooMany(self.limits.max))),
            Err(_) => Err(Refused::Unavailable),
        }
    }

    fn start(
        &self,
        name: &str,
        store: Arc<dyn Store>,
        created_at: DateTime<Utc>,
        last_used: Instant,
    ) -> Live {
        let cancel = self.cancel.child_token();
        let public_url = [&self.default.public_url, SESSION_PATH_PREFIX, name].concat();
        // On a shared store the sessions' sweeper serves every session.
        let sweeper = self.registry.is_none();
        let app =
            Arc::new(
                self.default
                    .session(store, public_url, &self.parts, cancel.clone(), sweeper),
            );
        Live {
            app,
            created_at,
            last_used,
            touched: last_used,
            admitted: true,
            cancel,
        }
    }

    /// Puts session `name` back with `store`, as a state file kept it: made
    /// at `created_at` and idle for `idle`, so that its TTL runs on. `None`
    /// (and nothing put back) when it has expired, or as many sessions are
    /// alive as the limit allows.
    pub fn restore(
        &self,
        name: &str,
        store: Arc<dyn Store>,
        created_at: DateTime<Utc>,
        idle: Duration,
    ) -> Option<Arc<App>> {
        let mut live = self.live.lock();
        if idle > self.limits.ttl || live.len() >= self.limits.max || live.contains_key(name) {
            return None;
        }
        let now = Instant::now();
        let session = self.start(
            name,
            store,
            created_at,
            now.checked_sub(idle).unwrap_or(now),
        );
        let app = session.app.clone();
        live.insert(Arc::from(name), session);
        Some(app)
    }

    /// The sessions alive, in no order: name, when made, when last used.
    pub fn alive(&self) -> Vec<(Arc<str>, DateTime<Utc>, Instant)> {
        self.live
            .lock()
            .iter()
            .map(|(name, s)| (name.clone(), s.created_at, s.last_used))
            .collect()
    }

    /// Drops session `name` and stops its generations and webhooks (on a
    /// shared store, drops what it holds there too); whether it was alive
    /// (here, or in the registry).
    pub async fn remove(&self, name: &str) -> StoreResult<bool> {
        let removed = self.live.lock().remove(name);
        let here = removed.inspect(|s| s.cancel.cancel()).is_some();
        match &self.registry {
            None => Ok(here),
            Some(registry) => Ok(registry.drop_session(name).await? || here),
        }
    }

    /// Drops the sessions idle for longer than the TTL.
    pub fn sweep(&self) {
        let mut live = self.live.lock();
        self.drop_expired(&mut live, Instant::now());
    }

    fn drop_expired(&self, live: &mut HashMap<Arc<str>, Live>, now: Instant) {
        live.retain(|_, session| {
            let expired = session.idle_longer_than(self.limits.ttl, now);
            if expired {
                session.cancel.cancel();
            }
            !expired
        });
    }

    /// The sessions alive, by name: of every replica on a shared store.
    pub async fn list(&self) -> StoreResult<Vec<SessionInfo>> {
        self.sweep();
        if let Some(registry) = &self.registry {
            return registry.list_sessions(self.limits.ttl).await;
        }
        let now = Instant::now();
        let utc_now = Utc::now();
        let alive: Vec<_> = self
            .live
            .lock()
            .iter()
            .map(|(name, s)| {
                let idle = chrono::Duration::from_std(now.saturating_duration_since(s.last_used))
                    .unwrap_or_default();
                (name.clone(), s.app.clone(), s.created_at, utc_now - idle)
            })
            .collect();
        let mut list = Vec::with_capacity(alive.len());
        for (name, app, created_at, last_used_at) in alive {
            list.push(SessionInfo {
                name: name.to_string(),
                created_at,
                last_used_at,
                generations: app.store.generation_count().await,
                journal_entries: app.instruments.journal_count().await,
            });
        }
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(list)
    }

    /// Sweeps expired sessions in the background until the server stops;
    /// on a shared store, serves the sessions' due work too (see
    /// [`Sessions::serve_due_work`]).
    pub fn spawn_sweeper(self: &Arc<Self>) {
        let every = (self.limits.ttl / 4).clamp(Duration::from_millis(10), Duration::from_secs(60));
        self.every(every, |sessions| {
            Box::pin(async move {
                sessions.sweep();
                if let Some(registry) = &sessions.registry {
                    // Out of reach: logged by the store; the next tick tries again.
                    let _ = registry.sweep_sessions(sessions.limits.ttl).await;
                }
            })
        });
        if self.registry.is_some() {
            self.every(SESSIONS_SWEEP_EVERY, |sessions| {
                Box::pin(async move { sessions.serve_due_work().await })
            });
        }
    }

    /// Runs `work` every `every` in a task of its own, until the server
    /// stops or the sessions are dropped.
    fn every(self: &Arc<Self>, every: Duration, work: fn(Arc<Sessions>) -> BoxFuture<'static, ()>) {
        let sessions = Arc::downgrade(self);
        let cancel = self.cancel.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    () = cancel.cancelled() => return,
                    _ = ticks.tick() => {}
                }
                let Some(sessions) = sessions.upgrade() else {
                    return;
                };
                work(sessions).await;
            }
        });
    }

    /// On a shared store: ends the sessions' timed generations whose time is
    /// up and sends their due webhook deliveries (claimed with a lease, each
    /// in a task of its own, as a session's lifecycle does for its own), for
    /// every session on the store, open on this replica or not. Run every
    /// [`SESSIONS_SWEEP_EVERY`].
    async fn serve_due_work(self: Arc<Self>) {
        let Some(registry) = &self.registry else {
            return;
        };
        let lease = self.default.lifecycle.delivery_lease();
        // Out of reach: logged by the store; the next tick tries again.
        let Ok(claimed) = registry
            .claim_session_deliveries(lease, SESSION_DELIVERY_BATCH)
            .await
        else {
            return;
        };
        for (name, delivery) in claimed {
            let sessions = self.clone();
            let cancel = self.cancel.clone();
            tokio::spawn(async move {
                tokio::select! {
                    () = sessions.deliver(&name, delivery) => {}
                    () = cancel.cancelled() => {}
                }
            });
        }
    }

    /// One attempt of `delivery`, of session `name`: recorded and settled in
    /// the session's state, open on this replica or opened for it (a
    /// namespace on the shared store, without registering a use).
    async fn deliver(&self, name: &str, delivery: ClaimedDelivery) {
        let open = self.live.lock().get(name).map(|s| s.app.clone());
        let (store, instruments) = match open {
            Some(app) => (app.store.clone(), app.instruments.clone()),
            None => {
                let store = self.factory.store(name);
                let instruments = Arc::new(Instruments::of(&*store, 0));
                (store, instruments)
            }
        };
        self.default
            .lifecycle
            .deliver_claimed(&*store, &instruments, delivery)
            .await;
    }
}
