//! Waiting for a generation: status callbacks, success, failure, timeout.

// Helpers here panic on purpose: in a test, a panic is a failed assertion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use artificial_studio::types::GenerationStatus;
use artificial_studio::{Error, WaitOptions};
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast() -> WaitOptions {
    WaitOptions::default()
        .interval(Duration::from_millis(2))
        .max_interval(Duration::from_millis(5))
        .timeout(Duration::from_secs(10))
}

/// Answers `GET /api/generations/{ID}` with each status in turn, `times` each;
/// the last one forever.
async fn lifecycle(server: &MockServer, steps: &[(&str, u64)]) {
    for (i, (status, times)) in steps.iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path(format!("/api/generations/{ID}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(generation(ID, status)));
        let mock = if i + 1 < steps.len() {
            mock.up_to_n_times(*times)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

#[tokio::test]
async fn wait_reports_each_status_change_once_and_returns_the_finished_generation() {
    let server = MockServer::start().await;
    lifecycle(
        &server,
        &[
            ("pending", 1),
            ("processing", 3),
            ("uploading", 1),
            ("success", 1),
        ],
    )
    .await;
    let changes = Arc::new(Mutex::new(Vec::new()));
    let log = changes.clone();
    let options = fast().on_status(move |update| {
        log.lock().unwrap().push((
            update.previous.clone(),
            update.generation.status.clone(),
            update.polls,
        ));
    });
    let done = client(&server.uri()).wait(ID, options).await.unwrap();
    assert_eq!(done.status, GenerationStatus::Success);
    assert!(done.output.is_some());
    use GenerationStatus::*;
    assert_eq!(
        *changes.lock().unwrap(),
        [
            (None, Pending, 1),
            (Some(Pending), Processing, 2),
            (Some(Processing), Uploading, 5),
            (Some(Uploading), Success, 6)
        ]
    );
}

#[tokio::test]
async fn status_changes_can_be_received_on_a_channel() {
    let server = MockServer::start().await;
    lifecycle(&server, &[("processing", 2), ("success", 1)]).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let options = fast().on_status(move |update| {
        let _ = tx.send(update.generation.status.clone());
    });
    client(&server.uri()).wait(ID, options).await.unwrap();
    let mut seen = Vec::new();
    while let Ok(status) = rx.try_recv() {
        seen.push(status);
    }
    assert_eq!(
        seen,
        [GenerationStatus::Processing, GenerationStatus::Success]
    );
}

#[tokio::test]
async fn a_generation_that_ends_in_error_is_generation_failed_with_its_message() {
    let server = MockServer::start().await;
    lifecycle(&server, &[("processing", 1), ("error", 1)]).await;
    let err = client(&server.uri()).wait(ID, fast()).await.unwrap_err();
    let Error::GenerationFailed { id, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(id, ID);
    assert_eq!(message, "The model could not process this input");
}

#[tokio::test]
async fn a_generation_that_never_finishes_is_a_wait_timeout_with_the_last_status() {
    let server = MockServer::start().await;
    lifecycle(&server, &[("pending", 1), ("processing", 1)]).await;
    let started = Instant::now();
    let err = client(&server.uri())
        .wait(ID, fast().timeout(Duration::from_millis(150)))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    let Error::WaitTimeout {
        id, last_status, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(id, ID);
    assert_eq!(*last_status, GenerationStatus::Processing);
    assert!(
        elapsed >= Duration::from_millis(150) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn the_last_poll_happens_at_the_deadline_not_an_interval_later() {
    let server = MockServer::start().await;
    lifecycle(&server, &[("processing", 1)]).await;
    let started = Instant::now();
    let options = WaitOptions::default()
        .interval(Duration::from_secs(30))
        .timeout(Duration::from_millis(200));
    let err = client(&server.uri()).wait(ID, options).await.unwrap_err();
    assert!(matches!(err, Error::WaitTimeout { .. }));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_poll_that_fails_ends_the_wait_with_that_error() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/api/generations/{ID}")))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "Generation not found"})),
        )
        .mount(&server)
        .await;
    let err = client(&server.uri()).wait(ID, fast()).await.unwrap_err();
    assert_eq!(err.to_string(), "404 Not Found: Generation not found");
}

#[tokio::test]
async fn run_and_wait_starts_the_generation_and_returns_it_finished() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/run"))
        .respond_with(ResponseTemplate::new(202).set_body_json(run_response(ID)))
        .expect(1)
        .mount(&server)
        .await;
    lifecycle(&server, &[("processing", 2), ("success", 1)]).await;
    let image = client(&server.uri())
        .run_and_wait("create-image", json!({"prompt": "a fox"}), fast())
        .await
        .unwrap();
    assert_eq!(image.id, ID);
    assert_eq!(image.status, GenerationStatus::Success);
}

#[tokio::test]
async fn a_status_the_client_does_not_know_is_waited_through_and_reported_as_sent() {
    let server = MockServer::start().await;
    lifecycle(&server, &[("queued", 2), ("rendering", 1), ("success", 1)]).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let options = fast().on_status(move |update| {
        log.lock()
            .unwrap()
            .push(update.generation.status.to_string());
    });
    let done = client(&server.uri()).wait(ID, options).await.unwrap();
    assert_eq!(done.status, GenerationStatus::Success);
    assert_eq!(*seen.lock().unwrap(), ["queued", "rendering", "success"]);
}
