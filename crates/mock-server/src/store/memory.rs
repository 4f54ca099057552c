//! The in-memory [`Store`]: lock-free credit debits (atomic compare-and-swap),
//! read-mostly account maps, bounded generations, uploads, journal and deliveries.

use std::{
    collections::{VecDeque, hash_map::Entry as Slot},
    sync::{
        Arc, OnceLock,
        atomic::{AtomicU8, AtomicU64, Ordering},
    },
};

use artificial_studio_types::{
    Account, Generation, GenerationStatus, GenerationType, Plan, WebhookPayload,
};
use chrono::{DateTime, Utc};
// Faster than SipHash on the short keys looked up several times per request;
// still seeded per process.
use foldhash::HashMap;
use indexmap::IndexMap;
use parking_lot::RwLock;

use super::{
    AccountPatch, Caller, CreateError, Finished, GenerationJson, GenerationPage, MockAccount,
    NewGeneration, Outcome, OwnedGeneration, Store, StoreFuture, StoredUpload,
};
use crate::{
    Error,
    config::{AccountConfig, Bucket, RateLimits},
    ids,
    outcomes::Outcomes,
    payload::read_payload,
    query::ListQuery,
    ratelimit::{RateDecision, RateLimiters},
};

/// Most bytes of uploads kept; the oldest go first.
const MAX_UPLOAD_BYTES_TOTAL: usize = 512 * 1024 * 1024;

/// Sizes and limits of a [`MemoryStore`].
#[derive(Debug, Clone)]
pub struct MemoryStoreOptions {
    /// Rate limits per plan and bucket.
    pub rate_limits: RateLimits,
    /// Most generations kept before the oldest finished ones are evicted.
    pub max_generations: usize,
}

struct AccountState {
    id: Arc<str>,
    key: String,
    email: String,
    created_at: DateTime<Utc>,
    credits: AtomicU64,
    plan: AtomicU8,
}

impl AccountState {
    fn new(id: Arc<str>, config: AccountConfig, created_at: DateTime<Utc>) -> Self {
        AccountState {
            id,
            key: config.key,
            email: config.email,
            created_at,
            credits: AtomicU64::new(config.credits),
            plan: AtomicU8::new(plan_to_u8(&config.plan)),
        }
    }

    fn plan(&self) -> Plan {
        plan_from_u8(self.plan.load(Ordering::Acquire))
    }

    fn view(&self) -> MockAccount {
        MockAccount {
            key: self.key.clone(),
            account: Account {
                id: self.id.to_string(),
                email: self.email.clone(),
                credits: self.credits.load(Ordering::Acquire),
                plan: self.plan(),
                created_at: self.created_at,
            },
        }
    }
}

fn plan_to_u8(plan: &Plan) -> u8 {
    match plan {
        Plan::Pro => 1,
        Plan::Free | Plan::Unknown(_) => 0,
    }
}

fn plan_from_u8(value: u8) -> Plan {
    if value == 1 { Plan::Pro } else { Plan::Free }
}

/// A starting account with the id it keeps across resets.
struct Seed {
    config: AccountConfig,
    id: Arc<str>,
    created_at: DateTime<Utc>,
}

#[derive(Default)]
struct Accounts {
    by_key: HashMap<String, Arc<AccountState>>,
    by_id: HashMap<Arc<str>, Arc<AccountState>>,
}

impl Accounts {
    fn insert(&mut self, state: AccountState) -> Arc<AccountState> {
        let state = Arc::new(state);
        self.by_key.insert(state.key.clone(), state.clone());
        self.by_id.insert(state.id.clone(), state.clone());
        state
    }
}

/// A generation as the store keeps it.
///
/// At the cap, a hundred thousand of these are alive, each made by one request
/// and freed by a much later one: memory the allocator hands out cold and gets
/// back cold, which costs far more per block than the short-lived allocations
/// of a request. So the generation's text (tool, URLs, error, webhook, and the
/// payload as JSON) is kept end to end in one allocation instead of a dozen
/// strings and a map, and the [`Generation`] is rebuilt when it is read.
struct Entry {
    owner: Arc<str>,
    status: GenerationStatus,
    type_: GenerationType,
    created_at: DateTime<Utc>,
    cost: u64,
    text: Text,
    /// The generation serialized, once asked for; emptied when it changes.
    json: OnceLock<GenerationJson>,
}

/// The pieces of an [`Entry`]'s text, in the order they are kept.
#[derive(Clone, Copy)]
enum Piece {
    Tool,
    Output,
    Thumbnail,
    Error,
    Webhook,
    Payload,
}

