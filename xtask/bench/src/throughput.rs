//! Measurement 1: mock server throughput and latency on loopback, against a
//! bare axum server sending the same bytes and against the peers users would
//! pick instead (Prism, WireMock, Mockoon; see [`crate::peers`]).

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::load::{self, Measured, Shape, Target};
use crate::peers::{self, Installed, Peer, Stub};
use crate::procs::{Ready, Server};
use crate::redis::RedisServer;
use crate::report::{Headline, Section, Table, Verdict};
use crate::stats::{self, Summary};
use crate::{BENCH_CREDITS, BENCH_KEY, Ctx, RUN_BODY, RUN_COST, credits_left, http, profile};

/// The section title.
pub const TITLE: &str = "1. Mock server throughput and latency";

/// Targets: the mock against bare axum, and against Prism.
const MIN_SHARE_OF_BARE: f64 = 0.60;
const MIN_TIMES_PRISM: f64 = 20.0;
/// Targets of the Redis store against the memory store (issue #20), in req/s.
const MIN_REDIS_SHARE_RUN: f64 = 0.30;
const MIN_REDIS_SHARE_GET: f64 = 0.50;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Route {
    Tool,
    Generation,
    Run,
}

impl Route {
    fn label(self) -> &'static str {
        match self {
            Route::Tool => "GET /api/tools/create-image",
            Route::Generation => "GET /api/generations/{id}",
            Route::Run => "POST /api/run",
        }
    }

    fn method(self) -> &'static str {
        if self == Route::Run { "POST" } else { "GET" }
    }

    /// The least share of the memory store's req/s the Redis store should keep.
    fn min_redis_share(self) -> f64 {
        if self == Route::Run {
            MIN_REDIS_SHARE_RUN
        } else {
            MIN_REDIS_SHARE_GET
        }
    }

    fn bare_flag(self) -> &'static str {
        match self {
            Route::Tool => "--tool",
            Route::Generation => "--generation",
            Route::Run => "--run",
        }
    }
}

fn headers(route: Route) -> Vec<(String, String)> {
    let mut headers = vec![("Authorization".to_string(), BENCH_KEY.to_string())];
    if route == Route::Run {
        headers.push(("Content-Type".to_string(), "application/json".to_string()));
    }
    headers
}

fn target(route: Route, base_url: &str, path: &str) -> Target {
    Target {
        method: route.method(),
        url: format!("{base_url}{path}"),
        headers: headers(route),
        body: (route == Route::Run).then(|| RUN_BODY.to_string()),
    }
}

fn send(route: Route, base_url: &str, path: &str) -> Result<http::Answer> {
    let headers = headers(route);
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let body = (route == Route::Run).then_some(RUN_BODY);
    http::send(route.method(), &format!("{base_url}{path}"), &headers, body)
}

/// One server under test, with what its rounds measured.
struct Contender {
    server: Server,
    kind: Kind,
    path: String,
    rounds: Vec<Measured>,
    /// CPU time per answer in each round, in microseconds (with its
    /// redis-server's, on Redis).
    cpu_us: Vec<f64>,
    bytes: usize,
    /// On Redis: its redis-server, and per round that server's CPU time per
    /// answer (µs), the round trips per answer and the commands run per
    /// answer (those inside scripts included).
    redis: Option<RedisServer>,
    redis_cpu_us: Vec<f64>,
    round_trips: Vec<f64>,
    commands: Vec<f64>,
}

/// What a contender is to the mock.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Mock,
    /// The same mock with `--store redis://...`.
    Redis,
    Bare,
    Peer(Peer),
}

impl Contender {
    fn new(server: Server, kind: Kind, path: &str) -> Contender {
        Contender {
            server,
            kind,
            path: path.to_string(),
            rounds: Vec::new(),
            cpu_us: Vec::new(),
            bytes: 0,
            redis: None,
            redis_cpu_us: Vec::new(),
            round_trips: Vec::new(),
            commands: Vec::new(),
        }
    }

    /// Ratios against a peer read as "n×", against bare axum as a share.
    fn ratio_format(&self) -> fn(f64) -> String {
        if matches!(self.kind, Kind::Peer(_)) {
            stats::times
        } else {
            stats::percent
        }
    }
}

