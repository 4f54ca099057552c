//! The one seam between the HTTP layer and the API's state: the [`Store`] trait
//! (accounts, credits, generations and their eviction, rate-limit cells,
//! uploads) and the types it speaks. The sandbox's instruments (journal,
//! faults, scripted outcomes, deliveries) are not here: see `instruments`.
//!
//! [`MemoryStore`] is the embedded default. A shared store (Redis, say) that
//! lets several mock replicas act as one service implements the same trait;
//! the handlers do not change. Every method returns a [`StoreFuture`], which
//! such a store fills with its I/O; the in-memory one answers at once.

mod accounts;
#[cfg(test)]
mod contract_tests;
mod generations;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod shared;
mod snapshot;

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use futures::future::{Either, Ready, ready};

use artificial_studio_types::{
    Account, Generation, GenerationStatus, GenerationType, Plan, UploadedFile,
};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "redis")]
pub use self::redis::{DEFAULT_NAMESPACE, RedisStore, RedisStoreOptions};
pub use memory::{MemoryStore, MemoryStoreOptions};
pub use shared::{
    Admission, Clear, Gated, GatedRun, SessionInfo, SessionRegistry, SharedInstruments, Then,
};
pub use snapshot::{Resumable, SavedSession, Snapshot};

use crate::{
    config::{AccountConfig, Bucket},
    error::Error,
    outcomes::Outcomes,
    payload::PayloadJson,
    query::ListQuery,
    ratelimit::RateDecision,
};

/// The future every [`Store`] method returns: an answer already at hand (what
/// the in-memory store always gives, made without an allocation), or work
/// still to do, boxed (what a store that does I/O gives).
pub struct StoreFuture<'a, T>(Either<Ready<T>, Pin<Box<dyn Future<Output = T> + Send + 'a>>>);

impl<'a, T> StoreFuture<'a, T> {
    /// A future that yields `value` when first polled.
    pub fn ready(value: T) -> Self {
        StoreFuture(Either::Left(ready(value)))
    }

    /// A future that does `work`.
    pub fn new(work: impl Future<Output = T> + Send + 'a) -> Self {
        StoreFuture(Either::Right(Box::pin(work)))
    }
}

impl<T> Future for StoreFuture<'_, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.get_mut().0).poll(cx)
    }
}

/// The API's state, which several [`MockServer`](crate::MockServer)s may
/// share to act as replicas of one service (see
/// [`MockServerBuilder::store`](crate::MockServerBuilder::store)).
///
/// ```
/// use artificial_studio_mock::{MemoryStoreOptions, RateLimits, SharedStore, demo_accounts};
///
/// let store = SharedStore::memory(
///     demo_accounts(),
///     MemoryStoreOptions {
///         rate_limits: RateLimits::Off,
///         max_generations: 100,
///     },
/// );
/// let _same = store.clone();
/// ```
#[derive(Clone)]
pub struct SharedStore(Arc<dyn Store>);

impl SharedStore {
    /// An in-memory store holding `accounts`.
    pub fn memory(accounts: Vec<AccountConfig>, options: MemoryStoreOptions) -> Self {
        SharedStore(Arc::new(MemoryStore::new(accounts, options)))
    }

    /// A store on the Redis server at `url` (`redis://HOST:PORT[/DB]`), with
    /// every key under `namespace`: replicas given the same URL and
    /// namespace act as one service. Connects lazily; fails only on a URL
    /// that is not valid. (With the default `redis` feature.)
    #[cfg(feature = "redis")]
    pub fn redis(
        url: &str,
        namespace: &str,
        accounts: Vec<AccountConfig>,
        options: RedisStoreOptions,
    ) -> Result<Self, Error> {
        Ok(SharedStore(Arc::new(RedisStore::new(
            url, namespace, accounts, options,
        )?)))
    }

