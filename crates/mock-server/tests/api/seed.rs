//! The provider's own error-handling snippet, run with Node against the mock,
//! takes every branch of its `switch`.

use artificial_studio_mock::{DEMO_EMPTY_KEY, DEMO_PRO_KEY, MockServer, PlanLimits, RateLimits};

#[tokio::test]
async fn seed_javascript_snippet_takes_every_branch_of_its_switch() {
    let limits = RateLimits::PerMinute {
        free: PlanLimits { run: 20, get: 60 },
        pro: PlanLimits { run: 1, get: 200 },
    };
    let server = MockServer::builder()
        .speed(0.0)
        .rate_limits(limits)
        .start()
        .await
        .unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/seed/generate.mjs");
    let output = tokio::process::Command::new("node")
        .args([script, &server.base_url(), DEMO_PRO_KEY, DEMO_EMPTY_KEY])
        .output()
        .await
        .expect("Node 20+ is required to run this test (see the top README)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        results,
        serde_json::json!({
            "success": "ok processing",
            "401": "Invalid API key",
            "402": "Insufficient credits",
            "429": "Rate limit exceeded. Retry later.",
            "default": "Tool not found",
        })
    );
}
