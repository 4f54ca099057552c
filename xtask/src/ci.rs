//! `cargo xtask ci`: every check CI runs, in order, stopping at the first failure.
//!
//! This is the README's test command and what `.ci/run` calls. It installs
//! `cargo-nextest` from crates.io first when Cargo cannot find it, and
//! Debian's `redis-server` (the mock's Redis store's tests start one) when it
//! is not on PATH, so a machine with only Rust, Python and Node runs it
//! unaided.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Result, bail};

use crate::{codegen, conformance, process::run as sh};

/// Runs formatting, lints, the codegen check and the whole test suite.
pub fn run(root: &Path) -> Result<()> {
    ensure_nextest(root)?;
    ensure_redis(root)?;
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
    // The mock without its default `redis` feature, as the CLI embeds it:
    // a build that must stay free of warnings too.
    sh(
        root,
        "cargo",
        &[
            "clippy",
            "-p",
            "artificial-studio-mock",
            "--no-default-features",
            "--lib",
            "--bins",
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

/// Installs `cargo-nextest` (`cargo install --locked`, from crates.io) unless
/// `cargo nextest --version` already answers as cargo-nextest.
fn ensure_nextest(root: &Path) -> Result<()> {
    println!("$ cargo nextest --version");
    let found = nextest_version(root);
    if !needs_install(found.as_deref()) {
        println!("ci: found {}", found.unwrap_or_default());
        return Ok(());
    }
    println!("ci: cargo-nextest is missing; installing it from crates.io");
    sh(root, "cargo", &["install", "--locked", "cargo-nextest"])?;
    let found = nextest_version(root);
    if needs_install(found.as_deref()) {
        bail!(
            "cargo-nextest was installed but `cargo nextest` still does not run: \
             is Cargo's bin directory (CARGO_HOME/bin) on PATH?"
        );
    }
    println!("ci: installed {}", found.unwrap_or_default());
    Ok(())
}

/// Installs Debian's `redis-server` (`apt-get install -y redis-server`, with
/// `sudo -n` unless CI runs as root) unless `redis-server --version` runs.
fn ensure_redis(root: &Path) -> Result<()> {
    println!("$ redis-server --version");
    if answers(root, "redis-server", &["--version"]) {
        return Ok(());
    }
    println!("ci: redis-server is missing; installing Debian's redis-server");
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    let (program, prefix): (&str, &[&str]) = if root_user {
        ("apt-get", &[])
    } else {
        ("sudo", &["-n", "apt-get"])
    };
    let with = |args: &[&'static str]| [prefix, args].concat();
    sh(root, program, &with(&["update"]))?;
    sh(root, program, &with(&["install", "-y", "redis-server"]))?;
    if !answers(root, "redis-server", &["--version"]) {
        bail!("redis-server was installed but does not run: is /usr/bin on PATH?");
    }
    Ok(())
}

/// Whether `program args` runs and succeeds.
fn answers(root: &Path, program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The first line `cargo nextest --version` prints, when it succeeds.
fn nextest_version(root: &Path) -> Option<String> {
    let out = Command::new("cargo")
        .args(["nextest", "--version"])
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(|line| line.trim().to_string())
}

/// Whether CI must install cargo-nextest, given what `cargo nextest
/// --version` printed (`None`: it failed). Only cargo-nextest's own version
/// line (`cargo-nextest 0.9.100 (...)`) counts as installed.
fn needs_install(version: Option<&str>) -> bool {
    !version.is_some_and(|v| v.starts_with("cargo-nextest "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nextest_answering_with_its_version_is_not_reinstalled() {
        assert!(!needs_install(Some(
            "cargo-nextest 0.9.143 (60fa45f63 2026-08-04)"
        )));
    }

    #[test]
    fn nextest_failing_to_run_is_installed() {
        assert!(needs_install(None));
    }

    #[test]
    fn another_program_answering_is_not_taken_for_nextest() {
        assert!(needs_install(Some("")));
        assert!(needs_install(Some("cargo 1.89.0 (c24e10642 2025-06-23)")));
    }
}
