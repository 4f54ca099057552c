//! The in-memory store's accounts: each key's account with its credits and
//! plan in atomics (a debit is a compare-and-swap, no lock held for writing),
//! found by key or by id.

use std::sync::{
    Arc,
    atomic::{AtomicU8, AtomicU64, Ordering},
};

use artificial_studio_types::{Account, Plan};
use chrono::{DateTime, Utc};
// Faster than SipHash on the short keys looked up several times per request;
// still seeded per process.
use foldhash::HashMap;

use super::{Caller, CreateError, MockAccount};
use crate::config::AccountConfig;

/// One account: its settings, and its credits and plan, which change in place.
pub(super) struct AccountState {
    pub(super) id: Arc<str>,
    pub(super) key: String,
    email: String,
    created_at: DateTime<Utc>,
    pub(super) credits: AtomicU64,
    pub(super) plan: AtomicU8,
}

impl AccountState {
    pub(super) fn new(id: Arc<str>, config: AccountConfig, created_at: DateTime<Utc>) -> Self {
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

    /// The account as the admin API shows it, with its key.
    pub(super) fn view(&self) -> MockAccount {
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

    /// Who calls with this account's key.
    pub(super) fn caller(&self) -> Caller {
        Caller {
            account_id: self.id.clone(),
            plan: self.plan(),
        }
    }
}

/// A plan as the atomic number kept for it.
pub(super) fn plan_to_u8(plan: &Plan) -> u8 {
    match plan {
        Plan::Pro => 1,
        Plan::Free | Plan::Unknown(_) => 0,
    }
}

fn plan_from_u8(value: u8) -> Plan {
    if value == 1 { Plan::Pro } else { Plan::Free }
}

/// A starting account with the id it keeps across resets.
pub(super) struct Seed {
    pub(super) config: AccountConfig,
    pub(super) id: Arc<str>,
    pub(super) created_at: DateTime<Utc>,
}

/// Every account, by key and by id.
#[derive(Default)]
pub(super) struct Accounts {
    pub(super) by_key: HashMap<String, Arc<AccountState>>,
    pub(super) by_id: HashMap<Arc<str>, Arc<AccountState>>,
}

impl Accounts {
    /// Adds `state` under its key and its id.
    pub(super) fn insert(&mut self, state: AccountState) -> Arc<AccountState> {
        let state = Arc::new(state);
        self.by_key.insert(state.key.clone(), state.clone());
        self.by_id.insert(state.id.clone(), state.clone());
        state
    }

    /// Takes `cost` credits from `owner`, or nothing. Done through a shared
    /// borrow, without taking a count of the account's `Arc`, which every
    /// run of every worker would write.
    pub(super) fn debit(&self, owner: &str, cost: u64) -> Result<(), CreateError> {
        let account = self.by_id.get(owner).ok_or(CreateError::UnknownAccount)?;
        account
            .credits
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |c| c.checked_sub(cost))
            .map_err(|_| CreateError::InsufficientCredits)?;
        Ok(())
    }

    /// Gives `cost` credits back to `owner` (a generation that ended in `error`).
    pub(super) fn refund(&self, owner: &str, cost: u64) {
        if let Some(account) = self.by_id.get(owner) {
            account.credits.fetch_add(cost, Ordering::AcqRel);
        }
    }
}
