//! What a run costs, from its model's published price: `cost` per
//! `costUnit`, the `resolution`'s price where `costByResolution` lists it,
//! times the run's seconds for a per-second model. The client estimates a
//! run with it before sending; the mock charges by it (in whole credits).
//!
//! A [`Price`] is worked out once per model (the default resolution's price,
//! the `duration` field's default and its smallest listed value), so that
//! [`Price::charge`] reads at most two fields of the input and allocates
//! nothing.

use serde_json::{Map, Value};

use crate::{CostUnit, InputSchema};

/// The seconds charged for a per-second model when neither the input, nor
/// the `duration` field's default, nor its listed values give a positive
/// duration (or the model has no `duration` field).
pub const FALLBACK_SECONDS: u64 = 5;

/// How the runs of one model are charged, in credits of type `C` (`f64` as
/// the service publishes them, `u64` in the mock's books).
///
/// ```
/// use artificial_studio_types::rules::price::Price;
/// use artificial_studio_types::{CostUnit, InputSchema};
/// use serde_json::json;
///
/// let schema: InputSchema = serde_json::from_value(json!({"type": "object", "properties": {
///     "resolution": {"type": "string", "enum": ["480p", "720p"], "default": "480p"},
///     "duration": {"type": "string", "enum": ["auto", "4", "8"], "default": "auto"}}}))?;
/// let by_resolution = [("480p".to_string(), 27), ("720p".to_string(), 61)];
/// let price = Price::new(27_u64, &CostUnit::Second, by_resolution, Some(&schema)).unwrap();
///
/// let input = |v: serde_json::Value| v.as_object().cloned().unwrap_or_default();
/// assert_eq!(price.charge(&input(json!({"resolution": "720p", "duration": "8"}))), 488);
/// // `auto` is not a number of seconds: the smallest listed duration, 4.
/// assert_eq!(price.charge(&input(json!({}))), 108);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Price<C> {
    /// Per unit when the input names no priced resolution: the price of the
    /// `resolution` field's default, else the model's `cost`.
    unit: C,
    /// `costByResolution`, in catalog order (a few entries: a scan beats
    /// hashing).
    by_resolution: Box<[(Box<str>, C)]>,
    /// For a per-second model, how many seconds a run lasts.
    seconds: Option<Seconds>,
}

/// The seconds a run of a per-second model is charged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seconds {
    /// When the input gives no `duration`: the field's default, read.
    absent: u64,
    /// When the duration is not a positive number (`auto`, no default, no
    /// field): the smallest duration the field lists, else [`FALLBACK_SECONDS`].
    fallback: u64,
}

impl<C: Copy> Price<C> {
    /// The price of a model that costs `cost` per `unit`, with these prices
    /// per unit by resolution, read against its input `schema` (the defaults
    /// and listed values of `resolution` and `duration`). `None` for a unit
    /// this version does not know.
    pub fn new(
        cost: C,
        unit: &CostUnit,
        by_resolution: impl IntoIterator<Item = (String, C)>,
        schema: Option<&InputSchema>,
    ) -> Option<Self> {
        let field = |name: &str| schema.and_then(|s| s.properties.get(name));
        let by_resolution: Box<[(Box<str>, C)]> = by_resolution
            .into_iter()
            .map(|(name, price)| (name.into_boxed_str(), price))
            .collect();
        let unit_price = field("resolution")
            .and_then(|f| f.default.as_ref())
            .and_then(Value::as_str)
            .and_then(|r| priced(&by_resolution, r))
            .unwrap_or(cost);
        let seconds = match unit {
            CostUnit::Generation => None,
            CostUnit::Second => {
                let duration = field("duration");
                let fallback = duration
                    .and_then(|f| f.allowed_values().iter().filter_map(whole_seconds).min())
                    .unwrap_or(FALLBACK_SECONDS);
                let absent = duration
                    .and_then(|f| f.default.as_ref())
                    .and_then(whole_seconds)
                    .unwrap_or(fallback);
                Some(Seconds { absent, fallback })
            }
            CostUnit::Unknown(_) => return None,
        };
        Some(Price {
            unit: unit_price,
            by_resolution,
            seconds,
        })
    }

