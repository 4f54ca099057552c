//! Retries as the issue states them, counted on the server's side: what is
//! retried, how often, after how long, and what is never sent twice.

// Helpers here panic on purpose: in a test, a panic is a failed assertion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use artificial_studio::{Client, Error, ErrorKind, RequestEvent, RetryPolicy};
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mount(
    server: &MockServer,
    verb: &str,
    route: &str,
    template: ResponseTemplate,
    times: Option<u64>,
) {
    let mut mock = Mock::given(method(verb))
        .and(path(route))
        .respond_with(template);
    if let Some(n) = times {
        mock = mock.up_to_n_times(n);
    }
    mock.mount(server).await;
}

async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_for_and_retried() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "1")
        .set_body_json(json!({"message": "Too many API requests, please try again later"}));
    mount(&server, "GET", "/api/account", limited, Some(1)).await;
    mount(
        &server,
        "GET",
        "/api/account",
        ResponseTemplate::new(200).set_body_json(account()),
        None,
    )
    .await;
    // The default policy: it honours Retry-After.
    let client = builder(&server.uri())
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();
    let started = Instant::now();
    let account = client.account().await.unwrap();
    assert_eq!(account.credits, 100);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_above_the_cap_is_not_slept_and_is_returned() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "3600");
    mount(&server, "GET", "/api/account", limited, None).await;
    let client = builder(&server.uri())
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.account().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.kind(), Some(ErrorKind::TooManyRequests));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(err.retries(), 0);
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn a_503_twice_then_200_succeeds() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/api/account",
        ResponseTemplate::new(503),
        Some(2),
    )
    .await;
    mount(
        &server,
        "GET",
        "/api/account",
        ResponseTemplate::new(200).set_body_json(account()),
        None,
    )
    .await;
    let account = client(&server.uri()).account().await.unwrap();
    assert_eq!(account.email, "free@example.com");
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn retries_stop_after_two_and_the_error_says_how_many_and_how_long() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/api/account",
        ResponseTemplate::new(502).set_body_raw("<html>bad gateway</html>", "text/html"),
        None,
    )
    .await;
    let policy = RetryPolicy::default()
        .with_backoff(Duration::from_millis(10), Duration::from_millis(20))
        .with_jitter(0.0);
    let client = builder(&server.uri()).retry_policy(policy).build().unwrap();
    let err = client.account().await.unwrap_err();
    assert_eq!(hits(&server).await, 3);
    assert_eq!(err.kind(), Some(ErrorKind::BadGateway));
    assert_eq!(err.retries(), 2);
    assert_eq!(err.waited(), Duration::from_millis(30));
    assert_eq!(
        err.to_string(),
        "502 Bad Gateway: Bad gateway (after 2 retries)"
    );
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    for status in [400, 401, 402, 403, 404] {
        let server = MockServer::start().await;
        mount(
            &server,
            "GET",
            "/api/account",
            ResponseTemplate::new(status),
            None,
        )
        .await;
        let err = client(&server.uri()).account().await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(hits(&server).await, 1, "{status} was retried");
        assert_eq!(err.retries(), 0);
    }
}

#[tokio::test]
async fn run_is_not_retried_on_500_or_502() {
    for status in [500, 502] {
        let server = MockServer::start().await;
        mount(
            &server,
            "POST",
            "/api/run",
            ResponseTemplate::new(status),
            None,
        )
        .await;
        let err = client(&server.uri())
            .run("create-image", json!({"prompt": "a fox"}), None)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(
            hits(&server).await,
            1,
            "POST /api/run was sent twice after {status}"
        );
    }
}

#[tokio::test]
async fn run_is_retried_on_429_and_503_which_it_cannot_have_been_processed() {
    for status in [429, 503] {
        let server = MockServer::start().await;
        mount(
            &server,
            "POST",
            "/api/run",
            ResponseTemplate::new(status),
            Some(1),
        )
        .await;
        mount(
            &server,
            "POST",
            "/api/run",
            ResponseTemplate::new(202).set_body_json(run_response(ID)),
            None,
        )
        .await;
        let started = client(&server.uri())
            .run("create-image", json!({"prompt": "a fox"}), None)
            .await
            .unwrap();
        assert_eq!(started.id, ID);
        assert_eq!(hits(&server).await, 2);
    }
}

