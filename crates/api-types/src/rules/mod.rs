//! The contract's rules, each written once and used by the client (before it
//! sends) and by the mock server (when it answers), so the two cannot drift.
//!
//! - [`input`]: a run's `input` against its model's `inputSchema`.
//! - [`price`]: what a run costs from its model's published price.
//! - [`page`]: the bounds of `limit` and `offset` of `GET /api/generations`.
//! - [`webhook`]: which webhook URLs `POST /api/run` accepts.
//! - [`not_found`]: which thing a `404` says was not found.
//! - [`session`]: the names of the mock server's sessions (`X-Mock-Session`).
//!
//! Every Zod-style message these rules report is worded by one constructor
//! of [`ValidationIssue`](crate::ValidationIssue).

pub mod input;
pub mod not_found;
pub mod page;
pub mod price;
pub mod session;
pub mod webhook;
