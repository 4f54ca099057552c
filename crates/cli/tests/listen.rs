//! `astudio webhooks listen` end to end: a mock that delivers to loopback,
//! the listener as a child process, and a second receiver it forwards to.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Stdio};
use std::sync::mpsc;
use std::time::Duration;

mod common;

use artificial_studio_mock::MockServer;
use assert_cmd::Command;
use assert_cmd::cargo::CommandCargoExt;
use axum::body::Bytes;
use axum::http::HeaderMap;
use tokio::sync::mpsc::UnboundedSender;

/// How long a line or a forwarded delivery may take to arrive.
const WAIT: Duration = Duration::from_secs(20);

/// A mock that takes loopback webhooks, and a receiver that records what
/// is forwarded to it, on a runtime of their own.
struct Loop {
    rt: tokio::runtime::Runtime,
    server: MockServer,
    forwarded: tokio::sync::mpsc::UnboundedReceiver<(HeaderMap, Bytes)>,
    receiver_url: String,
}

impl Loop {
    fn start() -> Loop {
        let (rt, server) = common::start_mock(|b| b.allow_private_webhooks(true));
        let (tx, forwarded) = tokio::sync::mpsc::unbounded_channel();
        let receiver_url = rt.block_on(receiver(tx));
        Loop {
            rt,
            server,
            forwarded,
            receiver_url,
        }
    }

    /// `astudio` aimed at the mock with the pro demo key, plain output.
    fn astudio(&self) -> std::process::Command {
        let mut cmd = std::process::Command::cargo_bin("astudio").unwrap();
        cmd.env_remove("ARTIFICIAL_STUDIO_BASE_URL")
            .env_remove("ASTUDIO_PROFILE")
            .env_remove("CLICOLOR_FORCE")
            .env("ASTUDIO_NO_KEYRING", "1")
            .env("NO_COLOR", "1")
            .env("ARTIFICIAL_STUDIO_API_KEY", self.server.demo_keys().pro)
            .arg("--base-url")
            .arg(self.server.base_url());
        cmd
    }

