//! A stateful mock of the Artificial Studio API (filled in by its own issue).

pub use artificial_studio_types as types;
