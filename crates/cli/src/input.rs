//! Turning `KEY=VALUE` words into a tool's JSON input, typed by the model's `inputSchema`.
//!
//! - `KEY=VALUE`: typed from the schema when the field is known (numbers,
//!   integers, booleans, arrays as `a,b` or a JSON array), else a string.
//! - `KEY:=JSON`: a raw JSON value, whatever the schema says.
//! - `KEY=@PATH`: for a media field (the schema's `fileType`, `inputType:
//!   gallery`, or a name ending in `_url`/`_urls`, the provider's own rule), a
//!   local file to upload first; its URL replaces the word
//!   (`image_urls=@a.jpg,@b.jpg` uploads both). For any other field `@...` is
//!   text, so a prompt may start with `@`.
//! - A field the schema does not describe (or no schema at all: the service
//!   may leave `inputSchema` out) is a string, but one named `..._urls` is a
//!   list (`a,b` or a JSON array), as the provider names its list fields.
//! - A list field given twice (`image_urls=@a.jpg image_urls=@b.jpg`) gets
//!   both values, in order.

use std::path::PathBuf;

use artificial_studio_types::{InputField, InputFieldType, InputSchema, JsonKind};
use serde_json::{Map, Value};

/// A word on the command line that is not `KEY=VALUE`, with why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid input `{word}`: {reason}")]
pub struct InputError {
    /// The word as typed.
    pub word: String,
    /// What is wrong with it.
    pub reason: String,
}

/// The input built from the words, and the files it still needs uploaded.
#[derive(Debug, Default, PartialEq)]
pub struct ParsedInput {
    /// The JSON input, with upload placeholders where files go.
    pub input: Map<String, Value>,
    /// Files to upload; each placeholder string in `input` is replaced by its URL.
    pub uploads: Vec<PendingUpload>,
}

/// A local file named with `@` that must be uploaded before the run.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingUpload {
    /// The path after `@`.
    pub path: PathBuf,
    /// The string standing for it in the input until its URL is known.
    pub placeholder: String,
}

/// Parses the words on top of `base` (from `--input-json`), typing values by
/// `schema` when one is known.
pub fn parse(
    words: &[String],
    schema: Option<&InputSchema>,
    base: Map<String, Value>,
) -> Result<ParsedInput, InputError> {
    let mut parsed = ParsedInput {
        input: base,
        uploads: Vec::new(),
    };
    for word in words {
        let err = |reason: &str| InputError {
            word: word.clone(),
            reason: reason.to_string(),
        };
        let Some(eq) = word.find('=') else {
            return Err(err("expected KEY=VALUE, KEY:=JSON or KEY=@FILE"));
        };
        let (key, raw) = (&word[..eq], &word[eq + 1..]);
        if let Some(key) = key.strip_suffix(':') {
            if key.is_empty() {
                return Err(err("the name before `:=` is empty"));
            }
            let value = serde_json::from_str(raw)
                .map_err(|e| err(&format!("the value after `:=` is not JSON ({e})")))?;
            parsed.input.insert(key.to_string(), value);
            continue;
        }
        if key.is_empty() {
            return Err(err("the name before `=` is empty"));
        }
        let field = schema.and_then(|s| s.properties.get(key));
        let media = match field {
            Some(field) => field.is_media(key),
            None => key.ends_with("_url") || key.ends_with("_urls"),
        };
        // Without a schema for it, the name tells a list field.
        let list_by_name = field.is_none() && key.ends_with("_urls");
        let value = if list_by_name {
            list_value(raw, None, media, &mut parsed.uploads)
        } else {
            typed_value(raw, field, media, &mut parsed.uploads)
        };
        match (parsed.input.get_mut(key), value) {
            (Some(Value::Array(earlier)), Value::Array(more))
                if field.is_some() || list_by_name =>
            {
                earlier.extend(more);
            }
            (_, value) => {
                parsed.input.insert(key.to_string(), value);
            }
        }
    }
    Ok(parsed)
}

fn typed_value(
    raw: &str,
    field: Option<&InputField>,
    media: bool,
    uploads: &mut Vec<PendingUpload>,
) -> Value {
    match field.and_then(|f| f.type_.as_ref()) {
        Some(InputFieldType::Array) => {
            let item_type = field
                .and_then(|f| f.items.as_ref())
                .and_then(|i| i.type_.as_ref())
                .and_then(InputFieldType::json_kind);
            list_value(raw, item_type, media, uploads)
        }
        other => scalar(
            raw,
            other.and_then(InputFieldType::json_kind),
            media,
            uploads,
        ),
    }
}

