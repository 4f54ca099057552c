//! The benchmark harness behind `cargo xtask bench`: builds in release,
//! installs the outside tools it needs, measures the mock server, the client
//! and the CLI against their peers in one run, and writes `BENCHMARKS.md`.
//!
//! Its public face is [`Options`] (the command's flags, a clap `Args` struct
//! that `xtask` flattens into its `bench` subcommand) and [`run`]; everything
//! else is private. It reaches the mock server only through its binary and
//! HTTP, never through the mock crate's modules.
//!
//! Benchmarks never run in CI and never fail a build: a missed target is
//! reported in the file, plainly, and the command still succeeds. It fails only
//! when it could not measure (a build, a tool or a server that would not start).

mod cli;
mod client;
mod http;
mod load;
mod machine;
mod memory;
mod peers;
mod procs;
mod profile;
mod redis;
mod report;
mod sandbox;
mod startup;
mod stats;
mod throughput;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use load::Generator;
use report::{Headline, Report, Section, Verdict};

/// The measurements, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// 1: mock server throughput and latency against bare axum and the peers
    /// (Prism, WireMock, Mockoon).
    Throughput,
    /// 2: `MockServer::start()` to the first answer.
    Startup,
    /// 3: the client library against plain reqwest; error-body parsing.
    Client,
    /// 4: `astudio` start-up time against Python's `import requests`.
    Cli,
    /// 5: server memory over many generations against the eviction cap.
    Memory,
    /// 6: a test's `run_and_wait` against the in-process sandbox at speed 0.
    Sandbox,
}

/// The options of `cargo xtask bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// Short rounds (seconds, not minutes), for development; writes
    /// BENCHMARKS.tmp unless --out is given.
    #[arg(long)]
    pub quick: bool,
    /// Only these measurements (comma-separated); writes BENCHMARKS.tmp unless
    /// --out is given.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<Part>,
    /// Rounds of each throughput comparison (default 5, quick 3).
    #[arg(long)]
    pub rounds: Option<usize>,
    /// Seconds of each throughput round (default 10, quick 1).
    #[arg(long)]
    pub seconds: Option<u64>,
    /// Load generator: wrk (default when it can be had) or oha.
    #[arg(long, value_parser = ["wrk", "oha"])]
    pub load_generator: Option<String>,
    /// Profiler for missed targets: perf (default when it works) or callgrind.
    #[arg(long, value_parser = ["perf", "callgrind"])]
    pub profiler: Option<String>,
    /// Where to write the report (default BENCHMARKS.md, or BENCHMARKS.tmp for
    /// a quick or partial run).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Sizes of every measurement, full or quick.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Interleaved rounds per throughput comparison.
    pub rounds: usize,
    /// Seconds per throughput round.
    pub seconds: u64,
    /// Seconds of warm-up per server before the rounds.
    pub warmup_seconds: u64,
    /// Seconds of warm-up of a server on a JIT (WireMock's JVM) instead.
    pub jit_warmup_seconds: u64,
    /// Connections the load generator keeps open.
    pub connections: u32,
    /// Load generator threads.
    pub threads: u32,
    /// Processes of the start-up probe (each gives one cold start).
    pub startup_processes: usize,
    /// Warm starts per start-up process.
    pub startup_samples: usize,
    /// Processes of the sandbox probe (each gives one cold test).
    pub sandbox_processes: usize,
    /// Warm tests per sandbox process.
    pub sandbox_samples: usize,
    /// Interleaved rounds of the client comparison.
    pub client_rounds: usize,
    /// Requests per client round.
    pub client_requests: usize,
    /// The large upload of the memory check, in MiB (beside a 16 MiB one).
    pub upload_large_mib: u64,
    /// Uploads of each size (each in a fresh process).
    pub upload_runs: usize,
    /// hyperfine rounds (all commands once per round).
    pub cli_rounds: usize,
    /// Runs of each command per hyperfine round.
    pub cli_runs: usize,
    /// Generations created in the memory measurement.
    pub memory_generations: u64,
    /// The low eviction cap measured beside the default one.
    pub memory_small_cap: u64,
    /// RSS samples along the way.
    pub memory_batches: u64,
    /// Seconds of load while a profile is recorded.
    pub profile_seconds: u64,
    /// Criterion arguments for the error-parsing micro-benchmark.
    pub criterion_args: Vec<&'static str>,
}