    /// The store a `--store` other than `memory` names (`redis://...`), under
    /// the default namespace; without the `redis` feature, an error saying
    /// this build has no Redis support.
    pub(crate) fn of_url(
        url: &str,
        accounts: Vec<AccountConfig>,
        options: MemoryStoreOptions,
    ) -> Result<Self, Error> {
        #[cfg(feature = "redis")]
        {
            let MemoryStoreOptions {
                rate_limits,
                max_generations,
            } = options;
            let options = RedisStoreOptions {
                rate_limits,
                max_generations,
            };
            SharedStore::redis(url, DEFAULT_NAMESPACE, accounts, options)
        }
        #[cfg(not(feature = "redis"))]
        {
            let _ = (accounts, options);
            Err(Error::InvalidConfig(format!(
                "--store {url}: this astudio-mock was built without Redis support (its \
                 `redis` cargo feature, on by default); use --store memory, or a build \
                 with the feature"
            )))
        }
    }

    /// The store behind the handle.
    pub(crate) fn into_inner(self) -> Arc<dyn Store> {
        self.0
    }
}

impl std::fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedStore")
    }
}

/// The account behind a valid key.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account id (safe to log; never the key).
    pub account_id: Arc<str>,
    /// The account's plan, which picks its rate limits.
    pub plan: Plan,
}

/// An account as the admin API shows it: the API's view plus its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MockAccount {
    /// The API key.
    pub key: String,
    /// The account as `GET /api/account` shows it.
    #[serde(flatten)]
    pub account: Account,
}

/// A change to an account; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountPatch {
    /// New credit balance.
    #[serde(default)]
    pub credits: Option<u64>,
    /// New plan.
    #[serde(default)]
    pub plan: Option<Plan>,
}

/// The store could not be reached (a shared store whose server is down or
/// slow): the API answers the contract's `503`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the store is unavailable")]
pub struct Unavailable;

/// What a [`Store`] method answers: its value, or [`Unavailable`].
pub type StoreResult<T> = Result<T, Unavailable>;

/// Why a generation could not be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateError {
    /// The balance is below the cost; nothing was taken.
    InsufficientCredits,
    /// The owner's account no longer exists (after a reset).
    UnknownAccount,
    /// The store could not be reached; nothing is known to have been taken.
    Unavailable,
}

impl From<Unavailable> for CreateError {
    fn from(_: Unavailable) -> Self {
        CreateError::Unavailable
    }
}

/// A generation with its owner.
#[derive(Debug, Clone)]
pub struct OwnedGeneration {
    /// The account that created it.
    pub owner: Arc<str>,
    /// The generation as the API shows it.
    pub generation: Generation,
    /// Where `success` should send the webhook, if anywhere (the lifecycle
    /// reads it from [`Finished`]; the Redis store keeps it with the rest).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub webhook: Option<String>,
}

/// A generation as a run hands it to the store: the API's [`Generation`] at
/// its start (so without output, thumbnail or error), its payload as JSON
/// text, its owner and its webhook.
#[derive(Debug, Clone)]
pub struct NewGeneration {
    /// The account that created it.
    pub owner: Arc<str>,
    /// The generation id.
    pub id: String,
    /// Its first status (`pending` or `processing`).
    pub status: GenerationStatus,
    /// The tool slug.
    pub tool: String,
    /// What the tool makes.
    pub type_: GenerationType,
    /// The input with the model and its defaults.
    pub payload: PayloadJson,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Where `success` should send the webhook, if anywhere.
    pub webhook: Option<String>,
}

/// A generation's owner and its body as `GET /api/generations/{id}` sends it,
/// with the status and creation time the answer's `X-Poll-After-Ms` hint is
/// worked out from.
#[derive(Debug, Clone)]
pub struct GenerationJson {
    /// The account that created it.
    pub owner: Arc<str>,
    /// The generation as JSON; `None` if it could not be serialized (never for
    /// the API's own types, but the answer is then a contract `500`).
    pub body: Option<Bytes>,
    /// Its status, as in `body`.
    pub status: GenerationStatus,
    /// When it was created, as in `body`.
    pub created_at: DateTime<Utc>,
}

