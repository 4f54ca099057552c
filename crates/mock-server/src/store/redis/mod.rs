//! The [`Store`] on Redis (or Valkey): mock replicas pointed at one server
//! act as one service. Every operation is one Lua script (`*.lua` beside
//! this file, each after `lib.lua`), so it is atomic and costs one round
//! trip; every key sits under the store's namespace (see the crate README
//! for the layout). A plain API request's first steps, with its endpoint's
//! read or write, are one script too (`gate.rs`).
//!
//! Generations on a schedule that takes time are timed here, not by a
//! replica's timer: their status is a function of Redis' clock, brought up
//! to date by each read and by every replica's sweeper (`sweep.lua`), which
//! claims each due generation once.
//!
//! The sandbox's instruments (journal, fault rules, scripted outcomes,
//! webhook deliveries) of each namespace live beside its state
//! (`instruments.rs`), and so does the registry of every replica's sessions.
//! The module is split by noun: `connection.rs` (scripts and how they run),
//! `gate.rs` (a request's fault, key, rate limit and more in one script),
//! `groups.rs` (the gates and journal entries of requests that come
//! together, in one call),
//! `generations.rs` (creating one), `instruments.rs`, `delivery_queue.rs`
//! (webhook deliveries claimed with a lease), `decode.rs`.

mod connection;
mod decode;
mod delivery_queue;
mod gate;
mod generations;
mod groups;
mod instruments;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use artificial_studio_types::{Account, GenerationStatus, Plan};
use bytes::Bytes;
use redis::{Client, Value, aio::ConnectionManager};
use tokio::sync::OnceCell;

use self::{
    connection::{Scripts, in_time},
    decode::{Fields, account_of, finished_of, generation_of, text_of, upload_meta},
    generations::{Mode, outcome_args},
    groups::Groups,
};
use super::{
    AccountPatch, Caller, ClaimedDelivery, CreateError, Finished, GenerationPage, MockAccount,
    NewGeneration, Outcome, OwnedGeneration, SessionRegistry, SharedInstruments, Store,
    StoreFuture, StoreResult, StoredUpload, Unavailable, create_finished_in_steps,
    memory::MAX_UPLOAD_BYTES_TOTAL,
};
use crate::{
    config::{AccountConfig, Bucket, RateLimits},
    error::Error,
    ids,
    outcomes::Outcomes,
    query::ListQuery,
    ratelimit::{RateDecision, interval, now_unix},
};

/// The namespace of the binary's `--store redis://...`.
pub const DEFAULT_NAMESPACE: &str = "astudio-mock";

/// The bucket's part of a rate cell's key.
fn bucket_name(bucket: Bucket) -> &'static str {
    match bucket {
        Bucket::Run => "run",
        Bucket::Get => "get",
    }
}

/// GCRA's `t` (microseconds between two requests at the steady rate) and
/// `tau` (`t` times the burst less one) for `limit` requests a minute, as
/// `rate.lua` and `gate` in `lib.lua` take them.
fn gcra_args(limit: u32) -> (u64, u64) {
    let limit = limit.max(1);
    let t = interval(limit);
    let tau = t * (limit - 1);
    let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
    (micros(t), micros(tau))
}

/// The decision of a rate cell of `limit` a minute from GCRA's answer
/// (`allowed` 1 or 0, then the requests left or the microseconds to wait).
fn decision_of(limit: u32, allowed: &Value, n: &Value) -> Option<RateDecision> {
    let limit = limit.max(1);
    let n = decode::number(n)?;
    let now = now_unix();
    Some(if decode::number(allowed)? == 1 {
        RateDecision::allowed(limit, u32::try_from(n).unwrap_or(0), now)
    } else {
        RateDecision::refused(limit, Duration::from_micros(n), now)
    })
}

/// Most generations one sweep claims.
const SWEEP_BATCH: u32 = 200;

