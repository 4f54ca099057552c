//! The sandbox's instruments on Redis, in the store's namespace (so each
//! session has its own), and the registry of the sessions of every replica
//! (beside the default namespace, in `<namespace>-sessions:`). Each method
//! is one round trip: a script where a count is used up or a sequence
//! number given, else a plain command; the journal's entries go in groups
//! (`groups.rs`), and a request's fault is taken by the gate
//! (`gate.rs`) when it can be.
//!
//! Keys: `journal` (a list of `SEQ JSON`, trimmed to the capacity) and
//! `journal-seq`; `faults` (rule ids in order) and `fault:ID` (a hash),
//! `fault-id`; `outcomes` and `outcome:ID`, `outcome-id` (taken by
//! `create` in `lib.lua`); `deliveries` (a list of JSON, the newest 10 000).

use std::{borrow::Cow, time::Duration};

use chrono::{DateTime, Utc};
use redis::Value;
use serde::{Deserialize, Serialize};

use super::{RedisStore, decode, groups::Call, in_time};
use crate::{
    config::Bucket,
    deliveries::{MAX_DELIVERIES, WebhookDelivery},
    faults::{Fault, FaultRule},
    journal::{JournalEntry, RequestRecord},
    outcomes::ScriptedOutcome,
    store::{
        ClaimedDelivery, Clear, Gated, SessionInfo, SessionRegistry, SharedInstruments,
        StoreFuture, StoreResult, Then,
    },
};

/// Most idle sessions one sweep drops.
const SESSION_SWEEP_BATCH: u32 = 20;

/// A rule's route as `fault_take.lua` matches it: the method (`''` for any)
/// and the path pattern (`''` for every path), read as `faults.rs` reads it.
fn route_parts(route: Option<&str>) -> (&str, &str) {
    match route {
        None => ("", ""),
        Some(route) => match route.split_once(' ') {
            Some((method, pattern)) => (method.trim(), pattern.trim()),
            None => ("", route.trim()),
        },
    }
}

/// A rule of `faults.lua`'s answer: `{id, fault, route, count, probability}`.
fn rule_of(row: &Value) -> Option<FaultRule> {
    let row = decode::list(row)?;
    let [id, fault, route, count, probability] = row.as_slice() else {
        return None;
    };
    let text = |v: &Value| decode::string(v).filter(|s| !s.is_empty());
    Some(FaultRule {
        id: decode::number(id)?,
        fault: text(fault)?.parse().ok()?,
        route: text(route),
        count: text(count).and_then(|c| c.parse().ok()),
        probability: text(probability).and_then(|p| p.parse().ok()),
    })
}

/// A journal entry as this store writes it, after its `SEQ ` (see
/// `group.lua`): the record's fields as they are, its time in nanoseconds
/// since the epoch (no date is formatted on every request; one is when the
/// journal is read).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kept<'a> {
    time_ns: i64,
    #[serde(borrow)]
    request_id: Cow<'a, str>,
    #[serde(borrow)]
    method: Cow<'a, str>,
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(borrow)]
    query: Option<Cow<'a, str>>,
    status: u16,
    #[serde(borrow)]
    account_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    fault: Option<Cow<'a, str>>,
    duration_ms: f64,
}

impl<'a> Kept<'a> {
    fn of(record: &'a RequestRecord) -> Self {
        Kept {
            // Out of range after 2262 only.
            time_ns: record.time.timestamp_nanos_opt().unwrap_or(i64::MAX),
            request_id: Cow::Borrowed(record.request_id.as_str()),
            method: Cow::Borrowed(record.method.as_str()),
            path: Cow::Borrowed(record.target.path()),
            query: record.target.query().map(Cow::Borrowed),
            status: record.status,
            account_id: record.account_id.as_deref().map(Cow::Borrowed),
            fault: record.fault.as_deref().map(Cow::Borrowed),
            duration_ms: record.duration_ms,
        }
    }

    fn entry(self, seq: u64) -> JournalEntry {
        JournalEntry {
            seq,
            time: DateTime::from_timestamp_nanos(self.time_ns),
            request_id: self.request_id.into_owned(),
            method: self.method.into_owned(),
            path: self.path.into_owned(),
            query: self.query.map(Cow::into_owned),
            status: self.status,
            account_id: self.account_id.map(Cow::into_owned),
            fault: self.fault.map(Cow::into_owned),
            duration_ms: self.duration_ms,
        }
    }
}

/// A journal entry as `group.lua` keeps it: `SEQ JSON`, the JSON a
/// [`Kept`] (or a whole [`JournalEntry`], as replicas of an earlier version
/// wrote it).
fn entry_of(kept: &str) -> Option<JournalEntry> {
    let (seq, json) = kept.split_once(' ')?;
    let seq = seq.parse().ok()?;
    if let Ok(kept) = serde_json::from_str::<Kept<'_>>(json) {
        return Some(kept.entry(seq));
    }
    let mut entry: JournalEntry = serde_json::from_str(json).ok()?;
    entry.seq = seq;
    Some(entry)
}

