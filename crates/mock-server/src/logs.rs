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
    cell::RefCell,
    fmt::{self, Write as _},
    io::{self, Write},
    sync::{
        Arc,
        mpsc::{self, RecvTimeoutError},
    },
    thread::JoinHandle,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use artificial_studio_mock::REQUEST_LOG_TARGET;
use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use tracing::{
    Event, Level, Subscriber,
    field::{Field, Visit},
};
use tracing_subscriber::{
    fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields, MakeWriter, format::Writer},
    registry::LookupSpan,
};

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

/// The text log format for a reader that is not a terminal: the same line as
/// `tracing-subscriber`'s default (`2026-11-29T13:08:38.053123Z  INFO
/// target: field=value ...`) without its colour machinery, which goes through
/// the styling code even when colours are off, and with the date and time of
/// day written once a second instead of on every line. At tens of thousands of
/// requests a second, the default format was a sixth of a request's work.
pub struct PlainLine;

impl<S, N> FormatEvent<S, N> for PlainLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        write_timestamp(&mut writer)?;
        writer.write_str(match *meta.level() {
            Level::ERROR => " ERROR ",
            Level::WARN => "  WARN ",
            Level::INFO => "  INFO ",
            Level::DEBUG => " DEBUG ",
            Level::TRACE => " TRACE ",
        })?;
        if let Some(scope) = ctx.event_scope() {
            for span in scope.from_root() {
                writer.write_str(span.name())?;
                let extensions = span.extensions();
                if let Some(fields) = extensions.get::<FormattedFields<N>>()
                    && !fields.is_empty()
                {
                    write!(writer, "{{{fields}}}")?;
                }
                writer.write_char(':')?;
            }
            writer.write_char(' ')?;
        }
        writer.write_str(meta.target())?;
        writer.write_str(": ")?;
        if meta.target() == REQUEST_LOG_TARGET {
            let mut write = |line: &mut String| {
                line.clear();
                event.record(&mut PlainFields { line, first: true });
                writer.write_str(line)
            };
            // A field whose `Display` logs too would find the buffer taken.
            FIELDS.with(|buffer| match buffer.try_borrow_mut() {
                Ok(mut line) => write(&mut line),
                Err(_) => write(&mut String::new()),
            })?;
        } else {
            ctx.format_fields(writer.by_ref(), event)?;
        }
        writer.write_char('\n')
    }
}

/// Writes the fields of the per-request line as the default format does
/// (`name=value`, strings quoted, separated by spaces), without its styling
/// calls. Only for that line, whose fields the server chooses: other events
/// keep the default field format (which also escapes what messages carry).
///
/// The fields are gathered in a buffer of this thread's and handed to the
/// writer in one piece: each piece written to the writer is a dynamic call,
/// and a line is a dozen pieces.
struct PlainFields<'a> {
    line: &'a mut String,
    first: bool,
}

impl PlainFields<'_> {
    fn name(&mut self, field: &Field) {
        if !std::mem::take(&mut self.first) {
            self.line.push(' ');
        }
        let name = field.name();
        self.line.push_str(name.strip_prefix("r#").unwrap_or(name));
        self.line.push('=');
    }
}

impl Visit for PlainFields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.name(field);
        // `{:?}` of a string that needs no escaping is the string in quotes;
        // checking is cheaper than escaping character by character.
        let plain = value
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
        if plain {
            self.line.push('"');
            self.line.push_str(value);
            self.line.push('"');
        } else {
            let _ = write!(self.line, "{value:?}");
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.name(field);
        push_decimal(self.line, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.name(field);
        // Writing to a `String` cannot fail.
        let _ = write!(self.line, "{value:?}");
    }
}

/// Appends `value` in decimal (cheaper than `write!` with `{}`).
fn push_decimal(line: &mut String, value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = value;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    line.extend(digits[start..].iter().map(|&d| char::from(d)));
}

thread_local! {
    /// This thread's buffer for the fields of a request line.
    static FIELDS: RefCell<String> = const { RefCell::new(String::new()) };
    /// The Unix second last written by this thread, and its text up to the seconds.
    static SECOND: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) };
}

/// Writes now as RFC 3339 in UTC with microseconds, like `tracing-subscriber`.
/// The clock is read as seconds and microseconds since 1970; chrono makes the
/// date and time of day only when the second changes.
fn write_timestamp(writer: &mut Writer<'_>) -> fmt::Result {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|since| Some((i64::try_from(since.as_secs()).ok()?, since.subsec_micros())));
    let Some((secs, micros)) = since_epoch else {
        // A clock before 1970: the slow way.
        return write!(writer, "{}", Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ"));
    };
    SECOND.with_borrow_mut(|(second, text)| {
        if *second != secs {
            text.clear();
            let start = DateTime::<Utc>::from_timestamp(secs, 0).ok_or(fmt::Error)?;
            write!(text, "{}", start.format("%Y-%m-%dT%H:%M:%S"))?;
            *second = secs;
        }
        writer.write_str(text)
    })?;
    let mut digits = *b".000000Z";
    let mut rest = micros.min(999_999);
    for digit in digits[1..7].iter_mut().rev() {
        *digit = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    writer.write_str(std::str::from_utf8(&digits).map_err(|_| fmt::Error)?)
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

    /// Formats one event with `format` into a string.
    fn line_of(
        format: impl FormatEvent<
            tracing_subscriber::Registry,
            tracing_subscriber::fmt::format::DefaultFields,
        > + Send
        + Sync
        + 'static,
    ) -> String {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || Sink(sink.clone()))
            .event_format(format)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(target: "astudio_mock::other", method = %"GET", path = "/api/x", status = 200u16, "done");
            tracing::info!(target: "astudio_mock::request", method = %"GET", path = "/api/x", status = 200u16, r#type = 1.5, none = 0u64, most = u64::MAX);
            tracing::info!(target: "astudio_mock::request", path = "/a\"b\\c\u{e9}\n");
        });
        let bytes = buffer.lock().clone();
        String::from_utf8(bytes).unwrap()
    }

    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn plain_lines_read_like_the_default_format_after_the_timestamp() {
        let plain = line_of(PlainLine);
        let default = line_of(tracing_subscriber::fmt::format::Format::default());
        // `2026-11-29T13:08:38.053123Z`: 27 characters, then the same text.
        let strip = |text: &str| -> Vec<String> {
            text.lines()
                .map(|line| {
                    let (stamp, rest) = line.split_at(27);
                    assert!(
                        chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
                        "{line}"
                    );
                    assert!(
                        stamp.ends_with('Z') && stamp.as_bytes()[19] == b'.',
                        "{line}"
                    );
                    rest.to_string()
                })
                .collect()
        };
        let (plain, default) = (strip(&plain), strip(&default));
        assert_eq!(plain, default);
        assert_eq!(
            plain,
            [
                r#"  INFO astudio_mock::other: done method=GET path="/api/x" status=200"#,
                r#"  INFO astudio_mock::request: method=GET path="/api/x" status=200 type=1.5 none=0 most=18446744073709551615"#,
                r#"  INFO astudio_mock::request: path="/a\"b\\cé\n""#,
            ]
        );
    }
}
