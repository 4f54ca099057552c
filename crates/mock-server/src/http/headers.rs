//! Headers several answers share: the rate limit's.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::ratelimit::RateDecision;

/// The `X-RateLimit-*` headers (and `Retry-After` when refused) of a decision.
pub(crate) fn rate_headers(headers: &mut HeaderMap, decision: &RateDecision) {
    headers.insert("x-ratelimit-limit", HeaderValue::from(decision.limit));
    headers.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(decision.remaining),
    );
    headers.insert("x-ratelimit-reset", HeaderValue::from(decision.reset_unix));
    if let Some(secs) = decision.retry_after_secs {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
}
