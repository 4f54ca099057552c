//! `astudio` end to end: the binary against an in-process mock server, every
//! command's happy path, and every row of the seed's error table with its
//! message, hint and exit code.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use artificial_studio_mock::{Fault, FaultRule, MockServer, MockServerBuilder, RateLimits};
use artificial_studio_types::{Account, Generation, GenerationList, Tool, ToolList};
use assert_cmd::Command;
use predicates::prelude::*;

/// A mock server on its own runtime, alive for the test.
struct Mock {
    rt: tokio::runtime::Runtime,
    server: MockServer,
}

impl Mock {
    fn start() -> Mock {
        Mock::with(
            MockServer::builder()
                .speed(0.0)
                .rate_limits(RateLimits::Off),
        )
    }

    fn with(builder: MockServerBuilder) -> Mock {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = rt.block_on(builder.start()).unwrap();
        Mock { rt, server }
    }

    /// `astudio --base-url <mock>` with `key`, no retry delays beyond the defaults.
    fn astudio(&self, key: &str) -> Command {
        let mut cmd = Command::cargo_bin("astudio").unwrap();
        cmd.env_remove("ARTIFICIAL_STUDIO_BASE_URL")
            .env("ARTIFICIAL_STUDIO_API_KEY", key)
            .env("NO_COLOR", "1")
            .arg("--base-url")
            .arg(self.server.base_url());
        cmd
    }

    fn pro(&self) -> Command {
        self.astudio(self.server.demo_keys().pro)
    }

    fn fault(&self, fault: Fault, route: &str) {
        self.rt
            .block_on(self.server.inject_fault(FaultRule::new(fault, route)))
            .unwrap();
    }
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Replaces what changes between runs (ids, ports, durations) for snapshots.
fn stable(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_inclusive(char::is_whitespace) {
        let trimmed = word.trim_end();
        let tail = &word[trimmed.len()..];
        let replaced = if trimmed.len() >= 24
            && trimmed.chars().filter(|c| c.is_ascii_hexdigit()).count() >= 24
        {
            "[ID]".to_string()
        } else if trimmed.starts_with("req_") {
            "[REQUEST-ID]".to_string()
        } else if trimmed.starts_with("http://127.0.0.1:") {
            "[URL]".to_string()
        } else {
            trimmed.to_string()
        };
        out.push_str(&replaced);
        out.push_str(tail);
    }
    out
}

#[test]
fn help_documents_the_exit_codes() {
    let out = Command::cargo_bin("astudio")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = stdout_of(&out);
    for line in [
        "0  success",
        "3  the generation ended in `error`",
        "4  timeout",
        "5  network failure",
    ] {
        assert!(help.contains(line), "{help}");
    }
}

#[test]
fn run_waits_and_prints_the_output_url() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["run", "create-image", "prompt=a fox"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let url = stdout_of(&out);
    assert!(url.trim().starts_with(&mock.server.base_url()), "{url}");
    assert!(url.trim().ends_with(".png"), "{url}");
}

#[test]
fn mock_run_downloads_a_valid_png() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lighthouse.png");
    let out = Command::cargo_bin("astudio")
        .unwrap()
        .env_remove("ARTIFICIAL_STUDIO_API_KEY")
        .env_remove("ARTIFICIAL_STUDIO_BASE_URL")
        .env("ASTUDIO_STATE_DIR", dir.path())
        .args([
            "--mock",
            "run",
            "create-image",
            "prompt=a lighthouse at dusk",
            "--download",
        ])
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let stderr = stderr_of(&out);
    assert!(stderr.contains("success"), "{stderr}");
    assert!(stderr.contains("saved"), "{stderr}");
}