/// Runs the throughput comparison on every route.
pub fn run(ctx: &mut Ctx) -> Result<(Section, Vec<Headline>)> {
    let generator = ctx.generator()?.clone();
    let peers = peers::install(&mut ctx.installer);
    let mut section = Section::new(TITLE);
    let plan = ctx.plan.clone();
    section.method = format!(
        "Each server runs alone as a release binary on loopback; `{gen}` keeps {c} connections \
         open with {t} threads. `astudio-mock` runs with `--speed 0 --rate-limit off`, its \
         default logging (one line per request, stderr sent to /dev/null) and an accounts \
         file with one pro account holding 10^15 credits, so every `POST /api/run` is a valid \
         run that creates a generation and answers `202`. The bare axum server \
         (`crates/mock-server/examples/bare_axum.rs`, same axum/tokio/hyper/mimalloc) answers \
         with the exact bytes the mock answered to the same request, captured first. The peers \
         users would pick instead: Prism {prism_v} mocks `spec/openapi.yaml` with its defaults \
         (static examples, info logging to /dev/null); WireMock {wiremock_v} (standalone jar \
         of the `wiremock` npm package, on the machine's `java`, default JVM and Jetty \
         settings) serves the mock's captured answer (status, `Content-Type`, \
         `Content-Length`, the same bytes) from one static stub per route matching the method \
         and the exact path, with `--no-request-journal --disable-request-logging`; Mockoon's \
         CLI {mockoon_v} loads `spec/openapi.yaml` directly (its own import of the spec's \
         examples, so its bodies differ: see the bytes per answer below), logging to stdout \
         (sent to /dev/null) and not to a file. A peer that cannot be installed or started, \
         or does not answer the route with a 2xx, is left out and the report says why. Every \
         server is started fresh for each route, warmed up for {w} s (WireMock, whose JVM \
         compiles the hot path as it runs, for {jw} s), then measured in {r} rounds of {s} s, \
         the servers taking turns within each round (the order rotates), so that noise from \
         the machine falls on all of them (not exactly alike: Prism and Mockoon run on one \
         thread and lose less than the Rust servers to a busy second core). Ratios against \
         bare axum read as a share, against a peer as a multiple; they are taken round by \
         round (the mock against each other server in the same round). Peak RSS is \
         `VmHWM` of the server process (and its children) after all its rounds. \
         Server CPU per answer is the user + system time the server used during a round \
         (`/proc/PID/stat`, all its threads) divided by the answers of that round: unlike \
         req/s it does not depend on how much of the machine the load generator and other \
         work leave to the server, so its ratio is the steadier measure of the work each \
         server does per request. \
         The Redis store: a second `astudio-mock`, the same command with `--store \
         redis://127.0.0.1:$REDIS_PORT`, on its own `redis-server` (Debian's package, started \
         by the bench on a free loopback port with persistence off: `--save \"\" --appendonly \
         no`) takes its turn in the same rounds on the same route; its CPU per answer counts \
         the mock's and redis-server's together (redis-server's alone beside it), and its \
         Redis round trips per answer are the scripts (`EVALSHA`, `SCRIPT LOAD`) Redis ran \
         during the round, from `INFO commandstats` before and after, divided by the answers \
         (the commands run inside those scripts are counted beside them; the replica's \
         sweeper adds one script per tick). It is compared with the in-memory mock of the \
         same round.",
        gen = generator.name(),
        c = plan.connections,
        t = plan.threads,
        prism_v = Peer::Prism.package().version,
        wiremock_v = Peer::WireMock.package().version,
        mockoon_v = Peer::Mockoon.package().version,
        w = plan.warmup_seconds,
        jw = plan.jit_warmup_seconds,
        r = plan.rounds,
        s = plan.seconds,
    );
    for installed in &peers {
        if let Some(why) = installed.missing() {
            section.findings.push(format!(
                "{} could not be installed, so it is not compared: {why}",
                installed.peer.name()
            ));
        }
    }
    let mut headline = Vec::new();
    for route in [Route::Tool, Route::Generation, Route::Run] {
        println!("bench: throughput of {}", route.label());
        let (tables, findings, rows, profiles) = measure_route(ctx, route, &peers, &mut section)
            .with_context(|| format!("measuring {}", route.label()))?;
        section.tables.extend(tables);
        section.findings.extend(findings);
        section.profiles.extend(profiles);
        headline.extend(rows);
    }
    for installed in peers.iter().filter(|p| p.missing().is_some()) {
        let peer = installed.peer;
        headline.push(Headline {
            what: format!("astudio-mock ÷ {}", peer.name()),
            measured: "—".to_string(),
            target: peer_target(peer),
            verdict: Verdict::NotMeasured(format!("{} could not be installed", peer.name())),
            section: TITLE.to_string(),
        });
    }
    Ok((section, headline))
}

