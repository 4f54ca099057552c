//! The delivery queue's scripts on a real Redis: a delivery is queued once
//! when its generation ends in `success`, claimed by one handle at a time,
//! handed on when its lease ends unsettled, and settled only by its holder.

use std::{sync::Arc, time::Duration};

use artificial_studio_types::{GenerationStatus, Plan};

use crate::{
    config::{AccountConfig, RateLimits},
    ids,
    outcomes::Outcomes,
    store::{
        ClaimedDelivery, NewGeneration, Outcome, RedisStore, RedisStoreOptions, Store,
        contract_tests::generation,
    },
};

// Also loaded by the store's other tests (`tests.rs`), whose module is
// private to them.
#[allow(clippy::duplicate_mod)]
#[path = "../../../tests/api/redis_server.rs"]
mod redis_server;

use redis_server::RedisServer;

const HOOK: &str = "https://hooks.example.com/x";

fn on(server: &RedisServer, namespace: &str, max_generations: usize) -> RedisStore {
    RedisStore::new(
        &server.url(),
        namespace,
        vec![AccountConfig::new("k", Plan::Free, 100)],
        RedisStoreOptions {
            rate_limits: RateLimits::Off,
            max_generations,
        },
    )
    .unwrap()
}

fn success(id: &str) -> Outcome {
    Outcome::Success {
        output: format!("http://x/outputs/{id}.png"),
        thumbnail: Some(format!("http://x/thumbnails/{id}.png")),
    }
}

/// Stores a generation of `k` ended at once as `outcome` says (success if
/// `None`), with `webhook`; its id.
async fn ended(store: &RedisStore, webhook: Option<&str>, outcome: Option<Outcome>) -> String {
    let caller = store.authenticate("k").await.unwrap().unwrap();
    let g = NewGeneration {
        webhook: webhook.map(str::to_string),
        ..generation(&caller.account_id)
    };
    let id = g.id.clone();
    store.create_generation(g, 1).await.unwrap();
    let outcome = outcome.unwrap_or_else(|| success(&id));
    store
        .finish_generation(&id, outcome)
        .await
        .unwrap()
        .unwrap();
    id
}

const LONG: Duration = Duration::from_secs(60);

async fn claim(store: &RedisStore, lease: Duration) -> Vec<ClaimedDelivery> {
    store.claim_deliveries(lease, 10).await.unwrap()
}

#[tokio::test]
async fn a_success_webhook_is_queued_once_and_claimed_by_one_handle_at_a_time() {
    let server = RedisServer::start();
    let (a, b) = (on(&server, "ns", 10), on(&server, "ns", 10));
    assert!(a.queues_deliveries());
    let id = ended(&a, Some(HOOK), None).await;
    // Both claim at once: one gets it.
    let (x, y) = tokio::join!(claim(&a, LONG), claim(&b, LONG));
    let (holder, mut claimed) = match (x.len(), y.len()) {
        (1, 0) => (&a, x),
        (0, 1) => (&b, y),
        other => panic!("claimed {other:?}"),
    };
    let first = claimed.remove(0);
    assert_eq!((first.url.as_str(), first.attempt), (HOOK, 1));
    assert_eq!(first.payload.id, id);
    assert_eq!(first.payload.status, GenerationStatus::Success);
    assert_eq!(first.payload.tool.as_deref(), Some("create-image"));
    assert_eq!(
        first.payload.output,
        Some(format!("http://x/outputs/{id}.png"))
    );
    assert_eq!(
        first.payload.thumbnail,
        Some(format!("http://x/thumbnails/{id}.png"))
    );
    assert!(first.payload.created_at.is_some());
    // Held: nobody else claims it.
    assert!(claim(&a, LONG).await.is_empty());
    assert!(claim(&b, LONG).await.is_empty());
    // The attempt failed: the next one is queued (due at once here), with
    // the lease released.
    assert!(
        holder
            .settle_delivery(&first, Some(Duration::ZERO))
            .await
            .unwrap()
    );
    let second = claim(&b, LONG).await;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].attempt, 2);
    assert_ne!(second[0].lease, first.lease);
    // The old claim no longer settles anything.
    assert!(!a.settle_delivery(&first, None).await.unwrap());
    assert!(claim(&a, LONG).await.is_empty(), "still b's");
    // Delivered: gone for good.
    assert!(b.settle_delivery(&second[0], None).await.unwrap());
    assert!(!b.settle_delivery(&second[0], None).await.unwrap());
    assert!(claim(&a, Duration::ZERO).await.is_empty());
}

