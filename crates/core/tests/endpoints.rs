//! Each endpoint sends the request the spec describes and reads its answer.

// Helpers here panic on purpose: in a test, a panic is a failed assertion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use artificial_studio::types::GenerationStatus;
use artificial_studio::{Error, ListParams};
use common::*;
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::matchers::{body_json, header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::test]
async fn the_key_is_sent_raw_without_bearer_with_a_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/account"))
        .and(header("authorization", KEY))
        .and(header("accept", "application/json"))
        .and(header_exists("user-agent"))
        .respond_with(ResponseTemplate::new(200).set_body_json(account()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server.uri()).account().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let agent = request.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(agent.starts_with("artificial-studio-rust/"), "{agent}");
}

#[tokio::test]
async fn a_custom_user_agent_replaces_the_default() {
    let server = MockServer::start().await;
    Mock::given(header("user-agent", "astudio/9.9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(account()))
        .expect(1)
        .mount(&server)
        .await;
    builder(&server.uri())
        .user_agent("astudio/9.9")
        .build()
        .unwrap()
        .account()
        .await
        .unwrap();
}

#[tokio::test]
async fn run_posts_tool_input_and_webhook_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/run"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "tool": "text-to-speech",
            "input": {"prompt": "Hello there", "voice": "nova"},
            "webhook": "https://example.com/hook"
        })))
        .respond_with(ResponseTemplate::new(202).set_body_json(run_response(ID)))
        .expect(1)
        .mount(&server)
        .await;
    let started = client(&server.uri())
        .run(
            "text-to-speech",
            json!({"prompt": "Hello there", "voice": "nova"}),
            Some("https://example.com/hook"),
        )
        .await
        .unwrap();
    assert_eq!(started.id, ID);
    assert_eq!(started.status, GenerationStatus::Processing);
}

#[tokio::test]
async fn run_without_a_webhook_sends_no_webhook_field() {
    let server = MockServer::start().await;
    Mock::given(body_json(
        json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
    ))
    .respond_with(ResponseTemplate::new(202).set_body_json(run_response(ID)))
    .expect(1)
    .mount(&server)
    .await;
    client(&server.uri())
        .run("create-image", json!({"prompt": "a fox"}), None)
        .await
        .unwrap();
}

#[derive(serde::Serialize)]
struct SpeechInput<'a> {
    prompt: &'a str,
    voice: &'a str,
}

