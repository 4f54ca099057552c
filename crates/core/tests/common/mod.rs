//! Helpers shared by the integration tests: clients that never sleep, sample
//! bodies from the spec, and raw TCP servers for answers no HTTP framework
//! would send (truncated, never).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::time::Duration;

use artificial_studio::{Client, ClientBuilder, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const KEY: &str = "test-key-123";
pub const ID: &str = "65f1c0ffee0123456789abcd";

/// A builder for `base` with a key and a retry policy that never sleeps.
pub fn builder(base: &str) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(base)
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::immediate(2))
}

pub fn client(base: &str) -> Client {
    builder(base).build().unwrap()
}

pub fn generation(id: &str, status: &str) -> Value {
    let done = status == "success";
    json!({
        "id": id,
        "status": status,
        "tool": "create-image",
        "type": "image",
        "output": done.then(|| format!("https://cdn.example.com/outputs/{id}.png")),
        "thumbnail": done.then(|| format!("https://cdn.example.com/thumbnails/{id}.png")),
        "error": (status == "error").then_some("The model could not process this input"),
        "payload": {"prompt": "a fox"},
        "createdAt": "2026-11-25T14:00:00.000Z"
    })
}

pub fn run_response(id: &str) -> Value {
    json!({"id": id, "status": "processing", "tool": "create-image", "createdAt": "2026-11-25T14:00:00.000Z"})
}

pub fn account() -> Value {
    json!({"id": "65f1aaaaaaaaaaaaaaaaaaaa", "email": "free@example.com", "credits": 100, "plan": "free", "createdAt": "2026-01-01T00:00:00.000Z"})
}

/// A server that answers every connection with `response` as raw bytes,
/// then closes it (or holds it open forever when `hold` is true).
pub async fn raw_server(response: Vec<u8>, hold: bool) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                // Read the request head (enough for these tests' requests).
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(&response).await;
                if hold {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
            });
        }
    });
    addr
}

/// A server that accepts connections and never answers.
pub async fn silent_server() -> SocketAddr {
    raw_server(Vec::new(), true).await
}

/// An address where nothing listens.
pub async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}
