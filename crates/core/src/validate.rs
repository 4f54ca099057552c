//! Checking a tool's input against its model's `inputSchema` before sending,
//! with the issues the API would report: same dotted paths (`input.prompt`),
//! same Zod codes and messages.
//!
//! Schemas are read as the provider publishes them, which is looser than JSON
//! Schema: `int` is an integer, an `enum` field checks its `enum` or
//! `options` values, `optional: true` makes a listed field optional, and a
//! field type this version does not know is passed through unchecked, never
//! refused (the service stays the judge of what it does not describe). The
//! rules are the mock server's own ([`InputRules`], in the types crate).

use serde_json::Value;

use crate::error::{Error, Result};
use crate::types::rules::input::{InputRules, IssueOrder};
use crate::types::{InputSchema, Tool, ToolModel, ValidationIssue, messages};

/// Input checks for a [`Tool`] fetched with [`Client::tool`](crate::Client::tool)
/// or [`Client::search`](crate::Client::search). (An extension trait, as
/// `Tool` is generated from the spec.)
///
/// ```
/// use artificial_studio::ToolExt;
/// use artificial_studio::types::Tool;
/// use serde_json::json;
///
/// let tool: Tool = serde_json::from_value(json!({
///     "slug": "text-to-speech", "name": "Text to Speech", "description": "Speech.",
///     "type": "audio", "outputType": "audio",
///     "models": [{"slug": "openai-tts", "name": "OpenAI TTS", "cost": 2, "costUnit": "credits",
///         "inputSchema": {"type": "object", "required": ["prompt"], "properties": {
///             "prompt": {"type": "string", "maxLength": 3000},
///             "voice": {"type": "string", "enum": ["alloy", "nova"]}}}}]
/// }))?;
///
/// let err = tool.validate_input(None, &json!({"voice": "bob", "colour": "red"})).unwrap_err();
/// let issues: Vec<String> = err.validation_errors().iter().map(ToString::to_string).collect();
/// assert_eq!(issues, [
///     "input.prompt: Required (invalid_type)",
///     "input.voice: Invalid enum value. Expected 'alloy' | 'nova', received 'bob' (invalid_enum_value)",
///     "input.colour: Unrecognized key: 'colour' (unrecognized_keys)",
/// ]);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub trait ToolExt {
    /// The model named `slug`, or the default (first) model when `None`.
    fn model(&self, slug: Option<&str>) -> Option<&ToolModel>;

    /// The input schema that applies to `model`: the model's own, else the
    /// tool's (`None` when neither says anything, and nothing can be checked).
    fn input_schema_of<'a>(&'a self, model: &'a ToolModel) -> Option<&'a InputSchema>;

    /// Checks `input` as the API would for the model named `model`; when
    /// `None`, the model named by `input.model`, else the tool's default.
    ///
    /// Returns [`Error::InvalidRequest`] with the issues (read them with
    /// [`Error::validation_errors`]), or with the message `Model not found`
    /// when the tool has no such model.
    fn validate_input(&self, model: Option<&str>, input: &Value) -> Result<()>;
}

impl ToolExt for Tool {
    fn model(&self, slug: Option<&str>) -> Option<&ToolModel> {
        match slug {
            Some(slug) => self.models.iter().find(|m| m.slug == slug),
            None => self.models.first(),
        }
    }

    fn input_schema_of<'a>(&'a self, model: &'a ToolModel) -> Option<&'a InputSchema> {
        model
            .input_schema
            .as_ref()
            .filter(|schema| !schema.properties.is_empty())
            .or(self.input_schema.as_ref())
            .or(model.input_schema.as_ref())
    }

    fn validate_input(&self, model: Option<&str>, input: &Value) -> Result<()> {
        let named = model.or_else(|| input.get("model").and_then(Value::as_str));
        let Some(chosen) = self.model(named) else {
            let not_found = messages::MODEL_NOT_FOUND;
            return Err(Error::invalid(match named {
                Some(name) => format!("{not_found}: {name} is not a model of {}", self.slug),
                None => format!("{not_found}: {} has no models", self.slug),
            }));
        };
        let Some(schema) = self.input_schema_of(chosen) else {
            return Ok(());
        };
        let errors = validate_input(schema, input);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid_fields(errors))
        }
    }
}

