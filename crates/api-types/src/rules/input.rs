//! A run's `input` checked against its model's `inputSchema`, with the
//! issues the API reports: dotted paths (`input.prompt`), Zod codes and
//! messages.
//!
//! Schemas are read as the provider publishes them, looser than JSON Schema
//! (see [`crate::provider_schema`]): `int` is an integer, an `enum` field
//! checks its `enum` or `options` values, `optional: true` makes a listed
//! field optional, and a field type this version does not know checks
//! nothing (the service stays the judge of what it does not describe). A
//! schema is read once into [`InputRules`]; checking a valid input then
//! allocates nothing.
//!
//! Its verdicts are those of a JSON Schema validator on
//! [`InputSchema::to_json_schema`], which the tests hold it to.

use serde_json::{Map, Value};

use crate::{InputSchema, JsonKind, ValidationIssue, lookup::field, zod_number};

/// The prefix of every issue's path.
const PREFIX: &str = "input";

/// The order issues are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueOrder {
    /// The service's, as the mock answers (and as the JSON Schema validator
    /// it once used ordered them): each missing required field in
    /// `required`'s order, then the input's fields in the input's order, then
    /// each unknown key; except that when a schema requires exactly one
    /// field, its absence comes last.
    Service,
    /// The schema's, as Zod walks an object: the schema's fields in order
    /// (a missing one where it would be), then each unknown key.
    Schema,
}

/// A model's input schema, read once into the checks it asks for.
///
/// ```
/// use artificial_studio_types::InputSchema;
/// use artificial_studio_types::rules::input::{InputRules, IssueOrder};
/// use serde_json::json;
///
/// let schema: InputSchema = serde_json::from_value(json!({
///     "type": "object", "required": ["prompt"],
///     "properties": {"prompt": {"type": "string"}, "steps": {"type": "int", "max": 50}}
/// }))?;
/// let rules = InputRules::new(&schema);
/// assert!(rules.is_valid(&json!({"prompt": "a fox", "steps": 4})));
/// let issues: Vec<String> = rules
///     .issues(&json!({"steps": 51, "size": 2}), IssueOrder::Schema)
///     .iter()
///     .map(ToString::to_string)
///     .collect();
/// assert_eq!(issues, [
///     "input.prompt: Required (invalid_type)",
///     "input.steps: Number must be less than or equal to 50 (too_big)",
///     "input.size: Unrecognized key: 'size' (unrecognized_keys)",
/// ]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct InputRules {
    /// The schema's fields in order, with `model` first when the schema
    /// does not declare it (a string that picks the model).
    fields: Vec<FieldRule>,
    /// Indexes into `fields` of the required ones, in `required`'s order.
    required: Vec<usize>,
}

/// The checks of one field.
#[derive(Debug, Clone)]
struct FieldRule {
    name: String,
    kind: Option<JsonKind>,
    allowed: Vec<Value>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    items: Option<ItemRule>,
}

/// The checks of each item of an array field.
#[derive(Debug, Clone)]
struct ItemRule {
    kind: Option<JsonKind>,
    allowed: Vec<Value>,
}

/// Where an issue sorts in [`IssueOrder::Schema`]: its field's index, or
/// after every field for an unknown key.
type Ranked = (usize, ValidationIssue);

impl InputRules {
    /// Reads `schema` into its checks.
    pub fn new(schema: &InputSchema) -> Self {
        let mut fields = Vec::with_capacity(schema.properties.len() + 1);
        if !schema.properties.contains_key("model") {
            fields.push(FieldRule::model());
        }
        for (name, field) in &schema.properties {
            fields.push(FieldRule {
                name: name.clone(),
                kind: field.json_kind(),
                allowed: field.allowed_values(),
                min_length: field.min_length,
                max_length: field.max_length,
                minimum: field.lower_bound(),
                maximum: field.upper_bound(),
                min_items: field.min_items,
                max_items: field.max_items,
                items: field.items.as_ref().map(|items| ItemRule {
                    kind: items.type_.as_ref().and_then(|t| t.json_kind()),
                    allowed: items.enum_.clone(),
                }),
            });
        }
        // In `required`'s order, as JSON Schema reports missing fields; a
        // name without a field, or marked optional, is not required.
        let required = schema
            .required_fields()
            .filter_map(|name| fields.iter().position(|f| f.name == name))
            .collect();
        InputRules { fields, required }
    }

    /// Whether `input` passes every check (without building any issue).
    pub fn is_valid(&self, input: &Value) -> bool {
        let mut valid = true;
        self.walk(input, &mut |_| valid = false);
        valid
    }

    /// Every issue of `input`, in `order`; empty when it is valid.
    pub fn issues(&self, input: &Value, order: IssueOrder) -> Vec<ValidationIssue> {
        let mut ranked: Vec<Ranked> = Vec::new();
        self.walk(input, &mut |found| ranked.push(found()));
        if ranked.is_empty() {
            return Vec::new();
        }
        if order == IssueOrder::Schema {
            // Stable: a field's own issues keep their order.
            ranked.sort_by_key(|(rank, _)| *rank);
        }
        ranked.into_iter().map(|(_, issue)| issue).collect()
    }

