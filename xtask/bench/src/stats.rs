//! Medians and ranges over repetitions, and the number formats of the report.

/// The median and range of a set of repetitions.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    /// The middle value (mean of the two middle ones for an even count).
    pub median: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// How many values.
    pub n: usize,
}

impl Summary {
    /// The summary of `values`, or `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Summary> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Summary {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            n,
        })
    }

    /// `median (min–max)` with each value formatted by `format`.
    pub fn show(&self, format: impl Fn(f64) -> String) -> String {
        format!(
            "{} ({}–{})",
            format(self.median),
            format(self.min),
            format(self.max)
        )
    }
}

/// The numbers of the JSON array at `key` (empty when there is none).
pub fn f64_list(json: &serde_json::Value, key: &str) -> Vec<f64> {
    json.get(key)
        .and_then(serde_json::Value::as_array)
        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default()
}

/// `values[i] / other[i]` for each pair of rounds.
pub fn ratios(values: &[f64], other: &[f64]) -> Vec<f64> {
    values
        .iter()
        .zip(other)
        .filter(|(_, b)| **b > 0.0)
        .map(|(a, b)| a / b)
        .collect()
}

/// A count such as `52 340`, with thin grouping for reading.
pub fn count(value: f64) -> String {
    let rounded = value.round().max(0.0) as u64;
    let digits = rounded.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Milliseconds with a precision that suits their size.
pub fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0} ms")
    } else if value >= 10.0 {
        format!("{value:.1} ms")
    } else {
        format!("{value:.2} ms")
    }
}

/// Microseconds with a precision that suits their size.
pub fn us(value: f64) -> String {
    if value >= 1000.0 {
        ms(value / 1000.0)
    } else if value >= 100.0 {
        format!("{value:.0} µs")
    } else {
        format!("{value:.1} µs")
    }
}

/// Nanoseconds, switching to microseconds from 1000.
pub fn ns(value: f64) -> String {
    if value >= 1000.0 {
        us(value / 1000.0)
    } else {
        format!("{value:.0} ns")
    }
}

/// Mebibytes from kibibytes.
pub fn mib(kib: f64) -> String {
    format!("{:.1} MiB", kib / 1024.0)
}

/// A ratio as a percentage with one decimal, such as `59.8%` (so that a value
/// just under a target never reads as the target).
pub fn percent(ratio: f64) -> String {
    format!("{:.1}%", ratio * 100.0)
}

/// A ratio as a factor, such as `23×`.
pub fn times(ratio: f64) -> String {
    if ratio >= 10.0 {
        format!("{ratio:.0}×")
    } else {
        format!("{ratio:.2}×")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let s = Summary::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.n), (2.5, 1.0, 4.0, 4));
        assert!(Summary::of(&[]).is_none());
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(1234567.4), "1 234 567");
        assert_eq!(count(999.0), "999");
    }
}
