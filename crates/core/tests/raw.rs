//! `Client::send_raw`: any request, with the client's key, retries and
//! error mapping, and the answer undecoded.

// Helpers here panic on purpose: in a test, a panic is a failed assertion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use artificial_studio::{Error, ErrorKind, RawRequest};
use common::*;
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_raw_get_sends_the_key_and_the_query_and_returns_the_json() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/generations"))
        .and(query_param("limit", "5"))
        .and(header("authorization", KEY))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "59")
                .set_body_json(json!({"data": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server.uri())
        .send_raw(RawRequest::new(Method::GET, "/api/generations?limit=5"))
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json().unwrap(), json!({"data": []}));
    assert_eq!(answer.headers["x-ratelimit-remaining"], "59");
}

#[tokio::test]
async fn a_raw_post_sends_the_body_and_the_callers_headers_and_is_not_retried_on_500() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/run"))
        .and(header("content-type", "application/json"))
        .and(header("x-extra", "1"))
        .and(body_string(r#"{"tool":"x"}"#))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"message": "boom"})))
        .expect(1)
        .mount(&server)
        .await;
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert("x-extra", HeaderValue::from_static("1"));
    let err = client(&server.uri())
        .send_raw(
            RawRequest::new(Method::POST, "api/run")
                .headers(headers)
                .body(r#"{"tool":"x"}"#),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { kind: ErrorKind::InternalServerError, message, .. } if message == "boom"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_raw_get_is_retried_on_503_and_an_empty_answer_is_null() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let answer = client(&server.uri())
        .send_raw(RawRequest::new(Method::GET, "api/account"))
        .await
        .unwrap();
    assert_eq!(answer.status, 204);
    assert_eq!(answer.json().unwrap(), serde_json::Value::Null);
}

#[tokio::test]
async fn a_raw_request_refuses_a_url_of_another_origin_without_sending() {
    let server = MockServer::start().await;
    let err = client(&server.uri())
        .send_raw(RawRequest::new(
            Method::GET,
            "https://evil.example/api/account",
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
