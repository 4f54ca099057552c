//! The load generator: `wrk` (Debian) or `oha` (crates.io), run for a fixed
//! time or a fixed number of requests, and its summary parsed.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::procs;

/// Which load generator is used, and where it is.
#[derive(Debug, Clone)]
pub enum Generator {
    /// `wrk` with a Lua script per request shape.
    Wrk(PathBuf),
    /// `oha` with its JSON summary.
    Oha(PathBuf),
}

impl Generator {
    /// The program.
    pub fn path(&self) -> &Path {
        match self {
            Generator::Wrk(p) | Generator::Oha(p) => p,
        }
    }

    /// `wrk` or `oha`.
    pub fn name(&self) -> &'static str {
        match self {
            Generator::Wrk(_) => "wrk",
            Generator::Oha(_) => "oha",
        }
    }
}

/// One request shape, sent over and over.
#[derive(Debug, Clone)]
pub struct Target {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The whole URL.
    pub url: String,
    /// Headers sent with every request.
    pub headers: Vec<(String, String)>,
    /// The body of every request, if any.
    pub body: Option<String>,
}

/// How long, or how many requests, and with how many connections.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Connections kept open.
    pub connections: u32,
    /// Client threads.
    pub threads: u32,
    /// Run for this many seconds...
    pub seconds: u64,
    /// ...or stop after about this many answers (then `seconds` is a bound).
    pub requests: Option<u64>,
}

/// What one run measured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Measured {
    /// Answers per second.
    pub rps: f64,
    /// Median latency, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile latency, in milliseconds.
    pub p99_ms: f64,
    /// Answers received.
    pub answers: u64,
    /// Answers whose status was not 2xx (or 3xx, which `wrk` counts as good).
    pub non_2xx: u64,
    /// Connection errors and timeouts.
    pub errors: u64,
}

/// Runs one load and parses its summary; `scratch` holds scripts and outputs.
pub fn run(
    generator: &Generator,
    target: &Target,
    shape: Shape,
    scratch: &Path,
) -> Result<(Measured, String)> {
    match generator {
        Generator::Wrk(wrk) => run_wrk(wrk, target, shape, scratch),
        Generator::Oha(oha) => run_oha(oha, target, shape),
    }
}

fn lua_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Lua script giving `wrk` the method, headers, body and (for a counted
/// run) a per-thread stop, as in wrk's own `scripts/stop.lua`.
fn wrk_script(target: &Target, per_thread: Option<u64>) -> String {
    let mut lua = format!("wrk.method = {}\n", lua_string(target.method));
    for (name, value) in &target.headers {
        lua.push_str(&format!(
            "wrk.headers[{}] = {}\n",
            lua_string(name),
            lua_string(value)
        ));
    }
    if let Some(body) = &target.body {
        lua.push_str(&format!("wrk.body = {}\n", lua_string(body)));
    }
    if let Some(limit) = per_thread {
        lua.push_str(&format!(
            "local answered = 0\nfunction response(status, headers, body)\n  answered = answered + 1\n  if answered >= {limit} then wrk.thread:stop() end\nend\n"
        ));
    }
    lua
}

fn run_wrk(
    wrk: &Path,
    target: &Target,
    shape: Shape,
    scratch: &Path,
) -> Result<(Measured, String)> {
    let per_thread = shape
        .requests
        .map(|n| n.div_ceil(u64::from(shape.threads.max(1))));
    let script = wrk_script(target, per_thread);
    let name = format!(
        "{}-{}{}.lua",
        target.method.to_lowercase(),
        short_hash(&script),
        if per_thread.is_some() { "-counted" } else { "" }
    );
    let path = scratch.join(name);
    std::fs::write(&path, &script).with_context(|| format!("writing {}", path.display()))?;
    let mut cmd = Command::new(wrk);
    cmd.args([
        "-t",
        &shape.threads.to_string(),
        "-c",
        &shape.connections.to_string(),
        "-d",
        &format!("{}s", shape.seconds),
        "--timeout",
        "10s",
        "--latency",
        "-s",
    ])
    .arg(&path)
    .arg(&target.url);
    let out = procs::output(&mut cmd)?;
    let line = procs::line(&cmd);
    let text = String::from_utf8_lossy(&out.stdout);
    Ok((
        parse_wrk(&text).with_context(|| format!("reading wrk's summary:\n{text}"))?,
        line,
    ))
}

fn short_hash(text: &str) -> String {
    // FNV-1a: names the script by its content so reruns reuse the file name.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash >> 32)
}

/// `490.00us`, `4.72ms`, `1.20s` as milliseconds.
fn wrk_duration_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    let (number, scale) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.trim().parse::<f64>().ok().map(|n| n * scale)
}