const PIECES: usize = 6;

/// Strings kept end to end in one allocation: piece `i` is
/// `all[ends[i - 1]..ends[i]]`, absent if `present[i]` is false.
struct Text {
    all: Box<str>,
    ends: [usize; PIECES],
    present: [bool; PIECES],
}

impl Text {
    fn new(pieces: [Option<&str>; PIECES]) -> Self {
        let mut all = String::with_capacity(pieces.iter().flatten().map(|p| p.len()).sum());
        let mut ends = [0; PIECES];
        let mut present = [false; PIECES];
        for (i, piece) in pieces.into_iter().enumerate() {
            if let Some(piece) = piece {
                all.push_str(piece);
                present[i] = true;
            }
            ends[i] = all.len();
        }
        Text {
            all: all.into_boxed_str(),
            ends,
            present,
        }
    }

    fn get(&self, piece: Piece) -> Option<&str> {
        let i = piece as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.present[i]
            .then(|| self.all.get(start..self.ends[i]))
            .flatten()
    }

    fn string(&self, piece: Piece) -> Option<String> {
        self.get(piece).map(str::to_string)
    }
}

impl Entry {
    /// A new generation's entry, ended at once if `outcome` is given.
    fn new(new: NewGeneration, cost: u64, outcome: Option<&Outcome>) -> Self {
        let NewGeneration {
            owner,
            id: _,
            status,
            tool,
            type_,
            payload,
            created_at,
            webhook,
        } = new;
        let (ended_as, ends) = ended(outcome);
        Entry {
            owner,
            status: ended_as.unwrap_or(status),
            type_,
            created_at,
            cost,
            text: Text::new([
                Some(&tool),
                ends[0],
                ends[1],
                ends[2],
                webhook.as_deref(),
                Some(payload.as_str()),
            ]),
            json: OnceLock::new(),
        }
    }

    /// Ends the generation as `outcome` says (the refund is the caller's).
    fn finish(&mut self, outcome: &Outcome) {
        let (ended_as, ends) = ended(Some(outcome));
        if let Some(status) = ended_as {
            self.status = status;
        }
        self.text = Text::new([
            self.text.get(Piece::Tool),
            ends[0],
            ends[1],
            ends[2],
            self.text.get(Piece::Webhook),
            self.text.get(Piece::Payload),
        ]);
        self.json = OnceLock::new();
    }

    /// What a generation that just ended hands to the lifecycle: its status,
    /// and the webhook to send on `success` when it has one.
    fn finished(&self, id: &str) -> Finished {
        let webhook = match (self.text.get(Piece::Webhook), &self.status) {
            (Some(url), GenerationStatus::Success) => Some((
                url.to_string(),
                WebhookPayload {
                    id: id.to_string(),
                    status: self.status.clone(),
                    tool: Some(self.text.string(Piece::Tool).unwrap_or_default()),
                    type_: Some(self.type_.clone()),
                    output: self.text.string(Piece::Output),
                    thumbnail: self.text.string(Piece::Thumbnail),
                    created_at: Some(self.created_at),
                },
            )),
            _ => None,
        };
        Finished {
            status: self.status.clone(),
            webhook,
        }
    }

    /// The generation as the API shows it, rebuilt.
    fn generation(&self, id: String) -> Generation {
        let payload = read_payload(self.text.get(Piece::Payload).unwrap_or("{}"));
        Generation {
            id,
            status: self.status.clone(),
            tool: self.text.string(Piece::Tool).unwrap_or_default(),
            type_: Some(self.type_.clone()),
            output: self.text.string(Piece::Output),
            thumbnail: self.text.string(Piece::Thumbnail),
            error: self.text.string(Piece::Error),
            payload,
            created_at: self.created_at,
        }
    }

    /// The generation with its owner and webhook, rebuilt.
    fn owned(&self, id: &str) -> OwnedGeneration {
        OwnedGeneration {
            owner: self.owner.clone(),
            generation: self.generation(id.to_string()),
            webhook: self.text.string(Piece::Webhook),
        }
    }
}

/// A generation id as the store's maps keep it: the 12 bytes of a
/// 24-lowercase-hex-digit id inline (every id the server makes), any other
/// text boxed. Inline keys cost no allocation, however many maps hold them.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Hex([u8; 12]),
    Text(Box<str>),
}

impl Key {
    fn of(id: &str) -> Key {
        ids::object_id_bytes(id).map_or_else(|| Key::Text(id.into()), Key::Hex)
    }

