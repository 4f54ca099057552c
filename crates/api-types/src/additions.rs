//! Hand-written additions to the generated types: constructors, `Display`, and
//! small facts the spec states in prose (which statuses are final).

use std::fmt;

use serde_json::Value;

use crate::{
    CostUnit, ErrorBody, ErrorKind, Generation, GenerationStatus, InputField, InputFieldType,
    InputSchema, ValidationIssue, ValidationIssueCode, WebhookPayload,
};

impl ErrorBody {
    /// An error body with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        ErrorBody {
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// The body the contract uses for a kind when nothing more specific applies.
    pub fn for_kind(kind: ErrorKind) -> Self {
        ErrorBody::new(kind.default_message())
    }

    /// A `400 Validation failed` body listing every issue found.
    pub fn validation(errors: Vec<ValidationIssue>) -> Self {
        ErrorBody {
            message: ErrorKind::BadRequest.default_message().to_string(),
            errors,
        }
    }
}

/// `message`, then each issue as `field: message (code)`, separated by `; `.
impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for (i, issue) in self.errors.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{issue}")?;
        }
        Ok(())
    }
}

impl ValidationIssue {
    /// One validation issue.
    pub fn new(
        field: impl Into<String>,
        message: impl Into<String>,
        code: ValidationIssueCode,
    ) -> Self {
        ValidationIssue {
            field: field.into(),
            message: message.into(),
            code,
        }
    }

    /// The contract's issue for a missing field: `Required`, `invalid_type`.
    pub fn required(field: impl Into<String>) -> Self {
        ValidationIssue::new(field, "Required", ValidationIssueCode::InvalidType)
    }

    // The Zod-style issues below are worded once, here, so that the client's
    // checks before sending and the mock server's checks agree word for word.

    /// A key the schema does not know (`field` is its full path, ending in `key`).
    pub fn unrecognized_key(field: impl Into<String>, key: &str) -> Self {
        ValidationIssue::new(
            field,
            format!("Unrecognized key: '{key}'"),
            ValidationIssueCode::UnrecognizedKeys,
        )
    }

    /// A value of the wrong type: `Expected string, received number`, or, for
    /// a number where an integer is expected, `Expected integer, received float`.
    pub fn invalid_type(field: impl Into<String>, expected: &str, received: &Value) -> Self {
        if expected == "integer" && received.is_number() {
            return ValidationIssue::not_an_integer(field);
        }
        ValidationIssue::invalid_type_named(field, expected, json_type_name(received))
    }

    /// A value of the wrong type, the received type named by the caller:
    /// `Expected number, received nan` for a query parameter that is no number.
    pub fn invalid_type_named(field: impl Into<String>, expected: &str, received: &str) -> Self {
        ValidationIssue::new(
            field,
            format!("Expected {expected}, received {received}"),
            ValidationIssueCode::InvalidType,
        )
    }

    /// A number with a fraction where an integer is expected.
    pub fn not_an_integer(field: impl Into<String>) -> Self {
        ValidationIssue::new(
            field,
            "Expected integer, received float",
            ValidationIssueCode::InvalidType,
        )
    }

    /// A value other than the one literal the schema allows.
    pub fn invalid_literal(field: impl Into<String>, expected: &Value) -> Self {
        ValidationIssue::new(
            field,
            format!("Invalid literal value, expected {expected}"),
            ValidationIssueCode::Custom,
        )
    }

    /// A string that is not of its `format` (`Invalid url`, `Invalid email`).
    pub fn invalid_format(field: impl Into<String>, format: &str) -> Self {
        ValidationIssue::new(
            field,
            format!("Invalid {format}"),
            ValidationIssueCode::InvalidString,
        )
    }

    /// A string that does not match its `pattern`.
    pub fn pattern_mismatch(field: impl Into<String>) -> Self {
        ValidationIssue::new(field, "Invalid", ValidationIssueCode::InvalidString)
    }

    /// A rule of no Zod kind, with its own message.
    pub fn custom(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationIssue::new(field, message, ValidationIssueCode::Custom)
    }

    /// A value outside its enum, the allowed values listed as Zod quotes them.
    pub fn invalid_enum(field: impl Into<String>, allowed: &[Value], received: &Value) -> Self {
        let expected: Vec<String> = allowed.iter().map(zod_quote).collect();
        ValidationIssue::new(
            field,
            format!(
                "Invalid enum value. Expected {}, received {}",
                expected.join(" | "),
                zod_quote(received)
            ),
            ValidationIssueCode::InvalidEnumValue,
        )
    }

