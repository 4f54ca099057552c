//! Measurement 3: what the client library costs, `Client::tool("create-image")`
//! against plain `reqwest` (`crates/core/benches/client_overhead.rs`), and the
//! criterion micro-benchmark of parsing a 400 with 50 issues.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::report::{Headline, Section, Table, Verdict};
use crate::stats::{self, Summary};
use crate::{BENCH_KEY, Ctx, procs, profile};

/// The section title.
pub const TITLE: &str = "3. Client overhead";

/// The target: the library within 5% of plain reqwest.
const MAX_OVERHEAD: f64 = 1.05;

/// The target for uploads: streamed from disk, so a large file takes at most
/// this much more peak memory than a 16 MiB one.
const MAX_UPLOAD_GROWTH: f64 = 1.10;

/// The small upload, in MiB.
const SMALL_UPLOAD_MIB: u64 = 16;

/// Runs both client measurements.
pub fn run(ctx: &mut Ctx) -> Result<(Section, Vec<Headline>)> {
    let plan = ctx.plan.clone();
    let mut section = Section::new(TITLE);
    let mock = ctx.start_mock(&[])?;
    section.command(mock.command.clone());
    let out = ctx.scratch.join("client-overhead.json");
    let mut cmd = Command::new(ctx.bin.bench("client_overhead")?);
    cmd.args([
        "--bench",
        "--base-url",
        &mock.base_url,
        "--key",
        BENCH_KEY,
        "--rounds",
    ])
    .arg(plan.client_rounds.to_string())
    .arg("--requests")
    .arg(plan.client_requests.to_string())
    .arg("--out")
    .arg(&out);
    procs::output(&mut cmd)?;
    section.command(procs::line(&cmd).replace(&mock.base_url, "http://127.0.0.1:$PORT"));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out)?)?;
    // The bench binary reports its own warm-up, so the text cannot drift from it.
    let warm_up = json
        .get("warm_up_requests")
        .and_then(serde_json::Value::as_u64)
        .map_or_else(|| "a few".to_string(), |w| w.to_string());
    section.method = format!(
        "`crates/core/benches/client_overhead.rs` (release, one current-thread runtime) calls \
         `Client::tool(\"create-image\")` in a loop against `astudio-mock` (separate process, \
         same flags as above), beside the same request made with a bare `reqwest::Client` \
         (same headers, same per-request timeout, the body decoded into the same `Tool` type). \
         {r} rounds of {n} requests per client, interleaved request by request (the library, \
         plain, the library, plain …, which of the two goes first flipping from pair to pair \
         and between rounds), each request timed on its own and summed per client, so both see \
         the same moment-to-moment latency. Each round builds both clients afresh, so each opens \
         a new kept-alive connection (where it lands on the server's workers is drawn again \
         every round), and warms them up with {w} untimed requests each. The ratio is the \
         library's total time ÷ plain reqwest's, taken round by round. Then `cargo bench \
         --bench error_parsing` (criterion) for the error bodies.",
        r = plan.client_rounds,
        n = plan.client_requests,
        w = warm_up,
    );
    let sdk = stats::f64_list(&json, "sdk_us");
    let plain = stats::f64_list(&json, "reqwest_us");
    let ratio = Summary::of(&stats::ratios(&sdk, &plain)).context("no client rounds")?;
    let mut table = Table::new(&["client", "time per request", "rounds"]);
    let show = |v: &[f64]| Summary::of(v).map_or("—".to_string(), |s| s.show(stats::us));
    table.row(vec![
        "artificial-studio `tool(\"create-image\")`".into(),
        show(&sdk),
        sdk.len().to_string(),
    ]);
    table.row(vec![
        "plain reqwest, same request".into(),
        show(&plain),
        plain.len().to_string(),
    ]);
    section.tables.push((String::new(), table));
    let overhead = |r: f64| format!("{:+.1}%", (r - 1.0) * 100.0);
    let met = ratio.median <= MAX_OVERHEAD;
    let mut headline = vec![Headline {
        what: "artificial-studio `tool()` ÷ plain reqwest (time per request)".to_string(),
        measured: format!(
            "{} ({} … {})",
            overhead(ratio.median),
            overhead(ratio.min),
            overhead(ratio.max)
        ),
        target: "within +5%".to_string(),
        verdict: Verdict::from(met),
        section: TITLE.to_string(),
    }];
    if !met && profile::choose(ctx.profiler.as_deref(), &ctx.scratch) == "perf" {
        let data = ctx.scratch.join("perf-client.data");
        let bench = ctx
            .bin
            .bench("client_overhead")?
            .to_string_lossy()
            .to_string();
        let rounds = plan.client_rounds.to_string();
        let requests = plan.client_requests.to_string();
        let args = [
            bench.as_str(),
            "--bench",
            "--base-url",
            &mock.base_url,
            "--key",
            BENCH_KEY,
            "--rounds",
            &rounds,
            "--requests",
            &requests,
        ];
        match profile::perf_command(
            &["artificial_studio::", "reqwest::", "hyper::"],
            &args,
            &data,
        ) {
            Ok((summary, lines)) => {
                section
                    .profiles
                    .push(("the client loop (target missed)".into(), summary));
                for line in lines {
                    section.command(line.replace(&mock.base_url, "http://127.0.0.1:$PORT"));
                }
            }
            Err(error) => section
                .findings
                .push(format!("the profile could not be taken: {error:#}")),
        }
    }
    drop(mock);

    // The criterion micro-benchmark, run as `cargo bench -p artificial-studio
    // --bench error_parsing` would (the executable cargo built above), so that
    // cargo does not rebuild it with the features of one package alone.
    let mut cmd = Command::new(ctx.bin.bench("error_parsing")?);
    cmd.arg("--bench")
        .args(&plan.criterion_args)
        .current_dir(&ctx.root);
    procs::status(&mut cmd)?;
    section.command(procs::line(&cmd));
    let criterion = ctx
        .scratch
        .parent()
        .map(|t| t.join("criterion"))
        .context("no target directory")?;
    let mut table = Table::new(&[
        "error body (criterion)",
        "time per parse: median (min–max of samples)",
        "samples",
    ]);
    for name in [
        "400 with 50 issues",
        "402 message only",
        "502 html page",
        "display 400 with 50 issues",
    ] {
        let (summary, n) = criterion_result(&criterion, name)?;
        table.row(vec![
            name.to_string(),
            summary.show(stats::ns),
            n.to_string(),
        ]);
        if name == "400 with 50 issues" {
            headline.push(Headline {
                what: "parse a 400 with 50 issues into an `Error` (criterion)".to_string(),
                measured: summary.show(stats::ns),
                target: "(none)".to_string(),
                verdict: Verdict::Reference,
                section: TITLE.to_string(),
            });
        }
    }
    section.tables.push((String::new(), table));

    let (table, upload_headline, commands) = upload_memory(ctx)?;
    section.method.push_str(&format!(
        " Last, `crates/core/benches/upload_memory.rs` uploads a sparse file of {SMALL_UPLOAD_MIB} MiB \
         and one of {large} MiB with `Client::upload_file`, each in a fresh process ({runs} \
         time(s) each), to an in-process server that counts the multipart body's bytes and keeps \
         none; the peak RSS (`VmHWM`) of that process is the upload's memory.",
        large = plan.upload_large_mib,
        runs = plan.upload_runs,
    ));
    for command in commands {
        section.command(command);
    }
    section.tables.push((String::new(), table));
    headline.push(upload_headline);
    Ok((section, headline))
}

