//! The provider's input schemas read as strict JSON Schema, on plain JSON.
//!
//! Written against `serde_json` alone, with no generated type, so that
//! `cargo xtask codegen` can compile this very file (with `#[path]`) to
//! describe the run inputs of the mock's catalog in the spec, even while the
//! generated types are stale. [`InputSchema::to_json_schema`] is this
//! function on a typed schema: one reading for the client, the mock and the
//! spec.
//!
//! [`InputSchema::to_json_schema`]: crate::InputSchema::to_json_schema

use serde_json::{Map, Value, json};

/// The JSON type a provider field type checks: `int` is `integer`, `enum`
/// (whose values say it all) and any type not known here check nothing.
pub fn json_type(provider_type: &str) -> Option<&'static str> {
    match provider_type {
        "string" => Some("string"),
        "number" => Some("number"),
        "integer" | "int" => Some("integer"),
        "boolean" => Some("boolean"),
        "array" => Some("array"),
        "object" => Some("object"),
        _ => None,
    }
}

/// A provider input schema (`{type, properties, required}` with the
/// provider's field spellings) as strict JSON Schema: `int` → `integer`,
/// `enum`/`options` → `enum`, `min`/`max` → `minimum`/`maximum`, fields
/// marked `optional: true` left out of `required`, a field type not known
/// here unchecked, unknown keys refused, and `model` (which picks the model)
/// allowed as a string.
pub fn strict_input_schema(schema: &Value) -> Value {
    let empty = Map::new();
    let fields = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut properties = Map::new();
    for (name, field) in fields {
        properties.insert(name.clone(), strict_field(field));
    }
    properties
        .entry("model")
        .or_insert_with(|| json!({ "type": "string" }));
    let required: Vec<Value> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|name| {
            fields
                .get(*name)
                .is_some_and(|field| field.get("optional") != Some(&Value::Bool(true)))
        })
        .map(|name| Value::String(name.to_string()))
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// One field as JSON Schema (see [`strict_input_schema`]).
fn strict_field(field: &Value) -> Value {
    let mut out = Map::new();
    if let Some(kind) = field
        .get("type")
        .and_then(Value::as_str)
        .and_then(json_type)
    {
        out.insert("type".into(), Value::String(kind.into()));
    }
    let allowed = allowed_values(field);
    if !allowed.is_empty() {
        out.insert("enum".into(), Value::Array(allowed));
    }
    for (from, to) in [
        ("minimum", "minimum"),
        ("min", "minimum"),
        ("maximum", "maximum"),
        ("max", "maximum"),
        ("minLength", "minLength"),
        ("maxLength", "maxLength"),
        ("minItems", "minItems"),
        ("maxItems", "maxItems"),
    ] {
        if let Some(value) = field.get(from).filter(|v| v.is_number())
            && !out.contains_key(to)
        {
            out.insert(to.into(), value.clone());
        }
    }
    if let Some(items) = field.get("items").and_then(Value::as_object) {
        let mut item = Map::new();
        if let Some(kind) = items
            .get("type")
            .and_then(Value::as_str)
            .and_then(json_type)
        {
            item.insert("type".into(), Value::String(kind.into()));
        }
        if let Some(values) = items.get("enum").and_then(Value::as_array)
            && !values.is_empty()
        {
            item.insert("enum".into(), Value::Array(values.clone()));
        }
        out.insert("items".into(), Value::Object(item));
    }
    Value::Object(out)
}

/// A field's allowed values: its `enum`, else the `value`s of its `options`.
pub fn allowed_values(field: &Value) -> Vec<Value> {
    let options = field.get("options").and_then(Value::as_array);
    allowed_of(
        field
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice),
        options
            .into_iter()
            .flatten()
            .filter_map(|option| option.get("value")),
    )
}

/// The rule of [`allowed_values`] on a field's parts, so that a typed field
/// ([`InputField::allowed_values`]) reads it the same way: the `enum` when it
/// is not empty, else the `option_values`; empty when any value goes.
///
/// [`InputField::allowed_values`]: crate::InputField::allowed_values
pub fn allowed_of<'v>(
    enum_values: Option<&[Value]>,
    option_values: impl IntoIterator<Item = &'v Value>,
) -> Vec<Value> {
    match enum_values {
        Some(values) if !values.is_empty() => values.to_vec(),
        _ => option_values.into_iter().cloned().collect(),
    }
}
