//! When to send a request again, and how long to wait first: [`RetryPolicy`].
//!
//! The transport asks the policy after every failed attempt; endpoints never
//! see any of it. The rules, anchored on the Stainless-generated SDKs:
//!
//! - retried: `429`, `500`, `502`, `503` (and any other `5xx`, which a proxy
//!   may answer), and transport failures (connect, reset, timeout);
//! - never retried: `400`, `401`, `402`, `403`, `404`, `405`, `408`, `413`;
//! - `POST /api/run` spends credits, so it is retried only when the request
//!   cannot have been processed: `429`, `503`, and a connection that failed
//!   before the request was sent;
//! - the delay is the server's `Retry-After` (seconds or an HTTP date) when
//!   present, else `min(initial × 2^n, max)` reduced by up to 25% jitter;
//!   a `Retry-After` above [`RetryPolicy::max_retry_after`] is not slept: the
//!   error is returned with `retry_after` set so the caller decides.

use std::time::{Duration, SystemTime};

use artificial_studio_types::ErrorKind;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How many times, and after how long, a failed request is sent again.
///
/// ```
/// use std::time::Duration;
/// use artificial_studio::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_retries(4)
///     .with_max_retry_after(Duration::from_secs(120));
/// assert_eq!(policy.max_retries(), 4);
/// assert_eq!(RetryPolicy::none().max_retries(), 0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_delay: Duration,
    max_delay: Duration,
    jitter: f64,
    max_retry_after: Duration,
    honour_retry_after: bool,
}

impl Default for RetryPolicy {
    /// 2 retries, 0.5 s doubling up to 8 s, 25% jitter, `Retry-After` honoured
    /// up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            jitter: 0.25,
            max_retry_after: Duration::from_secs(60),
            honour_retry_after: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every failure is returned at once.
    pub fn none() -> Self {
        RetryPolicy::default().with_max_retries(0)
    }

    /// `max_retries` retries without any delay, ignoring `Retry-After` (one
    /// above the cap still ends the retries): for tests, so they never sleep.
    pub fn immediate(max_retries: u32) -> Self {
        RetryPolicy {
            max_retries,
            initial_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            jitter: 0.0,
            honour_retry_after: false,
            ..RetryPolicy::default()
        }
    }

    /// Sets how many times a request is sent again after its first attempt.
    #[must_use]
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the backoff: the first delay, doubled each retry up to `max`.
    #[must_use]
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial;
        self.max_delay = max.max(initial);
        self
    }

    /// Sets the jitter: each backoff delay is reduced by a random fraction of
    /// at most `fraction` (clamped to `0.0..=1.0`).
    #[must_use]
    pub fn with_jitter(mut self, fraction: f64) -> Self {
        self.jitter = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// Sets the longest `Retry-After` the client sleeps through; a longer one
    /// ends the retries and is reported in the error's `retry_after`.
    #[must_use]
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Whether the server's `Retry-After` replaces the backoff (default
    /// `true`). Turned off, only the backoff is used.
    #[must_use]
    pub fn with_retry_after(mut self, honour: bool) -> Self {
        self.honour_retry_after = honour;
        self
    }

    /// How many times a request is sent again after its first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The longest `Retry-After` the client sleeps through.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The backoff before retry number `retry` (0 for the first), before
    /// jitter: `min(initial × 2^retry, max)`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(31));
        self.initial_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The backoff before retry number `retry`, reduced by up to the jitter
    /// fraction.
    fn jittered_backoff(&self, retry: u32) -> Duration {
        let base = self.backoff(retry);
        if self.jitter <= 0.0 || base.is_zero() {
            return base;
        }
        let cut: f64 = rand::random::<f64>() * self.jitter;
        base.mul_f64(1.0 - cut)
    }

    /// What to do after attempt number `retries_done + 1` failed.
    pub(crate) fn decide(&self, retries_done: u32, safety: Safety, failure: &Failure) -> Decision {
        if !failure.is_retryable(safety) {
            return Decision::GiveUp;
        }
        if let Failure::Status {
            retry_after: Some(wait),
            ..
        } = failure
        {
            if *wait > self.max_retry_after {
                return Decision::GiveUp;
            }
            if retries_done >= self.max_retries {
                return Decision::GiveUp;
            }
            if self.honour_retry_after {
                return Decision::Retry(*wait);
            }
        }
        if retries_done >= self.max_retries {
            return Decision::GiveUp;
        }
        Decision::Retry(self.jittered_backoff(retries_done))
    }
}

/// How safe it is to send a request twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Safety {
    /// Reads, and uploads (a duplicate upload costs nothing): retried on
    /// every retryable failure.
    Repeatable,
    /// `POST /api/run`: retried only when it cannot have been processed.
    OnlyIfNotProcessed,
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The server answered with a non-2xx status.
    Status {
        kind: ErrorKind,
        retry_after: Option<Duration>,
    },
    /// No answer: `connect` is true when the connection failed, so the request
    /// was never sent.
    Transport { connect: bool },
}

