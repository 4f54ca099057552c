//! Load and soak, bounded and on loopback: ~20 000 mixed requests from 64
//! concurrent tasks across seven keys, with rate limits on, injected faults
//! and scripted failures; then the books are checked.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use artificial_studio::{
    Client, Error, FileUpload, ListParams, RetryPolicy, types::GenerationStatus,
};
use futures::TryStreamExt;
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::{Value, json};

use crate::harness::*;

const TASKS: usize = 64;
const REQUESTS: usize = 20_000;
const SCRIPTED_FAILURES: u32 = 300;
const FAILURE: &str = "scripted failure under load";

/// One key of the load: `(key, plan, initial credits, tasks using it)`.
const ACCOUNTS: &[(&str, &str, u64, usize)] = &[
    ("load-pro-0", "pro", 1_000_000, 12),
    ("load-pro-1", "pro", 1_000_000, 12),
    ("load-pro-2", "pro", 1_000_000, 12),
    ("load-pro-3", "pro", 1_000_000, 12),
    // Runs out of credits early: 402s, never a negative balance.
    ("load-poor", "pro", 60, 8),
    // Free keys with low limits: most of their requests are 429s.
    ("load-free-0", "free", 1_000_000, 4),
    ("load-free-1", "free", 1_000_000, 4),
];

/// Runs the load may start: `(tool, input)`.
fn valid_run(rng: &mut StdRng) -> (&'static str, Value) {
    match rng.random_range(0..5) {
        0 => ("create-image", json!({"prompt": "a fox"})),
        1 => (
            "create-image",
            json!({"prompt": "a fox", "model": "flux-schnell"}),
        ),
        2 => (
            "text-to-speech",
            json!({"prompt": "Hello", "voice": "nova"}),
        ),
        3 => ("sound-effects", json!({"prompt": "rain"})),
        _ => ("create-music", json!({"prompt": "jazz"})),
    }
}

