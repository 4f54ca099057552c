//! A replica: an in-process server on the Redis store of a test's real
//! `redis-server`, so that several of them act as one service.

use artificial_studio_mock::{
    AccountConfig, MockServer, MockServerBuilder, RateLimits, RedisStoreOptions, SharedStore,
};

use super::{Api, start};
use crate::redis_server::RedisServer;

/// The key prefix of every replica's data in Redis.
pub const NAMESPACE: &str = "ns";

/// Starts `builder` (private webhooks allowed) on `redis`'s store, namespace
/// [`NAMESPACE`], with `accounts`, `rate_limits` and room for 1000 generations.
pub async fn redis_replica(
    redis: &RedisServer,
    accounts: Vec<AccountConfig>,
    rate_limits: RateLimits,
    builder: MockServerBuilder,
) -> (MockServer, Api) {
    let options = RedisStoreOptions {
        rate_limits,
        max_generations: 1000,
    };
    redis_replica_with(redis, accounts, options, builder).await
}

/// As [`redis_replica`], with the store's `options` given.
pub async fn redis_replica_with(
    redis: &RedisServer,
    accounts: Vec<AccountConfig>,
    options: RedisStoreOptions,
    builder: MockServerBuilder,
) -> (MockServer, Api) {
    let store = SharedStore::redis(&redis.url(), NAMESPACE, accounts, options).unwrap();
    start(builder.allow_private_webhooks(true).store(store)).await
}
