//! Request and response types of the Artificial Studio API.
//!
//! Everything in [`generated`] comes from `spec/openapi.yaml` through
//! `cargo xtask codegen` (typify for the bodies; the spec's `x-error-statuses`
//! table for [`ErrorKind`]). This file only adds what a generator cannot say.
//!
//! ```
//! use artificial_studio_types::{ErrorKind, RunRequest};
//!
//! assert!(ErrorKind::from_status(429).is_retryable());
//! assert!(!ErrorKind::from_status(402).is_retryable());
//!
//! // `additionalProperties: false` in the spec: unknown fields are refused.
//! let body = r#"{"tool": "create-image", "input": {}, "colour": "red"}"#;
//! assert!(serde_json::from_str::<RunRequest>(body).is_err());
//! ```

// The generated items carry the spec's descriptions as rustdoc; enum variants
// and a few typify helpers have none to carry.
// The file is formatted by prettyplease in `cargo xtask codegen`; rustfmt must
// not touch it, or `cargo xtask codegen --check` would see a stale file.
#[allow(missing_docs, clippy::all)]
#[rustfmt::skip]
pub mod generated;

pub use generated::*;

/// The OpenAPI document the types were generated from, as YAML.
pub const OPENAPI_YAML: &str = include_str!("../../../spec/openapi.yaml");

mod additions;
pub mod lookup;
pub mod provider_schema;
pub mod rules;

pub use additions::{JsonKind, json_type_name, zod_number};