/// The target of the mock against a peer, as the headline shows it.
fn peer_target(peer: Peer) -> String {
    if peer == Peer::Prism {
        format!("≥ {MIN_TIMES_PRISM:.0}×")
    } else {
        "(none)".to_string()
    }
}

type RouteResult = (
    Vec<(String, Table)>,
    Vec<String>,
    Vec<Headline>,
    Vec<(String, String)>,
);

/// The path measured on a mock: a generation of its own store for the read.
fn route_path(route: Route, base_url: &str) -> Result<String> {
    Ok(match route {
        Route::Tool => "/api/tools/create-image".to_string(),
        Route::Run => "/api/run".to_string(),
        Route::Generation => {
            let created = send(Route::Run, base_url, "/api/run")?;
            let id = serde_json::from_str::<serde_json::Value>(&created.body)?
                .get("id")
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .with_context(|| format!("no id in the 202 of POST /api/run: {}", created.body))?;
            format!("/api/generations/{id}")
        }
    })
}

/// The mock on a `redis-server` of its own (persistence off).
fn start_on_redis(ctx: &Ctx, route: Route, section: &mut Section) -> Result<Contender> {
    let name = route.bare_flag().trim_start_matches('-');
    let redis = RedisServer::start(&ctx.scratch.join(format!("redis-{name}")))?;
    section.command(
        redis
            .command
            .replace(&format!("--port {}", redis.port()), "--port $REDIS_PORT"),
    );
    let url = redis.url();
    let mut server = ctx.start_mock(&["--store", &url])?;
    server.name = "astudio-mock on Redis".to_string();
    section.command(
        server
            .command
            .replace(&url, "redis://127.0.0.1:$REDIS_PORT"),
    );
    let path = route_path(route, &server.base_url)?;
    let mut contender = Contender::new(server, Kind::Redis, &path);
    contender.redis = Some(redis);
    Ok(contender)
}