#[tokio::test]
async fn run_takes_any_serializable_struct_as_input() {
    let server = MockServer::start().await;
    Mock::given(body_json(
        json!({"tool": "text-to-speech", "input": {"prompt": "Hi", "voice": "echo"}}),
    ))
    .respond_with(ResponseTemplate::new(202).set_body_json(run_response(ID)))
    .expect(1)
    .mount(&server)
    .await;
    client(&server.uri())
        .run(
            "text-to-speech",
            SpeechInput {
                prompt: "Hi",
                voice: "echo",
            },
            None,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn run_refuses_an_empty_tool_and_an_http_webhook_without_sending() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let empty = client
        .run("", json!({"prompt": "a fox"}), None)
        .await
        .unwrap_err();
    assert!(matches!(empty, Error::InvalidRequest { .. }));
    assert_eq!(empty.validation_errors()[0].field, "tool");
    for hook in ["http://example.com/hook", "not a url", "ftp://example.com"] {
        let err = client
            .run("create-image", json!({"prompt": "a fox"}), Some(hook))
            .await
            .unwrap_err();
        assert_eq!(err.validation_errors()[0].field, "webhook", "{hook}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn generation_reads_one_generation_by_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/generations/{ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(generation(ID, "success")))
        .mount(&server)
        .await;
    let generation = client(&server.uri()).generation(ID).await.unwrap();
    assert_eq!(generation.status, GenerationStatus::Success);
    assert!(generation.output.unwrap().ends_with(".png"));
}

#[tokio::test]
async fn ids_are_escaped_and_empty_ids_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/api/generations/a%2F..%2Faccount"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "Generation not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let err = client.generation("a/../account").await.unwrap_err();
    assert_eq!(err.to_string(), "404 Not Found: Generation not found");
    for bad in ["", "..", "."] {
        assert!(matches!(
            client.generation(bad).await,
            Err(Error::InvalidRequest { .. })
        ));
        assert!(matches!(
            client.tool(bad).await,
            Err(Error::InvalidRequest { .. })
        ));
    }
}

#[tokio::test]
async fn generations_sends_limit_offset_and_status() {
    let server = MockServer::start().await;
    Mock::given(path("/api/generations"))
        .and(query_param("limit", "5"))
        .and(query_param("offset", "10"))
        .and(query_param("status", "success"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [generation(ID, "success")],
            "pagination": {"total": 11, "limit": 5, "offset": 10, "hasMore": false}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server.uri())
        .generations(
            &ListParams::new()
                .limit(5)
                .offset(10)
                .status(GenerationStatus::Success),
        )
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.pagination.unwrap().total, Some(11));
}

#[tokio::test]
async fn a_page_size_out_of_the_contracts_bounds_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(path("/api/generations"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    for (limit, issue) in [
        (
            0,
            "limit: Number must be greater than or equal to 1 (too_small)",
        ),
        (
            101,
            "limit: Number must be less than or equal to 100 (too_big)",
        ),
    ] {
        let err = client(&server.uri())
            .generations(&ListParams::new().limit(limit))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
        assert_eq!(err.validation_errors()[0].to_string(), issue);
    }
}

/// A server holding `total` generations, answering pages as the API does.
async fn paged_server(total: usize) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/api/generations"))
        .respond_with(move |request: &Request| {
            let param = |name: &str| {
                request.url.query_pairs().find(|(k, _)| k == name).and_then(|(_, v)| v.parse::<usize>().ok())
            };
            let limit = param("limit").unwrap_or(20);
            let offset = param("offset").unwrap_or(0);
            let data: Vec<_> = (offset..total.min(offset + limit)).map(|i| generation(&format!("{i:024x}"), "success")).collect();
            ResponseTemplate::new(200).set_body_json(json!({
                "data": data,
                "pagination": {"total": total, "limit": limit, "offset": offset, "hasMore": offset + limit < total}
            }))
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_stream_walks_every_page_in_order() {
    let server = paged_server(23).await;
    let all: Vec<_> = client(&server.uri())
        .generations_stream(ListParams::new().limit(5))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = all.iter().map(|g| g.id.clone()).collect();
    let expected: Vec<String> = (0..23).map(|i| format!("{i:024x}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[tokio::test]
async fn the_stream_fetches_pages_only_as_far_as_it_is_read() {
    let server = paged_server(1000).await;
    let first: Vec<_> = client(&server.uri())
        .generations_stream(ListParams::new().limit(10))
        .take(15)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 15);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_stream_yields_an_error_then_ends() {
    let server = MockServer::start().await;
    Mock::given(path("/api/generations"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Invalid API key"})),
        )
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server.uri())
        .generations_stream(ListParams::new())
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert!(items[0].as_ref().unwrap_err().is_auth());
}

#[tokio::test]
async fn the_stream_stops_on_an_empty_page_even_if_has_more_says_otherwise() {
    let server = MockServer::start().await;
    Mock::given(path("/api/generations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [], "pagination": {"total": 5, "limit": 20, "offset": 0, "hasMore": true}
        })))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server.uri())
        .generations_stream(ListParams::new())
        .collect()
        .await;
    assert!(items.is_empty());
}

fn tool_json() -> serde_json::Value {
    json!({
        "slug": "create-image", "name": "Create Image", "description": "Generate an image from a text prompt.",
        "type": "image", "outputType": "image",
        "models": [{"slug": "seedream-4", "name": "Seedream 4", "cost": 6, "costUnit": "credits",
            "inputSchema": {"type": "object", "required": ["prompt"], "properties": {
                "prompt": {"type": "string"},
                "image_size": {"type": "string", "enum": ["square_hd", "square"], "default": "square_hd"}}}}]
    })
}

#[tokio::test]
async fn tools_tool_and_search_read_the_catalog() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tools"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"slug": "create-image", "name": "Create Image", "description": "d", "type": "image", "outputType": "image"}
        ]})))
        .mount(&server)
        .await;
    Mock::given(path("/api/tools/create-image"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tool_json()))
        .mount(&server)
        .await;
    Mock::given(path("/api/search"))
        .and(query_param("q", "image & fox"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [tool_json()]})))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    assert_eq!(client.tools().await.unwrap()[0].slug, "create-image");
    assert_eq!(
        client.tool("create-image").await.unwrap().models[0].cost,
        Some(6.0)
    );
    assert_eq!(client.search("image & fox").await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_unknown_tool_is_not_found_with_the_servers_message() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tools/nope"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "Tool not found"})),
        )
        .mount(&server)
        .await;
    let err = client(&server.uri()).tool("nope").await.unwrap_err();
    assert!(matches!(&err, Error::Api { message, .. } if message == "Tool not found"));
}

#[tokio::test]
async fn validate_input_uses_the_fetched_tool_schema() {
    use artificial_studio::ToolExt;
    let tool: artificial_studio::types::Tool = serde_json::from_value(tool_json()).unwrap();
    tool.validate_input(None, &json!({"prompt": "a fox", "image_size": "square"}))
        .unwrap();
    let err = tool
        .validate_input(None, &json!({"image_size": "huge", "colour": "red"}))
        .unwrap_err();
    let issues: Vec<String> = err
        .validation_errors()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        issues,
        [
            "input.prompt: Required (invalid_type)",
            "input.image_size: Invalid enum value. Expected 'square_hd' | 'square', received 'huge' (invalid_enum_value)",
            "input.colour: Unrecognized key: 'colour' (unrecognized_keys)",
        ]
    );
    let unknown = tool
        .validate_input(Some("flux-pro"), &json!({"prompt": "a fox"}))
        .unwrap_err();
    assert!(unknown.to_string().contains("Model not found"), "{unknown}");
    let by_input = tool
        .validate_input(None, &json!({"prompt": "a fox", "model": "flux-pro"}))
        .unwrap_err();
    assert!(by_input.to_string().contains("Model not found"));
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it() {
    let server = MockServer::start().await;
    Mock::given(path("/proxy/astudio/api/account"))
        .respond_with(ResponseTemplate::new(200).set_body_json(account()))
        .expect(1)
        .mount(&server)
        .await;
    for base in [
        format!("{}/proxy/astudio", server.uri()),
        format!("{}/proxy/astudio/", server.uri()),
    ] {
        let client = client(&base);
        client.account().await.unwrap();
        server.reset().await;
        Mock::given(path("/proxy/astudio/api/account"))
            .respond_with(ResponseTemplate::new(200).set_body_json(account()))
            .mount(&server)
            .await;
    }
}