#[test]
fn mock_ignores_a_real_key_from_the_environment() {
    let state = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("astudio")
        .unwrap()
        .env("ASTUDIO_STATE_DIR", state.path())
        .env("ARTIFICIAL_STUDIO_API_KEY", "sk-real-key-of-the-user")
        .args(["--mock", "account"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("pro"));
}

#[test]
fn run_json_prints_the_generation_as_the_spec_types_it() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["--json", "run", "create-image", "prompt=a fox"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let generation: Generation = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(generation.tool, "create-image");
    assert_eq!(generation.payload["prompt"], "a fox");
}

#[test]
fn run_no_wait_prints_the_id() {
    let mock = Mock::with(MockServer::builder().speed(100.0));
    let out = mock
        .pro()
        .args(["run", "create-image", "prompt=a fox", "--no-wait"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout_of(&out).trim().len(), 24);
}

#[test]
fn run_types_inputs_from_the_schema_and_uploads_at_files() {
    let mock = Mock::start();
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("photo.png");
    std::fs::write(&photo, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let out = mock
        .pro()
        .args(["--json", "run", "edit-image", "prompt=make it night"])
        .arg(format!("image_urls=@{}", photo.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let generation: Generation = serde_json::from_slice(&out.stdout).unwrap();
    let urls = generation.payload["image_urls"].as_array().unwrap();
    assert_eq!(urls.len(), 1);
    assert!(
        urls[0]
            .as_str()
            .unwrap()
            .starts_with(&mock.server.base_url())
    );
}

#[test]
fn generations_list_get_and_wait_show_the_callers_generations() {
    let mock = Mock::start();
    for prompt in ["one", "two", "three"] {
        mock.pro()
            .args(["run", "create-image", &format!("prompt={prompt}")])
            .assert()
            .success();
    }
    let out = mock
        .pro()
        .args(["--json", "generations", "list", "--limit", "2"])
        .output()
        .unwrap();
    let page: GenerationList = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page.data.len(), 2);
    let pagination = page.pagination.unwrap();
    assert_eq!(pagination.has_more, Some(true));
    assert_eq!(pagination.total, Some(3));

    let out = mock
        .pro()
        .args(["--json", "generations", "list", "--all"])
        .output()
        .unwrap();
    let all: Vec<Generation> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(all.len(), 3);

    let id = &all[0].id;
    mock.pro()
        .args(["generations", "get", id])
        .assert()
        .success()
        .stdout(predicate::str::contains("status:").and(predicate::str::contains("success")));
    mock.pro()
        .args(["generations", "wait", id])
        .assert()
        .success()
        .stdout(predicate::str::ends_with(".png\n"));

    let out = mock.pro().args(["generations", "list"]).output().unwrap();
    assert_eq!(
        stdout_of(&out).lines().count(),
        3,
        "piped tables have one line per generation"
    );
}

#[test]
fn tools_list_show_and_search() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["--json", "tools", "list", "--type", "audio"])
        .output()
        .unwrap();
    let tools: ToolList = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!tools.data.is_empty());
    assert!(
        tools
            .data
            .iter()
            .all(|t| t.type_.as_ref().map(ToString::to_string).as_deref() == Some("audio"))
    );

    let out = mock
        .pro()
        .args(["tools", "show", "create-image"])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(text.contains("seedream-4"), "{text}");
    assert!(
        text.contains("image_size") && text.contains("square_hd"),
        "{text}"
    );

    let out = mock
        .pro()
        .args(["--json", "tools", "show", "text-to-speech"])
        .output()
        .unwrap();
    let tool: Tool = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tool.slug, "text-to-speech");

    mock.pro()
        .args(["search", "speech"])
        .assert()
        .success()
        .stdout(predicate::str::contains("text-to-speech"));
}

/// A per-second model reads as credits per second, with its prices by
/// resolution where they vary (`costUnit`, `costByResolution`).
#[test]
fn tools_show_prices_video_models_per_second_and_resolution() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["tools", "show", "animate-image"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(
        text.contains(
            "model veo3-1-image-to-video (Veo 3.1): 80 credits/second (80 at 720p, 80 at 1080p, 120 at 4k)"
        ),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn account_and_upload() {
    let mock = Mock::start();
    let out = mock.pro().args(["--json", "account"]).output().unwrap();
    let account: Account = serde_json::from_slice(&out.stdout).unwrap();
    assert!(account.credits > 0);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("voice.wav");
    std::fs::write(&file, b"RIFF....WAVE").unwrap();
    let out = mock.pro().arg("upload").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).starts_with(&mock.server.base_url()));
    assert!(stderr_of(&out).contains("audio_url"));
}

