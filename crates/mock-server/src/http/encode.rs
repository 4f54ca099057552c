//! The `202` of `POST /api/run`, written without `serde`'s detour through
//! `fmt` for its timestamp: chrono serializes a `DateTime` with `collect_str`,
//! which `serde_json` escapes one `write_char` at a time, half of the answer's
//! cost on every run. The bytes are the same as `serde_json::to_vec` of the
//! generated [`RunResponse`] (tested against it below); any value outside the
//! fast path's range is left to `serde_json`.

use artificial_studio_types::RunResponse;
use chrono::{DateTime, Datelike, Timelike, Utc};

/// The JSON of a run's answer, or `None` to let `serde_json` write it (as it
/// does an answer without its `tool` or `createdAt`).
pub fn run_response(answer: &RunResponse) -> Option<Vec<u8>> {
    let (Some(created_at), Some(tool)) = (&answer.created_at, &answer.tool) else {
        return None;
    };
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(br#"{"createdAt":"#);
    push_timestamp(&mut out, created_at)?;
    out.extend_from_slice(br#","id":"#);
    push_string(&mut out, &answer.id)?;
    out.extend_from_slice(br#","status":"#);
    serde_json::to_writer(&mut out, &answer.status).ok()?;
    out.extend_from_slice(br#","tool":"#);
    push_string(&mut out, tool)?;
    out.push(b'}');
    Some(out)
}

/// Appends `text` as a JSON string. One without a control character, a quote
/// or a backslash (an id, a slug) is its bytes in quotes, as `serde_json`
/// writes it; checking is cheaper than `serde_json`'s escaping, byte by byte.
fn push_string(out: &mut Vec<u8>, text: &str) -> Option<()> {
    if text.bytes().all(|b| b >= b' ' && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        Some(())
    } else {
        serde_json::to_writer(out, text).ok()
    }
}

/// Appends `time` in quotes as chrono's `Serialize` writes it (RFC 3339, `Z`,
/// and 0, 3, 6 or 9 decimals: as few as the nanoseconds need). `None` for a
/// year outside 0..=9999 or a leap second, which chrono writes differently.
fn push_timestamp(out: &mut Vec<u8>, time: &DateTime<Utc>) -> Option<()> {
    let year = u32::try_from(time.year()).ok().filter(|y| *y <= 9999)?;
    let nanos = time.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    out.push(b'"');
    push_digits(out, year, 4);
    out.push(b'-');
    push_digits(out, time.month(), 2);
    out.push(b'-');
    push_digits(out, time.day(), 2);
    out.push(b'T');
    push_digits(out, time.hour(), 2);
    out.push(b':');
    push_digits(out, time.minute(), 2);
    out.push(b':');
    push_digits(out, time.second(), 2);
    if nanos != 0 {
        out.push(b'.');
        if nanos.is_multiple_of(1_000_000) {
            push_digits(out, nanos / 1_000_000, 3);
        } else if nanos.is_multiple_of(1_000) {
            push_digits(out, nanos / 1_000, 6);
        } else {
            push_digits(out, nanos, 9);
        }
    }
    out.extend_from_slice(b"Z\"");
    Some(())
}

/// Appends the low `width` decimal digits of `value`, zero-padded.
fn push_digits(out: &mut Vec<u8>, value: u32, width: usize) {
    let start = out.len();
    out.resize(start + width, b'0');
    let mut rest = value;
    for digit in out[start..].iter_mut().rev() {
        *digit = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
}

#[cfg(test)]
mod tests {
    use artificial_studio_types::GenerationStatus;
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    fn answer(created_at: DateTime<Utc>, id: &str, tool: &str) -> RunResponse {
        RunResponse {
            created_at: Some(created_at),
            id: id.to_string(),
            status: GenerationStatus::Processing,
            tool: Some(tool.to_string()),
        }
    }

    fn status() -> impl Strategy<Value = GenerationStatus> {
        prop_oneof![
            Just(GenerationStatus::Pending),
            Just(GenerationStatus::Processing),
            Just(GenerationStatus::Uploading),
            Just(GenerationStatus::Success),
            Just(GenerationStatus::Error),
        ]
    }

    /// Nanoseconds of each precision chrono picks between.
    fn nanos() -> impl Strategy<Value = u32> {
        prop_oneof![
            Just(0u32),
            (0u32..1000).prop_map(|ms| ms * 1_000_000),
            (0u32..1_000_000).prop_map(|us| us * 1_000),
            0u32..1_000_000_000,
        ]
    }

    proptest! {
        #[test]
        fn the_answer_is_the_bytes_serde_writes(
            // Years 0 to 9999, the fast path's whole range.
            secs in -62_167_219_200i64..253_402_300_799,
            nanos in nanos(),
            id in prop_oneof!["[ -~]*", ".*"],
            tool in prop_oneof!["[a-z0-9-]*", ".*"],
            status in status(),
        ) {
            let created_at = Utc.timestamp_opt(secs, nanos).single().unwrap();
            let mut expected = answer(created_at, &id, &tool);
            expected.status = status;
            let written = run_response(&expected).unwrap();
            prop_assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string(&expected).unwrap()
            );
        }
    }

    #[test]
    fn times_outside_the_fast_path_are_left_to_serde() {
        let far = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(run_response(&answer(far, "a", "b")), None);
        let before = Utc.with_ymd_and_hms(-1, 12, 31, 23, 59, 59).unwrap();
        assert_eq!(run_response(&answer(before, "a", "b")), None);
        let leap = Utc
            .with_ymd_and_hms(2026, 6, 30, 23, 59, 59)
            .unwrap()
            .with_nanosecond(1_500_000_000)
            .unwrap();
        assert_eq!(run_response(&answer(leap, "a", "b")), None);
    }

    #[test]
    fn a_typical_answer_reads_as_the_api_writes_it() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 29, 15, 40, 45)
            .unwrap()
            .with_nanosecond(273_000_000)
            .unwrap();
        let written = run_response(&answer(at, "6b0c477daad0aeeeb55599f4", "create-image"));
        assert_eq!(
            String::from_utf8(written.unwrap()).unwrap(),
            r#"{"createdAt":"2026-11-29T15:40:45.273Z","id":"6b0c477daad0aeeeb55599f4","status":"processing","tool":"create-image"}"#
        );
    }
}
