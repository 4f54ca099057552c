//! The admin API over HTTP, and its token.

use artificial_studio_mock::MockServer;
use reqwest::Method;
use serde_json::json;

use crate::support::*;

fn admin(api: &Api, method: Method, path: &str) -> reqwest::RequestBuilder {
    api.http.request(method, api.url(path))
}

#[tokio::test]
async fn admin_sets_credits_and_plan_and_creates_keys() {
    let (_server, api) = fast_server().await;
    let answer = api
        .send(
            admin(&api, Method::PATCH, "/__mock/accounts")
                .json(&json!({"key": FREE, "credits": 3, "plan": "pro"})),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let account = api.get("/api/account", FREE).await.body;
    assert_eq!(
        (account["credits"].as_u64(), account["plan"].as_str()),
        (Some(3), Some("pro"))
    );
    let created = api
        .send(
            admin(&api, Method::POST, "/__mock/accounts")
                .json(&json!({"key": "team-key", "credits": 9})),
        )
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(api.credits("team-key").await, 9);
    let again = api
        .send(admin(&api, Method::POST, "/__mock/accounts").json(&json!({"key": "team-key"})))
        .await;
    assert_eq!(again.status, 409);
    let unknown = api
        .send(
            admin(&api, Method::PATCH, "/__mock/accounts")
                .json(&json!({"key": "nope", "credits": 1})),
        )
        .await;
    assert_eq!(unknown.status, 404);
    let accounts = api.send(admin(&api, Method::GET, "/__mock/accounts")).await;
    assert_eq!(accounts.body["data"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn journal_records_requests_without_keys() {
    let (server, api) = fast_server().await;
    api.get("/api/tools?x=1", FREE).await;
    api.get("/api/account", "wrong-key").await;
    let journal = api
        .send(admin(&api, Method::GET, "/__mock/journal"))
        .await
        .body;
    let entries = journal["data"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "admin calls are not journaled");
    assert_eq!(entries[0]["method"], "GET");
    assert_eq!(entries[0]["path"], "/api/tools");
    assert_eq!(entries[0]["query"], "x=1");
    assert_eq!(entries[0]["status"], 200);
    assert_eq!(entries[0]["accountId"].as_str().unwrap().len(), 24);
    assert!(entries[1]["accountId"].is_null());
    assert_eq!(entries[1]["status"], 401);
    let text = journal.to_string();
    assert!(
        !text.contains(FREE) && !text.contains("wrong-key"),
        "no keys in the journal"
    );
    assert_eq!(server.journal().await.len(), 2);
    api.send(admin(&api, Method::DELETE, "/__mock/journal"))
        .await;
    assert!(server.journal().await.is_empty());
}

#[tokio::test]
async fn faults_and_outcomes_can_be_scripted_over_http() {
    let (_server, api) = fast_server().await;
    let rule = api
        .send(
            admin(&api, Method::POST, "/__mock/faults")
                .json(&json!({"fault": "503", "route": "POST /api/run", "count": 1})),
        )
        .await;
    assert_eq!(rule.status, 201, "{}", rule.body);
    assert_eq!(rule.body["id"], 1);
    let run = json!({"tool": "create-image", "input": {"prompt": "x"}});
    assert_eq!(api.run(FREE, run.clone()).await.status, 503);
    let bad = api
        .send(admin(&api, Method::POST, "/__mock/faults").json(&json!({"fault": "418"})))
        .await;
    assert_eq!(bad.status, 400);
    let outcome = api
        .send(
            admin(&api, Method::POST, "/__mock/outcomes")
                .json(&json!({"tool": "create-image", "error": "GPU on fire"})),
        )
        .await;
    assert_eq!(outcome.status, 201, "{}", outcome.body);
    let id = api.run(FREE, run).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let generation = api.get(&format!("/api/generations/{id}"), FREE).await.body;
    assert_eq!(generation["error"], "GPU on fire");
    let unknown_tool = api
        .send(
            admin(&api, Method::POST, "/__mock/outcomes")
                .json(&json!({"tool": "nope", "error": "x"})),
        )
        .await;
    assert_eq!(unknown_tool.status, 404);
}

#[tokio::test]
async fn reset_restores_balances_and_forgets_generations() {
    let (_server, api) = fast_server().await;
    api.create_image(FREE).await;
    assert_eq!(api.credits(FREE).await, 94);
    let reset = api.send(admin(&api, Method::POST, "/__mock/reset")).await;
    assert_eq!(reset.status, 204);
    assert_eq!(api.credits(FREE).await, 100);
    assert_eq!(
        api.get("/api/generations", FREE).await.body["pagination"]["total"],
        0
    );
}

#[tokio::test]
async fn admin_token_is_required_when_set() {
    let (_server, api) = start(MockServer::builder().admin_token("s3cret")).await;
    let denied = api.send(admin(&api, Method::GET, "/__mock/journal")).await;
    denied.assert_error(401, "Invalid admin token");
    let allowed = api
        .send(admin(&api, Method::GET, "/__mock/journal").header("X-Admin-Token", "s3cret"))
        .await;
    assert_eq!(allowed.status, 200);
}
