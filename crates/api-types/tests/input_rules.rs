//! The shared input rules against their oracle, a JSON Schema validator on
//! `InputSchema::to_json_schema`, on schemas in the provider's loose
//! spellings. (The mock's unit tests hold them to the exact issues, in
//! order, over its whole catalog.)

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use artificial_studio_types::InputSchema;
use artificial_studio_types::rules::input::{InputRules, IssueOrder};
use proptest::prelude::*;
use serde_json::{Value, json};

/// `create-image`'s `seedream-4`, as the built-in catalog has it.
fn create_image() -> InputSchema {
    serde_json::from_value(json!({
        "type": "object",
        "properties": {
            "prompt": {"type": "string", "label": "Prompt"},
            "image_size": {"type": "string", "enum": ["square_hd", "square", "portrait_4_3",
                "portrait_16_9", "landscape_4_3", "landscape_16_9"], "default": "square_hd"}
        },
        "required": ["prompt"]
    }))
    .unwrap()
}

/// A schema in the provider's looser spellings: `int`, `enum` with
/// `options`, `min`/`max`, `optional`, an unknown type, item types.
fn loose() -> InputSchema {
    serde_json::from_value(json!({
        "type": "object",
        "properties": {
            "prompt": {"type": "string", "minLength": 1, "maxLength": 8},
            "steps": {"type": "int", "min": 1, "max": 50},
            "style": {"type": "enum", "options": [{"label": "Flat", "value": "flat"}, {"label": "Line", "value": "line"}]},
            "duration": {"type": "string", "enum": ["4", "6", "auto"]},
            "seed": {"type": "number", "minimum": 0.5},
            "hd": {"type": "boolean"},
            "mask": {"type": "canvas"},
            "image_urls": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2},
            "sizes": {"type": "array", "items": {"type": "int", "enum": [1, 2]}},
            "extra": {"type": "object"}
        },
        "required": ["prompt", "steps", "hd"]
    }))
    .unwrap()
}

#[test]
fn a_valid_create_image_input_has_no_issues_in_either_order() {
    let schema = create_image();
    let rules = InputRules::new(&schema);
    let input = json!({"model": "seedream-4", "prompt": "a red fox", "image_size": "square"});
    assert!(rules.is_valid(&input));
    assert!(rules.issues(&input, IssueOrder::Service).is_empty());
    assert!(rules.issues(&input, IssueOrder::Schema).is_empty());
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..60).prop_map(|n| json!(n)),
        (-3.0f64..60.0).prop_map(|n| json!(n)),
        Just(json!(2.0)),
        prop_oneof![
            Just("flat"),
            Just("line"),
            Just("4"),
            Just("auto"),
            Just("")
        ]
        .prop_map(|s| json!(s)),
        "[a-z]{0,10}".prop_map(Value::String),
    ];
    leaf.prop_recursive(1, 6, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,2}", inner, 0..2)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Valid for the shared rules exactly when valid for JSON Schema, and
    /// each issue's field is one the validator found at fault.
    #[test]
    fn the_rules_agree_with_json_schema_on_loose_schemas(
        fields in prop::collection::vec(
            (prop_oneof![Just("prompt"), Just("steps"), Just("style"), Just("duration"),
                Just("seed"), Just("hd"), Just("mask"), Just("image_urls"), Just("sizes"),
                Just("extra"), Just("model"), Just("colour")], value()),
            0..8),
    ) {
        let schema = loose();
        let rules = InputRules::new(&schema);
        let oracle = jsonschema::validator_for(&schema.to_json_schema()).unwrap();
        let input = Value::Object(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
        prop_assert_eq!(rules.is_valid(&input), oracle.is_valid(&input), "input {}", input);
        let mut fields: Vec<String> = rules
            .issues(&input, IssueOrder::Schema)
            .into_iter()
            .map(|issue| issue.field)
            .collect();
        let mut at_fault: Vec<String> = oracle
            .iter_errors(&input)
            .map(|e| {
                let mut path = String::from("input");
                for segment in e.instance_path().segments() {
                    path.push('.');
                    path.push_str(&segment.to_string());
                }
                path
            })
            .collect();
        fields.sort();
        fields.dedup();
        at_fault.sort();
        at_fault.dedup();
        // JSON Schema reports an unknown or missing key at the object; the
        // rules at the key itself.
        for field in &fields {
            let parent = field.rsplit_once('.').map_or("", |(p, _)| p);
            prop_assert!(at_fault.contains(field) || at_fault.iter().any(|f| f == parent),
                "{} not in {:?} for {}", field, at_fault, input);
        }
    }
}
