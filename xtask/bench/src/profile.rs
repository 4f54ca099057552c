//! Where the time goes when a target is missed: a `perf` CPU profile of a
//! running process under load (or of a command), or, where perf does not
//! work, `valgrind --tool=callgrind` instruction counts.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::procs;

/// Whether `perf record` works here (it needs kernel support and permission).
pub fn perf_works(scratch: &Path) -> bool {
    let data = scratch.join("perf-probe.data");
    let ok = procs::which("perf").is_some()
        && Command::new("perf")
            .args(["record", "-q", "-e", "cpu-clock", "-o"])
            .arg(&data)
            .args(["--", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    let _ = std::fs::remove_file(&data);
    ok
}

/// Which profiler to use: the one asked for, else perf when it works, else callgrind.
pub fn choose(asked: Option<&str>, scratch: &Path) -> &'static str {
    match asked {
        Some("callgrind") => "callgrind",
        Some(_) => "perf",
        None if perf_works(scratch) => "perf",
        None => "callgrind",
    }
}

/// Records `pid` for `seconds` while `load` runs, and summarizes by shared
/// object and by function. Returns (summary, command lines).
pub fn perf_pid(
    focus: &[&str],
    pid: u32,
    seconds: u64,
    data: &Path,
    load: impl FnOnce() -> Result<()>,
) -> Result<(String, Vec<String>)> {
    let mut record = Command::new("perf");
    record
        .args([
            "record",
            "-q",
            "-e",
            "cpu-clock",
            "-F",
            "499",
            "--call-graph",
            "dwarf,8192",
            "-p",
        ])
        .arg(pid.to_string())
        .arg("-o")
        .arg(data)
        .args(["--", "sleep"])
        .arg(seconds.to_string());
    let line = procs::show(&record);
    let mut recorder = record
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting perf record")?;
    let loaded = load();
    let status = recorder.wait()?;
    loaded?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    let (summary, mut lines) = perf_report(data, focus)?;
    lines.insert(0, line);
    Ok((summary, lines))
}

/// Records a whole command with perf and summarizes it.
pub fn perf_command(focus: &[&str], cmd: &[&str], data: &Path) -> Result<(String, Vec<String>)> {
    let mut record = Command::new("perf");
    record
        .args([
            "record",
            "-q",
            "-e",
            "cpu-clock",
            "-F",
            "2999",
            "--call-graph",
            "dwarf,8192",
            "-o",
        ])
        .arg(data)
        .arg("--")
        .args(cmd);
    let line = procs::show(&record);
    let status = record
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("starting perf record")?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    let (summary, mut lines) = perf_report(data, focus)?;
    lines.insert(0, line);
    Ok((summary, lines))
}

/// The functions worth naming in a profile of the mock server: its own code,
/// and the library calls it makes per request.
pub const MOCK_FOCUS: &[&str] = &[
    "artificial_studio_mock::",
    "tracing_subscriber::fmt::fmt_layer",
    "hashbrown::raw::RawTable<T,A>::reserve_rehash",
    "serde_json::de::from_slice",
    "jsonschema::",
    "__GI___writev",
    "__libc_recv",
    "__GI___libc_write",
    "epoll_wait",
];

fn perf_report(data: &Path, focus: &[&str]) -> Result<(String, Vec<String>)> {
    let mut lines = Vec::new();
    let mut summary = String::new();
    for (title, sort, limit) in [
        ("share of CPU samples by binary", "dso", "0.5"),
        (
            "share of CPU samples by function (self time)",
            "dso,symbol",
            "1",
        ),
    ] {
        let mut report = Command::new("perf");
        report
            .args([
                "report",
                "--stdio",
                "--no-children",
                "-g",
                "none",
                "--percent-limit",
                limit,
                "--sort",
                sort,
                "-i",
            ])
            .arg(data);
        lines.push(procs::line(&report));
        let out = procs::output(&mut report)?;
        summary.push_str(&format!("{title}:\n"));
        for row in String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
            .take(25)
        {
            let row: String = row.chars().take(150).collect();
            summary.push_str(row.trim_end());
            summary.push('\n');
        }
        summary.push('\n');
    }
    if !focus.is_empty() {
        let mut script = Command::new("perf");
        script.args(["script", "-F", "ip,sym", "-i"]).arg(data);
        lines.push(procs::line(&script));
        let out = procs::output(&mut script)?;
        summary.push_str(
            "share of CPU samples in which each function is on the stack (inclusive), \
             for the project's own functions and a few library calls:\n",
        );
        for (share, name) in inclusive(&String::from_utf8_lossy(&out.stdout), focus)
            .into_iter()
            .take(30)
        {
            let name: String = name.chars().take(140).collect();
            summary.push_str(&format!("{share:>7.2}%  {name}\n"));
        }
    }
    Ok((summary, lines))
}

/// Inclusive shares of the functions matching `focus`, from `perf script`
/// output (samples separated by blank lines, one frame a line).
fn inclusive(script: &str, focus: &[&str]) -> Vec<(f64, String)> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut samples = 0usize;
    for block in script.split("\n\n") {
        let mut seen = std::collections::HashSet::new();
        let mut any = false;
        for frame in block.lines() {
            // "    55d0c1 name+0x1c (inlined)" or "    55d0c1 name+0x1c"
            let Some((_, rest)) = frame.trim().split_once(' ') else {
                continue;
            };
            any = true;
            let name = rest.trim_end_matches(" (inlined)");
            let name = match name.rfind("+0x") {
                Some(i) => &name[..i],
                None => name,
            };
            if focus.iter().any(|f| name.contains(f)) && !name.contains("server::serve") {
                seen.insert(name.to_string());
            }
        }
        if any {
            samples += 1;
        }
        for name in seen {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut shares: Vec<(f64, String)> = counts
        .into_iter()
        .map(|(name, n)| (100.0 * n as f64 / samples.max(1) as f64, name))
        .filter(|(share, _)| *share >= 0.5)
        .collect();
    shares.sort_by(|a, b| b.0.total_cmp(&a.0));
    shares
}

/// Summarizes a callgrind output file: the functions with the most
/// instructions (self cost).
pub fn callgrind_summary(file: &Path) -> Result<(String, String)> {
    let mut annotate = Command::new("callgrind_annotate");
    annotate.arg(file);
    let line = procs::line(&annotate);
    let out = procs::output(&mut annotate)?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut summary = String::from("instructions (Ir) by function, self cost:\n");
    let mut in_table = false;
    let mut rows = 0;
    for row in text.lines() {
        if row.contains("PROGRAM TOTALS") {
            summary.push_str(row.trim());
            summary.push('\n');
        }
        if row.contains("file:function") {
            in_table = true;
            continue;
        }
        if in_table && !row.trim().is_empty() && !row.starts_with('-') {
            let row: String = row.chars().take(150).collect();
            summary.push_str(row.trim_end());
            summary.push('\n');
            rows += 1;
            if rows >= 25 {
                break;
            }
        }
    }
    Ok((summary, line))
}
