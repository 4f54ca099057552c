//! End-to-end suite (filled in by its own issue).
