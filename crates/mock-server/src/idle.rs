//! Connections that wait too long for a request are closed: a client that
//! opens a connection and sends nothing, or a request head a byte at a time
//! (a "slowloris"), or that stops reading its answer, does not hold it open
//! for ever.
//!
//! Hyper's own `header_read_timeout` does this with a timer armed before every
//! request head: an allocation, a timer-wheel insert and removal under the
//! wheel's lock, and a poll of the timer on every request, about 4% of a
//! `POST /api/run`. Here each connection has one watchdog task instead, which
//! wakes a few times per timeout and looks at two counters the connection
//! keeps: requests in flight, and a progress count that moves with every
//! request started and every write of an answer's bytes. A connection with no
//! request in flight whose progress has not moved for the whole timeout is
//! closed. A request being answered is never cut off here: its body has its
//! own timeout, and a handler may take as long as it needs (a `delay` fault).

use std::{
    io,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    task::AbortHandle,
    time::MissedTickBehavior,
};

/// How many times per timeout the watchdog looks.
const CHECKS_PER_TIMEOUT: u32 = 4;

/// What a connection's watchdog looks at.
#[derive(Debug, Default)]
pub struct Activity {
    /// Requests being answered (from the call of the service until its
    /// future is done or dropped).
    in_flight: AtomicUsize,
    /// Moves with every request started and every write of an answer's bytes.
    progress: AtomicU64,
}

impl Activity {
    /// A new request on this connection, in flight until the guard drops.
    pub fn request(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.progress.fetch_add(1, Ordering::Relaxed);
        InFlight(self.clone())
    }

    fn progressed(&self) {
        self.progress.fetch_add(1, Ordering::Relaxed);
    }
}

/// A request in flight on a watched connection (see [`Activity::request`]).
#[derive(Debug)]
pub struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A connection's I/O, counting the writes of answers as progress.
#[derive(Debug)]
pub struct Watched<T> {
    io: T,
    activity: Arc<Activity>,
}

impl<T> Watched<T> {
    /// `io`, whose writes move `activity`'s progress.
    pub fn new(io: T, activity: Arc<Activity>) -> Self {
        Watched { io, activity }
    }

    fn wrote(&self, written: &Poll<io::Result<usize>>) {
        if matches!(written, Poll::Ready(Ok(n)) if *n > 0) {
            self.activity.progressed();
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.io).poll_write(cx, buf);
        this.wrote(&written);
        written
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.wrote(&written);
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// Watches a connection until it ends, and closes it (aborts its task) once
/// it has had no request in flight and no progress for `timeout`: between
/// `timeout` and a quarter more, as it looks a few times per timeout.
pub async fn close_when_idle(activity: Arc<Activity>, connection: AbortHandle, timeout: Duration) {
    let every = (timeout / CHECKS_PER_TIMEOUT).max(Duration::from_millis(1));
    let mut checks = tokio::time::interval(every);
    checks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    checks.tick().await; // the first tick is at once
    let mut seen = activity.progress.load(Ordering::Relaxed);
    let mut idle_checks = 0;
    loop {
        checks.tick().await;
        if connection.is_finished() {
            return;
        }
        let progress = activity.progress.load(Ordering::Relaxed);
        if progress != seen || activity.in_flight.load(Ordering::Relaxed) > 0 {
            seen = progress;
            idle_checks = 0;
            continue;
        }
        idle_checks += 1;
        // Idle at this many checks in a row: for at least the whole timeout.
        if idle_checks > CHECKS_PER_TIMEOUT {
            tracing::debug!("closing a connection idle for {timeout:?}");
            connection.abort();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::time::{Instant, sleep};

    use super::*;

    // The clock is tokio's paused one: it moves only when every task waits,
    // straight to the next timer, so these tests neither sleep nor race.

    /// A task standing for a connection: it never ends by itself.
    fn connection() -> tokio::task::JoinHandle<()> {
        tokio::spawn(std::future::pending())
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_connection_is_closed_after_the_timeout_and_not_much_later() {
        let task = connection();
        let started = Instant::now();
        let timeout = Duration::from_secs(10);
        close_when_idle(Arc::default(), task.abort_handle(), timeout).await;
        let waited = started.elapsed();
        assert!(task.await.is_err_and(|e| e.is_cancelled()));
        assert!(
            (timeout..=timeout + timeout / 4 + Duration::from_millis(1)).contains(&waited),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_in_flight_or_progress_keeps_it_open() {
        let activity = Arc::new(Activity::default());
        let task = connection();
        let watchdog = tokio::spawn(close_when_idle(
            activity.clone(),
            task.abort_handle(),
            Duration::from_secs(1),
        ));
        // A request that takes three timeouts.
        let request = activity.request();
        sleep(Duration::from_secs(3)).await;
        assert!(!task.is_finished(), "closed with a request in flight");
        drop(request);
        // Then an answer written a little at a time, for three timeouts more.
        for _ in 0..10 {
            activity.progressed();
            sleep(Duration::from_millis(300)).await;
        }
        assert!(!task.is_finished(), "closed while its answer was written");
        // Then nothing: closed within the timeout and a quarter.
        let quiet = Instant::now();
        watchdog.await.unwrap();
        assert!(quiet.elapsed() <= Duration::from_millis(1250));
        assert!(task.await.is_err_and(|e| e.is_cancelled()));
    }

    #[tokio::test(start_paused = true)]
    async fn the_watchdog_ends_with_its_connection() {
        let task = tokio::spawn(async {});
        let started = Instant::now();
        close_when_idle(Arc::default(), task.abort_handle(), Duration::from_secs(10)).await;
        assert!(
            started.elapsed() <= Duration::from_millis(2500),
            "it stops at its first look after the connection ended, not at the timeout"
        );
    }
}
