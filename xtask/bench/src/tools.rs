//! The outside tools the benchmark needs, installed when missing: `wrk` (apt)
//! or else `oha` (cargo install), `hyperfine` (apt, else cargo install), Prism
//! (npm, into a scratch directory under `target/`), and Python's `requests`
//! (a virtualenv under `target/` when the system Python lacks it).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::load::Generator;
use crate::procs::{self, which};

/// The Prism version measured: pinned, so reruns compare like with like.
pub const PRISM_VERSION: &str = "5.16.0";

/// Installs tools once per run, remembering whether `apt-get update` ran.
pub struct Installer {
    tools_dir: PathBuf,
    apt_updated: bool,
}

impl Installer {
    /// Tools not found on `PATH` go under `tools_dir` (`target/bench-tools`).
    pub fn new(tools_dir: PathBuf) -> Self {
        Installer {
            tools_dir,
            apt_updated: false,
        }
    }

    fn apt_install(&mut self, package: &str) -> Result<()> {
        if which("apt-get").is_none() {
            bail!("no apt-get here");
        }
        if !self.apt_updated {
            procs::status(Command::new("apt-get").args(["update", "-qq"]))?;
            self.apt_updated = true;
        }
        procs::status(
            Command::new("apt-get")
                .args(["install", "-y", "-qq", "--no-install-recommends", package])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    }

    fn cargo_install(&self, krate: &str) -> Result<PathBuf> {
        let bin = self.tools_dir.join("bin").join(krate);
        if bin.is_file() {
            return Ok(bin);
        }
        procs::status(
            Command::new("cargo")
                .args(["install", "--locked", "--quiet", krate, "--root"])
                .arg(&self.tools_dir),
        )?;
        Ok(bin)
    }

    /// `wrk` from `PATH` or apt; else `oha` from crates.io. `prefer` forces one.
    pub fn load_generator(&mut self, prefer: Option<&str>) -> Result<Generator> {
        if prefer != Some("oha") {
            if let Some(wrk) = which("wrk") {
                return Ok(Generator::Wrk(wrk));
            }
            match self.apt_install("wrk") {
                Ok(()) => {
                    if let Some(wrk) = which("wrk") {
                        return Ok(Generator::Wrk(wrk));
                    }
                }
                Err(error) => println!("bench: no wrk ({error:#}); installing oha instead"),
            }
            if prefer == Some("wrk") {
                bail!("wrk was asked for and could not be installed");
            }
        }
        if let Some(oha) = which("oha") {
            return Ok(Generator::Oha(oha));
        }
        Ok(Generator::Oha(self.cargo_install("oha")?))
    }

    /// `hyperfine` from `PATH`, apt, or crates.io.
    pub fn hyperfine(&mut self) -> Result<PathBuf> {
        if let Some(path) = which("hyperfine") {
            return Ok(path);
        }
        let local = self.tools_dir.join("bin/hyperfine");
        if local.is_file() {
            return Ok(local);
        }
        if let Err(error) = self.apt_install("hyperfine") {
            println!("bench: no hyperfine from apt ({error:#}); trying cargo install");
        }
        match which("hyperfine") {
            Some(path) => Ok(path),
            None => self.cargo_install("hyperfine"),
        }
    }

    /// Where the pinned Prism's executable is, installed or not.
    pub fn prism_path(&self) -> PathBuf {
        prism_bin(&self.tools_dir)
    }

    /// Prism's executable, installed with npm under `target/bench-tools/prism`
    /// (reused while it holds the pinned version).
    pub fn prism(&mut self) -> Result<PathBuf> {
        let dir = self.tools_dir.join(format!("prism-{PRISM_VERSION}"));
        let bin = prism_bin(&self.tools_dir);
        if bin.is_file() {
            return Ok(bin);
        }
        if which("npm").is_none() {
            bail!("npm is needed to install Prism and is not on PATH");
        }
        std::fs::create_dir_all(&dir)?;
        procs::status(
            Command::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    "--prefix",
                ])
                .arg(&dir)
                .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}")),
        )?;
        if !bin.is_file() {
            bail!("npm installed Prism but {} is missing", bin.display());
        }
        Ok(bin)
    }

    /// A Python that can `import requests`: the system's, or a virtualenv
    /// under `target/bench-tools/python` with `requests` installed.
    pub fn python_with_requests(&mut self) -> Result<PathBuf> {
        let system = which("python3").context("python3 is not on PATH")?;
        if imports_requests(&system) {
            // The interpreter itself, not a wrapper such as a pyenv shim, whose
            // own start-up would be timed with it.
            return Ok(executable(&system).unwrap_or(system));
        }
        let venv = self.tools_dir.join("python");
        let python = venv.join("bin/python3");
        if python.is_file() && imports_requests(&python) {
            return Ok(python);
        }
        procs::status(
            Command::new(&system)
                .args(["-m", "venv", "--clear"])
                .arg(&venv),
        )?;
        procs::status(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "requests",
        ]))?;
        Ok(python)
    }
}

/// `sys.executable` of a Python.
fn executable(python: &Path) -> Option<PathBuf> {
    let out = Command::new(python)
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    path.is_file().then_some(path)
}

fn imports_requests(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import requests"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Where [`Installer::prism`] puts the pinned Prism's executable.
fn prism_bin(tools_dir: &Path) -> PathBuf {
    tools_dir.join(format!("prism-{PRISM_VERSION}/node_modules/.bin/prism"))
}
