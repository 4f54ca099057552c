//! Measurement 2: how cheap a test's mock server is, `MockServer::start()` to
//! the first answered request, measured by `crates/mock-server/benches/startup.rs`.

use std::process::Command;

use anyhow::{Context, Result};

use crate::report::{Headline, Section, Table, Verdict};
use crate::stats::{self, Summary};
use crate::{Ctx, procs, profile};

/// The section title.
pub const TITLE: &str = "2. Mock server start-up as a library";

/// The target: under 5 ms median.
const TARGET_US: f64 = 5000.0;

/// Runs the start-up probe in several processes.
pub fn run(ctx: &mut Ctx) -> Result<(Section, Vec<Headline>)> {
    let plan = ctx.plan.clone();
    let mut section = Section::new(TITLE);
    section.method = format!(
        "`crates/mock-server/benches/startup.rs` (release) times `MockServer::start()` and then \
         one `GET /api/tools` with a `reqwest` client made beforehand, in a current-thread \
         runtime as `#[tokio::test]` makes, then shuts the server down; {p} processes, each \
         with 1 cold start and {s} warm ones. The first start of a process (cold) also parses \
         and compiles the built-in catalog; later starts reuse it. Under nextest every test \
         is its own process, so a test pays the cold start; under `cargo test` the tests of a \
         binary share one process and pay the warm one.",
        p = plan.startup_processes,
        s = plan.startup_samples
    );
    let mut cold = Vec::new();
    let mut cold_start = Vec::new();
    let mut warm = Vec::new();
    let mut warm_start = Vec::new();
    let mut catalog = Vec::new();
    for i in 0..plan.startup_processes {
        let out = ctx.scratch.join(format!("startup-{i}.json"));
        let mut cmd = Command::new(ctx.bin.bench("startup")?);
        cmd.args(["--bench", "--samples"])
            .arg(plan.startup_samples.to_string())
            .arg("--out")
            .arg(&out)
            .current_dir(&ctx.root);
        procs::output(&mut cmd)?;
        section.command(procs::line(&cmd).replace(&format!("startup-{i}"), "startup-$I"));
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?,
        )?;
        let number = |k: &str| json.get(k).and_then(serde_json::Value::as_f64);
        cold.extend(number("cold_first_answer_us"));
        cold_start.extend(number("cold_start_us"));
        warm.extend(stats::f64_list(&json, "first_answer_us"));
        warm_start.extend(stats::f64_list(&json, "start_us"));
        catalog.extend(stats::f64_list(&json, "catalog_us"));
    }
    let mut table = Table::new(&["", "start() returns", "start() → first answer", "samples"]);
    let show = |v: &[f64]| Summary::of(v).map_or("—".to_string(), |s| s.show(stats::us));
    table.row(vec![
        "cold: first start in a process (nextest)".into(),
        show(&cold_start),
        show(&cold),
        cold.len().to_string(),
    ]);
    table.row(vec![
        "warm: later starts (cargo test)".into(),
        show(&warm_start),
        show(&warm),
        warm.len().to_string(),
    ]);
    section.tables.push((String::new(), table));
    if let Some(parse) = Summary::of(&catalog) {
        section.findings.push(format!(
            "Of the cold start, parsing and compiling the built-in catalog (`Catalog::from_json`, \
             timed separately in the same processes) takes {} over {} runs.",
            parse.show(stats::us),
            parse.n
        ));
    }

    let mut headline = Vec::new();
    let mut missed = false;
    for (what, values) in [
        (
            "MockServer::start() → first answer, first in a process (nextest)",
            &cold,
        ),
        (
            "MockServer::start() → first answer, later starts (cargo test)",
            &warm,
        ),
    ] {
        let summary = Summary::of(values).context("no start-up samples")?;
        let met = summary.median < TARGET_US;
        missed |= !met;
        headline.push(Headline {
            what: what.to_string(),
            measured: summary.show(stats::us),
            target: "< 5 ms median".to_string(),
            verdict: Verdict::from(met),
            section: TITLE.to_string(),
        });
    }
    if missed && profile::choose(ctx.profiler.as_deref(), &ctx.scratch) == "perf" {
        let data = ctx.scratch.join("perf-startup.data");
        let samples = plan.startup_samples.to_string();
        let bench = ctx.bin.bench("startup")?.to_string_lossy().to_string();
        match profile::perf_command(
            profile::MOCK_FOCUS,
            &[&bench, "--bench", "--samples", &samples],
            &data,
        ) {
            Ok((summary, lines)) => {
                section
                    .profiles
                    .push(("the start-up probe (target missed)".into(), summary));
                for line in lines {
                    section.command(line);
                }
            }
            Err(error) => section
                .findings
                .push(format!("the profile could not be taken: {error:#}")),
        }
    }
    Ok((section, headline))
}