impl GenerationJson {
    /// Serializes a stored generation.
    pub fn of(stored: &OwnedGeneration) -> Self {
        GenerationJson {
            owner: stored.owner.clone(),
            body: serde_json::to_vec(&stored.generation).ok().map(Bytes::from),
            status: stored.generation.status.clone(),
            created_at: stored.generation.created_at,
        }
    }
}

/// A generation that just ended: what the lifecycle needs to send its webhook.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The final status.
    pub status: GenerationStatus,
    /// The webhook to send (on `success` with a webhook URL only): URL and body.
    pub webhook: Option<(String, artificial_studio_types::WebhookPayload)>,
}

/// How a generation ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `success`, with its output and thumbnail URLs.
    Success {
        /// URL of the output.
        output: String,
        /// URL of the thumbnail, if the type has one.
        thumbnail: Option<String>,
    },
    /// `error` with this message; the credits are refunded.
    Error(String),
}

impl Outcome {
    /// How a generation ends when its tool had `failure` scripted (`error`
    /// with that message), or else as `success` says.
    pub(crate) fn scripted_or(failure: Option<String>, success: impl FnOnce() -> Outcome) -> Self {
        failure.map_or_else(success, Outcome::Error)
    }
}

/// One page of a caller's generations.
#[derive(Debug, Clone)]
pub struct GenerationPage {
    /// The generations of the page, newest first.
    pub data: Vec<Generation>,
    /// How many match the query over all pages.
    pub total: u64,
}

/// An uploaded file with its bytes.
#[derive(Debug, Clone)]
pub struct StoredUpload {
    /// What the upload answered (`POST /files` or `POST /api/files`).
    pub file: UploadedFile,
    /// The account that uploaded it (kept as the service keeps it; no
    /// answer of the mock reads it, a state file keeps it).
    pub owner: Arc<str>,
    /// The part's content type.
    pub content_type: String,
    /// The file's name as served.
    pub filename: String,
    /// The bytes.
    pub bytes: Bytes,
    /// Whether it was uploaded with `transient=true` (kept out of the
    /// account's library on the real service; the mock serves it the same).
    pub transient: bool,
}

/// [`Store::create_finished_generation`] made of the store's other methods,
/// one after the other: the trait's default.
pub async fn create_finished_in_steps<S: Store + ?Sized>(
    store: &S,
    generation: NewGeneration,
    cost: u64,
    success: Outcome,
    scripted: &Outcomes,
) -> Result<Option<Finished>, CreateError> {
    let id = generation.id.clone();
    let tool = generation.tool.clone();
    store.create_generation(generation, cost).await?;
    let outcome = Outcome::scripted_or(scripted.take(&tool), || success);
    Ok(store.finish_generation(&id, outcome).await?)
}

