//! Faults of a Redis-backed sandbox, with real processes: `astudio-mock`
//! replicas (the binary) on a real `redis-server`, one of them `kill -9`ed in
//! the middle of a load of runs, one restarted on its port, and Redis itself
//! killed and restarted from its append-only file. After each, the books are
//! read back through the API: credits taken = costs of the generations that
//! exist and succeeded (every `error` refunded), every acknowledged
//! generation is there, and none stays running.

use std::{
    collections::{HashMap, HashSet},
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use parking_lot::Mutex;
use reqwest::Method;
use serde_json::{Value, json};

use crate::redis_server::RedisServer;
use crate::support::{Api, MockProcess, eventually};

const KEY: &str = "load-key";
/// The models the load alternates between (their prices differ, so the
/// books check the cost of each generation, not a count).
const MODELS: [&str; 2] = ["seedream-4", "flux-schnell"];
const SCRIPTED_ERROR: &str = "scripted failure under load";

/// Starts the binary on `port` (`0`: a free one) on `redis`'s store with
/// the accounts file, generations that take 400 ms (300 processing, 100
/// uploading).
fn spawn_replica(redis: &RedisServer, accounts: &Path, port: u16) -> MockProcess {
    MockProcess::spawn(&[
        "--port",
        &port.to_string(),
        "--store",
        &redis.url(),
        "--config",
        accounts.to_str().unwrap(),
        "--rate-limit",
        "off",
        "--speed",
        "1",
        "--processing-ms",
        "300",
        "--uploading-ms",
        "100",
    ])
}

/// The next `count` create-image runs on `api`'s replica end in `error`.
async fn script_errors(api: &Api, count: u32) {
    let outcome = json!({"tool": "create-image", "error": SCRIPTED_ERROR, "count": count});
    let answer = api
        .admin(Method::POST, "/__mock/outcomes", Some(outcome))
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
}

/// An accounts file with one account of `credits`.
fn accounts_file(dir: &Path, credits: u64) -> std::path::PathBuf {
    let path = dir.join("accounts.toml");
    std::fs::write(
        &path,
        format!("[[accounts]]\nkey = \"{KEY}\"\nplan = \"pro\"\ncredits = {credits}\n"),
    )
    .unwrap();
    path
}

/// The run body of the `i`-th request of a load.
fn run_body(i: usize) -> Value {
    json!({"tool": "create-image", "input": {"prompt": format!("fox {i}"), "model": MODELS[i % 2]}})
}

/// What one request of a load got: an answer (status, generation id of a
/// `202`, message) or a transport error.
#[derive(Debug, Clone)]
enum Outcome {
    Answered {
        status: u16,
        id: Option<String>,
        message: Option<String>,
    },
    Failed(#[expect(dead_code, reason = "read through Debug, in assertion messages")] String),
}

/// Sends one run, never panicking: a refused connection or a cut answer is
/// an `Outcome::Failed`, a request that takes over 10 s too (a hang).
async fn send_run(http: &reqwest::Client, base: &str, i: usize) -> Outcome {
    let sent = http
        .post(format!("{base}/api/run"))
        .header("Authorization", KEY)
        .json(&run_body(i))
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let status = response.status().as_u16();
    match response.json::<Value>().await {
        Ok(body) => Outcome::Answered {
            status,
            id: body["id"].as_str().map(str::to_string),
            message: body["message"].as_str().map(str::to_string),
        },
        Err(e) => Outcome::Failed(format!("{status}: {e}")),
    }
}

/// Runs `total` runs from `workers` concurrent tasks, request `i` to
/// `bases[i % bases.len()]`; once `fault_after` have been answered, the
/// worker that answered the last of them calls `fault` (before sending
/// anything else), so every request sent after it meets the fault.
/// Returns each request's target and outcome, in request order.
async fn load(
    bases: &[String],
    total: usize,
    workers: usize,
    fault_after: usize,
    fault: impl FnOnce() + Send + 'static,
) -> Vec<(usize, Outcome)> {
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let fault = Arc::new(Mutex::new(Some(fault)));
    let results = Arc::new(Mutex::new(vec![None; total]));
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (next, done, fault, results, http) = (
            next.clone(),
            done.clone(),
            fault.clone(),
            results.clone(),
            http.clone(),
        );
        let bases = bases.to_vec();
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= total {
                    return;
                }
                let target = i % bases.len();
                let outcome = send_run(&http, &bases[target], i).await;
                results.lock()[i] = Some((target, outcome));
                if done.fetch_add(1, Ordering::SeqCst) + 1 == fault_after
                    && let Some(fault) = fault.lock().take()
                {
                    fault();
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let results = results.lock().clone();
    results.into_iter().map(Option::unwrap).collect()
}

/// The price of each create-image model, read from the catalog the server serves.
async fn prices(api: &Api) -> HashMap<String, u64> {
    let tool = api.get("/api/tools/create-image", KEY).await;
    assert_eq!(tool.status, 200, "{}", tool.body);
    let prices: HashMap<String, u64> = tool.body["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["slug"].as_str().unwrap().to_string(),
                // A whole number of credits, written as a number (`6.0`).
                m["cost"].as_f64().unwrap() as u64,
            )
        })
        .collect();
    for model in MODELS {
        assert!(prices[model] > 0, "{model} costs something: {prices:?}");
    }
    prices
}

/// Every generation of the account, listed through `api` (all pages): id → status.
async fn listed(api: &Api) -> HashMap<String, String> {
    let mut all = HashMap::new();
    let mut offset = 0;
    loop {
        let page = api
            .get(&format!("/api/generations?limit=100&offset={offset}"), KEY)
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        let data = page.body["data"].as_array().unwrap();
        for generation in data {
            all.insert(
                generation["id"].as_str().unwrap().to_string(),
                generation["status"].as_str().unwrap().to_string(),
            );
        }
        if data.len() < 100 {
            assert_eq!(page.body["pagination"]["total"], all.len());
            return all;
        }
        offset += 100;
    }
}

/// The books as a surviving replica shows them, once every generation has
/// ended: the balance, and each generation's status and cost.
struct Books {
    balance: u64,
    generations: HashMap<String, (String, u64)>,
}

impl Books {
    /// Waits (up to 20 s) until no generation of the account is running,
    /// then reads each one's model (hence cost) and the balance.
    async fn read(api: &Api) -> Books {
        eventually(20, || async {
            listed(api)
                .await
                .values()
                .all(|s| s == "success" || s == "error")
        })
        .await;
        let prices = prices(api).await;
        let mut generations = HashMap::new();
        for (id, status) in listed(api).await {
            let read = api.get(&format!("/api/generations/{id}"), KEY).await;
            assert_eq!(read.status, 200, "{}", read.body);
            assert_eq!(read.body["status"], status.as_str(), "{}", read.body);
            if status == "error" {
                assert_eq!(read.body["error"], SCRIPTED_ERROR, "{}", read.body);
            }
            let model = read.body["payload"]["model"].as_str().unwrap();
            generations.insert(id, (status, prices[model]));
        }
        let balance = api.credits(KEY).await;
        Books {
            balance,
            generations,
        }
    }

    fn cost_of(&self, status: &str) -> u64 {
        self.generations
            .values()
            .filter(|(s, _)| s == status)
            .map(|(_, cost)| cost)
            .sum()
    }

    /// Credits taken = costs of the generations that succeeded; those that
    /// ended in `error` (at least one) cost nothing, so each was refunded.
    #[track_caller]
    fn assert_balanced(&self, start: u64) {
        let errors = self.cost_of("error");
        assert!(errors > 0, "the load had scripted errors to refund");
        assert_eq!(
            start - self.balance,
            self.cost_of("success"),
            "credits taken = costs of the successful generations ({} in error, {errors} credits, refunded)",
            self.generations
                .values()
                .filter(|(s, _)| s == "error")
                .count()
        );
    }

    #[track_caller]
    fn assert_holds(&self, acknowledged: &HashSet<String>) {
        let missing: Vec<_> = acknowledged
            .iter()
            .filter(|id| !self.generations.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "acknowledged but gone: {missing:?}");
    }
}

/// The ids of the `202`s of a load.
fn acknowledged(results: &[(usize, Outcome)]) -> HashSet<String> {
    results
        .iter()
        .filter_map(|(_, outcome)| match outcome {
            Outcome::Answered {
                status: 202,
                id: Some(id),
                ..
            } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

const START: u64 = 1_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_mid_load_leaves_the_others_answering_and_the_books_balanced() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let accounts = accounts_file(dir.path(), START);
    let mut replicas: Vec<MockProcess> = (0..3)
        .map(|_| spawn_replica(&redis, &accounts, 0))
        .collect();
    for replica in &replicas {
        script_errors(&replica.api, 10).await;
    }
    let bases: Vec<String> = replicas.iter().map(|r| r.api.base.clone()).collect();
    let mut victim = replicas.remove(0);
    let victim_pid = victim.id();
    let (total, after) = (300, 100);
    let results = load(&bases, total, 12, after, move || victim.kill()).await;

    // The survivors answered every request they were sent, with a 202.
    for (i, (target, outcome)) in results.iter().enumerate() {
        if *target != 0 {
            assert!(
                matches!(outcome, Outcome::Answered { status: 202, .. }),
                "request {i} to surviving replica {target}: {outcome:?}"
            );
        }
    }
    // The victim (pid {victim_pid}) did die mid-load: what was sent to it
    // after the kill failed, and it answered 202 before.
    let to_victim: Vec<&Outcome> = results
        .iter()
        .filter(|(t, _)| *t == 0)
        .map(|(_, o)| o)
        .collect();
    let failed = to_victim
        .iter()
        .filter(|o| matches!(o, Outcome::Failed(_)))
        .count();
    assert!(
        failed >= (total - after - 12) / 3 - 1,
        "replica {victim_pid} killed after {after} answers: {failed} of {} failed",
        to_victim.len()
    );
    assert!(
        to_victim.iter().all(|o| matches!(
            o,
            Outcome::Failed(_) | Outcome::Answered { status: 202, .. }
        )),
        "{to_victim:?}"
    );

    // The books, from a survivor, once everything has ended (the victim's
    // running generations too: the survivors' sweepers end them).
    let books = Books::read(&replicas[1].api).await;
    books.assert_holds(&acknowledged(&results));
    books.assert_balanced(START);
    // Both survivors tell the same story.
    assert_eq!(replicas[0].api.credits(KEY).await, books.balance);
    assert_eq!(
        listed(&replicas[0].api).await.len(),
        books.generations.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_restarted_on_its_port_picks_up_its_generations_and_credits() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let accounts = accounts_file(dir.path(), START);
    let mut replica = spawn_replica(&redis, &accounts, 0);
    script_errors(&replica.api, 2).await;
    let mut ids = HashSet::new();
    for i in 0..8 {
        let answer = replica.api.run(KEY, run_body(i)).await;
        assert_eq!(answer.status, 202, "{}", answer.body);
        ids.insert(answer.body["id"].as_str().unwrap().to_string());
    }
    let running = listed(&replica.api)
        .await
        .values()
        .filter(|s| *s != "success" && *s != "error")
        .count();
    assert!(running > 0, "some generations were running at the kill");

    // kill -9 with generations running and an error not yet refunded; no
    // other replica is there to sweep them.
    let port = replica.port();
    replica.kill();
    let replica = spawn_replica(&redis, &accounts, port);
    assert_eq!(replica.port(), port);

    // Through the same base URL: every generation, each ending as decided
    // before the kill (the two scripted errors refunded once), no credit
    // taken or given twice.
    let seen = listed(&replica.api).await;
    assert_eq!(seen.keys().cloned().collect::<HashSet<_>>(), ids);
    let books = Books::read(&replica.api).await;
    assert_eq!(
        books
            .generations
            .values()
            .filter(|(s, _)| s == "error")
            .count(),
        2
    );
    books.assert_balanced(START);
    // And it goes on: a new run is charged and listed beside the old ones.
    let answer = replica.api.run(KEY, run_body(0)).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(listed(&replica.api).await.len(), ids.len() + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_load_and_restarted_from_its_aof_loses_nothing_acknowledged() {
    // The helper runs Redis with `appendonly yes`, `appendfsync always`.
    let redis = Arc::new(Mutex::new(RedisServer::start()));
    let dir = tempfile::tempdir().unwrap();
    let accounts = accounts_file(dir.path(), START);
    let replicas: Vec<MockProcess> = (0..2)
        .map(|_| spawn_replica(&redis.lock(), &accounts, 0))
        .collect();
    for replica in &replicas {
        script_errors(&replica.api, 10).await;
    }
    let bases: Vec<String> = replicas.iter().map(|r| r.api.base.clone()).collect();
    let killed = redis.clone();
    let results = load(&bases, 200, 8, 120, move || killed.lock().kill()).await;

    // Before the kill, 202s; after it, the contract's 503 (never a hang, a
    // cut connection or another answer).
    for (i, (_, outcome)) in results.iter().enumerate() {
        match outcome {
            Outcome::Answered { status: 202, .. } => {}
            Outcome::Answered {
                status: 503,
                message,
                ..
            } => assert_eq!(
                message.as_deref(),
                Some("Service temporarily unavailable"),
                "request {i}"
            ),
            other => panic!("request {i}: {other:?}"),
        }
    }
    let acked = acknowledged(&results);
    assert!(acked.len() >= 120, "{} acknowledged", acked.len());
    assert!(
        results
            .iter()
            .any(|(_, o)| matches!(o, Outcome::Answered { status: 503, .. })),
        "Redis was down for the end of the load"
    );

    // Redis back on the same port and directory, from its append-only file.
    redis.lock().restart();
    let api = &replicas[1].api;
    eventually(10, || async {
        api.get("/api/account", KEY).await.status == 200
    })
    .await;
    let books = Books::read(api).await;
    books.assert_holds(&acked);
    books.assert_balanced(START);
    assert_eq!(replicas[0].api.credits(KEY).await, books.balance);
}
