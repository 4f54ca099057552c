//! Generations: debit, lifecycle, refunds, ownership, pagination, eviction, and
//! credits under concurrency.

use std::collections::HashSet;

use artificial_studio_mock::{MockServer, RateLimits};
use artificial_studio_types::{GenerationStatus, Plan, messages};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn run_answers_202_processing_and_debits_the_models_cost() {
    let (_server, api) = fast_server().await;
    let answer = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
        )
        .await;
    assert_eq!(answer.status, 202);
    assert_eq!(answer.body["status"], "processing");
    assert_eq!(answer.body["tool"], "create-image");
    let id = answer.body["id"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert!(answer.body["createdAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(api.credits(FREE).await, 100 - 6);
    let other_model = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"model": "flux-schnell", "prompt": "x"}}),
        )
        .await;
    assert_eq!(other_model.status, 202);
    assert_eq!(api.credits(FREE).await, 100 - 6 - 2);
}

#[tokio::test]
async fn generation_records_the_payload_with_model_and_defaults() {
    let (_server, api) = fast_server().await;
    let id = api.create_image(FREE).await;
    let generation = api.get(&format!("/api/generations/{id}"), FREE).await;
    assert_eq!(generation.status, 200);
    assert_eq!(
        generation.body["payload"],
        json!({"model": "seedream-4", "prompt": "a fox", "image_size": "square_hd"})
    );
    assert_eq!(generation.body["type"], "image");
    assert_eq!(generation.body["status"], "success");
    assert_eq!(generation.body["error"], serde_json::Value::Null);
}

#[tokio::test]
async fn lifecycle_goes_pending_processing_uploading_success_on_schedule() {
    let (_server, api) = start(
        MockServer::builder()
            .rate_limits(RateLimits::Off)
            .stage_ms(300, 300, 300),
    )
    .await;
    let answer = api
        .run(
            FREE,
            json!({"tool": "create-image", "input": {"prompt": "x"}}),
        )
        .await;
    assert_eq!(answer.body["status"], "pending");
    let id = answer.body["id"].as_str().unwrap().to_string();
    let mut seen: Vec<String> = Vec::new();
    let path = format!("/api/generations/{id}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < deadline {
        let body = api.get(&path, FREE).await.body;
        let status = body["status"].as_str().unwrap().to_string();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "success" {
            assert!(
                body["output"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/outputs/{id}.png"))
            );
            assert!(body["thumbnail"].as_str().unwrap().ends_with(".png"));
            break;
        }
        assert!(body["output"].is_null());
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(seen, ["pending", "processing", "uploading", "success"]);
}

#[tokio::test]
async fn scripted_failure_ends_in_error_and_refunds() {
    let (server, api) = fast_server().await;
    server
        .fail_next_generation("create-image", "NSFW content detected")
        .await
        .unwrap();
    let id = api.create_image(FREE).await;
    let body = api.get(&format!("/api/generations/{id}"), FREE).await.body;
    assert_eq!(body["status"], "error");
    assert_eq!(body["error"], "NSFW content detected");
    assert!(body["output"].is_null());
    assert_eq!(api.credits(FREE).await, 100, "refunded");
    // Only the next one fails.
    let id = api.create_image(FREE).await;
    let body = api.get(&format!("/api/generations/{id}"), FREE).await.body;
    assert_eq!(body["status"], "success");
}

#[tokio::test]
async fn a_refused_run_uses_up_no_scripted_failure() {
    let (server, api) = fast_server().await;
    server
        .fail_next_generation("create-image", "boom")
        .await
        .unwrap();
    let refused = api
        .run(
            EMPTY,
            json!({"tool": "create-image", "input": {"prompt": "x"}}),
        )
        .await;
    refused.assert_error(402, messages::NOT_ENOUGH_CREDITS);
    // The next generation that is made is the one that fails.
    let id = api.create_image(FREE).await;
    let body = api.get(&format!("/api/generations/{id}"), FREE).await.body;
    assert_eq!(body["status"], "error");
    assert_eq!(body["error"], "boom");
    assert_eq!(api.credits(FREE).await, 100, "refunded");
}

#[tokio::test]
async fn failure_keeps_credits_taken_until_the_error_then_refunds() {
    let (server, api) = start(
        MockServer::builder()
            .rate_limits(RateLimits::Off)
            .stage_ms(0, 200, 0),
    )
    .await;
    server.fail_next_generation("*", "boom").await.unwrap();
    let id = api.create_image(FREE).await;
    assert_eq!(api.credits(FREE).await, 94, "taken at creation");
    let path = format!("/api/generations/{id}");
    eventually(5, || async {
        api.get(&path, FREE).await.body["status"] == "error"
    })
    .await;
    assert_eq!(api.credits(FREE).await, 100);
}

#[tokio::test]
async fn list_is_newest_first_paginated_and_filtered_by_status() {
    let (server, api) = fast_server().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        if i == 2 {
            server
                .fail_next_generation("create-image", "x")
                .await
                .unwrap();
        }
        ids.push(api.create_image(PRO).await);
    }
    api.create_image(FREE).await; // someone else's
    let page = api.get("/api/generations?limit=2&offset=1", PRO).await;
    let got: Vec<_> = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, [ids[3].clone(), ids[2].clone()]);
    assert_eq!(
        page.body["pagination"],
        json!({"total": 5, "limit": 2, "offset": 1, "hasMore": true})
    );
    let last = api.get("/api/generations?limit=2&offset=4", PRO).await;
    assert_eq!(last.body["pagination"]["hasMore"], false);
    let failed = api.get("/api/generations?status=error", PRO).await;
    assert_eq!(failed.body["pagination"]["total"], 1);
    assert_eq!(failed.body["data"][0]["id"], ids[2].as_str());
    let default = api.get("/api/generations", PRO).await;
    assert_eq!(default.body["pagination"]["limit"], 20);
}

