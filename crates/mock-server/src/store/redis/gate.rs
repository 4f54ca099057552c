//! Steps 2 to 4 of a request to the API on Redis in one round trip
//! (`gate` in `lib.lua`): the scripted fault, the key's account and its rate
//! cell, which would otherwise take one script each; the gates of requests
//! that come together go in one call, with their journal entries (`groups.rs`).

use std::sync::atomic::Ordering;

use artificial_studio_types::Plan;
use redis::Value;

use super::{
    RedisStore, bucket_name,
    connection::{Args, push},
    decision_of,
    decode::{self, Fields, generation_of},
    gcra_args,
    generations::Mode,
    groups::Call,
};
use crate::{
    config::Bucket,
    store::{Admission, Caller, CreateError, Gated, GenerationJson, StoreResult, Then},
};

impl RedisStore {
    /// See [`SharedInstruments::gate`](crate::store::SharedInstruments::gate).
    pub(super) async fn gate(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        bucket: Bucket,
        then: Then<'_>,
    ) -> StoreResult<Gated> {
        let limits = [Plan::Free, Plan::Pro].map(|plan| {
            self.options
                .rate_limits
                .limit(plan, bucket)
                .map_or((0, 0), gcra_args)
        });
        // A generation that ended never changes: once read, only whether
        // it is still kept is asked again.
        let known = match &then {
            Then::Read(id) => self.ended.lock().get(*id).cloned(),
            _ => None,
        };
        let args = || {
            let mut args = Args::with_capacity(30);
            push(&mut args, method);
            push(&mut args, path);
            push(&mut args, rand::random::<u32>() % 2_147_483_646 + 1);
            push(&mut args, key.unwrap_or(""));
            push(&mut args, bucket_name(bucket));
            for (t, tau) in limits {
                push(&mut args, t);
                push(&mut args, tau);
            }
            match &then {
                Then::Nothing => {
                    push(&mut args, "");
                    push(&mut args, "");
                }
                Then::Read(id) => {
                    push(&mut args, *id);
                    push(&mut args, if known.is_some() { "1" } else { "" });
                }
                Then::Run(run) => {
                    let mode = match run.durations {
                        None => Mode::Instant(run.success.clone()),
                        Some(durations) => Mode::Timed(durations, run.success.clone()),
                    };
                    push(&mut args, "");
                    push(&mut args, "");
                    self.create_args(&mut args, &run.generation, run.cost, &mode);
                }
            }
            args
        };
        let groups = self.groups();
        self.ensure_seeded().await?;
        let mut answer = groups.send(Call::Gate(args())).await?;
        if first_is(&answer, "unseeded") {
            // Dropped through another replica: seeded again, as new (no
            // fault was taken: the script stops at the first that answers).
            self.seeded.store(false, Ordering::Release);
            self.ensure_seeded().await?;
            answer = groups.send(Call::Gate(args())).await?;
        }
        let malformed = || self.malformed("gate");
        let row = decode::list(&answer).ok_or_else(malformed)?;
        match row.as_slice() {
            [verdict, fault] if decode::is(verdict, "fault") => decode::string(fault)
                .and_then(|f| f.parse().ok())
                .map(Gated::Fault)
                .ok_or_else(malformed),
            [verdict] if decode::is(verdict, "nokey") => Ok(Gated::NoKey),
            [verdict] if decode::is(verdict, "invalid") || decode::is(verdict, "unseeded") => {
                Ok(Gated::InvalidKey)
            }
            [verdict, id, plan, allowed, n, found, created] if decode::is(verdict, "ok") => {
                let caller = Caller {
                    account_id: decode::string(id).ok_or_else(malformed)?.into(),
                    plan: decode::string(plan)
                        .and_then(|p| decode::parse_text(&p))
                        .unwrap_or(Plan::Free),
                };
                let limit = self.options.rate_limits.limit(caller.plan.clone(), bucket);
                let decision = match limit {
                    None => None,
                    Some(limit) => Some(decision_of(limit, allowed, n).ok_or_else(malformed)?),
                };
                let refused = decision.as_ref().is_some_and(|d| !d.allowed);
                let generation = match &then {
                    Then::Read(id) if !refused => Some(self.read_answer(id, found, known)),
                    _ => None,
                };
                let created = match (&then, refused) {
                    (Then::Run(_), false) => Some(if decode::is(created, "ok") {
                        Ok(())
                    } else if decode::is(created, "credits") {
                        Err(CreateError::InsufficientCredits)
                    } else if decode::is(created, "account") {
                        Err(CreateError::UnknownAccount)
                    } else {
                        return Err(malformed());
                    }),
                    _ => None,
                };
                Ok(Gated::Admitted(Admission {
                    caller,
                    decision,
                    generation,
                    created,
                }))
            }
            _ => Err(malformed()),
        }
    }
}

/// Most ended generations a store keeps the JSON of, for reads.
const MOST_ENDED_KEPT: usize = 4096;

impl RedisStore {
    /// The generation `id` as the gate read it (`found`), or as `known`
    /// from an earlier read when the gate found it still `kept`; one that
    /// ended is kept for the next read, one gone is forgotten.
    fn read_answer(
        &self,
        id: &str,
        found: &Value,
        known: Option<GenerationJson>,
    ) -> Option<GenerationJson> {
        if let Some(known) = known {
            if decode::is(found, "kept") {
                return Some(known);
            }
            self.ended.lock().remove(id);
            return None;
        }
        let read = Fields::of(found)
            .and_then(|f| generation_of(&f))
            .map(|g| GenerationJson::of(&g))?;
        if read.status.is_final() {
            let mut ended = self.ended.lock();
            if ended.len() >= MOST_ENDED_KEPT {
                // Bounded without bookkeeping: reads fill it again.
                ended.clear();
            }
            ended.insert(id.into(), read.clone());
        }
        Some(read)
    }
}

/// Whether `answer` is a list whose first item is `word`.
fn first_is(answer: &Value, word: &str) -> bool {
    decode::list(answer)
        .and_then(|row| row.first().map(|v| decode::is(v, word)))
        .unwrap_or(false)
}
