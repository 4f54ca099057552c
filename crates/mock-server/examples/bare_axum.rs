//! The baseline for throughput measurements: a bare axum handler returning a
//! constant JSON body, served the same way as `astudio-mock` (axum on tokio).
//!
//! ```sh
//! cargo run --release -p artificial-studio-mock --example bare_axum -- 8090
//! wrk -t2 -c64 -d10s http://127.0.0.1:8090/api/tools/create-image
//! ```

use axum::{Router, http::header, routing::get};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "8090".to_string());
    let app = Router::new().route(
        "/api/tools/create-image",
        get(|| async {
            (
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"slug":"create-image"}"#,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