impl Plan {
    fn new(options: &Options) -> Plan {
        let quick = options.quick;
        Plan {
            rounds: options.rounds.unwrap_or(if quick { 3 } else { 5 }).max(1),
            seconds: options.seconds.unwrap_or(if quick { 1 } else { 10 }).max(1),
            warmup_seconds: if quick { 1 } else { 2 },
            jit_warmup_seconds: if quick { 5 } else { 20 },
            connections: 32,
            threads: 2,
            startup_processes: if quick { 3 } else { 7 },
            startup_samples: if quick { 10 } else { 50 },
            sandbox_processes: if quick { 3 } else { 7 },
            sandbox_samples: if quick { 10 } else { 50 },
            client_rounds: if quick { 5 } else { 15 },
            client_requests: if quick { 300 } else { 2000 },
            upload_large_mib: if quick { 256 } else { 1024 },
            upload_runs: if quick { 1 } else { 3 },
            cli_rounds: if quick { 2 } else { 5 },
            cli_runs: if quick { 5 } else { 20 },
            memory_generations: if quick { 20_000 } else { 100_000 },
            memory_small_cap: if quick { 2_000 } else { 10_000 },
            memory_batches: 10,
            profile_seconds: if quick { 2 } else { 5 },
            criterion_args: if quick {
                vec![
                    "--noplot",
                    "--warm-up-time",
                    "0.5",
                    "--measurement-time",
                    "1",
                ]
            } else {
                vec!["--noplot"]
            },
        }
    }
}

/// The release binaries measured.
#[derive(Debug, Clone)]
pub(crate) struct Binaries {
    /// `astudio-mock`.
    pub mock: PathBuf,
    /// The bare axum baseline (`crates/mock-server/examples/bare_axum.rs`).
    pub bare: PathBuf,
    /// `astudio`.
    pub astudio: PathBuf,
    /// The bench executables the parts run, by bench target name (see
    /// [`Part::benches`]); only those of the parts measured are built.
    benches: Vec<(&'static str, PathBuf)>,
}

impl Binaries {
    /// The executable of bench target `name` (built for the parts measured).
    pub fn bench(&self, name: &str) -> Result<&Path> {
        self.benches
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, path)| path.as_path())
            .with_context(|| format!("the {name} bench executable was not built"))
    }
}

impl Part {
    /// The bench targets (of `artificial-studio-mock` and
    /// `artificial-studio`) this part runs.
    fn benches(self) -> &'static [&'static str] {
        match self {
            Part::Throughput | Part::Cli | Part::Memory => &[],
            Part::Startup => &["startup"],
            Part::Client => &["client_overhead", "upload_memory", "error_parsing"],
            Part::Sandbox => &["sandbox"],
        }
    }
}

/// What every measurement shares.
pub(crate) struct Ctx {
    /// The workspace root.
    pub root: PathBuf,
    /// Sizes.
    pub plan: Plan,
    /// Scratch files: `target/bench`.
    pub scratch: PathBuf,
    /// The binaries.
    pub bin: Binaries,
    /// The load generator, if one could be had.
    pub generator: Result<Generator, String>,
    /// Installs outside tools when missing.
    pub installer: tools::Installer,
    /// The profiler asked for, if any.
    pub profiler: Option<String>,
}

/// The key of the account every measurement uses (pro plan, a huge balance so
/// that `POST /api/run` answers `202` throughout).
pub(crate) const BENCH_KEY: &str = "bench-key";
/// The bench account's starting balance.
pub(crate) const BENCH_CREDITS: u64 = 1_000_000_000_000_000;
/// Credits one benchmarked run costs (create-image's default model).
pub(crate) const RUN_COST: u64 = 6;
/// The body of every benchmarked `POST /api/run`: valid, the default model,
/// [`RUN_COST`] credits.
pub(crate) const RUN_BODY: &str =
    r#"{"tool":"create-image","input":{"prompt":"a lighthouse at dusk"}}"#;

/// The bench account's balance now, from `GET /api/account`.
pub(crate) fn credits_left(base_url: &str) -> anyhow::Result<u64> {
    use anyhow::Context;
    let answer = http::send(
        "GET",
        &format!("{base_url}/api/account"),
        &[("Authorization", BENCH_KEY)],
        None,
    )?;
    serde_json::from_str::<serde_json::Value>(&answer.body)?
        .get("credits")
        .and_then(serde_json::Value::as_u64)
        .context("no credits in GET /api/account")
}

impl Ctx {
    /// The accounts file given to `astudio-mock`.
    pub fn accounts_file(&self) -> PathBuf {
        self.scratch.join("accounts.toml")
    }

