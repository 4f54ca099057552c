//! Identifiers and timestamps: 24-hex-character object ids (as the provider's),
//! request ids, and times with millisecond precision (as the provider writes them).

use std::fmt::Write;

/// A new 24-lowercase-hex-character id: 4 bytes of Unix time, then 8 random bytes,
/// so ids sort roughly by creation and replicas need no coordination.
pub fn object_id() -> String {
    let secs = chrono::Utc::now().timestamp().clamp(0, i64::from(u32::MAX)) as u32;
    let mut id = String::with_capacity(24);
    let _ = write!(id, "{secs:08x}{:016x}", rand::random::<u64>());
    id
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
    let _ = write!(id, "req_{:016x}", rand::random::<u64>());
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
        assert!(request_id().starts_with("req_"));
    }
}
