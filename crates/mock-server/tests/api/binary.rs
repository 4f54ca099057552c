//! The `astudio-mock` binary: first stdout line, accounts file, logs, SIGTERM.

use std::time::Duration;

use crate::support::{MockProcess, mock_command};

/// Stops `running` with `SIGTERM`: its exit status and all it wrote on stderr.
fn terminate(mut running: MockProcess) -> (std::process::ExitStatus, String) {
    let status = running.signal("-TERM");
    (status, running.stderr())
}

#[tokio::test]
async fn first_stdout_line_is_the_base_url_and_sigterm_stops_cleanly() {
    let mut running = MockProcess::spawn(&["--port", "0", "--speed", "0"]);
    assert!(
        running.base().starts_with("http://127.0.0.1:"),
        "{:?}",
        running.base()
    );
    let rest = running.next_stdout_line();
    assert!(rest.contains("demo-free-key"), "demo keys follow: {rest}");
    let response = reqwest::Client::new()
        .get(format!("{}/api/tools/create-image", running.base()))
        .header("Authorization", "demo-free-key")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (status, stderr) = terminate(running);
    assert!(status.success(), "{status:?}\n{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("/api/tools/create-image"))
        .unwrap_or_else(|| panic!("one log line per request on stderr:\n{stderr}"));
    assert!(line.contains("GET") && line.contains("status=200") && line.contains("latency_ms"));
}

#[tokio::test]
async fn accounts_file_and_rate_limit_flags_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.toml");
    std::fs::write(
        &path,
        "[[accounts]]\nkey = \"ci-key\"\nemail = \"ci@example.com\"\nplan = \"pro\"\ncredits = 5\n",
    )
    .unwrap();
    let running = MockProcess::spawn(&[
        "--port",
        "0",
        "--config",
        path.to_str().unwrap(),
        "--rate-limit",
        "pro.get=1",
    ]);
    let client = reqwest::Client::new();
    let get = || {
        client
            .get(format!("{}/api/account", running.base()))
            .header("Authorization", "ci-key")
            .timeout(Duration::from_secs(5))
            .send()
    };
    let first = get().await.unwrap();
    assert_eq!(first.status(), 200);
    let account: serde_json::Value = first.json().await.unwrap();
    assert_eq!(account["credits"], 5);
    assert_eq!(get().await.unwrap().status(), 429);
    let (status, _) = terminate(running);
    assert!(status.success());
}

#[test]
fn invalid_flags_fail_with_a_message() {
    let output = mock_command(&["--rate-limit", "gold.run=1"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown limit"));
}
