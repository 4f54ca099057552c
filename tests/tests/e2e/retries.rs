//! The client's retries, counted from the server's request journal.

use std::time::Duration;

use artificial_studio::{Error, ErrorKind, ListParams, RetryPolicy};
use serde_json::json;

use crate::harness::*;

/// The default policy with a 10 ms backoff and no jitter, so the tests do not
/// sleep long.
fn quick_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(max_retries)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(10))
        .with_jitter(0.0)
}

/// `(status, fault)` of each journal entry of one route.
async fn journal_of(mock: &Mock, method: &str, path: &str) -> Vec<(u16, Option<String>)> {
    mock.journal_of(method, path)
        .await
        .into_iter()
        .map(|e| (e.status, e.fault))
        .collect()
}

#[tokio::test]
async fn a_read_answered_503_then_200_shows_two_requests_in_the_journal() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    mock.inject(json!({"fault": "503", "route": "GET /api/account", "count": 1}))
        .await;
    let client = mock
        .client_builder(FREE)
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    client.account().await.unwrap();
    assert_eq!(
        journal_of(&mock, "GET", "/api/account").await,
        [(503, Some("503".into())), (200, None)]
    );
}

#[tokio::test]
async fn a_500_or_502_on_run_is_sent_exactly_once_and_charges_nothing() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let client = mock
        .client_builder(FREE)
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    for fault in ["500", "502"] {
        mock.admin(reqwest::Method::DELETE, "/__mock/journal", None)
            .await;
        mock.inject(json!({"fault": fault, "route": "POST /api/run", "count": 1}))
            .await;
        let err = client
            .run("create-image", json!({"prompt": "x"}), None)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(fault.parse().unwrap()), "{err}");
        assert_eq!(
            err.retries(),
            0,
            "a run the server may have processed is not resent"
        );
        assert_eq!(
            journal_of(&mock, "POST", "/api/run").await,
            [(fault.parse().unwrap(), Some(fault.to_string()))]
        );
    }
    assert_eq!(mock.credits(FREE).await, 100);
    let list = client.generations(&ListParams::new()).await.unwrap();
    assert_eq!(list.pagination.unwrap().total, Some(0));
}

#[tokio::test]
async fn a_503_on_run_is_sent_again_and_the_generation_is_created_once() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    mock.inject(json!({"fault": "503", "route": "POST /api/run", "count": 1}))
        .await;
    let client = mock
        .client_builder(FREE)
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    client
        .run("create-image", json!({"prompt": "x"}), None)
        .await
        .unwrap();
    assert_eq!(
        journal_of(&mock, "POST", "/api/run").await,
        [(503, Some("503".into())), (202, None)]
    );
    assert_eq!(mock.credits(FREE).await, 100 - 6, "charged once");
    let list = client.generations(&ListParams::new()).await.unwrap();
    assert_eq!(list.pagination.unwrap().total, Some(1));
}

#[tokio::test]
async fn a_429_is_retried_after_the_servers_retry_after() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    mock.inject(json!({"fault": "429", "route": "POST /api/run", "count": 1}))
        .await;
    let client = mock
        .client_builder(FREE)
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    client
        .run("create-image", json!({"prompt": "x"}), None)
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was honoured, not the 10 ms backoff"
    );
    assert_eq!(
        journal_of(&mock, "POST", "/api/run").await,
        [(429, Some("429".into())), (202, None)]
    );
}

#[tokio::test]
async fn retries_stop_at_the_configured_count_and_the_journal_agrees() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    mock.inject(json!({"fault": "503", "route": "GET /api/tools"}))
        .await;
    let client = mock
        .client_builder(FREE)
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    let err = client.tools().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                kind: ErrorKind::ServiceUnavailable,
                retries: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(journal_of(&mock, "GET", "/api/tools").await.len(), 4);
    assert!(
        err.waited() >= Duration::from_millis(30),
        "{:?}",
        err.waited()
    );
}
