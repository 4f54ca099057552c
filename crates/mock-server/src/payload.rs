//! A generation's payload as JSON text ([`PayloadJson`]), and the per-model
//! template ([`PayloadTemplate`]) a run writes it from without building a map.

use artificial_studio_types::InputSchema;
use serde_json::{Map, Value};

use artificial_studio_types::lookup::field;

/// A generation's `payload` as JSON text: always one JSON object, its fields
/// in their order. Runs hand it to the store as text because text is what a
/// store keeps (the in-memory one packs it, a shared one would send it), and
/// writing it straight from the input costs less than building a map first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadJson(String);

impl PayloadJson {
    /// The payload made of `map`.
    pub fn of(map: &Map<String, Value>) -> Self {
        // A map of JSON values always serializes; the fallback is never taken.
        PayloadJson(serde_json::to_string(map).unwrap_or_else(|_| "{}".to_string()))
    }

    /// Text its maker vouches is one JSON object.
    pub(crate) fn from_object_text(text: String) -> Self {
        PayloadJson(text)
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The payload as a map of its fields, in their order.
    pub fn to_map(&self) -> Map<String, Value> {
        read_payload(&self.0)
    }
}

/// The fields of a payload kept as text (an empty map if it were not an object,
/// which no [`PayloadJson`] is).
pub(crate) fn read_payload(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).unwrap_or_else(|error| {
        tracing::error!(%error, "a stored payload could not be read back");
        Map::new()
    })
}

/// A model's `payload`, cut into its fixed JSON text once, at start, so that a
/// run writes only what its input gives. The payload a generation records is
/// the `model` that runs first, then the schema's fields in the schema's
/// order, each with the input's value or else the schema's default (a field
/// with neither is left out). A schema field called `model` is not written
/// again: the model that runs is the one recorded.
#[derive(Debug, Clone)]
pub struct PayloadTemplate {
    /// `{"model":"<slug>"`.
    head: String,
    /// The schema's fields but `model`, in order.
    fields: Vec<TemplateField>,
}

/// One field of a [`PayloadTemplate`].
#[derive(Debug, Clone)]
struct TemplateField {
    /// The field's name.
    name: String,
    /// `,"<name>":`, written before a given value.
    key: String,
    /// `,"<name>":<default>`, written when the input does not give it.
    with_default: Option<String>,
}

/// The JSON text of a string (serde_json's escaping).
fn json_text(value: &(impl serde::Serialize + ?Sized)) -> String {
    // A string or a JSON value always serializes; the fallback is never taken.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

impl PayloadTemplate {
    /// The template of the payloads of `model`, whose input schema is `schema`.
    pub fn new(schema: &InputSchema, model: &str) -> Self {
        let fields = schema
            .properties
            .iter()
            .filter(|(name, _)| name.as_str() != "model")
            .map(|(name, field)| {
                let key = format!(",{}:", json_text(name.as_str()));
                TemplateField {
                    name: name.clone(),
                    with_default: field
                        .default
                        .as_ref()
                        .map(|default| format!("{key}{}", json_text(default))),
                    key,
                }
            })
            .collect();
        PayloadTemplate {
            head: format!("{{\"model\":{}", json_text(model)),
            fields,
        }
    }

    /// The payload of a run whose input (which has passed the model's schema,
    /// so has no other fields) is `input`. Written as text from the fixed
    /// pieces and the input's values: a third of the work of building the
    /// payload as a map (every key hashed, the defaults cloned in) and
    /// serializing that.
    pub fn fill(&self, input: &Map<String, Value>) -> PayloadJson {
        let mut text = Vec::with_capacity(self.head.len() + 96);
        text.extend_from_slice(self.head.as_bytes());
        for part in &self.fields {
            match (field(input, &part.name), &part.with_default) {
                (Some(value), _) => {
                    text.extend_from_slice(part.key.as_bytes());
                    // Writing a JSON value into a `Vec` cannot fail.
                    let _ = serde_json::to_writer(&mut text, value);
                }
                (None, Some(with_default)) => text.extend_from_slice(with_default.as_bytes()),
                (None, None) => {}
            }
        }
        text.push(b'}');
        // Made of UTF-8 pieces; the fallback is never taken.
        match String::from_utf8(text) {
            Ok(text) => PayloadJson::from_object_text(text),
            Err(_) => PayloadJson::of(&Map::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    /// A schema of five fields, the second and fourth with defaults, and
    /// with `with_model` a field `model` too (third, with a default).
    fn schema_with_defaults(with_model: bool) -> InputSchema {
        let mut properties = serde_json::Map::new();
        properties.insert("a".into(), json!({ "type": "string" }));
        properties.insert("b".into(), json!({ "type": "string", "default": "bee" }));
        if with_model {
            properties.insert(
                "model".into(),
                json!({ "type": "string", "default": "m-0" }),
            );
        }
        properties.insert("c".into(), json!({ "type": "integer" }));
        properties.insert("d".into(), json!({ "type": "integer", "default": 4 }));
        properties.insert("e".into(), json!({ "type": "boolean" }));
        serde_json::from_value(json!({ "type": "object", "properties": properties })).unwrap()
    }

    /// The payload as a map, built the plain way: `model`, then each schema
    /// field (but `model`) with the input's value or its default.
    fn payload_map(
        input: &Map<String, Value>,
        schema: &InputSchema,
        model: &str,
    ) -> Map<String, Value> {
        let mut payload = Map::new();
        payload.insert("model".to_string(), json!(model));
        for (name, field) in &schema.properties {
            if name == "model" {
                continue;
            }
            if let Some(value) = input.get(name).or(field.default.as_ref()) {
                payload.insert(name.clone(), value.clone());
            }
        }
        payload
    }

    proptest! {
        /// Whatever the order of the input, the payload is `model`, then the
        /// schema's fields in the schema's order, given or defaulted: the
        /// same JSON text as the plain map serialized.
        #[test]
        fn the_payload_is_the_same_whatever_the_order_of_the_input(
            keys in proptest::sample::subsequence(vec!["a", "b", "c", "d", "e", "model"], 0..=6)
                .prop_shuffle(),
            with_model in any::<bool>(),
            text in "[a-z \"\\\\\u{e9}\u{1f305}\n]{0,6}",
        ) {
            let schema = schema_with_defaults(with_model);
            let input: Map<String, Value> = keys
                .iter()
                .map(|k| (k.to_string(), json!(format!("given {k} {text}"))))
                .collect();
            let written = PayloadTemplate::new(&schema, "m-\"1").fill(&input);
            let payload = written.to_map();
            prop_assert_eq!(
                written.as_str(),
                serde_json::to_string(&payload_map(&input, &schema, "m-\"1")).unwrap()
            );
            let order: Vec<&str> = payload.keys().map(String::as_str).collect();
            let expected: Vec<&str> = ["model", "a", "b", "c", "d", "e"]
                .into_iter()
                .filter(|k| matches!(*k, "model" | "b" | "d") || keys.contains(k))
                .collect();
            prop_assert_eq!(order, expected);
            prop_assert_eq!(&payload["model"], &json!("m-\"1"));
            for key in ["a", "b", "c", "d", "e"] {
                if keys.contains(&key) {
                    prop_assert_eq!(&payload[key], &json!(format!("given {key} {text}")));
                }
            }
            if !keys.contains(&"b") {
                prop_assert_eq!(&payload["b"], &json!("bee"));
            }
            if !keys.contains(&"d") {
                prop_assert_eq!(&payload["d"], &json!(4));
            }
        }
    }
}
