//! What every handler shares: the store, the catalog, the lifecycle and the settings
//! that shape answers.

use std::{sync::Arc, time::Duration};

use axum::http::HeaderValue;
use tokio_util::sync::CancellationToken;

use crate::{
    catalog::Catalog,
    config::RateLimits,
    instruments::Instruments,
    lifecycle::{Lifecycle, Schedule},
    store::Store,
    webhooks::WebhookSender,
};

/// Who may use the admin API (`/__mock/...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminAccess {
    /// Not served at all (non-loopback address without a token).
    Disabled,
    /// Served to anyone who can reach the server (loopback, no token).
    Open,
    /// Served to requests carrying this token in `X-Admin-Token`.
    Token(String),
}

/// The state of one session of a running server (the default session's is
/// the server's): its own store, instruments and lifecycle, beside the
/// settings and catalog every session shares.
pub struct App {
    /// The API's state.
    pub store: Arc<dyn Store>,
    /// The sandbox's journal, faults, scripted outcomes and deliveries.
    pub instruments: Arc<Instruments>,
    /// Tools and models.
    pub catalog: Arc<Catalog>,
    /// Runs generations.
    pub lifecycle: Arc<Lifecycle>,
    /// The base of the URLs the server hands out.
    pub public_url: String,
    /// Accept `http://` and private webhook hosts.
    pub allow_private_webhooks: bool,
    /// Largest JSON body.
    pub max_body_bytes: usize,
    /// Largest upload.
    pub max_upload_bytes: usize,
    /// How long a client may take to send its body.
    pub body_timeout: Duration,
    /// Who may use the admin API.
    pub admin: AdminAccess,
    /// The configured limits (for the headers of an injected 429).
    pub rate_limits: RateLimits,
    /// Drift mode on every API answer (see [`crate::drift`]).
    pub drift: bool,
    /// The `X-Poll-After-Ms` of every `202` of `POST /api/run`, which depends
    /// on the schedule only: made once, cloned per run (see `http::poll`).
    pub run_poll_after: HeaderValue,
}

impl App {
    /// The state of a new session: these settings and this catalog, over
    /// `store` and new instruments, with URLs under `public_url`; its
    /// generations and webhooks stop when `cancel` fires. With `sweeper`,
    /// its lifecycle runs its own sweeper (see
    /// [`Lifecycle::spawn_sweeper`]); without, another serves its store.
    pub fn session(
        &self,
        store: Arc<dyn Store>,
        public_url: String,
        parts: &Parts,
        cancel: CancellationToken,
        sweeper: bool,
    ) -> App {
        let instruments = Arc::new(Instruments::of(&*store, parts.journal_capacity));
        let lifecycle = lifecycle(
            store.clone(),
            instruments.clone(),
            public_url.clone(),
            parts,
            cancel,
        );
        if sweeper {
            lifecycle.spawn_sweeper();
        }
        App {
            store,
            instruments,
            catalog: self.catalog.clone(),
            lifecycle,
            public_url,
            allow_private_webhooks: self.allow_private_webhooks,
            max_body_bytes: self.max_body_bytes,
            max_upload_bytes: self.max_upload_bytes,
            body_timeout: self.body_timeout,
            admin: self.admin.clone(),
            rate_limits: self.rate_limits,
            drift: self.drift,
            run_poll_after: self.run_poll_after.clone(),
        }
    }
}

/// What a session's instruments and lifecycle are made with.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    /// Most journal entries.
    pub journal_capacity: usize,
    /// The generations' schedule.
    pub schedule: Schedule,
    /// The time scale of webhook retries.
    pub speed: f64,
    /// Whether webhooks may go to hosts that resolve to private addresses.
    pub allow_private_webhooks: bool,
}

/// The lifecycle of a session, with its webhook sender, writing into `store`
/// and `instruments`.
pub fn lifecycle(
    store: Arc<dyn Store>,
    instruments: Arc<Instruments>,
    public_url: String,
    parts: &Parts,
    cancel: CancellationToken,
) -> Arc<Lifecycle> {
    let webhooks = Arc::new(WebhookSender::new(
        instruments.clone(),
        parts.speed,
        parts.allow_private_webhooks,
        cancel.clone(),
    ));
    Arc::new(Lifecycle::new(
        store,
        instruments,
        parts.schedule,
        public_url,
        webhooks,
        cancel,
    ))
}
