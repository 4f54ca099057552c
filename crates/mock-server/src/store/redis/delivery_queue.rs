//! The webhook delivery queue on Redis: each delivery is claimed by one
//! replica at a time, with a lease, so that a replica killed mid-attempt
//! hands it on instead of losing it.
//!
//! A generation that ends in `success` with a webhook is queued in the same
//! script that ends it (`queue_webhook` in `lib.lua`): `hook:<id>` keeps the
//! webhook's URL, body fields and attempt; the sorted set `hooks` orders the
//! deliveries by when each is due. `claim_delivery.lua` takes the due ones
//! and moves each to the end of its lease with a token, in one step;
//! `settle_delivery.lua`, shown the token, removes the delivery or queues
//! its next attempt. A lease that ends unsettled leaves the delivery due
//! again, at the same attempt.

use std::{sync::LazyLock, time::Duration};

use redis::Script;

use super::{
    RedisStore,
    decode::{self, Fields, finished_of},
};
use crate::{
    ids,
    store::{ClaimedDelivery, StoreResult},
};

/// `lib.lua` followed by `body`, as every script of the store.
fn script(body: &str) -> Script {
    Script::new(&[include_str!("lib.lua"), "\n", body].concat())
}

static CLAIM: LazyLock<Script> = LazyLock::new(|| script(include_str!("claim_delivery.lua")));
static SETTLE: LazyLock<Script> = LazyLock::new(|| script(include_str!("settle_delivery.lua")));
static SESSIONS_SWEEP: LazyLock<Script> =
    LazyLock::new(|| script(include_str!("sessions_sweep.lua")));

/// Most sessions with something due that one sweep of the sessions serves.
const SESSIONS_PER_SWEEP: u32 = 32;

/// A claimed delivery from its attempt number and its `hook:<id>` fields,
/// as the claiming scripts answer them.
fn claimed_of(
    attempt: &redis::Value,
    fields: &redis::Value,
    token: &str,
) -> Option<ClaimedDelivery> {
    let (url, payload) = finished_of(&Fields::of(fields)?)?.webhook?;
    Some(ClaimedDelivery {
        url,
        payload,
        attempt: u32::try_from(decode::number(attempt)?)
            .ok()
            .filter(|n| *n >= 1)?,
        lease: token.to_string(),
    })
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl RedisStore {
    /// See [`Store::claim_deliveries`](crate::store::Store::claim_deliveries).
    pub(super) async fn claim_due_deliveries(
        &self,
        lease: Duration,
        max: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        let token = ids::object_id();
        let answer = self
            .run(&CLAIM, |s| {
                s.arg(millis(lease)).arg(max).arg(&token);
            })
            .await?;
        let Some(items) = decode::list(&answer) else {
            return Err(self.malformed("claim_delivery"));
        };
        Ok(items
            .iter()
            .filter_map(|item| {
                let [attempt, fields] = decode::list(item)?.try_into().ok()?;
                claimed_of(&attempt, &fields, &token)
            })
            .collect())
    }

    /// See [`SessionRegistry::claim_session_deliveries`](crate::store::SessionRegistry::claim_session_deliveries):
    /// `sessions_sweep.lua` on this (the default) namespace.
    pub(super) async fn claim_sessions_due(
        &self,
        lease: Duration,
        max: u32,
    ) -> StoreResult<Vec<(String, ClaimedDelivery)>> {
        let token = ids::object_id();
        let answer = self
            .run(&SESSIONS_SWEEP, |s| {
                s.arg(millis(lease))
                    .arg(SESSIONS_PER_SWEEP)
                    .arg(max)
                    .arg(&token);
            })
            .await?;
        let Some(items) = decode::list(&answer) else {
            return Err(self.malformed("sessions_sweep"));
        };
        Ok(items
            .iter()
            .filter_map(|item| {
                let [session, attempt, fields] = decode::list(item)?.try_into().ok()?;
                Some((
                    decode::string(&session)?,
                    claimed_of(&attempt, &fields, &token)?,
                ))
            })
            .collect())
    }

    /// See [`Store::settle_delivery`](crate::store::Store::settle_delivery).
    pub(super) async fn settle_claimed_delivery(
        &self,
        claimed: &ClaimedDelivery,
        retry_in: Option<Duration>,
    ) -> StoreResult<bool> {
        let answer = self
            .run(&SETTLE, |s| {
                s.arg(&claimed.payload.id)
                    .arg(&claimed.lease)
                    .arg(retry_in.map(|d| millis(d).to_string()).unwrap_or_default());
            })
            .await?;
        Ok(decode::number(&answer) == Some(1))
    }
}

#[cfg(test)]
#[path = "delivery_queue_tests.rs"]
mod tests;
