//! Measurement 6: how long a test against the in-process sandbox takes, a
//! `run_and_wait` against `MockServer::builder().speed(0.0)` through
//! `server.client()`, measured by `crates/mock-server/benches/sandbox.rs`.

use std::process::Command;

use anyhow::{Context, Result};

use crate::report::{Headline, Section, Table, Verdict};
use crate::stats::{self, Summary};
use crate::{Ctx, procs};

/// The section title.
pub const TITLE: &str = "6. A test against the sandbox";

/// The target: a speed-0 `run_and_wait` under 5 ms median.
const TARGET_US: f64 = 5000.0;

/// Runs the sandbox probe in several processes.
pub fn run(ctx: &mut Ctx) -> Result<(Section, Vec<Headline>)> {
    let plan = ctx.plan.clone();
    let mut section = Section::new(TITLE);
    section.method = format!(
        "`crates/mock-server/benches/sandbox.rs` (release, the `client` feature) runs the shape \
         of a user's test, in a current-thread runtime as `#[tokio::test]` makes: \
         `MockServer::builder().speed(0.0).start()`, `server.client()`, then times \
         `run_and_wait(\"create-image\", …, WaitOptions::default())`; for reference, the two \
         requests it makes (`run`, then `generation`), by hand, from a second client of the \
         server's; and one `run` from a client with the demo key without credits, which gets \
         a `402`. Each call opens its client's first connection, as in a test. Then it shuts \
         the server down; `server.client()` (which builds a `reqwest` client, TLS set-up \
         included) and the whole test (start, three clients, three calls, shutdown) are timed \
         too. {p} processes, each with 1 cold sample \
         (the first client of the process sets up TLS and the connection pool) and {s} warm \
         ones. Before the poll hint (`X-Poll-After-Ms`), `run_and_wait` slept its 2 s first \
         interval even though a speed-0 generation has ended before the `202` is sent; the \
         ratio to the two requests by hand is the part of it that is not requests.",
        p = plan.sandbox_processes,
        s = plan.sandbox_samples
    );
    let mut cold = Samples::default();
    let mut warm = Samples::default();
    for i in 0..plan.sandbox_processes {
        let out = ctx.scratch.join(format!("sandbox-{i}.json"));
        let mut cmd = Command::new(ctx.bin.bench("sandbox")?);
        cmd.args(["--bench", "--samples"])
            .arg(plan.sandbox_samples.to_string())
            .arg("--out")
            .arg(&out)
            .current_dir(&ctx.root);
        procs::output(&mut cmd)?;
        section.command(procs::line(&cmd).replace(&format!("sandbox-{i}"), "sandbox-$I"));
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?,
        )?;
        let number = |k: &str| json.get(k).and_then(serde_json::Value::as_f64);
        cold.client.extend(number("cold_client_us"));
        cold.run_and_wait.extend(number("cold_run_and_wait_us"));
        cold.requests.extend(number("cold_requests_us"));
        cold.refused.extend(number("cold_refused_us"));
        cold.test.extend(number("cold_test_us"));
        warm.client.extend(stats::f64_list(&json, "client_us"));
        warm.run_and_wait
            .extend(stats::f64_list(&json, "run_and_wait_us"));
        warm.requests.extend(stats::f64_list(&json, "requests_us"));
        warm.refused.extend(stats::f64_list(&json, "refused_us"));
        warm.test.extend(stats::f64_list(&json, "test_us"));
    }

    let show = |v: &[f64]| Summary::of(v).map_or("—".to_string(), |s| s.show(stats::us));
    let mut table = Table::new(&[
        "",
        "run_and_wait",
        "run + generation by hand",
        "run_and_wait ÷ by hand",
        "run → 402",
        "server.client()",
        "whole test",
        "samples",
    ]);
    for (what, samples) in [
        ("cold: first test in a process (nextest)", &cold),
        ("warm: later tests (cargo test)", &warm),
    ] {
        let ratio =
            Summary::of(&samples.ratios()).map_or("—".to_string(), |s| s.show(stats::times));
        table.row(vec![
            what.into(),
            show(&samples.run_and_wait),
            show(&samples.requests),
            ratio,
            show(&samples.refused),
            show(&samples.client),
            show(&samples.test),
            samples.run_and_wait.len().to_string(),
        ]);
    }
    section.tables.push((String::new(), table));

    let mut headline = Vec::new();
    for (what, samples) in [
        (
            "run_and_wait against MockServer at speed 0, first test in a process (nextest)",
            &cold,
        ),
        (
            "run_and_wait against MockServer at speed 0, later tests (cargo test)",
            &warm,
        ),
    ] {
        let summary = Summary::of(&samples.run_and_wait).context("no sandbox samples")?;
        headline.push(Headline {
            what: what.to_string(),
            measured: summary.show(stats::us),
            target: "< 5 ms median".to_string(),
            verdict: Verdict::from(summary.median < TARGET_US),
            section: TITLE.to_string(),
        });
    }
    if let Some(ratio) = Summary::of(&warm.ratios()) {
        headline.push(Headline {
            what: "run_and_wait ÷ its two requests by hand, at speed 0 (later tests)".to_string(),
            measured: ratio.show(stats::times),
            target: "(none)".to_string(),
            verdict: Verdict::Reference,
            section: TITLE.to_string(),
        });
    }
    Ok((section, headline))
}

/// The figures of one kind of sample, in microseconds.
#[derive(Debug, Default)]
struct Samples {
    client: Vec<f64>,
    run_and_wait: Vec<f64>,
    requests: Vec<f64>,
    refused: Vec<f64>,
    test: Vec<f64>,
}

impl Samples {
    /// `run_and_wait` ÷ the same requests by hand, sample by sample.
    fn ratios(&self) -> Vec<f64> {
        stats::ratios(&self.run_and_wait, &self.requests)
    }
}
