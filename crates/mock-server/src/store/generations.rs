//! The in-memory store's generations: each kept packed (tuning: its text end
//! to end in one allocation, its id inline), bounded, oldest finished evicted.

use std::{
    collections::{VecDeque, hash_map::Entry as Slot},
    sync::{Arc, OnceLock},
};

use artificial_studio_types::{Generation, GenerationStatus, GenerationType, WebhookPayload};
use chrono::{DateTime, Utc};
// Faster than SipHash on the short keys looked up several times per request;
// still seeded per process.
use foldhash::HashMap;

use super::{
    Finished, GenerationJson, NewGeneration, Outcome, OwnedGeneration, snapshot::SavedGeneration,
};
use crate::{
    ids,
    payload::{PayloadJson, read_payload},
};

/// A generation as the store keeps it.
///
/// At the cap, a hundred thousand of these are alive, each made by one request
/// and freed by a much later one: memory the allocator hands out cold and gets
/// back cold, which costs far more per block than the short-lived allocations
/// of a request. So the generation's text (tool, URLs, error, webhook, and the
/// payload as JSON) is kept end to end in one allocation instead of a dozen
/// strings and a map, and the [`Generation`] is rebuilt when it is read.
pub(super) struct Entry {
    pub(super) owner: Arc<str>,
    pub(super) status: GenerationStatus,
    pub(super) type_: GenerationType,
    pub(super) created_at: DateTime<Utc>,
    pub(super) cost: u64,
    pub(super) text: Text,
    /// The generation serialized, once asked for; emptied when it changes.
    pub(super) json: OnceLock<GenerationJson>,
}

/// The pieces of an [`Entry`]'s text, in the order they are kept.
#[derive(Clone, Copy)]
pub(super) enum Piece {
    Tool,
    Output,
    Thumbnail,
    Error,
    Webhook,
    Payload,
}

pub(super) const PIECES: usize = 6;

/// Strings kept end to end in one allocation: piece `i` is
/// `all[ends[i - 1]..ends[i]]`, absent if `present[i]` is false.
#[derive(Clone)]
pub(super) struct Text {
    pub(super) all: Box<str>,
    pub(super) ends: [usize; PIECES],
    pub(super) present: [bool; PIECES],
}

impl Text {
    pub(super) fn new(pieces: [Option<&str>; PIECES]) -> Self {
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

    pub(super) fn get(&self, piece: Piece) -> Option<&str> {
        let i = piece as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.present[i]
            .then(|| self.all.get(start..self.ends[i]))
            .flatten()
    }

    pub(super) fn string(&self, piece: Piece) -> Option<String> {
        self.get(piece).map(str::to_string)
    }
}

impl Entry {
    /// A new generation's entry, ended at once if `outcome` is given.
    pub(super) fn new(new: NewGeneration, cost: u64, outcome: Option<&Outcome>) -> Self {
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
    pub(super) fn finish(&mut self, outcome: &Outcome) {
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
    pub(super) fn finished(&self, id: &str) -> Finished {
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
    pub(super) fn generation(&self, id: String) -> Generation {
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
    pub(super) fn owned(&self, id: &str) -> OwnedGeneration {
        OwnedGeneration {
            owner: self.owner.clone(),
            generation: self.generation(id.to_string()),
            webhook: self.text.string(Piece::Webhook),
        }
    }
}

/// An [`Entry`]'s fields, copied under the store's lock for a snapshot and
/// turned into a [`SavedGeneration`] after it is released.
pub(super) struct EntryCopy {
    owner: Arc<str>,
    status: GenerationStatus,
    type_: GenerationType,
    created_at: DateTime<Utc>,
    cost: u64,
    text: Text,
}

impl Entry {
    /// A copy of the fields, for a snapshot.
    pub(super) fn copy(&self) -> EntryCopy {
        EntryCopy {
            owner: self.owner.clone(),
            status: self.status.clone(),
            type_: self.type_.clone(),
            created_at: self.created_at,
            cost: self.cost,
            text: self.text.clone(),
        }
    }

    /// A generation of a snapshot as an entry again.
    pub(super) fn restore(saved: SavedGeneration) -> Entry {
        let outcome = match saved.status {
            GenerationStatus::Success => Some(Outcome::Success {
                output: saved.output.unwrap_or_default(),
                thumbnail: saved.thumbnail,
            }),
            GenerationStatus::Error => Some(Outcome::Error(saved.error.unwrap_or_default())),
            _ => None,
        };
        let new = NewGeneration {
            owner: Arc::from(saved.owner),
            id: saved.id,
            status: saved.status,
            tool: saved.tool,
            type_: saved.type_,
            payload: PayloadJson::of(&saved.payload),
            created_at: saved.created_at,
            webhook: saved.webhook,
        };
        Entry::new(new, saved.cost, outcome.as_ref())
    }
}

impl EntryCopy {
    /// The copy as a snapshot keeps it.
    pub(super) fn saved(self, id: String) -> SavedGeneration {
        let text = &self.text;
        SavedGeneration {
            id,
            owner: self.owner.to_string(),
            status: self.status,
            type_: self.type_,
            tool: text.string(Piece::Tool).unwrap_or_default(),
            created_at: self.created_at,
            cost: self.cost,
            payload: read_payload(text.get(Piece::Payload).unwrap_or("{}")),
            output: text.string(Piece::Output),
            thumbnail: text.string(Piece::Thumbnail),
            error: text.string(Piece::Error),
            webhook: text.string(Piece::Webhook),
        }
    }
}

/// A generation id as the store's maps keep it: the 12 bytes of a
/// 24-lowercase-hex-digit id inline (every id the server makes), any other
/// text boxed. Inline keys cost no allocation, however many maps hold them.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Hex([u8; 12]),
    Text(Box<str>),
}

impl Key {
    pub(super) fn of(id: &str) -> Key {
        ids::object_id_bytes(id).map_or_else(|| Key::Text(id.into()), Key::Hex)
    }

    /// The id as text again.
    pub(super) fn id(&self) -> String {
        match self {
            Key::Hex(bytes) => ids::object_id_text(bytes),
            Key::Text(text) => text.to_string(),
        }
    }
}

#[derive(Default)]
pub(super) struct Generations {
    /// Boxed: a table slot holds a pointer, not a whole generation, so growing
    /// and rehashing the table (which removals at the cap make frequent) moves
    /// a few bytes per generation instead of a few hundred.
    pub(super) by_id: HashMap<Key, Box<Entry>>,
    /// Every id, oldest first, for eviction.
    pub(super) order: VecDeque<Key>,
    /// Each owner's ids, oldest first, for listing.
    pub(super) by_owner: HashMap<Arc<str>, VecDeque<Key>>,
}

/// The status and the output, thumbnail and error pieces of an `outcome`
/// (no status and no pieces for none).
pub(super) fn ended(outcome: Option<&Outcome>) -> (Option<GenerationStatus>, [Option<&str>; 3]) {
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
    pub(super) fn room_for_churn(&mut self, cap: usize) {
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
    pub(super) fn evict_beyond(&mut self, cap: usize) -> Option<Box<Entry>> {
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
    pub(super) fn forget_owned(&mut self, owner: &str, id: &Key) {
        if let Some(ids) = self.by_owner.get_mut(owner)
            && let Some(at) = ids.iter().position(|x| x == id)
        {
            ids.remove(at);
        }
    }
}