fn measure_route(
    ctx: &Ctx,
    route: Route,
    peers: &[Installed],
    section: &mut Section,
) -> Result<RouteResult> {
    let plan = &ctx.plan;
    let generator = ctx.generator()?;
    let mock = ctx.start_mock(&[])?;
    section.command(mock.command.clone());

    // The mock's path (a generation of the bench account for the read), and
    // its answer, which the bare server will send as a constant.
    let path = route_path(route, &mock.base_url)?;
    let captured = send(route, &mock.base_url, &path)?;
    if !(200..300).contains(&captured.status) {
        bail!(
            "astudio-mock answered {} to {} {path}: {}",
            captured.status,
            route.method(),
            captured.body
        );
    }
    let body_file = ctx.scratch.join(format!(
        "{}.json",
        route.bare_flag().trim_start_matches('-')
    ));
    std::fs::write(&body_file, &captured.body)?;

    let mut bare_cmd = Command::new(&ctx.bin.bare);
    bare_cmd.arg("0").arg(route.bare_flag()).arg(&body_file);
    let bare = Server::start(
        "bare axum",
        bare_cmd,
        Ready::FirstLine,
        Duration::from_secs(20),
    )?;
    section.command(bare.command.clone());

    let mut contenders = vec![
        Contender::new(mock, Kind::Mock, &path),
        Contender::new(bare, Kind::Bare, &path),
    ];
    let mut findings = Vec::new();
    let mut left_out = Vec::new();
    // The same mock on Redis; when redis-server is missing or will not
    // start, the report says so and the rest is measured.
    match start_on_redis(ctx, route, section) {
        Ok(contender) => {
            if let Some(version) = contender.redis.as_ref().and_then(|r| r.version().ok()) {
                findings.push(format!(
                    "{}: the Redis store ran on redis-server {version}, persistence off, one \
                     replica.",
                    route.label()
                ));
            }
            contenders.push(contender);
        }
        Err(error) => {
            let why = format!("{error:#}");
            eprintln!("bench: {}: the Redis store left out: {why}", route.label());
            findings.push(format!(
                "{}: the Redis store is not measured: {why}",
                route.label()
            ));
            left_out.push(Headline {
                what: redis_headline(route),
                measured: "—".to_string(),
                target: format!("≥ {:.0}%", route.min_redis_share() * 100.0),
                verdict: Verdict::NotMeasured(crate::first_line(&why)),
                section: TITLE.to_string(),
            });
        }
    }
    let stub = Stub {
        method: route.method(),
        path: &path,
        status: captured.status,
        content_type: captured
            .content_type
            .as_deref()
            .unwrap_or("application/json"),
        body: &captured.body,
    };
    let stub_name = route.bare_flag().trim_start_matches('-');
    for installed in peers.iter().filter(|p| p.missing().is_none()) {
        let peer = installed.peer;
        // A peer that will not start or answer is left out of this route, said
        // plainly, and the others are still measured.
        let started =
            peers::start(installed, &ctx.root, &ctx.scratch, stub_name, &stub).and_then(|server| {
                section.command(server.command.clone());
                let answer = send(route, &server.base_url, &path)?;
                if !(200..300).contains(&answer.status) {
                    bail!(
                        "it answered {} to {} {path}: {}",
                        answer.status,
                        route.method(),
                        answer.body
                    );
                }
                Ok(server)
            });
        match started {
            Ok(server) => contenders.push(Contender::new(server, Kind::Peer(peer), &path)),
            Err(error) => {
                let why = format!("{error:#}");
                eprintln!("bench: {}: {} left out: {why}", route.label(), peer.name());
                findings.push(format!(
                    "{}: {} is not compared: it could not be started or did not answer with a \
                     2xx: {why}",
                    route.label(),
                    peer.name()
                ));
                left_out.push(Headline {
                    what: format!("{}: astudio-mock ÷ {} (req/s)", route.label(), peer.name()),
                    measured: "—".to_string(),
                    target: peer_target(peer),
                    verdict: Verdict::NotMeasured(crate::first_line(&why)),
                    section: TITLE.to_string(),
                });
            }
        }
    }

    // Each answers the route with a 2xx before it is measured.
    for c in contenders.iter_mut() {
        let answer = send(route, &c.server.base_url, &c.path)?;
        if !(200..300).contains(&answer.status) {
            bail!(
                "{} answered {} to {} {}: {}",
                c.server.name,
                answer.status,
                route.method(),
                c.path,
                answer.body
            );
        }
        c.bytes = answer.body.len();
    }
    findings.push(format!(
        "{}: body bytes per answer: {}.",
        route.label(),
        contenders
            .iter()
            .map(|c| format!("{} {}", c.server.name, c.bytes))
            .collect::<Vec<_>>()
            .join(", ")
    ));

    let shape = |seconds| Shape {
        connections: plan.connections,
        threads: plan.threads,
        seconds,
        requests: None,
    };
    for c in &contenders {
        let target = target(route, &c.server.base_url, &c.path);
        let seconds = if c.kind == Kind::Peer(Peer::WireMock) {
            plan.jit_warmup_seconds
        } else {
            plan.warmup_seconds
        };
        println!("bench: warming up {} for {seconds} s", c.server.name);
        load::run(generator, &target, shape(seconds), &ctx.scratch)?;
    }
    for round in 0..plan.rounds {
        let n = contenders.len();
        for k in 0..n {
            let c = &mut contenders[(round + k) % n];
            let target = target(route, &c.server.base_url, &c.path);
            println!(
                "bench: round {}/{} {}",
                round + 1,
                plan.rounds,
                c.server.name
            );
            let cpu_before = c.server.cpu_seconds();
            let redis_before = match &c.redis {
                Some(redis) => Some((redis.cpu_seconds(), redis.counts()?)),
                None => None,
            };
            let (measured, line) =
                load::run(generator, &target, shape(plan.seconds), &ctx.scratch)?;
            let mut cpu = c.server.cpu_seconds() - cpu_before;
            section.command(template(&line, &c.server.base_url));
            let answers = measured.answers.max(1) as f64;
            if let (Some(redis), Some((redis_cpu, counts))) = (&c.redis, redis_before) {
                let redis_cpu = redis.cpu_seconds() - redis_cpu;
                let counted = redis.counts()?.since(counts);
                cpu += redis_cpu;
                c.redis_cpu_us.push(redis_cpu * 1e6 / answers);
                c.round_trips.push(counted.round_trips as f64 / answers);
                c.commands.push(counted.commands as f64 / answers);
            }
            c.cpu_us.push(cpu * 1e6 / answers);
            c.rounds.push(measured);
        }
    }

    // Tables and ratios.
    let mock_rps: Vec<f64> = contenders[0].rounds.iter().map(|m| m.rps).collect();
    let mut table = Table::new(&[
        "server",
        "req/s",
        "p50 latency",
        "p99 latency",
        "server CPU per answer",
        "peak RSS",
        "answers (non-2xx, errors)",
        "astudio-mock ÷ this, per round (req/s)",
        "this ÷ astudio-mock (CPU per answer)",
    ]);
    let mock_cpu = contenders[0].cpu_us.clone();
    let mut rows = Vec::new();
    for (i, c) in contenders.iter().enumerate() {
        if c.kind == Kind::Redis {
            continue;
        }
        let rps: Vec<f64> = c.rounds.iter().map(|m| m.rps).collect();
        let p50: Vec<f64> = c.rounds.iter().map(|m| m.p50_ms).collect();
        let p99: Vec<f64> = c.rounds.iter().map(|m| m.p99_ms).collect();
        let answers: u64 = c.rounds.iter().map(|m| m.answers).sum();
        let non_2xx: u64 = c.rounds.iter().map(|m| m.non_2xx).sum();
        let errors: u64 = c.rounds.iter().map(|m| m.errors).sum();
        let memory = c.server.memory();
        let ratio = Summary::of(&stats::ratios(&mock_rps, &rps));
        let show =
            |s: Option<Summary>, f: fn(f64) -> String| s.map_or("—".to_string(), |s| s.show(f));
        table.row(vec![
            c.server.name.clone(),
            show(Summary::of(&rps), stats::count),
            show(Summary::of(&p50), stats::ms),
            show(Summary::of(&p99), stats::ms),
            show(Summary::of(&c.cpu_us), stats::us),
            stats::mib(memory.peak_kib),
            format!("{} ({}, {})", stats::count(answers as f64), non_2xx, errors),
            if i == 0 {
                "—".to_string()
            } else {
                show(ratio, c.ratio_format())
            },
            if i == 0 {
                "—".to_string()
            } else {
                let cpu_ratio = Summary::of(&stats::ratios(&c.cpu_us, &mock_cpu));
                show(cpu_ratio, c.ratio_format())
            },
        ]);
        if non_2xx > 0 || errors > 0 {
            findings.push(format!(
                "{}: {} answered {non_2xx} non-2xx and had {errors} connection errors out of {} — \
                 its rate includes them.",
                route.label(),
                c.server.name,
                stats::count(answers as f64)
            ));
        }
        if i == 0 {
            continue;
        }
        let (target_text, verdict) = match c.kind {
            Kind::Peer(Peer::Prism) => (
                peer_target(Peer::Prism),
                ratio.map(|r| Verdict::from(r.median >= MIN_TIMES_PRISM)),
            ),
            Kind::Peer(peer) => (peer_target(peer), ratio.map(|_| Verdict::Reference)),
            _ => (
                format!("≥ {:.0}%", MIN_SHARE_OF_BARE * 100.0),
                ratio.map(|r| Verdict::from(r.median >= MIN_SHARE_OF_BARE)),
            ),
        };
        let shown = ratio.map(|r| r.show(c.ratio_format()));
        rows.push(Headline {
            what: format!(
                "{}: astudio-mock ÷ {} (req/s)",
                route.label(),
                c.server.name
            ),
            measured: shown.unwrap_or_else(|| "—".to_string()),
            target: target_text,
            verdict: verdict.unwrap_or(Verdict::NotMeasured("no rounds".to_string())),
            section: TITLE.to_string(),
        });
    }
    if route == Route::Run {
        findings.push(check_credits(&contenders[0].server.base_url)?);
    }

    // Where the mock's time goes, when it falls short of the bare server.
    let mut profiles = Vec::new();
    let missed_bare = rows.first().is_some_and(|h| h.verdict == Verdict::Missed);
    if missed_bare {
        let mock = &contenders[0];
        let target = target(route, &mock.server.base_url, &mock.path);
        match profile_mock(ctx, route, mock.server.pid(), &target, section) {
            Ok(summary) => profiles.push((
                format!(
                    "astudio-mock under load on {} (target missed)",
                    route.label()
                ),
                summary,
            )),
            Err(error) => findings.push(format!(
                "{}: the profile of the missed target could not be taken: {error:#}",
                route.label()
            )),
        }
    }
    let mut tables = vec![(format!("**{}**", route.label()), table)];
    if let Some(on_redis) = contenders.iter().find(|c| c.kind == Kind::Redis) {
        let (table, redis_rows) = redis_table(route, &contenders[0], on_redis, &mut findings);
        tables.push((
            format!(
                "**{}: the Redis store beside the memory store**",
                route.label()
            ),
            table,
        ));
        rows.extend(redis_rows);
    }
    rows.extend(left_out);
    Ok((tables, findings, rows, profiles))
}

