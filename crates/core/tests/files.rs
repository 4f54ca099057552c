//! Uploads (multipart, streamed from disk) and downloads (streamed to a writer).

// Helpers here panic on purpose: in a test, a panic is a failed assertion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write as _;
use std::sync::{Arc, Mutex};

use artificial_studio::types::UploadedFileType;
use artificial_studio::{Error, FileUpload};
use axum::extract::{DefaultBodyLimit, Multipart};
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What the upload server saw of the `file` part.
#[derive(Debug, Clone, Default, PartialEq)]
struct Received {
    file_name: Option<String>,
    content_type: Option<String>,
    len: usize,
    checksum: u64,
    authorization: Option<String>,
}

fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

/// An axum server for `POST /files` that parses the multipart body and
/// records what it got.
async fn upload_server() -> (String, Arc<Mutex<Vec<Received>>>) {
    let seen: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new()
        .route(
            "/files",
            axum::routing::post(move |headers: axum::http::HeaderMap, mut multipart: Multipart| {
                let log = log.clone();
                async move {
                    let mut received = Received {
                        authorization: headers.get("authorization").and_then(|v| v.to_str().ok()).map(String::from),
                        ..Received::default()
                    };
                    while let Some(field) = multipart.next_field().await.unwrap() {
                        assert_eq!(field.name(), Some("file"));
                        received.file_name = field.file_name().map(String::from);
                        received.content_type = field.content_type().map(String::from);
                        let bytes = field.bytes().await.unwrap();
                        received.len = bytes.len();
                        received.checksum = checksum(&bytes);
                    }
                    let kind = match received.content_type.as_deref() {
                        Some(ct) if ct.starts_with("image/") => "image",
                        Some(ct) if ct.starts_with("audio/") => "audio",
                        _ => "file",
                    };
                    log.lock().unwrap().push(received);
                    (
                        axum::http::StatusCode::CREATED,
                        axum::Json(json!({"id": "65f1bbbbbbbbbbbbbbbbbbbb", "url": "https://cdn.example.com/files/x", "type": kind, "createdAt": "2026-11-25T14:00:00.000Z"})),
                    )
                }
            }),
        )
        .layer(DefaultBodyLimit::disable());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), seen)
}

fn temp_file(name: &str, size: usize) -> (tempfile::TempDir, std::path::PathBuf, u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let mut file = std::fs::File::create(&path).unwrap();
    let mut data = Vec::with_capacity(size);
    let mut x = 12345u32;
    for _ in 0..size {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        data.push((x >> 16) as u8);
    }
    file.write_all(&data).unwrap();
    (dir, path, checksum(&data))
}

#[tokio::test]
async fn a_file_on_disk_arrives_intact_as_the_multipart_file_field() {
    let (base, seen) = upload_server().await;
    let (_dir, path, sum) = temp_file("photo.jpg", 8 * 1024 * 1024 + 3);
    let uploaded = client(&base)
        .upload_file(FileUpload::path(&path))
        .await
        .unwrap();
    assert_eq!(uploaded.type_, Some(UploadedFileType::Image));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [Received {
            file_name: Some("photo.jpg".into()),
            content_type: Some("image/jpeg".into()),
            len: 8 * 1024 * 1024 + 3,
            checksum: sum,
            authorization: Some(KEY.into()),
        }]
    );
}

#[tokio::test]
async fn bytes_upload_with_the_given_name_and_content_type() {
    let (base, seen) = upload_server().await;
    let upload =
        FileUpload::bytes(b"RIFF....WAVE".to_vec(), "voice.bin").with_content_type("audio/wav");
    let uploaded = client(&base).upload_file(upload).await.unwrap();
    assert_eq!(uploaded.type_, Some(UploadedFileType::Audio));
    let seen = seen.lock().unwrap()[0].clone();
    assert_eq!(seen.file_name.as_deref(), Some("voice.bin"));
    assert_eq!(seen.content_type.as_deref(), Some("audio/wav"));
    assert_eq!(seen.len, 12);
}

#[tokio::test]
async fn a_retried_upload_opens_the_file_again_and_sends_it_whole() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "f", "url": "https://cdn.example.com/f", "type": "file", "createdAt": "2026-11-25T14:00:00Z"})))
        .mount(&server)
        .await;
    let (_dir, path, _) = temp_file("data.bin", 100_000);
    client(&server.uri()).upload_file(path).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    // Each attempt has its own multipart boundary, so compare sizes, not bytes.
    let sizes: Vec<usize> = requests.iter().map(|r| r.body.len()).collect();
    assert_eq!(sizes[0], sizes[1]);
    assert!(sizes[0] > 100_000, "{sizes:?}");
}