/// A list: a JSON array as given, or `a,b` with each item typed as `item_type`.
fn list_value(
    raw: &str,
    item_type: Option<JsonKind>,
    media: bool,
    uploads: &mut Vec<PendingUpload>,
) -> Value {
    if raw.trim_start().starts_with('[')
        && let Ok(Value::Array(items)) = serde_json::from_str(raw)
    {
        return Value::Array(items);
    }
    let items = raw
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|item| scalar(item, item_type, media, uploads))
        .collect();
    Value::Array(items)
}

/// One value typed as `kind`; text that does not parse stays a string, so the
/// API reports the mismatch with its own field path.
fn scalar(
    raw: &str,
    kind: Option<JsonKind>,
    media: bool,
    uploads: &mut Vec<PendingUpload>,
) -> Value {
    if media
        && let Some(path) = raw.strip_prefix('@')
        && !path.is_empty()
    {
        let placeholder = format!("@upload:{}:{path}", uploads.len());
        uploads.push(PendingUpload {
            path: PathBuf::from(path),
            placeholder: placeholder.clone(),
        });
        return Value::String(placeholder);
    }
    let parsed = match kind {
        Some(JsonKind::Integer) => raw.trim().parse::<i64>().ok().map(Value::from),
        Some(JsonKind::Number) => raw.trim().parse::<i64>().ok().map(Value::from).or_else(|| {
            raw.trim()
                .parse::<f64>()
                .ok()
                .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
        }),
        Some(JsonKind::Boolean) => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Some(Value::Bool(true)),
            "false" | "no" | "off" | "0" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::String(raw.to_string()))
}

/// Replaces every upload placeholder in `input` by the uploaded file's URL.
pub fn fill_uploads(input: &mut Map<String, Value>, placeholder: &str, url: &str) {
    for value in input.values_mut() {
        replace_in(value, placeholder, url);
    }
}

