//! Every row of the seed's error table, produced by the binary's real state
//! (or by fault injection for the 5xx rows), checked on the wire (status, JSON
//! body, exact message) and as the library's typed error.

use std::{fmt::Debug, time::Instant};

use artificial_studio::{
    Client, Error, ErrorKind, RetryPolicy,
    types::{ValidationIssue, ValidationIssueCode},
};
use artificial_studio_types::messages;
use reqwest::Method;
use serde_json::json;

use crate::harness::*;

/// Asserts that `result` is the API error of `kind`, with its status and
/// exactly `message`; returns the error.
#[track_caller]
fn assert_api_error<T: Debug>(
    result: artificial_studio::Result<T>,
    kind: ErrorKind,
    message: &str,
) -> Error {
    let err = result.expect_err("an API error");
    match &err {
        Error::Api {
            kind: got,
            status,
            message: got_message,
            retries,
            ..
        } => {
            assert_eq!((*got, *status), (kind, kind.status()), "{err}");
            assert_eq!(got_message, message, "{err}");
            assert_eq!(*retries, 0, "no retries configured");
        }
        other => panic!("expected {kind}, got {other:?}"),
    }
    err
}

fn issue(field: &str, message: &str, code: ValidationIssueCode) -> ValidationIssue {
    ValidationIssue {
        field: field.into(),
        message: message.into(),
        code,
    }
}

#[tokio::test]
async fn bad_requests_are_400_with_each_issue_and_charge_nothing() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);

    // The seed's own example: no tool.
    let body = mock.run(FREE, json!({"input": {"prompt": "a fox"}})).await;
    let body = body.assert_error(400, "Validation failed");
    assert_eq!(
        body.errors,
        [issue("tool", "Required", ValidationIssueCode::InvalidType)]
    );

    let malformed = mock
        .request(Method::POST, "/api/run", Some(FREE))
        .header("content-type", "application/json")
        .body(r#"{"tool": "create-image", "input": "#);
    Answer::of(malformed)
        .await
        .assert_error(400, messages::INVALID_JSON);

    let unknown_field = json!({"tool": "create-image", "input": {"prompt": "x"}, "color": "red"});
    let body = mock
        .run(FREE, unknown_field)
        .await
        .assert_error(400, "Validation failed");
    assert_eq!(body.errors[0].field, "color");
    assert_eq!(body.errors[0].code, ValidationIssueCode::UnrecognizedKeys);

    let client = mock.client(FREE);
    let err = assert_api_error(
        client
            .run(
                "text-to-speech",
                json!({"prompt": "hi", "voice": "robot", "colour": 1}),
                None,
            )
            .await,
        ErrorKind::BadRequest,
        "Validation failed",
    );
    let codes: Vec<(&str, ValidationIssueCode)> = err
        .validation_errors()
        .iter()
        .map(|i| (i.field.as_str(), i.code.clone()))
        .collect();
    assert!(
        codes.contains(&("input.voice", ValidationIssueCode::InvalidEnumValue)),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("input.colour", ValidationIssueCode::UnrecognizedKeys)),
        "{codes:?}"
    );
    assert_eq!(mock.credits(FREE).await, 100, "nothing charged");
}

#[tokio::test]
async fn a_missing_or_wrong_key_is_401_with_the_message_for_each_case() {
    let mock = Mock::start(&["--speed", "0"]);
    let none = Answer::of(mock.request(Method::GET, "/api/account", None)).await;
    none.assert_error(401, messages::AUTHORIZATION_REQUIRED);
    assert_eq!(
        none.header("x-ratelimit-limit"),
        None,
        "no limit headers without a valid key"
    );
    mock.get("/api/account", "not-a-key")
        .await
        .assert_error(401, messages::INVALID_API_KEY);
    mock.get("/api/account", &format!("Bearer {FREE}"))
        .await
        .assert_error(401, messages::INVALID_API_KEY);

    assert_api_error(
        mock.client("not-a-key").account().await,
        ErrorKind::Unauthorized,
        messages::INVALID_API_KEY,
    );
    let bearer = mock.client_builder(&format!("Bearer {FREE}")).build();
    assert!(
        matches!(bearer, Err(Error::Config { .. })),
        "refused before sending"
    );
}