    /// The id as text again.
    fn id(&self) -> String {
        match self {
            Key::Hex(bytes) => ids::object_id_text(bytes),
            Key::Text(text) => text.to_string(),
        }
    }
}

#[derive(Default)]
struct Generations {
    /// Boxed: a table slot holds a pointer, not a whole generation, so growing
    /// and rehashing the table (which removals at the cap make frequent) moves
    /// a few bytes per generation instead of a few hundred.
    by_id: HashMap<Key, Box<Entry>>,
    /// Every id, oldest first, for eviction.
    order: VecDeque<Key>,
    /// Each owner's ids, oldest first, for listing.
    by_owner: HashMap<Arc<str>, VecDeque<Key>>,
}

/// The status and the output, thumbnail and error pieces of an `outcome`
/// (no status and no pieces for none).
fn ended(outcome: Option<&Outcome>) -> (Option<GenerationStatus>, [Option<&str>; 3]) {
    match outcome {
        None => (None, [None; 3]),
        Some(Outcome::Success { output, thumbnail }) => (
            Some(GenerationStatus::Success),
            [Some(output), thumbnail.as_deref(), None],
        ),
        Some(Outcome::Error(message)) => {
            (Some(GenerationStatus::Error), [None, None, Some(message)])
        }
    }
}

impl Generations {
    /// Sizes the id table for life at the cap, once, when the cap is first
    /// reached. At the cap each run inserts one id and removes another; the
    /// removals leave tombstones, and a table more than half full cleans them
    /// by doubling, which it would do once, at some later moment, growing the
    /// server's memory past the cap by the table's size. Doubling now, at the
    /// cap, makes it happen at a known point: after it the table is at most
    /// half full and cleans its tombstones in place, so memory stays flat.
    fn room_for_churn(&mut self, cap: usize) {
        let len = self.by_id.len();
        let wanted = cap.saturating_mul(2);
        if len >= cap && self.by_id.capacity() < wanted {
            self.by_id.reserve(wanted - len);
        }
    }

    /// Removes generations, oldest finished first, until at most `cap` are
    /// kept, and hands back the last one removed (usually the only one) for
    /// the caller to drop once it has released the lock: freeing a generation
    /// is a dozen frees, which the other requests need not wait for.
    fn evict_beyond(&mut self, cap: usize) -> Option<Box<Entry>> {
        let mut evicted = None;
        while self.by_id.len() > cap {
            // The usual case, the oldest has ended: looked up once, removed
            // through the same slot.
            if let Some(oldest) = self.order.front().cloned()
                && let Slot::Occupied(slot) = self.by_id.entry(oldest)
                && slot.get().status.is_final()
            {
                let (id, entry) = slot.remove_entry();
                self.order.pop_front();
                self.forget_owned(&entry.owner, &id);
                evicted = Some(entry);
                continue;
            }
            let by_id = &self.by_id;
            let Some(index) = self
                .order
                .iter()
                .position(|id| by_id.get(id).is_some_and(|e| e.status.is_final()))
            else {
                break; // only running generations left: none is ever lost
            };
            let Some(id) = self.order.remove(index) else {
                break;
            };
            let Some(entry) = self.by_id.remove(&id) else {
                continue;
            };
            self.forget_owned(&entry.owner, &id);
            evicted = Some(entry);
        }
        evicted
    }

    /// Takes `id` out of its owner's list (where it is usually the oldest).
    fn forget_owned(&mut self, owner: &str, id: &Key) {
        if let Some(ids) = self.by_owner.get_mut(owner)
            && let Some(at) = ids.iter().position(|x| x == id)
        {
            ids.remove(at);
        }
    }
}

#[derive(Default)]
struct Uploads {
    files: IndexMap<String, StoredUpload>,
    bytes: usize,
}

/// The embedded in-memory [`Store`].
pub struct MemoryStore {
    seeds: Vec<Seed>,
    options: MemoryStoreOptions,
    accounts: RwLock<Accounts>,
    limiters: RwLock<Arc<RateLimiters>>,
    generations: RwLock<Generations>,
    uploads: RwLock<Uploads>,
}

impl MemoryStore {
    /// A store holding `accounts`, with the given limits.
    pub fn new(accounts: Vec<AccountConfig>, options: MemoryStoreOptions) -> Self {
        let now = Utc::now();
        let seeds = accounts
            .into_iter()
            .map(|config| Seed {
                config,
                id: Arc::from(ids::object_id()),
                created_at: now,
            })
            .collect();
        let store = MemoryStore {
            seeds,
            // Built for real by restart below, once.
            limiters: RwLock::new(Arc::new(RateLimiters::new(RateLimits::Off))),
            options,
            accounts: RwLock::default(),
            generations: RwLock::default(),
            uploads: RwLock::default(),
        };
        store.restart();
        store
    }

