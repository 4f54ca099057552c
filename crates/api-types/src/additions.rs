//! Hand-written additions to the generated types: constructors, `Display`, and
//! small facts the spec states in prose (which statuses are final).

use std::fmt;

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
pub fn json_type_name(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
