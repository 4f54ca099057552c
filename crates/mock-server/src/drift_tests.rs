//! Tests of `drift`.

use serde_json::json;

use super::*;

fn drift() -> &'static Drift {
    Drift::builtin().unwrap()
}

/// `value` drifted as schema `name` of the spec.
fn drifted(name: &str, mut value: Value, kind: Kind) -> Value {
    let schema = json!({ "$ref": format!("{SCHEMA_REF}{name}") });
    drift().apply(&schema, &mut value, kind);
    value
}

fn generation(status: &str) -> Value {
    json!({
        "id": "65f1c0ffee0123456789abcd",
        "status": status,
        "tool": "create-image",
        "type": "image",
        "output": null,
        "thumbnail": null,
        "error": null,
        "payload": {"prompt": "a fox"},
        "createdAt": "2026-11-25T14:00:00.000Z",
    })
}

#[test]
fn a_generation_loses_its_optional_fields_and_gains_an_unknown_one() {
    let value = drifted("Generation", generation("processing"), Kind::Success);
    assert_eq!(
        value,
        json!({
            "id": "65f1c0ffee0123456789abcd",
            "status": "processing-drift",
            "tool": "create-image",
            "createdAt": "2026-11-25T14:00:00.000Z",
            "driftNote": DRIFT_NOTE,
        })
    );
}

#[test]
fn a_status_that_is_not_final_becomes_unknown_and_a_final_one_stays() {
    for (status, after) in [
        ("pending", "pending-drift"),
        ("processing", "processing-drift"),
        ("uploading", "uploading-drift"),
        ("success", "success"),
        ("error", "error"),
        ("queued", "queued"),
    ] {
        let value = drifted("Generation", generation(status), Kind::Success);
        assert_eq!(value["status"], after, "{status}");
        assert!(!GenerationStatus::from(after).is_final() || status == after);
    }
}

#[test]
fn a_success_keeps_its_output_but_not_its_thumbnail_type_error_or_payload() {
    let mut success = generation("success");
    success["output"] = json!("http://127.0.0.1:1/outputs/a.png");
    success["thumbnail"] = json!("http://127.0.0.1:1/thumbnails/a.png");
    let value = drifted("Generation", success, Kind::Success);
    assert_eq!(value["status"], "success");
    assert_eq!(value["output"], "http://127.0.0.1:1/outputs/a.png");
    for gone in ["thumbnail", "type", "error", "payload"] {
        assert!(value.get(gone).is_none(), "{gone} is left out: {value}");
    }
}

#[test]
fn required_fields_are_always_kept_in_every_response_schema() {
    // Every schema of the spec with listed properties, filled with a value
    // for each property: the required ones survive, the others go.
    for (name, schema) in &drift().schemas {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let value: Map<String, Value> = properties
            .keys()
            .map(|key| (key.clone(), json!(null)))
            .collect();
        let after = drifted(name, Value::Object(value), Kind::Success);
        for key in properties.keys() {
            assert_eq!(
                after.get(key).is_some(),
                required.contains(&key.as_str()),
                "{name}.{key}: {after}"
            );
        }
        assert_eq!(after[DRIFT_FIELD], DRIFT_NOTE, "{name}");
    }
}

#[test]
fn a_list_drifts_each_item_and_drops_its_optional_pagination() {
    let list = json!({
        "data": [generation("processing"), generation("success")],
        "pagination": {"total": 2, "limit": 20, "offset": 0, "hasMore": false},
    });
    let value = drifted("GenerationList", list, Kind::Success);
    assert!(value.get("pagination").is_none());
    assert_eq!(value["data"][0]["status"], "processing-drift");
    assert_eq!(value["data"][1]["status"], "success");
    assert_eq!(value["data"][1][DRIFT_FIELD], DRIFT_NOTE);
    assert_eq!(value[DRIFT_FIELD], DRIFT_NOTE);
}

#[test]
fn an_account_keeps_every_field_and_shows_an_unknown_plan() {
    let account = json!({
        "id": "a", "email": "free@example.com", "credits": 100, "plan": "free",
        "createdAt": "2026-01-01T00:00:00Z",
    });
    let value = drifted("Account", account, Kind::Success);
    assert_eq!(value["plan"], "free-drift");
    assert_eq!(value["credits"], 100);
    assert_eq!(value[DRIFT_FIELD], DRIFT_NOTE);
}

