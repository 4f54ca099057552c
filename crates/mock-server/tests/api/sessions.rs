//! Sessions: `X-Mock-Session: NAME` or `/s/NAME/`, each with its own state.

use std::time::Duration;

use artificial_studio_mock::{Fault, FaultRule, MockServer};
use artificial_studio_types::{messages, rules::session::INVALID_SESSION_NAME};
use reqwest::{
    Method,
    header::{HeaderMap, HeaderValue},
};
use serde_json::{Value, json};

use crate::support::*;

/// A client of session `name` through the path prefix `/s/NAME`.
fn by_prefix(server: &MockServer, name: &str) -> Api {
    Api::new(server).in_session(name)
}

/// A client of session `name` through the header `X-Mock-Session`.
fn by_header(server: &MockServer, name: &str) -> Api {
    let mut headers = HeaderMap::new();
    headers.insert("x-mock-session", HeaderValue::from_str(name).unwrap());
    Api {
        base: server.base_url(),
        http: reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap(),
    }
}

fn journal_paths(journal: &Value) -> Vec<String> {
    journal["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn two_sessions_never_see_each_others_accounts_generations_or_journal() {
    let (server, default) = fast_server().await;
    let a = by_prefix(&server, "job-a");
    let b = by_header(&server, "job-b");
    let id = a.create_image(FREE).await;
    let spent = a.credits(FREE).await;
    assert!(spent < 100, "the run in job-a cost nothing: {spent}");
    assert_eq!(b.credits(FREE).await, 100, "job-b starts at the start");
    assert_eq!(default.credits(FREE).await, 100, "the default session too");

    assert_eq!(
        a.get(&format!("/api/generations/{id}"), FREE).await.status,
        200
    );
    for other in [&b, &default] {
        other
            .get(&format!("/api/generations/{id}"), FREE)
            .await
            .assert_error(404, messages::GENERATION_NOT_FOUND);
        let list = other.get("/api/generations", FREE).await;
        assert_eq!(list.body["data"], json!([]), "{}", list.body);
    }

    let a_journal = a.admin(Method::GET, "/__mock/journal", None).await.body;
    let b_journal = b.admin(Method::GET, "/__mock/journal", None).await.body;
    assert!(journal_paths(&a_journal).contains(&"/api/run".to_string()));
    assert!(!journal_paths(&b_journal).contains(&"/api/run".to_string()));
    assert!(
        !journal_paths(
            &default
                .admin(Method::GET, "/__mock/journal", None)
                .await
                .body
        )
        .contains(&"/api/run".to_string())
    );
    // A session's journal keeps the API's path, without the prefix.
    assert!(
        journal_paths(&a_journal)
            .iter()
            .all(|p| !p.starts_with("/s/"))
    );
}

#[tokio::test]
async fn outputs_and_uploads_resolve_only_in_the_session_that_made_them() {
    let (server, default) = fast_server().await;
    let a = by_prefix(&server, "a");
    let b = by_prefix(&server, "b");
    let id = a.create_image(FREE).await;
    let generation = a.get(&format!("/api/generations/{id}"), FREE).await.body;
    let output = generation["output"].as_str().unwrap().to_string();
    let own_prefix = format!("{}/s/a/outputs/", server.base_url());
    assert!(output.starts_with(&own_prefix), "{output}");
    let fetched = a.http.get(&output).send().await.unwrap();
    assert_eq!(fetched.status(), 200);

    let file = output.strip_prefix(&a.base).unwrap();
    for elsewhere in [b.url(file), default.url(file)] {
        let answer = b.send(b.http.get(&elsewhere)).await;
        answer.assert_error(404, messages::NOT_FOUND);
    }

    let upload = a
        .send(
            a.request(Method::POST, "/api/files", Some(FREE))
                .header("content-type", "image/png")
                .body(vec![7u8; 64]),
        )
        .await;
    assert_eq!(upload.status, 201, "{}", upload.body);
    let url = upload.body["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/s/a/files/", server.base_url())));
    let served = a.http.get(url).send().await.unwrap();
    assert_eq!(served.bytes().await.unwrap().as_ref(), [7u8; 64]);
    let file = url.strip_prefix(&a.base).unwrap();
    assert!(file.starts_with("/files/"), "{file}");
    b.send(b.http.get(b.url(file)))
        .await
        .assert_error(404, messages::NOT_FOUND);
    default
        .send(default.http.get(default.url(file)))
        .await
        .assert_error(404, messages::NOT_FOUND);
}

