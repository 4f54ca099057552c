//! The generated types against the spec itself: every example round-trips, the
//! strictness of `RunRequest`, and the seed's status table as `ErrorKind`.

use artificial_studio_types::*;
use serde_json::{Value, json};

fn spec() -> Value {
    serde_saphyr::from_str(OPENAPI_YAML).unwrap_or(Value::Null)
}

/// Deserializes `value` as the named schema's type, serializes it back, and
/// checks nothing was lost or changed.
fn round_trip(schema: &str, value: &Value) -> Result<(), String> {
    macro_rules! dispatch {
        ($($ty:ident),* $(,)?) => {
            match schema {
                // The catalog's per-tool description of the same body.
                "RunRequestByTool" => check::<RunRequest>(value),
                $(stringify!($ty) => check::<$ty>(value),)*
                other => Err(format!("no type for schema {other}: add it to the dispatch list")),
            }
        };
    }
    dispatch!(
        Account,
        CostUnit,
        ErrorBody,
        Generation,
        GenerationList,
        GenerationStatus,
        GenerationType,
        InputField,
        InputFieldItems,
        InputFieldType,
        InputOption,
        InputSchema,
        Pagination,
        Plan,
        RunRequest,
        RunResponse,
        SearchResults,
        Tool,
        ToolList,
        ToolModel,
        ToolSummary,
        UploadedFile,
        UploadedFileType,
        ValidationIssue,
        ValidationIssueCode,
        WebhookPayload,
    )
}

fn check<T>(value: &Value) -> Result<(), String>
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let back = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    let again: T = serde_json::from_value(back.clone()).map_err(|e| e.to_string())?;
    if typed != again {
        return Err(format!("second pass differs: {typed:?} vs {again:?}"));
    }
    if !same_json(value, &back) {
        return Err(format!(
            "serialized form differs:\n  example {value}\n  back    {back}"
        ));
    }
    Ok(())
}

/// JSON equality where two date-time strings for the same instant are equal
/// (`.000Z` and `Z`), numbers are compared as numbers, and a field absent from the example may come back as
/// `null` (a nullable response field reads absent as null and writes null).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.iter()
                .all(|(k, v)| b.get(k).is_some_and(|w| same_json(v, w)))
                && b.iter().all(|(k, w)| a.contains_key(k) || w.is_null())
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same_json(v, w))
        }
        // `cost` is a JSON number that may have a fraction: 6 comes back as 6.0.
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::String(a), Value::String(b)) if a != b => {
            match (
                chrono::DateTime::parse_from_rfc3339(a),
                chrono::DateTime::parse_from_rfc3339(b),
            ) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            }
        }
        _ => a == b,
    }
}

/// Every `(schema name, example)` pair in the spec: schema-level `examples`,
/// and named examples of every JSON body whose schema is a `$ref`.
fn examples(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    if let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            for (i, ex) in schema
                .get("examples")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                out.push((
                    name.clone(),
                    format!("components.schemas.{name}.examples[{i}]"),
                    ex.clone(),
                ));
            }
        }
    }
    walk_media(spec, "", &mut out);
    out
}

