//! The sandbox's instruments, apart from the API's state: the request
//! journal, fault rules (with their counts), scripted outcomes and webhook
//! deliveries. Tests read and script them through the admin API and
//! `MockServer`'s methods; the API's answers never show them.
//!
//! They live in this process beside an in-memory store, and beside a store
//! shared by replicas (Redis) on that store, in the session's namespace
//! ([`SharedInstruments`]), so that a test may script a fault on one
//! replica and read the journal from another. The in-memory path stays
//! synchronous: each method answers a ready [`StoreFuture`] there.

use std::sync::Arc;

use std::collections::VecDeque;

use parking_lot::Mutex;

use crate::{
    deliveries::{MAX_DELIVERIES, WebhookDelivery},
    faults::{Fault, FaultRule, FaultRules},
    journal::{Journal, JournalEntry, RequestRecord},
    outcomes::{Outcomes, ScriptedOutcome},
    store::{Clear, SharedInstruments, Store, StoreFuture, StoreResult},
};

/// The instruments of one session.
pub struct Instruments {
    /// Every API request, bounded (in this process).
    pub journal: Journal,
    /// Scripted faults (in this process).
    pub faults: FaultRules,
    /// Scripted ends of generations (in this process).
    pub outcomes: Outcomes,
    /// Webhook delivery attempts (in this process; see [`Instruments::record_delivery`]).
    pub deliveries: Deliveries,
    /// Where they live instead, with a shared store.
    shared: Option<Arc<dyn SharedInstruments>>,
    journal_capacity: usize,
}

impl std::fmt::Debug for Instruments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instruments")
            .field("journal", &self.journal)
            .field("shared", &self.shared.is_some())
            .finish_non_exhaustive()
    }
}

impl Instruments {
    /// Empty instruments in this process, with a journal of `journal_capacity` entries.
    #[cfg(test)]
    pub fn new(journal_capacity: usize) -> Self {
        Self::with_shared(journal_capacity, None)
    }

    /// The instruments that go with `store`: on it when it keeps them
    /// ([`Store::shared_instruments`]), else in this process.
    pub fn of(store: &dyn Store, journal_capacity: usize) -> Self {
        Self::with_shared(journal_capacity, store.shared_instruments())
    }

    fn with_shared(journal_capacity: usize, shared: Option<Arc<dyn SharedInstruments>>) -> Self {
        Instruments {
            journal: Journal::new(if shared.is_some() {
                0
            } else {
                journal_capacity
            }),
            faults: FaultRules::default(),
            outcomes: Outcomes::default(),
            deliveries: Deliveries::default(),
            shared,
            journal_capacity,
        }
    }