    /// `webhooks listen` as a child, with the URL it printed first.
    fn listen(&self, extra: &[&str]) -> Listener {
        let mut child = self
            .astudio()
            .args(["webhooks", "listen"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = lines_of(child.stdout.take().unwrap());
        let first = lines.recv_timeout(WAIT).unwrap();
        Listener {
            child,
            lines,
            first,
        }
    }

    fn next_forwarded(&mut self) -> (HeaderMap, Bytes) {
        let forwarded = &mut self.forwarded;
        self.rt
            .block_on(async { tokio::time::timeout(WAIT, forwarded.recv()).await })
            .unwrap()
            .unwrap()
    }
}

/// The second receiver: answers 200 and records each request.
async fn receiver(tx: UnboundedSender<(HeaderMap, Bytes)>) -> String {
    let app = axum::Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
        let tx = tx.clone();
        async move {
            let _ = tx.send((headers, body));
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// Lines of a child's stdout, read on a thread of their own.
fn lines_of(stdout: ChildStdout) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

struct Listener {
    child: Child,
    lines: mpsc::Receiver<String>,
    first: String,
}

impl Listener {
    fn next_line(&self) -> String {
        self.lines.recv_timeout(WAIT).unwrap()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Posts a delivery by hand, as the service would, and returns the answer's status.
fn post(url: &str, headers: &[(&str, &str)], body: &'static str) -> u16 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut request = reqwest::Client::new().post(url).body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap().status().as_u16()
    })
}

#[test]
fn a_run_s_webhook_is_printed_verified_and_forwarded_with_its_body() {
    let mut sandbox = Loop::start();
    let listener = sandbox.listen(&["--forward-to", &sandbox.receiver_url.clone()]);
    assert!(
        listener.first.starts_with("http://127.0.0.1:") && listener.first.ends_with('/'),
        "the URL comes first: {:?}",
        listener.first
    );

    // A loopback base URL lets the run name an http://127.0.0.1 webhook.
    let run = sandbox
        .astudio()
        .args(["run", "create-image", "prompt=a fox", "--no-wait"])
        .args(["--webhook", &listener.first])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let id = String::from_utf8(run.stdout).unwrap().trim().to_string();

    let line = listener.next_line();
    let fields: Vec<&str> = line.split("  ").collect();
    assert_eq!(fields[1..4], [id.as_str(), "success", "verified"], "{line}");
    assert_eq!(
        fields[4],
        format!("→ {} 200", sandbox.receiver_url),
        "{line}"
    );

    let (headers, body) = sandbox.next_forwarded();
    assert_eq!(headers["x-webhook-source"], "artificial-studio");
    assert_eq!(headers["x-media-id"], id.as_str());
    assert_eq!(headers["content-type"], "application/json");
    let payload: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(payload["id"], id.as_str());
    assert_eq!(payload["status"], "success");

    // The same bytes go on, not a re-serialization: spacing and key order kept.
    let by_hand: &'static str = Box::leak(
        format!("{{ \"status\":\"success\",  \"id\":\"{id}\", \"extra\": [1, 2] }}")
            .into_boxed_str(),
    );
    let status = post(
        &listener.first,
        &[
            ("content-type", "application/json"),
            ("x-webhook-source", "artificial-studio"),
            ("x-media-id", &id),
            ("x-trace", "kept"),
        ],
        by_hand,
    );
    assert_eq!(status, 200);
    let (headers, body) = sandbox.next_forwarded();
    assert_eq!(body, by_hand.as_bytes());
    assert_eq!(headers["x-trace"], "kept");
    assert!(listener.next_line().contains("verified"));
}

#[test]
fn a_forged_delivery_is_refused_printed_and_not_forwarded() {
    let mut sandbox = Loop::start();
    let listener = sandbox.listen(&["--forward-to", &sandbox.receiver_url.clone()]);
    let body = r#"{"id":"65f1c0ffee0123456789abcd","status":"success"}"#;
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            &[("content-type", "application/json")],
            "not verified: the X-Webhook-Source header is missing",
        ),
        (
            &[
                ("content-type", "application/json"),
                ("x-webhook-source", "artificial-studio"),
            ],
            "not verified: the X-Media-Id header is missing",
        ),
        (
            &[
                ("content-type", "application/json"),
                ("x-webhook-source", "artificial-studio"),
                ("x-media-id", "65f1c0ffee0123456789abcd"),
            ],
            // an id the API does not know: re-reading it fails
            "not verified: the API answered 404",
        ),
    ];
    let mut printed = Vec::new();
    for (headers, said) in cases {
        assert_eq!(post(&listener.first, headers, body), 400, "{said}");
        let line = listener.next_line();
        assert!(line.contains(said), "{line}");
        // The time of arrival is the one part that changes between runs.
        let (_time, rest) = line.split_once(' ').unwrap_or(("", &line));
        printed.push(format!("[time] {rest}"));
    }
    insta::assert_snapshot!(printed.join("\n"));
    let forwarded = &mut sandbox.forwarded;
    let nothing = sandbox.rt.block_on(async {
        tokio::time::timeout(Duration::from_millis(300), forwarded.recv()).await
    });
    assert!(nothing.is_err(), "a refused delivery was forwarded");
}

#[test]
fn json_prints_the_url_then_one_json_line_per_delivery() {
    let sandbox = Loop::start();
    let listener = sandbox.listen(&["--json"]);
    let first: serde_json::Value = serde_json::from_str(&listener.first).unwrap();
    let url = first["url"].as_str().unwrap().to_string();
    assert_eq!(post(&url, &[], "not json"), 400);
    let line: serde_json::Value = serde_json::from_str(&listener.next_line()).unwrap();
    assert_eq!(line["verified"], false);
    assert_eq!(line["generationId"], serde_json::Value::Null);
    assert!(
        line["problem"]
            .as_str()
            .unwrap()
            .contains("X-Webhook-Source")
    );
}

#[test]
fn listen_help_says_the_real_service_needs_a_public_https_url() {
    let out = Command::cargo_bin("astudio")
        .unwrap()
        .args(["webhooks", "listen", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("only public HTTPS URLs"), "{help}");
    assert!(help.contains("--allow-private-webhooks"), "{help}");
    assert!(help.contains("--forward-to"), "{help}");
}