/// Sizes and limits of a [`RedisStore`] (the same as a memory store's; every
/// replica of one namespace should be given the same).
#[derive(Debug, Clone)]
pub struct RedisStoreOptions {
    /// Rate limits per plan and bucket.
    pub rate_limits: RateLimits,
    /// Most generations kept before the oldest finished ones are evicted.
    pub max_generations: usize,
}

/// The [`Store`] on a Redis server shared by replicas. See the module docs.
pub struct RedisStore {
    client: Client,
    /// Shared by the stores of every namespace made from this one.
    connection: Arc<OnceCell<ConnectionManager>>,
    namespace: String,
    /// The configured accounts as `seed.lua` takes them.
    seeds: Vec<String>,
    options: RedisStoreOptions,
    /// Shared by the stores of every namespace made from this one.
    scripts: Arc<Scripts>,
    /// Whether this replica has seen the namespace seeded (checked again
    /// after Redis was out of reach, which may have lost it).
    seeded: AtomicBool,
    /// Whether the last request failed: one log line per failure burst.
    down: AtomicBool,
    /// The groups of gates and journal entries, started by the first.
    groups: std::sync::OnceLock<Groups>,
    /// The JSON of generations read after they ended (which never changes
    /// again), by id: a read of one asks Redis only whether it is kept.
    ended: parking_lot::Mutex<foldhash::HashMap<Box<str>, super::GenerationJson>>,
}

impl RedisStore {
    /// A store on the Redis server at `url` (`redis://HOST:PORT[/DB]`), every
    /// key under `namespace`, starting with `accounts` (seeded once per
    /// namespace: a replica that starts later or restarts finds them as they
    /// are). Connects on first use, and again whenever Redis comes back.
    pub fn new(
        url: &str,
        namespace: &str,
        accounts: Vec<AccountConfig>,
        options: RedisStoreOptions,
    ) -> Result<Self, Error> {
        let client = Client::open(url)
            .map_err(|e| Error::InvalidConfig(format!("store URL {url:?}: {e}")))?;
        let created = text_of(&ids::now());
        let seeds = accounts
            .into_iter()
            .flat_map(|a| {
                [
                    a.key,
                    a.email,
                    a.credits.to_string(),
                    text_of(&a.plan),
                    created.clone(),
                    ids::object_id(),
                ]
            })
            .collect();
        Ok(RedisStore {
            client,
            connection: Arc::new(OnceCell::new()),
            namespace: namespace.to_string(),
            seeds,
            options,
            scripts: Arc::new(Scripts::new()),
            seeded: AtomicBool::new(false),
            down: AtomicBool::new(false),
            groups: std::sync::OnceLock::new(),
            ended: parking_lot::Mutex::default(),
        })
    }

    /// The same server, accounts and options under `namespace` (a
    /// session's), sharing this store's connection.
    fn in_namespace(&self, namespace: &str) -> RedisStore {
        RedisStore {
            client: self.client.clone(),
            connection: self.connection.clone(),
            namespace: namespace.to_string(),
            seeds: self.seeds.clone(),
            options: self.options.clone(),
            scripts: self.scripts.clone(),
            seeded: AtomicBool::new(false),
            down: AtomicBool::new(false),
            groups: std::sync::OnceLock::new(),
            ended: parking_lot::Mutex::default(),
        }
    }

    /// The namespace of session `name` beside this store's: outside it, so
    /// that resetting this store's namespace leaves the sessions' alone
    /// (session names have no `:` and no glob characters).
    fn session_namespace(&self, name: &str) -> String {
        format!("{}-session:{name}", self.namespace)
    }

    async fn account_answer(&self, answer: Value, script: &str) -> Result<MockAccount, Error> {
        Fields::of(&answer)
            .and_then(|f| account_of(&f))
            .ok_or_else(|| self.malformed::<Unavailable>(script))
            .map_err(|_| Error::StoreUnavailable)
    }
}