    /// `astudio-mock` as the benchmark runs it: any port, `--speed 0`, rate
    /// limits off, the bench account, default logging (stderr to /dev/null).
    pub fn mock_command(&self, extra: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin.mock);
        cmd.args([
            "--port",
            "0",
            "--speed",
            "0",
            "--rate-limit",
            "off",
            "--config",
        ])
        .arg(self.accounts_file())
        .args(extra)
        .current_dir(&self.root);
        cmd
    }

    /// Starts `astudio-mock` with [`Ctx::mock_command`].
    pub fn start_mock(&self, extra: &[&str]) -> Result<procs::Server> {
        procs::Server::start(
            "astudio-mock",
            self.mock_command(extra),
            procs::Ready::FirstLine,
            std::time::Duration::from_secs(20),
        )
    }

    /// The load generator, or why there is none.
    pub fn generator(&self) -> Result<&Generator> {
        self.generator
            .as_ref()
            .map_err(|e| anyhow::anyhow!("no load generator: {e}"))
    }
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"))
}

/// Builds everything measured, in release: the servers and the CLI, and the
/// bench executables of `parts`, whose paths Cargo reports.
fn build(root: &Path, parts: &[Part]) -> Result<Binaries> {
    procs::status(
        Command::new("cargo")
            .args([
                "build",
                "--release",
                "--locked",
                "-p",
                "artificial-studio-mock",
                "-p",
                "artificial-studio-cli",
                "--bin",
                "astudio-mock",
                "--bin",
                "astudio",
                "--example",
                "bare_axum",
            ])
            .current_dir(root),
    )?;
    let wanted: Vec<&'static str> = parts.iter().flat_map(|p| p.benches()).copied().collect();
    let mut benches = Vec::new();
    if !wanted.is_empty() {
        let mut cmd = Command::new("cargo");
        cmd.args([
            "bench",
            "--locked",
            "--no-run",
            "--message-format=json-render-diagnostics",
            "-p",
            "artificial-studio-mock",
            "-p",
            "artificial-studio",
        ]);
        for name in &wanted {
            cmd.args(["--bench", name]);
        }
        let out = procs::stdout_only(cmd.current_dir(root))?;
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let name = message.pointer("/target/name").and_then(|v| v.as_str());
            let executable = message.get("executable").and_then(|v| v.as_str());
            if let (Some(name), Some(path)) = (name, executable)
                && let Some(wanted) = wanted.iter().find(|w| **w == name)
            {
                benches.push((*wanted, PathBuf::from(path)));
            }
        }
        if let Some(missing) = wanted
            .iter()
            .find(|w| !benches.iter().any(|(n, _)| n == *w))
        {
            bail!("cargo did not report the {missing} bench executable");
        }
    }
    let release = target_dir(root).join("release");
    Ok(Binaries {
        mock: release.join("astudio-mock"),
        bare: release.join("examples/bare_axum"),
        astudio: release.join("astudio"),
        benches,
    })
}

