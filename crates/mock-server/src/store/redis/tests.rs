//! The store contract (`contract_tests`) on a real Redis, and what only a
//! store shared by replicas does: seeding once, schedules kept in Redis,
//! rate limits across handles, and a Redis that goes away.

use std::sync::Arc;

use super::*;
use crate::config::{PlanLimits, RateLimits};
use crate::store::contract_tests::generation;

#[path = "../../../tests/api/redis_server.rs"]
mod redis_server;

use redis_server::RedisServer;

/// A maker of stores on `server`, each in a namespace of its own.
fn maker(server: &RedisServer) -> impl Fn(usize) -> Arc<dyn Store> + '_ {
    move |max_generations| {
        Arc::new(on(
            server,
            &ids::object_id(),
            max_generations,
            RateLimits::Off,
        ))
    }
}

fn on(server: &RedisServer, namespace: &str, max: usize, limits: RateLimits) -> RedisStore {
    RedisStore::new(
        &server.url(),
        namespace,
        vec![AccountConfig::new("k", Plan::Free, 10)],
        RedisStoreOptions {
            rate_limits: limits,
            max_generations: max,
        },
    )
    .unwrap()
}

super::super::contract_tests::for_store!(RedisServer::start(), maker);

#[tokio::test]
async fn a_second_handle_finds_the_balances_as_they_are_not_reseeded() {
    let server = RedisServer::start();
    let first = on(&server, "ns", 10, RateLimits::Off);
    let caller = first.authenticate("k").await.unwrap().unwrap();
    let g = generation(&caller.account_id);
    first.create_generation(g, 4).await.unwrap();
    // A replica that starts (or restarts) later: same ids, balance as left.
    let second = on(&server, "ns", 10, RateLimits::Off);
    let seen = second.authenticate("k").await.unwrap().unwrap();
    assert_eq!(seen.account_id, caller.account_id);
    let account = second.account(&seen.account_id).await.unwrap().unwrap();
    assert_eq!(account.credits, 6);
    // Another namespace is another service.
    let other = on(&server, "other", 10, RateLimits::Off);
    let there = other.authenticate("k").await.unwrap().unwrap();
    assert_ne!(there.account_id, caller.account_id);
}

#[tokio::test]
async fn a_limit_of_three_per_minute_admits_three_across_handles_as_governor_does() {
    let server = RedisServer::start();
    let limits = RateLimits::PerMinute {
        free: PlanLimits { run: 3, get: 60 },
        pro: PlanLimits { run: 60, get: 200 },
    };
    let a = on(&server, "ns", 10, limits);
    let b = on(&server, "ns", 10, limits);
    let caller = a.authenticate("k").await.unwrap().unwrap();
    let mut decisions = Vec::new();
    for store in [&a, &b, &a, &b] {
        decisions.push(
            store
                .check_rate(&caller, Bucket::Run)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let remaining: Vec<(bool, u32)> = decisions.iter().map(|d| (d.allowed, d.remaining)).collect();
    assert_eq!(remaining, [(true, 2), (true, 1), (true, 0), (false, 0)]);
    let retry = decisions[3].retry_after_secs.unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    // The memory store's governor cells say the same for the same requests.
    let memory = crate::ratelimit::RateLimiters::new(limits);
    let key: Arc<str> = caller.account_id.clone();
    let governor: Vec<(bool, u32)> = (0..4)
        .map(|_| memory.check(&key, Plan::Free, Bucket::Run).unwrap())
        .map(|d| (d.allowed, d.remaining))
        .collect();
    assert_eq!(governor, remaining);
    // Another bucket is counted apart.
    assert!(
        b.check_rate(&caller, Bucket::Get)
            .await
            .unwrap()
            .unwrap()
            .allowed
    );
}

#[tokio::test]
async fn a_timed_generation_moves_with_the_clock_and_one_sweep_claims_its_end() {
    let server = RedisServer::start();
    let a = on(&server, "ns", 10, RateLimits::Off);
    let b = on(&server, "ns", 10, RateLimits::Off);
    let caller = a.authenticate("k").await.unwrap().unwrap();
    let mut g = NewGeneration {
        status: GenerationStatus::Pending,
        webhook: Some("https://hooks.example.com/x".into()),
        ..generation(&caller.account_id)
    };
    let id = g.id.clone();
    let ms = Duration::from_millis;
    let success = Outcome::Success {
        output: "http://x/outputs/a.png".into(),
        thumbnail: None,
    };
    a.create_scheduled_generation(
        g.clone(),
        2,
        [ms(150), ms(150), ms(150)],
        success.clone(),
        &Outcomes::default(),
    )
    .await
    .unwrap();
    assert_eq!(status(&b, &id).await, GenerationStatus::Pending);
    tokio::time::sleep(ms(200)).await;
    assert_eq!(status(&b, &id).await, GenerationStatus::Processing);
    assert!(a.sweep().await.unwrap().is_empty(), "not due yet");
    tokio::time::sleep(ms(350)).await;
    // Both sweep; one claims it, with its webhook.
    let (x, y) = tokio::join!(a.sweep(), b.sweep());
    let ended: Vec<Finished> = x.unwrap().into_iter().chain(y.unwrap()).collect();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].status, GenerationStatus::Success);
    assert!(ended[0].webhook.is_some());
    assert_eq!(status(&a, &id).await, GenerationStatus::Success);
    // A scripted failure ends it in `error` after `processing`, refunded once.
    g.id = ids::object_id();
    let failing = g.id.clone();
    let scripted = Outcomes::default();
    scripted.add(crate::outcomes::ScriptedOutcome {
        tool: "create-image".into(),
        error: "boom".into(),
        count: 1,
    });
    a.create_scheduled_generation(g, 3, [ms(0), ms(100), ms(5000)], success, &scripted)
        .await
        .unwrap();
    assert_eq!(
        a.account(&caller.account_id)
            .await
            .unwrap()
            .unwrap()
            .credits,
        5
    );
    tokio::time::sleep(ms(150)).await;
    let read = b.generation(&failing).await.unwrap().unwrap().generation;
    assert_eq!(
        (read.status, read.error.as_deref()),
        (GenerationStatus::Error, Some("boom"))
    );
    let _ = a.sweep().await.unwrap();
    let _ = b.generation(&failing).await.unwrap();
    assert_eq!(
        a.account(&caller.account_id)
            .await
            .unwrap()
            .unwrap()
            .credits,
        8
    );
}

#[tokio::test]
async fn redis_out_of_reach_is_unavailable_at_once_and_recovers_when_it_returns() {
    let mut server = RedisServer::start();
    let store = on(&server, "ns", 10, RateLimits::Off);
    let caller = store.authenticate("k").await.unwrap().unwrap();
    server.kill();
    let started = std::time::Instant::now();
    assert_eq!(store.authenticate("k").await.unwrap_err(), Unavailable);
    assert_eq!(
        store.account(&caller.account_id).await.unwrap_err(),
        Unavailable
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    server.restart();
    let mut back = None;
    for _ in 0..100 {
        if let Ok(found) = store.authenticate("k").await {
            back = found;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(back.map(|c| c.account_id), Some(caller.account_id));
}

async fn status(store: &RedisStore, id: &str) -> GenerationStatus {
    store
        .generation(id)
        .await
        .unwrap()
        .unwrap()
        .generation
        .status
}
