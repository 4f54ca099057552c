//! Rust client for the Artificial Studio API (filled in by its own issue).

pub use artificial_studio_types as types;
