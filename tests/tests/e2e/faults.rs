//! The client against every fault the binary can inject: the right typed
//! error, within a generous bound on the configured time.

use std::time::{Duration, Instant};

use artificial_studio::{Error, ErrorKind, ListParams, RetryPolicy};
use artificial_studio_types::messages;
use serde_json::json;

use crate::harness::*;

/// The client timeout these tests configure.
const TIMEOUT: Duration = Duration::from_millis(300);

/// A bound that proves "not hung", not "fast": far above any timeout here,
/// so that a loaded machine does not fail a test whose behaviour is right.
const NOT_HUNG: Duration = Duration::from_secs(10);

/// The server's delay in the timeout tests: far beyond the client's timeout,
/// so an answer before it means the client gave up on its own.
const SERVER_DELAY: Duration = Duration::from_secs(20);

#[track_caller]
fn assert_transport(err: &Error, timed_out: bool, retries: u32) {
    match err {
        Error::Transport {
            timed_out: t,
            retries: r,
            ..
        } => assert_eq!((*t, *r), (timed_out, retries), "{err}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn every_status_fault_gives_its_kind_and_the_contract_or_default_message() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let client = mock.client(FREE);
    for (fault, kind, message, retry_after) in [
        (
            "500",
            ErrorKind::InternalServerError,
            messages::INTERNAL_SERVER_ERROR,
            None,
        ),
        ("502", ErrorKind::BadGateway, messages::BAD_GATEWAY, None),
        (
            "503",
            ErrorKind::ServiceUnavailable,
            messages::SERVICE_UNAVAILABLE,
            None,
        ),
        (
            "429",
            ErrorKind::TooManyRequests,
            messages::RATE_LIMITED,
            Some(Duration::from_secs(1)),
        ),
        // No JSON to read: the kind's default message.
        (
            "empty-500",
            ErrorKind::InternalServerError,
            "Internal server error",
            None,
        ),
        ("html-502", ErrorKind::BadGateway, "Bad gateway", None),
    ] {
        mock.inject(json!({"fault": fault, "route": "GET /api/account", "count": 1}))
            .await;
        let err = client.account().await.unwrap_err();
        let Error::Api {
            kind: got,
            message: got_message,
            retry_after: got_retry_after,
            request_id,
            ..
        } = &err
        else {
            panic!("{fault}: expected an API error, got {err:?}");
        };
        assert_eq!((*got, got_message.as_str()), (kind, message), "{fault}");
        assert_eq!(*got_retry_after, retry_after, "{fault}");
        assert!(request_id.is_some(), "{fault}: the X-Request-Id is kept");
        let line = err.to_string();
        assert!(
            !line.contains('<') && !line.contains('\n'),
            "{fault}: {line}"
        );
    }
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error_after_each_read_retry() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    mock.inject(json!({"fault": "reset", "route": "GET /api/account"}))
        .await;
    let client = mock
        .client_builder(FREE)
        .timeout(TIMEOUT)
        .retry_policy(RetryPolicy::immediate(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.account().await.unwrap_err();
    assert_transport(&err, false, 2);
    assert!(started.elapsed() < NOT_HUNG, "{:?}", started.elapsed());
    assert_eq!(mock.journal_of("GET", "/api/account").await.len(), 3);
}

#[tokio::test]
async fn a_run_reset_mid_body_is_not_sent_again() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    mock.inject(json!({"fault": "reset", "route": "POST /api/run"}))
        .await;
    let client = mock
        .client_builder(FREE)
        .timeout(TIMEOUT)
        .retry_policy(RetryPolicy::immediate(2))
        .build()
        .unwrap();
    let err = client
        .run("create-image", json!({"prompt": "x"}), None)
        .await
        .unwrap_err();
    assert_transport(&err, false, 0);
    assert_eq!(mock.journal_of("POST", "/api/run").await.len(), 1);
}

#[tokio::test]
async fn a_download_reset_mid_body_is_a_transport_error() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let client = mock
        .client_builder(FREE)
        .timeout(TIMEOUT)
        .retry_policy(RetryPolicy::immediate(1))
        .build()
        .unwrap();
    let generation = client
        .run_and_wait("create-image", json!({"prompt": "x"}), fast_polls())
        .await
        .unwrap();
    mock.inject(json!({"fault": "reset", "route": "GET /outputs/*"}))
        .await;
    let mut sink = Vec::new();
    let started = Instant::now();
    let err = client.download(&generation, &mut sink).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(started.elapsed() < NOT_HUNG, "{:?}", started.elapsed());
}

#[tokio::test]
async fn latency_beyond_the_timeout_is_a_timed_out_transport_error_before_the_server_answers() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let delay = format!("delay={}", SERVER_DELAY.as_millis());
    mock.inject(json!({"fault": delay, "route": "GET /api/account"}))
        .await;

    let once = mock.client_builder(FREE).timeout(TIMEOUT).build().unwrap();
    let started = Instant::now();
    let err = once.account().await.unwrap_err();
    let took = started.elapsed();
    assert_transport(&err, true, 0);
    // Not before the timeout, and well before the server would have answered.
    assert!(took >= TIMEOUT && took < SERVER_DELAY, "took {took:?}");

    let thrice = mock
        .client_builder(FREE)
        .timeout(TIMEOUT)
        .retry_policy(RetryPolicy::immediate(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = thrice.account().await.unwrap_err();
    let took = started.elapsed();
    assert_transport(&err, true, 2);
    assert!(took >= 3 * TIMEOUT && took < SERVER_DELAY, "took {took:?}");

    // A delay under the timeout is only latency.
    mock.admin(reqwest::Method::DELETE, "/__mock/faults", None)
        .await;
    mock.inject(json!({"fault": "delay=50", "route": "GET /api/account", "count": 1}))
        .await;
    once.account().await.unwrap();
}

#[tokio::test]
async fn a_run_that_times_out_is_not_sent_again_and_can_be_found_afterwards() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    mock.inject(json!({"fault": "delay=1000", "route": "POST /api/run", "count": 1}))
        .await;
    let client = mock
        .client_builder(FREE)
        .timeout(TIMEOUT)
        .retry_policy(RetryPolicy::immediate(2))
        .build()
        .unwrap();
    let err = client
        .run("create-image", json!({"prompt": "x"}), None)
        .await
        .unwrap_err();
    // Timed out (the server answers only after 1 s) and never sent again
    // (no retries counted here, one run in the journal below): no clock needed.
    assert_transport(&err, true, 0);

    // The server went on after the client gave up: this is why a run is not
    // resent, and why the caller should look before running again.
    let list = eventually("the delayed run lands", Duration::from_secs(5), || async {
        let list = client.generations(&ListParams::new()).await.unwrap();
        (list.pagination.as_ref().unwrap().total > Some(0)).then_some(list)
    })
    .await;
    assert_eq!(list.pagination.unwrap().total, Some(1));
    assert_eq!(mock.journal_of("POST", "/api/run").await.len(), 1);
}