#[test]
fn completions_print_a_script() {
    Command::cargo_bin("astudio")
        .unwrap()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("astudio"));
}

// The seed's table, row by row.

#[test]
fn validation_failed_lists_each_issue_and_exits_1() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["run", "create-image", "colour=red"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stable(&stderr_of(&out)));
}

#[test]
fn validation_failed_json_prints_the_api_body_on_stderr() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["--json", "run", "create-image"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let body: artificial_studio_types::ErrorBody = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(body.message, "Validation failed");
    assert_eq!(body.errors[0].field, "input.prompt");
    assert!(out.stdout.is_empty());
}

#[test]
fn invalid_key_hints_at_the_environment_variable() {
    let mock = Mock::start();
    let out = mock.astudio("not-a-key").arg("account").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stable(&stderr_of(&out)));
}

#[test]
fn bearer_prefix_is_caught_with_a_hint() {
    let mock = Mock::start();
    let out = mock
        .astudio("Bearer demo-pro-key")
        .arg("account")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    assert!(stderr.contains("drop the `Bearer ` prefix"), "{stderr}");
    assert!(
        !stderr.contains("demo-pro-key"),
        "the key is never printed: {stderr}"
    );
}

#[test]
fn missing_key_is_a_usage_error() {
    let out = Command::cargo_bin("astudio")
        .unwrap()
        .env_remove("ARTIFICIAL_STUDIO_API_KEY")
        .args(["--base-url", "http://127.0.0.1:9", "account"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("ARTIFICIAL_STUDIO_API_KEY"));
}

#[test]
fn no_credits_shows_the_balance_and_where_to_add_more() {
    let mock = Mock::start();
    let out = mock
        .astudio(mock.server.demo_keys().empty)
        .args(["run", "create-image", "prompt=x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stable(&stderr_of(&out)));
}

#[test]
fn another_accounts_generation_is_forbidden() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["run", "create-image", "prompt=x", "--no-wait"])
        .output()
        .unwrap();
    let id = stdout_of(&out).trim().to_string();
    let out = mock
        .astudio(mock.server.demo_keys().free)
        .args(["generations", "get", &id])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).starts_with("error: You do not have access to this resource\n"));
}

#[test]
fn unknown_tool_suggests_the_closest_slugs() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["run", "create-imgae", "prompt=x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stable(&stderr_of(&out)));
}

#[test]
fn unknown_generation_is_not_found() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["generations", "get", "000000000000000000000000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).starts_with("error: Generation not found\n"));
}

