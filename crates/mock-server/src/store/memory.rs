//! The in-memory [`Store`]: lock-free credit debits (atomic compare-and-swap),
//! read-mostly account maps, bounded generations (`generations`) and uploads.

use std::sync::{
    Arc, OnceLock,
    atomic::{AtomicBool, Ordering},
};

use artificial_studio_types::{Account, GenerationStatus};
use chrono::Utc;
use indexmap::IndexMap;
use parking_lot::{RwLock, RwLockReadGuard};

use super::accounts::{AccountState, Accounts, Seed, plan_to_u8};
use super::generations::{Entry, Generations, Key};
use super::snapshot::{self, Resumable, SavedAccount, SavedUpload, Snapshot};
use super::{
    AccountPatch, Caller, CreateError, Finished, GenerationJson, GenerationPage, MockAccount,
    NewGeneration, Outcome, OwnedGeneration, Store, StoreFuture, StoreResult, StoredUpload,
};
use crate::{
    config::{AccountConfig, Bucket, RateLimits},
    error::Error,
    ids,
    outcomes::Outcomes,
    query::ListQuery,
    ratelimit::{RateDecision, RateLimiters},
};

/// Most bytes of uploads kept; the oldest go first.
pub(super) const MAX_UPLOAD_BYTES_TOTAL: usize = 512 * 1024 * 1024;

/// Sizes and limits of a [`MemoryStore`].
#[derive(Debug, Clone)]
pub struct MemoryStoreOptions {
    /// Rate limits per plan and bucket.
    pub rate_limits: RateLimits,
    /// Most generations kept before the oldest finished ones are evicted.
    pub max_generations: usize,
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
    /// Held shared by every change (a run's debit and its generation are one
    /// change) and alone by [`MemoryStore::snapshot`], which so never sees a
    /// change half made.
    gate: RwLock<()>,
    /// Whether anything changed since the last snapshot.
    changed: AtomicBool,
    /// Whether changes take the gate and mark the store changed: only for a
    /// store whose snapshots are written (`--state`), so that a store
    /// without one pays nothing for them.
    snapshots: bool,
    accounts: RwLock<Accounts>,
    limiters: RwLock<Arc<RateLimiters>>,
    generations: RwLock<Generations>,
    uploads: RwLock<Uploads>,
}

impl MemoryStore {
    /// A store holding `accounts`, with the given limits.
    pub fn new(accounts: Vec<AccountConfig>, options: MemoryStoreOptions) -> Self {
        MemoryStore::seeded(accounts, options, &[])
    }

    /// A store with the starting `accounts`, whose ids and creation times are
    /// taken from `known` where a key matches (so a reset after a restart
    /// gives the accounts their ids again).
    fn seeded(
        accounts: Vec<AccountConfig>,
        options: MemoryStoreOptions,
        known: &[SavedAccount],
    ) -> Self {
        let now = Utc::now();
        let seeds = accounts
            .into_iter()
            .map(|config| match known.iter().find(|a| a.key == config.key) {
                Some(saved) => Seed {
                    config,
                    id: Arc::from(saved.id.as_str()),
                    created_at: saved.created_at,
                },
                None => Seed {
                    config,
                    id: Arc::from(ids::object_id()),
                    created_at: now,
                },
            })
            .collect();
        let store = MemoryStore {
            seeds,
            // Built for real by restart below, once.
            limiters: RwLock::new(Arc::new(RateLimiters::new(RateLimits::Off))),
            options,
            gate: RwLock::new(()),
            changed: AtomicBool::new(false),
            snapshots: false,
            accounts: RwLock::default(),
            generations: RwLock::default(),
            uploads: RwLock::default(),
        };
        store.restart();
        store
    }

