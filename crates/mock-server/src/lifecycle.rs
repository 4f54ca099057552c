//! The generation lifecycle: `pending` → `processing` → `uploading` → `success`
//! (or `processing` → `error` with a refund) on a schedule scaled by speed, then
//! the success webhook.

use std::{future::Future, sync::Arc, time::Duration};

use futures::{FutureExt, future::Either};

use artificial_studio_types::{GenerationStatus, GenerationType};
use tokio_util::sync::CancellationToken;

use crate::{
    config::MockConfig,
    instruments::Instruments,
    media,
    store::{
        ClaimedDelivery, CreateError, Finished, GatedRun, NewGeneration, Outcome, Resumable, Store,
        StoreFuture,
    },
    webhooks::WebhookSender,
};

/// Time spent in each running status, already scaled by speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// In `pending`.
    pub pending: Duration,
    /// In `processing`.
    pub processing: Duration,
    /// In `uploading`.
    pub uploading: Duration,
}

impl Schedule {
    /// The schedule a configuration asks for.
    pub fn from_config(config: &MockConfig) -> Self {
        Schedule {
            pending: config.scaled(Duration::from_millis(config.pending_ms)),
            processing: config.scaled(Duration::from_millis(config.processing_ms)),
            uploading: config.scaled(Duration::from_millis(config.uploading_ms)),
        }
    }

    /// Whether generations end before `POST /api/run` answers.
    pub fn is_instant(&self) -> bool {
        self.pending.is_zero() && self.processing.is_zero() && self.uploading.is_zero()
    }

    /// How long after `POST /api/run` answers a new generation first changes
    /// status: the poll hint of the `202`. Zero on an instant schedule, whose
    /// generations have ended before the answer; otherwise the time of its
    /// first status, plus [`HINT_SLACK`].
    pub fn first_change(&self) -> Duration {
        if self.is_instant() {
            Duration::ZERO
        } else if self.pending.is_zero() {
            self.processing + HINT_SLACK
        } else {
            self.pending + HINT_SLACK
        }
    }

    /// How long until a generation in `status`, created `elapsed` ago, changes
    /// status: the poll hint of `GET /api/generations/{id}`. Zero once it is
    /// final; while it runs, the end of its status on this schedule less
    /// `elapsed`, plus [`HINT_SLACK`], and never under [`OVERDUE_HINT`] (a
    /// status whose time is up is about to change, and a zero would have a
    /// client ask again at once, in a loop, until it does).
    pub fn next_change(&self, status: &GenerationStatus, elapsed: Duration) -> Duration {
        let ends = match status {
            GenerationStatus::Pending => self.pending,
            GenerationStatus::Processing => self.pending + self.processing,
            // The mock makes no status it does not know; one would end last.
            GenerationStatus::Uploading | GenerationStatus::Unknown(_) => {
                self.pending + self.processing + self.uploading
            }
            GenerationStatus::Success | GenerationStatus::Error => return Duration::ZERO,
        };
        (ends + HINT_SLACK)
            .saturating_sub(elapsed)
            .max(OVERDUE_HINT)
    }
}

/// What a poll hint adds to the schedule: a generation's timer starts a moment
/// after its `createdAt` (which is also cut to the millisecond) and wakes up to
/// a millisecond late, and a poll that comes early finds the old status and
/// costs one more request and wait. A hint errs late by this much instead.
pub const HINT_SLACK: Duration = Duration::from_millis(2);

/// The least hint for a generation still running: one whose status should
/// already have changed is polled again this soon.
pub const OVERDUE_HINT: Duration = Duration::from_millis(1);

/// How often each replica sweeps a store that runs schedules.
const SWEEP_EVERY: Duration = Duration::from_millis(20);
/// Most webhook deliveries one sweep claims.
const DELIVERY_BATCH: u32 = 100;

/// What the lifecycle needs of a generation it runs.
#[derive(Debug, Clone)]
pub struct Running {
    /// The generation id.
    pub id: String,
    /// Its output type, which picks the output file.
    pub kind: GenerationType,
}

/// Drives generations through their statuses.
pub struct Lifecycle {
    store: Arc<dyn Store>,
    instruments: Arc<Instruments>,
    schedule: Schedule,
    public_url: String,
    webhooks: Arc<WebhookSender>,
    /// The store's [`Store::queues_deliveries`], asked once.
    queues_deliveries: bool,
    cancel: CancellationToken,
}

