//! The catalog endpoints and the served spec.

use artificial_studio_types::{CostUnit, SearchResults, Tool, ToolList};

use crate::support::*;

#[tokio::test]
async fn tools_are_listed_as_data_summaries() {
    let (_server, api) = fast_server().await;
    let answer = api.get("/api/tools", FREE).await;
    assert_eq!(answer.status, 200);
    let list: ToolList = serde_json::from_value(answer.body).unwrap();
    // The 35 tools the provider lists (its skills repository).
    assert_eq!(list.data.len(), 35);
    assert_eq!(list.data[0].slug, "create-image");
    for slug in [
        "extend-image",
        "try-clothes",
        "motion-transfer",
        "drum-generator",
        "motion-3d",
        "text-extractor",
    ] {
        assert!(list.data.iter().any(|t| t.slug == slug), "{slug}");
    }
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
    let photon = tool
        .models
        .iter()
        .find(|m| m.slug == "luma-photon-flash")
        .unwrap();
    assert_eq!(photon.cost, Some(1.0));
    let aspect = &photon.input_schema.as_ref().unwrap().properties["aspect_ratio"];
    assert_eq!(aspect.default, Some(serde_json::json!("4:3")));
}

#[tokio::test]
async fn video_models_are_priced_per_second_some_by_resolution() {
    let (_server, api) = fast_server().await;
    let answer = api.get("/api/tools/animate-image", FREE).await;
    let tool: Tool = serde_json::from_value(answer.body).unwrap();
    for model in &tool.models {
        assert_eq!(model.cost_unit, Some(CostUnit::Second), "{}", model.slug);
        // Animate-image models take one image as `image_url`, not `image_urls`.
        let schema = model.input_schema.as_ref().unwrap();
        assert!(schema.is_required("image_url"), "{}", model.slug);
        assert!(
            !schema.properties.contains_key("image_urls"),
            "{}",
            model.slug
        );
    }
    let veo = tool
        .models
        .iter()
        .find(|m| m.slug == "veo3-1-image-to-video")
        .unwrap();
    assert_eq!(veo.cost, Some(80.0));
    assert_eq!(veo.cost_by_resolution.get("4k"), Some(&120.0));
    let schema = veo.input_schema.as_ref().unwrap();
    assert!(!schema.is_required("end_image_url"));
    assert_eq!(
        schema.properties["duration"].default,
        Some(serde_json::json!("8"))
    );
    let answer = api.get("/api/tools/create-video", FREE).await;
    let tool: Tool = serde_json::from_value(answer.body).unwrap();
    let fast = tool
        .models
        .iter()
        .find(|m| m.slug == "veo3-fast-text-to-video")
        .unwrap();
    assert_eq!(
        (fast.cost, fast.cost_unit.clone()),
        (Some(30.0), Some(CostUnit::Second))
    );
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