impl Store for RedisStore {
    fn authenticate<'a>(&'a self, key: &'a str) -> StoreFuture<'a, StoreResult<Option<Caller>>> {
        StoreFuture::new(async move {
            let auth = || {
                self.eval(&self.scripts.auth, |s| {
                    s.arg(key);
                })
            };
            let mut answer = auth().await?;
            if decode::is(&answer, "unseeded") {
                // Dropped through another replica: seeded again, as new.
                self.seeded.store(false, Ordering::Release);
                answer = auth().await?;
            }
            if answer == Value::Nil || decode::is(&answer, "unseeded") {
                return Ok(None);
            }
            match decode::list(&answer).as_deref() {
                Some([id, plan]) => Ok(decode::string(id).map(|id| Caller {
                    account_id: id.into(),
                    plan: decode::string(plan)
                        .and_then(|p| decode::parse_text(&p))
                        .unwrap_or(Plan::Free),
                })),
                _ => Err(self.malformed("auth")),
            }
        })
    }

    fn account<'a>(&'a self, account_id: &'a str) -> StoreFuture<'a, StoreResult<Option<Account>>> {
        StoreFuture::new(async move {
            let answer = self.accounts().await?;
            Ok(answer
                .into_iter()
                .map(|a| a.account)
                .find(|a| a.id == account_id))
        })
    }