#[tokio::test]
async fn run_is_not_retried_when_the_answer_timed_out_after_sending() {
    let addr = silent_server().await;
    let client = builder(&format!("http://{addr}"))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client
        .run("create-image", json!({"prompt": "a fox"}), None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                timed_out: true,
                retries: 0,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_run_then_reported_as_transport() {
    let addr = closed_port().await;
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let client = builder(&format!("http://{addr}"))
        .observer(move |event| seen.lock().unwrap().push(event.clone()))
        .build()
        .unwrap();
    let err = client
        .run("create-image", json!({"prompt": "a fox"}), None)
        .await
        .unwrap_err();
    let Error::Transport { retries, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*retries, 2);
    assert!(err.is_retryable());
    let sent = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, RequestEvent::Sending { .. }))
        .count();
    assert_eq!(sent, 3);
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_transport_error_within_the_timeout() {
    let addr = silent_server().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_millis(500))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.account().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(
            err,
            Error::Transport {
                timed_out: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(500) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert!(err.to_string().contains("timed out after 500ms"), "{err}");
}

#[tokio::test]
async fn reads_that_time_out_are_retried() {
    let addr = silent_server().await;
    let client = builder(&format!("http://{addr}"))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.account().await.unwrap_err();
    assert_eq!(err.retries(), 2);
}

#[tokio::test]
async fn the_observer_sees_every_attempt_and_retry_without_the_key() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/api/account",
        ResponseTemplate::new(503).insert_header("x-request-id", "r1"),
        Some(1),
    )
    .await;
    mount(
        &server,
        "GET",
        "/api/account",
        ResponseTemplate::new(200).set_body_json(account()),
        None,
    )
    .await;
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let client = builder(&server.uri())
        .observer(move |event| seen.lock().unwrap().push(event.clone()))
        .build()
        .unwrap();
    client.account().await.unwrap();
    let events = events.lock().unwrap().clone();
    let kinds: Vec<String> = events
        .iter()
        .map(|e| match e {
            RequestEvent::Sending {
                method,
                path,
                attempt,
            } => format!("send {method} {path} #{attempt}"),
            RequestEvent::Received {
                status,
                attempt,
                request_id,
                ..
            } => format!("got {status} #{attempt} {request_id:?}"),
            RequestEvent::Retrying {
                delay,
                next_attempt,
                reason,
                ..
            } => format!("retry #{next_attempt} in {delay:?} ({reason})"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "send GET /api/account #1",
            "got 503 #1 Some(\"r1\")",
            "retry #2 in 0ns (503 Service Unavailable)",
            "send GET /api/account #2",
            "got 200 #2 None",
        ]
    );
    let printed: String = events.iter().map(|e| format!("{e}\n{e:?}\n")).collect();
    assert!(!printed.contains(KEY));
}

#[tokio::test]
async fn a_transport_error_names_the_host_it_could_not_reach_in_one_line() {
    let addr = closed_port().await;
    let client = builder(&format!("http://user:secret@{addr}/prefix"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.search("fox").await.unwrap_err();
    let line = err.to_string();
    assert!(
        line.starts_with(&format!(
            "could not reach the API (GET http://{addr}/prefix/api/search): "
        )),
        "{line}"
    );
    assert!(!line.contains("secret") && !line.contains('\n'), "{line}");
    assert!(line.to_lowercase().contains("refused"), "{line}");
}

#[test]
fn client_futures_and_streams_can_be_spawned() {
    fn spawnable<T: Send + 'static>(_: T) {}
    let client = client("http://127.0.0.1:1");
    let c = client.clone();
    spawnable(async move { c.account().await });
    let c = client.clone();
    spawnable(async move {
        c.run("create-image", json!({"prompt": "a fox"}), None)
            .await
    });
    let c = client.clone();
    spawnable(async move {
        c.upload_file(artificial_studio::FileUpload::path("x.png"))
            .await
    });
    let c = client.clone();
    spawnable(async move {
        c.run_and_wait(
            "create-image",
            json!({}),
            artificial_studio::WaitOptions::default(),
        )
        .await
    });
    let c = client.clone();
    spawnable(async move {
        let mut sink = Vec::new();
        c.download_url("http://127.0.0.1:1/a", &mut sink).await
    });
    spawnable(client.generations_stream(artificial_studio::ListParams::new()));
}

/// A server whose first `cut` answers are a 200 head and half a body, after
/// which it closes the connection; later answers are `body` whole. Returns
/// its address and the number of requests it got.
async fn cut_then_whole(cut: usize, body: serde_json::Value) -> (String, Arc<Mutex<usize>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(0usize));
    let count = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = {
                let mut seen = count.lock().unwrap();
                *seen += 1;
                *seen
            };
            let body = body.to_string();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let sent = if n <= cut {
                    &body[..body.len() / 2]
                } else {
                    &body[..]
                };
                let _ = socket.write_all(format!("{head}{sent}").as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn a_read_whose_body_is_cut_off_is_retried() {
    let (base, seen) = cut_then_whole(1, account()).await;
    let fetched = client(&base).account().await.unwrap();
    assert_eq!(fetched.credits, 100);
    assert_eq!(*seen.lock().unwrap(), 2);

    let (base, seen) = cut_then_whole(10, account()).await;
    let err = client(&base).account().await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { retries: 2, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("reading the answer failed"),
        "{err}"
    );
    assert_eq!(*seen.lock().unwrap(), 3);
}

#[tokio::test]
async fn a_run_whose_body_is_cut_off_is_not_sent_again() {
    let (base, seen) = cut_then_whole(1, run_response(ID)).await;
    let err = client(&base)
        .run("create-image", json!({"prompt": "a fox"}), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { retries: 0, .. }),
        "{err:?}"
    );
    assert_eq!(*seen.lock().unwrap(), 1, "the server may have run it");
}
