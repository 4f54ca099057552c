//! Replicas on one Redis act as one service: three `MockServer`s share a
//! real `redis-server` (started by the test), and requests are spread
//! across them.

use std::{
    collections::HashSet,
    time::{Duration, Instant},
};

use artificial_studio_mock::{
    AccountConfig, MockServer, MockServerBuilder, PlanLimits, RateLimits, RedisStoreOptions,
};
use artificial_studio_types::Plan;
use serde_json::{Value, json};

use crate::redis_server::RedisServer;
use crate::support::*;

const KEY: &str = "team-key";

fn accounts(credits: u64) -> Vec<AccountConfig> {
    vec![AccountConfig::new(KEY, Plan::Free, credits)]
}

/// Three replicas on `redis`, namespace `ns`, with these schedules and limits.
async fn replicas(
    redis: &RedisServer,
    credits: u64,
    stages_ms: (u64, u64, u64),
    limits: RateLimits,
) -> Vec<(MockServer, Api)> {
    let mut all = Vec::new();
    for _ in 0..3 {
        all.push(replica(redis, credits, stages_ms, limits).await);
    }
    all
}

async fn replica(
    redis: &RedisServer,
    credits: u64,
    (pending, processing, uploading): (u64, u64, u64),
    limits: RateLimits,
) -> (MockServer, Api) {
    redis_replica(
        redis,
        accounts(credits),
        limits,
        MockServer::builder()
            .speed(1.0)
            .stage_ms(pending, processing, uploading),
    )
    .await
}

fn image() -> Value {
    json!({"tool": "create-image", "input": {"prompt": "a fox"}})
}

#[tokio::test]
async fn forty_runs_across_three_replicas_on_credits_for_ten_create_exactly_ten() {
    let redis = RedisServer::start();
    let servers = replicas(&redis, 1_000_000, (0, 0, 0), RateLimits::Off).await;
    // The price of one run, measured, then credits for exactly ten.
    let api = &servers[0].1;
    api.create_image(KEY).await;
    let price = 1_000_000 - api.credits(KEY).await;
    assert!(price > 0);
    servers[1].0.set_credits(KEY, 10 * price).await.unwrap();
    let runs = (0..40).map(|i| {
        let api = servers[i % 3].1.clone();
        async move { api.run(KEY, image()).await.status.as_u16() }
    });
    let statuses = futures::future::join_all(runs).await;
    let created = statuses.iter().filter(|s| **s == 202).count();
    let refused = statuses.iter().filter(|s| **s == 402).count();
    assert_eq!((created, refused), (10, 30), "{statuses:?}");
    for (_, api) in &servers {
        assert_eq!(api.credits(KEY).await, 0);
    }
    let listed = servers[2].1.get("/api/generations?limit=100", KEY).await;
    assert_eq!(listed.body["pagination"]["total"], 11);
}

/// A replica on `redis` that keeps at most `cap` generations.
async fn capped_replica(
    redis: &RedisServer,
    cap: usize,
    builder: MockServerBuilder,
) -> (MockServer, Api) {
    let options = RedisStoreOptions {
        rate_limits: RateLimits::Off,
        max_generations: cap,
    };
    redis_replica_with(redis, accounts(1_000_000), options, builder).await
}

#[tokio::test]
async fn concurrent_runs_in_shared_calls_keep_the_cap_and_never_evict_a_running_one() {
    let redis = RedisServer::start();
    // One run that stays pending for a minute, then 40 that end at once,
    // sent together so that the replicas' calls to Redis carry several.
    let (_slow, slow) =
        capped_replica(&redis, 5, MockServer::builder().stage_ms(60_000, 0, 0)).await;
    let running = slow.create_image(KEY).await;
    let (_a, a) = capped_replica(&redis, 5, MockServer::builder().speed(0.0)).await;
    let (_b, b) = capped_replica(&redis, 5, MockServer::builder().speed(0.0)).await;
    let fast = [a, b];
    let runs = (0..40).map(|i| {
        let api = fast[i % 2].clone();
        async move { api.run(KEY, image()).await.status.as_u16() }
    });
    let statuses = futures::future::join_all(runs).await;
    assert!(statuses.iter().all(|s| *s == 202), "{statuses:?}");
    let listed = fast[0].get("/api/generations?limit=100", KEY).await;
    assert_eq!(listed.body["pagination"]["total"], 5, "{}", listed.body);
    let read = fast[1]
        .get(&format!("/api/generations/{running}"), KEY)
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["status"], "pending");
}