/// The state of a mock server. See the module docs.
pub trait Store: Send + Sync + 'static {
    /// The account of an API key, if the key is known.
    fn authenticate<'a>(&'a self, key: &'a str) -> StoreFuture<'a, StoreResult<Option<Caller>>>;
    /// An account as `GET /api/account` shows it.
    fn account<'a>(&'a self, account_id: &'a str) -> StoreFuture<'a, StoreResult<Option<Account>>>;
    /// Every account, with keys (admin only).
    fn accounts(&self) -> StoreFuture<'_, StoreResult<Vec<MockAccount>>>;
    /// Creates an account; the key must be new.
    fn create_account(&self, account: AccountConfig)
    -> StoreFuture<'_, Result<MockAccount, Error>>;
    /// Changes an account's credits or plan.
    fn update_account<'a>(
        &'a self,
        key: &'a str,
        patch: AccountPatch,
    ) -> StoreFuture<'a, Result<MockAccount, Error>>;

    /// Counts a request in the caller's bucket; `None` when limits are off.
    fn check_rate<'a>(
        &'a self,
        caller: &'a Caller,
        bucket: Bucket,
    ) -> StoreFuture<'a, StoreResult<Option<RateDecision>>>;

    /// Takes `cost` credits from the owner and stores the generation, atomically:
    /// either both happen or neither.
    fn create_generation(
        &self,
        generation: NewGeneration,
        cost: u64,
    ) -> StoreFuture<'_, Result<(), CreateError>>;
    /// A run on an instant schedule, whole: [`Store::create_generation`], then
    /// the scripted outcome of its tool (from `scripted`, the sandbox's), then
    /// [`Store::finish_generation`] with that error or with `success`. A refused run uses up no scripted
    /// outcome. `None` if the generation was gone before it could end (a
    /// reset). The in-memory store does it in one step, storing the
    /// generation already ended.
    fn create_finished_generation<'a>(
        &'a self,
        generation: NewGeneration,
        cost: u64,
        success: Outcome,
        scripted: &'a Outcomes,
    ) -> StoreFuture<'a, Result<Option<Finished>, CreateError>> {
        StoreFuture::new(create_finished_in_steps(
            self, generation, cost, success, scripted,
        ))
    }
    /// A generation by id.
    fn generation<'a>(
        &'a self,
        id: &'a str,
    ) -> StoreFuture<'a, StoreResult<Option<OwnedGeneration>>>;
    /// A generation by id, serialized, for the endpoint clients poll while they
    /// wait. This default serializes [`Store::generation`] on every call; the
    /// in-memory store keeps the bytes until the generation changes, since a
    /// waiting client asks many times between two changes.
    fn generation_json<'a>(
        &'a self,
        id: &'a str,
    ) -> StoreFuture<'a, StoreResult<Option<GenerationJson>>> {
        StoreFuture::new(
            async move { Ok(self.generation(id).await?.map(|g| GenerationJson::of(&g))) },
        )
    }
    /// One page of an account's generations, newest first.
    fn list_generations<'a>(
        &'a self,
        owner: &'a str,
        query: ListQuery,
    ) -> StoreFuture<'a, StoreResult<GenerationPage>>;
    /// Moves a running generation to a non-final status.
    fn set_status<'a>(
        &'a self,
        id: &'a str,
        status: GenerationStatus,
    ) -> StoreFuture<'a, StoreResult<()>>;
    /// Ends a generation (refunding its cost on error); `None` if it is gone or
    /// already final.
    fn finish_generation<'a>(
        &'a self,
        id: &'a str,
        outcome: Outcome,
    ) -> StoreFuture<'a, StoreResult<Option<Finished>>>;
    /// Stores an upload.
    fn put_upload(&self, upload: StoredUpload) -> StoreFuture<'_, StoreResult<()>>;
    /// An upload by id.
    fn upload<'a>(&'a self, id: &'a str) -> StoreFuture<'a, StoreResult<Option<StoredUpload>>>;

    /// Back to the starting state: initial accounts and balances, and no
    /// generations, uploads or rate-limit state.
    fn reset(&self) -> StoreFuture<'_, StoreResult<()>>;

    /// Whether the store runs each generation's schedule itself (a store
    /// shared by replicas, where no replica's timer may own a generation):
    /// then runs on a schedule that takes time go through
    /// [`Store::create_scheduled_generation`], and each replica calls
    /// [`Store::sweep`] now and then. The in-memory store does not; the
    /// lifecycle's timers move its generations.
    fn runs_schedules(&self) -> bool {
        false
    }

    /// A run on a schedule that takes time, on a store that
    /// [runs schedules](Store::runs_schedules): the debit and the generation,
    /// with its `durations` (`pending`, `processing`, `uploading`) and how it
    /// ends (`success`, or the scripted `error` of its tool from `scripted`,
    /// used up only once the run is paid). Its status is then a function of
    /// time. This default stores it as [`Store::create_generation`] does.
    fn create_scheduled_generation<'a>(
        &'a self,
        generation: NewGeneration,
        cost: u64,
        durations: [Duration; 3],
        success: Outcome,
        scripted: &'a Outcomes,
    ) -> StoreFuture<'a, Result<(), CreateError>> {
        let _ = (durations, success, scripted);
        self.create_generation(generation, cost)
    }

    /// Ends the generations whose time is up, each claimed by one caller
    /// only, and hands back those that just ended, for their webhooks. Only
    /// stores that [run schedules](Store::runs_schedules) have any.
    fn sweep(&self) -> StoreFuture<'_, StoreResult<Vec<Finished>>> {
        StoreFuture::ready(Ok(Vec::new()))
    }

    /// The store of session `name` on the same backend, for a store shared by
    /// replicas (each replica then finds the session's state there); `None`
    /// from a store whose sessions are kept in this process instead.
    fn session_store(&self, name: &str) -> Option<Arc<dyn Store>> {
        let _ = name;
        None
    }

    /// Where the sandbox's instruments of this store's session live, for a
    /// store shared by replicas (so that a fault scripted on one replica
    /// acts on the next request to any); `None` from a store whose
    /// instruments are kept in this process.
    fn shared_instruments(&self) -> Option<Arc<dyn SharedInstruments>> {
        None
    }

    /// The registry of the sessions of every replica, for a store shared by
    /// replicas; `None` from a store whose sessions are this process' own.
    fn session_registry(&self) -> Option<Arc<dyn SessionRegistry>> {
        None
    }

    /// How many generations are kept, for the sessions list; `None` from a
    /// store that cannot tell cheaply.
    fn generation_count(&self) -> StoreFuture<'_, Option<usize>> {
        StoreFuture::ready(None)
    }

    /// Whether the store keeps a queue of webhook deliveries (a store shared
    /// by replicas): a generation that ends in `success` with a webhook is
    /// queued by the store in the same step, and each replica's sweeper
    /// sends what it [claims](Store::claim_deliveries), so the
    /// [`Finished::webhook`] it hands back is not for sending. The in-memory
    /// store does not; the lifecycle sends its webhooks in-process.
    fn queues_deliveries(&self) -> bool {
        false
    }

    /// Claims up to `max` queued deliveries whose next attempt is due, each
    /// for this caller alone until `lease` has passed (atomically: no two
    /// callers hold one delivery at once). A delivery whose holder neither
    /// [settles](Store::settle_delivery) it nor returns in time (a replica
    /// killed mid-attempt) is due again when its lease ends, at the same
    /// attempt. Nothing from a store that does not
    /// [queue deliveries](Store::queues_deliveries).
    fn claim_deliveries(
        &self,
        lease: Duration,
        max: u32,
    ) -> StoreFuture<'_, StoreResult<Vec<ClaimedDelivery>>> {
        let _ = (lease, max);
        StoreFuture::ready(Ok(Vec::new()))
    }

    /// After an attempt of a `claimed` delivery: removes it (`retry_in`
    /// `None`: delivered, or no attempt follows), or queues its next attempt
    /// `retry_in` from now, and releases the lease. `false` (and no change)
    /// if the lease was no longer this caller's.
    fn settle_delivery<'a>(
        &'a self,
        claimed: &'a ClaimedDelivery,
        retry_in: Option<Duration>,
    ) -> StoreFuture<'a, StoreResult<bool>> {
        let _ = (claimed, retry_in);
        StoreFuture::ready(Ok(false))
    }
}

/// A webhook delivery a caller [claimed](Store::claim_deliveries) from a
/// store's queue: what to send, which attempt it is, and the lease that
/// makes it this caller's.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedDelivery {
    /// Where to send it.
    pub url: String,
    /// The body (its `id` is the generation's, which names the delivery).
    pub payload: artificial_studio_types::WebhookPayload,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// The claim's token, which settling it must show.
    pub lease: String,
}
