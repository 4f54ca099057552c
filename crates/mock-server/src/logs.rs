//! The binary's log writer: lines are appended to one shared buffer, which a
//! background thread writes to stderr every few milliseconds.
//!
//! At tens of thousands of requests a second, a `write(2)` per log line, or a
//! thread woken per line (as a channel to a writer thread does), costs more
//! than the line itself. Here a line costs a short lock and a copy; the writes
//! are batched, in order, and nothing is dropped: a buffer past its bound is
//! written out by the thread that filled it (the back-pressure a slow stderr
//! always applied).

use std::{
    io::{self, Write},
    sync::{
        Arc,
        mpsc::{self, RecvTimeoutError},
    },
    thread::JoinHandle,
    time::Duration,
};

use parking_lot::Mutex;
use tracing_subscriber::fmt::MakeWriter;

/// How often the background thread writes what was logged.
const INTERVAL: Duration = Duration::from_millis(10);
/// Past this many buffered bytes, the logging thread writes them out itself.
const BOUND: usize = 256 * 1024;

/// Hands `tracing-subscriber` a writer into the shared buffer.
#[derive(Clone)]
pub struct BatchedStderr {
    buffer: Arc<Mutex<Vec<u8>>>,
}

/// Stops the background thread and writes what is left, when dropped.
pub struct FlushGuard {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Writes `bytes` to stderr, ignoring errors (there is nowhere to report them).
fn write_out(bytes: &mut Vec<u8>) {
    if !bytes.is_empty() {
        let _ = io::stderr().lock().write_all(bytes);
        bytes.clear();
    }
}

/// The writer and the guard that flushes it; the thread starts now.
pub fn batched_stderr() -> (BatchedStderr, FlushGuard) {
    let buffer = Arc::new(Mutex::new(Vec::with_capacity(64 * 1024)));
    let (stop, stopped) = mpsc::channel::<()>();
    let shared = buffer.clone();
    let thread = std::thread::Builder::new()
        .name("astudio-mock-logs".to_string())
        .spawn(move || {
            loop {
                let done = !matches!(
                    stopped.recv_timeout(INTERVAL),
                    Err(RecvTimeoutError::Timeout)
                );
                // Written under the lock, so lines keep their order with a
                // logging thread that writes a full buffer itself.
                write_out(&mut shared.lock());
                if done {
                    return;
                }
            }
        })
        .ok();
    let guard = FlushGuard {
        stop: Some(stop),
        thread,
    };
    (BatchedStderr { buffer }, guard)
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One event's writer: `tracing-subscriber` writes each formatted line with
/// one `write_all`, so lines never interleave.
pub struct LineWriter<'a> {
    buffer: &'a Mutex<Vec<u8>>,
    /// Without a background thread (it could not start), write at once.
    direct: bool,
}

impl Write for LineWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut buffer = self.buffer.lock();
        buffer.extend_from_slice(bytes);
        if self.direct || buffer.len() >= BOUND {
            write_out(&mut buffer);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for BatchedStderr {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter {
            buffer: &self.buffer,
            direct: Arc::strong_count(&self.buffer) < 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wait_in_the_buffer_until_the_thread_or_the_bound_writes_them() {
        let (writer, guard) = batched_stderr();
        writer.make_writer().write_all(b"one line\n").unwrap();
        assert!(writer.buffer.lock().len() <= b"one line\n".len());
        drop(guard);
        assert!(
            writer.buffer.lock().is_empty(),
            "the guard flushes what is left"
        );
    }
}
