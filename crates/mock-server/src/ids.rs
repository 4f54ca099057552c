//! Identifiers and timestamps: 24-hex-character object ids (as the provider's),
//! request ids, and times with millisecond precision (as the provider writes them).

/// A new 24-lowercase-hex-character id: 4 bytes of Unix time, then 8 random bytes,
/// so ids sort roughly by creation and replicas need no coordination.
pub fn object_id() -> String {
    object_id_at(&chrono::Utc::now())
}

/// [`object_id`] for something made at `time` (which saves reading the clock
/// again when the caller already has).
pub fn object_id_at(time: &chrono::DateTime<chrono::Utc>) -> String {
    let secs = time.timestamp().clamp(0, i64::from(u32::MAX)) as u64;
    let random = rand::random::<u64>();
    let mut digits = [0u8; 24];
    let (time_digits, random_digits) = digits.split_at_mut(8);
    write_hex(time_digits, secs);
    write_hex(random_digits, random);
    ascii_string(&digits)
}

/// The 12 bytes an object id spells in hex, if `id` is one: 24 lowercase hex
/// digits, as [`object_id`] makes them. [`object_id_text`] is the inverse.
pub fn object_id_bytes(id: &str) -> Option<[u8; 12]> {
    let digits = id.as_bytes();
    if digits.len() != 24 {
        return None;
    }
    let mut bytes = [0u8; 12];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(bytes)
}

/// The object id whose bytes are `bytes` (the inverse of [`object_id_bytes`]).
pub fn object_id_text(bytes: &[u8; 12]) -> String {
    let mut digits = [0u8; 24];
    for (pair, byte) in digits.chunks_exact_mut(2).zip(bytes) {
        write_hex(pair, u64::from(*byte));
    }
    ascii_string(&digits)
}

/// Fills `out` with the low hex digits of `value`, zero-padded, lowercase, as
/// many as `out` is long. Ids are written as bytes and made a string once:
/// pushing `char`s one by one (or `write!` with `{:016x}`) costs more than
/// the id's other work together, on every request.
fn write_hex(out: &mut [u8], value: u64) {
    let last = out.len().saturating_sub(1);
    for (i, digit) in out.iter_mut().enumerate() {
        *digit = hex_digit(value >> ((last - i) * 4));
    }
}

/// `digits` (ASCII hex, by construction) as a string; the empty fallback is
/// never taken.
fn ascii_string(digits: &[u8]) -> String {
    std::str::from_utf8(digits)
        .map(str::to_owned)
        .unwrap_or_default()
}

/// The lowercase hex digit of the low 4 bits of `value`.
fn hex_digit(value: u64) -> u8 {
    b"0123456789abcdef"[(value & 0xf) as usize]
}

/// The value of a lowercase hex digit (upper case is not one: ids are
/// compared as text, so `A` and `a` name different ids).
fn hex_value(digit: u8) -> Option<u8> {
    let value = HEX_VALUES[usize::from(digit)];
    (value != NOT_HEX).then_some(value)
}

/// Marks a byte that is not a lowercase hex digit in [`HEX_VALUES`].
const NOT_HEX: u8 = 0xff;

/// Each byte's value as a lowercase hex digit, or [`NOT_HEX`]: one load per
/// digit where two range tests were (every stored id is read back from hex).
const HEX_VALUES: [u8; 256] = {
    let mut values = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        values[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        values[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    values
};

/// Now, truncated to milliseconds (`2026-11-25T14:00:00.123Z` once serialized).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    // Made from the clock's seconds and milliseconds: truncating chrono's
    // `Utc::now()` (`duration_trunc`) cost as much as reading the clock, and
    // every request reads it.
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since_epoch
        .ok()
        .and_then(|since| {
            let secs = i64::try_from(since.as_secs()).ok()?;
            chrono::DateTime::from_timestamp(secs, since.subsec_millis() * 1_000_000)
        })
        .unwrap_or_else(|| {
            // A clock before 1970 (or past chrono's range): the slow way.
            use chrono::DurationRound;
            let now = chrono::Utc::now();
            now.duration_trunc(chrono::TimeDelta::milliseconds(1))
                .unwrap_or(now)
        })
}

/// A request id for `X-Request-Id`: `req_` and 16 hex characters, kept inline
/// (every request writes one into a header, a log line and the journal, which
/// keeps thousands: a string each would be an allocation each).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId([u8; 20]);

impl RequestId {
    /// A new random request id.
    pub fn random() -> Self {
        let value = rand::random::<u64>();
        let mut id = *b"req_0000000000000000";
        write_hex(&mut id[4..], value);
        RequestId(id)
    }

    /// The id's bytes (ASCII by construction), for a header value.
    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// The id as text (ASCII by construction).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_24_lowercase_hex_characters_and_distinct() {
        let a = object_id();
        assert_eq!(a.len(), 24);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, object_id());
        let request = RequestId::random();
        let text = request.as_str();
        assert!(
            text.starts_with("req_")
                && text.len() == 20
                && text[4..]
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "{request}"
        );
        assert_ne!(request, RequestId::random());

        let mut digits = [0u8; 24];
        write_hex(&mut digits[..16], 0x0123_4567_89ab_cdef);
        write_hex(&mut digits[16..], 0xa5);
        let hex = ascii_string(&digits);
        assert_eq!(hex, "0123456789abcdef000000a5");

        let bytes = [
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0, 0, 0, 0xa5,
        ];
        assert_eq!(object_id_bytes(&hex), Some(bytes));
        assert_eq!(object_id_text(&bytes), hex);
        assert_eq!(object_id_bytes(&a).map(|b| object_id_text(&b)), Some(a));
        for not_one in [
            "0123456789ABCDEF000000A5",
            "0123456789abcdef000000a",
            "0123456789abcdef000000ag",
            "",
        ] {
            assert_eq!(object_id_bytes(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn an_id_begins_with_the_seconds_of_its_making() {
        use chrono::TimeZone;
        let made = chrono::Utc.timestamp_opt(0x6543_21ab, 123_000_000).unwrap();
        let id = object_id_at(&made);
        assert!(id.starts_with("654321ab"), "{id}");
        assert_eq!(id.len(), 24);
        let before_1970 = chrono::Utc.timestamp_opt(-5, 0).unwrap();
        assert!(object_id_at(&before_1970).starts_with("00000000"));
    }

    #[test]
    fn now_is_the_clock_to_the_millisecond() {
        let before = chrono::Utc::now();
        let now = now();
        let after = chrono::Utc::now();
        assert_eq!(now.timestamp_subsec_nanos() % 1_000_000, 0, "{now:?}");
        // Truncated, so up to a millisecond before the first reading.
        assert!(
            before - chrono::TimeDelta::milliseconds(1) < now,
            "{before:?} {now:?}"
        );
        assert!(now <= after, "{now:?} {after:?}");
    }
}