#[tokio::test]
async fn a_lease_that_ends_unsettled_hands_the_delivery_on_at_the_same_attempt() {
    let server = RedisServer::start();
    let (a, b) = (on(&server, "ns", 10), on(&server, "ns", 10));
    let id = ended(&a, Some(HOOK), None).await;
    let lost = claim(&a, Duration::from_millis(100)).await;
    assert_eq!(lost.len(), 1);
    assert!(claim(&b, LONG).await.is_empty(), "leased");
    // `a` never settles (killed mid-attempt): once the lease has ended,
    // the delivery is due again.
    let mut taken = Vec::new();
    for _ in 0..100 {
        taken = claim(&b, LONG).await;
        if !taken.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(taken.len(), 1);
    assert_eq!(
        (taken[0].payload.id.as_str(), taken[0].attempt),
        (id.as_str(), 1)
    );
    // `a` coming back late settles nothing; `b` does.
    assert!(!a.settle_delivery(&lost[0], None).await.unwrap());
    assert!(claim(&a, Duration::ZERO).await.is_empty(), "still b's");
    assert!(b.settle_delivery(&taken[0], None).await.unwrap());
}

#[tokio::test]
async fn no_webhook_or_an_error_queues_nothing_and_a_reset_drops_the_queue() {
    let server = RedisServer::start();
    let store = on(&server, "ns", 10);
    ended(&store, None, None).await;
    ended(&store, Some(HOOK), Some(Outcome::Error("boom".into()))).await;
    assert!(claim(&store, LONG).await.is_empty());
    ended(&store, Some(HOOK), None).await;
    store.reset().await.unwrap();
    assert!(claim(&store, LONG).await.is_empty());
}

#[tokio::test]
async fn a_queued_webhook_outlives_its_generations_eviction_and_stays_in_its_namespace() {
    let server = RedisServer::start();
    let store = on(&server, "ns", 1);
    let first = ended(&store, Some(HOOK), None).await;
    let second = ended(&store, Some(HOOK), None).await;
    assert!(store.generation(&first).await.unwrap().is_none(), "evicted");
    let mut claimed: Vec<String> = claim(&store, LONG)
        .await
        .into_iter()
        .map(|c| c.payload.id)
        .collect();
    claimed.sort();
    let mut expected = vec![first, second];
    expected.sort();
    assert_eq!(claimed, expected);
    // Another namespace (another session) has its own queue.
    let other = on(&server, &ids::object_id(), 10);
    ended(&other, Some(HOOK), None).await;
    assert_eq!(claim(&other, LONG).await.len(), 1);
    assert!(claim(&store, Duration::ZERO).await.is_empty());
}

#[tokio::test]
async fn an_instant_run_queues_its_webhook_in_the_step_that_creates_it() {
    let server = RedisServer::start();
    let store = Arc::new(on(&server, "ns", 10));
    let caller = store.authenticate("k").await.unwrap().unwrap();
    let g = NewGeneration {
        webhook: Some(HOOK.into()),
        ..generation(&caller.account_id)
    };
    let id = g.id.clone();
    store
        .create_finished_generation(g, 1, success(&id), &Outcomes::default())
        .await
        .unwrap();
    let claimed = claim(&store, LONG).await;
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].payload.id, id);
}
