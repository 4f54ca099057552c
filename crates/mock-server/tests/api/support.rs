//! Helpers: a server per test and a thin JSON client; the real binary as a
//! process ([`MockProcess`]), a webhook receiver ([`Receiver`]) and, with
//! the `redis` feature, replicas on a real `redis-server` ([`redis_replica`]).

mod process;
mod receiver;
#[cfg(feature = "redis")]
mod replica;

pub use process::{MockProcess, mock_command};
pub use receiver::{Received, Receiver, Replies, Reply};
#[cfg(feature = "redis")]
pub use replica::{NAMESPACE, redis_replica, redis_replica_with};

use artificial_studio_mock::{MockServer, MockServerBuilder, RateLimits};
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::Value;

pub use artificial_studio_mock::{
    DEMO_EMPTY_KEY as EMPTY, DEMO_FREE_KEY as FREE, DEMO_PRO_KEY as PRO,
};

/// A server whose generations end at once, without rate limits.
pub async fn fast_server() -> (MockServer, Api) {
    start(fast()).await
}

/// The builder of [`fast_server`], for a test that sets one thing more.
pub fn fast() -> MockServerBuilder {
    MockServer::builder()
        .speed(0.0)
        .rate_limits(RateLimits::Off)
}

/// Starts a configured server and a client for it.
pub async fn start(builder: MockServerBuilder) -> (MockServer, Api) {
    let server = builder.start().await.unwrap();
    let api = Api::new(&server);
    (server, api)
}

/// An answer: status, headers, and the body as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub bytes: bytes::Bytes,
}

impl Answer {
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status and the contract message, and that the body is JSON.
    #[track_caller]
    pub fn assert_error(&self, status: u16, message: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.message(), message, "body: {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "error bodies are JSON"
        );
    }
}

/// A JSON client bound to one server.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(server: &MockServer) -> Self {
        Api {
            base: server.base_url(),
            http: reqwest::Client::new(),
        }
    }

    /// The same server's client inside session `name` (its path prefix `/s/NAME`).
    pub fn in_session(&self, name: &str) -> Api {
        Api {
            base: format!("{}/s/{name}", self.base),
            http: self.http.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            bytes,
        }
    }

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

    /// An admin request (`/__mock/...`, no key) with a JSON body or none.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let request = self.request(method, path, None);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        self.send(request).await
    }

    pub async fn get(&self, path: &str, key: &str) -> Answer {
        self.send(self.request(Method::GET, path, Some(key))).await
    }

    pub async fn run(&self, key: &str, body: Value) -> Answer {
        self.send(
            self.request(Method::POST, "/api/run", Some(key))
                .json(&body),
        )
        .await
    }

    pub async fn run_raw(
        &self,
        key: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Answer {
        self.send(
            self.request(Method::POST, "/api/run", Some(key))
                .header("content-type", content_type)
                .body(body),
        )
        .await
    }

    pub async fn credits(&self, key: &str) -> u64 {
        self.get("/api/account", key).await.body["credits"]
            .as_u64()
            .unwrap()
    }

    /// Runs a valid create-image generation and returns its id.
    pub async fn create_image(&self, key: &str) -> String {
        self.started(
            key,
            serde_json::json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
        )
        .await
    }

    /// Runs a valid create-image generation with a webhook to `url` and
    /// returns its id.
    pub async fn create_image_with_webhook(&self, key: &str, url: &str) -> String {
        self.started(
            key,
            serde_json::json!({"tool": "create-image", "input": {"prompt": "a fox"}, "webhook": url}),
        )
        .await
    }

    /// Runs `body`, which must be answered `202`, and returns the id.
    async fn started(&self, key: &str, body: Value) -> String {
        let answer = self.run(key, body).await;
        assert_eq!(answer.status, 202, "{}", answer.body);
        answer.body["id"].as_str().unwrap().to_string()
    }
}

/// Polls `check` until it is true, up to `seconds`.
pub async fn eventually<F, Fut>(seconds: u64, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("condition not met within {seconds} s");
}