    fn restart(&self) {
        let mut accounts = Accounts::default();
        for seed in &self.seeds {
            accounts.insert(AccountState::new(
                seed.id.clone(),
                seed.config.clone(),
                seed.created_at,
            ));
        }
        *self.accounts.write() = accounts;
        *self.limiters.write() = Arc::new(RateLimiters::new(self.options.rate_limits));
        *self.generations.write() = Generations::default();
        *self.uploads.write() = Uploads::default();
    }

    fn state_by_key(&self, key: &str) -> Option<Arc<AccountState>> {
        self.accounts.read().by_key.get(key).cloned()
    }

    /// The whole of a run on an instant schedule: the debit, the scripted
    /// outcome (used up only once the debit is made), and the generation
    /// stored already ended, with one write to the generations.
    fn create_finished(
        &self,
        new: NewGeneration,
        cost: u64,
        success: Outcome,
        scripted: &Outcomes,
    ) -> Result<Finished, CreateError> {
        self.debit(&new.owner, cost)?;
        let failure = scripted.take(&new.tool);
        let outcome = Outcome::scripted_or(failure, || success);
        if let Outcome::Error(_) = outcome {
            self.refund(&new.owner, cost);
        }
        Ok(self.insert(new, cost, Some(&outcome)))
    }

    /// Takes `cost` credits from `owner`, or nothing. Done under the read
    /// lock, without taking a count of the account's `Arc`, which every run
    /// of every worker would write.
    fn debit(&self, owner: &str, cost: u64) -> Result<(), CreateError> {
        let accounts = self.accounts.read();
        let account = accounts
            .by_id
            .get(owner)
            .ok_or(CreateError::UnknownAccount)?;
        account
            .credits
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |c| c.checked_sub(cost))
            .map_err(|_| CreateError::InsufficientCredits)?;
        Ok(())
    }

    /// Gives `cost` credits back to `owner` (a generation that ended in `error`).
    fn refund(&self, owner: &str, cost: u64) {
        if let Some(account) = self.accounts.read().by_id.get(owner) {
            account.credits.fetch_add(cost, Ordering::AcqRel);
        }
    }

    /// Stores a generation whose cost is paid, ended at once if `outcome` is
    /// given, evicting beyond the cap; returns how it stands as stored.
    fn insert(&self, mut new: NewGeneration, cost: u64, outcome: Option<&Outcome>) -> Finished {
        let key = Key::of(&new.id);
        // Moved out: the entry keeps the id only as its key.
        let id = std::mem::take(&mut new.id);
        let owner = new.owner.clone();
        // Built before the lock: packing the text is most of the work.
        let entry = Box::new(Entry::new(new, cost, outcome));
        let finished = entry.finished(&id);
        let mut generations = self.generations.write();
        generations.order.push_back(key.clone());
        generations
            .by_owner
            .entry(owner)
            .or_default()
            .push_back(key.clone());
        generations.by_id.insert(key, entry);
        generations.room_for_churn(self.options.max_generations);
        let evicted = generations.evict_beyond(self.options.max_generations);
        drop(generations);
        drop(evicted);
        finished
    }

    /// `read` applied to a generation's entry under the read lock.
    fn with_entry<T>(&self, id: &str, read: impl FnOnce(&Entry) -> T) -> Option<T> {
        self.generations
            .read()
            .by_id
            .get(&Key::of(id))
            .map(|e| read(e))
    }
}

impl Store for MemoryStore {
    fn authenticate<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Caller>> {
        // Read under the lock, without taking a count of the account's `Arc`:
        // every request of every worker would write that count.
        let caller = self.accounts.read().by_key.get(key).map(|state| Caller {
            account_id: state.id.clone(),
            plan: state.plan(),
        });
        StoreFuture::ready(caller)
    }

    fn account<'a>(&'a self, account_id: &'a str) -> StoreFuture<'a, Option<Account>> {
        let account = self
            .accounts
            .read()
            .by_id
            .get(account_id)
            .map(|state| state.view().account);
        StoreFuture::ready(account)
    }

