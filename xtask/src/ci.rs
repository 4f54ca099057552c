//! `cargo xtask ci`: every check CI runs, in order, stopping at the first failure.
//!
//! This is the README's test command and what `.ci/run` calls.

use std::path::Path;

use anyhow::Result;

use crate::{codegen, conformance, process::run as sh};

/// Runs formatting, lints, the codegen check and the whole test suite.
pub fn run(root: &Path) -> Result<()> {
    sh(root, "cargo", &["fmt", "--all", "--check"])?;
    sh(
        root,
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    println!("$ cargo xtask codegen --check");
    codegen::run(root, true)?;
    // The binaries the end-to-end suite and `cargo xtask conformance` start,
    // built with the command they use (see `conformance::build_binaries`), so
    // that no test waits for Cargo.
    conformance::build_binaries(root)?;
    sh(
        root,
        "cargo",
        &[
            "nextest",
            "run",
            "--config-file",
            ".cargo/nextest.toml",
            "--workspace",
            "--all-targets",
            "--locked",
            "--no-fail-fast",
        ],
    )?;
    sh(root, "cargo", &["test", "--workspace", "--doc", "--locked"])?;
    println!("$ cargo xtask conformance");
    conformance::checks(root)?;
    println!("ci: all checks passed");
    Ok(())
}