#[tokio::test]
async fn a_limit_of_five_per_minute_admits_exactly_five_across_the_replicas() {
    let redis = RedisServer::start();
    let limits = RateLimits::PerMinute {
        free: PlanLimits { run: 60, get: 5 },
        pro: PlanLimits { run: 60, get: 200 },
    };
    let servers = replicas(&redis, 100, (0, 0, 0), limits).await;
    let reads = (0..12).map(|i| {
        let api = servers[i % 3].1.clone();
        async move { api.get("/api/account", KEY).await }
    });
    let answers = futures::future::join_all(reads).await;
    let admitted = answers.iter().filter(|a| a.status == 200).count();
    assert_eq!(admitted, 5);
    for refused in answers.iter().filter(|a| a.status != 200) {
        refused.assert_error(429, artificial_studio_types::messages::RATE_LIMITED);
        assert_eq!(refused.header("x-ratelimit-limit"), Some("5"));
        assert_eq!(refused.header("x-ratelimit-remaining"), Some("0"));
        assert!(refused.header("retry-after").is_some());
    }
}

#[tokio::test]
async fn a_generation_made_on_one_replica_is_read_listed_and_downloaded_on_the_others() {
    let redis = RedisServer::start();
    let servers = replicas(&redis, 100, (0, 0, 0), RateLimits::Off).await;
    let id = servers[0].1.create_image(KEY).await;
    let read = servers[1]
        .1
        .get(&format!("/api/generations/{id}"), KEY)
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["status"], "success");
    let listed = servers[2].1.get("/api/generations", KEY).await;
    assert_eq!(listed.body["data"][0]["id"], id.as_str());
    let output = read.body["output"].as_str().unwrap();
    let path = &output[output.find("/outputs/").unwrap()..];
    let file = servers[2]
        .1
        .send(servers[2].1.request(reqwest::Method::GET, path, None))
        .await;
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("image/png"));
    // An upload too.
    let uploaded = servers[0]
        .1
        .send(
            servers[0]
                .1
                .request(reqwest::Method::POST, "/api/files", Some(KEY))
                .header("content-type", "text/plain")
                .header("x-filename", "note.txt")
                .body("hello"),
        )
        .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.body);
    let url = uploaded.body["url"].as_str().unwrap();
    let path = &url[url.find("/files/").unwrap()..];
    let bytes = servers[1]
        .1
        .send(servers[1].1.request(reqwest::Method::GET, path, None))
        .await;
    assert_eq!(
        (bytes.status.as_u16(), &bytes.bytes[..]),
        (200, &b"hello"[..])
    );
}

#[tokio::test]
async fn a_replica_shut_down_mid_run_leaves_no_generation_stuck_and_each_webhook_goes_once() {
    let redis = RedisServer::start();
    let hook = Receiver::start(Replies::ok()).await;
    let mut servers = replicas(&redis, 1000, (0, 300, 100), RateLimits::Off).await;
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(
            servers[i % 3]
                .1
                .create_image_with_webhook(KEY, &hook.url)
                .await,
        );
    }
    // The first replica goes away with two generations of its own running.
    let (first, _) = servers.remove(0);
    first.shutdown().await;
    // Nobody polls: the others' sweepers end every generation and send
    // each webhook, once.
    let deadline = Instant::now() + Duration::from_secs(10);
    while hook.count() < ids.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let delivered = hook.ids();
    assert_eq!(delivered.len(), ids.len(), "{delivered:?}");
    let distinct: HashSet<&String> = delivered.iter().collect();
    assert_eq!(distinct, ids.iter().collect::<HashSet<_>>());
    for id in &ids {
        let read = servers[0]
            .1
            .get(&format!("/api/generations/{id}"), KEY)
            .await;
        assert_eq!(read.body["status"], "success");
    }
}

