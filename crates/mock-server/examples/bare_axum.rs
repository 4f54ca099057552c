//! The baseline for throughput measurements: bare axum handlers answering the
//! three benchmarked routes with constant bodies, served the same way as
//! `astudio-mock` (axum on tokio, mimalloc, `TCP_NODELAY`), so the ratio of the
//! two is the cost of what the mock does per request.
//!
//! `cargo xtask bench` captures the mock's own answers into files and passes
//! them here, so both servers send the same bytes:
//!
//! ```sh
//! cargo run --release -p artificial-studio-mock --example bare_axum -- 8090 \
//!     --tool tool.json --generation generation.json --run run.json
//! wrk -t2 -c32 -d10s http://127.0.0.1:8090/api/tools/create-image
//! ```
//!
//! The first stdout line is the base URL. `POST /api/run` reads the whole
//! request body before answering `202`, as any server must.

use std::{future::ready, path::PathBuf};

use axum::{
    Router,
    body::{Body, Bytes},
    http::{HeaderValue, StatusCode, header},
    response::Response,
    routing::{get, post},
    serve::ListenerExt,
};
use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Serves constant JSON bodies on the routes `cargo xtask bench` measures.
#[derive(Debug, Parser)]
struct Args {
    /// Port to listen on (0: a free one).
    #[arg(default_value_t = 8090)]
    port: u16,
    /// Body of `GET /api/tools/{slug}` (default: a short constant).
    #[arg(long)]
    tool: Option<PathBuf>,
    /// Body of `GET /api/generations/{id}` (default: a short constant).
    #[arg(long)]
    generation: Option<PathBuf>,
    /// Body of the `202` of `POST /api/run` (default: a short constant).
    #[arg(long)]
    run: Option<PathBuf>,
}

/// The file's bytes, or `default` when no file is given.
fn body(path: Option<&PathBuf>, default: &'static str) -> std::io::Result<Bytes> {
    match path {
        Some(path) => std::fs::read(path).map(Bytes::from),
        None => Ok(Bytes::from_static(default.as_bytes())),
    }
}

/// A JSON answer with a constant body: all the bare server does per request.
fn json(status: StatusCode, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let tool = body(args.tool.as_ref(), r#"{"slug":"create-image"}"#)?;
    let generation = body(args.generation.as_ref(), r#"{"status":"success"}"#)?;
    let run = body(args.run.as_ref(), r#"{"status":"processing"}"#)?;
    let app = Router::new()
        .route(
            "/api/tools/{slug}",
            get(move || ready(json(StatusCode::OK, tool.clone()))),
        )
        .route(
            "/api/generations/{id}",
            get(move || ready(json(StatusCode::OK, generation.clone()))),
        )
        .route(
            "/api/run",
            post(move |_request: Bytes| ready(json(StatusCode::ACCEPTED, run.clone()))),
        );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
    println!("http://{}", listener.local_addr()?);
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await
}
