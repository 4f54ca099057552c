//! The mock servers users would pick instead of `astudio-mock`, as the
//! throughput comparison starts them: Prism and Mockoon's CLI mocking
//! `spec/openapi.yaml`, and WireMock serving the mock's own answer from a
//! static stub.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::procs::{self, Ready, Server};
use crate::tools::{self, Installer};

/// A peer of the mock server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// Stoplight's Prism, on Node.
    Prism,
    /// WireMock standalone, on a JVM.
    WireMock,
    /// Mockoon's CLI, on Node.
    Mockoon,
}

impl Peer {
    /// Every peer, in report order.
    pub const ALL: [Peer; 3] = [Peer::Prism, Peer::WireMock, Peer::Mockoon];

    /// What the report calls it.
    pub fn name(self) -> &'static str {
        match self {
            Peer::Prism => "Prism",
            Peer::WireMock => "WireMock",
            Peer::Mockoon => "Mockoon",
        }
    }

    /// Its npm package, which pins its version.
    pub fn package(self) -> &'static tools::NpmPackage {
        match self {
            Peer::Prism => &tools::PRISM,
            Peer::WireMock => &tools::WIREMOCK,
            Peer::Mockoon => &tools::MOCKOON,
        }
    }
}

/// How to start an installed peer.
#[derive(Debug, Clone)]
enum Program {
    Prism(PathBuf),
    WireMock { java: PathBuf, jar: PathBuf },
    Mockoon(PathBuf),
}

/// A peer that could be installed, or why it could not.
pub struct Installed {
    /// Which peer.
    pub peer: Peer,
    program: Result<Program, String>,
}

impl Installed {
    /// Why the peer cannot take part, if it cannot.
    pub fn missing(&self) -> Option<&str> {
        self.program.as_ref().err().map(String::as_str)
    }
}

/// Installs every peer; one that fails is reported, not fatal.
pub fn install(installer: &mut Installer) -> Vec<Installed> {
    Peer::ALL
        .iter()
        .map(|&peer| {
            let program = match peer {
                Peer::Prism => installer.prism().map(Program::Prism),
                Peer::WireMock => installer
                    .wiremock()
                    .map(|(java, jar)| Program::WireMock { java, jar }),
                Peer::Mockoon => installer.mockoon().map(Program::Mockoon),
            }
            .map_err(|e| format!("{e:#}"));
            if let Err(why) = &program {
                println!("bench: {} will not be measured: {why}", peer.name());
            }
            Installed { peer, program }
        })
        .collect()
}

/// The one answer a WireMock stub sends: the mock's own, captured first.
pub struct Stub<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The exact path matched.
    pub path: &'a str,
    /// The status sent.
    pub status: u16,
    /// The `Content-Type` sent.
    pub content_type: &'a str,
    /// The body sent.
    pub body: &'a str,
}

/// Starts an installed peer for one route, on a free port of loopback.
/// `scratch` holds WireMock's stub directory (named after `name`).
pub fn start(
    installed: &Installed,
    root: &Path,
    scratch: &Path,
    name: &str,
    stub: &Stub<'_>,
) -> Result<Server> {
    let program = installed
        .program
        .as_ref()
        .map_err(|why| anyhow::anyhow!("{why}"))?;
    let port = procs::free_port()?;
    let cmd = match program {
        Program::Prism(prism) => {
            let mut cmd = Command::new(prism);
            cmd.args(["mock", "spec/openapi.yaml", "--host", "127.0.0.1", "--port"])
                .arg(port.to_string());
            cmd
        }
        Program::WireMock { java, jar } => {
            let dir = scratch.join(format!("wiremock-{name}"));
            write_stub(&dir, stub)?;
            let mut cmd = Command::new(java);
            cmd.arg("-jar")
                .arg(jar)
                .args(["--bind-address", "127.0.0.1", "--port"])
                .arg(port.to_string())
                .arg("--root-dir")
                .arg(&dir)
                .args([
                    "--no-request-journal",
                    "--disable-request-logging",
                    "--disable-banner",
                ]);
            cmd
        }
        Program::Mockoon(mockoon) => {
            let mut cmd = Command::new(mockoon);
            cmd.args([
                "start",
                "--data",
                "spec/openapi.yaml",
                "--hostname",
                "127.0.0.1",
                "--disable-log-to-file",
                "--port",
            ])
            .arg(port.to_string());
            cmd
        }
    };
    let mut cmd = cmd;
    cmd.current_dir(root);
    // Node and the JVM take seconds to start, more on a busy machine.
    Server::start(
        installed.peer.name(),
        cmd,
        Ready::Polled(format!("http://127.0.0.1:{port}")),
        Duration::from_secs(90),
    )
}

/// Writes `dir/mappings/stub.json`: one WireMock stub matching the method
/// and exact path, answering with the captured status, type and bytes.
fn write_stub(dir: &Path, stub: &Stub<'_>) -> Result<()> {
    let mappings = dir.join("mappings");
    std::fs::create_dir_all(&mappings)?;
    let mapping = serde_json::json!({
        "request": { "method": stub.method, "urlPath": stub.path },
        "response": {
            "status": stub.status,
            "headers": {
                "Content-Type": stub.content_type,
                "Content-Length": stub.body.len().to_string(),
            },
            "body": stub.body,
        },
    });
    let file = mappings.join("stub.json");
    std::fs::write(&file, serde_json::to_string_pretty(&mapping)?)
        .with_context(|| format!("writing {}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiremock_stub_sends_the_captured_bytes_for_the_exact_path() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("astudio-bench-stub-{}", std::process::id()));
        let body = r#"{"id":"g1","status":"pending"}"#;
        write_stub(
            &dir,
            &Stub {
                method: "POST",
                path: "/api/run",
                status: 202,
                content_type: "application/json",
                body,
            },
        )?;
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("mappings/stub.json"))?)?;
        std::fs::remove_dir_all(&dir)?;
        assert_eq!(written["request"]["method"], "POST");
        assert_eq!(written["request"]["urlPath"], "/api/run");
        assert_eq!(written["response"]["status"], 202);
        assert_eq!(written["response"]["body"], body);
        assert_eq!(
            written["response"]["headers"]["Content-Length"],
            body.len().to_string()
        );
        Ok(())
    }
}
