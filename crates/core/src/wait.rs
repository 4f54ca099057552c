//! Polling a generation until it is final: [`WaitOptions`], [`Client::wait`]
//! and [`Client::run_and_wait`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use crate::Client;
use crate::error::{Error, Result};
use crate::types::{Generation, GenerationStatus};

/// A callback told of every status change while waiting.
pub type StatusCallback = Arc<dyn Fn(&StatusUpdate<'_>) + Send + Sync>;

/// What a [`StatusCallback`] is told: the generation as just polled, with the
/// status it had before.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StatusUpdate<'a> {
    /// The generation as just polled; `generation.status` is the new status.
    pub generation: &'a Generation,
    /// The status seen at the previous poll (`None` at the first).
    pub previous: Option<GenerationStatus>,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// Polls made so far, this one included.
    pub polls: u32,
}

/// How [`Client::wait`] polls: an interval that starts at `interval` (2 s)
/// and grows by `backoff` (×1.5) up to `max_interval` (10 s), an overall
/// `timeout` (10 min), and a callback for status changes.
///
/// A server may say when to poll next: the mock server (`astudio-mock`)
/// sends `X-Poll-After-Ms`, the milliseconds until the generation is
/// expected to change status, on the `202` of a run and on each poll. When
/// the last answer carried it, the next wait is that hint instead of the
/// interval, but never longer than `max_interval` (and, after a poll, never
/// under 5 ms, so a server that keeps answering 0 cannot make the client
/// poll in a loop). So against the mock at speed 0, whose generations end
/// before the run is answered, [`Client::run_and_wait`] polls at once rather
/// than after 2 s. Without the header (the real service does not send it)
/// the intervals are exactly as above.
///
/// ```
/// use std::time::Duration;
/// use artificial_studio::WaitOptions;
///
/// let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
/// let options = WaitOptions::default()
///     .timeout(Duration::from_secs(300))
///     .on_status(move |update| {
///         let _ = tx.send(update.generation.status.clone());
///     });
/// # drop(options); drop(rx.try_recv());
/// ```
#[derive(Clone)]
pub struct WaitOptions {
    interval: Duration,
    max_interval: Duration,
    backoff: f64,
    timeout: Option<Duration>,
    on_status: Option<StatusCallback>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(10),
            backoff: 1.5,
            timeout: Some(Duration::from_secs(600)),
            on_status: None,
        }
    }
}

impl WaitOptions {
    /// The defaults: 2 s growing to 10 s, 10 minutes overall.
    pub fn new() -> WaitOptions {
        WaitOptions::default()
    }

    /// Sets the first interval between polls.
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> WaitOptions {
        self.interval = interval;
        self.max_interval = self.max_interval.max(interval);
        self
    }

    /// Sets the longest interval between polls.
    #[must_use]
    pub fn max_interval(mut self, max_interval: Duration) -> WaitOptions {
        self.max_interval = max_interval;
        self.interval = self.interval.min(max_interval);
        self
    }

    /// Sets the factor the interval grows by after each poll (at least 1).
    #[must_use]
    pub fn backoff(mut self, factor: f64) -> WaitOptions {
        self.backoff = if factor.is_finite() {
            factor.max(1.0)
        } else {
            1.0
        };
        self
    }

