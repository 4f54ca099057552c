//! The end-to-end suite: the `astudio-mock` binary as a separate process,
//! driven by the `artificial-studio` library and the `astudio` binary. Each
//! test starts its own mock process; see `harness.rs` for how the binaries
//! are found.

// The whole crate is test code, helpers included: a panic is a failed assertion
// (clippy's allow-*-in-tests only covers `#[test]` functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

mod bad_input;
mod cli;
mod drift;
mod error_table;
mod faults;
mod happy_path;
mod load;
mod rare_statuses;
mod retries;
mod slow_clients;
mod webhooks;
