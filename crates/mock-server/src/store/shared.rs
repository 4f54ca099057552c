//! What a store shared by replicas keeps beside the API's state, so that
//! replicas act as one sandbox: the instruments of each namespace
//! ([`SharedInstruments`]) and the registry of every replica's sessions
//! ([`SessionRegistry`]). The interfaces live here, below the instruments
//! and the sessions that use them, so the store layer imports nothing above
//! it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{
    Caller, ClaimedDelivery, CreateError, GenerationJson, NewGeneration, Outcome, StoreFuture,
    StoreResult,
};
use crate::{
    config::Bucket,
    deliveries::WebhookDelivery,
    faults::{Fault, FaultRule},
    journal::{JournalEntry, RequestRecord},
    outcomes::ScriptedOutcome,
    ratelimit::RateDecision,
};

/// Instruments kept on a store shared by replicas, in one namespace (the
/// Redis store's). Each method is one round trip; none grows with the
/// number of rules or entries kept.
pub trait SharedInstruments: Send + Sync + 'static {
    /// The fault of the first rule that hits `method path`, using up one of
    /// its count, atomically across replicas.
    fn take_fault<'a>(
        &'a self,
        method: &'a str,
        path: &'a str,
    ) -> StoreFuture<'a, StoreResult<Option<Fault>>>;
    /// Steps 2 to 4 of a request to the API that carries no fault header,
    /// in one round trip and in the pipeline's order, stopping at the first
    /// that answers: the scripted fault that hits `method path` (using up
    /// one of its count, as [`SharedInstruments::take_fault`]); else the
    /// account of `key` (`None` when the request carries none); else its
    /// rate cell of `bucket` counted (as [`Store::check_rate`](super::Store::check_rate));
    /// then, if the request is admitted, what `then` asks, in the same
    /// round trip.
    fn gate<'a>(
        &'a self,
        method: &'a str,
        path: &'a str,
        key: Option<&'a str>,
        bucket: Bucket,
        then: Then<'a>,
    ) -> StoreFuture<'a, StoreResult<Gated>>;
    /// Appends `record` as the next journal entry (its `seq` given by the
    /// store), keeping the newest `capacity`.
    fn record(&self, record: RequestRecord, capacity: usize) -> StoreFuture<'_, StoreResult<()>>;
    /// The journal, oldest first.
    fn journal(&self) -> StoreFuture<'_, StoreResult<Vec<JournalEntry>>>;
    /// How many journal entries are kept.
    fn journal_count(&self) -> StoreFuture<'_, StoreResult<usize>>;
    /// Adds a rule, giving it its id.
    fn add_fault(&self, rule: FaultRule) -> StoreFuture<'_, StoreResult<FaultRule>>;
    /// The rules still active, in order.
    fn faults(&self) -> StoreFuture<'_, StoreResult<Vec<FaultRule>>>;
    /// Scripts an outcome (taken by the store's runs).
    fn add_outcome(&self, outcome: ScriptedOutcome) -> StoreFuture<'_, StoreResult<()>>;
    /// Records a delivery attempt, keeping the newest `MAX_DELIVERIES`.
    fn record_delivery(&self, delivery: WebhookDelivery) -> StoreFuture<'_, StoreResult<()>>;
    /// The delivery attempts kept, oldest first.
    fn deliveries(&self) -> StoreFuture<'_, StoreResult<Vec<WebhookDelivery>>>;
    /// Forgets `what` (the journal, the fault rules, or everything).
    fn clear(&self, what: Clear) -> StoreFuture<'_, StoreResult<()>>;
}

/// What [`SharedInstruments::gate`] found, at the first step that answers.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub enum Gated {
    /// A scripted rule hit the request: its fault (one of its count used up).
    Fault(Fault),
    /// No fault, and the request carries no key (`401`).
    NoKey,
    /// No fault, and the key is not known (`401`).
    InvalidKey,
    /// The key's account, with what was read for it.
    Admitted(Admission),
}

