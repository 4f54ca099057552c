//! The sandbox's instruments on Redis: three replicas on one real
//! `redis-server` share the journal, fault rules (with their counts),
//! scripted outcomes, webhook deliveries and the list of sessions, each
//! session's apart; an idle session's keys go after its TTL.

use std::time::Duration;

use artificial_studio_mock::{
    AccountConfig, MockServer, MockServerBuilder, PlanLimits, RateLimits,
};
use artificial_studio_types::Plan;
use reqwest::Method;
use serde_json::{Value, json};

use crate::redis_server::RedisServer;
use crate::support::*;

const KEY: &str = "team-key";

/// A replica on `redis` (namespace `ns`), at speed 0 unless `builder` says otherwise.
async fn replica(redis: &RedisServer, builder: MockServerBuilder) -> (MockServer, Api) {
    limited_replica(redis, builder, RateLimits::Off).await
}

async fn limited_replica(
    redis: &RedisServer,
    builder: MockServerBuilder,
    rate_limits: RateLimits,
) -> (MockServer, Api) {
    redis_replica(
        redis,
        vec![AccountConfig::new(KEY, Plan::Free, 100)],
        rate_limits,
        builder,
    )
    .await
}

async fn three(redis: &RedisServer) -> Vec<(MockServer, Api)> {
    let mut all = Vec::new();
    for _ in 0..3 {
        all.push(replica(redis, MockServer::builder().speed(0.0)).await);
    }
    all
}