#[tokio::test]
async fn faults_and_scripted_outcomes_act_in_their_session_only() {
    let (server, default) = fast_server().await;
    let a = by_prefix(&server, "a");
    let b = by_prefix(&server, "b");
    let session_a = server.session("a").await.unwrap();
    session_a
        .inject_fault(FaultRule::new(Fault::Status(503), "GET /api/account"))
        .await
        .unwrap();
    session_a
        .fail_next_generation("create-image", "scripted in a")
        .await
        .unwrap();
    let listed = a.admin(Method::GET, "/__mock/faults", None).await.body;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        b.admin(Method::GET, "/__mock/faults", None).await.body["data"],
        json!([])
    );

    assert_eq!(b.get("/api/account", FREE).await.status, 200);
    assert_eq!(default.get("/api/account", FREE).await.status, 200);
    a.get("/api/account", FREE)
        .await
        .assert_error(503, messages::SERVICE_UNAVAILABLE);

    let in_b = b.create_image(FREE).await;
    let in_b = b.get(&format!("/api/generations/{in_b}"), FREE).await.body;
    assert_eq!(in_b["status"], "success", "{in_b}");
    let in_a = a.create_image(FREE).await;
    let in_a = a.get(&format!("/api/generations/{in_a}"), FREE).await.body;
    assert_eq!(in_a["status"], "error", "{in_a}");
    assert_eq!(in_a["error"], "scripted in a");
}

#[tokio::test]
async fn resetting_one_session_leaves_the_others_intact() {
    let (server, default) = fast_server().await;
    let a = by_prefix(&server, "a");
    let b = by_prefix(&server, "b");
    for api in [&a, &b, &default] {
        api.create_image(FREE).await;
    }
    let spent = b.credits(FREE).await;
    let reset = a.admin(Method::POST, "/__mock/reset", None).await;
    assert_eq!(reset.status, 204);
    assert_eq!(a.credits(FREE).await, 100);
    assert_eq!(b.credits(FREE).await, spent);
    assert_eq!(default.credits(FREE).await, spent);
    let b_list = b.get("/api/generations", FREE).await.body;
    assert_eq!(b_list["data"].as_array().unwrap().len(), 1);
    // The library's handle resets its session alone too.
    server.session("b").await.unwrap().reset().await;
    assert_eq!(b.credits(FREE).await, 100);
    assert_eq!(default.credits(FREE).await, spent);
}

#[tokio::test]
async fn header_and_prefix_name_the_same_session_and_must_agree() {
    let (server, _default) = fast_server().await;
    let by_header = by_header(&server, "ci-4711");
    by_header.create_image(FREE).await;
    let spent = by_header.credits(FREE).await;
    assert_eq!(by_prefix(&server, "ci-4711").credits(FREE).await, spent);
    assert_eq!(
        server
            .session("ci-4711")
            .await
            .unwrap()
            .credits(FREE)
            .await
            .unwrap(),
        spent
    );
    // Both, naming two sessions: refused.
    let both = by_header
        .send(by_header.request(Method::GET, "/s/other/api/account", Some(FREE)))
        .await;
    assert_eq!(both.status, 400, "{}", both.body);
    assert_eq!(both.header("content-type"), Some("application/json"));
    // `/s/NAME` alone is the session's root, which nothing serves.
    let plain = by_prefix(&server, "x");
    let root = plain.send(plain.http.get(&plain.base)).await;
    root.assert_error(404, messages::NOT_FOUND);
}

#[tokio::test]
async fn a_bad_session_name_is_a_json_400() {
    let (server, api) = fast_server().await;
    for path in [
        "/s/a%20b/api/account",
        "/s/.hidden/api/account",
        "/s//api/account",
    ] {
        api.get(path, FREE)
            .await
            .assert_error(400, INVALID_SESSION_NAME);
    }
    let long = format!("/s/{}/api/account", "x".repeat(65));
    api.get(&long, FREE)
        .await
        .assert_error(400, INVALID_SESSION_NAME);
    by_header(&server, "a.b_c-9")
        .get("/api/account", FREE)
        .await;
    let bad = api
        .send(
            api.request(Method::GET, "/api/account", Some(FREE))
                .header("x-mock-session", "a/b"),
        )
        .await;
    bad.assert_error(400, INVALID_SESSION_NAME);
    assert!(server.session("a/b").await.is_err());
}

