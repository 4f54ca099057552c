//! `--state FILE`: the real binary killed (`kill -9`) after a snapshot and
//! between snapshots, stopped gracefully, and given a file that is not a
//! snapshot; named sessions kept beside the default one; and the library's
//! `state_file`, with a generation running across a restart.

use std::{path::Path, time::Duration};

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Api, FREE, MockProcess, PRO, eventually, mock_command};

/// The binary on the state file `state`, at speed 0 without rate limits.
fn spawn(state: &Path, extra: &[&str]) -> MockProcess {
    let state = state.to_str().unwrap();
    let args = ["--port", "0", "--speed", "0", "--rate-limit", "off"];
    MockProcess::spawn(&[&args[..], &["--state", state], extra].concat())
}

/// Stops `running` with `SIGTERM`; a graceful stop exits 0.
fn terminate(running: &mut MockProcess) {
    let status = running.signal("-TERM");
    assert!(status.success(), "a graceful stop exits 0: {status:?}");
}

/// What a client can see of the sandbox: accounts with balances, every
/// account's generations (all pages), and the bytes of each upload.
async fn observe(api: &Api, uploads: &[String]) -> Value {
    let accounts = api.get("/__mock/accounts", FREE).await.body;
    let mut pages = Vec::new();
    for key in [FREE, PRO] {
        for offset in [0, 2, 4] {
            let page = api
                .get(&format!("/api/generations?limit=2&offset={offset}"), key)
                .await;
            assert_eq!(page.status, 200, "{}", page.body);
            pages.push(page.body);
        }
    }
    let mut files = Vec::new();
    for id in uploads {
        let served = api
            .send(api.request(Method::GET, &format!("/files/{id}/a.bin"), None))
            .await;
        assert_eq!(served.status, 200);
        files.push(served.bytes.to_vec());
    }
    let seen = json!({"accounts": accounts, "pages": pages, "files": files}).to_string();
    // A restarted server serves the same things under its own address.
    serde_json::from_str(&seen.replace(&api.base, "{base}")).unwrap()
}

/// Makes generations on two accounts (spending credits) and an upload;
/// returns the generation ids and the upload's id.
async fn make_things(api: &Api) -> (Vec<String>, String) {
    let mut ids = Vec::new();
    for key in [FREE, FREE, PRO] {
        ids.push(api.create_image(key).await);
    }
    let upload = api
        .send(
            api.request(Method::POST, "/api/files", Some(FREE))
                .header("content-type", "application/octet-stream")
                .header("x-filename", "a.bin")
                .body(vec![1u8, 2, 3, 250]),
        )
        .await;
    assert_eq!(upload.status, 201, "{}", upload.body);
    (ids, upload.body["id"].as_str().unwrap().to_string())
}

fn read_state(path: &Path) -> Option<Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Whether the file holds every generation of `ids` and the upload.
fn holds(path: &Path, ids: &[String], upload: &str) -> bool {
    let Some(state) = read_state(path) else {
        return false;
    };
    let saved: Vec<&str> = state["generations"]
        .as_array()
        .map(|a| a.iter().filter_map(|g| g["id"].as_str()).collect())
        .unwrap_or_default();
    let uploads = state["uploads"].to_string();
    ids.iter().all(|id| saved.contains(&id.as_str())) && uploads.contains(upload)
}

/// Whether the file holds session `name` with every generation of `ids`
/// and the upload.
fn holds_session(path: &Path, name: &str, ids: &[String], upload: &str) -> bool {
    let Some(state) = read_state(path) else {
        return false;
    };
    let Some(session) = state["sessions"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == name))
    else {
        return false;
    };
    let saved = session["generations"].to_string();
    ids.iter().all(|id| saved.contains(id.as_str()))
        && session["uploads"].to_string().contains(upload)
}

#[tokio::test]
async fn kill_9_after_a_snapshot_loses_nothing_it_held() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut first = spawn(&path, &["--state-interval", "100ms"]);
    let (ids, upload) = make_things(&first.api).await;
    let before = observe(&first.api, std::slice::from_ref(&upload)).await;
    // A named session, with its own generations, upload and balances.
    let session = first.api.in_session("ci-4711");
    let (session_ids, session_upload) = make_things(&session).await;
    session.create_image(PRO).await;
    let session_before = observe(&session, std::slice::from_ref(&session_upload)).await;
    assert_ne!(
        session_before, before,
        "the session is a sandbox of its own"
    );
    eventually(10, || async {
        holds(&path, &ids, &upload)
            && holds_session(&path, "ci-4711", &session_ids, &session_upload)
    })
    .await;
    first.signal("-KILL");

    let mut second = spawn(&path, &[]);
    let after = observe(&second.api, std::slice::from_ref(&upload)).await;
    assert_eq!(after, before);
    assert!(
        second.api.credits(FREE).await < 100,
        "the credits spent stay spent"
    );
    let session = second.api.in_session("ci-4711");
    assert_eq!(observe(&session, &[session_upload]).await, session_before);
    terminate(&mut second);
}

