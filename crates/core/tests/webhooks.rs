//! `Client::confirm_webhook` against the mock: a real delivery is confirmed,
//! forged ones are refused.

// Helpers panic on purpose: in a test, a panic is a failed assertion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use artificial_studio::types::GenerationStatus;
use artificial_studio::{Error, ErrorKind};
use artificial_studio_mock::{MockServer, RateLimits};
use bytes::Bytes;
use common::*;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use tokio::sync::Mutex;

type Seen = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A local receiver that records every delivery's headers and body and answers 200.
async fn receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            async move {
                log.lock().await.push((headers, body));
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

async fn mock(processing_ms: u64) -> MockServer {
    MockServer::builder()
        .speed(if processing_ms == 0 { 0.0 } else { 1.0 })
        .stage_ms(0, processing_ms, 0)
        .rate_limits(RateLimits::Off)
        .allow_private_webhooks(true)
        .start()
        .await
        .unwrap()
}

/// `POST /api/run` sent by hand: the client refuses a webhook that is not
/// `https`, and the receiver here is plain `http` on loopback.
async fn run(server: &MockServer, key: &str, webhook: Option<&str>) -> String {
    let mut body = json!({"tool": "create-image", "input": {"prompt": "a fox"}});
    if let Some(url) = webhook {
        body["webhook"] = Value::from(url);
    }
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/api/run", server.base_url()))
        .header("authorization", key)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["id"].as_str().unwrap().to_string()
}

fn client_for(server: &MockServer, key: &str) -> artificial_studio::Client {
    builder(&server.base_url()).api_key(key).build().unwrap()
}

fn headers(source: &'static str, media_id: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-webhook-source", HeaderValue::from_static(source));
    if let Some(id) = media_id {
        headers.insert("x-media-id", HeaderValue::from_str(id).unwrap());
    }
    headers
}

/// What a forger would post: a complete, successful-looking body.
fn forged_body(id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": id, "status": "success", "tool": "create-image", "type": "image",
        "output": "https://evil.example/fake.png", "thumbnail": null,
        "createdAt": "2026-11-25T14:00:00.000Z"
    }))
    .unwrap()
}

async fn generation_reads(server: &MockServer) -> usize {
    server
        .journal()
        .await
        .iter()
        .filter(|e| e.method == "GET" && e.path.starts_with("/api/generations/"))
        .count()
}

#[tokio::test]
async fn a_real_delivery_from_the_mock_is_confirmed_with_the_apis_generation() {
    let (url, seen) = receiver().await;
    let server = mock(0).await;
    let key = server.demo_keys().free;
    let id = run(&server, key, Some(&url)).await;
    let mut delivery = None;
    for _ in 0..100 {
        if let Some(first) = seen.lock().await.first().cloned() {
            delivery = Some(first);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (headers, body) = delivery.expect("the mock delivered the webhook within 5 s");
    let generation = client_for(&server, key)
        .confirm_webhook(&headers, &body)
        .await
        .unwrap();
    assert_eq!(generation.id, id);
    assert_eq!(generation.status, GenerationStatus::Success);
    assert!(generation.output.is_some());
    // The generation came from the API, not from the body.
    assert_eq!(generation_reads(&server).await, 1);
    // The same delivery, checked by another account's key: the API refuses it.
    let other = client_for(&server, server.demo_keys().pro)
        .confirm_webhook(&headers, &body)
        .await
        .unwrap_err();
    assert!(
        matches!(
            other,
            Error::Api {
                kind: ErrorKind::Forbidden | ErrorKind::NotFound,
                ..
            }
        ),
        "{other:?}"
    );
}

#[tokio::test]
async fn a_partial_body_naming_a_finished_generation_is_enough() {
    let server = mock(0).await;
    let key = server.demo_keys().free;
    let id = run(&server, key, None).await;
    let body = serde_json::to_vec(&json!({ "id": id })).unwrap();
    let generation = client_for(&server, key)
        .confirm_webhook(&headers("artificial-studio", None), &body)
        .await
        .unwrap();
    assert_eq!(generation.id, id);
}

#[tokio::test]
async fn a_forged_body_naming_a_running_generation_is_unconfirmed() {
    let server = mock(60_000).await;
    let key = server.demo_keys().free;
    let id = run(&server, key, None).await;
    let err = client_for(&server, key)
        .confirm_webhook(&headers("artificial-studio", Some(&id)), &forged_body(&id))
        .await
        .unwrap_err();
    match &err {
        Error::WebhookUnconfirmed { id: named, status } => {
            assert_eq!(named, &id);
            assert!(!matches!(status, GenerationStatus::Success), "{status}");
        }
        other => panic!("expected WebhookUnconfirmed, got {other:?}"),
    }
    assert!(err.to_string().contains("not success"), "{err}");
}

#[tokio::test]
async fn a_forged_body_naming_a_failed_generation_is_generation_failed() {
    let server = mock(0).await;
    server
        .fail_next_generation("create-image", "The model could not process this input")
        .await
        .unwrap();
    let key = server.demo_keys().free;
    let id = run(&server, key, None).await;
    let err = client_for(&server, key)
        .confirm_webhook(&headers("artificial-studio", Some(&id)), &forged_body(&id))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::GenerationFailed { id: failed, message }
            if failed == &id && message == "The model could not process this input"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_wrong_or_missing_source_header_is_refused_without_asking_the_api() {
    let server = mock(0).await;
    let key = server.demo_keys().free;
    let id = run(&server, key, None).await;
    let client = client_for(&server, key);
    let mut missing = HeaderMap::new();
    missing.insert("x-media-id", HeaderValue::from_str(&id).unwrap());
    for headers in [headers("someone-else", Some(&id)), missing] {
        let err = client
            .confirm_webhook(&headers, &forged_body(&id))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Webhook { .. }), "{err:?}");
    }
    // Ids that disagree, or no id at all: refused too.
    let mismatched = client
        .confirm_webhook(&headers("artificial-studio", Some(ID)), &forged_body(&id))
        .await
        .unwrap_err();
    assert!(
        matches!(mismatched, Error::Webhook { .. }),
        "{mismatched:?}"
    );
    let no_id = client
        .confirm_webhook(&headers("artificial-studio", None), b"{}")
        .await
        .unwrap_err();
    assert!(matches!(no_id, Error::Webhook { .. }), "{no_id:?}");
    assert_eq!(generation_reads(&server).await, 0);
}
