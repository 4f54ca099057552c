//! Hand-written additions to the generated types: constructors, `Display`, and
//! small facts the spec states in prose (which statuses are final).

use std::fmt;

use serde_json::Value;

use crate::{
    ErrorBody, ErrorKind, Generation, GenerationStatus, ValidationIssue, ValidationIssueCode,
    WebhookPayload,
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
        let message = if expected == "integer" && received.is_number() {
            "Expected integer, received float".to_string()
        } else {
            format!("Expected {expected}, received {}", json_type_name(received))
        };
        ValidationIssue::new(field, message, ValidationIssueCode::InvalidType)
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
    /// Every status, in lifecycle order.
    pub const ALL: [GenerationStatus; 5] = [
        GenerationStatus::Pending,
        GenerationStatus::Processing,
        GenerationStatus::Uploading,
        GenerationStatus::Success,
        GenerationStatus::Error,
    ];

    /// `success` and `error` are final: a generation never leaves them.
    pub const fn is_final(self) -> bool {
        matches!(self, GenerationStatus::Success | GenerationStatus::Error)
    }
}

/// The webhook body the service sends for a generation.
impl From<&Generation> for WebhookPayload {
    fn from(g: &Generation) -> Self {
        WebhookPayload {
            id: g.id.clone(),
            status: g.status,
            tool: g.tool.clone(),
            type_: g.type_,
            output: g.output.clone(),
            thumbnail: g.thumbnail.clone(),
            created_at: g.created_at,
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
