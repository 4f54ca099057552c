//! The cost of the client library over plain `reqwest`: `Client::tool("create-image")`
//! in a loop against a running mock server, next to the same request (same
//! headers, same typed decoding into `Tool`) made with a bare `reqwest::Client`.
//!
//! Rounds alternate between the two (and which goes first), so machine noise
//! falls on both alike; each round reports the mean time per request.
//!
//! `cargo xtask bench` starts `astudio-mock` and runs this as
//! `cargo bench -p artificial-studio --bench client_overhead -- --base-url URL
//! --key KEY --rounds R --requests N --out FILE`, then reads the JSON it
//! writes. Without `--bench` (which `cargo bench` passes and
//! `cargo test --all-targets` does not) it does nothing.

use std::time::{Duration, Instant};

use artificial_studio::{Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, types::Tool};
use reqwest::header::{ACCEPT, AUTHORIZATION, USER_AGENT};

const SLUG: &str = "create-image";

struct Settings {
    base_url: String,
    key: String,
    rounds: usize,
    requests: usize,
}

/// The same request as `Client::tool`, with nothing but `reqwest` and serde.
struct Plain {
    http: reqwest::Client,
    url: String,
    key: String,
    user_agent: String,
}

impl Plain {
    async fn tool(&self) -> Result<Tool, String> {
        let response = self
            .http
            .get(&self.url)
            .header(AUTHORIZATION, &self.key)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, &self.user_agent)
            .timeout(DEFAULT_TIMEOUT)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("plain reqwest got {}", response.status()));
        }
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }
}

async fn sdk_round(client: &Client, n: usize) -> Result<Duration, String> {
    let started = Instant::now();
    for _ in 0..n {
        let tool = client.tool(SLUG).await.map_err(|e| e.to_string())?;
        std::hint::black_box(tool);
    }
    Ok(started.elapsed())
}

async fn plain_round(plain: &Plain, n: usize) -> Result<Duration, String> {
    let started = Instant::now();
    for _ in 0..n {
        std::hint::black_box(plain.tool().await?);
    }
    Ok(started.elapsed())
}

fn per_request_us(total: Duration, n: usize) -> f64 {
    total.as_secs_f64() * 1e6 / n.max(1) as f64
}

async fn measure(settings: Settings) -> Result<serde_json::Value, String> {
    let sdk = Client::builder()
        .api_key(settings.key.clone())
        .base_url(settings.base_url.clone())
        .build()
        .map_err(|e| e.to_string())?;
    let plain = Plain {
        http: reqwest::Client::builder()
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?,
        url: format!(
            "{}/api/tools/{SLUG}",
            settings.base_url.trim_end_matches('/')
        ),
        key: settings.key.clone(),
        user_agent: format!("artificial-studio-rust/{}", env!("CARGO_PKG_VERSION")),
    };
    // Warm up both: connections open, allocator and caches settled.
    let warm_up = (settings.requests / 4).max(50);
    sdk_round(&sdk, warm_up).await?;
    plain_round(&plain, warm_up).await?;

    let mut sdk_us = Vec::with_capacity(settings.rounds);
    let mut plain_us = Vec::with_capacity(settings.rounds);
    for round in 0..settings.rounds {
        let n = settings.requests;
        if round % 2 == 0 {
            sdk_us.push(per_request_us(sdk_round(&sdk, n).await?, n));
            plain_us.push(per_request_us(plain_round(&plain, n).await?, n));
        } else {
            plain_us.push(per_request_us(plain_round(&plain, n).await?, n));
            sdk_us.push(per_request_us(sdk_round(&sdk, n).await?, n));
        }
    }
    Ok(serde_json::json!({
        "requests_per_round": settings.requests,
        "sdk_us": sdk_us,
        "reqwest_us": plain_us,
    }))
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        return std::process::ExitCode::SUCCESS;
    }
    let value_of = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number = |name: &str, default: usize| {
        value_of(name)
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let Some(base_url) = value_of("--base-url") else {
        eprintln!("client_overhead: --base-url URL of a running astudio-mock is required");
        return std::process::ExitCode::FAILURE;
    };
    let settings = Settings {
        base_url,
        key: value_of("--key").unwrap_or_else(|| "demo-pro-key".to_string()),
        rounds: number("--rounds", 11),
        requests: number("--requests", 2000),
    };
    let out = value_of("--out");
    // One worker thread: a loop of awaited requests needs no more, and the
    // server gets the other core.
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|runtime| runtime.block_on(measure(settings)));
    match result {
        Ok(report) => {
            let text = report.to_string();
            match out {
                Some(path) => {
                    if let Err(error) = std::fs::write(&path, text) {
                        eprintln!("client_overhead: cannot write {path}: {error}");
                        return std::process::ExitCode::FAILURE;
                    }
                }
                None => println!("{text}"),
            }
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("client_overhead: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