#[tokio::test]
async fn past_the_session_limit_a_new_session_is_a_json_503() {
    let (server, api) = start(fast().max_sessions(2)).await;
    assert_eq!(by_prefix(&server, "one").credits(FREE).await, 100);
    assert_eq!(by_prefix(&server, "two").credits(FREE).await, 100);
    let third = by_prefix(&server, "three").get("/api/account", FREE).await;
    assert_eq!(third.status, 503, "{}", third.body);
    assert!(
        third
            .message()
            .starts_with("Too many mock sessions (limit 2)")
    );
    // The sessions alive and the default session still answer.
    assert_eq!(by_prefix(&server, "one").credits(FREE).await, 100);
    assert_eq!(api.credits(FREE).await, 100);
    // Dropping one makes room.
    assert_eq!(
        api.admin(Method::DELETE, "/__mock/sessions/two", None)
            .await
            .status,
        204
    );
    assert_eq!(by_prefix(&server, "three").credits(FREE).await, 100);
}

#[tokio::test]
async fn an_idle_session_expires_and_comes_back_new() {
    let (server, api) = start(fast().session_ttl(Duration::from_millis(100))).await;
    let a = by_prefix(&server, "short");
    a.create_image(FREE).await;
    assert!(a.credits(FREE).await < 100);
    api.create_image(FREE).await;
    eventually(10, || async {
        let list = api.admin(Method::GET, "/__mock/sessions", None).await;
        list.body["data"] == json!([])
    })
    .await;
    assert_eq!(a.credits(FREE).await, 100, "a new session, at the start");
    assert!(
        api.credits(FREE).await < 100,
        "the default session never expires"
    );
}

#[tokio::test]
async fn sessions_are_listed_and_dropped() {
    let (server, api) = fast_server().await;
    let a = by_prefix(&server, "listed");
    a.create_image(FREE).await;
    a.create_image(FREE).await;
    by_header(&server, "other").get("/api/tools", FREE).await;
    let list = api.admin(Method::GET, "/__mock/sessions", None).await;
    assert_eq!(list.status, 200);
    let data = list.body["data"].as_array().unwrap();
    let names: Vec<&str> = data.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["listed", "other"]);
    assert_eq!(data[0]["generations"], 2);
    assert_eq!(data[0]["journalEntries"], 2);
    assert_eq!(data[1]["generations"], 0);
    assert!(data[0]["createdAt"].is_string() && data[0]["lastUsedAt"].is_string());

    assert_eq!(
        api.admin(Method::DELETE, "/__mock/sessions/listed", None)
            .await
            .status,
        204
    );
    api.admin(Method::DELETE, "/__mock/sessions/listed", None)
        .await
        .assert_error(404, "Session not found");
    let list = api.admin(Method::GET, "/__mock/sessions", None).await.body;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(a.credits(FREE).await, 100, "dropped with all it held");
}

#[tokio::test]
async fn inside_a_session_the_admin_api_reaches_that_session_only() {
    let (server, _api) = fast_server().await;
    let a = by_prefix(&server, "a");
    by_prefix(&server, "b").get("/api/tools", FREE).await;
    let message = "Admin requests inside a session can only read and reset that session";
    a.admin(Method::GET, "/__mock/sessions", None)
        .await
        .assert_error(403, message);
    a.admin(Method::DELETE, "/__mock/sessions/b", None)
        .await
        .assert_error(403, message);
    let b_header = by_header(&server, "a");
    b_header
        .admin(Method::GET, "/__mock/sessions", None)
        .await
        .assert_error(403, message);
    let names = server.session("b").await.unwrap().journal().await;
    assert_eq!(names.len(), 1, "b is still there");
}

#[tokio::test]
async fn with_an_admin_token_listing_dropping_and_session_admin_need_it() {
    let (server, api) = start(fast().admin_token("s3cret")).await;
    let a = by_prefix(&server, "a");
    a.get("/api/tools", FREE).await;
    let with_token = |method: Method, path: &str, token: &str| {
        api.send(
            api.http
                .request(method, api.url(path))
                .header("x-admin-token", token),
        )
    };
    for (method, path) in [
        (Method::GET, "/__mock/sessions"),
        (Method::DELETE, "/__mock/sessions/a"),
    ] {
        api.admin(method.clone(), path, None)
            .await
            .assert_error(401, "Invalid admin token");
        with_token(method, path, "s3cres")
            .await
            .assert_error(401, "Invalid admin token");
    }
    a.admin(Method::POST, "/__mock/reset", None)
        .await
        .assert_error(401, "Invalid admin token");
    let listed = with_token(Method::GET, "/__mock/sessions", "s3cret").await;
    assert_eq!(listed.body["data"][0]["name"], "a");
    let dropped = with_token(Method::DELETE, "/__mock/sessions/a", "s3cret").await;
    assert_eq!(dropped.status, 204);
}
