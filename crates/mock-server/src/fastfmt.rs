//! Tuning: numbers written with integer arithmetic, for the text written on
//! every request (the log line's latency).

use std::time::Duration;

/// A duration in milliseconds with three decimals (`12.345`), written with
/// integer arithmetic: cheaper than formatting a float on every log line.
pub(crate) struct Millis(pub(crate) Duration);

impl std::fmt::Display for Millis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // u64 arithmetic (`as_micros` is a u128, whose division is the slow
        // part): half a million years fit. The digits are written right to
        // left into one buffer, then written at once.
        let micros = u64::try_from(self.0.as_micros()).unwrap_or(u64::MAX);
        let mut text = [b'0'; 24];
        let mut start = text.len();
        let mut rest = micros;
        while rest > 0 || start > text.len() - 5 {
            start -= 1;
            if start == text.len() - 4 {
                text[start] = b'.';
                continue;
            }
            text[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        f.write_str(std::str::from_utf8(&text[start..]).map_err(|_| std::fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_have_three_decimals() {
        let shown = |micros| Millis(Duration::from_micros(micros)).to_string();
        assert_eq!(shown(0), "0.000");
        assert_eq!(shown(7), "0.007");
        assert_eq!(shown(12_345), "12.345");
        assert_eq!(shown(1_000_050), "1000.050");
        assert_eq!(
            Millis(Duration::MAX).to_string(),
            format!("{}.{:03}", u64::MAX / 1000, u64::MAX % 1000)
        );
    }
}