    fn accounts(&self) -> StoreFuture<'_, Vec<MockAccount>> {
        let accounts = self.accounts.read();
        let mut all: Vec<_> = accounts.by_key.values().map(|s| s.view()).collect();
        all.sort_by(|a, b| a.key.cmp(&b.key));
        StoreFuture::ready(all)
    }

    fn create_account(&self, config: AccountConfig) -> StoreFuture<'_, Result<MockAccount, Error>> {
        let mut accounts = self.accounts.write();
        let result = if accounts.by_key.contains_key(&config.key) {
            Err(Error::DuplicateKey(config.key))
        } else {
            let id = Arc::from(ids::object_id());
            let state = accounts.insert(AccountState::new(id, config, Utc::now()));
            Ok(state.view())
        };
        StoreFuture::ready(result)
    }

    fn update_account<'a>(
        &'a self,
        key: &'a str,
        patch: AccountPatch,
    ) -> StoreFuture<'a, Result<MockAccount, Error>> {
        let result = match self.state_by_key(key) {
            None => Err(Error::UnknownKey(key.to_string())),
            Some(state) => {
                if let Some(credits) = patch.credits {
                    state.credits.store(credits, Ordering::Release);
                }
                if let Some(plan) = patch.plan {
                    state.plan.store(plan_to_u8(&plan), Ordering::Release);
                }
                Ok(state.view())
            }
        };
        StoreFuture::ready(result)
    }

    fn check_rate<'a>(
        &'a self,
        caller: &'a Caller,
        bucket: Bucket,
    ) -> StoreFuture<'a, Option<RateDecision>> {
        let limiters = self.limiters.read().clone();
        StoreFuture::ready(limiters.check(&caller.account_id, caller.plan.clone(), bucket))
    }

    fn create_generation(
        &self,
        generation: NewGeneration,
        cost: u64,
    ) -> StoreFuture<'_, Result<(), CreateError>> {
        let debited = self.debit(&generation.owner, cost);
        StoreFuture::ready(debited.map(|()| {
            self.insert(generation, cost, None);
        }))
    }

    fn create_finished_generation<'a>(
        &'a self,
        generation: NewGeneration,
        cost: u64,
        success: Outcome,
        scripted: &'a Outcomes,
    ) -> StoreFuture<'a, Result<Option<Finished>, CreateError>> {
        StoreFuture::ready(
            self.create_finished(generation, cost, success, scripted)
                .map(Some),
        )
    }

    fn generation<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<OwnedGeneration>> {
        StoreFuture::ready(self.with_entry(id, |e| e.owned(id)))
    }

    fn generation_json<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<GenerationJson>> {
        let json = |e: &Entry| {
            e.json
                .get_or_init(|| GenerationJson::of(&e.owned(id)))
                .clone()
        };
        StoreFuture::ready(self.with_entry(id, json))
    }

    fn list_generations<'a>(
        &'a self,
        owner: &'a str,
        query: ListQuery,
    ) -> StoreFuture<'a, GenerationPage> {
        let generations = self.generations.read();
        let Some(ids) = generations.by_owner.get(owner) else {
            return StoreFuture::ready(GenerationPage {
                data: Vec::new(),
                total: 0,
            });
        };
        let offset = usize::try_from(query.offset).unwrap_or(usize::MAX);
        let limit = query.limit as usize;
        let newest_first = ids
            .iter()
            .rev()
            .filter_map(|key| generations.by_id.get(key).map(|e| (key, e)));
        let page = match query.status {
            None => GenerationPage {
                total: ids.len() as u64,
                data: newest_first
                    .skip(offset)
                    .take(limit)
                    .map(|(key, e)| e.generation(key.id()))
                    .collect(),
            },
            Some(status) => {
                let mut total = 0u64;
                let mut data = Vec::new();
                for (key, entry) in newest_first.filter(|(_, e)| e.status == status) {
                    if total as usize >= offset && data.len() < limit {
                        data.push(entry.generation(key.id()));
                    }
                    total += 1;
                }
                GenerationPage { data, total }
            }
        };
        StoreFuture::ready(page)
    }

    fn set_status<'a>(&'a self, id: &'a str, status: GenerationStatus) -> StoreFuture<'a, ()> {
        if let Some(entry) = self.generations.write().by_id.get_mut(&Key::of(id))
            && !entry.status.is_final()
            && !status.is_final()
        {
            entry.json = OnceLock::new();
            entry.status = status;
        }
        StoreFuture::ready(())
    }

    fn finish_generation<'a>(
        &'a self,
        id: &'a str,
        outcome: Outcome,
    ) -> StoreFuture<'a, Option<Finished>> {
        let mut generations = self.generations.write();
        let finished = generations
            .by_id
            .get_mut(&Key::of(id))
            .filter(|entry| !entry.status.is_final())
            .map(|entry| {
                entry.finish(&outcome);
                let finished = entry.finished(id);
                if finished.status == GenerationStatus::Error {
                    self.refund(&entry.owner, entry.cost);
                }
                finished
            });
        StoreFuture::ready(finished)
    }

    fn put_upload(&self, upload: StoredUpload) -> StoreFuture<'_, ()> {
        let mut uploads = self.uploads.write();
        uploads.bytes += upload.bytes.len();
        uploads.files.insert(upload.file.id.clone(), upload);
        while uploads.bytes > MAX_UPLOAD_BYTES_TOTAL && uploads.files.len() > 1 {
            if let Some((_, oldest)) = uploads.files.shift_remove_index(0) {
                uploads.bytes -= oldest.bytes.len();
            }
        }
        StoreFuture::ready(())
    }

    fn upload<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<StoredUpload>> {
        StoreFuture::ready(self.uploads.read().files.get(id).cloned())
    }

    fn reset(&self) -> StoreFuture<'_, ()> {
        self.restart();
        StoreFuture::ready(())
    }
}

