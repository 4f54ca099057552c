//! The `astudio` binary against the `astudio-mock` binary: two processes
//! talking over loopback, as a user runs them.

use std::process::Output;

use artificial_studio::types::{Account, Generation, GenerationList, GenerationStatus, Tool};
use artificial_studio_types::{ErrorBody, messages};
use serde_json::json;

use crate::harness::*;

async fn astudio(mock: &Mock, key: &str, args: &[&str]) -> Output {
    mock.astudio(key).args(args).output().await.unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// Runs with `--json` and reads stdout as `T`, after a success.
async fn json_of<T: serde::de::DeserializeOwned>(mock: &Mock, key: &str, args: &[&str]) -> T {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let output = astudio(mock, key, &all).await;
    assert_exit(&output, 0);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)))
}

#[tokio::test]
async fn astudio_runs_uploads_lists_and_downloads_against_the_mock_process() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let dir = tempfile::tempdir().unwrap();
    let fox = dir.path().join("fox.png");
    let fox_path = fox.to_str().unwrap();

    let output = astudio(
        &mock,
        PRO,
        &[
            "run",
            "create-image",
            "prompt=a fox",
            "--download",
            fox_path,
        ],
    )
    .await;
    assert_exit(&output, 0);
    assert!(
        stdout(&output)
            .trim()
            .starts_with(&format!("{}/outputs/", mock.base))
    );
    let bytes = std::fs::read(&fox).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG was saved");

    let output = astudio(&mock, PRO, &["upload", fox_path]).await;
    assert_exit(&output, 0);
    let url = stdout(&output).trim().to_string();
    assert!(url.starts_with(&format!("{}/files/", mock.base)), "{url}");
    let served = Answer::of(mock.http.get(&url)).await;
    assert_eq!(served.bytes.as_ref(), bytes.as_slice());

    let image_urls = format!("image_urls=@{fox_path}");
    let edited: Generation = json_of(
        &mock,
        PRO,
        &["run", "edit-image", "prompt=make it night", &image_urls],
    )
    .await;
    assert_eq!(edited.status, GenerationStatus::Success);
    let sent = edited.payload["image_urls"][0].as_str().unwrap();
    assert!(
        sent.starts_with(&format!("{}/files/", mock.base)),
        "uploaded first: {sent}"
    );

    let list: GenerationList = json_of(&mock, PRO, &["generations", "list"]).await;
    assert_eq!(list.pagination.unwrap().total, Some(2));
    assert_eq!(list.data[0].id, edited.id, "newest first");
    let got: Generation = json_of(&mock, PRO, &["generations", "get", &edited.id]).await;
    assert_eq!(got, edited);
    let account: Account = json_of(&mock, PRO, &["account"]).await;
    assert_eq!(account.credits, 100_000 - 6 - 5);
    let tool: Tool = json_of(&mock, PRO, &["tools", "show", "create-image"]).await;
    assert_eq!(tool.models[0].cost, Some(6.0));
    let output = astudio(&mock, PRO, &["search", "speech"]).await;
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("text-to-speech"));
}

#[tokio::test]
async fn astudio_exits_with_the_documented_code_for_each_row_of_the_error_table() {
    let mut mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let run = ["run", "create-image", "prompt=a fox"];

    let cases: [(&str, Vec<&str>, &str); 3] = [
        (EMPTY, run.to_vec(), messages::NOT_ENOUGH_CREDITS),
        ("not-a-key", vec!["account"], messages::INVALID_API_KEY),
        (
            PRO,
            vec!["run", "make-coffee", "prompt=x"],
            messages::TOOL_NOT_FOUND,
        ),
    ];
    for (key, args, message) in cases {
        let output = astudio(&mock, key, &args).await;
        assert_exit(&output, 1);
        assert!(stderr(&output).contains(message), "{}", stderr(&output));
    }

    let id = mock
        .client(PRO)
        .run("create-image", json!({"prompt": "mine"}), None)
        .await
        .unwrap()
        .id;
    let output = astudio(&mock, FREE, &["--json", "generations", "get", &id]).await;
    assert_exit(&output, 1);
    let body: ErrorBody = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(
        body.message,
        messages::NO_ACCESS,
        "--json errors are the API's body"
    );

    mock.inject(json!({"fault": "503", "route": "GET /api/account", "count": 1}))
        .await;
    let output = astudio(&mock, FREE, &["--max-retries", "0", "account"]).await;
    assert_exit(&output, 1);
    assert!(
        stderr(&output).contains(messages::SERVICE_UNAVAILABLE),
        "{}",
        stderr(&output)
    );

    mock.fail_next("create-image", "NSFW content detected", 1)
        .await;
    let output = astudio(&mock, PRO, &run).await;
    assert_exit(&output, 3);
    assert!(
        stderr(&output).contains("NSFW content detected"),
        "{}",
        stderr(&output)
    );

    mock.kill();
    let output = astudio(&mock, PRO, &["--max-retries", "0", "account"]).await;
    assert_exit(&output, 5);
}