    /// Walks `input` in the service's order, calling `report` with a maker
    /// of each issue found (so a caller that only asks "valid?" makes none).
    fn walk(&self, input: &Value, report: &mut dyn FnMut(&dyn Fn() -> Ranked)) {
        let Value::Object(input) = input else {
            report(&|| (0, ValidationIssue::invalid_type(PREFIX, "object", input)));
            return;
        };
        let required_last = self.required.len() == 1;
        if !required_last {
            self.walk_required(input, report);
        }
        let mut any_unknown = false;
        for (key, value) in input {
            match self.field(key) {
                Some((rank, field)) => field.check(rank, value, report),
                None => any_unknown = true,
            }
        }
        if any_unknown {
            let unknown = self.fields.len();
            for key in input.keys().filter(|key| self.field(key).is_none()) {
                report(&|| {
                    (
                        unknown,
                        ValidationIssue::unrecognized_key(path(&[key]), key),
                    )
                });
            }
        }
        if required_last {
            self.walk_required(input, report);
        }
    }

    fn walk_required(
        &self,
        input: &Map<String, Value>,
        report: &mut dyn FnMut(&dyn Fn() -> Ranked),
    ) {
        for &rank in &self.required {
            let name = &self.fields[rank].name;
            if field(input, name).is_none() {
                report(&|| (rank, ValidationIssue::required(path(&[name]))));
            }
        }
    }

    /// The field named `name`, with its index. Found by walking the few
    /// fields of a schema, which beats hashing the name.
    fn field(&self, name: &str) -> Option<(usize, &FieldRule)> {
        self.fields.iter().enumerate().find(|(_, f)| f.name == name)
    }
}

impl FieldRule {
    /// `model`, when the schema does not declare it: any string.
    fn model() -> Self {
        FieldRule {
            name: "model".to_string(),
            kind: Some(JsonKind::String),
            allowed: Vec::new(),
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            min_items: None,
            max_items: None,
            items: None,
        }
    }

    /// As Zod does, a value of the wrong type gets that one issue: its enum,
    /// length or range are not checked too.
    fn check(&self, rank: usize, value: &Value, report: &mut dyn FnMut(&dyn Fn() -> Ranked)) {
        let at = || path(&[&self.name]);
        if let Some(kind) = self.kind.filter(|kind| !kind.accepts(value)) {
            report(&|| {
                (
                    rank,
                    ValidationIssue::invalid_type(at(), kind.name(), value),
                )
            });
            return;
        }
        if !is_allowed(&self.allowed, value) {
            report(&|| {
                (
                    rank,
                    ValidationIssue::invalid_enum(at(), &self.allowed, value),
                )
            });
        }
        match value {
            Value::String(text) if self.min_length.is_some() || self.max_length.is_some() => {
                let length = text.chars().count() as u64;
                if let Some(min) = self.min_length.filter(|min| length < *min) {
                    report(&|| (rank, ValidationIssue::string_too_short(at(), min)));
                }
                if let Some(max) = self.max_length.filter(|max| length > *max) {
                    report(&|| (rank, ValidationIssue::string_too_long(at(), max)));
                }
            }
            Value::Number(number) => {
                let n = number.as_f64().unwrap_or(f64::NAN);
                if let Some(min) = self.minimum.filter(|min| n < *min) {
                    report(&|| (rank, ValidationIssue::number_too_small(at(), bound(min))));
                }
                if let Some(max) = self.maximum.filter(|max| n > *max) {
                    report(&|| (rank, ValidationIssue::number_too_big(at(), bound(max))));
                }
            }
            Value::Array(items) => {
                let count = items.len() as u64;
                if let Some(min) = self.min_items.filter(|min| count < *min) {
                    report(&|| (rank, ValidationIssue::array_too_short(at(), min)));
                }
                if let Some(max) = self.max_items.filter(|max| count > *max) {
                    report(&|| (rank, ValidationIssue::array_too_long(at(), max)));
                }
                if let Some(rule) = &self.items {
                    for (index, item) in items.iter().enumerate() {
                        rule.check(rank, &self.name, index, item, report);
                    }
                }
            }
            _ => {}
        }
    }
}

impl ItemRule {
    fn check(
        &self,
        rank: usize,
        name: &str,
        index: usize,
        item: &Value,
        report: &mut dyn FnMut(&dyn Fn() -> Ranked),
    ) {
        let at = || path(&[name, &index.to_string()]);
        if let Some(kind) = self.kind.filter(|kind| !kind.accepts(item)) {
            report(&|| (rank, ValidationIssue::invalid_type(at(), kind.name(), item)));
        } else if !is_allowed(&self.allowed, item) {
            report(&|| {
                (
                    rank,
                    ValidationIssue::invalid_enum(at(), &self.allowed, item),
                )
            });
        }
    }
}

/// `input.a.b`.
fn path(segments: &[&str]) -> String {
    let mut out = String::from(PREFIX);
    for segment in segments {
        out.push('.');
        out.push_str(segment);
    }
    out
}

/// Whether `value` is among `allowed` (anything is, when `allowed` is empty),
/// numbers compared by value as JSON Schema does (`1` is `1.0`).
fn is_allowed(allowed: &[Value], value: &Value) -> bool {
    if allowed.is_empty() {
        return true;
    }
    match value {
        // The common case, a string enum, compared without the general walk.
        Value::String(text) => allowed.iter().any(|a| a.as_str() == Some(text.as_str())),
        _ => allowed.iter().any(|a| same_json(a, value)),
    }
}

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// A bound (always finite: it came from JSON) as Zod prints it.
fn bound(n: f64) -> String {
    zod_number(&Value::from(n))
}