fn walk_media(node: &Value, path: &str, out: &mut Vec<(String, String, Value)>) {
    match node {
        Value::Object(map) => {
            if let (Some(reference), Some(examples)) = (
                map.get("schema")
                    .and_then(|s| s.get("$ref"))
                    .and_then(Value::as_str),
                map.get("examples").and_then(Value::as_object),
            ) {
                let name = reference.rsplit('/').next().unwrap_or_default().to_string();
                for (ex_name, ex) in examples {
                    if let Some(value) = ex.get("value") {
                        out.push((
                            name.clone(),
                            format!("{path}.examples.{ex_name}"),
                            value.clone(),
                        ));
                    }
                }
            }
            for (k, v) in map {
                walk_media(v, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_media(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_example_in_the_spec_round_trips_through_its_type() {
    let spec = spec();
    let examples = examples(&spec);
    assert!(
        examples.len() >= 30,
        "found only {} examples",
        examples.len()
    );
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|(schema, at, value)| {
            round_trip(schema, value)
                .err()
                .map(|e| format!("{at} ({schema}): {e}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_schema_in_the_spec_has_a_type_in_the_round_trip_list() {
    let spec = spec();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    assert!(schemas.len() >= 21);
    for name in schemas.keys() {
        let err = round_trip(name, &Value::Null).err().unwrap_or_default();
        assert!(!err.starts_with("no type for schema"), "{err}");
    }
}

#[test]
fn the_spec_names_every_schema_the_contract_requires() {
    let spec = spec();
    for name in [
        "ErrorBody",
        "ValidationIssue",
        "ValidationIssueCode",
        "RunRequest",
        "RunResponse",
        "Generation",
        "GenerationStatus",
        "GenerationType",
        "GenerationList",
        "Pagination",
        "ToolSummary",
        "ToolList",
        "Tool",
        "ToolModel",
        "InputSchema",
        "InputField",
        "SearchResults",
        "Account",
        "Plan",
        "UploadedFile",
        "WebhookPayload",
    ] {
        assert!(
            spec.pointer(&format!("/components/schemas/{name}"))
                .is_some(),
            "{name} missing"
        );
    }
}

#[test]
fn run_request_rejects_an_unknown_top_level_field() {
    let err = serde_json::from_value::<RunRequest>(
        json!({"tool": "create-image", "input": {}, "colour": "red"}),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(err.contains("unknown field `colour`"), "{err}");
}

#[test]
fn run_request_accepts_any_input_object_and_an_optional_webhook() {
    let req: Result<RunRequest, _> =
        serde_json::from_value(json!({"tool": "x", "input": {"anything": [1, {"a": null}]}}));
    assert!(req.is_ok_and(|r| r.webhook.is_none()));
}

#[test]
fn run_request_requires_tool_and_input() {
    assert!(serde_json::from_value::<RunRequest>(json!({"input": {}})).is_err());
    assert!(serde_json::from_value::<RunRequest>(json!({"tool": "create-image"})).is_err());
}

#[test]
fn error_kind_retries_429_and_5xx_but_not_402() {
    assert!(ErrorKind::from_status(429).is_retryable());
    assert!(!ErrorKind::from_status(402).is_retryable());
    for status in [500, 502, 503] {
        assert!(ErrorKind::from_status(status).is_retryable(), "{status}");
    }
    for status in [400, 401, 403, 404] {
        assert!(!ErrorKind::from_status(status).is_retryable(), "{status}");
    }
}

#[test]
fn error_kind_maps_every_status_of_the_table_both_ways() {
    assert!(ErrorKind::ALL.len() >= 9);
    for &kind in ErrorKind::ALL {
        assert_eq!(ErrorKind::from_status(kind.status()), kind);
        assert!(!kind.default_message().is_empty());
        assert!(!kind.advice().is_empty());
        assert!(!matches!(kind, ErrorKind::Other(_)));
    }
}

#[test]
fn error_kind_uses_the_seeds_exact_messages() {
    assert_eq!(
        ErrorKind::PaymentRequired.default_message(),
        "You do not have enough credits to perform this action"
    );
    assert_eq!(
        ErrorKind::TooManyRequests.default_message(),
        "Too many API requests, please try again later"
    );
    assert_eq!(ErrorKind::BadRequest.default_message(), "Validation failed");
    assert_eq!(
        messages::AUTHORIZATION_REQUIRED,
        "Authorization header is required"
    );
    assert_eq!(messages::TOOL_NOT_FOUND, "Tool not found");
    assert_eq!(
        ErrorKind::InternalServerError.advice(),
        "Retry after a few seconds"
    );
    assert_eq!(
        ErrorKind::ServiceUnavailable.advice(),
        "Service is temporarily down, retry later"
    );
}

#[test]
fn unknown_statuses_are_other_and_only_server_errors_retry() {
    assert_eq!(ErrorKind::from_status(418), ErrorKind::Other(418));
    assert!(!ErrorKind::Other(418).is_retryable());
    assert!(ErrorKind::from_status(504).is_retryable());
    assert_eq!(ErrorKind::Other(418).default_message(), "Request failed");
    assert_eq!(ErrorKind::Other(418).status(), 418);
}

#[test]
fn error_body_without_issues_serializes_as_message_alone() {
    let body = serde_json::to_value(ErrorBody::new("Tool not found")).unwrap_or_default();
    assert_eq!(body, json!({"message": "Tool not found"}));
}

#[test]
fn error_body_display_lists_issues_as_field_message_code() {
    let body = ErrorBody::validation(vec![
        ValidationIssue::required("tool"),
        ValidationIssue::new(
            "input.colour",
            "Unrecognized key: 'colour'",
            ValidationIssueCode::UnrecognizedKeys,
        ),
    ]);
    assert_eq!(
        body.to_string(),
        "Validation failed: tool: Required (invalid_type); input.colour: Unrecognized key: 'colour' (unrecognized_keys)"
    );
}

#[test]
fn component_schemas_json_is_the_spec_schemas() {
    let parsed: Value = serde_json::from_str(COMPONENT_SCHEMAS_JSON).unwrap_or_default();
    assert_eq!(Some(&parsed), spec().pointer("/components/schemas"));
}

#[test]
fn only_success_and_error_are_final() {
    let finals: Vec<_> = GenerationStatus::ALL
        .into_iter()
        .filter(|s| s.is_final())
        .collect();
    assert_eq!(finals, [GenerationStatus::Success, GenerationStatus::Error]);
}

#[test]
fn a_status_the_service_adds_later_decodes_and_is_not_final() {
    let generation: Generation = serde_json::from_value(json!({
        "id": "65f1c0ffee0123456789abcd",
        "status": "queued",
        "tool": "create-image",
        "type": "hologram",
        "createdAt": "2026-11-25T14:00:00.000Z",
        "colour": "red"
    }))
    .unwrap();
    assert_eq!(
        generation.status,
        GenerationStatus::Unknown("queued".into())
    );
    assert!(!generation.status.is_final());
    assert_eq!(
        generation.type_,
        Some(GenerationType::Unknown("hologram".into()))
    );
    assert_eq!(generation.error, None);
    assert!(generation.payload.is_empty());
    let back = serde_json::to_value(&generation).unwrap();
    assert_eq!(
        back["status"], "queued",
        "an unknown value is written back as it came"
    );
    assert_eq!(
        back["error"],
        Value::Null,
        "a nullable field is written as null"
    );
}

#[test]
fn every_open_enum_reads_unknown_values_and_writes_them_back() {
    fn check<T>(known: &str)
    where
        T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Display,
    {
        for text in [known, "something-new"] {
            let value: T = serde_json::from_value(json!(text)).unwrap();
            assert_eq!(value.to_string(), text);
            assert_eq!(serde_json::to_value(&value).unwrap(), json!(text));
        }
        assert!(
            serde_json::from_value::<T>(json!(3)).is_err(),
            "a number is not a string"
        );
    }
    check::<GenerationStatus>("success");
    check::<GenerationType>("object");
    check::<Plan>("pro");
    check::<UploadedFileType>("audio");
    check::<ValidationIssueCode>("too_big");
    check::<InputFieldType>("int");
    check::<CostUnit>("second");
    assert!(GenerationStatus::from("pending").as_str() == "pending");
    assert!(!GenerationStatus::Pending.is_unknown());
    assert!(GenerationStatus::from("later").is_unknown());
}

#[test]
fn provider_input_schemas_read_as_strict_json_schema() {
    let schema: InputSchema = serde_json::from_value(json!({
        "type": "object",
        "properties": {
            "prompt": {"type": "string"},
            "duration": {"type": "int", "min": 1, "max": 10},
            "codec": {"type": "enum", "enum": ["webm_vp9", "mp4_h264"]},
            "quality": {"type": "enum", "options": [{"label": "High", "value": "hq"}]},
            "loop": {"type": "boolean", "optional": true},
            "style": {"type": "colour"}
        },
        "required": ["prompt", "loop"]
    }))
    .unwrap();
    assert!(schema.is_required("prompt"));
    assert!(
        !schema.is_required("loop"),
        "`optional` wins over `required`"
    );
    let strict = schema.to_json_schema();
    assert_eq!(strict["required"], json!(["prompt"]));
    assert_eq!(
        strict["properties"]["duration"],
        json!({"type": "integer", "minimum": 1.0, "maximum": 10.0})
    );
    assert_eq!(
        strict["properties"]["codec"],
        json!({"enum": ["webm_vp9", "mp4_h264"]})
    );
    assert_eq!(strict["properties"]["quality"], json!({"enum": ["hq"]}));
    assert_eq!(
        strict["properties"]["style"],
        json!({}),
        "an unknown type checks nothing"
    );
    assert_eq!(strict["properties"]["model"], json!({"type": "string"}));
    assert_eq!(strict["additionalProperties"], json!(false));
    let quality = &schema.properties["quality"];
    assert_eq!(quality.label_of(&json!("hq")), Some("High"));
}

#[test]
fn media_fields_follow_the_providers_rule() {
    let field = |v: Value| serde_json::from_value::<InputField>(v).unwrap();
    assert!(field(json!({"type": "array", "inputType": "gallery"})).is_media("refs"));
    assert!(field(json!({"type": "string", "fileType": "audio"})).is_media("track"));
    assert!(field(json!({"type": "string"})).is_media("end_image_url"));
    assert!(field(json!({"type": "array"})).is_media("image_urls"));
    assert!(!field(json!({"type": "string"})).is_media("prompt"));
}

#[test]
fn every_run_example_fits_the_catalogs_described_inputs() {
    let spec = spec();
    let schemas = spec
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_default();
    let root = json!({
        "$ref": "#/components/schemas/RunRequestByTool",
        "components": { "schemas": schemas },
    });
    let validator = jsonschema::validator_for(&root).unwrap();
    let examples = spec
        .pointer("/paths/~1api~1run/post/requestBody/content/application~1json/examples")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    assert!(examples.len() >= 2);
    for (name, example) in examples {
        let value = &example["value"];
        assert!(validator.is_valid(value), "{name}: {value}");
    }
    // What the catalog does not offer is refused.
    for bad in [
        json!({"tool": "create-image", "input": {"prompt": "p", "colour": "red"}}),
        json!({"tool": "create-image", "input": {"prompt": "p", "model": "no-such-model"}}),
        json!({"tool": "no-such-tool", "input": {}}),
        json!({"tool": "text-to-speech", "input": {"prompt": "p", "voice": "bob"}}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
}
