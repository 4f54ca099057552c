//! The harness: the workspace's binaries, built once per test process, and
//! the `astudio-mock` binary run as a child process for one test.
//!
//! # Why the binaries are built with escargot
//!
//! `env!("CARGO_BIN_EXE_<name>")` exists only for the binaries of the package
//! under test, and `e2e` is not the package of `astudio-mock` or `astudio`
//! (artifact dependencies are unstable Cargo). A path like
//! `target/debug/astudio-mock` is only there if something else built it (and
//! may be stale under `cargo nextest run -p e2e`). So the first test of each
//! test process runs `cargo build -p artificial-studio-mock --bin astudio-mock
//! -p artificial-studio-cli --bin astudio` through `escargot` and takes the
//! executables' paths from Cargo's JSON messages: always fresh, in whatever
//! target directory and profile Cargo uses, on a clean clone too. When they
//! are fresh it is a no-op of about 0.3 s; the first time it compiles them
//! (other test processes wait on Cargo's build lock meanwhile).
//! `cargo xtask conformance` builds with the same command, so CI compiles
//! that feature set once.

use std::{
    collections::VecDeque,
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex, OnceLock, mpsc},
    thread::JoinHandle,
    time::Duration,
};

use artificial_studio::{Client, ClientBuilder, RetryPolicy, WaitOptions};
use artificial_studio_mock::{JournalEntry, WebhookDelivery};
use artificial_studio_types::ErrorBody;
use reqwest::{Method, header::HeaderMap};
use serde_json::{Value, json};

/// The demo keys every mock started without an accounts file has.
pub use artificial_studio_mock::{
    DEMO_EMPTY_KEY as EMPTY, DEMO_FREE_KEY as FREE, DEMO_PRO_KEY as PRO,
};

/// Paths of the binaries under test.
pub struct Binaries {
    /// `astudio-mock`.
    pub mock: PathBuf,
    /// `astudio`.
    pub cli: PathBuf,
}

/// The binaries, built (or found fresh) by Cargo once per test process.
pub fn binaries() -> &'static Binaries {
    static BINARIES: OnceLock<Binaries> = OnceLock::new();
    BINARIES.get_or_init(|| {
        let messages = escargot::CargoBuild::new()
            .manifest_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml"))
            .package("artificial-studio-mock")
            .bin("astudio-mock")
            .package("artificial-studio-cli")
            .bin("astudio")
            .current_release()
            .exec()
            .unwrap_or_else(|e| panic!("cannot run cargo build: {e}"));
        let (mut mock, mut cli) = (None, None);
        for message in messages {
            let message = message.unwrap_or_else(|e| panic!("cargo build failed: {e}"));
            let Ok(escargot::format::Message::CompilerArtifact(artifact)) = message.decode() else {
                continue;
            };
            let Some(executable) = artifact.executable else {
                continue;
            };
            match artifact.target.name.as_ref() {
                "astudio-mock" => mock = Some(executable.into_owned()),
                "astudio" => cli = Some(executable.into_owned()),
                _ => {}
            }
        }
        Binaries {
            mock: mock.expect("cargo build reported no astudio-mock executable"),
            cli: cli.expect("cargo build reported no astudio executable"),
        }
    })
}

/// Stderr lines kept for a failure report.
const STDERR_TAIL: usize = 200;

/// An `astudio-mock` process on a free loopback port, killed on drop.
///
/// Its stdout and stderr are drained by threads so it never blocks on a full
/// pipe. Dropping it fails the test if the process printed a panic.
pub struct Mock {
    child: Child,
    /// The base URL it printed, such as `http://127.0.0.1:43123`.
    pub base: String,
    /// A plain HTTP client for raw requests (no retries, 10 s timeout).
    pub http: reqwest::Client,
    stderr: Arc<Mutex<Stderr>>,
    drains: Vec<JoinHandle<()>>,
}

#[derive(Default)]
struct Stderr {
    tail: VecDeque<String>,
    panics: Vec<String>,
}