/// Parses wrk's text summary (with `--latency`).
pub fn parse_wrk(text: &str) -> Result<Measured> {
    let mut m = Measured::default();
    let mut seen_rps = false;
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", n] => {
                m.rps = n.parse()?;
                seen_rps = true;
            }
            ["50%", d] => m.p50_ms = wrk_duration_ms(d).context("p50")?,
            ["99%", d] => m.p99_ms = wrk_duration_ms(d).context("p99")?,
            [n, "requests", "in", ..] => m.answers = n.parse()?,
            ["Non-2xx", "or", "3xx", "responses:", n] => m.non_2xx = n.parse()?,
            ["Socket", "errors:", rest @ ..] => {
                m.errors = rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum();
            }
            _ => {}
        }
    }
    if !seen_rps {
        bail!("no Requests/sec line");
    }
    Ok(m)
}

fn run_oha(oha: &Path, target: &Target, shape: Shape) -> Result<(Measured, String)> {
    let mut cmd = Command::new(oha);
    cmd.args(["--no-tui", "--output-format", "json", "-c"])
        .arg(shape.connections.to_string());
    match shape.requests {
        Some(n) => cmd.args(["-n", &n.to_string()]),
        None => cmd.args(["-z", &format!("{}s", shape.seconds)]),
    };
    cmd.args(["-m", target.method]);
    for (name, value) in &target.headers {
        cmd.args(["-H", &format!("{name}: {value}")]);
    }
    if let Some(body) = &target.body {
        cmd.args(["-d", body]);
    }
    cmd.arg(&target.url);
    let out = procs::output(&mut cmd)?;
    let line = procs::line(&cmd);
    let text = String::from_utf8_lossy(&out.stdout);
    Ok((
        parse_oha(&text).with_context(|| format!("reading oha's summary:\n{text}"))?,
        line,
    ))
}

/// Parses oha's JSON summary (`--output-format json`).
pub fn parse_oha(text: &str) -> Result<Measured> {
    let json: serde_json::Value = serde_json::from_str(text)?;
    let number = |pointer: &str| json.pointer(pointer).and_then(serde_json::Value::as_f64);
    let statuses = json
        .get("statusCodeDistribution")
        .and_then(serde_json::Value::as_object)
        .context("no statusCodeDistribution")?;
    let mut answers = 0u64;
    let mut non_2xx = 0u64;
    for (status, n) in statuses {
        let n = n.as_u64().unwrap_or(0);
        answers += n;
        if !status.starts_with('2') && !status.starts_with('3') {
            non_2xx += n;
        }
    }
    // A timed run ends with the requests in flight cut off ("aborted due to
    // deadline"): the end of the run, not errors of the server.
    let errors = json
        .get("errorDistribution")
        .and_then(serde_json::Value::as_object)
        .map(|e| {
            e.iter()
                .filter(|(kind, _)| !kind.contains("deadline"))
                .filter_map(|(_, n)| n.as_u64())
                .sum()
        })
        .unwrap_or(0);
    Ok(Measured {
        rps: number("/summary/requestsPerSec").context("no requestsPerSec")?,
        p50_ms: number("/latencyPercentiles/p50").unwrap_or(f64::NAN) * 1000.0,
        p99_ms: number("/latencyPercentiles/p99").unwrap_or(f64::NAN) * 1000.0,
        answers,
        non_2xx,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK: &str = "Running 5s test @ http://127.0.0.1:18080/api/run
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.62ms    8.04ms 131.40ms   98.34%
    Req/Sec    18.63k     2.10k   22.10k    71.00%
  Latency Distribution
     50%  719.00us
     75%    1.00ms
     90%    1.43ms
     99%  131.40ms
  185362 requests in 5.00s, 43.68MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 17
Requests/sec:  37072.97
Transfer/sec:      8.73MB
";

    #[test]
    fn wrk_summary_gives_rate_percentiles_counts_and_errors() {
        let m = parse_wrk(WRK).unwrap();
        assert_eq!(m.rps, 37072.97);
        assert!((m.p50_ms - 0.719).abs() < 1e-9);
        assert_eq!(m.p99_ms, 131.4);
        assert_eq!((m.answers, m.non_2xx, m.errors), (185362, 17, 3));
    }

    #[test]
    fn oha_summary_counts_statuses_outside_2xx() {
        let text = r#"{"summary":{"requestsPerSec":1000.5},"latencyPercentiles":{"p50":0.0005,"p99":0.002},
            "statusCodeDistribution":{"202":990,"402":10},
            "errorDistribution":{"connection closed":2,"aborted due to deadline":32}}"#;
        let m = parse_oha(text).unwrap();
        assert_eq!((m.answers, m.non_2xx, m.errors), (1000, 10, 2));
        assert!((m.p99_ms - 2.0).abs() < 1e-9);
    }

    #[test]
    fn lua_strings_escape_quotes_and_backslashes() {
        assert_eq!(lua_string(r#"{"a":"b\c"}"#), r#""{\"a\":\"b\\c\"}""#);
    }
}