/// What each task saw.
#[derive(Default)]
struct Tally {
    /// Requests sent (each call below sends exactly one: no retries).
    sent: u64,
    ok: u64,
    /// Status of every API error, with the operation that got it.
    errors: BTreeMap<(u16, &'static str), u64>,
    /// Anything but an API error: there must be none.
    other: Vec<String>,
    /// Runs answered 202, per key.
    started: HashMap<&'static str, u64>,
}

impl Tally {
    fn record<T>(&mut self, op: &'static str, result: artificial_studio::Result<T>) -> Option<T> {
        self.sent += 1;
        match result {
            Ok(value) => {
                self.ok += 1;
                Some(value)
            }
            Err(Error::Api { status, .. }) => {
                *self.errors.entry((status, op)).or_default() += 1;
                None
            }
            Err(other) => {
                self.other.push(format!("{op}: {other}"));
                None
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        self.sent += other.sent;
        self.ok += other.ok;
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
        self.other.extend(other.other);
        for (k, v) in other.started {
            *self.started.entry(k).or_default() += v;
        }
    }

    fn count(&self, status: u16) -> u64 {
        self.errors
            .iter()
            .filter(|((s, _), _)| *s == status)
            .map(|(_, n)| n)
            .sum()
    }
}

/// Every generation id started, with the key that started it.
type Started = Arc<Mutex<Vec<(&'static str, String)>>>;

async fn worker(
    client: Client,
    key: &'static str,
    seed: u64,
    requests: usize,
    started: Started,
) -> Tally {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tally = Tally::default();
    let mut mine: Vec<String> = Vec::new();
    let mut output: Option<String> = None;
    while (tally.sent as usize) < requests {
        let roll = rng.random_range(0..100);
        match roll {
            0..25 => {
                let (tool, input) = valid_run(&mut rng);
                if let Some(run) = tally.record("run", client.run(tool, input, None).await) {
                    *tally.started.entry(key).or_default() += 1;
                    started.lock().unwrap().push((key, run.id.clone()));
                    mine.push(run.id);
                }
            }
            25..29 => {
                let input = json!({"prompt": "x", "colour": "red"});
                tally.record("run-invalid", client.run("create-image", input, None).await);
            }
            29..31 => {
                tally.record(
                    "run-unknown",
                    client
                        .run("make-coffee", json!({"prompt": "x"}), None)
                        .await,
                );
            }
            31..46 if !mine.is_empty() => {
                let id = &mine[rng.random_range(0..mine.len())];
                if let Some(generation) = tally.record("get", client.generation(id).await)
                    && generation.output.is_some()
                {
                    output = generation.output;
                }
            }
            46..49 => {
                let other = {
                    let started = started.lock().unwrap();
                    started
                        .iter()
                        .rev()
                        .find(|(owner, _)| *owner != key)
                        .map(|(_, id)| id.clone())
                };
                if let Some(id) = other {
                    tally.record("get-other", client.generation(&id).await);
                }
            }
            49..61 => {
                let mut params = ListParams::new().limit(rng.random_range(1..=50));
                if rng.random_bool(0.3) {
                    params = params.status(GenerationStatus::Success);
                }
                tally.record("list", client.generations(&params).await);
            }
            61..69 => {
                tally.record("tools", client.tools().await);
            }
            69..77 => {
                let slug = if rng.random_bool(0.1) {
                    "no-such-tool"
                } else {
                    "text-to-speech"
                };
                tally.record("tool", client.tool(slug).await);
            }
            77..82 => {
                tally.record("search", client.search("image").await);
            }
            82..92 => {
                tally.record("account", client.account().await);
            }
            92..95 => {
                let upload = FileUpload::bytes(vec![b'x'; 64], "notes.txt");
                tally.record("upload", client.upload_file(upload).await);
            }
            _ => {
                if let Some(url) = &output {
                    let mut sink = Vec::new();
                    tally.record("download", client.download_url(url, &mut sink).await);
                }
            }
        }
    }
    tally
}

fn accounts_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut toml = String::new();
    for (key, plan, credits, _) in ACCOUNTS {
        toml.push_str(&format!(
            "[[accounts]]\nkey = \"{key}\"\nplan = \"{plan}\"\ncredits = {credits}\n\n"
        ));
    }
    let path = dir.join("accounts.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_mixed_requests_from_64_tasks_keep_the_books() {
    assert_eq!(ACCOUNTS.iter().map(|a| a.3).sum::<usize>(), TASKS);
    let dir = tempfile::tempdir().unwrap();
    let config = accounts_file(dir.path());
    let mock = Mock::start(&[
        "--config",
        config.to_str().unwrap(),
        // 2000 ms processing and 500 ms uploading become 10 and 2.5 ms.
        "--speed",
        "0.005",
        "--rate-limit",
        "free.run=30,free.get=300,pro.run=1000000,pro.get=1000000",
        "--journal-capacity",
        "1000000",
    ]);
    // Faults on three read routes, at random; refunds through scripted failures.
    for (fault, route, probability) in [
        ("503", "GET /api/tools/{slug}", 0.05),
        ("500", "GET /api/search", 0.05),
        ("502", "GET /api/account", 0.03),
    ] {
        mock.inject(json!({"fault": fault, "route": route, "probability": probability}))
            .await;
    }
    mock.fail_next("*", FAILURE, SCRIPTED_FAILURES).await;

    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let client_for = |key: &str, retries: RetryPolicy| {
        mock.client_builder(key)
            .http_client(http.clone())
            .timeout(Duration::from_secs(20))
            .retry_policy(retries)
            .build()
            .unwrap()
    };

    // The load.
    let started: Started = Arc::default();
    let load_began = Instant::now();
    let mut tasks = Vec::new();
    let mut seed = 0;
    for (key, _, _, count) in ACCOUNTS {
        for _ in 0..*count {
            seed += 1;
            let client = client_for(key, RetryPolicy::none());
            tasks.push(tokio::spawn(worker(
                client,
                key,
                seed,
                REQUESTS.div_ceil(TASKS),
                started.clone(),
            )));
        }
    }
    let mut tally = Tally::default();
    let all = tokio::time::timeout(Duration::from_secs(120), futures::future::join_all(tasks))
        .await
        .expect("the load stops by itself within 2 minutes");
    for task in all {
        tally.merge(task.unwrap());
    }
    let load_time = load_began.elapsed();
    println!(
        "load: {} requests in {load_time:.1?} ({:.0}/s): {} ok, errors {:?}",
        tally.sent,
        tally.sent as f64 / load_time.as_secs_f64(),
        tally.ok,
        tally.errors
    );

    // No request unanswered: every call got an answer, and the server's
    // journal holds exactly as many requests.
    assert!(
        tally.other.is_empty(),
        "not API answers: {:?}",
        &tally.other[..tally.other.len().min(5)]
    );
    assert!(tally.sent >= REQUESTS as u64, "{}", tally.sent);
    let journal = mock.journal().await;
    assert_eq!(
        journal.len() as u64,
        tally.sent,
        "one journal entry per request sent"
    );

    // No 5xx but the injected ones, on the server's side and the client's.
    let uninjected: Vec<_> = journal
        .iter()
        .filter(|e| e.status >= 500 && e.fault.is_none())
        .collect();
    assert!(uninjected.is_empty(), "5xx not injected: {uninjected:?}");
    for ((status, op), n) in &tally.errors {
        let allowed: &[u16] = match *op {
            "tool" => &[404, 429, 503],
            "search" => &[429, 500],
            "account" => &[429, 502],
            "run" => &[402, 429],
            "run-invalid" => &[400, 429],
            "run-unknown" => &[404, 429],
            "get-other" => &[403, 429],
            _ => &[429],
        };
        assert!(allowed.contains(status), "{n} × {status} on {op}");
    }
    let limited = tally.count(429);
    assert!(limited > 0, "rate limits were hit");
    assert!(
        limited < tally.sent / 4,
        "{limited} of {} were 429",
        tally.sent
    );
    assert!(
        tally.ok > tally.sent / 2,
        "{} of {} succeeded",
        tally.ok,
        tally.sent
    );
    assert!(tally.count(402) > 0, "the poor account ran out");
    assert!(tally.count(403) > 0 && tally.count(500) > 0 && tally.count(503) > 0);

    // The books, once every generation is final.
    mock.admin(reqwest::Method::DELETE, "/__mock/faults", None)
        .await;
    let reader = client_for(ACCOUNTS[0].0, RetryPolicy::default());
    let mut costs = HashMap::new();
    for tool in [
        "create-image",
        "text-to-speech",
        "sound-effects",
        "create-music",
    ] {
        for model in reader.tool(tool).await.unwrap().models {
            costs.insert(model.slug, model.cost.unwrap() as u64);
        }
    }
    let balances: HashMap<String, u64> = mock
        .accounts()
        .await
        .into_iter()
        .map(|a| {
            (
                a["key"].as_str().unwrap().to_string(),
                a["credits"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut failed = 0;
    for (key, _, initial, _) in ACCOUNTS {
        // Generous retries: the free keys' read buckets are empty by now.
        let reader = client_for(key, RetryPolicy::default().with_max_retries(20));
        let generations = eventually(
            &format!("every generation of {key} is final"),
            Duration::from_secs(30),
            || async {
                let all: Vec<_> = reader
                    .generations_stream(ListParams::new().limit(100))
                    .try_collect()
                    .await
                    .unwrap();
                all.iter().all(|g| g.status.is_final()).then_some(all)
            },
        )
        .await;
        assert_eq!(
            generations.len() as u64,
            tally.started.get(key).copied().unwrap_or(0),
            "{key}: every 202 is a generation, and nothing else is"
        );
        let mut spent = 0;
        for generation in &generations {
            if generation.status == GenerationStatus::Error {
                assert_eq!(generation.error.as_deref(), Some(FAILURE));
                failed += 1;
                continue;
            }
            let model = generation.payload["model"].as_str().unwrap();
            spent += costs[model];
        }
        let now = balances[*key];
        assert_eq!(
            initial - now,
            spent,
            "{key}: initial − final = cost of non-failed generations"
        );
    }
    assert_eq!(
        failed, SCRIPTED_FAILURES,
        "every scripted failure happened, and refunded"
    );
    println!(
        "books balanced for {} keys; total {:.1?}",
        ACCOUNTS.len(),
        load_began.elapsed()
    );
}
