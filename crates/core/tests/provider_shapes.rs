//! Every body of the provider-shaped fixture corpus (`tests/fixtures/provider`)
//! decodes into the client's types, and the client reads what matters in it:
//! the looser input schemas, prices with units, open enums.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use artificial_studio::ToolExt;
use artificial_studio::types::*;
use serde_json::{Value, json};

fn corpus() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/provider");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

fn body_of(name: &str) -> Value {
    corpus()
        .into_iter()
        .find(|(file, _)| file == name)
        .map(|(_, fixture)| fixture["body"].clone())
        .unwrap()
}

fn decode<T: serde::de::DeserializeOwned>(body: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(body.clone())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn every_provider_shaped_body_decodes_as_its_type() {
    let corpus = corpus();
    assert!(corpus.len() >= 15, "the corpus has {} files", corpus.len());
    for (name, fixture) in corpus {
        assert!(
            fixture["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{name} names no source"
        );
        let body = &fixture["body"];
        let decoded = match fixture["type"].as_str().unwrap() {
            "RunResponse" => decode::<RunResponse>(body),
            "Generation" => decode::<Generation>(body),
            "GenerationList" => decode::<GenerationList>(body),
            "ToolList" => decode::<ToolList>(body),
            "Tool" => decode::<Tool>(body),
            "SearchResults" => decode::<SearchResults>(body),
            "Account" => decode::<Account>(body),
            "UploadedFile" => decode::<UploadedFile>(body),
            "WebhookPayload" => decode::<WebhookPayload>(body),
            other => Err(format!("no type {other} in the test's list")),
        };
        assert_eq!(decoded, Ok(()), "{name}");
    }
}

#[test]
fn the_quick_starts_finished_generation_has_no_error_and_no_payload() {
    let generation: Generation =
        serde_json::from_value(body_of("generation-success-quickstart.json")).unwrap();
    assert_eq!(generation.status, GenerationStatus::Success);
    assert_eq!(generation.error, None);
    assert!(generation.payload.is_empty());
    assert_eq!(generation.type_, Some(GenerationType::Image));
}

#[test]
fn the_n8n_fixture_tool_validates_as_the_node_reads_it() {
    let tool: Tool = serde_json::from_value(body_of("tool-n8n-fixture.json")).unwrap();
    assert_eq!(tool.description, None);
    assert_eq!(
        tool.models[0].cost_unit, None,
        "no costUnit: one generation"
    );
    let ok = json!({"prompt": "waves", "image_urls": ["https://x/a.png"], "seed": 3, "codec": "mp4_h264"});
    assert!(tool.validate_input(None, &ok).is_ok());
    // `codec` is an `enum` field: its values (from `enum` or `options`) are checked.
    let err = tool
        .validate_input(
            None,
            &json!({"prompt": "w", "image_urls": [], "seed": 1, "codec": "avi"}),
        )
        .unwrap_err();
    let issues: Vec<String> = err
        .validation_errors()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        issues,
        [
            "input.codec: Invalid enum value. Expected 'webm_vp9' | 'mp4_h264', received 'avi' (invalid_enum_value)"
        ]
    );
    // `audio_url` is listed nowhere as required; `loop` is optional: neither is asked for.
    let err = tool.validate_input(None, &json!({})).unwrap_err();
    let missing: Vec<&str> = err
        .validation_errors()
        .iter()
        .map(|i| i.field.as_str())
        .collect();
    assert_eq!(missing, ["input.prompt", "input.image_urls", "input.seed"]);
    let schema = tool.input_schema_of(&tool.models[0]).unwrap();
    let media: Vec<&str> = schema
        .properties
        .iter()
        .filter(|(name, field)| field.is_media(name))
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(media, ["image_urls", "audio_url"]);
}

#[test]
fn int_fields_want_integers_and_unknown_field_types_pass_unchecked() {
    let mut tool: Tool = serde_json::from_value(body_of("tool-per-second.json")).unwrap();
    assert_eq!(tool.models[0].cost_unit, Some(CostUnit::Second));
    let input = json!({"prompt": "p", "image_url": "https://x/a.png", "seed": 1.5});
    let err = tool.validate_input(None, &input).unwrap_err();
    assert_eq!(
        err.validation_errors()[0].to_string(),
        "input.seed: Expected integer, received float (invalid_type)"
    );
    // A field type the client does not know checks nothing.
    let schema = tool.models[0].input_schema.as_mut().unwrap();
    schema.properties["seed"].type_ = Some(InputFieldType::from("timecode"));
    assert!(tool.validate_input(None, &input).is_ok());
}

#[test]
fn a_model_without_a_schema_uses_the_tools_own() {
    let tool: Tool = serde_json::from_value(body_of("tool-level-schema.json")).unwrap();
    let err = tool.validate_input(None, &json!({})).unwrap_err();
    assert_eq!(err.validation_errors()[0].field, "input.image_url");
    assert!(
        tool.validate_input(None, &json!({"image_url": "https://x/a.png"}))
            .is_ok()
    );
}

#[test]
fn both_upload_answers_decode() {
    let multipart: UploadedFile = serde_json::from_value(body_of("upload-multipart.json")).unwrap();
    assert_eq!(multipart.type_, Some(UploadedFileType::Image));
    let raw: UploadedFile = serde_json::from_value(body_of("upload-raw.json")).unwrap();
    assert_eq!(raw.type_, None);
    assert_eq!(raw.mimetype.as_deref(), Some("model/gltf-binary"));
    assert_eq!(raw.size, Some(2048));
}
