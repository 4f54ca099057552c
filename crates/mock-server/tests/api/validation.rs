//! The `errors` list of `400 Validation failed`: every problem, dotted paths, Zod codes.
//! The snapshots pin the body; each test also asserts the status and the JSON
//! content type, which a snapshot of the body cannot see.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn empty_object_lists_both_required_fields() {
    let (_server, api) = fast_server().await;
    let answer = api.run(FREE, json!({})).await;
    answer.assert_error(400, "Validation failed");
    insta::assert_json_snapshot!(answer.body);
}

#[tokio::test]
async fn wrong_types_at_top_level_are_invalid_type() {
    let (_server, api) = fast_server().await;
    let answer = api
        .run(FREE, json!({"tool": 3, "input": "prompt", "webhook": 7}))
        .await;
    answer.assert_error(400, "Validation failed");
    insta::assert_json_snapshot!(answer.body);
}

#[tokio::test]
async fn every_input_problem_is_listed_with_dotted_paths() {
    let (_server, api) = fast_server().await;
    let answer = api
        .run(
            FREE,
            json!({
                "tool": "text-to-speech",
                "input": {
                    "model": "openai-tts",
                    "prompt": "x".repeat(3001),
                    "voice": "bob",
                    "colour": "red"
                }
            }),
        )
        .await;
    answer.assert_error(400, "Validation failed");
    insta::assert_json_snapshot!(answer.body);
}

#[tokio::test]
async fn schema_and_input_problems_come_in_one_answer() {
    let (_server, api) = fast_server().await;
    let answer = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"image_size": "huge"}, "colour": 1}),
        )
        .await;
    answer.assert_error(400, "Validation failed");
    insta::assert_json_snapshot!(answer.body);
}

#[tokio::test]
async fn numbers_arrays_and_items_are_checked() {
    let (_server, api) = fast_server().await;
    let answer = api
        .run(
            FREE,
            json!({
                "tool": "create-image",
                "input": {"model": "nano-banana", "prompt": "x", "image_urls": ["a", 2, "c", "d", "e"]}
            }),
        )
        .await;
    answer.assert_error(400, "Validation failed");
    insta::assert_json_snapshot!(answer.body);
    let answer = api
        .run(
            FREE,
            json!({
                "tool": "create-image",
                "input": {"model": "flux-schnell", "prompt": "x", "num_images": 1.5}
            }),
        )
        .await;
    answer.assert_error(400, "Validation failed");
    insta::assert_json_snapshot!(answer.body);
}

#[tokio::test]
async fn webhooks_must_be_https_on_a_public_host() {
    let (_server, api) = fast_server().await;
    for url in [
        "http://example.com/hook",
        "https://localhost/hook",
        "https://192.168.1.4/hook",
        "not a url",
    ] {
        let answer = api
            .run(
                FREE,
                json!({"tool": "create-image", "input": {"prompt": "x"}, "webhook": url}),
            )
            .await;
        answer.assert_error(400, "Validation failed");
        assert_eq!(answer.body["errors"][0]["field"], "webhook", "{url}");
    }
    let ok = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"prompt": "x"}, "webhook": "https://example.com/hook"}),
        )
        .await;
    assert_eq!(ok.status, 202);
    let null = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"prompt": "x"}, "webhook": null}),
        )
        .await;
    assert_eq!(null.status, 202, "{}", null.body);
}

#[tokio::test]
async fn list_query_limit_over_100_is_400_too_big() {
    let (_server, api) = fast_server().await;
    let answer = api.get("/api/generations?limit=101&offset=x", FREE).await;
    answer.assert_error(400, "Validation failed");
    insta::assert_json_snapshot!(answer.body);
}

#[tokio::test]
async fn search_without_q_is_400_required() {
    let (_server, api) = fast_server().await;
    let answer = api.get("/api/search", FREE).await;
    answer.assert_error(400, "Validation failed");
    assert_eq!(
        answer.body["errors"],
        json!([{"field": "q", "message": "Required", "code": "invalid_type"}])
    );
    let empty = api.get("/api/search?q=%20", FREE).await;
    assert_eq!(empty.body["errors"][0]["code"], "too_small");
}
