//! `validate_input` promises "the same `ValidationIssue` list the server
//! would". This holds it to that promise against the mock server, which
//! validates with a real JSON Schema validator: for random inputs to every
//! model of the catalog, the issues the client finds before sending are
//! exactly the `input.*` issues the server answers with, message for message,
//! and an input the client passes is one the server accepts.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use artificial_studio::{Client, Error, RetryPolicy, ToolExt, validate_input};
use artificial_studio_mock::{MockServer, RateLimits};
use artificial_studio_types::{InputField, InputFieldType, JsonKind, Tool, ValidationIssue};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

struct World {
    rt: tokio::runtime::Runtime,
    _server: MockServer,
    client: Client,
    tools: Vec<Tool>,
}

/// One mock server for the whole property run (proptest calls the body many
/// times; the server's state is only read and credits are plenty).
fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = rt
            .block_on(
                MockServer::builder()
                    .speed(0.0)
                    .rate_limits(RateLimits::Off)
                    .start(),
            )
            .unwrap();
        let client = Client::builder()
            .api_key(server.demo_keys().pro)
            .base_url(server.base_url())
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let tools = rt.block_on(async {
            let mut tools = Vec::new();
            for summary in client.tools().await.unwrap() {
                tools.push(client.tool(&summary.slug).await.unwrap());
            }
            tools
        });
        World {
            rt,
            _server: server,
            client,
            tools,
        }
    })
}

/// A value that satisfies `field`, when one is easy to make.
fn valid_value(field: &InputField) -> Value {
    if let Some(first) = field.allowed_values().first() {
        return first.clone();
    }
    if let Some(default) = &field.default {
        return default.clone();
    }
    let low = field.lower_bound();
    match field.json_kind() {
        Some(JsonKind::String) | None => json!("a fox"),
        Some(JsonKind::Number) => json!(low.unwrap_or(1.0)),
        Some(JsonKind::Integer) => json!(low.map(|m| m.ceil() as i64).unwrap_or(1)),
        Some(JsonKind::Boolean) => json!(true),
        Some(JsonKind::Object) => json!({}),
        Some(JsonKind::Array) => {
            match field
                .items
                .as_ref()
                .and_then(|i| i.type_.as_ref())
                .and_then(InputFieldType::json_kind)
            {
                Some(JsonKind::String) | None => json!(["https://example.com/a.png"]),
                Some(JsonKind::Integer) | Some(JsonKind::Number) => json!([1]),
                Some(JsonKind::Boolean) => json!([true]),
                Some(JsonKind::Array) => json!([[]]),
                Some(JsonKind::Object) => json!([{}]),
            }
        }
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        (-1.0e6f64..1.0e6).prop_map(|f| json!(f)),
        "[a-z ]{0,12}".prop_map(Value::String),
        "[a-z]{3000,3010}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// What to do to a valid input before sending it.
#[derive(Debug, Clone)]
enum Change {
    Remove(usize),
    Replace(usize, Value),
    Unknown(String, Value),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        any::<usize>().prop_map(Change::Remove),
        (any::<usize>(), any_json()).prop_map(|(i, v)| Change::Replace(i, v)),
        ("[a-z_]{1,8}", any_json()).prop_map(|(k, v)| Change::Unknown(k, v)),
    ]
}

fn sorted(mut issues: Vec<ValidationIssue>) -> Vec<String> {
    issues.sort_by(|a, b| {
        (&a.field, a.code.to_string(), &a.message).cmp(&(&b.field, b.code.to_string(), &b.message))
    });
    issues.iter().map(ToString::to_string).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn client_validation_finds_exactly_the_input_issues_the_server_reports(
        tool_pick in any::<usize>(),
        model_pick in any::<usize>(),
        changes in prop::collection::vec(change(), 0..4),
    ) {
        let world = world();
        let tool = &world.tools[tool_pick % world.tools.len()];
        let model = &tool.models[model_pick % tool.models.len()];
        let schema = tool.input_schema_of(model).unwrap();

        let mut input: Map<String, Value> = schema
            .properties
            .iter()
            .filter(|(name, _)| schema.is_required(name))
            .map(|(name, field)| (name.clone(), valid_value(field)))
            .collect();
        let names: Vec<&String> = schema.properties.keys().collect();
        for change in changes {
            match change {
                Change::Remove(i) if !names.is_empty() => { input.remove(names[i % names.len()]); }
                Change::Replace(i, v) if !names.is_empty() => { input.insert(names[i % names.len()].clone(), v); }
                Change::Unknown(k, v) if !schema.properties.contains_key(&k) && k != "model" => { input.insert(k, v); }
                _ => {}
            }
        }
        input.insert("model".into(), json!(model.slug));
        let input = Value::Object(input);

        let expected = sorted(validate_input(schema, &input));
        let answer = world.rt.block_on(world.client.run(&tool.slug, &input, None));
        match answer {
            Ok(_) => prop_assert!(expected.is_empty(), "server accepted {input}, client found {expected:?}"),
            Err(Error::Api { status: 400, errors, .. }) => {
                let server = sorted(errors.into_iter().filter(|i| i.field.starts_with("input")).collect());
                prop_assert_eq!(expected, server, "input {}", input);
            }
            Err(other) => prop_assert!(false, "unexpected answer for {input}: {other}"),
        }
    }
}