fn redis_headline(route: Route) -> String {
    format!(
        "{}: astudio-mock on Redis ÷ in memory (req/s)",
        route.label()
    )
}

/// The memory store and the Redis store of one route, side by side, and
/// their headlines: the Redis store's share of the memory store's req/s
/// (against the target) and its Redis round trips per request.
fn redis_table(
    route: Route,
    memory: &Contender,
    on_redis: &Contender,
    findings: &mut Vec<String>,
) -> (Table, Vec<Headline>) {
    let mut table = Table::new(&[
        "store",
        "req/s",
        "p50 latency",
        "p99 latency",
        "server CPU per answer (astudio-mock + redis-server)",
        "of which redis-server",
        "Redis round trips per answer",
        "Redis commands per answer (inside scripts too)",
        "answers (non-2xx, errors)",
        "this ÷ in memory, per round (req/s)",
        "this ÷ in memory (CPU per answer)",
    ]);
    let show =
        |s: Option<Summary>, f: &dyn Fn(f64) -> String| s.map_or("—".to_string(), |s| s.show(f));
    let decimals = |v: f64| format!("{v:.2}");
    let memory_rps: Vec<f64> = memory.rounds.iter().map(|m| m.rps).collect();
    let share = Summary::of(&stats::ratios(
        &on_redis.rounds.iter().map(|m| m.rps).collect::<Vec<_>>(),
        &memory_rps,
    ));
    for (c, store) in [(memory, "memory (default)"), (on_redis, "Redis")] {
        let rps: Vec<f64> = c.rounds.iter().map(|m| m.rps).collect();
        let p50: Vec<f64> = c.rounds.iter().map(|m| m.p50_ms).collect();
        let p99: Vec<f64> = c.rounds.iter().map(|m| m.p99_ms).collect();
        let answers: u64 = c.rounds.iter().map(|m| m.answers).sum();
        let non_2xx: u64 = c.rounds.iter().map(|m| m.non_2xx).sum();
        let errors: u64 = c.rounds.iter().map(|m| m.errors).sum();
        let is_redis = c.kind == Kind::Redis;
        let redis_only = |cell: String| if is_redis { cell } else { "—".to_string() };
        table.row(vec![
            store.to_string(),
            show(Summary::of(&rps), &stats::count),
            show(Summary::of(&p50), &stats::ms),
            show(Summary::of(&p99), &stats::ms),
            show(Summary::of(&c.cpu_us), &stats::us),
            redis_only(show(Summary::of(&c.redis_cpu_us), &stats::us)),
            redis_only(show(Summary::of(&c.round_trips), &decimals)),
            redis_only(show(Summary::of(&c.commands), &decimals)),
            format!("{} ({}, {})", stats::count(answers as f64), non_2xx, errors),
            redis_only(show(share, &stats::percent)),
            redis_only(show(
                Summary::of(&stats::ratios(&c.cpu_us, &memory.cpu_us)),
                &stats::percent,
            )),
        ]);
        if is_redis && (non_2xx > 0 || errors > 0) {
            findings.push(format!(
                "{}: astudio-mock on Redis answered {non_2xx} non-2xx and had {errors} connection \
                 errors out of {} — its rate includes them.",
                route.label(),
                stats::count(answers as f64)
            ));
        }
    }
    let min = route.min_redis_share();
    let rows = vec![
        Headline {
            what: redis_headline(route),
            measured: share.map_or("—".to_string(), |s| s.show(stats::percent)),
            target: format!("≥ {:.0}%", min * 100.0),
            verdict: share.map_or(Verdict::NotMeasured("no rounds".to_string()), |s| {
                Verdict::from(s.median >= min)
            }),
            section: TITLE.to_string(),
        },
        Headline {
            what: format!("{}: Redis round trips per request", route.label()),
            measured: show(Summary::of(&on_redis.round_trips), &decimals),
            target: "(none)".to_string(),
            verdict: Verdict::Reference,
            section: TITLE.to_string(),
        },
    ];
    (table, rows)
}