/// Runs the benchmark and writes the report.
pub fn run(root: &Path, options: Options) -> Result<()> {
    let started = Instant::now();
    let load_start = machine::load();
    let busy = machine::busy_processes();
    let machine = machine::Machine::read(root);
    let plan = Plan::new(&options);
    let parts: Vec<Part> = if options.only.is_empty() {
        vec![
            Part::Throughput,
            Part::Startup,
            Part::Client,
            Part::Cli,
            Part::Memory,
            Part::Sandbox,
        ]
    } else {
        options.only.clone()
    };
    let partial = options.quick || !options.only.is_empty();
    let out = options.out.clone().unwrap_or_else(|| {
        root.join(if partial {
            "BENCHMARKS.tmp"
        } else {
            "BENCHMARKS.md"
        })
    });
    println!(
        "bench: {} run of {:?}; load averages now {:.2} {:.2} {:.2} on {} cores{}",
        if options.quick { "quick" } else { "full" },
        parts,
        load_start[0],
        load_start[1],
        load_start[2],
        machine.cores,
        if load_start[0] > 0.5 {
            " (other work is running: expect noise, and read the ratios)"
        } else {
            ""
        }
    );
    if !busy.is_empty() {
        println!(
            "bench: busy now: {}",
            busy.iter()
                .map(|(name, share)| format!("{name} {:.0}%", share * 100.0))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    let build_started = Instant::now();
    let bin = build(root, &parts)?;
    println!(
        "bench: build took {:.0} s",
        build_started.elapsed().as_secs_f64()
    );
    let scratch = target_dir(root).join("bench");
    std::fs::create_dir_all(&scratch)?;
    std::fs::write(
        scratch.join("accounts.toml"),
        format!(
            "# Written by cargo xtask bench: one pro account that never runs out of credits.\n\
             [[accounts]]\nkey = \"{BENCH_KEY}\"\nplan = \"pro\"\ncredits = {BENCH_CREDITS}\n"
        ),
    )?;
    let mut installer = tools::Installer::new(target_dir(root).join("bench-tools"));
    let needs_load = parts
        .iter()
        .any(|p| matches!(p, Part::Throughput | Part::Memory));
    let generator = if needs_load {
        installer
            .load_generator(options.load_generator.as_deref())
            .map_err(|e| format!("{e:#}"))
    } else {
        Err("not needed".to_string())
    };
    let mut ctx = Ctx {
        root: root.to_path_buf(),
        plan,
        scratch,
        bin,
        generator,
        installer,
        profiler: options.profiler.clone(),
    };

    let mut sections = Vec::new();
    let mut headline = Vec::new();
    let mut failures = Vec::new();
    for part in &parts {
        let part_started = Instant::now();
        let (title, result) = match part {
            Part::Throughput => (throughput::TITLE, throughput::run(&mut ctx)),
            Part::Startup => (startup::TITLE, startup::run(&mut ctx)),
            Part::Client => (client::TITLE, client::run(&mut ctx)),
            Part::Cli => (cli::TITLE, cli::run(&mut ctx)),
            Part::Memory => (memory::TITLE, memory::run(&mut ctx)),
            Part::Sandbox => (sandbox::TITLE, sandbox::run(&mut ctx)),
        };
        println!(
            "bench: {title} took {:.0} s",
            part_started.elapsed().as_secs_f64()
        );
        match result {
            Ok((section, rows)) => {
                sections.push(section);
                headline.extend(rows);
            }
            Err(error) => {
                let why = format!("{error:#}");
                eprintln!("bench: {title}: {why}");
                let mut section = Section::new(title);
                section.failure = Some(why.clone());
                sections.push(section);
                headline.push(Headline {
                    what: title.to_string(),
                    measured: "—".to_string(),
                    target: "—".to_string(),
                    verdict: Verdict::NotMeasured(first_line(&why)),
                    section: title.to_string(),
                });
                failures.push(format!("{title}: {why}"));
            }
        }
    }

    let old = std::fs::read_to_string(root.join("BENCHMARKS.md")).unwrap_or_default();
    let report = Report {
        quick: options.quick,
        machine,
        load: (load_start, machine::load()),
        busy,
        elapsed_secs: started.elapsed().as_secs_f64(),
        tools: tool_versions(&ctx),
        headline,
        sections,
        notes: report::kept_notes(&old).unwrap_or_else(|| {
            "(Hand-written notes go here: what was done about missed targets.)".to_string()
        }),
    };
    std::fs::write(&out, report.render()).with_context(|| format!("writing {}", out.display()))?;
    println!("bench: wrote {}", out.display());
    for h in &report.headline {
        println!(
            "bench: {:<60} {:<28} target {:<12} {}",
            h.what,
            h.measured,
            h.target,
            match &h.verdict {
                Verdict::Met => "met".to_string(),
                Verdict::Missed => "MISSED".to_string(),
                Verdict::Reference => "-".to_string(),
                Verdict::NotMeasured(why) => format!("NOT MEASURED: {why}"),
            }
        );
    }
    if !failures.is_empty() {
        bail!(
            "{} measurement(s) could not run:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    Ok(())
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

/// Versions of everything that took part.
fn tool_versions(ctx: &Ctx) -> Vec<(String, String)> {
    let mut tools = Vec::new();
    let mut add = |name: &str, program: &Path, args: &[&str]| {
        if let Some(version) = procs::first_line(program, args) {
            tools.push((name.to_string(), version));
        }
    };
    add("rustc", Path::new("rustc"), &["--version"]);
    if let Ok(generator) = &ctx.generator {
        add(generator.name(), generator.path(), &["--version"]);
    }
    for (name, program) in [
        ("hyperfine", "hyperfine"),
        ("node", "node"),
        ("perf", "perf"),
        ("valgrind", "valgrind"),
    ] {
        if let Some(path) = procs::which(program) {
            add(name, &path, &["--version"]);
        }
    }
    let prism = ctx.installer.prism_path();
    if prism.is_file() {
        add("prism (@stoplight/prism-cli)", &prism, &["--version"]);
    }
    if ctx.installer.wiremock_path().is_file()
        && let Some(java) = procs::which("java")
    {
        add("java", &java, &["-version"]);
    }
    let mockoon = ctx.installer.mockoon_path();
    if mockoon.is_file() {
        add("mockoon-cli (@mockoon/cli)", &mockoon, &["--version"]);
    }
    if let Some(python) = procs::which("python3") {
        add("python3", &python, &["--version"]);
        add(
            "python requests",
            &python,
            &[
                "-c",
                "import requests; print('requests', requests.__version__)",
            ],
        );
    }
    if ctx.installer.wiremock_path().is_file() {
        // The jar has no `--version` that does not start a server; the pin says it.
        tools.push((
            "wiremock (npm wiremock, standalone jar)".to_string(),
            tools::WIREMOCK.version.to_string(),
        ));
    }
    tools
}