#[tokio::test]
async fn kill_9_between_snapshots_leaves_a_whole_earlier_snapshot_that_starts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut first = spawn(&path, &["--state-interval", "50ms"]);
    // Acknowledged runs go on while snapshots are written, and the process
    // is killed in the middle of it.
    let api = first.api.clone();
    let runs = tokio::spawn(async move {
        let mut acknowledged = Vec::new();
        for _ in 0..2000 {
            let sent = api
                .request(Method::POST, "/api/run", Some(PRO))
                .json(&json!({"tool": "create-image", "input": {"prompt": "a fox"}}))
                .send()
                .await;
            let Ok(answer) = sent else {
                break; // the server is gone
            };
            assert_eq!(answer.status(), 202);
            let body: Value = answer.json().await.unwrap();
            acknowledged.push(body["id"].as_str().unwrap().to_string());
        }
        acknowledged
    });
    eventually(10, || async {
        read_state(&path).is_some_and(|s| s["generations"].as_array().is_some_and(|g| g.len() > 5))
    })
    .await;
    first.signal("-KILL");
    let acknowledged = runs.await.unwrap();

    let state = read_state(&path).expect("the file is one whole JSON snapshot");
    let saved: Vec<String> = state["generations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!saved.is_empty());
    // Runs go one at a time: at most the one whose answer the kill cut off
    // is in the snapshot without having been acknowledged.
    let unacknowledged = saved.iter().filter(|id| !acknowledged.contains(id)).count();
    assert!(unacknowledged <= 1, "{unacknowledged} runs never answered");
    let mut second = spawn(&path, &[]);
    let listed = second.api.get("/api/generations?limit=1", PRO).await;
    assert_eq!(listed.body["pagination"]["total"], saved.len() as u64);
    // The books of the snapshot balance: every run it holds was paid for.
    let cost = 100_000 - second.api.credits(PRO).await;
    assert_eq!(cost % saved.len() as u64, 0, "{cost} for {}", saved.len());
    assert!(cost > 0);
    terminate(&mut second);
}

#[tokio::test]
async fn a_graceful_stop_and_restart_shows_exactly_the_same_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    // An interval far longer than the test: only the shutdown writes.
    let mut first = spawn(&path, &["--state-interval", "1h"]);
    let (_, upload) = make_things(&first.api).await;
    let before = observe(&first.api, std::slice::from_ref(&upload)).await;
    let session = first.api.in_session("team-a");
    let (_, session_upload) = make_things(&session).await;
    let session_before = observe(&session, std::slice::from_ref(&session_upload)).await;
    // A session used once and left alone is kept too (it has not expired).
    let idle = first.api.in_session("idle").credits(FREE).await;
    assert!(
        read_state(&path).is_none(),
        "nothing written before the stop"
    );
    terminate(&mut first);

    let mut second = spawn(&path, &[]);
    assert_eq!(observe(&second.api, &[upload]).await, before);
    let listed = second.api.get("/__mock/sessions", FREE).await.body;
    let names: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["idle", "team-a"], "{listed}");
    let session = second.api.in_session("team-a");
    assert_eq!(observe(&session, &[session_upload]).await, session_before);
    assert_eq!(second.api.in_session("idle").credits(FREE).await, idle);
    terminate(&mut second);
}

#[tokio::test]
async fn a_session_idle_past_its_ttl_at_the_restart_is_not_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut first = spawn(&path, &["--state-interval", "1h"]);
    let session = first.api.in_session("old");
    session.create_image(FREE).await;
    let spent = session.credits(FREE).await;
    assert!(spent < 100);
    terminate(&mut first);
    // As if the file were written two days ago (the TTL is one day).
    let mut state = read_state(&path).unwrap();
    assert_eq!(state["sessions"][0]["name"], "old");
    state["sessions"][0]["lastUsedAt"] = json!("2000-01-01T00:00:00Z");
    std::fs::write(&path, state.to_string()).unwrap();

    let mut second = spawn(&path, &[]);
    let listed = second.api.get("/__mock/sessions", FREE).await.body;
    assert_eq!(listed["data"], json!([]), "{listed}");
    let session = second.api.in_session("old");
    assert_eq!(
        session.credits(FREE).await,
        100,
        "a new session, from the start"
    );
    terminate(&mut second);
}

#[test]
fn a_file_that_is_not_a_snapshot_is_a_clear_error_and_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    for (text, says) in [
        ("{\"format\": \"astudio-mock-state\", \"vers", "cut short"),
        ("{\"accounts\": []}", "not an astudio-mock state file"),
    ] {
        std::fs::write(&path, text).unwrap();
        let output = mock_command(&["--port", "0", "--state", path.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("state.json") && stderr.contains(says),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "left as it was"
        );
    }
}

#[tokio::test]
async fn a_generation_running_at_the_snapshot_resumes_its_schedule_after_a_restart() {
    use artificial_studio_mock::MockServer;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let builder = || {
        MockServer::builder()
            .stage_ms(0, 400, 100)
            .state_file(&path)
            .state_interval(Duration::from_secs(3600))
    };
    let server = builder().start().await.unwrap();
    let api = Api::new(&server);
    let id = api.create_image(FREE).await;
    server.shutdown().await;

    let server = builder().start().await.unwrap();
    let api = Api::new(&server);
    let path_of = format!("/api/generations/{id}");
    let status = api.get(&path_of, FREE).await.body["status"].clone();
    assert!(
        status == "processing" || status == "uploading",
        "still running after the restart: {status}"
    );
    eventually(10, || async {
        api.get(&path_of, FREE).await.body["status"] == "success"
    })
    .await;
    let output = api.get(&path_of, FREE).await.body["output"].clone();
    assert!(
        output.as_str().unwrap().starts_with(&api.base),
        "its output is served by the new server: {output}"
    );
}
