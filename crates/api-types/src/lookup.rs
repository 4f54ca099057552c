//! Tuning: a field of a small JSON object found by walking its few fields,
//! which costs less than a hashed `Map::get` (a run's input is looked up this
//! way for its required fields, its `model`, its price and its payload).

use serde_json::{Map, Value};

/// The field `name` of a small JSON object, found by walking its fields
/// (cheaper than `Map::get`'s SipHash for the few fields of a request).
///
/// ```
/// use artificial_studio_types::lookup::field;
///
/// let input = serde_json::json!({"prompt": "a fox", "model": "flux"});
/// let input = input.as_object().expect("an object");
/// assert_eq!(field(input, "model"), Some(&serde_json::json!("flux")));
/// assert_eq!(field(input, "steps"), None);
/// ```
pub fn field<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object
        .iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}
