//! What a run costs: per generation, or per second of the run's duration at
//! the price of its resolution; the 402 and the refund use that same amount.

use artificial_studio_types::messages;
use serde_json::{Value, json};

use crate::support::*;

/// Runs `tool` with `input` as `FREE` holding `credits`, and returns the
/// answer and the credits taken.
async fn charged(credits: u64, tool: &str, input: Value) -> (Answer, u64) {
    let (server, api) = fast_server().await;
    server.set_credits(FREE, credits).await.unwrap();
    let answer = api.run(FREE, json!({"tool": tool, "input": input})).await;
    let left = api.credits(FREE).await;
    (answer, credits - left)
}

#[tokio::test]
async fn a_per_second_model_charges_its_price_times_the_duration() {
    let (answer, spent) = charged(
        1000,
        "create-video",
        json!({"model": "seedance-2-text-to-video", "prompt": "waves", "duration": "8"}),
    )
    .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(spent, 27 * 8);
    // The default model and every default: 480p for 5 seconds.
    let (answer, spent) = charged(1000, "create-video", json!({"prompt": "waves"})).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(spent, 27 * 5);
    // A duration given as a number.
    let (_, spent) = charged(
        1000,
        "animate-image",
        json!({"model": "kling-o3-image-to-video", "image_url": "https://example.com/a.png", "duration": 7}),
    )
    .await;
    assert_eq!(spent, 44 * 7);
    // `auto` is charged as the smallest listed duration (1 s here).
    let (_, spent) = charged(
        1000,
        "sound-effects",
        json!({"model": "elevenlabs-sound-effects", "prompt": "rain", "duration": "auto"}),
    )
    .await;
    assert_eq!(spent, 1);
    // No duration field at all: 5 seconds.
    let (_, spent) = charged(
        1000,
        "create-video",
        json!({"model": "veo3-fast-text-to-video", "prompt": "waves"}),
    )
    .await;
    assert_eq!(spent, 30 * 5);
}

#[tokio::test]
async fn the_price_of_the_chosen_resolution_applies() {
    let (answer, spent) = charged(
        1000,
        "create-video",
        json!({"model": "seedance-2-text-to-video", "prompt": "waves", "duration": "4", "resolution": "720p"}),
    )
    .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(spent, 61 * 4);
    let image = "https://example.com/a.png";
    let (_, spent) = charged(
        2000,
        "animate-image",
        json!({"model": "veo3-1-image-to-video", "image_url": image, "prompt": "x", "resolution": "4k"}),
    )
    .await;
    assert_eq!(spent, 120 * 8);
    let (_, spent) = charged(
        2000,
        "animate-image",
        json!({"model": "veo3-1-image-to-video", "image_url": image, "prompt": "x", "resolution": "1080p", "duration": "6"}),
    )
    .await;
    assert_eq!(spent, 80 * 6);
}

#[tokio::test]
async fn credits_for_one_second_but_not_the_whole_run_are_402() {
    // 100 credits pay for 3 seconds at 30/s, not for the 5 charged.
    let (answer, spent) = charged(
        100,
        "create-video",
        json!({"model": "veo3-fast-text-to-video", "prompt": "waves"}),
    )
    .await;
    answer.assert_error(402, messages::NOT_ENOUGH_CREDITS);
    assert_eq!(spent, 0);
    // Exactly the amount is enough.
    let (answer, spent) = charged(
        150,
        "create-video",
        json!({"model": "veo3-fast-text-to-video", "prompt": "waves"}),
    )
    .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(spent, 150);
    // 61 credits pay for one second at 720p, not for four.
    let (answer, _) = charged(
        61 * 4 - 1,
        "create-video",
        json!({"prompt": "waves", "duration": "4", "resolution": "720p"}),
    )
    .await;
    answer.assert_error(402, messages::NOT_ENOUGH_CREDITS);
}

#[tokio::test]
async fn a_failed_per_second_run_gets_the_whole_amount_back() {
    let (server, api) = fast_server().await;
    server.set_credits(FREE, 1000).await.unwrap();
    server
        .fail_next_generation("animate-image", "Video generation failed")
        .await
        .unwrap();
    let input = json!({
        "model": "seedance-2-image-to-video",
        "image_url": "https://example.com/a.png",
        "prompt": "x",
        "duration": "10",
        "resolution": "720p",
    });
    let failed = api
        .run(FREE, json!({"tool": "animate-image", "input": input}))
        .await;
    assert_eq!(failed.status, 202, "{}", failed.body);
    let id = failed.body["id"].as_str().unwrap();
    let path = format!("/api/generations/{id}");
    eventually(5, || async {
        api.get(&path, FREE).await.body["status"] == "error"
    })
    .await;
    assert_eq!(api.credits(FREE).await, 1000, "all 610 credits came back");
    // The same run, not failed, keeps them.
    let kept = api
        .run(FREE, json!({"tool": "animate-image", "input": input}))
        .await;
    assert_eq!(kept.status, 202, "{}", kept.body);
    assert_eq!(api.credits(FREE).await, 1000 - 61 * 10);
}