/// A command line with the server's base URL replaced by a placeholder, so a
/// repeated command is listed once per shape.
fn template(line: &str, base_url: &str) -> String {
    line.replace(base_url, "http://127.0.0.1:$PORT")
}

/// Confirms the bench account still had credits after the runs (so no `402`
/// could have happened), and says how many runs the mock took.
fn check_credits(base_url: &str) -> Result<String> {
    let credits = credits_left(base_url)?;
    let spent = BENCH_CREDITS.saturating_sub(credits);
    Ok(format!(
        "POST /api/run: the bench account spent {} credits ({} generations at {RUN_COST} credits) \
         and still holds {}: no run could be refused for credits.",
        stats::count(spent as f64),
        stats::count((spent / RUN_COST) as f64),
        stats::count(credits as f64)
    ))
}

fn profile_mock(
    ctx: &Ctx,
    route: Route,
    pid: u32,
    target: &Target,
    section: &mut Section,
) -> Result<String> {
    let generator = ctx.generator()?;
    let shape = Shape {
        connections: ctx.plan.connections,
        threads: ctx.plan.threads,
        seconds: ctx.plan.profile_seconds,
        requests: None,
    };
    let name = route.bare_flag().trim_start_matches('-');
    match profile::choose(ctx.profiler.as_deref(), &ctx.scratch) {
        "perf" => {
            let data = ctx.scratch.join(format!("perf-{name}.data"));
            let (summary, lines) = profile::perf_pid(
                profile::MOCK_FOCUS,
                pid,
                ctx.plan.profile_seconds,
                &data,
                || load::run(generator, target, shape, &ctx.scratch).map(|_| ()),
            )?;
            for line in lines {
                section.command(line);
            }
            Ok(summary)
        }
        _ => {
            // The mock under callgrind, driven by a counted load: instruction
            // counts do not depend on what else the machine is doing.
            let out = ctx.scratch.join(format!("callgrind-{name}.out"));
            let mut cmd = Command::new("valgrind");
            cmd.arg("--tool=callgrind")
                .arg(format!("--callgrind-out-file={}", out.display()))
                .arg(&ctx.bin.mock)
                .args(ctx.mock_command(&[]).get_args())
                .current_dir(&ctx.root);
            let server = Server::start(
                "astudio-mock under callgrind",
                cmd,
                Ready::FirstLine,
                Duration::from_secs(120),
            )?;
            section.command(server.command.clone());
            let mut path_target = target.clone();
            let path = target
                .url
                .split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
                .unwrap_or_default();
            if route == Route::Generation {
                // A generation of this server's own store.
                let created = send(Route::Run, &server.base_url, "/api/run")?;
                let id = serde_json::from_str::<serde_json::Value>(&created.body)?
                    .get("id")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .context("no id")?;
                path_target.url = format!("{}/api/generations/{id}", server.base_url);
            } else {
                path_target.url = format!("{}{path}", server.base_url);
            }
            let counted = Shape {
                requests: Some(20_000),
                seconds: 120,
                ..shape
            };
            let (_, line) = load::run(generator, &path_target, counted, &ctx.scratch)?;
            section.command(template(&line, &server.base_url));
            drop(server); // callgrind writes its file when the server exits
            let (summary, line) = profile::callgrind_summary(&out)?;
            section.command(line);
            Ok(summary)
        }
    }
}
