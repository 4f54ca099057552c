//! `cargo xtask conformance`: the checks none of our crates can fake.
//!
//! Starts the `astudio-mock` binary as a separate process for each check and
//! runs against it: the Node client written like the seed's "Handling errors"
//! example, the Python client written like the provider's quick-start, and
//! schemathesis with every check over every operation of `spec/openapi.yaml`.
//! Python packages go into a virtualenv under `target/`, nothing global.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::process::run as sh;

const REQUIREMENTS: &str = "tests/conformance/requirements.txt";

/// Builds the binaries, then runs every check (see [`checks`]).
pub fn run(root: &Path) -> Result<()> {
    build_binaries(root)?;
    checks(root)
}

/// Runs every independent check against a fresh mock server each; the
/// binaries must be built (see [`build_binaries`]).
pub fn checks(root: &Path) -> Result<()> {
    let python = python_env(root)?;
    let instant = ["--speed", "0"];
    against_mock(root, &instant, "node", &["tests/clients/seed_errors.mjs"])?;
    let py = python.join("python");
    against_mock(
        root,
        &instant,
        path_str(&py)?,
        &["tests/clients/quickstart.py"],
    )?;
    let script = root.join("tests/conformance/schemathesis.sh");
    against_mock(
        root,
        &[
            "--speed",
            "0",
            "--rate-limit",
            "off",
            "--config",
            "tests/conformance/accounts.toml",
        ],
        "bash",
        &[path_str(&script)?, path_str(&python)?],
    )?;
    println!("conformance: node, python and schemathesis checks passed");
    Ok(())
}

/// Runs `program` with the base URL of a mock started with `mock_args` in
/// `ARTIFICIAL_STUDIO_BASE_URL`; the mock stops when it returns.
fn against_mock(root: &Path, mock_args: &[&str], program: &str, args: &[&str]) -> Result<()> {
    let mock = MockProcess::start(root, mock_args)?;
    sh_env(root, program, args, &mock.base_url)
}

/// Builds `astudio-mock` and `astudio` with the same command as the
/// end-to-end suite's harness (`tests/tests/e2e/harness.rs`), so that both
/// find them fresh and share one set of compiled dependencies.
pub fn build_binaries(root: &Path) -> Result<()> {
    sh(
        root,
        "cargo",
        &[
            "build",
            "--locked",
            "-p",
            "artificial-studio-mock",
            "--bin",
            "astudio-mock",
            "-p",
            "artificial-studio-cli",
            "--bin",
            "astudio",
        ],
    )
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .with_context(|| format!("{} is not UTF-8", path.display()))
}

/// Runs a command with the mock's base URL in `ARTIFICIAL_STUDIO_BASE_URL`.
fn sh_env(root: &Path, program: &str, args: &[&str], base_url: &str) -> Result<()> {
    println!(
        "$ ARTIFICIAL_STUDIO_BASE_URL={base_url} {program} {}",
        args.join(" ")
    );
    let status = Command::new(program)
        .args(args)
        .current_dir(root)
        .env("ARTIFICIAL_STUDIO_BASE_URL", base_url)
        .status()
        .with_context(|| format!("starting {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

/// A virtualenv under `target/` with the pinned requirements; reused while the
/// requirements file is unchanged. Returns its `bin` directory.
fn python_env(root: &Path) -> Result<PathBuf> {
    let venv = root.join("target/conformance-venv");
    let bin = venv.join("bin");
    let requirements = std::fs::read_to_string(root.join(REQUIREMENTS))
        .with_context(|| format!("reading {REQUIREMENTS}"))?;
    let stamp = venv.join("requirements.installed");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(requirements.as_str()) {
        return Ok(bin);
    }
    sh(
        root,
        "python3",
        &["-m", "venv", "--clear", path_str(&venv)?],
    )?;
    let pip = bin.join("pip");
    sh(
        root,
        path_str(&pip)?,
        &[
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            REQUIREMENTS,
        ],
    )?;
    std::fs::write(&stamp, requirements)?;
    Ok(bin)
}

/// The `astudio-mock` binary running on a free port; killed on drop.
struct MockProcess {
    child: Child,
    base_url: String,
}

impl MockProcess {
    fn start(root: &Path, args: &[&str]) -> Result<MockProcess> {
        let binary = root.join("target/debug/astudio-mock");
        println!("$ {} --port 0 {}", binary.display(), args.join(" "));
        let mut child = Command::new(&binary)
            .args(["--port", "0"])
            .args(args)
            .current_dir(root)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("no stdout from astudio-mock")?;
        let mut reader = BufReader::new(stdout);
        let mut first_line = String::new();
        reader.read_line(&mut first_line)?;
        let base_url = first_line.trim().to_string();
        // Keep reading what it prints after the URL (the demo keys), so that
        // its writes never meet a closed pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut reader, &mut std::io::stdout());
        });
        if !base_url.starts_with("http://") {
            let _ = child.kill();
            bail!("astudio-mock printed {first_line:?} instead of its base URL");
        }
        Ok(MockProcess { child, base_url })
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