    /// A string shorter than its `minLength`.
    pub fn string_too_short(field: impl Into<String>, min: impl fmt::Display) -> Self {
        ValidationIssue::new(
            field,
            format!("String must contain at least {min} character(s)"),
            ValidationIssueCode::TooSmall,
        )
    }

    /// A string longer than its `maxLength`.
    pub fn string_too_long(field: impl Into<String>, max: impl fmt::Display) -> Self {
        ValidationIssue::new(
            field,
            format!("String must contain at most {max} character(s)"),
            ValidationIssueCode::TooBig,
        )
    }

    /// A number under its `minimum`.
    pub fn number_too_small(field: impl Into<String>, min: impl fmt::Display) -> Self {
        ValidationIssue::new(
            field,
            format!("Number must be greater than or equal to {min}"),
            ValidationIssueCode::TooSmall,
        )
    }

    /// A number over its `maximum`.
    pub fn number_too_big(field: impl Into<String>, max: impl fmt::Display) -> Self {
        ValidationIssue::new(
            field,
            format!("Number must be less than or equal to {max}"),
            ValidationIssueCode::TooBig,
        )
    }

    /// A number not under its `exclusiveMaximum`.
    pub fn number_not_below(field: impl Into<String>, max: impl fmt::Display) -> Self {
        ValidationIssue::new(
            field,
            format!("Number must be less than {max}"),
            ValidationIssueCode::TooBig,
        )
    }

    /// A number not over its `exclusiveMinimum`.
    pub fn number_not_above(field: impl Into<String>, min: impl fmt::Display) -> Self {
        ValidationIssue::new(
            field,
            format!("Number must be greater than {min}"),
            ValidationIssueCode::TooSmall,
        )
    }

    /// An array with fewer items than its `minItems`.
    pub fn array_too_short(field: impl Into<String>, min: impl fmt::Display) -> Self {
        ValidationIssue::new(
            field,
            format!("Array must contain at least {min} element(s)"),
            ValidationIssueCode::TooSmall,
        )
    }

    /// An array with more items than its `maxItems`.
    pub fn array_too_long(field: impl Into<String>, max: impl fmt::Display) -> Self {
        ValidationIssue::new(
            field,
            format!("Array must contain at most {max} element(s)"),
            ValidationIssueCode::TooBig,
        )
    }
}

/// A JSON number as Zod prints it in a bound: `2`, not `2.0`; any other value
/// as its JSON text.
///
/// ```
/// use artificial_studio_types::zod_number;
/// use serde_json::json;
///
/// assert_eq!(zod_number(&json!(2.0)), "2");
/// assert_eq!(zod_number(&json!(0.5)), "0.5");
/// ```
pub fn zod_number(value: &Value) -> String {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        _ => value.to_string(),
    }
}

/// A value as Zod quotes it in messages: strings in single quotes.
fn zod_quote(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

/// `field: message (code)`, as the CLI and the client's errors list issues.
impl fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.message, self.code)
    }
}

impl GenerationStatus {
    /// Every status known to this version, in lifecycle order.
    pub const ALL: [GenerationStatus; 5] = GenerationStatus::KNOWN;

    /// `success` and `error` are final: a generation never leaves them. A
    /// status this version does not know is not final, so a client keeps
    /// waiting instead of taking an unknown state for an end.
    pub fn is_final(&self) -> bool {
        matches!(self, GenerationStatus::Success | GenerationStatus::Error)
    }
}

impl CostUnit {
    /// The unit a model's `cost` counts when the service does not say:
    /// one generation (the n8n node prints `costUnit or "generation"`).
    pub const DEFAULT: CostUnit = CostUnit::Generation;
}

/// The webhook body the service sends for a generation.
impl From<&Generation> for WebhookPayload {
    fn from(g: &Generation) -> Self {
        WebhookPayload {
            id: g.id.clone(),
            status: g.status.clone(),
            tool: Some(g.tool.clone()),
            type_: g.type_.clone(),
            output: g.output.clone(),
            thumbnail: g.thumbnail.clone(),
            created_at: Some(g.created_at),
        }
    }
}

/// The name of a JSON value's type as the API's validation messages print it,
/// in the Zod style of `Expected object, received array`.
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What a field's `type` means once the provider's looser spellings are read:
/// `int` is an integer, `enum` is "one of the listed values" and says nothing
/// about the JSON type, and a type this version does not know checks nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// A JSON string.
    String,
    /// Any JSON number.
    Number,
    /// A JSON number without a fraction.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A JSON array.
    Array,
    /// A JSON object.
    Object,
}