/// Peak memory of a small and a large streamed upload.
fn upload_memory(ctx: &Ctx) -> Result<(Table, Headline, Vec<String>)> {
    let plan = &ctx.plan;
    let mut commands = Vec::new();
    let mut peaks = Vec::new();
    let mut table = Table::new(&[
        "upload",
        "peak RSS",
        "bytes the server received",
        "time",
        "runs",
    ]);
    for size in [SMALL_UPLOAD_MIB, plan.upload_large_mib] {
        let (mut rss, mut secs, mut received) = (Vec::new(), Vec::new(), 0u64);
        for _ in 0..plan.upload_runs {
            let out = ctx.scratch.join(format!("upload-{size}.json"));
            let mut cmd = Command::new(ctx.bin.bench("upload_memory")?);
            cmd.args(["--bench", "--size-mib", &size.to_string(), "--out"])
                .arg(&out);
            procs::output(&mut cmd)?;
            let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out)?)?;
            let number = |k: &str| {
                json.get(k)
                    .and_then(serde_json::Value::as_f64)
                    .unwrap_or(0.0)
            };
            rss.push(number("peak_rss_kib"));
            secs.push(number("seconds"));
            received = json
                .get("received_bytes")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0);
            if commands.len() < 2 {
                commands.push(procs::line(&cmd));
            }
        }
        let peak = Summary::of(&rss).context("no upload runs")?;
        table.row(vec![
            format!("{size} MiB file"),
            peak.show(stats::mib),
            format!("{received} (file: {})", size * 1024 * 1024),
            Summary::of(&secs).map_or("—".into(), |s| s.show(|v| format!("{v:.2} s"))),
            rss.len().to_string(),
        ]);
        peaks.push(peak.median);
    }
    let growth = peaks[1] / peaks[0].max(1.0);
    let headline = Headline {
        what: format!(
            "client upload peak RSS, {} MiB file ÷ {SMALL_UPLOAD_MIB} MiB file",
            plan.upload_large_mib
        ),
        measured: format!(
            "{} → {} ({:+.1}%)",
            stats::mib(peaks[0]),
            stats::mib(peaks[1]),
            (growth - 1.0) * 100.0
        ),
        target: "flat (≤ +10%)".to_string(),
        verdict: Verdict::from(growth <= MAX_UPLOAD_GROWTH),
        section: TITLE.to_string(),
    };
    Ok((table, headline, commands))
}

/// Criterion's median estimate for one benchmark, with the range of its
/// per-iteration sample means, in nanoseconds.
fn criterion_result(dir: &Path, name: &str) -> Result<(Summary, usize)> {
    let folder = dir.join(name);
    let read = |file: &str| -> Result<serde_json::Value> {
        let path = folder.join("new").join(file);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        Ok(serde_json::from_str(&text)?)
    };
    let estimates = read("estimates.json")?;
    let sample = read("sample.json")?;
    let median = estimates
        .pointer("/median/point_estimate")
        .and_then(serde_json::Value::as_f64)
        .context("no median estimate")?;
    let per_iter: Vec<f64> = stats::f64_list(&sample, "times")
        .iter()
        .zip(stats::f64_list(&sample, "iters"))
        .map(|(t, i)| t / i.max(1.0))
        .collect();
    let range = Summary::of(&per_iter).context("no criterion samples")?;
    Ok((Summary { median, ..range }, per_iter.len()))
}