#[tokio::test]
async fn redis_down_is_a_503_contract_answer_and_the_replica_recovers_when_it_returns() {
    let mut redis = RedisServer::start();
    let (_server, api) = replica(&redis, 100, (0, 0, 0), RateLimits::Off).await;
    let id = api.create_image(KEY).await;
    let before = api.credits(KEY).await;
    redis.kill();
    let started = Instant::now();
    api.get("/api/account", KEY)
        .await
        .assert_error(503, "Service temporarily unavailable");
    api.run(KEY, image())
        .await
        .assert_error(503, "Service temporarily unavailable");
    assert!(started.elapsed() < Duration::from_secs(10));
    // With the append-only file, what Redis acknowledged comes back with it.
    redis.restart();
    eventually(10, || async {
        api.get(&format!("/api/generations/{id}"), KEY).await.status == 200
    })
    .await;
    assert_eq!(api.credits(KEY).await, before);
    assert_eq!(api.run(KEY, image()).await.status, 202);
}

/// A session on replicas that share a Redis is one session: what it does
/// through one replica is there through another, and never in another
/// session or in the default one; a reset of one session leaves the rest.
#[tokio::test]
async fn a_session_is_shared_by_the_replicas_and_kept_apart_from_other_sessions() {
    let redis = RedisServer::start();
    let servers = replicas(&redis, 100, (0, 0, 0), RateLimits::Off).await;
    let in_session = |replica: usize, name: &str| Api::new(&servers[replica].0).in_session(name);
    let id = in_session(0, "ci-1").create_image(KEY).await;
    let spent = 100 - in_session(1, "ci-1").credits(KEY).await;
    assert!(
        spent > 0,
        "the session's balance is read on another replica"
    );
    let read = in_session(2, "ci-1")
        .get(&format!("/api/generations/{id}"), KEY)
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["id"], id.as_str());

    // Another session and the default one start full and do not know it.
    assert_eq!(in_session(1, "ci-2").credits(KEY).await, 100);
    assert_eq!(servers[2].1.credits(KEY).await, 100);
    for other in [in_session(2, "ci-2"), Api::new(&servers[0].0)] {
        let missing = other.get(&format!("/api/generations/{id}"), KEY).await;
        assert_eq!(missing.status, 404);
        assert_eq!(missing.body["message"], "Generation not found");
    }

    // A reset of ci-2 through one replica leaves ci-1 as it was.
    in_session(2, "ci-2").create_image(KEY).await;
    let reset = in_session(0, "ci-2")
        .admin(reqwest::Method::POST, "/__mock/reset", None)
        .await;
    assert_eq!(reset.status, 204);
    assert_eq!(in_session(1, "ci-2").credits(KEY).await, 100);
    assert_eq!(in_session(2, "ci-1").credits(KEY).await, 100 - spent);
}

