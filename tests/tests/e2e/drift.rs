//! The ordinary journeys against `astudio-mock --drift`, through the library
//! and through the `astudio` binary: answers without their optional fields,
//! with an unknown field in every object and unknown enum values (see
//! `artificial_studio_mock::drift`). A tolerant client completes them all.

use std::process::Output;
use std::sync::{Arc, Mutex};

use artificial_studio::{
    FileUpload, ListParams,
    types::{Account, Generation, GenerationList, GenerationStatus, Plan, Tool},
};
use futures::TryStreamExt;
use serde_json::json;

use crate::harness::*;

/// A drifting mock whose generations take about 250 ms (200 ms
/// `processing`, 50 ms `uploading`), so a wait sees drifted statuses.
fn drifting_mock() -> Mock {
    Mock::start(&["--drift", "--speed", "0.1", "--rate-limit", "off"])
}

fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
}

#[tokio::test]
async fn the_library_runs_waits_and_downloads_through_drifted_answers() {
    let mock = drifting_mock();
    let client = mock.client(PRO);
    let started = client
        .run("create-image", json!({"prompt": "a fox"}), None)
        .await
        .unwrap();
    assert_eq!(
        started.status,
        GenerationStatus::Unknown("processing-drift".into())
    );
    assert_eq!(started.tool, None, "tool is optional in a run's answer");

    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let options = fast_polls().on_status(move |update| {
        log.lock().unwrap().push(update.generation.status.clone());
    });
    let finished = client.wait(&started.id, options).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert!(seen[0].is_unknown(), "{seen:?}");
    assert_eq!(seen.last(), Some(&GenerationStatus::Success), "{seen:?}");
    assert_eq!(finished.type_, None);
    assert!(finished.payload.is_empty());

    let mut image = Vec::new();
    client.download(&finished, &mut image).await.unwrap();
    assert!(is_png(&image), "the output downloads");

    let again = client
        .run_and_wait("create-image", json!({"prompt": "a cat"}), fast_polls())
        .await
        .unwrap();
    assert_eq!(again.status, GenerationStatus::Success);
    assert!(again.output.is_some());
}

#[tokio::test]
async fn the_library_lists_reads_and_describes_through_drifted_answers() {
    let mock = drifting_mock();
    let client = mock.client(FREE);

    let tools = client.tools().await.unwrap();
    assert!(tools.iter().any(|t| t.slug == "create-image"), "{tools:?}");
    assert!(
        tools
            .iter()
            .all(|t| t.type_.is_none() && !t.name.is_empty())
    );
    let tool = client.tool("text-to-speech").await.unwrap();
    assert_eq!(tool.slug, "text-to-speech");
    assert!(tool.models.is_empty(), "models are optional");
    let found = client.search("speech").await.unwrap();
    assert!(found.iter().any(|t| t.slug == "text-to-speech"));

    let account = client.account().await.unwrap();
    assert_eq!(account.plan, Plan::Unknown("free-drift".into()));
    assert_eq!(account.credits, 100);

    let uploaded = client
        .upload_file(FileUpload::bytes(b"GIF89a".to_vec(), "cat.gif"))
        .await
        .unwrap();
    assert_eq!(uploaded.type_, None);
    assert!(uploaded.url.starts_with(&mock.base));

    let mut created = Vec::new();
    for n in 0..3 {
        let started = client
            .run("create-image", json!({"prompt": format!("fox {n}")}), None)
            .await
            .unwrap();
        created.push(started.id);
    }
    let page = client
        .generations(&ListParams::new().limit(2))
        .await
        .unwrap();
    assert_eq!(page.pagination, None);
    assert_eq!(page.data.len(), 2);
    let every: Vec<String> = client
        .generations_stream(ListParams::new().limit(2))
        .map_ok(|g| g.id)
        .try_collect()
        .await
        .unwrap();
    let newest_first: Vec<String> = created.iter().rev().cloned().collect();
    assert_eq!(every, newest_first, "walked without pagination");
    for id in &created {
        assert_eq!(&client.generation(id).await.unwrap().id, id);
    }
}