    fn accounts(&self) -> StoreFuture<'_, StoreResult<Vec<MockAccount>>> {
        StoreFuture::new(async move {
            let answer = self.eval(&self.scripts.accounts, |_| {}).await?;
            let mut all: Vec<MockAccount> = decode::list(&answer)
                .unwrap_or_default()
                .iter()
                .filter_map(|v| Fields::of(v).and_then(|f| account_of(&f)))
                .collect();
            all.sort_by(|a, b| a.key.cmp(&b.key));
            Ok(all)
        })
    }

    fn create_account(&self, config: AccountConfig) -> StoreFuture<'_, Result<MockAccount, Error>> {
        StoreFuture::new(async move {
            let answer = self
                .eval(&self.scripts.create_account, |s| {
                    s.arg(&config.key)
                        .arg(&config.email)
                        .arg(config.credits)
                        .arg(text_of(&config.plan))
                        .arg(text_of(&ids::now()))
                        .arg(ids::object_id());
                })
                .await
                .map_err(|_| Error::StoreUnavailable)?;
            if decode::is(&answer, "duplicate") {
                return Err(Error::DuplicateKey(config.key));
            }
            self.account_answer(answer, "create_account").await
        })
    }

    fn update_account<'a>(
        &'a self,
        key: &'a str,
        patch: AccountPatch,
    ) -> StoreFuture<'a, Result<MockAccount, Error>> {
        StoreFuture::new(async move {
            let answer = self
                .eval(&self.scripts.update_account, |s| {
                    s.arg(key)
                        .arg(patch.credits.map(|c| c.to_string()).unwrap_or_default())
                        .arg(patch.plan.as_ref().map(text_of).unwrap_or_default());
                })
                .await
                .map_err(|_| Error::StoreUnavailable)?;
            if decode::is(&answer, "unknown") {
                return Err(Error::UnknownKey(key.to_string()));
            }
            self.account_answer(answer, "update_account").await
        })
    }

    fn check_rate<'a>(
        &'a self,
        caller: &'a Caller,
        bucket: Bucket,
    ) -> StoreFuture<'a, StoreResult<Option<RateDecision>>> {
        let Some(limit) = self.options.rate_limits.limit(caller.plan.clone(), bucket) else {
            return StoreFuture::ready(Ok(None));
        };
        StoreFuture::new(async move {
            // A plan the mock does not know counts as free, as in memory.
            let plan = if caller.plan == Plan::Pro {
                "pro"
            } else {
                "free"
            };
            let (t, tau) = gcra_args(limit);
            let answer = self
                .eval(&self.scripts.rate, |s| {
                    s.arg(format!(
                        "{plan}.{}:{}",
                        bucket_name(bucket),
                        caller.account_id
                    ))
                    .arg(t)
                    .arg(tau);
                })
                .await?;
            match decode::list(&answer).as_deref() {
                Some([allowed, n]) => Ok(Some(
                    decision_of(limit, allowed, n).ok_or_else(|| self.malformed("rate"))?,
                )),
                _ => Err(self.malformed("rate")),
            }
        })
    }

    fn create_generation(
        &self,
        generation: NewGeneration,
        cost: u64,
    ) -> StoreFuture<'_, Result<(), CreateError>> {
        StoreFuture::new(async move {
            self.create(generation, cost, Mode::Untimed).await?;
            Ok(())
        })
    }

    fn create_finished_generation<'a>(
        &'a self,
        generation: NewGeneration,
        cost: u64,
        success: Outcome,
        scripted: &'a Outcomes,
    ) -> StoreFuture<'a, Result<Option<Finished>, CreateError>> {
        if scripted.any() {
            // An outcome scripted in this process (a test of the store
            // itself) is used up only once the run is paid: two round trips.
            // The sandbox's, kept on Redis, `create.lua` takes in its one.
            return StoreFuture::new(create_finished_in_steps(
                self, generation, cost, success, scripted,
            ));
        }
        StoreFuture::new(async move {
            let fields = self
                .create(generation, cost, Mode::Instant(success))
                .await?;
            Ok(finished_of(&fields))
        })
    }

    fn runs_schedules(&self) -> bool {
        true
    }

    fn queues_deliveries(&self) -> bool {
        true
    }

    fn claim_deliveries(
        &self,
        lease: Duration,
        max: u32,
    ) -> StoreFuture<'_, StoreResult<Vec<ClaimedDelivery>>> {
        StoreFuture::new(self.claim_due_deliveries(lease, max))
    }

    fn settle_delivery<'a>(
        &'a self,
        claimed: &'a ClaimedDelivery,
        retry_in: Option<Duration>,
    ) -> StoreFuture<'a, StoreResult<bool>> {
        StoreFuture::new(self.settle_claimed_delivery(claimed, retry_in))
    }

    fn session_store(&self, name: &str) -> Option<Arc<dyn Store>> {
        Some(Arc::new(self.in_namespace(&self.session_namespace(name))))
    }

    fn shared_instruments(&self) -> Option<Arc<dyn SharedInstruments>> {
        Some(Arc::new(self.in_namespace(&self.namespace)))
    }

    fn session_registry(&self) -> Option<Arc<dyn SessionRegistry>> {
        Some(Arc::new(self.in_namespace(&self.namespace)))
    }

    fn create_scheduled_generation<'a>(
        &'a self,
        generation: NewGeneration,
        cost: u64,
        durations: [Duration; 3],
        success: Outcome,
        scripted: &'a Outcomes,
    ) -> StoreFuture<'a, Result<(), CreateError>> {
        StoreFuture::new(async move {
            let id = generation.id.clone();
            let tool = generation.tool.clone();
            self.create(generation, cost, Mode::Timed(durations, success))
                .await?;
            if let Some(message) = scripted.take(&tool) {
                // The run is paid and stored: its answer stays `202` even if
                // Redis is lost right here (the outcome is then not applied,
                // and the failure logged).
                let _ = self
                    .eval(&self.scripts.scripted, |s| {
                        s.arg(&id).arg(&message);
                    })
                    .await;
            }
            Ok(())
        })
    }

    fn sweep(&self) -> StoreFuture<'_, StoreResult<Vec<Finished>>> {
        StoreFuture::new(async move {
            let answer = self
                .eval(&self.scripts.sweep, |s| {
                    s.arg(SWEEP_BATCH);
                })
                .await?;
            Ok(decode::list(&answer)
                .unwrap_or_default()
                .iter()
                .filter_map(Fields::of)
                .filter_map(|f| finished_of(&f))
                .collect())
        })
    }

    fn generation<'a>(
        &'a self,
        id: &'a str,
    ) -> StoreFuture<'a, StoreResult<Option<OwnedGeneration>>> {
        StoreFuture::new(async move {
            let answer = self
                .eval(&self.scripts.get, |s| {
                    s.arg(id);
                })
                .await?;
            Ok(Fields::of(&answer).and_then(|f| generation_of(&f)))
        })
    }

    fn list_generations<'a>(
        &'a self,
        owner: &'a str,
        query: ListQuery,
    ) -> StoreFuture<'a, StoreResult<GenerationPage>> {
        StoreFuture::new(async move {
            let answer = self
                .eval(&self.scripts.list, |s| {
                    s.arg(owner)
                        .arg(query.offset)
                        .arg(query.limit)
                        .arg(query.status.as_ref().map(text_of).unwrap_or_default());
                })
                .await?;
            let Some((total, page)) = decode::list(&answer).and_then(|all| {
                let (total, page) = all.split_first()?;
                Some((decode::number(total)?, page.to_vec()))
            }) else {
                return Err(self.malformed("list"));
            };
            Ok(GenerationPage {
                total,
                data: page
                    .iter()
                    .filter_map(Fields::of)
                    .filter_map(|f| generation_of(&f))
                    .map(|g| g.generation)
                    .collect(),
            })
        })
    }

    fn set_status<'a>(
        &'a self,
        id: &'a str,
        status: GenerationStatus,
    ) -> StoreFuture<'a, StoreResult<()>> {
        StoreFuture::new(async move {
            self.eval(&self.scripts.set_status, |s| {
                s.arg(id).arg(text_of(&status));
            })
            .await?;
            Ok(())
        })
    }

    fn finish_generation<'a>(
        &'a self,
        id: &'a str,
        outcome: Outcome,
    ) -> StoreFuture<'a, StoreResult<Option<Finished>>> {
        StoreFuture::new(async move {
            let (end, output, thumbnail, message) = outcome_args(Some(&outcome));
            let answer = self
                .eval(&self.scripts.finish, |s| {
                    s.arg(id).arg(end).arg(output).arg(thumbnail).arg(message);
                })
                .await?;
            Ok(Fields::of(&answer).and_then(|f| finished_of(&f)))
        })
    }

    fn put_upload(&self, upload: StoredUpload) -> StoreFuture<'_, StoreResult<()>> {
        StoreFuture::new(async move {
            let meta = upload_meta::encode(&upload);
            self.eval(&self.scripts.put_upload, |s| {
                s.arg(&upload.file.id)
                    .arg(meta)
                    .arg(upload.bytes.as_ref())
                    .arg(MAX_UPLOAD_BYTES_TOTAL);
            })
            .await?;
            Ok(())
        })
    }

    fn upload<'a>(&'a self, id: &'a str) -> StoreFuture<'a, StoreResult<Option<StoredUpload>>> {
        StoreFuture::new(async move {
            let mut connection = self.connection().await?;
            let key = format!("{}:upload:{id}", self.namespace);
            let answer = in_time(
                redis::cmd("HMGET")
                    .arg(key)
                    .arg("meta")
                    .arg("bytes")
                    .query_async::<(Option<String>, Option<Vec<u8>>)>(&mut connection),
            )
            .await;
            let (meta, bytes) = self.observe(answer)?;
            Ok(meta
                .zip(bytes)
                .and_then(|(meta, bytes)| upload_meta::decode(&meta, Bytes::from(bytes))))
        })
    }

    fn reset(&self) -> StoreFuture<'_, StoreResult<()>> {
        StoreFuture::new(async move {
            self.run(&self.scripts.reset, |s| {
                s.arg(&self.seeds);
            })
            .await?;
            self.seeded.store(true, Ordering::Release);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests;