fn replace_in(value: &mut Value, placeholder: &str, url: &str) {
    match value {
        Value::String(s) if s == placeholder => *s = url.to_string(),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_in(v, placeholder, url)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn schema() -> InputSchema {
        serde_json::from_value(json!({
            "type": "object",
            "properties": {
                "prompt": {"type": "string"},
                "steps": {"type": "integer"},
                "guidance": {"type": "number"},
                "safe": {"type": "boolean"},
                "image_urls": {"type": "array", "items": {"type": "string"}},
                "seeds": {"type": "array", "items": {"type": "integer"}}
            },
            "required": ["prompt"]
        }))
        .unwrap()
    }

    fn words(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn values_are_typed_by_the_schema() {
        let parsed = parse(
            &words(&[
                "prompt=a fox",
                "steps=30",
                "guidance=7.5",
                "safe=no",
                "seeds=1,2,3",
            ]),
            Some(&schema()),
            Map::new(),
        )
        .unwrap();
        assert_eq!(
            Value::Object(parsed.input),
            json!({"prompt": "a fox", "steps": 30, "guidance": 7.5, "safe": false, "seeds": [1, 2, 3]})
        );
    }

    #[test]
    fn unknown_fields_and_unknown_schemas_give_strings() {
        let parsed = parse(&words(&["steps=30", "colour=red"]), None, Map::new()).unwrap();
        assert_eq!(
            Value::Object(parsed.input),
            json!({"steps": "30", "colour": "red"})
        );
    }

    #[test]
    fn values_that_do_not_parse_stay_strings_for_the_api_to_report() {
        let parsed = parse(&words(&["steps=many"]), Some(&schema()), Map::new()).unwrap();
        assert_eq!(parsed.input["steps"], json!("many"));
    }

    #[test]
    fn arrays_accept_json_and_raw_json_overrides_the_schema() {
        let parsed = parse(
            &words(&[r#"image_urls=["https://a/x.png"]"#, r#"steps:="7""#]),
            Some(&schema()),
            Map::new(),
        )
        .unwrap();
        assert_eq!(parsed.input["image_urls"], json!(["https://a/x.png"]));
        assert_eq!(parsed.input["steps"], json!("7"));
    }

    #[test]
    fn at_paths_become_uploads_and_are_filled_with_urls() {
        let mut parsed = parse(
            &words(&["image_urls=@a.jpg,@b.jpg"]),
            Some(&schema()),
            Map::new(),
        )
        .unwrap();
        assert_eq!(parsed.uploads.len(), 2);
        assert_eq!(parsed.uploads[1].path, PathBuf::from("b.jpg"));
        let uploads = parsed.uploads.clone();
        for (i, up) in uploads.iter().enumerate() {
            fill_uploads(
                &mut parsed.input,
                &up.placeholder,
                &format!("https://files/{i}"),
            );
        }
        assert_eq!(
            parsed.input["image_urls"],
            json!(["https://files/0", "https://files/1"])
        );
    }

    #[test]
    fn without_a_schema_a_urls_field_is_still_a_list_of_uploads() {
        let parsed = parse(
            &words(&[
                "image_urls=@a.jpg",
                "image_urls=https://b/c.png",
                "video_url=@v.mp4",
            ]),
            None,
            Map::new(),
        )
        .unwrap();
        assert_eq!(parsed.uploads.len(), 2);
        let first = &parsed.uploads[0].placeholder;
        assert_eq!(
            parsed.input["image_urls"],
            json!([first, "https://b/c.png"])
        );
        assert_eq!(
            parsed.input["video_url"],
            json!(parsed.uploads[1].placeholder)
        );
        let given = parse(&words(&[r#"mask_urls=["https://m"]"#]), None, Map::new()).unwrap();
        assert_eq!(given.input["mask_urls"], json!(["https://m"]));
    }

    #[test]
    fn words_override_the_input_json_base() {
        let base = json!({"prompt": "old", "steps": 2})
            .as_object()
            .cloned()
            .unwrap();
        let parsed = parse(&words(&["prompt=new"]), Some(&schema()), base).unwrap();
        assert_eq!(
            Value::Object(parsed.input),
            json!({"prompt": "new", "steps": 2})
        );
    }

    #[test]
    fn a_word_without_equals_is_an_input_error() {
        let err = parse(&words(&["prompt"]), None, Map::new()).unwrap_err();
        assert_eq!(err.word, "prompt");
        assert!(err.to_string().contains("KEY=VALUE"));
        assert!(parse(&words(&["=x"]), None, Map::new()).is_err());
        assert!(parse(&words(&["a:={"]), None, Map::new()).is_err());
    }

    proptest! {
        #[test]
        fn a_word_parses_to_its_key_and_back_or_is_refused_naming_it(
            word in prop_oneof![
                ".*",
                // Mostly well formed, so that the round trip is exercised.
                (
                    prop_oneof![
                        Just("prompt"), Just("steps"), Just("guidance"), Just("safe"),
                        Just("image_urls"), Just("seeds"), Just("video_url"), Just("x"), Just(""),
                    ],
                    prop_oneof![Just("="), Just(":=")],
                    ".{0,12}",
                )
                    .prop_map(|(key, op, value)| format!("{key}{op}{value}")),
            ]
        ) {
            match parse(std::slice::from_ref(&word), Some(&schema()), Map::new()) {
                Ok(parsed) => {
                    let eq = word.find('=');
                    prop_assert!(eq.is_some(), "{:?} parsed without `=`", word);
                    let key = &word[..eq.unwrap_or_default()];
                    let key = key.strip_suffix(':').unwrap_or(key);
                    prop_assert_eq!(parsed.input.keys().collect::<Vec<_>>(), [key]);
                    // What it parsed to, written back as `KEY:=JSON`, parses
                    // to the same input.
                    let again: Vec<String> = parsed
                        .input
                        .iter()
                        .map(|(k, v)| format!("{k}:={v}"))
                        .collect();
                    let reparsed = parse(&again, Some(&schema()), Map::new());
                    prop_assert_eq!(reparsed.map(|p| p.input), Ok(parsed.input));
                }
                Err(err) => {
                    prop_assert_eq!(&err.word, &word);
                    prop_assert!(err.to_string().contains(&format!("`{word}`")), "{}", err);
                }
            }
        }

        #[test]
        fn string_values_survive_unchanged(value in "[^@].*") {
            let parsed = parse(&[format!("prompt={value}")], Some(&schema()), Map::new()).unwrap();
            prop_assert_eq!(&parsed.input["prompt"], &Value::String(value));
        }
    }
}
