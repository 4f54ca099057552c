//! The catalog endpoints and the served spec.

use artificial_studio_types::{SearchResults, Tool, ToolList};

use crate::support::*;

#[tokio::test]
async fn tools_are_listed_as_data_summaries() {
    let (_server, api) = fast_server().await;
    let answer = api.get("/api/tools", FREE).await;
    assert_eq!(answer.status, 200);
    let list: ToolList = serde_json::from_value(answer.body).unwrap();
    assert_eq!(list.data.len(), 16);
    assert_eq!(list.data[0].slug, "create-image");
}

#[tokio::test]
async fn one_tool_comes_with_its_models_costs_and_input_schemas() {
    let (_server, api) = fast_server().await;
    let answer = api.get("/api/tools/create-image", FREE).await;
    let tool: Tool = serde_json::from_value(answer.body).unwrap();
    assert_eq!(tool.models[0].slug, "seedream-4");
    assert_eq!(tool.models[0].cost, Some(6.0));
    let schema = tool.models[0].input_schema.as_ref().unwrap();
    assert_eq!(schema.required, ["prompt"]);
}

#[tokio::test]
async fn search_matches_slug_name_and_description() {
    let (_server, api) = fast_server().await;
    let answer = api.get("/api/search?q=speech", FREE).await;
    let found: SearchResults = serde_json::from_value(answer.body).unwrap();
    let slugs: Vec<_> = found.data.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["text-to-speech", "audio-to-text"]);
    assert!(!found.data[0].models.is_empty());
    let none = api.get("/api/search?q=submarine", FREE).await;
    assert_eq!(none.body["data"], serde_json::json!([]));
}

#[tokio::test]
async fn openapi_yaml_is_served_without_a_key() {
    let (_server, api) = fast_server().await;
    let answer = api
        .send(api.request(reqwest::Method::GET, "/openapi.yaml", None))
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/yaml"));
    assert_eq!(
        &answer.bytes[..],
        artificial_studio_types::OPENAPI_YAML.as_bytes()
    );
}