#[cfg(test)]
mod tests {
    use artificial_studio_types::GenerationType;

    use crate::{outcomes::ScriptedOutcome, payload::PayloadJson};

    use super::*;

    fn store(max_generations: usize) -> MemoryStore {
        MemoryStore::new(
            vec![AccountConfig::new("k", Plan::Free, 10)],
            MemoryStoreOptions {
                rate_limits: RateLimits::Off,
                max_generations,
            },
        )
    }

    fn generation(owner: &Arc<str>) -> NewGeneration {
        NewGeneration {
            owner: owner.clone(),
            id: ids::object_id(),
            status: GenerationStatus::Processing,
            tool: "create-image".into(),
            type_: GenerationType::Image,
            payload: PayloadJson::of(&Default::default()),
            created_at: Utc::now(),
            webhook: None,
        }
    }

    /// What a new generation reads back as before it ends.
    fn owned(new: &NewGeneration) -> OwnedGeneration {
        OwnedGeneration {
            owner: new.owner.clone(),
            generation: Generation {
                id: new.id.clone(),
                status: new.status.clone(),
                tool: new.tool.clone(),
                type_: Some(new.type_.clone()),
                output: None,
                thumbnail: None,
                error: None,
                payload: new.payload.to_map(),
                created_at: new.created_at,
            },
            webhook: new.webhook.clone(),
        }
    }

    /// A generation kept packed reads back field for field, as created and
    /// after it ends either way: every optional piece present or absent, a
    /// payload with nesting, numbers and text outside ASCII, its fields in
    /// their order.
    #[test]
    fn a_packed_generation_reads_back_as_it_was_stored() {
        let owner: Arc<str> = Arc::from("acc_1");
        let payload = serde_json::json!({
            "model": "seedream-4",
            "prompt": "un phare au crépuscule \"quoted\" 🌅",
            "seed": -12,
            "guidance": 0.1,
            "big": 18446744073709551615u64,
            "size": {"w": 1024, "h": null},
            "tags": ["a", 1, true],
            "empty": ""
        });
        let serde_json::Value::Object(payload) = payload else {
            unreachable!("a JSON object literal");
        };
        let mut new = generation(&owner);
        new.payload = PayloadJson::of(&payload);
        new.webhook = Some("https://hooks.example.com/a?b=c".into());
        let success = Outcome::Success {
            output: "http://127.0.0.1:1/outputs/x.png".into(),
            thumbnail: Some("http://127.0.0.1:1/thumbnails/x.png".into()),
        };
        let failure = Outcome::Error(String::new());
        let plain = generation(&owner);
        for (new, outcome) in [
            (new.clone(), None),
            (new, Some(success)),
            (plain.clone(), Some(failure)),
            (plain, None),
        ] {
            let mut expected = owned(&new);
            match &outcome {
                Some(Outcome::Success { output, thumbnail }) => {
                    expected.generation.status = GenerationStatus::Success;
                    expected.generation.output = Some(output.clone());
                    expected.generation.thumbnail = thumbnail.clone();
                }
                Some(Outcome::Error(message)) => {
                    expected.generation.status = GenerationStatus::Error;
                    expected.generation.error = Some(message.clone());
                }
                None => {}
            }
            let id = new.id.clone();
            // Ended as it is stored, or stored and ended later: the same.
            let at_once = Entry::new(new.clone(), 3, outcome.as_ref());
            let mut later = Entry::new(new, 3, None);
            if let Some(outcome) = &outcome {
                later.finish(outcome);
            }
            for entry in [at_once, later] {
                let back = entry.owned(&id);
                assert_eq!(back.generation, expected.generation);
                assert_eq!(back.webhook, expected.webhook);
                assert_eq!(back.owner, expected.owner);
                let keys: Vec<_> = back.generation.payload.keys().collect();
                let expected: Vec<_> = expected.generation.payload.keys().collect();
                assert_eq!(keys, expected, "the payload keeps its order");
            }
        }
    }

