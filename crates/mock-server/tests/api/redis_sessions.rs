//! Sessions of replicas on one Redis, beyond their state: a session's
//! generations end and its webhooks go out whether or not any replica has
//! the session open, and `--max-sessions` is counted across the replicas,
//! at once. A real `redis-server` and a real receiver.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use artificial_studio_mock::{AccountConfig, Error, MockServer, MockServerBuilder, RateLimits};
use artificial_studio_types::Plan;
use futures::future::join_all;
use reqwest::Method;
use serde_json::Value;

use crate::redis_server::RedisServer;
use crate::support::*;

const KEY: &str = "team-key";

async fn replica(redis: &RedisServer, builder: MockServerBuilder) -> (MockServer, Api) {
    redis_replica(
        redis,
        vec![AccountConfig::new(KEY, Plan::Free, 1000)],
        RateLimits::Off,
        builder,
    )
    .await
}

/// Replica A starts three timed runs with webhooks in a session and goes
/// away; replica B has never seen the session, yet its sweeper of the
/// sessions ends the runs and delivers each webhook once (the first
/// attempt answered 500, so a retry too), and each attempt is recorded
/// before its delivery is settled.
#[tokio::test]
async fn a_session_no_replica_has_open_ends_its_runs_and_sends_each_webhook_once() {
    let redis = RedisServer::start();
    let hook = Receiver::start(Replies::first([Reply::Status(500)]).per_generation()).await;
    let timed = || MockServer::builder().speed(0.1).stage_ms(0, 300, 100);
    let (first, api) = replica(&redis, timed()).await;
    let (_second, other) = replica(&redis, timed()).await;
    let session = api.in_session("ci-9");
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(session.create_image_with_webhook(KEY, &hook.url).await);
    }
    first.shutdown().await;

    // Nobody asks the other replica about the session: its sweeper finds
    // the session's due work in the registry.
    eventually(20, || async {
        hook.delivered().len() >= ids.len()
            && redis.query::<u64>("ZCARD", "ns-session:ci-9:hooks").await == 0
    })
    .await;
    let mut counts = BTreeMap::new();
    for id in hook.ids() {
        *counts.entry(id).or_insert(0) += 1;
    }
    let twice: BTreeMap<String, usize> = ids.iter().map(|id| (id.clone(), 2)).collect();
    assert_eq!(counts, twice, "a 500, then the retry, and no more");
    assert_eq!(hook.delivered().len(), ids.len());
    // Settled, so recorded: the records are there at once, on any replica.
    let records = other
        .in_session("ci-9")
        .admin(Method::GET, "/__mock/webhooks", None)
        .await;
    assert_eq!(records.status, 200);
    let records = records.body["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(records.len(), 6, "{records:?}");
    let delivered = records
        .iter()
        .filter(|r| r["delivered"] == Value::Bool(true))
        .count();
    assert_eq!(delivered, 3);
    // The default session's deliveries are its own.
    let default = other.admin(Method::GET, "/__mock/webhooks", None).await;
    assert_eq!(default.body["data"].as_array().map(Vec::len), Some(0));
    for id in &ids {
        let read = other
            .in_session("ci-9")
            .get(&format!("/api/generations/{id}"), KEY)
            .await;
        assert_eq!(read.body["status"], "success");
    }
    // Nothing of the session is due any more.
    eventually(5, || async {
        redis.query::<u64>("ZCARD", "ns-sessions:due").await == 0
    })
    .await;
}