async fn astudio(mock: &Mock, args: &[&str]) -> Output {
    mock.astudio(PRO).args(args).output().await.unwrap()
}

#[track_caller]
fn succeeded(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn astudio_runs_waits_and_downloads_against_a_drifting_mock() {
    let mock = drifting_mock();
    let dir = tempfile::tempdir().unwrap();
    let fox = dir.path().join("fox.png");
    let fox_path = fox.to_str().unwrap();

    let output = astudio(
        &mock,
        &[
            "run",
            "create-image",
            "prompt=a fox",
            "--download",
            fox_path,
        ],
    )
    .await;
    let printed = succeeded(&output);
    assert!(
        printed
            .trim()
            .starts_with(&format!("{}/outputs/", mock.base)),
        "{printed}"
    );
    assert!(is_png(&std::fs::read(&fox).unwrap()), "a PNG was saved");
    let progress = String::from_utf8_lossy(&output.stderr);
    assert!(progress.contains("processing-drift"), "{progress}");

    let saved = dir.path().join("saved");
    let generation: Generation = serde_json::from_str(&succeeded(
        &astudio(
            &mock,
            &[
                "--json",
                "run",
                "create-image",
                "prompt=a cat",
                "--download-dir",
                saved.to_str().unwrap(),
            ],
        )
        .await,
    ))
    .unwrap();
    assert_eq!(generation.status, GenerationStatus::Success);
    let file = saved.join(format!("{}.png", generation.id));
    assert!(is_png(&std::fs::read(&file).unwrap()), "{}", file.display());

    // The tool's input schema is optional, so drifted away: `image_urls`
    // is still sent as a list (its name says so), and the file uploaded.
    let image_urls = format!("image_urls=@{fox_path}");
    let edited: Generation = serde_json::from_str(&succeeded(
        &astudio(
            &mock,
            &[
                "--json",
                "run",
                "edit-image",
                "prompt=make it night",
                &image_urls,
            ],
        )
        .await,
    ))
    .unwrap();
    assert_eq!(edited.status, GenerationStatus::Success);
    assert_eq!(
        edited.output.as_deref().map(|o| o.ends_with(".png")),
        Some(true)
    );

    let id =
        succeeded(&astudio(&mock, &["run", "create-image", "prompt=a owl", "--no-wait"]).await);
    let id = id.trim();
    succeeded(&astudio(&mock, &["generations", "wait", id]).await);
}

#[tokio::test]
async fn astudio_lists_shows_searches_and_reads_the_account_of_a_drifting_mock() {
    let mock = drifting_mock();
    let id = mock
        .client(PRO)
        .run_and_wait("create-image", json!({"prompt": "a fox"}), fast_polls())
        .await
        .unwrap()
        .id;

    assert!(succeeded(&astudio(&mock, &["tools", "list"]).await).contains("create-image"));
    assert!(
        succeeded(&astudio(&mock, &["tools", "show", "create-image"]).await)
            .contains("create-image")
    );
    assert!(succeeded(&astudio(&mock, &["search", "speech"]).await).contains("text-to-speech"));
    assert!(succeeded(&astudio(&mock, &["account"]).await).contains("pro-drift"));
    assert!(succeeded(&astudio(&mock, &["generations", "list"]).await).contains(&id));
    assert!(succeeded(&astudio(&mock, &["generations", "list", "--all"]).await).contains(&id));
    assert!(succeeded(&astudio(&mock, &["generations", "get", &id]).await).contains("success"));

    let json_of = |args: &'static [&'static str]| {
        let mock = &mock;
        async move {
            let mut all = vec!["--json"];
            all.extend_from_slice(args);
            succeeded(&astudio(mock, &all).await)
        }
    };
    let account: Account = serde_json::from_str(&json_of(&["account"]).await).unwrap();
    assert_eq!(account.plan, Plan::Unknown("pro-drift".into()));
    let tool: Tool =
        serde_json::from_str(&json_of(&["tools", "show", "create-image"]).await).unwrap();
    assert_eq!(tool.slug, "create-image");
    let list: GenerationList =
        serde_json::from_str(&json_of(&["generations", "list"]).await).unwrap();
    assert_eq!(list.data[0].id, id);
}