    /// The fault of the first scripted rule that hits this request, using
    /// up one of its count.
    pub fn take_fault<'a>(
        &'a self,
        method: &'a str,
        path: &'a str,
    ) -> StoreFuture<'a, StoreResult<Option<Fault>>> {
        match &self.shared {
            None => StoreFuture::ready(Ok(self.faults.take(method, path))),
            Some(shared) => shared.take_fault(method, path),
        }
    }

    /// The shared store the instruments live on, if any (whose
    /// [`SharedInstruments::gate`] takes a request's first steps in one
    /// round trip).
    pub fn shared(&self) -> Option<&dyn SharedInstruments> {
        self.shared.as_deref()
    }

    /// Journals a request (a failure of a shared store is logged by it; the
    /// request's answer stands).
    pub fn record(&self, record: RequestRecord) -> StoreFuture<'_, ()> {
        match &self.shared {
            None => {
                self.journal.push(record);
                StoreFuture::ready(())
            }
            Some(_) if self.journal_capacity == 0 => StoreFuture::ready(()),
            Some(shared) => StoreFuture::new(async move {
                let _ = shared.record(record, self.journal_capacity).await;
            }),
        }
    }

    /// The journal, oldest first.
    pub async fn journal_entries(&self) -> StoreResult<Vec<JournalEntry>> {
        match &self.shared {
            None => Ok(self.journal.entries()),
            Some(shared) => shared.journal().await,
        }
    }

    /// How many journal entries are kept (0 when a shared store is out of reach).
    pub async fn journal_count(&self) -> usize {
        match &self.shared {
            None => self.journal.count(),
            Some(shared) => shared.journal_count().await.unwrap_or(0),
        }
    }

    /// Empties the journal and restarts its numbering from 1.
    pub async fn clear_journal(&self) -> StoreResult<()> {
        match &self.shared {
            None => {
                self.journal.clear();
                Ok(())
            }
            Some(shared) => shared.clear(Clear::Journal).await,
        }
    }

    /// Adds a fault rule; returns it with its id.
    pub async fn add_fault(&self, rule: FaultRule) -> StoreResult<FaultRule> {
        match &self.shared {
            None => Ok(self.faults.add(rule)),
            Some(shared) => shared.add_fault(rule).await,
        }
    }

    /// The fault rules still active.
    pub async fn fault_rules(&self) -> StoreResult<Vec<FaultRule>> {
        match &self.shared {
            None => Ok(self.faults.list()),
            Some(shared) => shared.faults().await,
        }
    }

    /// Removes every fault rule.
    pub async fn clear_faults(&self) -> StoreResult<()> {
        match &self.shared {
            None => {
                self.faults.clear();
                Ok(())
            }
            Some(shared) => shared.clear(Clear::Faults).await,
        }
    }

    /// Scripts the end of upcoming generations of a tool (none if `count` is 0).
    pub async fn add_outcome(&self, outcome: ScriptedOutcome) -> StoreResult<()> {
        match &self.shared {
            None => {
                self.outcomes.add(outcome);
                Ok(())
            }
            Some(_) if outcome.count == 0 => Ok(()),
            Some(shared) => shared.add_outcome(outcome).await,
        }
    }

    /// Records a webhook delivery attempt: here at once, or on the shared
    /// store (awaited, so that the record is there before the delivery is
    /// settled and any replica lists it).
    pub fn record_delivery(&self, delivery: WebhookDelivery) -> StoreFuture<'_, StoreResult<()>> {
        match &self.shared {
            None => {
                self.deliveries.record(delivery);
                StoreFuture::ready(Ok(()))
            }
            Some(shared) => shared.record_delivery(delivery),
        }
    }

    /// Every delivery attempt kept, oldest first.
    pub async fn delivery_list(&self) -> StoreResult<Vec<WebhookDelivery>> {
        match &self.shared {
            None => Ok(self.deliveries.list()),
            Some(shared) => shared.deliveries().await,
        }
    }

    /// Back to empty.
    pub async fn reset(&self) -> StoreResult<()> {
        self.journal.clear();
        self.faults.clear();
        self.outcomes.clear();
        self.deliveries.clear();
        match &self.shared {
            None => Ok(()),
            Some(shared) => shared.clear(Clear::All).await,
        }
    }
}

/// The last [`MAX_DELIVERIES`] delivery attempts kept in this process,
/// oldest first (those of a shared store are recorded there: see
/// [`Instruments::record_delivery`]).
#[derive(Debug, Default)]
pub struct Deliveries {
    kept: Mutex<VecDeque<WebhookDelivery>>,
}

impl Deliveries {
    /// Records one attempt, dropping the oldest past the bound.
    pub fn record(&self, delivery: WebhookDelivery) {
        let mut deliveries = self.kept.lock();
        if deliveries.len() >= MAX_DELIVERIES {
            deliveries.pop_front();
        }
        deliveries.push_back(delivery);
    }

    /// Every attempt kept, oldest first.
    pub fn list(&self) -> Vec<WebhookDelivery> {
        self.kept.lock().iter().cloned().collect()
    }

    /// Forgets every attempt kept.
    pub fn clear(&self) {
        self.kept.lock().clear();
    }
}
