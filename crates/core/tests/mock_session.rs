//! `ClientBuilder::mock_session` against the sandbox: every request lives in
//! the session it names.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use artificial_studio::{Client, ErrorKind};
use artificial_studio_mock::{DEMO_FREE_KEY, MockServer, RateLimits};
use serde_json::json;

#[tokio::test]
async fn a_client_with_a_mock_session_lives_in_that_session_only() {
    let server = MockServer::builder()
        .speed(0.0)
        .rate_limits(RateLimits::Off)
        .start()
        .await
        .unwrap();
    let client = |session: Option<&str>| {
        let builder = Client::builder()
            .api_key(DEMO_FREE_KEY)
            .base_url(server.base_url());
        match session {
            Some(name) => builder.mock_session(name).build().unwrap(),
            None => builder.build().unwrap(),
        }
    };
    let in_session = client(Some("ci-1"));
    let outside = client(None);
    let created = in_session
        .run("create-image", json!({"prompt": "a fox"}), None)
        .await
        .unwrap();
    let spent = in_session.account().await.unwrap().credits;
    assert!(spent < 100);
    assert_eq!(
        server
            .session("ci-1")
            .await
            .unwrap()
            .credits(DEMO_FREE_KEY)
            .await
            .unwrap(),
        spent
    );
    assert_eq!(outside.account().await.unwrap().credits, 100);
    assert!(in_session.generation(&created.id).await.is_ok());
    let elsewhere = outside.generation(&created.id).await.unwrap_err();
    assert_eq!(elsewhere.kind(), Some(ErrorKind::NotFound));
    assert!(client(Some("ci-2")).generation(&created.id).await.is_err());
}

#[test]
fn a_bad_mock_session_name_is_refused_before_sending() {
    for name in ["", "a b", "a/b", ".x", &"x".repeat(65)] {
        let built = Client::builder().api_key("k").mock_session(name).build();
        let error = built.unwrap_err();
        assert!(
            error.to_string().contains("Invalid mock session name"),
            "{name:?}: {error}"
        );
    }
}