/// On Redis a plain request's fault, key, rate limit and (for `GET
/// /api/generations/{id}`) the generation are read in one script: each
/// step still answers in the pipeline's order, as in memory.
#[tokio::test]
async fn each_step_of_a_request_read_in_one_script_answers_in_order() {
    let redis = RedisServer::start();
    let limits = RateLimits::PerMinute {
        free: PlanLimits { run: 60, get: 4 },
        pro: PlanLimits { run: 60, get: 200 },
    };
    let accounts = vec![
        AccountConfig::new(KEY, Plan::Free, 100),
        AccountConfig::new("other-key", Plan::Pro, 100),
    ];
    let builder = || MockServer::builder().speed(0.0);
    let (_a, a) = redis_replica(&redis, accounts.clone(), limits, builder()).await;
    let (_b, b) = redis_replica(&redis, accounts, limits, builder()).await;
    let mine = a.create_image(KEY).await;
    let theirs = a.create_image("other-key").await;
    let path = |id: &str| format!("/api/generations/{id}");
    // A scripted fault comes before the key: even a request without one
    // gets it, and it is used up once.
    let rule = json!({"fault": "503", "route": "GET /api/generations/{id}", "count": 1});
    assert_eq!(
        a.admin(reqwest::Method::POST, "/__mock/faults", Some(rule))
            .await
            .status,
        201
    );
    let faulted = b
        .send(b.request(reqwest::Method::GET, &path(&mine), None))
        .await;
    assert_eq!(faulted.status, 503);
    // Then the key: none, then one no account has.
    b.send(b.request(reqwest::Method::GET, &path(&mine), None))
        .await
        .assert_error(
            401,
            artificial_studio_types::messages::AUTHORIZATION_REQUIRED,
        );
    b.get(&path(&mine), "nobody")
        .await
        .assert_error(401, artificial_studio_types::messages::INVALID_API_KEY);
    // Then the generation: another account's, none, the caller's (each a
    // read counted against the free plan's 4 a minute).
    b.get(&path(&theirs), KEY)
        .await
        .assert_error(403, artificial_studio_types::messages::NO_ACCESS);
    b.get(&path("6b11cf3b66f0251873601d10"), KEY)
        .await
        .assert_error(404, artificial_studio_types::messages::GENERATION_NOT_FOUND);
    let found = b.get(&path(&mine), KEY).await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.body["id"], mine.as_str());
    assert_eq!(found.body["status"], "success");
    assert_eq!(found.header("x-ratelimit-remaining"), Some("1"));
    assert!(found.header("x-poll-after-ms").is_some());
    a.get(&path(&mine), KEY).await;
    // The fifth read is refused before the generation is read.
    let refused = b.get(&path(&mine), KEY).await;
    refused.assert_error(429, artificial_studio_types::messages::RATE_LIMITED);
    assert_eq!(refused.header("x-ratelimit-remaining"), Some("0"));
    // The pro account's own generation, on its own limit.
    let own = a.get(&path(&theirs), "other-key").await;
    assert_eq!(own.status, 200);
    assert_eq!(own.header("x-ratelimit-limit"), Some("200"));
}