#[tokio::test]
async fn oldest_finished_generations_are_evicted_beyond_the_cap() {
    let (_server, api) = start(fast().max_generations(3)).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(api.create_image(PRO).await);
    }
    let list = api.get("/api/generations", PRO).await;
    assert_eq!(list.body["pagination"]["total"], 3);
    api.get(&format!("/api/generations/{}", ids[0]), PRO)
        .await
        .assert_error(404, messages::GENERATION_NOT_FOUND);
    assert_eq!(
        api.get(&format!("/api/generations/{}", ids[4]), PRO)
            .await
            .status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credits_never_go_negative_under_1000_concurrent_runs_from_one_key() {
    let (server, api) = fast_server().await;
    // 100 runs of 6 credits fit in 600; the other 900 must be refused.
    server.set_credits(PRO, 600).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..1000 {
        let api = api.clone();
        tasks.push(tokio::spawn(async move {
            api.run(
                PRO,
                json!({"tool": "create-image", "input": {"prompt": "x"}}),
            )
            .await
            .status
            .as_u16()
        }));
    }
    let mut accepted = 0;
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            202 => accepted += 1,
            402 => refused += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((accepted, refused), (100, 900));
    assert_eq!(api.credits(PRO).await, 0);
    let listed = api.get("/api/generations?limit=100", PRO).await;
    assert_eq!(
        listed.body["pagination"]["total"], 100,
        "no generation lost"
    );
    let ids: HashSet<_> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 100, "ids are unique");
}

#[tokio::test]
async fn account_shows_plan_and_balance_and_follows_admin_changes() {
    let (server, api) = fast_server().await;
    let account = api.get("/api/account", FREE).await.body;
    assert_eq!(account["plan"], "free");
    assert_eq!(account["credits"], 100);
    assert_eq!(account["email"], "free@example.com");
    assert_eq!(account["id"].as_str().unwrap().len(), 24);
    server.set_plan(FREE, Plan::Pro).await.unwrap();
    server.set_credits(FREE, 7).await.unwrap();
    let account = api.get("/api/account", FREE).await.body;
    assert_eq!(
        (account["plan"].as_str(), account["credits"].as_u64()),
        (Some("pro"), Some(7))
    );
    let key = server.create_key(Plan::Free, 12).await.unwrap();
    assert_eq!(api.credits(&key).await, 12);
}

#[tokio::test]
async fn statuses_reported_are_always_from_the_contract() {
    let (_server, api) = fast_server().await;
    let id = api.create_image(FREE).await;
    let body = api.get(&format!("/api/generations/{id}"), FREE).await.body;
    let status: GenerationStatus = serde_json::from_value(body["status"].clone()).unwrap();
    assert!(status.is_final());
    let parsed: artificial_studio_types::Generation = serde_json::from_value(body).unwrap();
    assert_eq!(parsed.id, id);
}
