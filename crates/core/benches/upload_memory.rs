//! Peak memory of `Client::upload_file` for a file of a given size: the upload
//! is streamed from disk, so uploading 1 GiB must take no more memory than
//! uploading 16 MiB.
//!
//! The program makes a sparse file of `--size-mib` MiB in a temporary
//! directory, starts a small in-process server that reads the multipart body
//! as a stream and counts its bytes (keeping none), uploads the file with the
//! library, and writes `{size_bytes, received_bytes, peak_rss_kib, seconds}`
//! to `--out`. Peak RSS is `VmHWM` of this process. `cargo xtask bench` runs it
//! once per size, each in a fresh process. Without `--bench` (which `cargo
//! bench` passes and `cargo test --all-targets` does not) it does nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use artificial_studio::{Client, FileUpload, RetryPolicy};
use axum::{
    Router, body::Body, extract::State, http::StatusCode, response::IntoResponse, routing::post,
};
use futures::StreamExt;

/// Reads the whole body as a stream and answers like `POST /files`.
async fn sink(State(received): State<Arc<AtomicU64>>, body: Body) -> impl IntoResponse {
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => {
                received.fetch_add(bytes.len() as u64, Ordering::Relaxed);
            }
            Err(_) => {
                return (StatusCode::BAD_REQUEST, r#"{"message":"Invalid body"}"#).into_response();
            }
        }
    }
    let answer = r#"{"id":"65f1bbbbbbbbbbbbbbbbbbbb","url":"http://127.0.0.1/files/x","type":"file","createdAt":"2026-11-25T14:00:00.000Z"}"#;
    (
        StatusCode::CREATED,
        [("content-type", "application/json")],
        answer,
    )
        .into_response()
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

async fn measure(size_mib: u64) -> Result<serde_json::Value, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("upload.bin");
    let file = std::fs::File::create(&path).map_err(|e| e.to_string())?;
    file.set_len(size_mib * 1024 * 1024)
        .map_err(|e| e.to_string())?;
    drop(file);

    let received = Arc::new(AtomicU64::new(0));
    let app = Router::new()
        .route("/files", post(sink))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let base = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::builder()
        .api_key("bench-key")
        .base_url(base)
        .retry_policy(RetryPolicy::none())
        .no_upload_timeout()
        .build()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    client
        .upload_file(FileUpload::path(&path).with_content_type("application/octet-stream"))
        .await
        .map_err(|e| e.to_string())?;
    Ok(serde_json::json!({
        "size_bytes": size_mib * 1024 * 1024,
        "received_bytes": received.load(Ordering::Relaxed),
        "peak_rss_kib": peak_rss_kib(),
        "seconds": started.elapsed().as_secs_f64(),
    }))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let size = arg(&args, "--size-mib")
        .and_then(|s| s.parse().ok())
        .unwrap_or(16);
    let out = arg(&args, "--out");
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|rt| rt.block_on(measure(size)));
    match result {
        Ok(json) => {
            let text = json.to_string();
            match out {
                Some(path) => {
                    if let Err(e) = std::fs::write(&path, text) {
                        eprintln!("upload_memory: cannot write {path}: {e}");
                        std::process::exit(1);
                    }
                }
                None => println!("{text}"),
            }
        }
        Err(e) => {
            eprintln!("upload_memory: {e}");
            std::process::exit(1);
        }
    }
}