#[test]
fn maps_are_walked_without_gaining_keys_and_free_form_objects_are_untouched() {
    // An input schema kept whole (as `Error` keeps everything): its
    // `properties` map gets no `driftNote` key, each field does.
    let schema = json!({
        "type": "object",
        "properties": {"prompt": {"type": "string"}, "size": {"type": "enum", "enum": ["a"]}},
        "required": ["prompt"],
    });
    let value = drifted("InputSchema", schema, Kind::Error);
    let fields = value["properties"].as_object().unwrap();
    assert_eq!(fields.keys().collect::<Vec<_>>(), ["prompt", "size"]);
    assert_eq!(fields["size"][DRIFT_FIELD], DRIFT_NOTE);
    assert_eq!(fields["size"]["enum"], json!(["a"]));
    // As a success, a field's optional `type` goes like any other.
    let value = drifted(
        "InputSchema",
        json!({"properties": {"prompt": {"type": "string"}}}),
        Kind::Success,
    );
    assert_eq!(value, json!({"driftNote": DRIFT_NOTE}));
    // The tool's `inputSchema` is `oneOf` [InputSchema, null]: null stays.
    let tool = json!({"slug": "t", "name": "T", "inputSchema": null});
    let value = drifted("Tool", tool, Kind::Error);
    assert_eq!(value["inputSchema"], Value::Null);
}

#[test]
fn an_error_body_keeps_its_message_and_issues_and_only_gains_the_unknown_field() {
    let body = json!({
        "message": "Validation failed",
        "errors": [{"field": "tool", "message": "Required", "code": "invalid_type"}],
    });
    let value = drifted("ErrorBody", body, Kind::Error);
    assert_eq!(
        value,
        json!({
            "message": "Validation failed",
            "errors": [{
                "field": "tool", "message": "Required", "code": "invalid_type",
                "driftNote": DRIFT_NOTE,
            }],
            "driftNote": DRIFT_NOTE,
        })
    );
}

#[test]
fn answers_are_found_by_route_and_status_in_the_spec_paths() {
    let d = drift();
    let schema_of = |method, path, status| {
        d.response_schema(method, path, status)
            .map(|(schema, kind)| (schema["$ref"].as_str().unwrap_or("inline"), kind))
    };
    let generation = "#/components/schemas/Generation";
    let error = "#/components/schemas/ErrorBody";
    assert_eq!(
        schema_of("GET", "/api/generations/abc", 200),
        Some((generation, Kind::Success))
    );
    assert_eq!(
        schema_of("POST", "/api/run", 202),
        Some(("#/components/schemas/RunResponse", Kind::Success))
    );
    assert_eq!(
        schema_of("POST", "/files", 201),
        Some(("#/components/schemas/UploadedFile", Kind::Success))
    );
    assert_eq!(
        schema_of("GET", "/api/tools/x", 404),
        Some((error, Kind::Error))
    );
    assert_eq!(
        schema_of("GET", "/api/account", 418),
        Some((error, Kind::Error))
    );
    assert_eq!(schema_of("GET", "/api/run", 200), None, "no such operation");
    assert_eq!(schema_of("GET", "/api/generations/a/b", 200), None);
    assert_eq!(schema_of("GET", "/__mock/journal", 200), None);
    assert_eq!(schema_of("GET", "/outputs/a.png", 200), None);
}

#[test]
fn drift_is_deterministic() {
    let once = drifted(
        "GenerationList",
        json!({"data": [generation("pending")]}),
        Kind::Success,
    );
    let again = drifted(
        "GenerationList",
        json!({"data": [generation("pending")]}),
        Kind::Success,
    );
    assert_eq!(once, again);
    assert_eq!(
        serde_json::to_string(&once).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
}

#[test]
fn a_spec_that_cannot_be_read_is_refused_and_odd_schemas_drift_nothing() {
    assert!(Drift::from_openapi("openapi: [").is_err());
    assert!(Drift::from_openapi("openapi: 3.1.0").is_err());
    let mut value = json!({"a": 1});
    drift().apply(
        &json!({"$ref": "#/components/schemas/Nope"}),
        &mut value,
        Kind::Success,
    );
    drift().apply(&json!({"$ref": 7}), &mut value, Kind::Success);
    assert_eq!(value, json!({"a": 1}));
}
