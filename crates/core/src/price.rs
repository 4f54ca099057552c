//! What a run costs before it is sent, from the model's published price:
//! `cost` per `costUnit`, by resolution where `costByResolution` says, times
//! the run's seconds for a per-second model. The rule itself is
//! `artificial_studio_types::rules::price`, the one the mock server charges
//! by; this is the client's door to it for a [`Tool`].

use artificial_studio_types::rules::price::Price;
use serde_json::{Map, Value};

use crate::types::{CostUnit, Tool};
use crate::validate::ToolExt;

pub use artificial_studio_types::rules::price::FALLBACK_SECONDS;

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
    let price = Price::new(
        model.cost?,
        &model.cost_unit.clone().unwrap_or(CostUnit::DEFAULT),
        model
            .cost_by_resolution
            .iter()
            .map(|(resolution, price)| (resolution.clone(), *price)),
        tool.input_schema_of(model),
    )?;
    let no_fields = Map::new();
    Some(price.charge(input.as_object().unwrap_or(&no_fields)))
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