impl Mock {
    /// Starts `astudio-mock --port 0 ARGS` and waits for its base URL.
    pub fn start(args: &[&str]) -> Mock {
        let binary = &binaries().mock;
        let mut child = Command::new(binary)
            .args(["--port", "0"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));

        let stderr = Arc::new(Mutex::new(Stderr::default()));
        let pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        let stderr_drain = std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                let mut sink = sink.lock().unwrap();
                if line.contains("panicked") {
                    sink.panics.push(line.clone());
                }
                if sink.tail.len() == STDERR_TAIL {
                    sink.tail.pop_front();
                }
                sink.tail.push_back(line);
            }
        });

        let (first_line, first_line_rx) = mpsc::channel();
        let pipe = child.stdout.take().unwrap();
        let stdout_drain = std::thread::spawn(move || {
            let mut reader = BufReader::new(pipe);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = first_line.send(line);
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });

        let mut mock = Mock {
            child,
            base: String::new(),
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
            stderr,
            drains: vec![stderr_drain, stdout_drain],
        };
        let line = first_line_rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_default();
        let base = line.trim();
        if !base.starts_with("http://127.0.0.1:") {
            let _ = mock.child.kill();
            let _ = mock.child.wait();
            panic!(
                "astudio-mock printed {line:?} instead of its base URL; stderr:\n{}",
                mock.stderr_tail()
            );
        }
        mock.base = base.to_string();
        mock
    }

    /// The last lines the process wrote on stderr.
    pub fn stderr_tail(&self) -> String {
        let stderr = self.stderr.lock().unwrap();
        stderr.tail.iter().cloned().collect::<Vec<_>>().join("\n")
    }

    /// Fails unless the process is still running.
    #[track_caller]
    pub fn assert_alive(&mut self) {
        let exited = self.child.try_wait().unwrap();
        assert!(
            exited.is_none(),
            "astudio-mock exited ({exited:?}); stderr:\n{}",
            self.stderr_tail()
        );
    }

    /// Kills the process now (to test what clients do when it is gone).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The process's address, `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// `base` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A library client for `key` against this mock: no retries, 10 s timeout.
    pub fn client(&self, key: &str) -> Client {
        self.client_builder(key).build().unwrap()
    }

    /// A builder preset with `key`, the base URL, no retries and a 10 s timeout.
    pub fn client_builder(&self, key: &str) -> ClientBuilder {
        Client::builder()
            .api_key(key)
            .base_url(&self.base)
            .timeout(Duration::from_secs(10))
            .retry_policy(RetryPolicy::none())
    }

    /// The `astudio` binary against this mock, with `key` in the environment.
    pub fn astudio(&self, key: &str) -> tokio::process::Command {
        astudio_at(&self.base, key)
    }

    /// A raw request, with `key` in `Authorization` when given.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let request = self.http.request(method, self.url(path));
        match key {
            Some(key) => request.header("Authorization", key),
            None => request,
        }
    }

    /// `GET path` with `key`.
    pub async fn get(&self, path: &str, key: &str) -> Answer {
        Answer::of(self.request(Method::GET, path, Some(key))).await
    }

    /// `POST /api/run` with `key` and a JSON body.
    pub async fn run(&self, key: &str, body: Value) -> Answer {
        Answer::of(
            self.request(Method::POST, "/api/run", Some(key))
                .json(&body),
        )
        .await
    }

    /// A request to the admin API; fails the test unless it succeeds.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = Answer::of(request).await;
        assert!(
            answer.status < 300,
            "admin {path}: {} {}",
            answer.status,
            answer.text()
        );
        answer.json
    }

    /// The request journal, oldest first.
    pub async fn journal(&self) -> Vec<JournalEntry> {
        let list = self.admin(Method::GET, "/__mock/journal", None).await;
        serde_json::from_value(list["data"].clone()).unwrap()
    }

    /// The journal entries of one method and path.
    pub async fn journal_of(&self, method: &str, path: &str) -> Vec<JournalEntry> {
        let mut entries = self.journal().await;
        entries.retain(|e| e.method == method && e.path == path);
        entries
    }

    /// Scripts a fault: `{"fault": "503", "route": "GET /api/account", "count": 1}`.
    pub async fn inject(&self, rule: Value) {
        self.admin(Method::POST, "/__mock/faults", Some(rule)).await;
    }

    /// The next `count` generations of `tool` (`*`: any) end in `error`.
    pub async fn fail_next(&self, tool: &str, error: &str, count: u32) {
        let body = json!({"tool": tool, "error": error, "count": count});
        self.admin(Method::POST, "/__mock/outcomes", Some(body))
            .await;
    }

    /// Every account as the admin API lists it (`key`, `credits`, `plan`, ...).
    pub async fn accounts(&self) -> Vec<Value> {
        let list = self.admin(Method::GET, "/__mock/accounts", None).await;
        list["data"].as_array().unwrap().clone()
    }

    /// An account's credits, read through the admin API (no rate limit).
    pub async fn credits(&self, key: &str) -> u64 {
        let accounts = self.accounts().await;
        let account = accounts
            .iter()
            .find(|a| a["key"] == key)
            .unwrap_or_else(|| panic!("no account with key {key}"));
        account["credits"].as_u64().unwrap()
    }

    /// Sets an account's credits.
    pub async fn set_credits(&self, key: &str, credits: u64) {
        let body = json!({"key": key, "credits": credits});
        self.admin(Method::PATCH, "/__mock/accounts", Some(body))
            .await;
    }

    /// Every webhook delivery attempt, oldest first.
    pub async fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        let list = self.admin(Method::GET, "/__mock/webhooks", None).await;
        serde_json::from_value(list["data"].clone()).unwrap()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for drain in self.drains.drain(..) {
            let _ = drain.join();
        }
        if std::thread::panicking() {
            return;
        }
        let stderr = self.stderr.lock().unwrap();
        assert!(
            stderr.panics.is_empty(),
            "astudio-mock panicked:\n{}",
            stderr.panics.join("\n")
        );
    }
}

