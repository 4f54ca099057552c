//! `astudio` for daily work, end to end against an in-process mock:
//! `api`, `--jq`, `auth` and profiles, `logs`.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use artificial_studio_mock::{MockServer, RateLimits};
use assert_cmd::Command;

/// A mock server on its own runtime, alive for the test.
struct Sandbox {
    _rt: tokio::runtime::Runtime,
    server: MockServer,
    /// The config directory `astudio` reads and writes profiles in.
    config: tempfile::TempDir,
}

impl Sandbox {
    fn start() -> Sandbox {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = rt
            .block_on(
                MockServer::builder()
                    .speed(0.0)
                    .rate_limits(RateLimits::Off)
                    .start(),
            )
            .unwrap();
        Sandbox {
            _rt: rt,
            server,
            config: tempfile::tempdir().unwrap(),
        }
    }

    /// `astudio` with no key or base URL from the environment, no keyring,
    /// and a config directory of its own.
    fn bare(&self) -> Command {
        let mut cmd = Command::cargo_bin("astudio").unwrap();
        cmd.env_remove("ARTIFICIAL_STUDIO_BASE_URL")
            .env_remove("ARTIFICIAL_STUDIO_API_KEY")
            .env_remove("ASTUDIO_PROFILE")
            .env("ASTUDIO_CONFIG_DIR", self.config.path())
            .env("ASTUDIO_NO_KEYRING", "1")
            .env("NO_COLOR", "1");
        cmd
    }

    /// `astudio --base-url <mock>` with the pro demo key.
    fn pro(&self) -> Command {
        let mut cmd = self.bare();
        cmd.env("ARTIFICIAL_STUDIO_API_KEY", self.server.demo_keys().pro)
            .arg("--base-url")
            .arg(self.server.base_url());
        cmd
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn api_gets_a_path_and_prints_the_answers_json() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .pro()
        .args(["api", "/api/account"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let account: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(account["plan"], "pro");
}

#[test]
fn api_fields_make_a_post_body_and_start_a_run() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .pro()
        .args(["api", "api/run", "-f", "tool=create-image"])
        .args(["-F", r#"input={"prompt":"a fox"}"#, "--jq", ".tool"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "create-image\n");
}

#[test]
fn api_get_fields_go_into_the_query() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .pro()
        .args(["api", "-X", "get", "api/generations", "-F", "limit=3"])
        .args(["--jq", ".pagination.limit"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "3\n");
}

#[test]
fn api_input_sends_a_raw_body_and_an_api_error_exits_1_with_its_message() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .pro()
        .args(["api", "api/run", "--input", "-"])
        .write_stdin(r#"{"tool":"create-image","input":{}}"#)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("input.prompt"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn jq_filters_every_json_command_and_implies_json() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .pro()
        .args([
            "tools",
            "list",
            "--jq",
            ".data[] | select(.slug == \"create-image\") | .slug",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "create-image\n");
    let out = sandbox
        .pro()
        .args(["account", "--jq", "{plan}"])
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "{\n  \"plan\": \"pro\"\n}\n");
}

#[test]
fn a_bad_jq_expression_is_a_usage_error_with_the_parsers_message() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .pro()
        .args(["account", "--jq", ".data["])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("--jq: expected"), "{stderr}");
    let out = sandbox
        .pro()
        .args(["account", "--jq", "nosuch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("undefined"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn api_help_has_examples() {
    let out = Command::cargo_bin("astudio")
        .unwrap()
        .args(["api", "--help"])
        .output()
        .unwrap();
    let help = text(&out.stdout);
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("astudio api api/account"), "{help}");
}
