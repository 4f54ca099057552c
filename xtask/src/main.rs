//! Workspace tooling, in the rust-analyzer style: `cargo xtask <command>`.
//!
//! Users of the SDK never need this crate; it keeps the generated code in step
//! with the spec and runs the same checks CI runs.

mod ci;
mod codegen;
mod conformance;
mod process;
mod run_inputs;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Workspace tooling for the Artificial Studio toolkit.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate crates/api-types/src/generated.rs from spec/openapi.yaml.
    Codegen {
        /// Do not write: fail with a diff when the committed file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Run the independent checks against the astudio-mock binary: the Node and
    /// Python clients and schemathesis.
    Conformance,
    /// Run every check CI runs: fmt, clippy, codegen --check, the whole test
    /// suite, the conformance checks.
    Ci,
    /// Measure the mock server, the client and the CLI against their peers
    /// and write BENCHMARKS.md (never part of CI; missed targets do not fail).
    Bench(astudio_bench::Options),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Codegen { check } => codegen::run(&root, check),
        Command::Conformance => conformance::run(&root),
        Command::Ci => ci::run(&root),
        Command::Bench(options) => astudio_bench::run(&root, options),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
