//! The cost of the client library over plain `reqwest`: `Client::tool("create-image")`
//! against a running mock server, next to the same request (same headers,
//! same typed decoding into `Tool`) made with a bare `reqwest::Client`.
//!
//! Within a round the two clients take turns request by request (SDK, plain,
//! SDK, plain, with the pair's order flipped from one pair to the next and
//! between rounds), each request timed on its own and summed per client, so
//! the machine's changing latency falls on both alike. Each round builds both
//! clients afresh and warms them up untimed, so each opens a new kept-alive
//! connection and the server worker it lands on is drawn again every round
//! instead of favouring one client for the whole run. Each round reports the
//! mean time per request of each client.
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

/// Untimed requests per client at the start of each round: the connection
/// is open and the pools and allocator are settled before timing starts.
const WARM_UP: usize = 32;

/// Both clients of one round, each with its own fresh connection pool.
struct Pair {
    sdk: Client,
    plain: Plain,
}

impl Pair {
    fn new(settings: &Settings) -> Result<Self, String> {
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
        Ok(Self { sdk, plain })
    }

    /// One `Client::tool` request, timed.
    async fn time_sdk(&self) -> Result<Duration, String> {
        let started = Instant::now();
        let tool = self.sdk.tool(SLUG).await.map_err(|e| e.to_string())?;
        let elapsed = started.elapsed();
        std::hint::black_box(tool);
        Ok(elapsed)
    }

    /// The same request with plain `reqwest`, timed.
    async fn time_plain(&self) -> Result<Duration, String> {
        let started = Instant::now();
        let tool = self.plain.tool().await?;
        let elapsed = started.elapsed();
        std::hint::black_box(tool);
        Ok(elapsed)
    }

    /// `n` requests from each client, taking turns; `sdk_first` says which
    /// opens the first pair, and the order flips from pair to pair. Returns
    /// the total time of each client's requests, SDK then plain.
    async fn interleaved(&self, n: usize, sdk_first: bool) -> Result<(Duration, Duration), String> {
        let (mut sdk, mut plain) = (Duration::ZERO, Duration::ZERO);
        for i in 0..n {
            if (i % 2 == 0) == sdk_first {
                sdk += self.time_sdk().await?;
                plain += self.time_plain().await?;
            } else {
                plain += self.time_plain().await?;
                sdk += self.time_sdk().await?;
            }
        }
        Ok((sdk, plain))
    }
}

fn per_request_us(total: Duration, n: usize) -> f64 {
    total.as_secs_f64() * 1e6 / n.max(1) as f64
}

async fn measure(settings: Settings) -> Result<serde_json::Value, String> {
    let n = settings.requests;
    let mut sdk_us = Vec::with_capacity(settings.rounds);
    let mut plain_us = Vec::with_capacity(settings.rounds);
    for round in 0..settings.rounds {
        // Fresh clients, so fresh connections: where each lands on the
        // server's workers is drawn again every round.
        let pair = Pair::new(&settings)?;
        let sdk_first = round % 2 == 0;
        pair.interleaved(WARM_UP, sdk_first).await?;
        let (sdk, plain) = pair.interleaved(n, sdk_first).await?;
        sdk_us.push(per_request_us(sdk, n));
        plain_us.push(per_request_us(plain, n));
    }
    Ok(serde_json::json!({
        "requests_per_round": n,
        "warm_up_requests": WARM_UP,
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