    /// Ids the server makes are kept as 12 bytes and read back the same; any
    /// other text (upper case, another length, not hex) is kept as it is.
    #[test]
    fn keys_keep_every_id_exactly() {
        let made = ids::object_id();
        assert!(matches!(Key::of(&made), Key::Hex(_)));
        for id in [
            made.as_str(),
            "000000000000000000000000",
            "ffffffffffffffffffffffff",
            "6B0C9A567FA94B8F371B5B54",
            "6b0c9a567fa94b8f371b5b5",
            "6b0c9a567fa94b8f371b5b5g",
            "",
            "é",
        ] {
            assert_eq!(Key::of(id).id(), id);
        }
        assert!(Key::of("6B0C9A567FA94B8F371B5B54") != Key::of("6b0c9a567fa94b8f371b5b54"));
    }

    /// Reaching the cap sizes the id table once for the churn at the cap;
    /// any number of runs after that neither grows it nor loses a generation.
    #[tokio::test]
    async fn the_id_table_stops_growing_at_the_cap() {
        let cap = 1000;
        let store = MemoryStore::new(
            vec![AccountConfig::new("k", Plan::Pro, 1_000_000)],
            MemoryStoreOptions {
                rate_limits: RateLimits::Off,
                max_generations: cap,
            },
        );
        let caller = store.authenticate("k").await.unwrap();
        let success = || Outcome::Success {
            output: "o".into(),
            thumbnail: None,
        };
        for _ in 0..cap {
            store
                .create_finished_generation(
                    generation(&caller.account_id),
                    1,
                    success(),
                    &Outcomes::default(),
                )
                .await
                .unwrap();
        }
        let at_cap = store.generations.read().by_id.capacity();
        assert!(at_cap >= 2 * cap, "{at_cap}");
        let mut last = String::new();
        for _ in 0..20 * cap {
            let stored = generation(&caller.account_id);
            last = stored.id.clone();
            store
                .create_finished_generation(stored, 1, success(), &Outcomes::default())
                .await
                .unwrap();
        }
        {
            let generations = store.generations.read();
            // `capacity()` is items plus room left, and tombstones take room
            // until the table cleans them, so it moves below `at_cap`; a
            // doubled table would read about twice it.
            assert!(generations.by_id.capacity() <= at_cap);
            assert_eq!(generations.by_id.len(), cap);
            assert_eq!(generations.order.len(), cap);
            let owned = &generations.by_owner[&caller.account_id];
            assert_eq!(owned.len(), cap, "the owner's list follows evictions");
            assert!(owned.iter().eq(generations.order.iter()));
        }
        assert!(store.generation(&last).await.is_some());
    }

    /// The JSON the polling endpoint would send.
    async fn polled(store: &MemoryStore, id: &str) -> serde_json::Value {
        let found = store.generation_json(id).await.unwrap();
        serde_json::from_slice(&found.body.unwrap()).unwrap()
    }