/// The issues the API would report for `input` under `schema`, in the
/// schema's order: the schema's fields in order, then each unknown key.
/// Empty when the input is valid. `model` is always an allowed key.
///
/// The checks are the contract's, shared with the mock server
/// ([`InputRules`]); for many inputs to one model, build the rules once.
pub fn validate_input(schema: &InputSchema, input: &Value) -> Vec<ValidationIssue> {
    InputRules::new(schema).issues(input, IssueOrder::Schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Map, json};

    fn schema() -> InputSchema {
        serde_json::from_value(json!({
            "type": "object",
            "required": ["prompt"],
            "properties": {
                "prompt": {"type": "string", "minLength": 1, "maxLength": 10},
                "image_size": {"type": "string", "enum": ["square_hd", "square"], "default": "square_hd"},
                "steps": {"type": "integer", "minimum": 1, "maximum": 50},
                "guidance": {"type": "number"},
                "hd": {"type": "boolean"},
                "image_urls": {"type": "array", "items": {"type": "string"}, "maxItems": 2}
            }
        }))
        .unwrap()
    }

    fn issues(input: Value) -> Vec<String> {
        validate_input(&schema(), &input)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_valid_input_has_no_issues() {
        assert!(issues(json!({"prompt": "a fox", "image_size": "square", "steps": 4, "guidance": 2.5, "hd": true, "image_urls": ["https://x/y.png"], "model": "seedream-4"})).is_empty());
        assert!(issues(json!({"prompt": "a fox", "steps": 4.0})).is_empty());
    }

    #[test]
    fn a_missing_required_field_is_required_invalid_type() {
        assert_eq!(issues(json!({})), ["input.prompt: Required (invalid_type)"]);
    }

    #[test]
    fn wrong_types_say_what_was_expected_and_received() {
        assert_eq!(
            issues(
                json!({"prompt": 3, "steps": 1.5, "hd": "yes", "guidance": null, "image_urls": "u"})
            ),
            [
                "input.prompt: Expected string, received number (invalid_type)",
                "input.steps: Expected integer, received float (invalid_type)",
                "input.guidance: Expected number, received null (invalid_type)",
                "input.hd: Expected boolean, received string (invalid_type)",
                "input.image_urls: Expected array, received string (invalid_type)",
            ]
        );
    }

    #[test]
    fn limits_are_too_small_or_too_big() {
        assert_eq!(
            issues(json!({"prompt": "", "steps": 51, "image_urls": ["a", 2, "c"]})),
            [
                "input.prompt: String must contain at least 1 character(s) (too_small)",
                "input.steps: Number must be less than or equal to 50 (too_big)",
                "input.image_urls: Array must contain at most 2 element(s) (too_big)",
                "input.image_urls.1: Expected string, received number (invalid_type)",
            ]
        );
        assert_eq!(
            issues(json!({"prompt": "ééééééééééé"})),
            ["input.prompt: String must contain at most 10 character(s) (too_big)"]
        );
    }

    #[test]
    fn each_unknown_key_is_its_own_issue_after_the_others() {
        assert_eq!(
            issues(json!({"colour": "red", "prompt": 1, "size": 2})),
            [
                "input.prompt: Expected string, received number (invalid_type)",
                "input.colour: Unrecognized key: 'colour' (unrecognized_keys)",
                "input.size: Unrecognized key: 'size' (unrecognized_keys)",
            ]
        );
    }

    #[test]
    fn an_input_that_is_not_an_object_is_one_issue() {
        assert_eq!(
            validate_input(&schema(), &json!("a fox"))[0].to_string(),
            "input: Expected object, received string (invalid_type)"
        );
    }

    proptest! {
        #[test]
        fn any_input_is_checked_without_panicking(keys in proptest::collection::vec("[a-z_]{1,8}", 0..6), n in any::<f64>(), s in ".{0,20}") {
            let mut map = Map::new();
            for (i, key) in keys.iter().enumerate() {
                let value = match i % 4 { 0 => json!(s), 1 => json!(n), 2 => json!([s, n]), _ => Value::Null };
                map.insert(key.clone(), value);
            }
            let found = validate_input(&schema(), &Value::Object(map));
            for issue in found {
                prop_assert!(issue.field.starts_with("input"));
            }
        }
    }
}