#[tokio::test]
async fn a_run_without_enough_credits_is_402_and_leaves_the_balance() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let run = json!({"tool": "create-image", "input": {"prompt": "a fox"}});
    mock.run(EMPTY, run.clone())
        .await
        .assert_error(402, messages::NOT_ENOUGH_CREDITS);
    assert_eq!(mock.credits(EMPTY).await, 0);

    let client = mock.client(EMPTY);
    assert_api_error(
        client
            .run("create-image", json!({"prompt": "a fox"}), None)
            .await,
        ErrorKind::PaymentRequired,
        messages::NOT_ENOUGH_CREDITS,
    );
    assert_eq!(
        messages::NOT_ENOUGH_CREDITS,
        "You do not have enough credits to perform this action",
        "the seed's words"
    );

    // 5 credits: seedream-4 (6) is refused, flux-schnell (2) is not.
    mock.set_credits(EMPTY, 5).await;
    assert_api_error(
        client
            .run("create-image", json!({"prompt": "a fox"}), None)
            .await,
        ErrorKind::PaymentRequired,
        messages::NOT_ENOUGH_CREDITS,
    );
    assert_eq!(mock.credits(EMPTY).await, 5);
    client
        .run(
            "create-image",
            json!({"prompt": "a fox", "model": "flux-schnell"}),
            None,
        )
        .await
        .unwrap();
    assert_eq!(mock.credits(EMPTY).await, 3);
}

#[tokio::test]
async fn another_accounts_generation_is_403_for_reads() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let id = mock
        .client(PRO)
        .run("create-image", json!({"prompt": "mine"}), None)
        .await
        .unwrap()
        .id;
    mock.get(&format!("/api/generations/{id}"), FREE)
        .await
        .assert_error(403, messages::NO_ACCESS);
    assert_api_error(
        mock.client(FREE).generation(&id).await,
        ErrorKind::Forbidden,
        messages::NO_ACCESS,
    );
    mock.client(PRO).generation(&id).await.unwrap();
}

#[tokio::test]
async fn unknown_tool_model_generation_and_route_are_404_with_their_messages() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let client = mock.client(PRO);

    mock.run(
        PRO,
        json!({"tool": "make-coffee", "input": {"prompt": "x"}}),
    )
    .await
    .assert_error(404, messages::TOOL_NOT_FOUND);
    assert_api_error(
        client
            .run("make-coffee", json!({"prompt": "x"}), None)
            .await,
        ErrorKind::NotFound,
        messages::TOOL_NOT_FOUND,
    );
    mock.get("/api/tools/make-coffee", PRO)
        .await
        .assert_error(404, messages::TOOL_NOT_FOUND);
    assert_api_error(
        client.tool("make-coffee").await,
        ErrorKind::NotFound,
        messages::TOOL_NOT_FOUND,
    );

    let model = json!({"prompt": "x", "model": "dall-e-9"});
    mock.run(PRO, json!({"tool": "create-image", "input": model}))
        .await
        .assert_error(404, messages::MODEL_NOT_FOUND);
    assert_api_error(
        client.run("create-image", model, None).await,
        ErrorKind::NotFound,
        messages::MODEL_NOT_FOUND,
    );

    let unknown_id = "0123456789abcdef01234567";
    mock.get(&format!("/api/generations/{unknown_id}"), PRO)
        .await
        .assert_error(404, messages::GENERATION_NOT_FOUND);
    assert_api_error(
        client.generation(unknown_id).await,
        ErrorKind::NotFound,
        messages::GENERATION_NOT_FOUND,
    );

    mock.get("/api/generate", PRO)
        .await
        .assert_error(404, messages::NOT_FOUND);
    Answer::of(mock.request(Method::GET, "/nothing/here", None))
        .await
        .assert_error(404, messages::NOT_FOUND);
    let mut sink = Vec::new();
    assert_api_error(
        client.download_url("/api/generate", &mut sink).await,
        ErrorKind::NotFound,
        "Not found",
    );
    let wrong_method = Answer::of(mock.request(Method::DELETE, "/api/account", Some(PRO))).await;
    wrong_method.assert_error(405, messages::METHOD_NOT_ALLOWED);
    let allow = wrong_method.header("allow").unwrap();
    assert!(
        allow.split(',').any(|m| m.trim() == "GET"),
        "Allow: {allow}"
    );

    assert_eq!(mock.credits(PRO).await, 100_000, "nothing charged");
}