/// A raw answer: status, headers, body bytes, and the body as JSON (`Null`
/// when it is not JSON).
#[derive(Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub bytes: bytes::Bytes,
    /// The body as JSON, or `Null`.
    pub json: Value,
}

impl Answer {
    /// Sends `request` and reads the whole answer; fails the test on a
    /// transport error.
    pub async fn of(request: reqwest::RequestBuilder) -> Answer {
        Answer::try_of(request)
            .await
            .unwrap_or_else(|e| panic!("no answer: {e}"))
    }

    /// Sends `request` and reads the whole answer.
    pub async fn try_of(request: reqwest::RequestBuilder) -> reqwest::Result<Answer> {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await?;
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer {
            status,
            headers,
            bytes,
            json,
        })
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as text, lossily.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// Asserts a contract error: this status, a JSON body of the `ErrorBody`
    /// schema, and exactly this message.
    #[track_caller]
    pub fn assert_error(&self, status: u16, message: &str) -> ErrorBody {
        assert_eq!(self.status, status, "body: {}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "error bodies are JSON: {}",
            self.text()
        );
        let body: ErrorBody = serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not an ErrorBody ({e}): {}", self.text()));
        assert_eq!(body.message, message);
        body
    }
}

/// Waiting for a generation with 5 ms polls, up to 20 s.
pub fn fast_polls() -> WaitOptions {
    WaitOptions::default()
        .interval(Duration::from_millis(5))
        .max_interval(Duration::from_millis(5))
        .timeout(Duration::from_secs(20))
}

/// Polls `check` every 10 ms until it gives `Some`, up to `within`; fails the
/// test naming `what` otherwise.
pub async fn eventually<T, F, Fut>(what: &str, within: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The `astudio` binary against `base` (a mock, or something in front of
/// one), with `key` in the environment.
pub fn astudio_at(base: &str, key: &str) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(&binaries().cli);
    command
        .env_remove("ARTIFICIAL_STUDIO_BASE_URL")
        .env("ARTIFICIAL_STUDIO_API_KEY", key)
        .env("NO_COLOR", "1")
        .arg("--base-url")
        .arg(base)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}