/// On Redis a run with a key is read and checked first, then its fault,
/// key, rate limit, credits and creation take one script: each step still
/// answers in the pipeline's order, as in memory, and the generation is
/// the caller's.
#[tokio::test]
async fn each_step_of_a_run_made_in_one_script_answers_in_order() {
    use artificial_studio_types::messages;
    let redis = RedisServer::start();
    let limits = RateLimits::PerMinute {
        free: PlanLimits { run: 5, get: 60 },
        pro: PlanLimits { run: 60, get: 200 },
    };
    let accounts = vec![
        AccountConfig::new(KEY, Plan::Free, 1_000_000),
        AccountConfig::new("poor-key", Plan::Pro, 0),
    ];
    let builder = || MockServer::builder().speed(0.0);
    let (_a, a) = redis_replica(&redis, accounts.clone(), limits, builder()).await;
    let (_b, b) = redis_replica(&redis, accounts, limits, builder()).await;
    let bad_json = || b.run_raw(KEY, "application/json", "{not json");
    // A scripted fault comes first, even before a body that is not JSON.
    let rule = json!({"fault": "500", "route": "POST /api/run", "count": 1});
    let added = a
        .admin(reqwest::Method::POST, "/__mock/faults", Some(rule))
        .await;
    assert_eq!(added.status, 201);
    assert_eq!(bad_json().await.status, 500);
    // A key no account has comes before the body's 400.
    b.run_raw("nobody", "application/json", "{not json")
        .await
        .assert_error(401, messages::INVALID_API_KEY);
    // With the key, the body's 400 (counted against the run limit of 5).
    bad_json().await.assert_error(400, messages::INVALID_JSON);
    b.run(KEY, json!({"tool": "no-such-tool", "input": {}}))
        .await
        .assert_error(404, messages::TOOL_NOT_FOUND);
    // A valid run: 202, paid, and the caller's.
    let before = a.credits(KEY).await;
    let made = b.run(KEY, image()).await;
    assert_eq!(made.status, 202, "{}", made.body);
    assert_eq!(made.header("x-ratelimit-remaining"), Some("2"));
    assert!(made.header("x-poll-after-ms").is_some());
    let id = made.body["id"].as_str().unwrap().to_string();
    assert!(a.credits(KEY).await < before);
    let read = a.get(&format!("/api/generations/{id}"), KEY).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["status"], "success");
    // A scripted delay lets the run through, its body read again.
    let rule = json!({"fault": "delay=10", "route": "POST /api/run", "count": 1});
    a.admin(reqwest::Method::POST, "/__mock/faults", Some(rule))
        .await;
    let delayed = b.run(KEY, image()).await;
    assert_eq!(delayed.status, 202, "{}", delayed.body);
    // The fifth run of the minute is the last admitted; the sixth is a 429
    // before its body is looked at.
    let last = bad_json().await;
    last.assert_error(400, messages::INVALID_JSON);
    assert_eq!(last.header("x-ratelimit-remaining"), Some("0"));
    bad_json().await.assert_error(429, messages::RATE_LIMITED);
    // No credits: 402, and nothing made.
    let poor = b.run("poor-key", image()).await;
    poor.assert_error(402, messages::NOT_ENOUGH_CREDITS);
    let listed = a.get("/api/generations", "poor-key").await;
    assert_eq!(listed.body["pagination"]["total"], 0);
}

/// A replica keeps the answer of a generation that ended (it never changes
/// again), yet still asks Redis whether it is kept: after a reset through
/// another replica the read is `404`, not the old answer.
#[tokio::test]
async fn an_ended_generation_read_again_is_404_once_another_replica_resets() {
    let redis = RedisServer::start();
    let servers = replicas(&redis, 100, (0, 0, 0), RateLimits::Off).await;
    let id = servers[0].1.create_image(KEY).await;
    let path = format!("/api/generations/{id}");
    let first = servers[1].1.get(&path, KEY).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["status"], "success");
    let again = servers[1].1.get(&path, KEY).await;
    assert_eq!((again.status, &again.bytes), (first.status, &first.bytes));
    let reset = servers[2]
        .1
        .admin(reqwest::Method::POST, "/__mock/reset", None)
        .await;
    assert_eq!(reset.status, 204);
    servers[1]
        .1
        .get(&path, KEY)
        .await
        .assert_error(404, "Generation not found");
}

/// The gates' answers come back from Redis as JSON: a value the script
/// reads as `false` (here an account hash without its plan, which the
/// gate takes as free, as in memory) reads as Redis' nil, not as a
/// malformed answer.
#[tokio::test]
async fn an_account_without_its_plan_is_gated_as_free_not_answered_503() {
    let redis = RedisServer::start();
    let (_server, api) = replica(&redis, 100, (0, 0, 0), RateLimits::Off).await;
    let account = api.get("/api/account", KEY).await;
    assert_eq!(account.status, 200);
    let id = account.body["id"].as_str().unwrap_or_default().to_string();
    let client = redis::Client::open(redis.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let removed: u32 = redis::cmd("HDEL")
        .arg(format!("ns:acct:{id}"))
        .arg("plan")
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(removed, 1, "the account's plan was stored");
    let tool = api.get("/api/tools/create-image", KEY).await;
    assert_eq!(tool.status, 200, "{}", tool.body);
}
