//! The `astudio-mock` binary: first stdout line, accounts file, logs, SIGTERM.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Child, Command, Stdio},
    time::Duration,
};

struct Running {
    child: Child,
    base: String,
    stdout: BufReader<std::process::ChildStdout>,
}

fn spawn(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_astudio-mock"))
        .args(["--port", "0"])
        .args(args)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut base = String::new();
    stdout.read_line(&mut base).unwrap();
    Running {
        child,
        base: base.trim_end().to_string(),
        stdout,
    }
}

fn terminate(mut running: Running) -> (std::process::ExitStatus, String) {
    let pid = running.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = running.child.wait().unwrap();
    let mut stderr = String::new();
    running
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status, stderr)
}

#[tokio::test]
async fn first_stdout_line_is_the_base_url_and_sigterm_stops_cleanly() {
    let mut running = spawn(&["--speed", "0"]);
    assert!(
        running.base.starts_with("http://127.0.0.1:"),
        "{:?}",
        running.base
    );
    let mut rest = String::new();
    running.stdout.read_line(&mut rest).unwrap();
    assert!(rest.contains("demo-free-key"), "demo keys follow: {rest}");
    let response = reqwest::Client::new()
        .get(format!("{}/api/tools/create-image", running.base))
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
    let running = spawn(&[
        "--config",
        path.to_str().unwrap(),
        "--rate-limit",
        "pro.get=1",
    ]);
    let client = reqwest::Client::new();
    let get = || {
        client
            .get(format!("{}/api/account", running.base))
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
    let output = Command::new(env!("CARGO_BIN_EXE_astudio-mock"))
        .args(["--rate-limit", "gold.run=1"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown limit"));
}
