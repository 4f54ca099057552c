//! `astudio` for daily work, end to end against an in-process mock:
//! `api`, `--jq`, `auth` and profiles, `logs`.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use artificial_studio_mock::MockServer;
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
        let (rt, server) = common::start_mock(|b| b);
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

#[test]
fn auth_login_checks_the_key_saves_a_0600_file_and_status_masks_it() {
    let sandbox = Sandbox::start();
    let key = sandbox.server.demo_keys().pro;
    let out = sandbox
        .bare()
        .args(["auth", "login", "--with-key", "--base-url"])
        .arg(sandbox.server.base_url())
        .write_stdin(format!("{key}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("pro@example.com"), "{said}");
    assert!(!said.contains(key), "{said}");
    let file = sandbox.config.path().join("credentials.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(std::fs::read_to_string(&file).unwrap().contains(key));

    // No flag, no environment: the profile gives the key and the base URL.
    let out = sandbox.bare().args(["auth", "status"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status = text(&out.stdout)
        .replace(&sandbox.server.base_url(), "[URL]")
        .replace(&sandbox.config.path().display().to_string(), "[CONFIG]");
    assert!(!status.contains(key), "{status}");
    insta::assert_snapshot!(
        status
            .lines()
            .filter(|l| !l.starts_with("credits"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let out = sandbox
        .bare()
        .args(["account", "--jq", ".plan"])
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "pro\n", "{}", text(&out.stderr));
}

#[test]
fn the_key_flag_wins_over_the_environment_which_wins_over_the_profile() {
    let sandbox = Sandbox::start();
    let keys = sandbox.server.demo_keys();
    sandbox
        .bare()
        .args(["auth", "login", "--with-key", "--base-url"])
        .arg(sandbox.server.base_url())
        .write_stdin(keys.free)
        .assert()
        .success();
    let plan = |cmd: &mut Command| {
        text(
            &cmd.args(["account", "--jq", ".plan"])
                .output()
                .unwrap()
                .stdout,
        )
    };
    assert_eq!(plan(&mut sandbox.bare()), "free\n");
    assert_eq!(
        plan(sandbox.bare().env("ARTIFICIAL_STUDIO_API_KEY", keys.pro)),
        "pro\n"
    );
    assert_eq!(
        plan(
            sandbox
                .bare()
                .env("ARTIFICIAL_STUDIO_API_KEY", keys.pro)
                .args(["--api-key", keys.free])
        ),
        "free\n"
    );
    let out = sandbox
        .bare()
        .env("ARTIFICIAL_STUDIO_API_KEY", keys.pro)
        .args(["auth", "status", "--json"])
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["keyFrom"], "ARTIFICIAL_STUDIO_API_KEY");
}

#[test]
fn profiles_are_separate_and_logout_removes_one() {
    let sandbox = Sandbox::start();
    let keys = sandbox.server.demo_keys();
    for (profile, key) in [("sandbox", keys.pro), ("other", keys.free)] {
        sandbox
            .bare()
            .args([
                "auth",
                "login",
                "--with-key",
                "--profile",
                profile,
                "--base-url",
            ])
            .arg(sandbox.server.base_url())
            .write_stdin(key)
            .assert()
            .success();
    }
    let out = sandbox
        .bare()
        .env("ASTUDIO_PROFILE", "sandbox")
        .args(["account", "--jq", ".plan"])
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "pro\n");
    sandbox
        .bare()
        .args(["auth", "logout", "--profile", "sandbox"])
        .assert()
        .success();
    let out = sandbox
        .bare()
        .args(["--profile", "sandbox", "account"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no saved profile"),
        "{}",
        text(&out.stderr)
    );
    let credentials =
        std::fs::read_to_string(sandbox.config.path().join("credentials.json")).unwrap();
    assert!(!credentials.contains(keys.pro));
    assert!(credentials.contains(keys.free));
}

#[test]
fn auth_login_refuses_a_key_the_api_refuses_and_saves_nothing() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .bare()
        .args(["auth", "login", "--with-key", "--base-url"])
        .arg(sandbox.server.base_url())
        .write_stdin("not-a-real-key")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!sandbox.config.path().join("credentials.json").exists());
    assert!(!text(&out.stderr).contains("not-a-real-key"));
}

#[test]
fn logs_print_one_line_per_request_of_the_mocks_journal() {
    let sandbox = Sandbox::start();
    sandbox.pro().args(["account"]).assert().success();
    sandbox
        .pro()
        .args(["api", "api/tools?x=1"])
        .assert()
        .success();
    let out = sandbox.pro().args(["logs"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("GET    /api/account  200"), "{lines:?}");
    assert!(lines[1].contains("/api/tools?x=1  200"), "{lines:?}");
    let out = sandbox
        .pro()
        .args(["logs", "--jq", ".path"])
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "/api/account\n/api/tools\n");
}

#[test]
fn logs_say_clearly_when_the_base_url_is_not_a_mock() {
    let sandbox = Sandbox::start();
    // A server that answers 404 to everything stands in for the real service.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut buf);
            let body = r#"{"message":"Not found"}"#;
            let _ = std::io::Write::write_all(
                &mut stream,
                format!("HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).as_bytes(),
            );
        }
    });
    let out = sandbox
        .bare()
        .env("ARTIFICIAL_STUDIO_API_KEY", "k")
        .args(["--base-url", &format!("http://{addr}"), "logs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not an astudio-mock server"),
        "{}",
        text(&out.stderr)
    );
}

/// Doctor output with what changes between runs replaced.
fn stable_doctor(out: &std::process::Output, sandbox: &Sandbox) -> String {
    text(&out.stdout)
        .replace(&sandbox.server.base_url(), "[URL]")
        .lines()
        .map(|l| match l.find(" of ") {
            Some(_) if l.contains("rate limit") => {
                "ok    rate limit: [N] of [LIMIT] requests left in this window"
            }
            _ if l.contains("clock: within") => "ok    clock: within [N]s of the server's",
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn doctor_passes_every_check_against_the_mock_and_exits_0() {
    let sandbox = Sandbox::start();
    let out = sandbox.pro().arg("doctor").output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    insta::assert_snapshot!(stable_doctor(&out, &sandbox));
}

#[test]
fn doctor_fails_with_the_fix_for_no_key_a_refused_key_and_no_credits() {
    let sandbox = Sandbox::start();
    let out = sandbox.bare().arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("FAIL  API key: none configured"),
        "{}",
        text(&out.stdout)
    );

    let out = sandbox
        .bare()
        .env("ARTIFICIAL_STUDIO_API_KEY", "wrong-key-0000")
        .args(["--base-url", &sandbox.server.base_url(), "doctor"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stdout);
    assert!(said.contains("ok    base URL reachable"), "{said}");
    assert!(said.contains("FAIL  key accepted"), "{said}");
    assert!(!said.contains("wrong-key-0000"), "{said}");

    let key = sandbox.server.demo_keys().pro;
    sandbox
        ._rt
        .block_on(sandbox.server.set_credits(key, 0))
        .unwrap();
    let out = sandbox.pro().arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("FAIL  credits and plan: no credits left"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn doctor_says_when_the_base_url_cannot_be_reached() {
    let sandbox = Sandbox::start();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = sandbox
        .bare()
        .env("ARTIFICIAL_STUDIO_API_KEY", "some-key-0000")
        .args(["--base-url", &format!("http://127.0.0.1:{port}"), "doctor"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("FAIL  base URL reachable"),
        "{}",
        text(&out.stdout)
    );
}
