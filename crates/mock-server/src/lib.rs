//! `astudio-mock`: a stateful mock of the Artificial Studio API, as a library and
//! a binary.
//!
//! Unlike a mock that answers from examples, it keeps accounts, credits,
//! ownership, rate limits and generation lifecycles, so a test meets the errors
//! a real integration meets, with the exact messages of the contract
//! (`artificial_studio_types::messages` and `ErrorKind::default_message`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), artificial_studio_mock::Error> {
//! use artificial_studio_mock::{MockServer, RateLimits};
//!
//! let server = MockServer::builder()
//!     .speed(0.0) // generations succeed before `POST /api/run` answers
//!     .rate_limits(RateLimits::Off)
//!     .start()
//!     .await?;
//! let base = server.base_url(); // such as http://127.0.0.1:43123
//! let key = server.demo_keys().free; // "demo-free-key", 100 credits
//! server.fail_next_generation("create-image", "NSFW content detected").await?;
//! # Ok(()) }
//! ```
//!
//! # Check order
//!
//! Every request is checked in this fixed order; the first failing check answers:
//!
//! 1. **route**: unknown path → `404 Not found`; known path, other method →
//!    `405 Method not allowed` with `Allow`. (Faults, per request with
//!    `X-Mock-Fault` or scripted, apply right after routing.)
//! 2. **auth**: no or empty `Authorization` → `401 Authorization header is
//!    required`; unknown key, or `Bearer <key>` → `401 Invalid API key`.
//! 3. **rate limit**: per key, plan and bucket → `429` with `Retry-After`.
//!    From here on every answer carries `X-RateLimit-Limit/Remaining/Reset`.
//! 4. **body parse**: content type (`400`), size (`413`), time (`408`), then
//!    JSON (`400 Invalid JSON body`).
//! 5. **schema**: the `RunRequest` schema of the spec, plus the webhook rule →
//!    `400 Validation failed` with every issue (and the input's issues too
//!    when the tool and model can be told).
//! 6. **tool** → `404 Tool not found`.
//! 7. **model** (`input.model`, default the tool's first) → `404 Model not found`.
//! 8. **input**: the model's `inputSchema`, strict → `400 Validation failed`.
//! 9. **credits**: debited atomically → `402 You do not have enough credits to
//!    perform this action`, balance unchanged.
//!
//! Reads check ownership after auth and rate limit: another account's
//! generation → `403`, an unknown id → `404 Generation not found`.
//!
//! # Layout
//!
//! Handlers (`http`) parse and answer; all state sits behind the `Store`
//! trait (the in-memory store by default; see [`SharedStore`]); `validation`
//! and `catalog` are pure. `ARCHITECTURE.md` at the repository root maps the
//! modules.
//! The README of this crate documents the accounts file, the admin API and the
//! `X-Mock-Fault` values.
//!
//! # Sessions
//!
//! A request with `X-Mock-Session: NAME`, or a path under `/s/NAME/`, lives
//! in session `NAME`: its own accounts at their starting balances,
//! generations, uploads, rate limits, journal, faults, scripted outcomes and
//! webhooks, made on its first request and dropped once idle for
//! [`MockServerBuilder::session_ttl`]. Without either, a request lives in
//! the default session. [`MockServer::session`] gives a [`MockSession`]
//! handle with the control methods of the server (which derefs to its
//! default session's). The crate's README has the name rule, the limit and
//! the admin API of sessions.
//!
//! # Drift mode
//!
//! `--drift` ([`MockServerBuilder::drift`]), or `X-Mock-Fault: drift` on one
//! request, makes the API's answers as loose as the spec allows: optional
//! fields left out, unknown fields added, unknown enum values ([`DRIFT_FIELD`]).

mod accept;
mod app;
mod builder;
mod catalog;
mod config;
mod control;
mod deliveries;
mod drift;
mod error;
mod fastfmt;
mod faults;
mod http;
mod idle;
mod ids;
mod instruments;
mod journal;
mod lifecycle;
mod media;
mod outcomes;
mod payload;
mod query;
mod ratelimit;
mod server;
mod sessions;
mod state_file;
mod store;
mod validation;
mod webhooks;

pub use artificial_studio_types as types;
pub use builder::MockServerBuilder;
pub use catalog::{Catalog, DEFAULT_CATALOG_JSON};
pub use config::{
    AccountConfig, AccountsFile, Bucket, DEMO_EMPTY_KEY, DEMO_FREE_KEY, DEMO_PRO_KEY, MockConfig,
    PlanLimits, RateLimits, demo_accounts,
};
pub use control::MockSession;
pub use deliveries::WebhookDelivery;
pub use drift::{DRIFT_FIELD, DRIFT_NOTE};
pub use error::Error;
pub use faults::{Fault, FaultRule};
pub use http::REQUEST_LOG_TARGET;
pub use journal::JournalEntry;
pub use server::{DEMO_KEYS, DemoKeys, MockServer};
#[cfg(feature = "redis")]
pub use store::RedisStoreOptions;
pub use store::{MemoryStoreOptions, MockAccount, SharedStore};
