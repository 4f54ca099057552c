//! The part of `spec/openapi.yaml` that `cargo xtask codegen` writes from
//! `spec/catalog.yaml`: `RunRequestByTool`, the body of `POST /api/run` with
//! each tool's and model's `input` described, so that an OpenAPI tool
//! (schemathesis) generates only inputs the mock's catalog accepts, and knows
//! what it must refuse.
//!
//! The block sits between two marker lines in the spec's
//! `components.schemas`; everything else in the spec is written by hand.
//! Each model's input is read with the same function the client and the mock
//! use ([`provider_schema::strict_input_schema`], compiled here from its
//! source file so that codegen never depends on the generated types).

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Map, Value, json};

#[path = "../../crates/api-types/src/provider_schema.rs"]
#[allow(dead_code)]
mod provider_schema;

/// Where the catalog lives, relative to the workspace root.
pub const CATALOG_PATH: &str = "spec/catalog.yaml";

const BEGIN: &str = "    # BEGIN RunRequestByTool: written from spec/catalog.yaml by `cargo xtask codegen`; do not edit by hand.";
const END: &str = "    # END RunRequestByTool";

/// The spec with its generated block written anew from `catalog_yaml`.
pub fn update_spec(spec: &str, catalog_yaml: &str) -> Result<String> {
    let begin = spec
        .find(BEGIN)
        .ok_or_else(|| anyhow!("the spec has no line `{}`", BEGIN.trim()))?;
    let end = spec
        .find(END)
        .ok_or_else(|| anyhow!("the spec has no line `{}`", END.trim()))?;
    if end < begin {
        bail!("the spec's RunRequestByTool markers are out of order");
    }
    let block = block(catalog_yaml)?;
    Ok(format!(
        "{}{BEGIN}\n{block}{}",
        &spec[..begin],
        &spec[end..]
    ))
}

/// The YAML of `RunRequestByTool`, indented to sit under `components.schemas`.
fn block(catalog_yaml: &str) -> Result<String> {
    let catalog: Value =
        serde_saphyr::from_str(catalog_yaml).context("parsing spec/catalog.yaml")?;
    let tools = catalog
        .get("tools")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow!("spec/catalog.yaml has no `tools` list"))?;
    let mut by_tool = Vec::with_capacity(tools.len());
    for tool in tools {
        by_tool.push(tool_request(tool)?);
    }
    let schema = json!({
        "RunRequestByTool": {
            "description": "The body of `POST /api/run` for each tool of the mock's built-in catalog (`spec/catalog.yaml`), with each model's `input` as its `inputSchema` reads (the provider's spellings made strict). The first model of a tool is its default: its `input.model` may be left out. `RunRequest` is the same body with `input` left free-form.",
            "x-generated-from": "spec/catalog.yaml",
            "oneOf": by_tool,
        }
    });
    let yaml = serde_saphyr::to_string(&schema).context("writing the block as YAML")?;
    let mut out = String::new();
    for line in yaml.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// The request body for one tool: its slug, one `input` per model, a webhook.
fn tool_request(tool: &Value) -> Result<Value> {
    let slug = tool
        .get("slug")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("a tool of the catalog has no slug"))?;
    let models = tool
        .get("models")
        .and_then(Value::as_array)
        .filter(|models| !models.is_empty())
        .ok_or_else(|| anyhow!("tool {slug} has no models"))?;
    let mut inputs = Vec::with_capacity(models.len());
    for (index, model) in models.iter().enumerate() {
        let model_slug = model
            .get("slug")
            .and_then(Value::as_str)
            .ok_or_else(|| anyhow!("a model of {slug} has no slug"))?;
        let schema = model
            .get("inputSchema")
            .or_else(|| tool.get("inputSchema"))
            .ok_or_else(|| anyhow!("{slug}/{model_slug} has no inputSchema"))?;
        let mut input = provider_schema::strict_input_schema(schema);
        let object = input
            .as_object_mut()
            .ok_or_else(|| anyhow!("{slug}/{model_slug}: the schema is not an object"))?;
        object.insert(
            "title".into(),
            Value::String(format!("{slug} / {model_slug}")),
        );
        if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
            properties.insert(
                "model".into(),
                json!({ "type": "string", "enum": [model_slug] }),
            );
        }
        // The default model may be left out; any other is chosen by name.
        if index > 0
            && let Some(required) = object.get_mut("required").and_then(Value::as_array_mut)
        {
            required.push(Value::String("model".into()));
        }
        inputs.push(input);
    }
    let mut properties = Map::new();
    properties.insert("tool".into(), json!({ "type": "string", "enum": [slug] }));
    properties.insert("input".into(), json!({ "oneOf": inputs }));
    properties.insert(
        "webhook".into(),
        json!({
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": ["string", "null"],
            "format": "uri",
            "pattern": "^https://",
        }),
    );
    Ok(json!({
        "title": slug,
        "type": "object",
        "additionalProperties": false,
        "required": ["tool", "input"],
        "properties": properties,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = "tools:\n  - slug: t\n    name: T\n    type: image\n    outputType: image\n    models:\n      - slug: a\n        name: A\n        cost: 1\n        inputSchema:\n          type: object\n          properties:\n            n: {type: int, optional: true}\n          required: [n]\n      - slug: b\n        name: B\n        cost: 2\n        inputSchema: {type: object, properties: {}}\n";

    #[test]
    fn each_model_gets_an_input_and_only_the_default_may_leave_out_model() {
        let text = block(CATALOG).unwrap();
        let parsed: Value = serde_saphyr::from_str(&text).unwrap();
        let tool = &parsed["RunRequestByTool"]["oneOf"][0];
        assert_eq!(tool["properties"]["tool"]["enum"], json!(["t"]));
        let inputs = &tool["properties"]["input"]["oneOf"];
        assert_eq!(
            inputs[0]["required"],
            json!([]),
            "`optional` wins over `required`"
        );
        assert_eq!(inputs[0]["properties"]["n"]["type"], "integer");
        assert_eq!(inputs[1]["required"], json!(["model"]));
        assert_eq!(inputs[1]["properties"]["model"]["enum"], json!(["b"]));
    }

    #[test]
    fn the_block_is_written_between_its_markers_only() {
        let spec = format!("a\n{BEGIN}\nold\n{END}\nb\n");
        let updated = update_spec(&spec, CATALOG).unwrap();
        assert!(updated.starts_with(&format!("a\n{BEGIN}\n    RunRequestByTool:")));
        assert!(updated.ends_with(&format!("{END}\nb\n")));
        assert!(!updated.contains("old"));
        assert!(update_spec("no markers", CATALOG).is_err());
    }
}
