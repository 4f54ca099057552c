//! What every handler shares: the store, the catalog, the lifecycle and the settings
//! that shape answers.

use std::{sync::Arc, time::Duration};

use axum::http::HeaderValue;

use crate::{
    catalog::Catalog, config::RateLimits, instruments::Instruments, lifecycle::Lifecycle,
    store::Store,
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

/// The shared state of one running server.
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