/// With `--max-sessions 4` on three replicas, ten sessions asked for at once
/// across them get exactly four in: the others are answered the `503` and
/// leave nothing in Redis; one dropped makes room for another.
#[tokio::test]
async fn max_sessions_is_counted_across_the_replicas() {
    let redis = RedisServer::start();
    let mut servers = Vec::new();
    for _ in 0..3 {
        servers.push(replica(&redis, MockServer::builder().max_sessions(4)).await);
    }
    let names: Vec<String> = (0..10).map(|i| format!("job-{i}")).collect();
    let answers = join_all(names.iter().enumerate().map(|(i, name)| {
        let api = servers[i % 3].1.in_session(name);
        async move { (name.clone(), api.get("/api/account", KEY).await) }
    }))
    .await;
    let mut admitted = Vec::new();
    for (name, answer) in &answers {
        match answer.status.as_u16() {
            200 => admitted.push(name.clone()),
            503 => {
                let message = answer.body["message"].as_str().unwrap_or_default();
                assert!(
                    message.starts_with("Too many mock sessions (limit 4)"),
                    "{message}"
                );
            }
            other => panic!("{name}: {other} {}", answer.body),
        }
    }
    assert_eq!(admitted.len(), 4, "{answers:?}");
    let listed = servers[1]
        .1
        .admin(Method::GET, "/__mock/sessions", None)
        .await;
    let mut names_listed: Vec<String> = listed.body["data"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s["name"].as_str().map(String::from))
        .collect();
    names_listed.sort();
    admitted.sort();
    assert_eq!(names_listed, admitted);
    for (name, answer) in &answers {
        if answer.status == 503 {
            let left: Vec<String> = redis.query("KEYS", &format!("ns-session:{name}:*")).await;
            assert!(left.is_empty(), "a refused session left {left:?}");
        }
    }
    // An admitted session keeps working on a replica it is new to.
    let again = servers[2].1.in_session(&admitted[0]);
    assert_eq!(again.get("/api/account", KEY).await.status, 200);
    // Full; dropping one through any replica makes room for another.
    let refused = names
        .iter()
        .find(|n| !admitted.contains(n))
        .cloned()
        .unwrap_or_default();
    let full = servers[0].1.in_session(&refused);
    assert_eq!(full.get("/api/account", KEY).await.status, 503);
    let dropped = servers[1]
        .1
        .admin(
            Method::DELETE,
            &format!("/__mock/sessions/{}", admitted[1]),
            None,
        )
        .await;
    assert_eq!(dropped.status, 204, "{}", dropped.body);
    let after = full.get("/api/account", KEY).await;
    assert_eq!(
        after.status, 200,
        "{} after dropping {}",
        after.body, admitted[1]
    );
}

/// The library's handle on a session is admitted as a request is: across
/// the replicas, so it counts towards `--max-sessions` at once, and a
/// handle asked for beyond the limit is an error, with no keys left.
#[tokio::test]
async fn a_session_handle_counts_towards_max_sessions_across_the_replicas() {
    let redis = RedisServer::start();
    let (first, _) = replica(&redis, MockServer::builder().max_sessions(1)).await;
    let (second, api) = replica(&redis, MockServer::builder().max_sessions(1)).await;
    let handle = first.session("lib-1").await.unwrap();
    assert!(handle.base_url().ends_with("/s/lib-1"));

    let refused = second.session("lib-2").await.err().map(|e| e.to_string());
    let refused = refused.unwrap_or_default();
    assert!(
        refused.contains("Too many mock sessions (limit 1)"),
        "{refused}"
    );
    let left: Vec<String> = redis.query("KEYS", "ns-session:lib-2:*").await;
    assert!(left.is_empty(), "a refused session left {left:?}");
    // A request for another session, through either replica, is refused
    // too; the admitted one is served by both.
    assert_eq!(
        api.in_session("lib-3")
            .get("/api/account", KEY)
            .await
            .status,
        503
    );
    assert_eq!(
        api.in_session("lib-1")
            .get("/api/account", KEY)
            .await
            .status,
        200
    );
    assert_eq!(handle.credits(KEY).await.unwrap(), 1000);
}

/// A handle asked for while Redis is out of reach is a clear error, at
/// once, and leaves nothing half-made: once Redis is back, the same name is
/// admitted and served, and still counts towards the limit.
#[tokio::test]
async fn a_session_handle_asked_for_with_redis_down_is_store_unavailable_until_it_returns() {
    let mut redis = RedisServer::start();
    let (server, api) = replica(&redis, MockServer::builder().max_sessions(1)).await;
    redis.kill();
    let started = Instant::now();
    let refused = server.session("lib-down").await.err();
    assert!(
        matches!(refused, Some(Error::StoreUnavailable)),
        "{refused:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    redis.restart();
    // The replica's connection comes back on its own, in its own time.
    let deadline = Instant::now() + Duration::from_secs(10);
    let handle = loop {
        match server.session("lib-down").await {
            Ok(handle) => break handle,
            Err(Error::StoreUnavailable) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(other) => panic!("no handle once Redis is back: {other}"),
        }
    };
    assert_eq!(handle.credits(KEY).await.unwrap(), 1000);
    let registered: u64 = redis.query("ZCARD", "ns-sessions:used").await;
    assert_eq!(registered, 1, "the one session in the registry");
    assert_eq!(
        api.in_session("lib-other")
            .get("/api/account", KEY)
            .await
            .status,
        503,
        "the handle admitted after the outage counts towards the limit of 1"
    );
}