impl Lifecycle {
    /// A lifecycle writing into `store` (scripted outcomes from
    /// `instruments`), with URLs under `public_url`.
    pub fn new(
        store: Arc<dyn Store>,
        instruments: Arc<Instruments>,
        schedule: Schedule,
        public_url: String,
        webhooks: Arc<WebhookSender>,
        cancel: CancellationToken,
    ) -> Self {
        Lifecycle {
            queues_deliveries: store.queues_deliveries(),
            store,
            instruments,
            schedule,
            public_url,
            webhooks,
            cancel,
        }
    }

    /// The schedule generations follow.
    pub fn schedule(&self) -> Schedule {
        self.schedule
    }

    /// The status a new generation starts in (`processing`, as documented, unless
    /// a `pending` time is configured).
    pub fn initial_status(&self) -> GenerationStatus {
        if self.schedule.pending.is_zero() {
            GenerationStatus::Processing
        } else {
            GenerationStatus::Pending
        }
    }

    /// The URL of a generation's output.
    pub fn output_url(&self, id: &str, kind: &GenerationType) -> String {
        self.url(&["/outputs/", id, ".", media::extension(kind)])
    }

    /// The URL of a generation's thumbnail.
    pub fn thumbnail_url(&self, id: &str) -> String {
        self.url(&["/thumbnails/", id, ".png"])
    }

    /// The mock's public URL followed by `pieces`, in one allocation of the
    /// right size (cheaper than `concat`'s generic join, on every run).
    fn url(&self, pieces: &[&str]) -> String {
        let len = pieces.iter().map(|p| p.len()).sum::<usize>();
        let mut url = String::with_capacity(self.public_url.len() + len);
        url.push_str(&self.public_url);
        for piece in pieces {
            url.push_str(piece);
        }
        url
    }

