//! The bounds of a page of `GET /api/generations`: `limit` 1 to 100
//! (default 20) and `offset` from 0 (default 0), as the spec's query
//! parameters say.

use crate::ValidationIssue;

/// The fewest generations a page may ask for.
pub const MIN_LIMIT: u32 = 1;
/// The most generations a page may ask for.
pub const MAX_LIMIT: u32 = 100;
/// The page size when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 20;
/// The first generation of a page when `offset` is not given.
pub const DEFAULT_OFFSET: u64 = 0;

/// The issue of a `limit` out of bounds, if it is.
///
/// ```
/// use artificial_studio_types::rules::page;
///
/// assert!(page::limit_issue(100).is_none());
/// let issue = page::limit_issue(101).unwrap();
/// assert_eq!(issue.to_string(), "limit: Number must be less than or equal to 100 (too_big)");
/// ```
pub fn limit_issue(limit: i128) -> Option<ValidationIssue> {
    if limit < i128::from(MIN_LIMIT) {
        Some(ValidationIssue::number_too_small("limit", MIN_LIMIT))
    } else if limit > i128::from(MAX_LIMIT) {
        Some(ValidationIssue::number_too_big("limit", MAX_LIMIT))
    } else {
        None
    }
}

/// The issue of a negative `offset`, if it is.
pub fn offset_issue(offset: i128) -> Option<ValidationIssue> {
    (offset < 0).then(|| ValidationIssue::number_too_small("offset", 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_are_inclusive() {
        assert!(limit_issue(0).is_some());
        assert!(limit_issue(1).is_none());
        assert!(limit_issue(100).is_none());
        assert!(limit_issue(101).is_some());
        assert!(offset_issue(-1).is_some());
        assert!(offset_issue(0).is_none());
    }
}
