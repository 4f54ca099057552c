//! Drift mode over HTTP: per request with `X-Mock-Fault: drift`, for the
//! whole server with `.drift(true)`, scripted as a fault rule; what it leaves
//! alone (error messages, the admin API, downloads, non-JSON faults).

use std::time::{Duration, Instant};

use artificial_studio_mock::{DRIFT_FIELD, DRIFT_NOTE, Fault, FaultRule, MockServer, RateLimits};
use artificial_studio_types::messages;
use reqwest::{
    Method,
    multipart::{Form, Part},
};
use serde_json::{Value, json};

use crate::support::*;

/// A drifting server whose generations stay in `processing` for a minute.
async fn drifting_server_with_slow_generations() -> (MockServer, Api) {
    start(
        MockServer::builder()
            .drift(true)
            .stage_ms(0, 60_000, 0)
            .rate_limits(RateLimits::Off),
    )
    .await
}

/// A drifting server whose generations end at once.
async fn drifting_server() -> (MockServer, Api) {
    start(fast().drift(true)).await
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

async fn get_with_fault(api: &Api, path: &str, fault: &str) -> Answer {
    api.send(
        api.request(Method::GET, path, Some(FREE))
            .header("X-Mock-Fault", fault),
    )
    .await
}

#[tokio::test]
async fn the_drift_header_drifts_that_answer_only() {
    let (_server, api) = fast_server().await;
    let drifted = get_with_fault(&api, "/api/account", "drift").await;
    assert_eq!(drifted.status, 200, "{}", drifted.body);
    assert_eq!(drifted.body["plan"], "free-drift");
    assert_eq!(drifted.body["credits"], 100, "a required field stays");
    assert_eq!(drifted.body[DRIFT_FIELD], DRIFT_NOTE);

    let plain = api.get("/api/account", FREE).await;
    assert_eq!(plain.body["plan"], "free");
    assert!(plain.body.get(DRIFT_FIELD).is_none(), "{}", plain.body);
}

#[tokio::test]
async fn a_drifting_server_drifts_every_answer_of_the_api() {
    let (_server, api) = drifting_server_with_slow_generations().await;
    let started = api
        .run(
            PRO,
            json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
        )
        .await;
    assert_eq!(started.status, 202, "{}", started.body);
    assert_eq!(keys(&started.body), ["driftNote", "id", "status"]);
    assert_eq!(started.body["status"], "processing-drift");
    let id = started.body["id"].as_str().unwrap();

    let generation = api.get(&format!("/api/generations/{id}"), PRO).await;
    assert_eq!(
        keys(&generation.body),
        ["createdAt", "driftNote", "id", "status", "tool"],
        "no type, output, thumbnail, error or payload"
    );
    assert_eq!(generation.body["status"], "processing-drift");

    let list = api.get("/api/generations", PRO).await;
    assert_eq!(keys(&list.body), ["data", "driftNote"], "no pagination");
    assert_eq!(list.body["data"][0], generation.body);

    let tools = api.get("/api/tools", PRO).await;
    let tools = tools.body["data"].as_array().unwrap();
    assert!(tools.len() > 10);
    for tool in tools {
        assert_eq!(keys(tool), ["driftNote", "name", "slug"]);
    }
    let tool = api.get("/api/tools/create-image", PRO).await;
    assert_eq!(keys(&tool.body), ["driftNote", "name", "slug"], "no models");
    let found = api.get("/api/search?q=speech", PRO).await;
    assert_eq!(found.status, 200);
    assert_eq!(keys(&found.body["data"][0]), ["driftNote", "name", "slug"]);

    let part = Part::bytes(b"GIF89a".to_vec())
        .file_name("cat.gif")
        .mime_str("image/gif")
        .unwrap();
    let uploaded = api
        .send(
            api.request(Method::POST, "/files", Some(PRO))
                .multipart(Form::new().part("file", part)),
        )
        .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.body);
    assert_eq!(keys(&uploaded.body), ["driftNote", "id", "url"]);
    let url = uploaded.body["url"].as_str().unwrap();
    let served = api.http.get(url).send().await.unwrap();
    assert_eq!(&served.bytes().await.unwrap()[..], b"GIF89a");
}

