//! `cargo xtask ci`: every check CI runs, in order, stopping at the first failure.

use std::path::Path;

use anyhow::Result;

use crate::{codegen, process::run as sh};

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
    sh(
        root,
        "cargo",
        &[
            "nextest",
            "run",
            "--workspace",
            "--all-targets",
            "--locked",
            "--no-fail-fast",
        ],
    )?;
    sh(root, "cargo", &["test", "--workspace", "--doc", "--locked"])?;
    println!("ci: all checks passed");
    Ok(())
}