    /// A run at speed 0 through the in-memory store's one step, or through
    /// the trait's default made of the other methods: the same ends.
    #[tokio::test]
    async fn an_instant_run_ends_alike_in_one_step_or_in_steps() {
        for in_steps in [false, true] {
            let owned = store(10);
            let store = &owned;
            let caller = store.authenticate("k").await.unwrap();
            let scripted = &Outcomes::default();
            let success = || Outcome::Success {
                output: "http://x/outputs/a.png".to_string(),
                thumbnail: None,
            };
            let run = |stored, cost| async move {
                if in_steps {
                    super::super::create_finished_in_steps(store, stored, cost, success(), scripted)
                        .await
                } else {
                    store
                        .create_finished_generation(stored, cost, success(), scripted)
                        .await
                }
            };
            let credits = || async { store.account(&caller.account_id).await.unwrap().credits };
            // Success: paid, stored ended, with its output.
            let stored = generation(&caller.account_id);
            let id = stored.id.clone();
            let finished = run(stored, 4).await.unwrap().unwrap();
            assert_eq!(finished.status, GenerationStatus::Success, "{in_steps}");
            assert_eq!(polled(store, &id).await["output"], "http://x/outputs/a.png");
            assert_eq!(credits().await, 6);
            // A scripted failure: refused runs leave it, the next run uses it up.
            scripted.add(ScriptedOutcome {
                tool: "create-image".into(),
                error: "boom".into(),
                count: 1,
            });
            let refused = run(generation(&caller.account_id), 99).await;
            assert!(matches!(refused, Err(CreateError::InsufficientCredits)));
            let stored = generation(&caller.account_id);
            let id = stored.id.clone();
            let finished = run(stored, 4).await.unwrap().unwrap();
            assert_eq!(finished.status, GenerationStatus::Error, "{in_steps}");
            assert_eq!(polled(store, &id).await["error"], "boom");
            assert_eq!(credits().await, 6, "refunded");
        }
    }

    #[tokio::test]
    async fn the_kept_json_of_a_generation_follows_every_change() {
        let store = store(10);
        let caller = store.authenticate("k").await.unwrap();
        let stored = generation(&caller.account_id);
        let id = stored.id.clone();
        store.create_generation(stored, 1).await.unwrap();
        assert_eq!(polled(&store, &id).await["status"], "processing");
        assert_eq!(polled(&store, &id).await["status"], "processing");
        store.set_status(&id, GenerationStatus::Uploading).await;
        assert_eq!(polled(&store, &id).await["status"], "uploading");
        let output = "http://x/outputs/a.png".to_string();
        store
            .finish_generation(
                &id,
                Outcome::Success {
                    output: output.clone(),
                    thumbnail: None,
                },
            )
            .await
            .unwrap();
        let body = polled(&store, &id).await;
        assert_eq!(
            (body["status"].as_str(), body["output"].as_str()),
            (Some("success"), Some(output.as_str()))
        );
        let found = store.generation_json(&id).await.unwrap();
        assert_eq!(found.owner, caller.account_id);
        // The same bytes as serializing the generation itself.
        let direct = store.generation(&id).await.unwrap();
        assert_eq!(body, serde_json::to_value(&direct.generation).unwrap());
        assert!(store.generation_json("nope").await.is_none());
    }

    #[tokio::test]
    async fn debit_refuses_to_go_below_zero_and_error_refunds() {
        let store = store(10);
        let caller = store.authenticate("k").await.unwrap();
        let first = generation(&caller.account_id);
        let id = first.id.clone();
        assert_eq!(store.create_generation(first, 6).await, Ok(()));
        assert_eq!(
            store
                .create_generation(generation(&caller.account_id), 6)
                .await,
            Err(CreateError::InsufficientCredits)
        );
        assert_eq!(store.account(&caller.account_id).await.unwrap().credits, 4);
        store
            .finish_generation(&id, Outcome::Error("no".into()))
            .await
            .unwrap();
        assert_eq!(store.account(&caller.account_id).await.unwrap().credits, 10);
        // A final generation is never finished twice (no double refund).
        assert!(
            store
                .finish_generation(&id, Outcome::Error("no".into()))
                .await
                .is_none()
        );
        assert_eq!(store.account(&caller.account_id).await.unwrap().credits, 10);
    }

    #[tokio::test]
    async fn eviction_drops_the_oldest_finished_generation_and_never_a_running_one() {
        let store = store(2);
        let caller = store.authenticate("k").await.unwrap();
        let ids: Vec<String> = (0..3).map(|_| ids::object_id()).collect();
        for id in &ids[..2] {
            let mut g = generation(&caller.account_id);
            g.id = id.clone();
            store.create_generation(g, 0).await.unwrap();
        }
        let success = Outcome::Success {
            output: "o".into(),
            thumbnail: None,
        };
        store.finish_generation(&ids[1], success).await.unwrap();
        let mut third = generation(&caller.account_id);
        third.id = ids[2].clone();
        store.create_generation(third, 0).await.unwrap();
        assert!(
            store.generation(&ids[0]).await.is_some(),
            "running one kept"
        );
        assert!(
            store.generation(&ids[1]).await.is_none(),
            "finished one evicted"
        );
        let page = store
            .list_generations(
                &caller.account_id,
                ListQuery {
                    limit: 10,
                    offset: 0,
                    status: None,
                },
            )
            .await;
        assert_eq!(page.total, 2);
    }
}