    /// Sets the overall timeout, after which [`Error::WaitTimeout`] is returned.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> WaitOptions {
        self.timeout = Some(timeout);
        self
    }

    /// Waits as long as it takes.
    #[must_use]
    pub fn no_timeout(mut self) -> WaitOptions {
        self.timeout = None;
        self
    }

    /// Calls `callback` at the first poll and at every status change (a CLI
    /// draws its progress from it). To get a channel instead, send from the
    /// callback, as in the example above.
    #[must_use]
    pub fn on_status(
        mut self,
        callback: impl Fn(&StatusUpdate<'_>) + Send + Sync + 'static,
    ) -> WaitOptions {
        self.on_status = Some(Arc::new(callback));
        self
    }

    /// The overall timeout, if any.
    pub fn timeout_duration(&self) -> Option<Duration> {
        self.timeout
    }

    /// The interval before poll number `poll + 1` (0 for the first).
    pub fn interval_after(&self, poll: u32) -> Duration {
        let grown = self.interval.as_secs_f64() * self.backoff.powi(poll.min(64) as i32);
        Duration::try_from_secs_f64(grown)
            .unwrap_or(self.max_interval)
            .min(self.max_interval)
    }

    /// The wait before poll number `poll + 1`: the server's `hint` when the
    /// last answer carried one, at least `floor` and at most `max_interval`;
    /// else [`interval_after`](Self::interval_after).
    fn wait_before(&self, poll: u32, hint: Option<Duration>, floor: Duration) -> Duration {
        match hint {
            Some(hint) => hint.max(floor).min(self.max_interval),
            None => self.interval_after(poll),
        }
    }
}

/// The least wait after a poll whose answer hinted at a shorter one (see
/// [`WaitOptions`]): a generation still running is not asked about in a loop.
const HINTED_WAIT_FLOOR: Duration = Duration::from_millis(5);

/// When the first poll of a wait happens.
#[derive(Debug, Clone, Copy)]
enum FirstPoll {
    /// At once ([`Client::wait`]).
    Now,
    /// After the run that started the generation: one interval, or the run
    /// answer's hint when it carried one ([`Client::run_and_wait`]).
    AfterRun(Option<Duration>),
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("interval", &self.interval)
            .field("max_interval", &self.max_interval)
            .field("backoff", &self.backoff)
            .field("timeout", &self.timeout)
            .field("on_status", &self.on_status.is_some())
            .finish()
    }
}

impl Client {
    /// Polls generation `id` until it is `success` (returned) or `error`
    /// ([`Error::GenerationFailed`]), or the timeout passes
    /// ([`Error::WaitTimeout`], with the last status seen). The first poll is
    /// immediate. A poll that fails after the client's retries ends the wait
    /// with that error.
    pub async fn wait(&self, id: &str, options: WaitOptions) -> Result<Generation> {
        self.poll_until_final(id, options, FirstPoll::Now).await
    }

    /// Starts a generation with [`run`](Self::run) (no webhook) and waits for
    /// it with [`wait`](Self::wait); the first poll comes after one interval,
    /// as the generation has only just started, or when the run's answer
    /// says (`X-Poll-After-Ms`, see [`WaitOptions`]): at once against the mock
    /// server at speed 0.
    ///
    /// ```no_run
    /// # async fn demo() -> artificial_studio::Result<()> {
    /// use artificial_studio::{Client, WaitOptions};
    /// use serde_json::json;
    ///
    /// let image = Client::from_env()?
    ///     .run_and_wait("create-image", json!({"prompt": "a fox"}), WaitOptions::default())
    ///     .await?;
    /// println!("{}", image.output.unwrap_or_default());
    /// # Ok(()) }
    /// ```
    pub async fn run_and_wait(
        &self,
        tool: &str,
        input: impl Serialize,
        options: WaitOptions,
    ) -> Result<Generation> {
        let (started, hint) = self.run_hinted(tool, input, None).await?;
        self.poll_until_final(&started.id, options, FirstPoll::AfterRun(hint))
            .await
    }

