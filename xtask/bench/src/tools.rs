//! The outside tools the benchmark needs, installed when missing: `wrk` (apt)
//! or else `oha` (cargo install), `hyperfine` (apt, else cargo install), the
//! peer mock servers Prism, WireMock and Mockoon (npm, into scratch directories
//! under `target/`; WireMock also a Java runtime, from apt when `java` is
//! missing), and Python's `requests` (a virtualenv under `target/` when the
//! system Python lacks it).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::load::Generator;
use crate::procs::{self, which};

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
        PRISM.path(&self.tools_dir)
    }

    /// Prism's executable, installed with npm under `target/bench-tools`
    /// (reused while it holds the pinned version).
    pub fn prism(&mut self) -> Result<PathBuf> {
        self.npm(&PRISM)
    }

    /// Where the pinned WireMock's jar is, installed or not.
    pub fn wiremock_path(&self) -> PathBuf {
        WIREMOCK.path(&self.tools_dir)
    }

    /// `java` and WireMock's standalone jar: Java from `PATH` or else Debian's
    /// `default-jre-headless`; the jar from the `wiremock` npm package, which
    /// ships it, under `target/bench-tools`.
    pub fn wiremock(&mut self) -> Result<(PathBuf, PathBuf)> {
        let java = match which("java") {
            Some(java) => java,
            None => {
                self.apt_install("default-jre-headless")
                    .context("installing a Java runtime for WireMock")?;
                which("java")
                    .context("apt installed default-jre-headless but java is not on PATH")?
            }
        };
        Ok((java, self.npm(&WIREMOCK)?))
    }

    /// Where the pinned Mockoon CLI's executable is, installed or not.
    pub fn mockoon_path(&self) -> PathBuf {
        MOCKOON.path(&self.tools_dir)
    }

    /// `mockoon-cli`, installed with npm under `target/bench-tools`.
    pub fn mockoon(&mut self) -> Result<PathBuf> {
        self.npm(&MOCKOON)
    }

    /// The file `package` provides, installed with npm into a directory of its
    /// own (named for the pinned version, so a pin change installs afresh).
    fn npm(&mut self, package: &NpmPackage) -> Result<PathBuf> {
        let file = package.path(&self.tools_dir);
        if file.is_file() {
            return Ok(file);
        }
        if which("npm").is_none() {
            bail!(
                "npm is needed to install {} and is not on PATH",
                package.name
            );
        }
        let dir = package.dir(&self.tools_dir);
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
                .arg(format!("{}@{}", package.name, package.version)),
        )?;
        if !file.is_file() {
            bail!(
                "npm installed {} but {} is missing",
                package.name,
                file.display()
            );
        }
        Ok(file)
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

/// A pinned npm package and the one file of it the benchmark runs.
pub struct NpmPackage {
    /// The package's name on npm.
    pub name: &'static str,
    /// The version measured: pinned, so reruns compare like with like.
    pub version: &'static str,
    /// The install directory's name, before `-{version}`.
    dir: &'static str,
    /// The file used, relative to the install directory.
    file: &'static str,
}

impl NpmPackage {
    fn dir(&self, tools_dir: &Path) -> PathBuf {
        tools_dir.join(format!("{}-{}", self.dir, self.version))
    }

    fn path(&self, tools_dir: &Path) -> PathBuf {
        let file = self.file.replace("{version}", self.version);
        self.dir(tools_dir).join(file)
    }
}

/// Prism, mocking the spec.
pub const PRISM: NpmPackage = NpmPackage {
    name: "@stoplight/prism-cli",
    version: "5.16.0",
    dir: "prism",
    file: "node_modules/.bin/prism",
};

/// WireMock's standalone jar, as the `wiremock` npm package ships it.
pub const WIREMOCK: NpmPackage = NpmPackage {
    name: "wiremock",
    version: "3.13.2",
    dir: "wiremock",
    file: "node_modules/wiremock/build/wiremock-standalone-{version}.jar",
};

/// Mockoon's command-line server.
pub const MOCKOON: NpmPackage = NpmPackage {
    name: "@mockoon/cli",
    version: "9.9.0",
    dir: "mockoon",
    file: "node_modules/.bin/mockoon-cli",
};