/// What [`SharedInstruments::gate`] does for an admitted request.
/// (Built by the pipeline, read only by the Redis store.)
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub enum Then<'a> {
    /// Nothing more.
    Nothing,
    /// Reads this generation as [`Store::generation_json`](super::Store::generation_json)
    /// does (what `GET /api/generations/{id}` answers).
    Read(&'a str),
    /// Creates this run's generation, owned by the key's account, as
    /// [`Lifecycle::create`](crate::lifecycle::Lifecycle::create) would.
    Run(Box<GatedRun>),
}

/// A run checked and priced before its caller is known, for
/// [`Then::Run`]: its generation (whose owner the gate sets), its cost, and
/// its schedule.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub struct GatedRun {
    /// The generation to store (its owner is replaced by the caller).
    pub generation: NewGeneration,
    /// Its price in credits.
    pub cost: u64,
    /// Its stages' durations (`pending`, `processing`, `uploading`), or
    /// `None` to store it already ended.
    pub durations: Option<[Duration; 3]>,
    /// How it ends unless an outcome is scripted for its tool.
    pub success: Outcome,
}

/// A request admitted by [`SharedInstruments::gate`].
#[derive(Debug, Clone)]
pub struct Admission {
    /// The key's account.
    pub caller: Caller,
    /// The decision of its rate cell (`None` when limits are off).
    pub decision: Option<RateDecision>,
    /// The generation the gate was asked for, found or not (`None` when
    /// none was asked, or the rate limit refused the request).
    pub generation: Option<Option<GenerationJson>>,
    /// Whether the run asked for was created (`None` when none was asked,
    /// or the rate limit refused the request).
    pub created: Option<Result<(), CreateError>>,
}

/// What [`SharedInstruments::clear`] forgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clear {
    /// The journal (numbering starts again from 1).
    Journal,
    /// The fault rules.
    Faults,
    /// Journal, rules, scripted outcomes and deliveries.
    All,
}

/// The sessions of every replica on a shared store.
pub trait SessionRegistry: Send + Sync + 'static {
    /// Marks session `name` used now (first seen now if it is new; one
    /// idle for longer than `ttl` is dropped first, so it starts afresh),
    /// and answers `true`. With `max`, a session not registered yet is
    /// admitted only while fewer than `max` sessions were used within
    /// `ttl`, counted across every replica at once: else `false`, and
    /// nothing changes.
    fn admit_session<'a>(
        &'a self,
        name: &'a str,
        ttl: Duration,
        max: Option<usize>,
    ) -> StoreFuture<'a, StoreResult<bool>>;
    /// For the sessions' sweeper, which serves the sessions of the store
    /// whether or not a replica has them open: ends the timed generations
    /// of every session whose time is up, and claims (as
    /// [`Store::claim_deliveries`](super::Store::claim_deliveries) does in
    /// one session) at most `max` webhook deliveries that are due, each
    /// with its session's name.
    fn claim_session_deliveries(
        &self,
        lease: Duration,
        max: u32,
    ) -> StoreFuture<'_, StoreResult<Vec<(String, ClaimedDelivery)>>>;
    /// The sessions used within `ttl`, by name.
    fn list_sessions(&self, ttl: Duration) -> StoreFuture<'_, StoreResult<Vec<SessionInfo>>>;
    /// Drops session `name` with everything it holds on the store; whether
    /// it was registered.
    fn drop_session<'a>(&'a self, name: &'a str) -> StoreFuture<'a, StoreResult<bool>>;
    /// Drops (as [`SessionRegistry::drop_session`]) the sessions idle for
    /// longer than `ttl`; their names.
    fn sweep_sessions(&self, ttl: Duration) -> StoreFuture<'_, StoreResult<Vec<String>>>;
}

/// One session in the list of `GET /__mock/sessions`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// Its name.
    pub name: String,
    /// When its first request came.
    pub created_at: DateTime<Utc>,
    /// When its last request came.
    pub last_used_at: DateTime<Utc>,
    /// Generations kept (absent when the store cannot tell).
    pub generations: Option<usize>,
    /// Journal entries kept.
    pub journal_entries: usize,
}