    async fn poll_until_final(
        &self,
        id: &str,
        options: WaitOptions,
        first: FirstPoll,
    ) -> Result<Generation> {
        let begun = Instant::now();
        let deadline = options.timeout.map(|t| begun + t);
        let mut previous: Option<GenerationStatus> = None;
        let mut polls = 0u32;
        let sleep_first = matches!(first, FirstPoll::AfterRun(_));
        if let FirstPoll::AfterRun(hint) = first {
            // No floor: the run's hint is 0 only when the generation has
            // already ended (or ends at once), so one poll now is all it costs.
            let wait = options.wait_before(0, hint, Duration::ZERO);
            sleep_until_before(wait, deadline).await;
        }
        loop {
            let (generation, hint) = self.generation_hinted(id).await?;
            polls += 1;
            let status = generation.status.clone();
            if previous.as_ref() != Some(&status)
                && let Some(callback) = &options.on_status
            {
                callback(&StatusUpdate {
                    generation: &generation,
                    previous: previous.clone(),
                    elapsed: begun.elapsed(),
                    polls,
                });
            }
            // A status this version does not know is not final: keep polling.
            match status {
                GenerationStatus::Success => return Ok(generation),
                GenerationStatus::Error => {
                    return Err(Error::GenerationFailed {
                        id: generation.id,
                        message: generation
                            .error
                            .filter(|m| !m.trim().is_empty())
                            .unwrap_or_else(|| "the generation ended in error".to_string()),
                    });
                }
                _ => {}
            }
            previous = Some(status.clone());
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(Error::WaitTimeout {
                    id: id.to_string(),
                    last_status: status,
                    elapsed: begun.elapsed(),
                });
            }
            let step = if sleep_first { polls } else { polls - 1 };
            let wait = options.wait_before(step, hint, HINTED_WAIT_FLOOR);
            sleep_until_before(wait, deadline).await;
        }
    }
}

/// Sleeps `interval`, but wakes at `deadline` if that comes first, so a last
/// poll happens right at the deadline. No wait is no sleep: Tokio's timer
/// wakes even an elapsed deadline at its next millisecond tick, which cost
/// a speed-0 `run_and_wait` against the mock server 1.1 ms of its 1.6 ms.
async fn sleep_until_before(interval: Duration, deadline: Option<Instant>) {
    if interval.is_zero() {
        return;
    }
    let wake = Instant::now() + interval;
    let wake = match deadline {
        Some(deadline) => wake.min(deadline),
        None => wake,
    };
    tokio::time::sleep_until(wake).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_grows_from_two_seconds_to_at_most_ten() {
        let options = WaitOptions::default();
        let secs: Vec<f64> = (0..7)
            .map(|n| options.interval_after(n).as_secs_f64())
            .collect();
        assert_eq!(secs, [2.0, 3.0, 4.5, 6.75, 10.0, 10.0, 10.0]);
    }

    #[test]
    fn a_hint_replaces_the_interval_within_the_floor_and_the_longest_interval() {
        let options = WaitOptions::default();
        let ms = Duration::from_millis;
        let floor = HINTED_WAIT_FLOOR;
        assert_eq!(options.wait_before(0, None, floor), ms(2000));
        assert_eq!(options.wait_before(3, None, floor), ms(6750));
        assert_eq!(options.wait_before(0, Some(ms(0)), Duration::ZERO), ms(0));
        assert_eq!(options.wait_before(0, Some(ms(0)), floor), floor);
        assert_eq!(options.wait_before(0, Some(ms(120)), floor), ms(120));
        // Longer than the interval, as the server knows: up to the longest.
        assert_eq!(options.wait_before(0, Some(ms(4000)), floor), ms(4000));
        assert_eq!(options.wait_before(0, Some(ms(60_000)), floor), ms(10_000));
        // A longest interval under the floor still wins.
        let tiny = WaitOptions::default().interval(ms(1)).max_interval(ms(2));
        assert_eq!(tiny.wait_before(0, Some(ms(0)), floor), ms(2));
    }

    #[test]
    fn intervals_can_be_made_tiny_for_tests() {
        let options = WaitOptions::default()
            .interval(Duration::from_millis(1))
            .max_interval(Duration::from_millis(5));
        assert_eq!(options.interval_after(0), Duration::from_millis(1));
        assert_eq!(options.interval_after(100), Duration::from_millis(5));
    }
}
