//! Webhooks of replicas on one Redis: each delivery is queued in Redis and
//! claimed by one replica at a time with a lease, so every webhook arrives
//! once while the replicas are healthy, retries follow the documented
//! schedule whichever replica makes them, and a replica killed mid-delivery
//! hands the delivery on. A real `redis-server` and a real receiver.

use std::collections::{BTreeMap, HashMap};

use artificial_studio_mock::{AccountConfig, MockServer, RateLimits, WebhookDelivery};
use artificial_studio_types::Plan;

use crate::redis_server::RedisServer;
use crate::support::*;

const KEY: &str = "team-key";

/// A replica on `redis` whose runs end at once, with every delay scaled by
/// `speed`.
async fn replica(redis: &RedisServer, speed: f64) -> (MockServer, Api) {
    redis_replica(
        redis,
        vec![AccountConfig::new(KEY, Plan::Free, 1000)],
        RateLimits::Off,
        MockServer::builder().speed(speed).stage_ms(0, 0, 0),
    )
    .await
}

/// How many deliveries the namespace's queue in Redis still holds (due,
/// waiting for a retry or claimed): 0 means no attempt can follow.
async fn queued(redis: &RedisServer) -> u64 {
    redis.query("ZCARD", &format!("{NAMESPACE}:hooks")).await
}

/// Waits until `count` generations were answered `200` and the queue is empty.
async fn until_delivered(redis: &RedisServer, receiver: &Receiver, count: usize, seconds: u64) {
    eventually(seconds, || async {
        receiver.delivered().len() >= count && queued(redis).await == 0
    })
    .await;
}

/// How many requests each id got.
fn counts(ids: &[String]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for id in ids {
        *counts.entry(id.clone()).or_default() += 1;
    }
    counts
}

/// The delivery attempts the replicas recorded, each once (a record that
/// several replicas show, once records are shared, counts once), by
/// generation and attempt.
async fn attempts(servers: &[&MockServer]) -> HashMap<(String, u32), WebhookDelivery> {
    let mut all = HashMap::new();
    for server in servers {
        for record in server.webhook_deliveries().await {
            let key = (record.generation_id.clone(), record.attempt);
            let earlier = all.insert(key, record.clone());
            assert!(
                earlier.is_none_or(|e| e == record),
                "attempt recorded twice, differently: {record:?}"
            );
        }
    }
    all
}

#[tokio::test]
async fn thirty_runs_across_three_replicas_deliver_each_webhook_exactly_once() {
    let redis = RedisServer::start();
    let hook = Receiver::start(Replies::ok()).await;
    let mut servers = Vec::new();
    for _ in 0..3 {
        servers.push(replica(&redis, 0.1).await);
    }
    let runs = (0..30).map(|i| servers[i % 3].1.create_image_with_webhook(KEY, &hook.url));
    let ids: Vec<String> = futures::future::join_all(runs).await;
    until_delivered(&redis, &hook, ids.len(), 30).await;
    let expected: BTreeMap<String, usize> = ids.iter().map(|id| (id.clone(), 1)).collect();
    assert_eq!(counts(&hook.ids()), expected, "each webhook, once");
    let records = attempts(&servers.iter().map(|(s, _)| s).collect::<Vec<_>>()).await;
    assert_eq!(records.len(), 30, "{records:?}");
    for id in &ids {
        let record = &records[&(id.clone(), 1)];
        assert!(record.delivered, "{record:?}");
        assert_eq!((record.status, record.next_retry_ms), (Some(200), None));
        assert_eq!(record.url, hook.url);
        assert_eq!(record.payload.id, *id);
    }
}

#[tokio::test]
async fn a_receiver_that_answers_500_first_is_retried_on_schedule_and_delivered_once() {
    let redis = RedisServer::start();
    let hook = Receiver::start(Replies::first([Reply::Status(500)]).per_generation()).await;
    let mut servers = Vec::new();
    for _ in 0..3 {
        servers.push(replica(&redis, 0.1).await);
    }
    let mut ids = Vec::new();
    for (_, api) in &servers {
        ids.push(api.create_image_with_webhook(KEY, &hook.url).await);
    }
    until_delivered(&redis, &hook, ids.len(), 30).await;
    let twice: BTreeMap<String, usize> = ids.iter().map(|id| (id.clone(), 2)).collect();
    assert_eq!(counts(&hook.ids()), twice, "a 500, then the retry");
    let once: BTreeMap<String, usize> = ids.iter().map(|id| (id.clone(), 1)).collect();
    assert_eq!(counts(&hook.delivered()), once, "delivered once");
    let records = attempts(&servers.iter().map(|(s, _)| s).collect::<Vec<_>>()).await;
    assert_eq!(records.len(), 6, "{records:?}");
    for id in &ids {
        let first = &records[&(id.clone(), 1)];
        let second = &records[&(id.clone(), 2)];
        // The documented first wait, 5 s, at speed 0.1.
        assert_eq!(
            (first.status, first.delivered, first.next_retry_ms),
            (Some(500), false, Some(500))
        );
        assert_eq!(
            (second.status, second.delivered, second.next_retry_ms),
            (Some(200), true, None)
        );
        let waited = second.time - first.time;
        assert!(
            waited >= chrono::TimeDelta::milliseconds(499),
            "the retry came {waited} after the first attempt"
        );
    }
}

#[tokio::test]
async fn a_replica_killed_mid_delivery_leaves_a_lease_that_ends_and_another_replica_delivers() {
    let redis = RedisServer::start();
    let hook = Receiver::start(Replies::first([Reply::Hang])).await;
    // At speed 1 an attempt may take 5 s: the replica is stopped well
    // before it would give up on its own.
    let (doomed, api) = replica(&redis, 1.0).await;
    let id = api.create_image_with_webhook(KEY, &hook.url).await;
    // Its sweeper claimed the delivery and the receiver holds the attempt.
    eventually(30, || async { hook.count() >= 1 }).await;
    assert_eq!(hook.ids(), vec![id.clone()]);
    // Two replicas start, and the claimer goes away mid-attempt.
    let (b, _) = replica(&redis, 1.0).await;
    let (c, _) = replica(&redis, 1.0).await;
    doomed.shutdown().await;
    assert_eq!(queued(&redis).await, 1, "the delivery is still queued");
    // Once its lease has ended (5 s + 1 s), another replica delivers it.
    until_delivered(&redis, &hook, 1, 30).await;
    assert_eq!(hook.ids(), [id.clone(), id.clone()]);
    assert_eq!(hook.delivered(), vec![id.clone()]);
    let records = attempts(&[&b, &c]).await;
    assert_eq!(records.len(), 1, "{records:?}");
    let record = &records[&(id, 1)];
    assert!(record.delivered, "{record:?}");
}