#[tokio::test]
async fn a_success_keeps_its_status_and_output_and_the_output_downloads_untouched() {
    let (_server, api) = drifting_server().await;
    let id = api.create_image(PRO).await;
    let generation = api.get(&format!("/api/generations/{id}"), PRO).await;
    assert_eq!(generation.body["status"], "success");
    let output = generation.body["output"].as_str().unwrap();
    let image = api.http.get(output).send().await.unwrap();
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    let bytes = image.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[tokio::test]
async fn the_same_request_drifts_the_same_way_every_time() {
    let (_server, api) = drifting_server().await;
    let once = api.get("/api/tools/text-to-speech", FREE).await;
    let again = api.get("/api/tools/text-to-speech", FREE).await;
    assert_eq!(once.bytes, again.bytes);
}

#[tokio::test]
async fn error_bodies_keep_their_exact_message_and_issues_and_gain_only_the_unknown_field() {
    let (_server, api) = drifting_server().await;
    let no_key = api
        .send(api.request(Method::GET, "/api/account", None))
        .await;
    no_key.assert_error(401, messages::AUTHORIZATION_REQUIRED);
    assert_eq!(keys(&no_key.body), ["driftNote", "message"]);

    let unknown = api.get("/api/tools/make-coffee", FREE).await;
    unknown.assert_error(404, messages::TOOL_NOT_FOUND);
    assert_eq!(unknown.body[DRIFT_FIELD], DRIFT_NOTE);

    let invalid = api
        .run(FREE, json!({"input": {"prompt": "a fox"}, "colour": "red"}))
        .await;
    invalid.assert_error(400, "Validation failed");
    let issues = invalid.body["errors"].as_array().unwrap();
    assert!(!issues.is_empty());
    for issue in issues {
        assert_eq!(keys(issue), ["code", "driftNote", "field", "message"]);
        assert!(
            !issue["code"].as_str().unwrap().ends_with("-drift"),
            "{issue}"
        );
    }

    let (_plain, api) = fast_server().await;
    let faulted = get_with_fault(&api, "/api/tools", "drift,503").await;
    faulted.assert_error(503, messages::SERVICE_UNAVAILABLE);
    assert_eq!(faulted.body[DRIFT_FIELD], DRIFT_NOTE);
}

#[tokio::test]
async fn the_admin_api_the_spec_and_unknown_routes_are_not_drifted() {
    let (server, api) = drifting_server().await;
    let accounts = api.admin(Method::GET, "/__mock/accounts", None).await;
    assert_eq!(accounts.status, 200);
    assert!(!accounts.bytes.windows(9).any(|w| w == b"driftNote"));
    assert_eq!(accounts.body["data"][0]["plan"], "free");

    let spec = api.http.get(api.url("/openapi.yaml")).send().await.unwrap();
    assert_eq!(
        spec.bytes().await.unwrap().as_ref(),
        artificial_studio_types::OPENAPI_YAML.as_bytes()
    );
    let missing = api.get("/api/nothing-here", FREE).await;
    missing.assert_error(404, messages::NOT_FOUND);
    assert!(missing.body.get(DRIFT_FIELD).is_none());

    let journal = server.journal().await;
    assert!(journal.iter().all(|entry| entry.fault.is_none()));
}

#[tokio::test]
async fn drift_combines_with_a_delay_and_leaves_bodies_that_are_not_json_alone() {
    let (server, api) = fast_server().await;
    let started = Instant::now();
    let delayed = get_with_fault(&api, "/api/account", "delay=50,drift").await;
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert_eq!(delayed.body["plan"], "free-drift");

    let html = get_with_fault(&api, "/api/tools", "drift,html-502").await;
    assert_eq!(html.status, 502);
    assert_eq!(html.header("content-type"), Some("text/html"));
    let empty = get_with_fault(&api, "/api/tools", "empty-500,drift").await;
    assert_eq!((empty.status.as_u16(), empty.bytes.len()), (500, 0));
    let reset = api
        .request(Method::GET, "/api/tools", Some(FREE))
        .header("X-Mock-Fault", "drift,reset")
        .send()
        .await
        .unwrap();
    assert!(reset.bytes().await.is_err(), "still cut mid-body");

    let journal = server.journal().await;
    assert_eq!(journal[0].fault.as_deref(), Some("delay=50,drift"));
}

#[tokio::test]
async fn a_scripted_drift_rule_drifts_its_route_as_often_as_it_says() {
    let (server, api) = fast_server().await;
    server
        .inject_fault(FaultRule::new(Fault::Drift, "GET /api/account").times(1))
        .await
        .unwrap();
    let tools = api.get("/api/tools", FREE).await;
    assert!(tools.body.get(DRIFT_FIELD).is_none(), "another route");
    assert_eq!(
        api.get("/api/account", FREE).await.body["plan"],
        "free-drift"
    );
    assert_eq!(api.get("/api/account", FREE).await.body["plan"], "free");
}
