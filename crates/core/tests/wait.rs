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

/// When each `GET` of a wait was sent, from the client's observer.
type Polls = Arc<Mutex<Vec<Instant>>>;

/// A client for `base` that notes when it sends each poll, and when the run.
fn timed_client(
    base: &str,
) -> (
    artificial_studio::Client,
    Arc<Mutex<Option<Instant>>>,
    Polls,
) {
    let ran = Arc::new(Mutex::new(None));
    let polls: Polls = Arc::new(Mutex::new(Vec::new()));
    let (ran_log, poll_log) = (ran.clone(), polls.clone());
    let client = builder(base)
        .observer(move |event| {
            if let artificial_studio::RequestEvent::Sending { method, .. } = event {
                match method.as_str() {
                    "POST" => *ran_log.lock().unwrap() = Some(Instant::now()),
                    _ => poll_log.lock().unwrap().push(Instant::now()),
                }
            }
        })
        .build()
        .unwrap();
    (client, ran, polls)
}

/// The time from the run to the first poll, then between polls.
fn gaps(ran: &Mutex<Option<Instant>>, polls: &Mutex<Vec<Instant>>) -> Vec<Duration> {
    let mut times = vec![ran.lock().unwrap().expect("the run was sent")];
    times.extend(polls.lock().unwrap().iter().copied());
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

/// The run's `202`, with `X-Poll-After-Ms: hint` when given.
async fn run_answers(server: &MockServer, hint: Option<&str>) {
    let mut answer = ResponseTemplate::new(202).set_body_json(run_response(ID));
    if let Some(hint) = hint {
        answer = answer.insert_header("X-Poll-After-Ms", hint);
    }
    Mock::given(method("POST"))
        .and(path("/api/run"))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// Answers polls with `processing` `times` times, then `success`, each with
/// `X-Poll-After-Ms: hint` when given.
async fn polls_answer(server: &MockServer, times: u64, hint: Option<&str>) {
    for (status, limit) in [("processing", Some(times)), ("success", None)] {
        let mut answer = ResponseTemplate::new(200).set_body_json(generation(ID, status));
        if let Some(hint) = hint {
            answer = answer.insert_header("X-Poll-After-Ms", hint);
        }
        let mock = Mock::given(method("GET"))
            .and(path(format!("/api/generations/{ID}")))
            .respond_with(answer);
        match limit {
            Some(0) => {}
            Some(n) => mock.up_to_n_times(n).mount(server).await,
            None => mock.mount(server).await,
        }
    }
}

#[tokio::test]
async fn without_a_poll_hint_run_and_wait_keeps_its_schedule() {
    let server = MockServer::start().await;
    run_answers(&server, None).await;
    polls_answer(&server, 2, None).await;
    let (client, ran, polls) = timed_client(&server.uri());
    let options = WaitOptions::default()
        .interval(Duration::from_millis(100))
        .backoff(2.0)
        .max_interval(Duration::from_secs(1));
    let done = client
        .run_and_wait("create-image", json!({"prompt": "a fox"}), options)
        .await
        .unwrap();
    assert_eq!(done.status, GenerationStatus::Success);
    // 100 ms before the first poll, then 200 and 400: a sleep never ends early.
    let gaps = gaps(&ran, &polls);
    assert_eq!(gaps.len(), 3, "{gaps:?}");
    for (gap, least) in gaps.iter().zip([100, 200, 400]) {
        assert!(*gap >= Duration::from_millis(least), "{gaps:?}");
    }
}

#[tokio::test]
async fn a_poll_hint_of_0_on_the_202_has_run_and_wait_poll_at_once() {
    let server = MockServer::start().await;
    run_answers(&server, Some("0")).await;
    polls_answer(&server, 0, Some("0")).await;
    let (client, ran, polls) = timed_client(&server.uri());
    let started = Instant::now();
    let done = client
        .run_and_wait(
            "create-image",
            json!({"prompt": "a fox"}),
            WaitOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(done.status, GenerationStatus::Success);
    // The default first interval is 2 s; a loaded machine polls well within 1 s.
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert_eq!(gaps(&ran, &polls).len(), 1);
}

#[tokio::test]
async fn a_poll_hint_shortens_each_wait_but_never_below_a_few_milliseconds() {
    let server = MockServer::start().await;
    run_answers(&server, Some("30")).await;
    // `0` on every poll of a running generation: the client must not poll in
    // a loop.
    polls_answer(&server, 3, Some("0")).await;
    let (client, ran, polls) = timed_client(&server.uri());
    let started = Instant::now();
    client
        .run_and_wait(
            "create-image",
            json!({"prompt": "a fox"}),
            WaitOptions::default(),
        )
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    let gaps = gaps(&ran, &polls);
    assert_eq!(gaps.len(), 4, "{gaps:?}");
    assert!(gaps[0] >= Duration::from_millis(30), "{gaps:?}");
    assert!(
        gaps[1..].iter().all(|g| *g >= Duration::from_millis(5)),
        "{gaps:?}"
    );
}

#[tokio::test]
async fn a_poll_hint_longer_than_the_interval_is_followed_up_to_the_longest_interval() {
    let server = MockServer::start().await;
    run_answers(&server, None).await;
    polls_answer(&server, 1, Some("60000")).await;
    let (client, ran, polls) = timed_client(&server.uri());
    let options = WaitOptions::default()
        .interval(Duration::from_millis(20))
        .max_interval(Duration::from_millis(300));
    client
        .run_and_wait("create-image", json!({"prompt": "a fox"}), options)
        .await
        .unwrap();
    let gaps = gaps(&ran, &polls);
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    // The schedule would have polled again after 30 ms; the hint says a
    // minute, and the longest interval caps it.
    assert!(gaps[1] >= Duration::from_millis(300), "{gaps:?}");
    assert!(gaps[1] < Duration::from_secs(30), "{gaps:?}");
}

#[tokio::test]
async fn run_and_wait_against_the_mock_server_at_speed_0_takes_milliseconds() {
    let server = artificial_studio_mock::MockServer::builder()
        .speed(0.0)
        .start()
        .await
        .unwrap();
    let client = builder(&server.base_url())
        .api_key(server.demo_keys().pro)
        .build()
        .unwrap();
    let started = Instant::now();
    let done = client
        .run_and_wait(
            "create-image",
            json!({"prompt": "a fox"}),
            WaitOptions::default(),
        )
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(done.status, GenerationStatus::Success);
    assert!(took < Duration::from_secs(1), "{took:?}");
}