impl JsonKind {
    /// The name the API's validation messages use (`Expected string, ...`).
    pub const fn name(self) -> &'static str {
        match self {
            JsonKind::String => "string",
            JsonKind::Number => "number",
            JsonKind::Integer => "integer",
            JsonKind::Boolean => "boolean",
            JsonKind::Array => "array",
            JsonKind::Object => "object",
        }
    }

    /// Whether `value` is of this kind.
    pub fn accepts(self, value: &Value) -> bool {
        match self {
            JsonKind::String => value.is_string(),
            JsonKind::Number => value.is_number(),
            JsonKind::Integer => {
                value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0)
            }
            JsonKind::Boolean => value.is_boolean(),
            JsonKind::Array => value.is_array(),
            JsonKind::Object => value.is_object(),
        }
    }
}

impl InputFieldType {
    /// The JSON type this field type checks, or `None` when it checks none
    /// (`enum`, whose values say it all, and a type this version does not
    /// know); the reading of [`crate::provider_schema::json_type`].
    pub fn json_kind(&self) -> Option<JsonKind> {
        Some(match crate::provider_schema::json_type(self.as_str())? {
            "string" => JsonKind::String,
            "number" => JsonKind::Number,
            "integer" => JsonKind::Integer,
            "boolean" => JsonKind::Boolean,
            "array" => JsonKind::Array,
            _ => JsonKind::Object,
        })
    }
}

impl InputField {
    /// The JSON type the field checks, if any (see [`InputFieldType::json_kind`]).
    pub fn json_kind(&self) -> Option<JsonKind> {
        self.type_.as_ref().and_then(InputFieldType::json_kind)
    }

    /// The values the field allows, when restricted: its `enum`, else the
    /// `value`s of its labelled `options`; empty when any value of its type goes.
    pub fn allowed_values(&self) -> Vec<Value> {
        crate::provider_schema::allowed_of(
            Some(self.enum_.as_slice()),
            self.options
                .iter()
                .filter_map(|option| option.value.as_ref()),
        )
    }

    /// The label a person sees for `value`: its option's label, else the value.
    pub fn label_of(&self, value: &Value) -> Option<&str> {
        self.options
            .iter()
            .find(|option| option.value.as_ref() == Some(value))
            .and_then(|option| option.label.as_deref())
    }

    /// The smallest number allowed (`minimum`, or the provider's `min`).
    pub fn lower_bound(&self) -> Option<f64> {
        self.minimum.or(self.min)
    }

    /// The largest number allowed (`maximum`, or the provider's `max`).
    pub fn upper_bound(&self) -> Option<f64> {
        self.maximum.or(self.max)
    }

    /// Whether the field takes media, so a file given for it is uploaded
    /// first: `inputType: gallery`, a `fileType`, or a name ending in
    /// `_url`/`_urls` (the rule of the provider's n8n node).
    pub fn is_media(&self, name: &str) -> bool {
        self.input_type.as_deref() == Some("gallery")
            || self.file_type.is_some()
            || name.ends_with("_url")
            || name.ends_with("_urls")
    }

    /// Whether the field holds a list (its type is `array`).
    pub fn is_array(&self) -> bool {
        self.type_ == Some(InputFieldType::Array)
    }
}

impl InputSchema {
    /// Whether `name` must be given: listed in `required` and not marked
    /// `optional: true` (the n8n node's reading of the provider's schemas).
    pub fn is_required(&self, name: &str) -> bool {
        self.required.iter().any(|r| r == name)
            && self
                .properties
                .get(name)
                .is_none_or(|field| field.optional != Some(true))
    }

    /// The fields that must be given, in schema order of `required`.
    pub fn required_fields(&self) -> impl Iterator<Item = &str> {
        self.required
            .iter()
            .map(String::as_str)
            .filter(|name| self.is_required(name))
    }

    /// The schema as strict JSON Schema, for a validator: each field's
    /// provider spelling read (`int` → `integer`, `enum`/`options` → `enum`,
    /// `min`/`max` → `minimum`/`maximum`, `optional` fields left out of
    /// `required`, an unknown type unchecked) and unknown keys refused.
    /// `model`, which picks the model, is always allowed.
    /// (See [`crate::provider_schema::strict_input_schema`].)
    pub fn to_json_schema(&self) -> Value {
        // A schema always serializes; `Null` reads as an empty schema.
        let raw = serde_json::to_value(self).unwrap_or(Value::Null);
        crate::provider_schema::strict_input_schema(&raw)
    }
}
