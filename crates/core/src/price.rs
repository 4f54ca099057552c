//! What a run costs before it is sent, from the model's published price:
//! `cost` per `costUnit`, by resolution where `costByResolution` says, times
//! the run's seconds for a per-second model (the rule the mock server
//! charges by, in its README).

use serde_json::Value;

use crate::types::{CostUnit, InputField, Tool};
use crate::validate::ToolExt;

/// The seconds charged when neither the input, nor the `duration` field's
/// default, nor its listed values give a positive duration.
pub const FALLBACK_SECONDS: u64 = 5;

/// The credits a run of `tool` with `input` costs, for the model the input
/// picks (`input.model`, else the tool's default): the per-unit price (the
/// `resolution`'s from `costByResolution`, else the price of that field's
/// default, else `cost`), times the run's `duration` in whole seconds,
/// rounded up, for a per-second model (the input's, else the field's
/// default; when that is not a positive number, the smallest duration the
/// field lists, else [`FALLBACK_SECONDS`]).
///
/// `None` when the model is not found, publishes no price, or counts a unit
/// this version does not know. An estimate: the service charges what it
/// charges, and the input is assumed checked
/// ([`ToolExt::validate_input`]).
///
/// ```
/// use artificial_studio::run_cost;
/// use artificial_studio::types::Tool;
/// use serde_json::json;
///
/// let video: Tool = serde_json::from_value(json!({
///     "slug": "create-video", "name": "Create Video", "description": "Video.",
///     "models": [{"slug": "seedance", "name": "Seedance", "cost": 27, "costUnit": "second",
///         "costByResolution": {"480p": 27, "720p": 61},
///         "inputSchema": {"type": "object", "properties": {
///             "prompt": {"type": "string"},
///             "resolution": {"type": "string", "enum": ["480p", "720p"], "default": "480p"},
///             "duration": {"type": "string", "default": "5"}}}}]
/// }))?;
///
/// assert_eq!(run_cost(&video, &json!({"prompt": "waves"})), Some(135.0));
/// assert_eq!(run_cost(&video, &json!({"prompt": "surf", "resolution": "720p", "duration": "8"})), Some(488.0));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn run_cost(tool: &Tool, input: &Value) -> Option<f64> {
    let model = tool.model(input.get("model").and_then(Value::as_str))?;
    let cost = model.cost?;
    let schema = tool.input_schema_of(model);
    let field = |name: &str| schema.and_then(|s| s.properties.get(name));
    let priced = |resolution: Option<&Value>| {
        resolution
            .and_then(Value::as_str)
            .and_then(|r| model.cost_by_resolution.get(r))
            .copied()
    };
    let unit_price = priced(input.get("resolution"))
        .or_else(|| priced(field("resolution").and_then(|f| f.default.as_ref())))
        .unwrap_or(cost);
    match model.cost_unit.clone().unwrap_or(CostUnit::DEFAULT) {
        CostUnit::Generation => Some(unit_price),
        CostUnit::Second => Some(unit_price * seconds(field("duration"), input) as f64),
        CostUnit::Unknown(_) => None,
    }
}

/// The seconds a per-second run is charged for: the input's `duration`, else
/// the field's default; when that is not a positive number, the smallest
/// duration the field lists, else [`FALLBACK_SECONDS`].
fn seconds(field: Option<&InputField>, input: &Value) -> u64 {
    let fallback = field
        .and_then(|f| f.allowed_values().iter().filter_map(whole_seconds).min())
        .unwrap_or(FALLBACK_SECONDS);
    let given = input
        .get("duration")
        .or_else(|| field.and_then(|f| f.default.as_ref()));
    given.and_then(whole_seconds).unwrap_or(fallback)
}

/// A positive number of seconds, rounded up: a number or a string holding
/// one (`"8"`, `"2.5s"`).
fn whole_seconds(value: &Value) -> Option<u64> {
    let seconds = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().trim_end_matches('s').parse().ok()?,
        _ => return None,
    };
    (seconds.is_finite() && seconds > 0.0).then(|| seconds.ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn video() -> Tool {
        serde_json::from_value(json!({
            "slug": "video", "name": "V", "description": "d",
            "models": [{"slug": "v", "name": "V", "cost": 27, "costUnit": "second",
                "costByResolution": {"480p": 27, "720p": 61},
                "inputSchema": {"type": "object", "properties": {
                    "prompt": {"type": "string"},
                    "resolution": {"type": "string", "enum": ["480p", "720p"], "default": "480p"},
                    "duration": {"type": "string", "enum": ["auto", "4", "8"], "default": "auto"}}}},
                {"slug": "flat", "name": "F", "cost": 6}]
        }))
        .unwrap()
    }

    fn price(input: Value) -> Option<f64> {
        run_cost(&video(), &input)
    }

    #[test]
    fn per_second_models_charge_price_times_duration() {
        assert_eq!(
            price(json!({"resolution": "720p", "duration": "8"})),
            Some(488.0)
        );
        assert_eq!(price(json!({"duration": 2.5})), Some(81.0));
    }

    #[test]
    fn a_duration_that_is_not_a_number_is_the_smallest_listed() {
        assert_eq!(price(json!({})), Some(108.0));
        assert_eq!(price(json!({"duration": "auto"})), Some(108.0));
    }

    #[test]
    fn per_generation_models_charge_their_cost() {
        assert_eq!(price(json!({"model": "flat"})), Some(6.0));
    }
}