    /// Stores a new generation, paid with `cost` credits from its owner, and
    /// runs it to its end (`error` if its tool has a scripted outcome). With
    /// an instant schedule it has ended when this returns, stored in one step.
    ///
    /// Not an `async fn`, which would keep `stored` twice in its future (as
    /// its argument and as its local): this future is inside every run's,
    /// which is boxed and copied per request. The scheduled path is boxed.
    pub fn create(
        self: &Arc<Self>,
        stored: NewGeneration,
        cost: u64,
    ) -> impl Future<Output = Result<(), CreateError>> + Send + '_ {
        if self.schedule.is_instant() {
            let success = self.success(&stored.id, &stored.type_);
            Either::Left(
                self.store
                    .create_finished_generation(stored, cost, success, &self.instruments.outcomes)
                    .map(move |created| created.map(|finished| self.notify(finished))),
            )
        } else if self.store.runs_schedules() {
            let success = self.success(&stored.id, &stored.type_);
            let s = self.schedule;
            Either::Right(self.store.create_scheduled_generation(
                stored,
                cost,
                [s.pending, s.processing, s.uploading],
                success,
                &self.instruments.outcomes,
            ))
        } else {
            Either::Right(StoreFuture::new(self.create_scheduled(stored, cost)))
        }
    }

    /// A run's generation as a shared store's gate creates it (see
    /// [`Then::Run`](crate::store::Then::Run)): on this schedule, ending as
    /// [`Lifecycle::create`] would end it. The store must [run
    /// schedules](Store::runs_schedules) and queue its deliveries (as the
    /// Redis store does), since no timer or sender of this process is told.
    pub fn gated_run(&self, generation: NewGeneration, cost: u64) -> GatedRun {
        let success = self.success(&generation.id, &generation.type_);
        let s = self.schedule;
        GatedRun {
            generation,
            cost,
            durations: (!s.is_instant()).then_some([s.pending, s.processing, s.uploading]),
            success,
        }
    }

    /// On a store that [runs schedules](Store::runs_schedules), a task that
    /// ends the generations whose time is up (each claimed by one replica)
    /// and sends their webhooks, until the server stops: so a generation
    /// ends, and its webhook goes out, whichever replica is alive and whether
    /// or not anyone polls it. Nothing on other stores.
    pub fn spawn_sweeper(self: &Arc<Self>) {
        if !self.store.runs_schedules() {
            return;
        }
        // Outside a runtime (a session made from synchronous code) reads
        // still move its generations; the sweeper only sends their webhooks
        // when nobody reads.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let lifecycle = self.clone();
        runtime.spawn(async move {
            let cancel = lifecycle.cancel.clone();
            let mut tick = tokio::time::interval(SWEEP_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    () = cancel.cancelled() => return,
                }
                // Unreachable: the store has logged it; the next tick tries again.
                if let Ok(ended) = lifecycle.store.sweep().await {
                    for finished in ended {
                        lifecycle.notify(Some(finished));
                    }
                }
                lifecycle.send_due_webhooks().await;
            }
        });
    }

    /// On a store that [queues deliveries](Store::queues_deliveries): claims
    /// the webhook attempts that are due, each with a lease a little longer
    /// than one attempt, and sends each in a task of its own, which settles
    /// it in the store (removed once delivered, else queued for its next
    /// attempt). If the server stops mid-attempt the lease ends unsettled
    /// and another replica's sweeper takes the delivery up.
    async fn send_due_webhooks(self: &Arc<Self>) {
        if !self.queues_deliveries {
            return;
        }
        let lease = self.webhooks.lease();
        let Ok(claimed) = self.store.claim_deliveries(lease, DELIVERY_BATCH).await else {
            return;
        };
        for delivery in claimed {
            let lifecycle = self.clone();
            tokio::spawn(async move {
                let cancel = lifecycle.cancel.clone();
                tokio::select! {
                    () = lifecycle.send_claimed(delivery) => {}
                    () = cancel.cancelled() => {}
                }
            });
        }
    }

    /// The lease of a delivery claimed for this lifecycle's sender.
    pub fn delivery_lease(&self) -> Duration {
        self.webhooks.lease()
    }

    /// One attempt of a claimed delivery, recorded, then settled.
    async fn send_claimed(&self, delivery: ClaimedDelivery) {
        self.deliver_claimed(&*self.store, &self.instruments, delivery)
            .await;
    }

    /// One attempt of `delivery`, claimed from `store`, with this
    /// lifecycle's sender: sent, recorded in `instruments` (on a shared
    /// store, written before the delivery is settled, so that whoever
    /// reads the deliveries once it is settled finds the attempt), then
    /// settled in `store` (removed once delivered, else queued for its
    /// next attempt). Used by a session's sweeper for its own deliveries,
    /// and by the sessions' sweeper for those of any session on the store.
    pub async fn deliver_claimed(
        &self,
        store: &dyn Store,
        instruments: &Instruments,
        delivery: ClaimedDelivery,
    ) {
        let (record, next) = self
            .webhooks
            .attempt(&delivery.payload, &delivery.url, delivery.attempt)
            .await;
        // Out of reach: logged by the store; the attempt is settled anyway,
        // so that it is not made twice.
        let _ = instruments.record_delivery(record).await;
        match store.settle_delivery(&delivery, next).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                generation = %delivery.payload.id,
                attempt = delivery.attempt,
                "webhook attempt settled after its lease ended; another replica may repeat it"
            ),
            // Unreachable: the store has logged it; the lease ends and the
            // attempt is made again.
            Err(_) => {}
        }
    }

    /// [`Lifecycle::create`] on a schedule that takes time.
    async fn create_scheduled(
        self: &Arc<Self>,
        stored: NewGeneration,
        cost: u64,
    ) -> Result<(), CreateError> {
        let running = Running {
            id: stored.id.clone(),
            kind: stored.type_.clone(),
        };
        let tool = stored.tool.clone();
        self.store.create_generation(stored, cost).await?;
        let failure = self.instruments.outcomes.take(&tool);
        self.start(running, failure);
        Ok(())
    }

    /// Runs a stored generation to its end on the schedule, in a task of its
    /// own; `failure` makes it end in `error`.
    fn start(self: &Arc<Self>, generation: Running, failure: Option<String>) {
        let from = self.initial_status();
        self.spawn_run(generation, failure, from, Duration::ZERO);
    }

    /// Takes up generations that were running when a state file's snapshot
    /// was taken: each goes on from its status where its schedule, counted
    /// from its creation, says it should be (ending at once if its time is
    /// up). A failure scripted for it before the restart is not kept: it ends
    /// in `success`.
    pub fn resume(self: &Arc<Self>, generations: Vec<Resumable>) {
        let now = chrono::Utc::now();
        for resumable in generations {
            let elapsed = (now - resumable.created_at).to_std().unwrap_or_default();
            let running = Running {
                id: resumable.id,
                kind: resumable.type_,
            };
            self.spawn_run(running, None, resumable.status, elapsed);
        }
    }

    fn spawn_run(
        self: &Arc<Self>,
        generation: Running,
        failure: Option<String>,
        from: GenerationStatus,
        elapsed: Duration,
    ) {
        let lifecycle = self.clone();
        tokio::spawn(async move {
            let cancel = lifecycle.cancel.clone();
            tokio::select! {
                () = lifecycle.run(generation, failure, from, elapsed) => {}
                () = cancel.cancelled() => {}
            }
        });
    }

    /// Moves a generation in status `from`, created `elapsed` ago, through
    /// the rest of its schedule (never back to a status it has passed).
    async fn run(
        &self,
        generation: Running,
        failure: Option<String>,
        from: GenerationStatus,
        elapsed: Duration,
    ) {
        let id = generation.id.as_str();
        // These timers run on stores that do not run schedules (the
        // in-memory one), which are never unavailable.
        let now = tokio::time::Instant::now();
        let created = now.checked_sub(elapsed).unwrap_or(now);
        let s = self.schedule;
        let pending = from == GenerationStatus::Pending;
        if !s.pending.is_zero() || pending {
            tokio::time::sleep_until(created + s.pending).await;
            if pending {
                let _ = self
                    .store
                    .set_status(id, GenerationStatus::Processing)
                    .await;
            }
        }
        tokio::time::sleep_until(created + s.pending + s.processing).await;
        if failure.is_none() {
            if from != GenerationStatus::Uploading {
                let _ = self.store.set_status(id, GenerationStatus::Uploading).await;
            }
            tokio::time::sleep_until(created + s.pending + s.processing + s.uploading).await;
        }
        self.finish(&generation, failure).await;
    }

    async fn finish(&self, generation: &Running, failure: Option<String>) {
        let outcome =
            Outcome::scripted_or(failure, || self.success(&generation.id, &generation.kind));
        let finished = self.store.finish_generation(&generation.id, outcome).await;
        self.notify(finished.ok().flatten());
    }

    /// A successful end of generation `id`: the output, and a thumbnail for
    /// the types that have one.
    fn success(&self, id: &str, kind: &GenerationType) -> Outcome {
        Outcome::Success {
            output: self.output_url(id, kind),
            thumbnail: media::has_thumbnail(kind).then(|| self.thumbnail_url(id)),
        }
    }

    /// Sends the success webhook of a generation that ended, if it has one
    /// (unless the store queued it, for the sweepers to send).
    fn notify(&self, finished: Option<Finished>) {
        if self.queues_deliveries {
            return;
        }
        if let Some((url, payload)) = finished.and_then(|f| f.webhook) {
            self.webhooks.deliver(payload, url);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    fn schedule(pending: u64, processing: u64, uploading: u64) -> Schedule {
        Schedule {
            pending: ms(pending),
            processing: ms(processing),
            uploading: ms(uploading),
        }
    }

    #[test]
    fn the_first_change_is_the_first_status_time_or_0_on_an_instant_schedule() {
        assert_eq!(schedule(0, 0, 0).first_change(), Duration::ZERO);
        assert_eq!(schedule(0, 2000, 500).first_change(), ms(2002));
        assert_eq!(schedule(300, 2000, 500).first_change(), ms(302));
        // `processing` ends at once, `uploading` takes time: the first change
        // comes at once (with the slack).
        assert_eq!(schedule(0, 0, 500).first_change(), ms(2));
    }

    #[test]
    fn the_next_change_counts_down_to_the_end_of_the_status() {
        use GenerationStatus::*;
        let s = schedule(300, 2000, 500);
        assert_eq!(s.next_change(&Pending, ms(100)), ms(202));
        assert_eq!(s.next_change(&Processing, ms(300)), ms(2002));
        assert_eq!(s.next_change(&Processing, ms(1300)), ms(1002));
        assert_eq!(s.next_change(&Uploading, ms(2300)), ms(502));
        assert_eq!(s.next_change(&Success, ms(10)), Duration::ZERO);
        assert_eq!(s.next_change(&Error, ms(10)), Duration::ZERO);
    }

    #[test]
    fn a_running_generation_past_its_time_is_hinted_the_least_wait_never_0() {
        use GenerationStatus::*;
        let s = schedule(0, 2000, 500);
        assert_eq!(s.next_change(&Processing, ms(60_000)), OVERDUE_HINT);
        assert_eq!(schedule(0, 0, 0).next_change(&Processing, ms(0)), ms(2));
        assert_eq!(
            schedule(0, 0, 0).next_change(&Uploading, ms(5)),
            OVERDUE_HINT
        );
    }
}
