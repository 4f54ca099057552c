//! Webhooks from the binary to a receiver in the test: headers, payload, retry.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use artificial_studio::{parse_webhook, types::GenerationStatus};
use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
};
use serde_json::{Value, json};

use crate::harness::*;

/// One call the receiver got.
#[derive(Clone)]
struct Call {
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone)]
struct Receiver {
    answers: Arc<Vec<u16>>,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl Receiver {
    /// A receiver on a free loopback port answering `answers[n]` to the n-th
    /// call, 200 after the list; returns it and its URL.
    async fn start(answers: &[u16]) -> (Receiver, String) {
        let receiver = Receiver {
            answers: Arc::new(answers.to_vec()),
            calls: Arc::default(),
        };
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, url)
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    async fn wait_for_calls(&self, n: usize) -> Vec<Call> {
        eventually("webhook calls", Duration::from_secs(10), || async {
            let calls = self.calls();
            (calls.len() >= n).then_some(calls)
        })
        .await
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let mut calls = receiver.calls.lock().unwrap();
    let answer = receiver.answers.get(calls.len()).copied().unwrap_or(200);
    calls.push(Call {
        at: Instant::now(),
        headers,
        body,
    });
    StatusCode::from_u16(answer).unwrap()
}

/// Runs create-image with a webhook (raw: the library refuses `http://`
/// webhooks before sending, as the real API would) and returns the id.
async fn run_with_webhook(mock: &Mock, url: &str) -> String {
    let answer = mock
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"prompt": "a fox"}, "webhook": url}),
        )
        .await;
    assert_eq!(answer.status, 202, "{}", answer.text());
    answer.json["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_webhook_arrives_with_the_documented_headers_and_the_finished_generation() {
    let (receiver, url) = Receiver::start(&[]).await;
    let mock = Mock::start(&[
        "--speed",
        "0.01",
        "--allow-private-webhooks",
        "--rate-limit",
        "off",
    ]);
    let id = run_with_webhook(&mock, &url).await;

    let call = receiver.wait_for_calls(1).await.remove(0);
    let header = |name: &str| call.headers[name].to_str().unwrap().to_string();
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(header("x-webhook-source"), "artificial-studio");
    assert_eq!(header("x-media-id"), id);

    let payload = parse_webhook(&call.headers, &call.body).unwrap();
    assert_eq!(payload.id, id);
    assert_eq!(payload.status, GenerationStatus::Success);
    let generation = mock.client(FREE).generation(&id).await.unwrap();
    assert_eq!(payload.output, generation.output);
    assert!(payload.output.is_some());

    let body: Value = serde_json::from_slice(&call.body).unwrap();
    let mut expected = serde_json::to_value(&generation).unwrap();
    let expected = expected.as_object_mut().unwrap();
    expected.remove("error");
    expected.remove("payload");
    assert_eq!(
        body,
        Value::Object(expected.clone()),
        "{{id, status, tool, type, output, thumbnail, createdAt}}"
    );

    let deliveries = eventually(
        "the delivery is recorded",
        Duration::from_secs(5),
        || async {
            let deliveries = mock.webhook_deliveries().await;
            (!deliveries.is_empty()).then_some(deliveries)
        },
    )
    .await;
    assert_eq!(deliveries.len(), 1);
    assert!(deliveries[0].delivered);
    assert_eq!(
        (deliveries[0].attempt, deliveries[0].status),
        (1, Some(200))
    );
}

#[tokio::test]
async fn a_webhook_answered_500_is_delivered_again_after_the_scaled_five_seconds() {
    let (receiver, url) = Receiver::start(&[500]).await;
    // Speed 0.01: the documented 5 s before the first retry become 50 ms.
    let mock = Mock::start(&[
        "--speed",
        "0.01",
        "--allow-private-webhooks",
        "--rate-limit",
        "off",
    ]);
    let id = run_with_webhook(&mock, &url).await;

    let calls = receiver.wait_for_calls(2).await;
    let (first, second) = (&calls[0], &calls[1]);
    assert_eq!(first.body, second.body, "the same payload again");
    for call in [first, second] {
        assert_eq!(call.headers["x-media-id"], id.as_str());
        assert_eq!(call.headers["x-webhook-source"], "artificial-studio");
    }
    let gap = second.at - first.at;
    assert!(gap >= Duration::from_millis(50), "retried after {gap:?}");

    let deliveries = eventually(
        "both attempts are recorded",
        Duration::from_secs(5),
        || async {
            let deliveries = mock.webhook_deliveries().await;
            (deliveries.len() == 2).then_some(deliveries)
        },
    )
    .await;
    let summary: Vec<_> = deliveries
        .iter()
        .map(|d| (d.attempt, d.status, d.delivered, d.next_retry_ms))
        .collect();
    assert_eq!(
        summary,
        [(1, Some(500), false, Some(50)), (2, Some(200), true, None)]
    );
    assert_eq!(receiver.calls().len(), 2, "nothing after the 200");
}
