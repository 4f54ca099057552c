//! The parsed query of `GET /api/generations`, as the handler hands it to the store.

use artificial_studio_types::GenerationStatus;

/// The query of `GET /api/generations`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// Page size, 1..=100.
    pub limit: u32,
    /// Generations to skip.
    pub offset: u64,
    /// Only generations in this status.
    pub status: Option<GenerationStatus>,
}