    /// A store in the state `snapshot` holds: its accounts with their
    /// balances (and the starting `accounts` it lacks), generations and
    /// uploads; with the generations still running then, for the lifecycle
    /// to resume. The error says what in the snapshot is wrong.
    pub fn restored(
        accounts: Vec<AccountConfig>,
        options: MemoryStoreOptions,
        snapshot: Snapshot,
    ) -> Result<(Self, Vec<Resumable>), String> {
        let store = MemoryStore::seeded(accounts, options, &snapshot.accounts).with_snapshots();
        {
            let mut accounts = store.accounts.write();
            for saved in snapshot.accounts {
                if let Some(old) = accounts.by_key.get(&saved.key).cloned() {
                    accounts.by_id.remove(&old.id);
                }
                let config = AccountConfig {
                    key: saved.key,
                    email: saved.email,
                    plan: saved.plan,
                    credits: saved.credits,
                };
                accounts.insert(AccountState::new(
                    Arc::from(saved.id),
                    config,
                    saved.created_at,
                ));
            }
        }
        let mut running = Vec::new();
        {
            let mut generations = store.generations.write();
            for saved in snapshot.generations {
                let key = Key::of(&saved.id);
                if generations.by_id.contains_key(&key) {
                    return Err(format!("generation {} is there twice", saved.id));
                }
                if !saved.status.is_final() {
                    running.push(Resumable {
                        id: saved.id.clone(),
                        type_: saved.type_.clone(),
                        status: saved.status.clone(),
                        created_at: saved.created_at,
                    });
                }
                let entry = Box::new(Entry::restore(saved));
                generations.order.push_back(key.clone());
                generations
                    .by_owner
                    .entry(entry.owner.clone())
                    .or_default()
                    .push_back(key.clone());
                generations.by_id.insert(key, entry);
            }
            generations.evict_beyond(store.options.max_generations);
        }
        for saved in snapshot.uploads {
            store.keep_upload(saved.restore()?);
        }
        Ok((store, running))
    }

    /// The whole state, taken in one pass with every change held off (the
    /// copy under the lock, the conversion after it), and marked unchanged
    /// since.
    pub fn snapshot(&self) -> Snapshot {
        let gate = self.gate.write();
        self.changed.store(false, Ordering::Relaxed);
        let accounts: Vec<MockAccount> = self
            .accounts
            .read()
            .by_id
            .values()
            .map(|s| s.view())
            .collect();
        let generations: Vec<_> = {
            let generations = self.generations.read();
            generations
                .order
                .iter()
                .filter_map(|key| generations.by_id.get(key).map(|e| (key.clone(), e.copy())))
                .collect()
        };
        let uploads: Vec<StoredUpload> = self.uploads.read().files.values().cloned().collect();
        drop(gate);
        let mut accounts: Vec<SavedAccount> =
            accounts.into_iter().map(SavedAccount::from).collect();
        accounts.sort_by(|a, b| a.key.cmp(&b.key));
        Snapshot {
            format: snapshot::FORMAT.to_string(),
            version: snapshot::VERSION,
            saved_at: Utc::now(),
            public_url: None,
            accounts,
            generations: generations
                .into_iter()
                .map(|(key, copy)| copy.saved(key.id()))
                .collect(),
            uploads: uploads.iter().map(SavedUpload::of).collect(),
            sessions: Vec::new(),
        }
    }

    /// The store, with its changes tracked for [`MemoryStore::snapshot`]
    /// (without it, [`MemoryStore::has_changed`] stays false).
    pub fn with_snapshots(mut self) -> Self {
        self.snapshots = true;
        self
    }

    /// Whether anything changed since the last [`MemoryStore::snapshot`].
    pub fn has_changed(&self) -> bool {
        self.changed.load(Ordering::Relaxed)
    }

    /// Marks the store changed again (a snapshot that could not be written).
    pub fn mark_changed(&self) {
        self.changed.store(true, Ordering::Relaxed);
    }

