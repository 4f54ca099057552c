//! How long a test against the in-process sandbox takes: the shape of a user's
//! test with the `client` feature, in a current-thread runtime as
//! `#[tokio::test]` builds one. Each sample starts
//! `MockServer::builder().speed(0.0)`, takes `server.client()` and times:
//!
//! - `run_and_wait` of `create-image` with the default `WaitOptions` (the
//!   figure with a target: it used to sleep the 2 s first interval);
//! - for reference, the two requests it makes, by hand, from a client of its
//!   own (`run`, then `generation`): what `run_and_wait` costs with no wait
//!   at all;
//! - one `run` with the demo key without credits, which gets a `402`;
//! - `server.client()` itself (a `reqwest` client with its TLS set-up);
//! - the whole test: start, three clients, the three calls above, shutdown.
//!
//! The first sample of a process (cold) also pays for the first client's
//! set-up (TLS roots, the connection pool) and the catalog; nextest runs each
//! test in its own process, so a test pays the cold figures.
//!
//! `cargo xtask bench` runs this as
//! `cargo bench -p artificial-studio-mock --bench sandbox -- --samples N --out FILE`
//! and reads the JSON it writes. Without `--bench` (which `cargo bench`
//! passes, and `cargo test --all-targets` does not) it does nothing.

mod common;

use std::time::{Duration, Instant};

use artificial_studio::{ErrorKind, WaitOptions};
use artificial_studio_mock::MockServer;
use serde_json::json;

/// One test-shaped sample, every figure in microseconds.
struct Sample {
    client: f64,
    run_and_wait: f64,
    requests: f64,
    refused: f64,
    test: f64,
}

async fn one_test() -> Result<Sample, String> {
    let started = Instant::now();
    let server = MockServer::builder()
        .speed(0.0)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let timed = Instant::now();
    let client = server.client().map_err(|e| e.to_string())?;
    let client_in = timed.elapsed();
    let input = json!({"prompt": "a lighthouse at dusk"});

    let timed = Instant::now();
    let image = client
        .run_and_wait("create-image", &input, WaitOptions::default())
        .await
        .map_err(|e| format!("run_and_wait: {e}"))?;
    let run_and_wait = timed.elapsed();
    if image.output.is_none() {
        return Err(format!("run_and_wait ended without output: {image:?}"));
    }

    let by_hand = server.client().map_err(|e| e.to_string())?;
    let timed = Instant::now();
    let run = by_hand
        .run("create-image", &input, None)
        .await
        .map_err(|e| format!("run: {e}"))?;
    let polled = by_hand
        .generation(&run.id)
        .await
        .map_err(|e| format!("generation: {e}"))?;
    let requests = timed.elapsed();
    if !polled.status.is_final() {
        return Err(format!("a speed-0 generation was {}", polled.status));
    }

    let broke = server
        .client_builder()
        .api_key(server.demo_keys().empty)
        .build()
        .map_err(|e| e.to_string())?;
    let timed = Instant::now();
    let refused = broke.run("create-image", &input, None).await;
    let refused_in = timed.elapsed();
    match refused {
        Err(e) if e.kind() == Some(ErrorKind::PaymentRequired) => {}
        other => return Err(format!("the empty account's run was not a 402: {other:?}")),
    }
    server.shutdown().await;
    Ok(Sample {
        client: micros(client_in),
        run_and_wait: micros(run_and_wait),
        requests: micros(requests),
        refused: micros(refused_in),
        test: micros(started.elapsed()),
    })
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

async fn measure(samples: usize) -> Result<serde_json::Value, String> {
    let cold = one_test().await?;
    let mut warm = Vec::with_capacity(samples);
    for _ in 0..samples {
        warm.push(one_test().await?);
    }
    let list = |pick: fn(&Sample) -> f64| warm.iter().map(pick).collect::<Vec<f64>>();
    Ok(json!({
        "cold_client_us": cold.client,
        "cold_run_and_wait_us": cold.run_and_wait,
        "cold_requests_us": cold.requests,
        "cold_refused_us": cold.refused,
        "cold_test_us": cold.test,
        "client_us": list(|s| s.client),
        "run_and_wait_us": list(|s| s.run_and_wait),
        "requests_us": list(|s| s.requests),
        "refused_us": list(|s| s.refused),
        "test_us": list(|s| s.test),
    }))
}

fn main() -> std::process::ExitCode {
    common::run("sandbox", measure)
}