/// Milliseconds since the epoch as a time.
fn time_of(ms: &Value) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(i64::try_from(decode::number(ms)?).ok()?)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl RedisStore {
    fn key(&self, name: &str) -> String {
        [self.namespace.as_str(), ":", name].concat()
    }

    /// `LRANGE` of a whole list of this namespace.
    async fn whole_list(&self, name: &str) -> StoreResult<Vec<String>> {
        let mut connection = self.connection().await?;
        let answer = in_time(
            redis::cmd("LRANGE")
                .arg(self.key(name))
                .arg(0)
                .arg(-1)
                .query_async::<Vec<String>>(&mut connection),
        )
        .await;
        self.observe(answer)
    }
}

impl SharedInstruments for RedisStore {
    fn take_fault<'a>(
        &'a self,
        method: &'a str,
        path: &'a str,
    ) -> StoreFuture<'a, StoreResult<Option<Fault>>> {
        StoreFuture::new(async move {
            let seed = rand::random::<u32>() % 2_147_483_646 + 1;
            let answer = self
                .run(&self.scripts.fault_take, |s| {
                    s.arg(method).arg(path).arg(seed);
                })
                .await?;
            if answer == Value::Nil {
                return Ok(None);
            }
            match decode::string(&answer).and_then(|f| f.parse().ok()) {
                Some(fault) => Ok(Some(fault)),
                None => Err(self.malformed("fault_take")),
            }
        })
    }

    fn gate<'a>(
        &'a self,
        method: &'a str,
        path: &'a str,
        key: Option<&'a str>,
        bucket: Bucket,
        then: Then<'a>,
    ) -> StoreFuture<'a, StoreResult<Gated>> {
        StoreFuture::new(RedisStore::gate(self, method, path, key, bucket, then))
    }

    fn record(&self, record: RequestRecord, capacity: usize) -> StoreFuture<'_, StoreResult<()>> {
        StoreFuture::new(async move {
            let Ok(json) = serde_json::to_string(&Kept::of(&record)) else {
                return Ok(());
            };
            self.groups()
                .send(Call::Journal(json, capacity))
                .await
                .map(|_| ())
        })
    }

    fn journal(&self) -> StoreFuture<'_, StoreResult<Vec<JournalEntry>>> {
        StoreFuture::new(async move {
            let kept = self.whole_list("journal").await?;
            Ok(kept.iter().filter_map(|k| entry_of(k)).collect())
        })
    }

    fn journal_count(&self) -> StoreFuture<'_, StoreResult<usize>> {
        StoreFuture::new(async move {
            let mut connection = self.connection().await?;
            let answer = in_time(
                redis::cmd("LLEN")
                    .arg(self.key("journal"))
                    .query_async::<usize>(&mut connection),
            )
            .await;
            self.observe(answer)
        })
    }

    fn add_fault(&self, mut rule: FaultRule) -> StoreFuture<'_, StoreResult<FaultRule>> {
        StoreFuture::new(async move {
            let (method, pattern) = route_parts(rule.route.as_deref());
            let answer = self
                .run(&self.scripts.fault_add, |s| {
                    s.arg(rule.fault.to_string())
                        .arg(rule.route.as_deref().unwrap_or(""))
                        .arg(method)
                        .arg(pattern)
                        .arg(rule.count.map(|c| c.to_string()).unwrap_or_default())
                        .arg(rule.probability.map(|p| p.to_string()).unwrap_or_default());
                })
                .await?;
            rule.id = decode::number(&answer).ok_or_else(|| self.malformed("fault_add"))?;
            Ok(rule)
        })
    }

    fn faults(&self) -> StoreFuture<'_, StoreResult<Vec<FaultRule>>> {
        StoreFuture::new(async move {
            let answer = self.run(&self.scripts.faults, |_| {}).await?;
            Ok(decode::list(&answer)
                .unwrap_or_default()
                .iter()
                .filter_map(rule_of)
                .collect())
        })
    }

    fn add_outcome(&self, outcome: ScriptedOutcome) -> StoreFuture<'_, StoreResult<()>> {
        StoreFuture::new(async move {
            self.run(&self.scripts.outcome_add, |s| {
                s.arg(&outcome.tool).arg(&outcome.error).arg(outcome.count);
            })
            .await?;
            Ok(())
        })
    }

    fn record_delivery(&self, delivery: WebhookDelivery) -> StoreFuture<'_, StoreResult<()>> {
        StoreFuture::new(async move {
            let Ok(json) = serde_json::to_string(&delivery) else {
                return Ok(());
            };
            let key = self.key("deliveries");
            let mut connection = self.connection().await?;
            let newest = -i64::try_from(MAX_DELIVERIES).unwrap_or(i64::MAX);
            let answer = in_time(
                redis::pipe()
                    .atomic()
                    .rpush(&key, json)
                    .ignore()
                    .ltrim(&key, isize::try_from(newest).unwrap_or(isize::MIN), -1)
                    .ignore()
                    .query_async::<()>(&mut connection),
            )
            .await;
            self.observe(answer)
        })
    }

    fn deliveries(&self) -> StoreFuture<'_, StoreResult<Vec<WebhookDelivery>>> {
        StoreFuture::new(async move {
            let kept = self.whole_list("deliveries").await?;
            Ok(kept
                .iter()
                .filter_map(|json| serde_json::from_str(json).ok())
                .collect())
        })
    }

    fn clear(&self, what: Clear) -> StoreFuture<'_, StoreResult<()>> {
        let what = match what {
            Clear::Journal => "journal",
            Clear::Faults => "faults",
            Clear::All => "all",
        };
        StoreFuture::new(async move {
            self.run(&self.scripts.instruments_clear, |s| {
                s.arg(what);
            })
            .await?;
            Ok(())
        })
    }
}

