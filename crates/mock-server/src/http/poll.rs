//! The poll hint: `X-Poll-After-Ms: N` on the `202` of `POST /api/run` and on
//! each `GET /api/generations/{id}`, the milliseconds until the generation is
//! expected to change status (0 when it is final, or will be at once). The
//! mock knows its own schedule, so a client polling it (the Rust client does)
//! need not sleep its usual 2 s first interval in a test whose generations
//! end at once. The real service does not send it.

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue};

/// The name of the poll hint header, as sent.
pub const POLL_AFTER_MS: &str = "x-poll-after-ms";

/// [`POLL_AFTER_MS`] as a header name, made once.
pub const POLL_AFTER_HEADER: HeaderName = HeaderName::from_static(POLL_AFTER_MS);

/// The hint of a generation that is final, or of every run at speed 0: no
/// allocation.
const NOW: HeaderValue = HeaderValue::from_static("0");

/// `wait` as the header's value: whole milliseconds, rounded up (a client
/// that wakes a fraction early finds the old status). Zero is a constant; any
/// other value is written (the `202`'s is written once, at start: see
/// `App::run_poll_after`).
pub fn value(wait: Duration) -> HeaderValue {
    let millis = wait.as_nanos().div_ceil(1_000_000);
    if millis == 0 {
        NOW
    } else {
        HeaderValue::from(u64::try_from(millis).unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_is_whole_milliseconds_rounded_up() {
        assert_eq!(value(Duration::ZERO), "0");
        assert_eq!(value(Duration::from_nanos(1)), "1");
        assert_eq!(value(Duration::from_millis(2000)), "2000");
        assert_eq!(value(Duration::from_micros(2_000_001)), "2001");
        assert_eq!(value(Duration::MAX), u64::MAX.to_string().as_str());
    }
}
