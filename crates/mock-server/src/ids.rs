//! Identifiers and timestamps: 24-hex-character object ids (as the provider's),
//! request ids, and times with millisecond precision (as the provider writes them).

/// A new 24-lowercase-hex-character id: 4 bytes of Unix time, then 8 random bytes,
/// so ids sort roughly by creation and replicas need no coordination.
pub fn object_id() -> String {
    let secs = chrono::Utc::now().timestamp().clamp(0, i64::from(u32::MAX)) as u32;
    let mut id = String::with_capacity(24);
    push_hex(&mut id, u64::from(secs), 8);
    push_hex(&mut id, rand::random::<u64>(), 16);
    id
}

/// Appends the low `digits` hex digits of `value`, zero-padded, lowercase
/// (a few times cheaper than `write!` with `{:016x}`, on every request).
fn push_hex(out: &mut String, value: u64, digits: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..digits).rev() {
        out.push(char::from(HEX[((value >> (shift * 4)) & 0xf) as usize]));
    }
}

/// Now, truncated to milliseconds (`2026-11-25T14:00:00.123Z` once serialized).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::DurationRound;
    let now = chrono::Utc::now();
    now.duration_trunc(chrono::TimeDelta::milliseconds(1))
        .unwrap_or(now)
}

/// A new request id for `X-Request-Id`: `req_` and 16 hex characters.
pub fn request_id() -> String {
    let mut id = String::with_capacity(20);
    id.push_str("req_");
    push_hex(&mut id, rand::random::<u64>(), 16);
    id
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
        let request = request_id();
        assert!(
            request.starts_with("req_") && request.len() == 20,
            "{request}"
        );

        let mut hex = String::new();
        push_hex(&mut hex, 0x0123_4567_89ab_cdef, 16);
        push_hex(&mut hex, 0xa5, 8);
        assert_eq!(hex, "0123456789abcdef000000a5");
    }
}