#[tokio::test]
async fn a_missing_file_is_an_io_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let err = client(&server.uri())
        .upload_file(FileUpload::path("/definitely/not/here.png"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("/definitely/not/here.png"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn download_streams_the_output_to_the_writer() {
    let server = MockServer::start().await;
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(path(format!("/outputs/{ID}.png")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(content.clone(), "image/png"))
        .mount(&server)
        .await;
    let mut generation: artificial_studio::types::Generation =
        serde_json::from_value(generation(ID, "success")).unwrap();
    generation.output = Some(format!("{}/outputs/{ID}.png", server.uri()));
    let mut out = Vec::new();
    let written = client(&server.uri())
        .download(&generation, &mut out)
        .await
        .unwrap();
    assert_eq!(written, content.len() as u64);
    assert!(out == content);
    // Same origin as the API: the key goes along.
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers.get("authorization").unwrap(), KEY);
}

#[tokio::test]
async fn the_key_is_never_sent_to_another_host() {
    let api = MockServer::start().await;
    let cdn = MockServer::start().await;
    Mock::given(path("/a.png"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"png".to_vec(), "image/png"))
        .mount(&cdn)
        .await;
    let mut out = Vec::new();
    client(&api.uri())
        .download_url(&format!("{}/a.png", cdn.uri()), &mut out)
        .await
        .unwrap();
    assert_eq!(out, b"png");
    let request = &cdn.received_requests().await.unwrap()[0];
    assert!(request.headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_generation_without_output_cannot_be_downloaded() {
    let server = MockServer::start().await;
    let generation: artificial_studio::types::Generation =
        serde_json::from_value(generation(ID, "processing")).unwrap();
    let err = client(&server.uri())
        .download(&generation, &mut Vec::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }));
    assert!(err.to_string().contains("processing"), "{err}");
}

#[tokio::test]
async fn a_missing_output_file_is_an_api_error() {
    let server = MockServer::start().await;
    let mut out = Vec::new();
    let err = client(&server.uri())
        .download_url(&format!("{}/outputs/gone.png", server.uri()), &mut out)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(out.is_empty());
}

#[tokio::test]
async fn an_upload_whose_answer_never_comes_times_out() {
    let addr = silent_server().await;
    let client = builder(&format!("http://{addr}"))
        .retry_policy(artificial_studio::RetryPolicy::none())
        .upload_timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client
        .upload_file(FileUpload::bytes(vec![1u8; 1024], "a.bin"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                timed_out: true,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_download_that_stalls_mid_body_is_a_transport_error_after_the_idle_timeout() {
    let head =
        b"HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: 1000\r\n\r\n0123456789";
    let addr = raw_server(head.to_vec(), true).await;
    let client = builder(&format!("http://{addr}"))
        .timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let mut out = Vec::new();
    let err = client
        .download_url(&format!("http://{addr}/outputs/x.png"), &mut out)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                timed_out: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("after 10 bytes"), "{err}");
    assert_eq!(out, b"0123456789");
}

#[tokio::test]
async fn the_raw_forms_answer_decodes_too() {
    // The answer of `POST /api/files` (the n8n node's form), as a server
    // might give it to `POST /files`: no `type`, no `createdAt`.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "65f1bbbbbbbbbbbbbbbbbbbc",
            "url": "https://cdn.example.com/files/65f1bbbbbbbbbbbbbbbbbbbc/chair.glb",
            "mimetype": "model/gltf-binary",
            "size": 48213,
            "originalName": "chair.glb"
        })))
        .mount(&server)
        .await;
    let uploaded = client(&server.uri())
        .upload_file(FileUpload::bytes(b"glTF".to_vec(), "chair.glb"))
        .await
        .unwrap();
    assert_eq!(uploaded.id, "65f1bbbbbbbbbbbbbbbbbbbc");
    assert_eq!(uploaded.mimetype.as_deref(), Some("model/gltf-binary"));
    assert_eq!(uploaded.size, Some(48213));
    assert_eq!(uploaded.original_name.as_deref(), Some("chair.glb"));
    assert_eq!(uploaded.type_, None);
    assert_eq!(uploaded.created_at, None);
}

#[tokio::test]
async fn the_mocks_raw_form_answer_decodes_as_an_uploaded_file() {
    let server = artificial_studio_mock::MockServer::builder()
        .speed(0.0)
        .start()
        .await
        .unwrap();
    let answer = reqwest::Client::new()
        .post(format!("{}/api/files?transient=true", server.base_url()))
        .header("authorization", server.demo_keys().free)
        .header("content-type", "model/gltf-binary")
        .header("x-filename", "chair.glb")
        .body(b"glTF\x02\x00\x00\x00".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let uploaded: artificial_studio::types::UploadedFile = answer.json().await.unwrap();
    assert_eq!(uploaded.size, Some(8));
    assert_eq!(uploaded.original_name.as_deref(), Some("chair.glb"));
    assert!(uploaded.url.ends_with("/chair.glb"));
}

#[tokio::test]
async fn a_glb_uploaded_to_the_mock_is_an_object_and_comes_back_intact() {
    let server = artificial_studio_mock::MockServer::builder()
        .speed(0.0)
        .start()
        .await
        .unwrap();
    let client = builder(&server.base_url())
        .api_key(server.demo_keys().free)
        .build()
        .unwrap();
    let (_dir, path, sum) = temp_file("chair.glb", 5000);
    let uploaded = client.upload_file(FileUpload::path(&path)).await.unwrap();
    assert_eq!(uploaded.type_, Some(UploadedFileType::Object));
    let mut served = Vec::new();
    client
        .download_url(&uploaded.url, &mut served)
        .await
        .unwrap();
    assert_eq!((served.len(), checksum(&served)), (5000, sum));
}
