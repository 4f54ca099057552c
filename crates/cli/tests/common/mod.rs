//! What the CLI's end-to-end tests share: a mock server on a runtime of its own.

// A test that cannot start its server fails here.
#![allow(clippy::expect_used)]

use artificial_studio_mock::{MockServer, MockServerBuilder, RateLimits};

/// A speed-0 mock without rate limits, changed by `tune`, started on a
/// runtime of its own, which must live as long as the server.
pub fn start_mock(
    tune: impl FnOnce(MockServerBuilder) -> MockServerBuilder,
) -> (tokio::runtime::Runtime, MockServer) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a test runtime");
    let builder = MockServer::builder()
        .speed(0.0)
        .rate_limits(RateLimits::Off);
    let server = rt
        .block_on(tune(builder).start())
        .expect("the mock server starts");
    (rt, server)
}
