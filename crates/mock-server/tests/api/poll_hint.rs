//! `X-Poll-After-Ms`: when a run's `202` and each poll of a generation say to
//! poll next, from the server's own schedule.

use artificial_studio_mock::{MockServer, RateLimits};
use serde_json::json;

use crate::support::*;

const HINT: &str = "x-poll-after-ms";

/// The hint of an answer, in milliseconds.
#[track_caller]
fn hint(answer: &Answer) -> u64 {
    let value = answer.header(HINT);
    value
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no valid {HINT}: {value:?} ({})", answer.status))
}

#[tokio::test]
async fn at_speed_0_the_202_and_a_poll_say_to_poll_at_once() {
    let (_server, api) = fast_server().await;
    let run = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
        )
        .await;
    assert_eq!(run.status, 202);
    assert_eq!(run.header(HINT), Some("0"));
    let id = run.body["id"].as_str().unwrap();
    let polled = api.get(&format!("/api/generations/{id}"), FREE).await;
    assert_eq!(polled.body["status"], "success");
    assert_eq!(polled.header(HINT), Some("0"));
}

#[tokio::test]
async fn a_generation_that_failed_says_to_poll_at_once_too() {
    let (server, api) = fast_server().await;
    server
        .fail_next_generation("create-image", "NSFW content detected")
        .await
        .unwrap();
    let id = api.create_image(FREE).await;
    let polled = api.get(&format!("/api/generations/{id}"), FREE).await;
    assert_eq!(polled.body["status"], "error");
    assert_eq!(polled.header(HINT), Some("0"));
}

#[tokio::test]
async fn at_speed_1_the_202_says_when_processing_ends_and_a_poll_counts_down() {
    // The documented 2 s in `processing`, 0.5 s in `uploading`.
    let (_server, api) = start(MockServer::builder().rate_limits(RateLimits::Off)).await;
    let run = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
        )
        .await;
    assert_eq!(run.body["status"], "processing");
    // 2 s, and the 2 ms the hint errs late by.
    assert_eq!(hint(&run), 2002);
    let id = run.body["id"].as_str().unwrap();
    let polled = api.get(&format!("/api/generations/{id}"), FREE).await;
    assert_eq!(polled.body["status"], "processing");
    let left = hint(&polled);
    assert!(left > 0 && left <= 2003, "{left} ms");
}

#[tokio::test]
async fn a_pending_generation_is_hinted_the_time_it_stays_pending() {
    let (_server, api) = start(
        MockServer::builder()
            .rate_limits(RateLimits::Off)
            .stage_ms(300, 300, 300),
    )
    .await;
    let run = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
        )
        .await;
    assert_eq!(run.body["status"], "pending");
    assert_eq!(hint(&run), 302);
}

#[tokio::test]
async fn following_the_hints_sees_every_status_and_ends_on_0() {
    // 20 ms in `processing` and 5 ms in `uploading`.
    let (_server, api) = start(
        MockServer::builder()
            .speed(0.01)
            .rate_limits(RateLimits::Off),
    )
    .await;
    let run = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
        )
        .await;
    let mut wait = hint(&run);
    assert_eq!(wait, 22);
    let path = format!("/api/generations/{}", run.body["id"].as_str().unwrap());
    let mut seen = vec!["processing".to_string()];
    for _ in 0..200 {
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        let polled = api.get(&path, FREE).await;
        let status = polled.body["status"].as_str().unwrap().to_string();
        wait = hint(&polled);
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "success" {
            assert_eq!(wait, 0);
            break;
        }
        // Running: never 0 (a client would ask again at once, in a loop),
        // never more than what is left of the schedule.
        assert!((1..=22).contains(&wait), "{wait} ms while {status}");
    }
    assert_eq!(seen.last().map(String::as_str), Some("success"), "{seen:?}");
}

#[tokio::test]
async fn refusals_carry_no_hint() {
    let (_server, api) = fast_server().await;
    let refused = api
        .run(
            EMPTY,
            json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
        )
        .await;
    assert_eq!(refused.status, 402);
    assert_eq!(refused.header(HINT), None);
    let unknown = api
        .get("/api/generations/65f1c0ffee0123456789abcd", FREE)
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.header(HINT), None);
}
