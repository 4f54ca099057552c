//! Integration tests of `artificial-studio-mock`: each test starts its own server.

// The whole crate is test code, helpers included: a panic is a failed assertion
// (clippy's allow-*-in-tests only covers `#[test]` functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin;
mod binary;
mod catalog;
mod client;
mod drift;
mod errors;
mod faults;
mod files;
mod generations;
mod library;
mod poll_hint;
mod pricing;
// The Redis store's tests: with the `redis` feature (the default).
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
mod redis_faults;
#[cfg(feature = "redis")]
mod redis_instruments;
#[cfg(feature = "redis")]
mod redis_server;
#[cfg(feature = "redis")]
mod redis_sessions;
#[cfg(feature = "redis")]
mod redis_webhooks;
mod robustness;
mod seed;
mod sessions;
mod state;
mod support;
mod validation;
mod webhooks;