impl Failure {
    fn is_retryable(&self, safety: Safety) -> bool {
        match (self, safety) {
            (Failure::Status { kind, .. }, Safety::Repeatable) => kind.is_retryable(),
            (Failure::Status { kind, .. }, Safety::OnlyIfNotProcessed) => matches!(
                kind,
                ErrorKind::TooManyRequests | ErrorKind::ServiceUnavailable
            ),
            (Failure::Transport { .. }, Safety::Repeatable) => true,
            (Failure::Transport { connect }, Safety::OnlyIfNotProcessed) => *connect,
        }
    }
}

/// The policy's answer after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Sleep this long, then send the request again.
    Retry(Duration),
    /// Return the failure to the caller.
    GiveUp,
}

/// The `Retry-After` header as a duration: whole or fractional seconds, or an
/// HTTP date (a date in the past is zero). `None` when absent or unreadable.
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after_value(value, SystemTime::now())
}

fn parse_retry_after_value(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::try_from_secs_f64(seconds).ok())
            .flatten();
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, retry_after: Option<u64>) -> Failure {
        Failure::Status {
            kind: ErrorKind::from_status(code),
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    #[test]
    fn backoff_doubles_from_half_a_second_up_to_eight() {
        let p = RetryPolicy::default();
        let secs: Vec<f64> = (0..6).map(|n| p.backoff(n).as_secs_f64()).collect();
        assert_eq!(secs, [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]);
        assert_eq!(p.backoff(u32::MAX), Duration::from_secs(8));
    }

    #[test]
    fn jitter_only_shortens_the_delay_by_at_most_a_quarter() {
        let p = RetryPolicy::default();
        for _ in 0..200 {
            let Decision::Retry(d) = p.decide(1, Safety::Repeatable, &status(500, None)) else {
                panic!("500 must be retried");
            };
            assert!(
                d <= Duration::from_secs(1) && d >= Duration::from_millis(750),
                "{d:?}"
            );
        }
    }

    #[test]
    fn client_errors_are_never_retried() {
        let p = RetryPolicy::default();
        for code in [400, 401, 402, 403, 404, 405, 408, 413] {
            assert_eq!(
                p.decide(0, Safety::Repeatable, &status(code, None)),
                Decision::GiveUp,
                "{code}"
            );
        }
    }

    #[test]
    fn reads_retry_rate_limits_server_errors_and_transport_failures() {
        let p = RetryPolicy::immediate(2);
        for failure in [
            status(429, None),
            status(500, None),
            status(502, None),
            status(503, None),
            status(504, None),
            Failure::Transport { connect: false },
            Failure::Transport { connect: true },
        ] {
            assert_eq!(
                p.decide(0, Safety::Repeatable, &failure),
                Decision::Retry(Duration::ZERO),
                "{failure:?}"
            );
        }
    }

    #[test]
    fn run_is_retried_only_when_it_cannot_have_been_processed() {
        let p = RetryPolicy::immediate(2);
        let run = Safety::OnlyIfNotProcessed;
        assert!(matches!(
            p.decide(0, run, &status(429, None)),
            Decision::Retry(_)
        ));
        assert!(matches!(
            p.decide(0, run, &status(503, None)),
            Decision::Retry(_)
        ));
        assert!(matches!(
            p.decide(0, run, &Failure::Transport { connect: true }),
            Decision::Retry(_)
        ));
        assert_eq!(p.decide(0, run, &status(500, None)), Decision::GiveUp);
        assert_eq!(p.decide(0, run, &status(502, None)), Decision::GiveUp);
        assert_eq!(
            p.decide(0, run, &Failure::Transport { connect: false }),
            Decision::GiveUp
        );
    }

    #[test]
    fn retries_stop_after_the_configured_count() {
        let p = RetryPolicy::immediate(2);
        assert!(matches!(
            p.decide(1, Safety::Repeatable, &status(503, None)),
            Decision::Retry(_)
        ));
        assert_eq!(
            p.decide(2, Safety::Repeatable, &status(503, None)),
            Decision::GiveUp
        );
        assert_eq!(
            RetryPolicy::none().decide(0, Safety::Repeatable, &status(503, None)),
            Decision::GiveUp
        );
    }

    #[test]
    fn retry_after_replaces_the_backoff_up_to_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide(0, Safety::Repeatable, &status(429, Some(7))),
            Decision::Retry(Duration::from_secs(7))
        );
        assert_eq!(
            p.decide(0, Safety::Repeatable, &status(429, Some(61))),
            Decision::GiveUp
        );
        let patient = p.with_max_retry_after(Duration::from_secs(120));
        assert_eq!(
            patient.decide(0, Safety::Repeatable, &status(429, Some(61))),
            Decision::Retry(Duration::from_secs(61))
        );
    }

    #[test]
    fn retry_after_reads_seconds_fractions_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after_value("30", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after_value("1.5", now),
            Some(Duration::from_millis(1500))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            parse_retry_after_value(&later, now),
            Some(Duration::from_secs(90))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after_value(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after_value("-3", now), None);
        assert_eq!(parse_retry_after_value("soon", now), None);
        assert_eq!(parse_retry_after_value("NaN", now), None);
        assert_eq!(parse_retry_after_value("1e300", now), None);
    }
}
