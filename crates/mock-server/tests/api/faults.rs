//! Faults: per request with `X-Mock-Fault`, and scripted per route.

use std::time::{Duration, Instant};

use artificial_studio_mock::{Fault, FaultRule};
use artificial_studio_types::messages;
use reqwest::Method;

use crate::support::*;

async fn with_fault(api: &Api, value: &str) -> reqwest::Result<reqwest::Response> {
    api.request(Method::GET, "/api/tools", Some(FREE))
        .header("X-Mock-Fault", value)
        .send()
        .await
}

#[tokio::test]
async fn html_502_is_an_html_page_as_a_proxy_sends() {
    let (_server, api) = fast_server().await;
    let response = with_fault(&api, "html-502").await.unwrap();
    assert_eq!(response.status(), 502);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<h1>502 Bad Gateway</h1>")
    );
}

#[tokio::test]
async fn empty_500_has_no_body() {
    let (_server, api) = fast_server().await;
    let response = with_fault(&api, "empty-500").await.unwrap();
    assert_eq!(response.status(), 500);
    assert!(response.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn reset_closes_the_connection_mid_body() {
    let (_server, api) = fast_server().await;
    let response = with_fault(&api, "reset").await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "the body never completes");
    // The server itself is fine afterwards.
    assert_eq!(api.get("/api/tools", FREE).await.status, 200);
}

#[tokio::test]
async fn delay_adds_latency_then_answers_normally() {
    let (_server, api) = fast_server().await;
    let started = Instant::now();
    let response = with_fault(&api, "delay=150").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(response.status(), 200);
    let combined = with_fault(&api, "delay=10,503").await.unwrap();
    assert_eq!(combined.status(), 503);
}

#[tokio::test]
async fn unknown_fault_value_is_400_json() {
    let (_server, api) = fast_server().await;
    let response = with_fault(&api, "teapot").await.unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Invalid X-Mock-Fault header")
    );
}

#[tokio::test]
async fn scripted_fault_hits_its_route_count_times_then_stops() {
    let (server, api) = fast_server().await;
    server
        .inject_fault(FaultRule::new(Fault::Status(503), "GET /api/tools/{slug}").times(2))
        .await
        .unwrap();
    assert_eq!(api.get("/api/tools", FREE).await.status, 200, "other route");
    for _ in 0..2 {
        api.get("/api/tools/create-image", FREE)
            .await
            .assert_error(503, messages::SERVICE_UNAVAILABLE);
    }
    assert_eq!(api.get("/api/tools/create-image", FREE).await.status, 200);
}

#[tokio::test]
async fn scripted_fault_with_probability_one_always_hits_until_cleared() {
    let (server, api) = fast_server().await;
    server
        .inject_fault(FaultRule::new(Fault::Status(500), "/api/*").with_probability(1.0))
        .await
        .unwrap();
    for _ in 0..3 {
        assert_eq!(api.get("/api/account", FREE).await.status, 500);
    }
    server.clear_faults().await;
    assert_eq!(api.get("/api/account", FREE).await.status, 200);
}

#[tokio::test]
async fn faulted_runs_take_no_credits_and_are_journaled() {
    let (server, api) = fast_server().await;
    let answer = api
        .send(
            api.request(Method::POST, "/api/run", Some(FREE))
                .header("X-Mock-Fault", "502")
                .json(&serde_json::json!({"tool": "create-image", "input": {"prompt": "x"}})),
        )
        .await;
    answer.assert_error(502, messages::BAD_GATEWAY);
    assert_eq!(api.credits(FREE).await, 100);
    let journal = server.journal().await;
    assert_eq!(journal[0].fault.as_deref(), Some("502"));
    assert_eq!(journal[0].status, 502);
}

/// `POST /api/run` reaches its handler without the router (the route load
/// tests hit hardest): scripted rules and delays must still apply to it, and
/// a delayed run must still be created and charged.
#[tokio::test]
async fn scripted_faults_and_delays_apply_to_runs() {
    let (server, api) = fast_server().await;
    let run = || {
        api.request(Method::POST, "/api/run", Some(FREE))
            .json(&serde_json::json!({"tool": "create-image", "input": {"prompt": "x"}}))
    };
    server
        .inject_fault(FaultRule::new(Fault::Status(503), "POST /api/run").times(1))
        .await
        .unwrap();
    api.send(run())
        .await
        .assert_error(503, messages::SERVICE_UNAVAILABLE);
    assert_eq!(api.credits(FREE).await, 100, "a faulted run takes nothing");

    let started = Instant::now();
    let delayed = api.send(run().header("X-Mock-Fault", "delay=100")).await;
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert_eq!(delayed.status, 202, "{:?}", delayed.body);
    assert!(api.credits(FREE).await < 100, "the delayed run was charged");
    let runs: Vec<u16> = server
        .journal()
        .await
        .iter()
        .filter(|entry| entry.path == "/api/run")
        .map(|entry| entry.status)
        .collect();
    assert_eq!(runs, [503, 202], "both runs journaled, in order");
}
