//! The sandbox's instruments, apart from the API's state: the request
//! journal, fault rules (with their counts), scripted outcomes and webhook
//! deliveries. Tests read and script them through the admin API and
//! `MockServer`'s methods; the API's answers never show them.

use crate::{deliveries::Deliveries, faults::FaultRules, journal::Journal, outcomes::Outcomes};

/// The instruments of one server.
#[derive(Debug)]
pub struct Instruments {
    /// Every API request, bounded.
    pub journal: Journal,
    /// Scripted faults.
    pub faults: FaultRules,
    /// Scripted ends of generations.
    pub outcomes: Outcomes,
    /// Webhook delivery attempts.
    pub deliveries: Deliveries,
}

impl Instruments {
    /// Empty instruments, with a journal of `journal_capacity` entries.
    pub fn new(journal_capacity: usize) -> Self {
        Instruments {
            journal: Journal::new(journal_capacity),
            faults: FaultRules::default(),
            outcomes: Outcomes::default(),
            deliveries: Deliveries::default(),
        }
    }

    /// Back to empty.
    pub fn reset(&self) {
        self.journal.clear();
        self.faults.clear();
        self.outcomes.clear();
        self.deliveries.clear();
    }
}
