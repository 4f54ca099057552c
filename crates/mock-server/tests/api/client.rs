//! `MockServer::client()` (the `client` feature, which this crate's tests
//! turn on): a ready client of the `artificial-studio` crate.

use std::time::{Duration, Instant};

use artificial_studio::{ErrorKind, WaitOptions};
use artificial_studio_mock::{AccountConfig, MockServer};
use artificial_studio_types::{GenerationStatus, Plan};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn the_handles_client_runs_and_waits_without_sleeping_its_first_interval() {
    let server = MockServer::builder().speed(0.0).start().await.unwrap();
    let client = server.client().unwrap();
    let started = Instant::now();
    let image = client
        .run_and_wait(
            "create-image",
            json!({"prompt": "a fox"}),
            WaitOptions::default(),
        )
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(image.status, GenerationStatus::Success);
    assert!(image.output.is_some());
    // Without the server's hint the client would sleep its first interval
    // (2 s) before polling; a loaded machine still answers in well under 1 s.
    assert!(took < Duration::from_secs(1), "run_and_wait took {took:?}");
}

#[tokio::test]
async fn the_handles_client_uses_the_demo_pro_key() {
    let server = MockServer::start().await.unwrap();
    let account = server.client().unwrap().account().await.unwrap();
    assert_eq!(account.plan, Plan::Pro);
    assert_eq!(account.credits, 100_000);
    assert_eq!(
        server.client().unwrap().base_url().as_str(),
        format!("{}/", server.base_url())
    );
}

#[tokio::test]
async fn with_accounts_of_its_own_the_handles_client_uses_the_first() {
    let server = MockServer::builder()
        .account(AccountConfig::new("team-a", Plan::Free, 42))
        .account(AccountConfig::new("team-b", Plan::Pro, 7))
        .start()
        .await
        .unwrap();
    let account = server.client().unwrap().account().await.unwrap();
    assert_eq!((account.plan, account.credits), (Plan::Free, 42));
}

#[tokio::test]
async fn the_client_builder_takes_another_key() {
    let server = fast().start().await.unwrap();
    let broke = server.client_builder().api_key(EMPTY).build().unwrap();
    let refused = broke
        .run("create-image", json!({"prompt": "a fox"}), None)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), Some(ErrorKind::PaymentRequired));
    assert_eq!(server.credits(PRO).await.unwrap(), 100_000);
}