impl SessionRegistry for RedisStore {
    fn admit_session<'a>(
        &'a self,
        name: &'a str,
        ttl: Duration,
        max: Option<usize>,
    ) -> StoreFuture<'a, StoreResult<bool>> {
        StoreFuture::new(async move {
            let answer = self
                .run(&self.scripts.session_touch, |s| {
                    s.arg(name)
                        .arg(millis(ttl))
                        .arg(max.map(|m| m.to_string()).unwrap_or_default());
                })
                .await?;
            Ok(decode::number(&answer) == Some(1))
        })
    }

    fn claim_session_deliveries(
        &self,
        lease: Duration,
        max: u32,
    ) -> StoreFuture<'_, StoreResult<Vec<(String, ClaimedDelivery)>>> {
        StoreFuture::new(self.claim_sessions_due(lease, max))
    }

    fn list_sessions(&self, ttl: Duration) -> StoreFuture<'_, StoreResult<Vec<SessionInfo>>> {
        StoreFuture::new(async move {
            let answer = self
                .run(&self.scripts.sessions_list, |s| {
                    s.arg(millis(ttl));
                })
                .await?;
            let mut list: Vec<SessionInfo> = decode::list(&answer)
                .unwrap_or_default()
                .iter()
                .filter_map(|row| {
                    let row = decode::list(row)?;
                    let [name, created, used, generations, journal] = row.as_slice() else {
                        return None;
                    };
                    Some(SessionInfo {
                        name: decode::string(name)?,
                        created_at: time_of(created)?,
                        last_used_at: time_of(used)?,
                        generations: decode::number(generations)
                            .and_then(|n| usize::try_from(n).ok()),
                        journal_entries: decode::number(journal)
                            .and_then(|n| usize::try_from(n).ok())
                            .unwrap_or(0),
                    })
                })
                .collect();
            list.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(list)
        })
    }

    fn drop_session<'a>(&'a self, name: &'a str) -> StoreFuture<'a, StoreResult<bool>> {
        StoreFuture::new(async move {
            let answer = self
                .run(&self.scripts.sessions_drop, |s| {
                    s.arg("one").arg(name);
                })
                .await?;
            Ok(decode::number(&answer) == Some(1))
        })
    }

    fn sweep_sessions(&self, ttl: Duration) -> StoreFuture<'_, StoreResult<Vec<String>>> {
        StoreFuture::new(async move {
            let answer = self
                .run(&self.scripts.sessions_drop, |s| {
                    s.arg("idle").arg(millis(ttl)).arg(SESSION_SWEEP_BATCH);
                })
                .await?;
            Ok(decode::list(&answer)
                .unwrap_or_default()
                .iter()
                .filter_map(decode::string)
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a replica writes is read back whole; what a replica of an
    /// earlier version wrote (a whole entry's JSON) is read too.
    #[test]
    fn a_kept_entry_reads_back_in_both_forms() {
        let record = RequestRecord {
            time: crate::ids::now(),
            request_id: crate::ids::RequestId::random(),
            method: http::Method::POST,
            target: crate::journal::Target::new("/api/run", Some("a=\"b\"")),
            status: 202,
            account_id: Some("acc_7".into()),
            fault: None,
            duration_ms: 0.25,
        };
        let json = serde_json::to_string(&Kept::of(&record)).unwrap();
        assert_eq!(entry_of(&format!("7 {json}")), Some(record.entry(7)));

        let earlier = serde_json::to_string(&record.entry(0)).unwrap();
        assert_eq!(entry_of(&format!("8 {earlier}")), Some(record.entry(8)));
        assert_eq!(entry_of("9 not json"), None);
    }
}
