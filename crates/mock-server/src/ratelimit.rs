//! Per-key rate limiting with `governor`'s GCRA, one keyed limiter per plan and
//! bucket, and the `X-RateLimit-*` numbers a decision carries.

use std::{
    num::NonZeroU32,
    sync::Arc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use artificial_studio_types::Plan;
use governor::{
    Quota, RateLimiter,
    clock::{Clock, MonotonicClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};

use crate::config::{Bucket, RateLimits};

/// On `Instant`, not `governor`'s default `quanta` clock, which calibrates
/// itself for most of a millisecond when a process first makes one: that was a
/// sixth of every test's cold start, for a clock read a few times per request.
type KeyedLimiter = RateLimiter<
    Arc<str>,
    DefaultKeyedStateStore<Arc<str>>,
    MonotonicClock,
    StateInformationMiddleware,
>;

/// The outcome of counting one request against its bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    /// Whether the request may go on.
    pub allowed: bool,
    /// Requests per minute in this bucket (`X-RateLimit-Limit`).
    pub limit: u32,
    /// Requests left right now (`X-RateLimit-Remaining`).
    pub remaining: u32,
    /// Unix time in seconds when the bucket is full again (`X-RateLimit-Reset`).
    pub reset_unix: u64,
    /// When refused, seconds until one request is allowed (`Retry-After`, at least 1).
    pub retry_after_secs: Option<u64>,
}

struct PlanBuckets {
    limit: u32,
    limiter: KeyedLimiter,
}

/// The limiters of every plan and bucket; `None` inside when limits are off.
pub struct RateLimiters {
    buckets: Option<[PlanBuckets; 4]>,
}

impl RateLimiters {
    /// Limiters for the given limits.
    pub fn new(limits: RateLimits) -> Self {
        let make = |plan, bucket| {
            let limit = limits.limit(plan, bucket).unwrap_or(1).max(1);
            let per_minute = NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN);
            PlanBuckets {
                limit,
                limiter: RateLimiter::dashmap_with_clock(
                    Quota::per_minute(per_minute),
                    MonotonicClock,
                )
                .with_middleware::<StateInformationMiddleware>(),
            }
        };
        let buckets = match limits {
            RateLimits::Off => None,
            RateLimits::PerMinute { .. } => Some([
                make(Plan::Free, Bucket::Run),
                make(Plan::Free, Bucket::Get),
                make(Plan::Pro, Bucket::Run),
                make(Plan::Pro, Bucket::Get),
            ]),
        };
        RateLimiters { buckets }
    }

    /// Counts one request of `key` in its plan's bucket; `None` when limits are off.
    pub fn check(&self, key: &Arc<str>, plan: Plan, bucket: Bucket) -> Option<RateDecision> {
        let buckets = self.buckets.as_ref()?;
        // A plan the mock does not know (never one of its accounts) counts as free.
        let index = match (plan, bucket) {
            (Plan::Pro, Bucket::Run) => 2,
            (Plan::Pro, Bucket::Get) => 3,
            (Plan::Free | Plan::Unknown(_), Bucket::Run) => 0,
            (Plan::Free | Plan::Unknown(_), Bucket::Get) => 1,
        };
        let PlanBuckets { limit, limiter } = &buckets[index];
        let now_unix = now_unix();
        Some(match limiter.check_key(key) {
            Ok(snapshot) => {
                RateDecision::allowed(*limit, snapshot.remaining_burst_capacity(), now_unix)
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(limiter.clock().now());
                RateDecision::refused(*limit, wait, now_unix)
            }
        })
    }
}

impl RateDecision {
    /// A request admitted with `remaining` requests left in a bucket of
    /// `limit` per minute, at `now_unix` (since the Unix epoch).
    pub fn allowed(limit: u32, remaining: u32, now_unix: Duration) -> Self {
        let refill = interval(limit) * limit.saturating_sub(remaining);
        RateDecision {
            allowed: true,
            limit,
            remaining,
            reset_unix: ceil_secs(now_unix + refill),
            retry_after_secs: None,
        }
    }

    /// A request refused in a bucket of `limit` per minute, one being
    /// allowed again after `wait`.
    pub fn refused(limit: u32, wait: Duration, now_unix: Duration) -> Self {
        RateDecision {
            allowed: false,
            limit,
            remaining: 0,
            reset_unix: ceil_secs(now_unix + interval(limit) * limit),
            retry_after_secs: Some(ceil_secs(wait).max(1)),
        }
    }
}

/// The time between two requests at the steady rate of `limit` per minute.
pub fn interval(limit: u32) -> Duration {
    Duration::from_secs(60) / limit.max(1)
}

/// The time since the Unix epoch.
pub fn now_unix() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

fn ceil_secs(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PlanLimits;

    #[test]
    fn third_request_over_a_limit_of_two_is_refused_with_retry_after() {
        let limiters = RateLimiters::new(RateLimits::PerMinute {
            free: PlanLimits { run: 2, get: 60 },
            pro: PlanLimits { run: 60, get: 200 },
        });
        let key: Arc<str> = Arc::from("acct");
        let first = limiters.check(&key, Plan::Free, Bucket::Run).unwrap();
        assert!(first.allowed);
        assert_eq!((first.limit, first.remaining), (2, 1));
        assert!(
            limiters
                .check(&key, Plan::Free, Bucket::Run)
                .unwrap()
                .allowed
        );
        let third = limiters.check(&key, Plan::Free, Bucket::Run).unwrap();
        assert!(!third.allowed);
        assert_eq!(third.remaining, 0);
        let retry = third.retry_after_secs.unwrap();
        assert!((1..=30).contains(&retry), "{retry}");
        // Another bucket and another key are counted apart.
        assert!(
            limiters
                .check(&key, Plan::Free, Bucket::Get)
                .unwrap()
                .allowed
        );
        let other: Arc<str> = Arc::from("other");
        assert!(
            limiters
                .check(&other, Plan::Free, Bucket::Run)
                .unwrap()
                .allowed
        );
    }

    #[test]
    fn limits_off_decide_nothing() {
        let limiters = RateLimiters::new(RateLimits::Off);
        assert!(
            limiters
                .check(&Arc::from("a"), Plan::Pro, Bucket::Get)
                .is_none()
        );
    }
}
