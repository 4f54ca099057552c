//! What the end-to-end tests of `astudio` share.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use artificial_studio_mock::{MockServer, RateLimits};

/// An in-process mock server without rate limits, at `speed` (0: every
/// generation ends before its run is answered), on a runtime of its own
/// that must live as long as the server.
pub fn mock_server(speed: f64) -> (tokio::runtime::Runtime, MockServer) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(
            MockServer::builder()
                .speed(speed)
                .rate_limits(RateLimits::Off)
                .start(),
        )
        .unwrap();
    (rt, server)
}