    /// Enters a change: holds off a snapshot until the guard drops, and marks
    /// the store changed (written only when it was not, so that a run on a
    /// changed store reads a cache line but writes none).
    fn change(&self) -> Option<RwLockReadGuard<'_, ()>> {
        if !self.snapshots {
            return None;
        }
        let gate = self.gate.read();
        if !self.changed.load(Ordering::Relaxed) {
            self.changed.store(true, Ordering::Relaxed);
        }
        Some(gate)
    }

    /// Keeps an upload, dropping the oldest beyond the bytes bound.
    fn keep_upload(&self, upload: StoredUpload) {
        let mut uploads = self.uploads.write();
        uploads.bytes += upload.bytes.len();
        uploads.files.insert(upload.file.id.clone(), upload);
        while uploads.bytes > MAX_UPLOAD_BYTES_TOTAL && uploads.files.len() > 1 {
            if let Some((_, oldest)) = uploads.files.shift_remove_index(0) {
                uploads.bytes -= oldest.bytes.len();
            }
        }
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

    /// Takes `cost` credits from `owner`, or nothing, under the read lock.
    fn debit(&self, owner: &str, cost: u64) -> Result<(), CreateError> {
        self.accounts.read().debit(owner, cost)
    }

    /// Gives `cost` credits back to `owner` (a generation that ended in `error`).
    fn refund(&self, owner: &str, cost: u64) {
        self.accounts.read().refund(owner, cost);
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
    fn authenticate<'a>(&'a self, key: &'a str) -> StoreFuture<'a, StoreResult<Option<Caller>>> {
        // Read under the lock, without taking a count of the account's `Arc`:
        // every request of every worker would write that count.
        let caller = self.accounts.read().by_key.get(key).map(|s| s.caller());
        StoreFuture::ready(Ok(caller))
    }

    fn account<'a>(&'a self, account_id: &'a str) -> StoreFuture<'a, StoreResult<Option<Account>>> {
        let account = self
            .accounts
            .read()
            .by_id
            .get(account_id)
            .map(|state| state.view().account);
        StoreFuture::ready(Ok(account))
    }

    fn accounts(&self) -> StoreFuture<'_, StoreResult<Vec<MockAccount>>> {
        let accounts = self.accounts.read();
        let mut all: Vec<_> = accounts.by_key.values().map(|s| s.view()).collect();
        all.sort_by(|a, b| a.key.cmp(&b.key));
        StoreFuture::ready(Ok(all))
    }

    fn create_account(&self, config: AccountConfig) -> StoreFuture<'_, Result<MockAccount, Error>> {
        let _change = self.change();
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
        let _change = self.change();
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
    ) -> StoreFuture<'a, StoreResult<Option<RateDecision>>> {
        let limiters = self.limiters.read().clone();
        StoreFuture::ready(Ok(limiters.check(
            &caller.account_id,
            caller.plan.clone(),
            bucket,
        )))
    }

    fn create_generation(
        &self,
        generation: NewGeneration,
        cost: u64,
    ) -> StoreFuture<'_, Result<(), CreateError>> {
        let _change = self.change();
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
        let _change = self.change();
        StoreFuture::ready(
            self.create_finished(generation, cost, success, scripted)
                .map(Some),
        )
    }

    fn generation<'a>(
        &'a self,
        id: &'a str,
    ) -> StoreFuture<'a, StoreResult<Option<OwnedGeneration>>> {
        StoreFuture::ready(Ok(self.with_entry(id, |e| e.owned(id))))
    }

    fn generation_json<'a>(
        &'a self,
        id: &'a str,
    ) -> StoreFuture<'a, StoreResult<Option<GenerationJson>>> {
        let json = |e: &Entry| {
            e.json
                .get_or_init(|| GenerationJson::of(&e.owned(id)))
                .clone()
        };
        StoreFuture::ready(Ok(self.with_entry(id, json)))
    }

    fn list_generations<'a>(
        &'a self,
        owner: &'a str,
        query: ListQuery,
    ) -> StoreFuture<'a, StoreResult<GenerationPage>> {
        let generations = self.generations.read();
        let Some(ids) = generations.by_owner.get(owner) else {
            return StoreFuture::ready(Ok(GenerationPage {
                data: Vec::new(),
                total: 0,
            }));
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
        StoreFuture::ready(Ok(page))
    }

    fn set_status<'a>(
        &'a self,
        id: &'a str,
        status: GenerationStatus,
    ) -> StoreFuture<'a, StoreResult<()>> {
        let _change = self.change();
        if let Some(entry) = self.generations.write().by_id.get_mut(&Key::of(id))
            && !entry.status.is_final()
            && !status.is_final()
        {
            entry.json = OnceLock::new();
            entry.status = status;
        }
        StoreFuture::ready(Ok(()))
    }

    fn finish_generation<'a>(
        &'a self,
        id: &'a str,
        outcome: Outcome,
    ) -> StoreFuture<'a, StoreResult<Option<Finished>>> {
        let _change = self.change();
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
        StoreFuture::ready(Ok(finished))
    }

    fn put_upload(&self, upload: StoredUpload) -> StoreFuture<'_, StoreResult<()>> {
        let _change = self.change();
        self.keep_upload(upload);
        StoreFuture::ready(Ok(()))
    }

    fn upload<'a>(&'a self, id: &'a str) -> StoreFuture<'a, StoreResult<Option<StoredUpload>>> {
        StoreFuture::ready(Ok(self.uploads.read().files.get(id).cloned()))
    }

    fn reset(&self) -> StoreFuture<'_, StoreResult<()>> {
        let _change = self.change();
        self.restart();
        StoreFuture::ready(Ok(()))
    }

    fn generation_count(&self) -> StoreFuture<'_, Option<usize>> {
        StoreFuture::ready(Some(self.generations.read().by_id.len()))
    }
}

#[cfg(test)]
#[path = "memory_tests.rs"]
mod tests;