#[test]
fn rate_limit_says_how_long_it_waited_and_that_it_gave_up() {
    let mock = Mock::start();
    mock.fault(Fault::Status(429), "GET /api/account");
    let out = mock
        .pro()
        .args(["--max-retries", "1", "account"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with("error: Too many API requests, please try again later\n"),
        "{stderr}"
    );
    assert!(stderr.contains("retried once over"), "{stderr}");
    assert!(stderr.contains("then gave up"), "{stderr}");
}

#[test]
fn server_errors_say_they_were_retried_and_give_the_seeds_advice() {
    let mock = Mock::start();
    for (status, message, advice) in [
        (500, "Internal server error", "Retry after a few seconds"),
        (502, "Bad gateway", "Retry after a few seconds"),
        (
            503,
            "Service temporarily unavailable",
            "Service is temporarily down, retry later",
        ),
    ] {
        mock.rt.block_on(mock.server.clear_faults());
        mock.fault(Fault::Status(status), "GET /api/tools");
        let out = mock
            .pro()
            .args(["--max-retries", "1", "tools", "list"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = stderr_of(&out);
        assert!(
            stderr.starts_with(&format!("error: {message}\n")),
            "{stderr}"
        );
        assert!(stderr.contains("retried once"), "{stderr}");
        assert!(stderr.contains(&format!("hint: {advice}")), "{stderr}");
    }
}

#[test]
fn failed_generation_exits_3() {
    let mock = Mock::start();
    mock.rt
        .block_on(
            mock.server
                .fail_next_generation("create-image", "NSFW content detected"),
        )
        .unwrap();
    let out = mock
        .pro()
        .args(["run", "create-image", "prompt=x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr_of(&out).contains("NSFW content detected"));
}

#[test]
fn wait_timeout_exits_4_with_the_last_status() {
    let mock = Mock::with(MockServer::builder().speed(100.0));
    let out = mock
        .pro()
        .args(["run", "create-image", "prompt=x", "--timeout", "1s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = stderr_of(&out);
    assert!(stderr.contains("did not finish within"), "{stderr}");
    assert!(stderr.contains("astudio generations wait"), "{stderr}");
}

#[test]
fn unreachable_api_exits_5() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let out = Command::cargo_bin("astudio")
        .unwrap()
        .env("ARTIFICIAL_STUDIO_API_KEY", "k")
        .args([
            "--max-retries",
            "0",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "account",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr_of(&out).contains("could not reach the API"));
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::cargo_bin("astudio")
        .unwrap()
        .args(["run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["run", "create-image", "prompt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("KEY=VALUE"));
}

#[test]
fn verbose_shows_requests_but_never_the_key() {
    let mock = Mock::start();
    let out = mock
        .pro()
        .args(["--verbose", "run", "create-image", "prompt=x"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = stderr_of(&out);
    assert!(stderr.contains("POST /api/run"), "{stderr}");
    assert!(stderr.contains("202"), "{stderr}");
    let all = format!("{stderr}{}", stdout_of(&out));
    assert!(!all.contains("demo-pro-key"), "{all}");
}

/// A reader that goes away (`astudio tools list | head -0`) must not turn into
/// a panic (exit 101 and a backtrace): the output is simply not read.
#[test]
fn a_closed_stdout_is_not_a_crash() {
    let mock = Mock::start();
    for args in [&["tools", "list"][..], &["completions", "bash"][..]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("astudio"))
            .env_remove("ARTIFICIAL_STUDIO_BASE_URL")
            .env("ARTIFICIAL_STUDIO_API_KEY", mock.server.demo_keys().pro)
            .arg("--base-url")
            .arg(mock.server.base_url())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Like `cat` into `head`: the reader left on purpose, so the command
        // did its part. Exit 0, and at most one short line on stderr.
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            stderr.lines().count() <= 1 && stderr.len() <= 200,
            "{args:?}: {stderr}"
        );
    }
}

/// A finished (or, on a slow mock, running) generation of the free demo
/// account, made without the CLI; its id.
fn started_generation(mock: &Mock) -> String {
    let base = mock.server.base_url();
    let key = mock.server.demo_keys().free.to_string();
    let answer: serde_json::Value = mock.rt.block_on(async move {
        reqwest::Client::new()
            .post(format!("{base}/api/run"))
            .header("authorization", key)
            .json(&serde_json::json!({"tool": "create-image", "input": {"prompt": "a fox"}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    answer["id"].as_str().unwrap().to_string()
}

fn delivery_body(dir: &tempfile::TempDir, id: &str) -> std::path::PathBuf {
    let path = dir.path().join("body.json");
    let body = serde_json::json!({
        "id": id, "status": "success", "tool": "create-image", "type": "image",
        "output": "https://evil.example/fake.png", "thumbnail": null,
        "createdAt": "2026-11-25T14:00:00.000Z"
    });
    std::fs::write(&path, body.to_string()).unwrap();
    path
}

#[test]
fn webhook_confirm_prints_the_apis_generation_and_downloads_its_output() {
    let mock = Mock::start();
    let id = started_generation(&mock);
    let dir = tempfile::tempdir().unwrap();
    let body = delivery_body(&dir, &id);
    let saved = dir.path().join("out.png");
    let out = mock
        .astudio(mock.server.demo_keys().free)
        .args(["webhook", "confirm"])
        .arg(&body)
        .args(["-H", "X-Webhook-Source: artificial-studio"])
        .args(["-H", &format!("X-Media-Id: {id}")])
        .arg("--download")
        .arg(&saved)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.contains(&id) && text.contains("success"), "{text}");
    // The output is the API's, not the forged body's.
    assert!(!text.contains("evil.example"), "{text}");
    assert!(std::fs::read(&saved).unwrap().starts_with(b"\x89PNG"));

    // From stdin, as JSON, with the id from the body alone.
    let out = mock
        .astudio(mock.server.demo_keys().free)
        .args(["--json", "webhook", "confirm", "-"])
        .args(["-H", "x-webhook-source: artificial-studio"])
        .write_stdin(std::fs::read(&body).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let generation: Generation = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(generation.id, id);
    assert!(generation.output.unwrap().starts_with("http://127.0.0.1:"));
}

#[test]
fn webhook_confirm_refuses_a_wrong_source_and_a_generation_still_running() {
    let mock = Mock::start();
    let id = started_generation(&mock);
    let dir = tempfile::tempdir().unwrap();
    let body = delivery_body(&dir, &id);
    let out = mock
        .astudio(mock.server.demo_keys().free)
        .args(["webhook", "confirm"])
        .arg(&body)
        .args(["-H", "X-Webhook-Source: someone-else"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("X-Webhook-Source"),
        "{}",
        stderr_of(&out)
    );
    let out = mock
        .astudio(mock.server.demo_keys().free)
        .args(["webhook", "confirm"])
        .arg(&body)
        .args(["-H", "no colon here"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));

    let slow = Mock::with(
        MockServer::builder()
            .speed(1.0)
            .stage_ms(0, 60_000, 0)
            .rate_limits(RateLimits::Off),
    );
    let running = started_generation(&slow);
    let body = delivery_body(&dir, &running);
    let out = slow
        .astudio(slow.server.demo_keys().free)
        .args(["webhook", "confirm"])
        .arg(&body)
        .args(["-H", "X-Webhook-Source: artificial-studio"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("not success") && stderr.contains(&running),
        "{stderr}"
    );
}

#[test]
fn webhook_confirm_help_has_an_example() {
    let out = Command::cargo_bin("astudio")
        .unwrap()
        .args(["webhook", "confirm", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = stdout_of(&out);
    assert!(
        help.contains("Examples:") && help.contains("-H 'X-Webhook-Source: artificial-studio'"),
        "{help}"
    );
}

#[test]
fn mock_session_runs_in_that_session_of_the_mock_only() {
    let mock = Mock::start();
    let free = mock.server.demo_keys().free;
    let out = mock
        .astudio(free)
        .args([
            "--mock-session",
            "job-7",
            "run",
            "create-image",
            "prompt=a fox",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let url = stdout_of(&out);
    let prefix = format!("{}/s/job-7/outputs/", mock.server.base_url());
    assert!(url.trim().starts_with(&prefix), "{url}");
    let session = mock.rt.block_on(mock.server.session("job-7")).unwrap();
    let in_session = mock.rt.block_on(session.credits(free)).unwrap();
    assert!(in_session < 100, "{in_session}");
    assert_eq!(mock.rt.block_on(mock.server.credits(free)).unwrap(), 100);
    // From the environment too.
    let out = mock
        .astudio(free)
        .env("ASTUDIO_MOCK_SESSION", "job-7")
        .args(["--json", "account"])
        .output()
        .unwrap();
    let account: Account = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(account.credits, in_session);
}

#[test]
fn a_bad_mock_session_name_fails_before_sending() {
    let in_session = |name: &str| {
        Command::cargo_bin("astudio")
            .unwrap()
            .env_remove("ARTIFICIAL_STUDIO_API_KEY")
            .env_remove("ARTIFICIAL_STUDIO_BASE_URL")
            .args(["--mock", "--mock-session", name, "account"])
            .output()
            .unwrap()
    };
    let out = in_session("a/b");
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("Invalid mock session name"),
        "{}",
        stderr_of(&out)
    );
    let out = in_session("ci-1");
    assert!(out.status.success(), "{}", stderr_of(&out));
}
