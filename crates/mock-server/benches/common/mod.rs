//! What the bench binaries of this crate share: the command line that
//! `cargo xtask bench` gives them (`--bench`, `--samples N`, `--out PATH`), a
//! current-thread runtime as `#[tokio::test]` makes, and the JSON report.

use std::future::Future;
use std::process::ExitCode;

/// Runs `measure` with the asked number of samples and writes its report to
/// `--out` (or stdout). Without `--bench` (a plain `cargo test` run of the
/// bench target) it does nothing. `name` prefixes its error messages.
pub fn run<F, Fut>(name: &str, measure: F) -> ExitCode
where
    F: FnOnce(usize) -> Fut,
    Fut: Future<Output = Result<serde_json::Value, String>>,
{
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        return ExitCode::SUCCESS;
    }
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let samples = value_of("--samples")
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let out = value_of("--out");
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|runtime| runtime.block_on(measure(samples)));
    match result {
        Ok(report) => {
            let text = report.to_string();
            match out {
                Some(path) => {
                    if let Err(error) = std::fs::write(&path, text) {
                        eprintln!("{name}: cannot write {path}: {error}");
                        return ExitCode::FAILURE;
                    }
                }
                None => println!("{text}"),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{name}: {error}");
            ExitCode::FAILURE
        }
    }
}