#[tokio::test]
async fn the_sixty_first_read_in_a_minute_on_the_free_plan_is_429_until_retry_after() {
    let mock = Mock::start(&["--speed", "0"]);
    let started = Instant::now();
    let mut accepted = 0u32;
    let limited = loop {
        let answer = mock.get("/api/account", FREE).await;
        if answer.status == 429 {
            break answer;
        }
        assert_eq!(answer.status, 200, "{}", answer.text());
        assert_eq!(answer.header("x-ratelimit-limit"), Some("60"));
        accepted += 1;
        assert!(accepted <= 200, "no 429 after {accepted} reads");
    };
    // GCRA: a burst of 60, then one more per second.
    let allowance = 60.0 + started.elapsed().as_secs_f64() + 1.0;
    assert!(
        accepted >= 60 && f64::from(accepted) <= allowance,
        "{accepted} reads accepted in {:?}",
        started.elapsed()
    );
    limited.assert_error(429, messages::RATE_LIMITED);
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!(
        (1..=60).contains(&retry_after),
        "Retry-After: {retry_after}"
    );
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));

    let err = assert_api_error(
        mock.client(FREE).account().await,
        ErrorKind::TooManyRequests,
        messages::RATE_LIMITED,
    );
    assert!(err.retry_after().is_some(), "{err:?}");
    assert_eq!(
        mock.get("/api/account", PRO).await.status,
        200,
        "limits are per key"
    );

    // With retries, the client sleeps through Retry-After and gets through.
    let patient = mock
        .client_builder(FREE)
        .retry_policy(RetryPolicy::default().with_max_retries(3))
        .build()
        .unwrap();
    patient.account().await.unwrap();
}

#[tokio::test]
async fn the_twenty_first_run_in_a_minute_on_the_free_plan_is_429_and_charges_nothing() {
    let mock = Mock::start(&["--speed", "0"]);
    let run = json!({"tool": "create-image", "input": {"prompt": "x", "model": "flux-schnell"}});
    let started = Instant::now();
    let mut accepted = 0u64;
    let limited = loop {
        let answer = mock.run(FREE, run.clone()).await;
        if answer.status == 429 {
            break answer;
        }
        assert_eq!(answer.status, 202, "{}", answer.text());
        accepted += 1;
        assert!(accepted <= 60, "no 429 after {accepted} runs");
    };
    // A burst of 20, then one more every 3 s.
    let allowance = 20.0 + started.elapsed().as_secs_f64() / 3.0 + 1.0;
    assert!(
        accepted >= 20 && accepted as f64 <= allowance,
        "{accepted} runs accepted"
    );
    limited.assert_error(429, messages::RATE_LIMITED);
    assert_api_error(
        mock.client(FREE)
            .run("create-image", json!({"prompt": "x"}), None)
            .await,
        ErrorKind::TooManyRequests,
        messages::RATE_LIMITED,
    );
    assert_eq!(mock.credits(FREE).await, 100 - 2 * accepted);
    assert_eq!(
        mock.get("/api/account", FREE).await.status,
        200,
        "reads have their own bucket"
    );
}

#[tokio::test]
async fn injected_500_502_and_503_carry_the_contract_bodies_and_typed_errors() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let client: Client = mock.client(FREE);
    // The words of the API reference, written out rather than taken from
    // the code that builds the answers.
    for (fault, kind, message) in [
        (
            "500",
            ErrorKind::InternalServerError,
            "Internal server error",
        ),
        ("502", ErrorKind::BadGateway, "Bad gateway"),
        (
            "503",
            ErrorKind::ServiceUnavailable,
            "Service temporarily unavailable",
        ),
    ] {
        let raw = mock
            .request(Method::GET, "/api/account", Some(FREE))
            .header("X-Mock-Fault", fault);
        Answer::of(raw).await.assert_error(kind.status(), message);

        mock.inject(json!({"fault": fault, "route": "GET /api/account", "count": 1}))
            .await;
        let err = assert_api_error(client.account().await, kind, message);
        assert!(err.is_retryable(), "{kind} is retryable");
        client.account().await.unwrap();
    }
}
