//! `astudio`'s ordinary journeys against a server that answers only with
//! bodies shaped as the provider publishes them (`tests/fixtures/provider`):
//! fields left out, tools without descriptions, `enum`/`int` input fields,
//! per-second prices, the quick-start's finished generation. Each journey
//! must succeed, and what it prints is pinned.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use std::{collections::HashMap, net::SocketAddr, path::PathBuf};

use assert_cmd::Command;
use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::Value;

/// A tiny PNG (1×1), served as every output and thumbnail.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x00,
    0x01, 0x01, 0x01, 0x00, 0x18, 0xdd, 0x8d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

/// The corpus's bodies by file name, with `{base}` replaced by `base`.
fn bodies(base: &str) -> HashMap<String, Value> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/provider");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace("{base}", base);
            let fixture: Value = serde_json::from_str(&text).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, fixture["body"].clone())
        })
        .collect()
}

type Bodies = std::sync::Arc<HashMap<String, Value>>;

fn answer(bodies: &Bodies, name: &str, status: StatusCode) -> Response {
    match bodies.get(name) {
        Some(body) => (status, axum::Json(body.clone())).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"message": "Not found"})),
        )
            .into_response(),
    }
}

fn not_found(message: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({ "message": message })),
    )
        .into_response()
}

/// A server answering each route with its fixture, on its own runtime.
struct Provider {
    _rt: tokio::runtime::Runtime,
    base: String,
}

impl Provider {
    fn start() -> Provider {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind(SocketAddr::from((
                [127, 0, 0, 1],
                0,
            ))))
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let bodies: Bodies = std::sync::Arc::new(bodies(&base));
        let app = Router::new()
            .route(
                "/api/tools",
                get(|State(b): State<Bodies>| async move { answer(&b, "tools-list", StatusCode::OK) }),
            )
            .route(
                "/api/tools/{slug}",
                get(|State(b): State<Bodies>, Path(slug): Path<String>| async move {
                    let name = match slug.as_str() {
                        "create-video" => "tool-n8n-fixture",
                        "animate-image" => "tool-per-second",
                        "image-background-remover" => "tool-level-schema",
                        _ => return not_found("Tool not found"),
                    };
                    answer(&b, name, StatusCode::OK)
                }),
            )
            .route(
                "/api/search",
                get(|State(b): State<Bodies>| async move { answer(&b, "search-results", StatusCode::OK) }),
            )
            .route(
                "/api/account",
                get(|State(b): State<Bodies>| async move { answer(&b, "account", StatusCode::OK) }),
            )
            .route(
                "/api/generations",
                get(|State(b): State<Bodies>| async move { answer(&b, "generations-list", StatusCode::OK) }),
            )
            .route(
                "/api/generations/{id}",
                get(|State(b): State<Bodies>, Path(id): Path<String>| async move {
                    let name = match id.as_str() {
                        "6a1f00c0ffee00000000a001" => "generation-success-quickstart",
                        "6a1f00c0ffee00000000a003" => "generation-success-full",
                        "6a1f00c0ffee00000000a004" => "generation-error",
                        _ => return not_found("Generation not found"),
                    };
                    answer(&b, name, StatusCode::OK)
                }),
            )
            .route(
                "/api/run",
                post(|State(b): State<Bodies>| async move { answer(&b, "run-accepted", StatusCode::ACCEPTED) }),
            )
            .route(
                "/files",
                post(|State(b): State<Bodies>, _body: Bytes| async move {
                    answer(&b, "upload-multipart", StatusCode::CREATED)
                }),
            )
            .route(
                "/files/{*path}",
                get(|_headers: HeaderMap| async move {
                    ([(header::CONTENT_TYPE, "image/png")], PNG).into_response()
                }),
            )
            .with_state(bodies);
        rt.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Provider { _rt: rt, base }
    }

    fn astudio(&self) -> Command {
        let mut cmd = Command::cargo_bin("astudio").unwrap();
        cmd.env_remove("ARTIFICIAL_STUDIO_BASE_URL")
            .env("ARTIFICIAL_STUDIO_API_KEY", "prod_fixture_key")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "160")
            .arg("--base-url")
            .arg(&self.base);
        cmd
    }

    /// Runs `args`, asserts success, and returns stdout with the base URL replaced.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.astudio().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "astudio {args:?} failed: {stderr}");
        String::from_utf8_lossy(&out.stdout).replace(&self.base, "[BASE]")
    }
}

#[test]
fn tools_list_prints_tools_without_description_or_types() {
    let provider = Provider::start();
    insta::assert_snapshot!(provider.ok(&["tools", "list"]));
}

#[test]
fn tools_show_reads_the_n8n_nodes_schema_spellings() {
    let provider = Provider::start();
    insta::assert_snapshot!(provider.ok(&["tools", "show", "create-video"]));
}

#[test]
fn tools_show_prints_per_second_prices_and_media_fields() {
    let provider = Provider::start();
    let out = provider.ok(&["tools", "show", "animate-image"]);
    assert!(out.contains("27 credits/second"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn tools_show_falls_back_to_the_tools_own_schema() {
    let provider = Provider::start();
    insta::assert_snapshot!(provider.ok(&["tools", "show", "image-background-remover"]));
}

#[test]
fn search_account_and_generations_read_the_published_shapes() {
    let provider = Provider::start();
    insta::assert_snapshot!("search", provider.ok(&["search", "speech"]));
    insta::assert_snapshot!("account", provider.ok(&["account"]));
    insta::assert_snapshot!("generations_list", provider.ok(&["generations", "list"]));
    insta::assert_snapshot!(
        "generation_get_quickstart",
        provider.ok(&["generations", "get", "6a1f00c0ffee00000000a001"])
    );
    insta::assert_snapshot!(
        "generation_get_error",
        provider.ok(&["generations", "get", "6a1f00c0ffee00000000a004"])
    );
}

#[test]
fn run_waits_for_the_quick_starts_generation_and_downloads_it() {
    let provider = Provider::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.png");
    let out = provider.ok(&[
        "run",
        "create-image",
        "prompt=a lighthouse",
        "--download",
        path.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&path).unwrap(), PNG);
    assert_eq!(out.trim(), "[BASE]/files/generations/a001.png");
}

#[test]
fn json_output_keeps_the_services_fields_as_sent() {
    let provider = Provider::start();
    let out = provider.ok(&["--json", "generations", "get", "6a1f00c0ffee00000000a001"]);
    let printed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(printed["status"], "success");
    assert_eq!(printed["type"], "image");
}

#[test]
fn upload_reads_the_multipart_answer() {
    let provider = Provider::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.png");
    std::fs::write(&path, PNG).unwrap();
    let out = provider.ok(&["upload", path.to_str().unwrap()]);
    assert_eq!(out.trim(), "[BASE]/files/uploads/c001.png");
}

#[test]
fn a_file_given_for_a_media_field_is_uploaded_first() {
    let provider = Provider::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("start.png");
    std::fs::write(&path, PNG).unwrap();
    let image = format!("image_url=@{}", path.display());
    let out = provider
        .astudio()
        .args([
            "run",
            "animate-image",
            "prompt=@not-a-file",
            &image,
            "--no-wait",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("uploaded"),
        "the media field's file is uploaded: {stderr}"
    );
    assert!(
        !stderr.contains("not-a-file"),
        "`@` in a text field is text, not a file: {stderr}"
    );
}
