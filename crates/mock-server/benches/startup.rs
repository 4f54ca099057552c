//! How cheap a test's mock server is: the time from `MockServer::start()` to the
//! first answered request, inside a current-thread runtime as `#[tokio::test]`
//! builds one.
//!
//! The first start of a process also parses and compiles the built-in catalog,
//! which every later start reuses; nextest runs each test in its own process,
//! so both are reported: `cold` (the first start of this process) and `warm`
//! (the starts after it).
//!
//! `cargo xtask bench` runs this as
//! `cargo bench -p artificial-studio-mock --bench startup -- --samples N --out FILE`
//! and reads the JSON it writes. Without `--bench` (which `cargo bench`
//! passes, and `cargo test --all-targets` does not) it does nothing.

mod common;

use std::time::{Duration, Instant};

use artificial_studio_mock::MockServer;

/// One start: (start() alone, start() to the first answer).
async fn one_start(client: &reqwest::Client) -> Result<(Duration, Duration), String> {
    let started = Instant::now();
    let server = MockServer::start().await.map_err(|e| e.to_string())?;
    let listening = started.elapsed();
    let status = client
        .get(format!("{}/api/tools", server.base_url()))
        .header("Authorization", server.demo_keys().free)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .status();
    let answered = started.elapsed();
    if !status.is_success() {
        return Err(format!("GET /api/tools answered {status}"));
    }
    server.shutdown().await;
    Ok((listening, answered))
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

async fn measure(samples: usize) -> Result<serde_json::Value, String> {
    let client = reqwest::Client::builder()
        .build()
        .map_err(|e| e.to_string())?;
    let (cold_listening, cold) = one_start(&client).await?;
    let mut listening = Vec::with_capacity(samples);
    let mut answered = Vec::with_capacity(samples);
    for _ in 0..samples {
        let (l, a) = one_start(&client).await?;
        listening.push(micros(l));
        answered.push(micros(a));
    }
    // What part of the cold start the catalog is: parsed and compiled again
    // here (start() keeps the built-in one once per process).
    let mut catalog = Vec::with_capacity(5);
    for _ in 0..5 {
        let started = Instant::now();
        let parsed = artificial_studio_mock::Catalog::from_json(
            artificial_studio_mock::DEFAULT_CATALOG_JSON,
        )
        .map_err(|e| e.to_string())?;
        catalog.push(micros(started.elapsed()));
        drop(parsed);
    }
    Ok(serde_json::json!({
        "catalog_us": catalog,
        "cold_start_us": micros(cold_listening),
        "cold_first_answer_us": micros(cold),
        "start_us": listening,
        "first_answer_us": answered,
    }))
}

fn main() -> std::process::ExitCode {
    common::run("startup", measure)
}
