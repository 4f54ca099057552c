//! `astudio --mock` keeps its sandbox between commands; `astudio mock reset`
//! starts it over and `astudio mock serve` serves it to other programs.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Command as Process, Stdio},
    time::Duration,
};

use artificial_studio_types::{Generation, GenerationList};
use assert_cmd::Command;

/// `astudio` with its sandbox in `state`, and no real login in sight.
fn astudio(state: &Path) -> Command {
    let mut cmd = Command::cargo_bin("astudio").unwrap();
    cmd.env("ASTUDIO_STATE_DIR", state)
        .env_remove("ARTIFICIAL_STUDIO_API_KEY")
        .env_remove("ARTIFICIAL_STUDIO_BASE_URL")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60));
    cmd
}

/// `astudio --mock --json ARGS`, which must succeed, and its JSON.
fn mock_json<T: serde::de::DeserializeOwned>(state: &Path, args: &[&str]) -> T {
    let out = astudio(state)
        .args(["--mock", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn list(state: &Path) -> GenerationList {
    mock_json(state, &["generations", "list"])
}

#[test]
fn a_generation_made_with_mock_is_listed_and_read_by_the_next_command() {
    let state = tempfile::tempdir().unwrap();
    let made: Generation = mock_json(state.path(), &["run", "create-image", "prompt=a fox"]);
    assert!(state.path().join("mock-state.json").is_file());

    let listed = list(state.path());
    let ids: Vec<&str> = listed.data.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, [made.id.as_str()]);

    let read: Generation = mock_json(state.path(), &["generations", "get", &made.id]);
    assert_eq!(read.status, made.status);
    assert_eq!(read.payload, made.payload);
}

#[test]
fn mock_reset_starts_the_sandbox_over() {
    let state = tempfile::tempdir().unwrap();
    astudio(state.path())
        .args(["--mock", "run", "create-image", "prompt=a fox", "--no-wait"])
        .assert()
        .success();
    assert_eq!(list(state.path()).data.len(), 1);
    astudio(state.path())
        .args(["mock", "reset"])
        .assert()
        .success();
    assert!(!state.path().join("mock-state.json").exists());
    assert!(list(state.path()).data.is_empty());
    // Nothing to forget is no error either.
    astudio(state.path())
        .args(["mock", "reset"])
        .assert()
        .success();
}

#[test]
fn a_sandbox_that_cannot_be_read_says_how_to_start_over() {
    let state = tempfile::tempdir().unwrap();
    std::fs::write(state.path().join("mock-state.json"), "{\"torn").unwrap();
    let out = astudio(state.path())
        .args(["--mock", "account"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mock-state.json") && stderr.contains("astudio mock reset"),
        "{stderr}"
    );
}

#[test]
fn mock_serve_answers_a_client_keeps_what_it_did_and_stops_cleanly() {
    let state = tempfile::tempdir().unwrap();
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("astudio"))
        .args(["mock", "serve", "--port", "0"])
        .env("ASTUDIO_STATE_DIR", state.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut base = String::new();
    stdout.read_line(&mut base).unwrap();
    let base = base.trim_end().to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base:?}");
    let mut keys = String::new();
    stdout.read_line(&mut keys).unwrap();
    assert!(keys.contains("demo-pro-key"), "{keys}");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let id = rt.block_on(async {
        let http = reqwest::Client::new();
        let run = http
            .post(format!("{base}/api/run"))
            .header("Authorization", "demo-pro-key")
            .json(&serde_json::json!({"tool": "create-image", "input": {"prompt": "a fox"}}))
            .send()
            .await
            .unwrap();
        assert_eq!(run.status(), 202);
        let body: serde_json::Value = run.json().await.unwrap();
        body["id"].as_str().unwrap().to_string()
    });

    let pid = child.id().to_string();
    assert!(
        Process::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    // What the client did is in the sandbox of the next --mock command.
    let ids: Vec<String> = list(state.path()).data.into_iter().map(|g| g.id).collect();
    assert_eq!(ids, [id]);
}

#[test]
fn two_mock_commands_at_once_leave_a_whole_sandbox() {
    let state = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            Process::new(assert_cmd::cargo::cargo_bin("astudio"))
                .args(["--mock", "--quiet", "run", "create-image", "prompt=a fox"])
                .env("ASTUDIO_STATE_DIR", state.path())
                .env_remove("ARTIFICIAL_STUDIO_API_KEY")
                .env_remove("ARTIFICIAL_STUDIO_BASE_URL")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    // The last writer wins: one or both runs are there, and the file reads.
    let kept = list(state.path()).data.len();
    assert!((1..=2).contains(&kept), "{kept}");
}
