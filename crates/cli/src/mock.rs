//! `--mock`: an `astudio-mock` server started inside the command, with a demo
//! key. Behind the `mock` cargo feature (on by default), so a build without it
//! links neither the mock nor its HTTP server.

use crate::args::GlobalArgs;
use crate::report::Failure;

/// A mock server kept alive for the length of a command.
#[cfg(feature = "mock")]
pub type Running = artificial_studio_mock::MockServer;

/// Without the `mock` feature no server can run: a type with no values.
#[cfg(not(feature = "mock"))]
pub enum Running {}

/// Where a `--mock` command goes: the server, its base URL and the key to use.
pub struct Started {
    /// The server; dropping it stops it.
    pub server: Running,
    /// The server's base URL.
    pub base_url: String,
    /// The demo key, or the key given on the command line.
    pub api_key: String,
}

/// Starts the in-process mock. A key from the environment belongs to the
/// real service, so only a key given on the command line replaces the demo key.
#[cfg(feature = "mock")]
pub async fn start(global: &GlobalArgs, key_from_command_line: bool) -> Result<Started, Failure> {
    let server = artificial_studio_mock::MockServer::builder()
        .speed(1.0)
        .start()
        .await
        .map_err(|e| Failure::Local(format!("could not start the mock server: {e}")))?;
    let key = if key_from_command_line {
        global.api_key.clone()
    } else {
        None
    }
    .unwrap_or_else(|| server.demo_keys().pro.to_string());
    let base = server.base_url();
    if !global.quiet && !global.json {
        eprintln!("mock server at {base} (demo key {key}; nothing leaves this machine)");
    }
    Ok(Started {
        server,
        base_url: base,
        api_key: key,
    })
}

/// Without the `mock` feature, `--mock` is a usage error that says how to get it.
#[cfg(not(feature = "mock"))]
pub async fn start(_global: &GlobalArgs, _key_from_command_line: bool) -> Result<Started, Failure> {
    Err(Failure::Usage(
        "--mock is not available: this astudio was built without the `mock` feature".into(),
        Some(
            "run a mock server with astudio-mock and pass --base-url, or install astudio with its default features".into(),
        ),
    ))
}