/// `data` of an admin list.
async fn listed(api: &Api, path: &str) -> Vec<Value> {
    let answer = api.admin(Method::GET, path, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["data"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_fault_with_count_two_added_on_one_replica_fires_twice_across_the_others() {
    let redis = RedisServer::start();
    let servers = three(&redis).await;
    let (a, b, c) = (&servers[0].1, &servers[1].1, &servers[2].1);
    let added = a
        .admin(
            Method::POST,
            "/__mock/faults",
            Some(json!({"fault": "503", "route": "GET /api/tools", "count": 2})),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.body["count"], 2);
    // Listed, with its count, from another replica.
    let rules = listed(c, "/__mock/faults").await;
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["route"], "GET /api/tools");
    // Another route is not hit.
    assert_eq!(b.get("/api/account", KEY).await.status, 200);
    assert_eq!(b.get("/api/tools", KEY).await.status, 503);
    let second = c.get("/api/tools", KEY).await;
    assert_eq!(second.status, 503);
    assert_eq!(second.body["message"], "Service temporarily unavailable");
    assert_eq!(b.get("/api/tools", KEY).await.status, 200, "used up");
    assert!(listed(a, "/__mock/faults").await.is_empty());
    // The journal of any replica notes the faults.
    let faulted: Vec<Value> = listed(a, "/__mock/journal")
        .await
        .into_iter()
        .filter(|e| e["fault"] == "503")
        .collect();
    assert_eq!(faulted.len(), 2);
}

#[tokio::test]
async fn the_journal_read_from_one_replica_shows_the_requests_of_the_others_in_order() {
    let redis = RedisServer::start();
    let servers = three(&redis).await;
    let (a, b, c) = (&servers[0].1, &servers[1].1, &servers[2].1);
    assert_eq!(a.get("/api/account", KEY).await.status, 200);
    assert_eq!(b.get("/api/tools?limit=2", KEY).await.status, 200);
    assert_eq!(a.get("/api/account", "wrong-key").await.status, 401);
    let journal = listed(c, "/__mock/journal").await;
    let seen: Vec<(u64, &str, Option<&str>, u64)> = journal
        .iter()
        .map(|e| {
            (
                e["seq"].as_u64().unwrap(),
                e["path"].as_str().unwrap(),
                e["query"].as_str(),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1, "/api/account", None, 200),
            (2, "/api/tools", Some("limit=2"), 200),
            (3, "/api/account", None, 401),
        ]
    );
    assert!(journal[0]["accountId"].is_string());
    assert!(journal[2]["accountId"].is_null());
    // Cleared through one replica, empty on every one, numbering from 1.
    assert_eq!(
        b.admin(Method::DELETE, "/__mock/journal", None)
            .await
            .status,
        204
    );
    assert!(listed(a, "/__mock/journal").await.is_empty());
    assert_eq!(c.get("/api/account", KEY).await.status, 200);
    assert_eq!(listed(b, "/__mock/journal").await[0]["seq"], 1);
}

#[tokio::test]
async fn the_journal_on_redis_keeps_only_its_capacity() {
    let redis = RedisServer::start();
    let (_a, a) = replica(&redis, MockServer::builder().journal_capacity(2)).await;
    for path in ["/api/account", "/api/tools", "/api/account"] {
        a.get(path, KEY).await;
    }
    let journal = listed(&a, "/__mock/journal").await;
    let seqs: Vec<u64> = journal.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [2, 3]);
}

#[tokio::test]
async fn a_scripted_outcome_set_on_one_replica_ends_a_run_on_another() {
    let redis = RedisServer::start();
    let servers = three(&redis).await;
    let (a, b) = (&servers[0].1, &servers[1].1);
    let scripted = b
        .admin(
            Method::POST,
            "/__mock/outcomes",
            Some(json!({"tool": "create-image", "error": "scripted boom", "count": 1})),
        )
        .await;
    assert_eq!(scripted.status, 201, "{}", scripted.body);
    let before = a.credits(KEY).await;
    let failed = a.create_image(KEY).await;
    let read = servers[2]
        .1
        .get(&format!("/api/generations/{failed}"), KEY)
        .await;
    assert_eq!(read.body["status"], "error");
    assert_eq!(read.body["error"], "scripted boom");
    assert_eq!(a.credits(KEY).await, before, "refunded");
    // Used up: the next run, on any replica, succeeds.
    let next = b.create_image(KEY).await;
    let read = a.get(&format!("/api/generations/{next}"), KEY).await;
    assert_eq!(read.body["status"], "success");
}

#[tokio::test]
async fn webhook_deliveries_are_visible_from_every_replica() {
    let redis = RedisServer::start();
    let servers = three(&redis).await;
    let hook = "http://127.0.0.1:9/nobody-listens";
    let answer = servers[0]
        .1
        .run(
            KEY,
            json!({"tool": "create-image", "input": {"prompt": "a fox"}, "webhook": hook}),
        )
        .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let id = answer.body["id"].as_str().unwrap().to_string();
    for (_, api) in &servers {
        eventually(10, || async {
            listed(api, "/__mock/webhooks")
                .await
                .iter()
                .any(|d| d["generationId"] == id.as_str() && d["url"] == hook)
        })
        .await;
    }
}

#[tokio::test]
async fn sessions_are_listed_from_every_replica_and_a_reset_of_one_leaves_the_other() {
    let redis = RedisServer::start();
    let servers = three(&redis).await;
    let (a, b, c) = (&servers[0].1, &servers[1].1, &servers[2].1);
    let (one, two) = (a.in_session("ci-1"), b.in_session("ci-2"));
    assert_eq!(one.get("/api/account", KEY).await.status, 200);
    assert_eq!(two.get("/api/account", KEY).await.status, 200);
    for session in [&one, &two] {
        let added = session
            .admin(
                Method::POST,
                "/__mock/faults",
                Some(json!({"fault": "500", "route": "/api/tools/create-image"})),
            )
            .await;
        assert_eq!(added.status, 201);
    }
    // Listed from the replica that served neither.
    eventually(10, || async {
        let names: Vec<String> = listed(c, "/__mock/sessions")
            .await
            .iter()
            .filter_map(|s| s["name"].as_str().map(str::to_string))
            .collect();
        names == ["ci-1", "ci-2"]
    })
    .await;
    let sessions = listed(c, "/__mock/sessions").await;
    assert_eq!(sessions[0]["journalEntries"], 1);
    // The default session has none of their faults or journal.
    assert!(listed(c, "/__mock/faults").await.is_empty());
    assert!(listed(c, "/__mock/journal").await.is_empty());
    // A reset of ci-1 (through another replica) leaves ci-2's instruments.
    let reset = c
        .in_session("ci-1")
        .admin(Method::POST, "/__mock/reset", None)
        .await;
    assert_eq!(reset.status, 204);
    assert!(
        listed(&b.in_session("ci-1"), "/__mock/faults")
            .await
            .is_empty()
    );
    assert!(
        listed(&b.in_session("ci-1"), "/__mock/journal")
            .await
            .is_empty()
    );
    assert_eq!(
        listed(&a.in_session("ci-2"), "/__mock/faults").await.len(),
        1
    );
    assert_eq!(
        listed(&a.in_session("ci-2"), "/__mock/journal").await.len(),
        1
    );
    assert_eq!(
        c.in_session("ci-2")
            .get("/api/tools/create-image", KEY)
            .await
            .status,
        500
    );
    assert_eq!(
        c.in_session("ci-1")
            .get("/api/tools/create-image", KEY)
            .await
            .status,
        200
    );
    // Dropped through one replica, a session another replica served starts
    // afresh there (its namespace seeded again), not without accounts.
    let spent = a.in_session("ci-2");
    spent.create_image(KEY).await;
    assert!(spent.credits(KEY).await < 100);
    let dropped = c.admin(Method::DELETE, "/__mock/sessions/ci-2", None).await;
    assert_eq!(dropped.status, 204);
    assert_eq!(a.in_session("ci-2").credits(KEY).await, 100);
    assert!(
        listed(&a.in_session("ci-2"), "/__mock/faults")
            .await
            .is_empty()
    );
}

/// The keys of `redis` under `pattern`.
fn keys(redis: &RedisServer, pattern: &str) -> Vec<String> {
    let client = redis::Client::open(redis.url()).unwrap();
    let mut connection = client.get_connection().unwrap();
    redis::cmd("KEYS")
        .arg(pattern)
        .query(&mut connection)
        .unwrap()
}

#[tokio::test]
async fn a_session_idle_past_its_ttl_loses_its_keys_on_redis() {
    let redis = RedisServer::start();
    let builder = || {
        MockServer::builder()
            .speed(0.0)
            .session_ttl(Duration::from_secs(1))
    };
    let (_a, a) = replica(&redis, builder()).await;
    let (_b, b) = replica(&redis, builder()).await;
    let idle = a.in_session("idle-1");
    idle.create_image(KEY).await;
    idle.admin(
        Method::POST,
        "/__mock/faults",
        Some(json!({"fault": "500", "route": "/api/tools/create-image"})),
    )
    .await;
    assert!(!keys(&redis, "ns-session:idle-1:*").is_empty());
    eventually(10, || async {
        listed(&b, "/__mock/sessions")
            .await
            .iter()
            .any(|s| s["name"] == "idle-1")
    })
    .await;
    // Nobody uses it: the sweepers drop its keys and its registry entry.
    eventually(10, || async {
        keys(&redis, "ns-session:idle-1:*").is_empty()
    })
    .await;
    assert!(listed(&b, "/__mock/sessions").await.is_empty());
    // The default session's keys stay.
    assert!(!keys(&redis, "ns:*").is_empty());
    // Used again, it starts afresh: full balance, no faults.
    assert_eq!(b.in_session("idle-1").credits(KEY).await, 100);
    assert_eq!(
        b.in_session("idle-1")
            .get("/api/tools/create-image", KEY)
            .await
            .status,
        200
    );
}

/// Scripts run by `redis` so far for requests (`EVALSHA` and `EVAL` calls,
/// from `INFO commandstats`, less the generation sweeps every replica runs
/// every few milliseconds, each one `ZRANGEBYSCORE`, the only one on the
/// routes measured here): the store's round trips on those routes, which
/// use no plain command.
fn scripts_run(redis: &RedisServer) -> i64 {
    let client = redis::Client::open(redis.url()).unwrap();
    let mut connection = client.get_connection().unwrap();
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(&mut connection)
        .unwrap();
    let calls = |name: &str| -> i64 {
        info.lines()
            .find(|l| l.starts_with(&format!("cmdstat_{name}:")))
            .and_then(|l| l.split("calls=").nth(1)?.split(',').next()?.parse().ok())
            .unwrap_or(0)
    };
    calls("evalsha") + calls("eval") - calls("zrangebyscore")
}

/// A request costs a small fixed number of round trips on Redis, whatever
/// the number of fault rules: one script for the scripted faults, auth and
/// the rate limit together (with the read of `GET /api/generations/{id}`,
/// or the credits and creation of a run), and the journal entry (written
/// alone when no other request waits).
#[tokio::test]
async fn a_request_costs_a_fixed_number_of_redis_round_trips_whatever_the_rules() {
    let redis = RedisServer::start();
    let limits = RateLimits::PerMinute {
        free: PlanLimits {
            run: 1000,
            get: 1000,
        },
        pro: PlanLimits {
            run: 1000,
            get: 1000,
        },
    };
    let (_server, api) = limited_replica(&redis, MockServer::builder().speed(0.0), limits).await;
    let id = api.create_image(KEY).await;
    // Each request alone, the fewest of five: the replica's sweepers run
    // scripts of their own now and then, never fewer.
    let cost = |path: &'static str, run: bool| {
        let api = api.clone();
        let redis = &redis;
        async move {
            let mut fewest = i64::MAX;
            for _ in 0..5 {
                let before = scripts_run(redis);
                let answer = if run {
                    api.run(
                        KEY,
                        json!({"tool": "create-image", "input": {"prompt": "a fox"}}),
                    )
                    .await
                } else {
                    api.get(path, KEY).await
                };
                assert!(answer.status.is_success(), "{}", answer.body);
                fewest = fewest.min(scripts_run(redis) - before);
            }
            fewest
        }
    };
    let generation = Box::leak(format!("/api/generations/{id}").into_boxed_str());
    let measured = || async {
        [
            cost("/api/tools", false).await,
            cost(generation, false).await,
            cost("/api/run", true).await,
        ]
    };
    let without_rules = measured().await;
    eprintln!("round trips per request (GET tools, GET generation, POST run): {without_rules:?}");
    assert_eq!(without_rules, [2, 2, 2]);
    // Ten rules that miss: still one script for the faults.
    for _ in 0..10 {
        api.admin(
            Method::POST,
            "/__mock/faults",
            Some(json!({"fault": "500", "route": "/api/tools/create-image"})),
        )
        .await;
    }
    assert_eq!(measured().await, without_rules);
}
