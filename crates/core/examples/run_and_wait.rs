//! Runs a tool and waits for its result, printing each status change.
//!
//! ```sh
//! export ARTIFICIAL_STUDIO_API_KEY=...            # your key
//! export ARTIFICIAL_STUDIO_BASE_URL=http://127.0.0.1:8080   # optional: a mock
//! cargo run -p artificial-studio --example run_and_wait -- "a fox in the snow" fox.png
//! ```
//!
//! The first argument is the prompt (default "a fox"); the second, when given,
//! is a file to download the output to.

use artificial_studio::{Client, Error, WaitOptions};
use serde_json::json;

#[tokio::main]
async fn main() {
    if let Err(err) = run().await {
        eprintln!("error: {err}");
        for issue in err.validation_errors() {
            eprintln!("  - {issue}");
        }
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let prompt = args.next().unwrap_or_else(|| "a fox".to_string());
    let out = args.next();

    let client = Client::from_env()?;
    let options = WaitOptions::default().on_status(|update| {
        eprintln!(
            "[{:>5.1}s] {} is {}",
            update.elapsed.as_secs_f64(),
            update.generation.id,
            update.generation.status
        );
    });
    let image = client
        .run_and_wait("create-image", json!({ "prompt": prompt }), options)
        .await?;
    println!("{}", image.output.as_deref().unwrap_or("(no output)"));

    if let Some(path) = out {
        let mut file = tokio::fs::File::create(&path)
            .await
            .map_err(|e| Error::Io {
                context: format!("cannot create {path}"),
                source: e,
            })?;
        let bytes = client.download(&image, &mut file).await?;
        eprintln!("saved {bytes} bytes to {path}");
    }
    Ok(())
}