    /// What a run with `input` pays per unit (the `resolution`'s price, else
    /// the default's), and for a per-second model how many seconds it is
    /// charged for (the input's `duration` rounded up, else the field's
    /// default; when that is not a positive number, the smallest listed).
    pub fn units(&self, input: &Map<String, Value>) -> (C, Option<u64>) {
        let unit = if self.by_resolution.is_empty() {
            self.unit
        } else {
            match crate::lookup::field(input, "resolution") {
                Some(Value::String(r)) => priced(&self.by_resolution, r).unwrap_or(self.unit),
                _ => self.unit,
            }
        };
        let seconds = self
            .seconds
            .map(|seconds| match crate::lookup::field(input, "duration") {
                None => seconds.absent,
                Some(value) => whole_seconds(value).unwrap_or(seconds.fallback),
            });
        (unit, seconds)
    }
}

impl Price<u64> {
    /// The whole credits a run with `input` (checked against the model's
    /// schema) costs. Saturates rather than overflows: a run no account can
    /// pay is refused for its price.
    pub fn charge(&self, input: &Map<String, Value>) -> u64 {
        match self.units(input) {
            (unit, Some(seconds)) => unit.saturating_mul(seconds),
            (unit, None) => unit,
        }
    }
}

impl Price<f64> {
    /// The credits a run with `input` costs, as the service publishes prices.
    pub fn charge(&self, input: &Map<String, Value>) -> f64 {
        match self.units(input) {
            (unit, Some(seconds)) => unit * seconds as f64,
            (unit, None) => unit,
        }
    }
}

fn priced<C: Copy>(by_resolution: &[(Box<str>, C)], resolution: &str) -> Option<C> {
    by_resolution
        .iter()
        .find(|(name, _)| **name == *resolution)
        .map(|(_, price)| *price)
}

/// A positive, finite number of seconds: a JSON number or a numeric string
/// such as `"8"`, `"2.5"` or `"2.5s"`; `None` otherwise (`auto`, `0`, text).
pub fn seconds(value: &Value) -> Option<f64> {
    let seconds = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().trim_end_matches('s').parse().ok()?,
        _ => return None,
    };
    (seconds.is_finite() && seconds > 0.0).then_some(seconds)
}

/// [`seconds`] rounded up to whole seconds (saturating: an absurdly long run
/// costs more than any balance).
pub fn whole_seconds(value: &Value) -> Option<u64> {
    seconds(value).map(|seconds| seconds.ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> InputSchema {
        serde_json::from_value(json!({"type": "object", "properties": {
            "resolution": {"type": "string", "enum": ["480p", "720p"], "default": "720p"},
            "duration": {"type": "number", "default": 6}}}))
        .unwrap()
    }

    fn input(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn the_default_resolution_prices_an_input_without_one() {
        let by = [("480p".to_string(), 2.0), ("720p".to_string(), 3.0)];
        let price = Price::new(1.0, &CostUnit::Second, by, Some(&schema())).unwrap();
        assert_eq!(price.charge(&input(json!({}))), 18.0);
        assert_eq!(price.charge(&input(json!({"resolution": "480p"}))), 12.0);
        assert_eq!(price.charge(&input(json!({"resolution": "4k"}))), 18.0);
        assert_eq!(price.charge(&input(json!({"duration": "2.5s"}))), 9.0);
    }

    #[test]
    fn per_generation_ignores_duration_and_unknown_units_have_no_price() {
        let price = Price::new(6_u64, &CostUnit::Generation, [], Some(&schema()));
        assert_eq!(
            price.map(|p| p.charge(&input(json!({"duration": 9})))),
            Some(6)
        );
        let unknown = CostUnit::Unknown("token".into());
        assert!(Price::new(6_u64, &unknown, [], None).is_none());
    }

    #[test]
    fn without_a_duration_field_a_per_second_run_is_charged_the_fallback() {
        let price = Price::new(10_u64, &CostUnit::Second, [], None);
        assert_eq!(
            price.map(|p| p.charge(&Map::new())),
            Some(10 * FALLBACK_SECONDS)
        );
        let huge = Price::new(10_u64, &CostUnit::Second, [], None);
        assert_eq!(
            huge.map(|p| p.charge(&input(json!({"duration": 1e300})))),
            Some(u64::MAX)
        );
    }
}
