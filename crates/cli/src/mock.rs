//! `--mock`: an `astudio-mock` server started inside the command, with a demo
//! key, whose sandbox is kept between commands in a state file under the
//! user's state directory. Behind the `mock` cargo feature (on by default),
//! so a build without it links neither the mock nor its HTTP server.

use std::path::PathBuf;

use crate::args::GlobalArgs;
use crate::report::Failure;

/// The environment variable that replaces the state directory (for tests
/// and for several sandboxes side by side).
pub const STATE_DIR_ENV: &str = "ASTUDIO_STATE_DIR";

/// The file the `--mock` sandbox is kept in: `mock-state.json` in
/// `ASTUDIO_STATE_DIR`, else in `astudio` under the platform's state
/// directory (`$XDG_STATE_HOME`, `~/.local/state`), else its local data
/// directory (macOS and Windows have no state directory).
pub fn state_file() -> Result<PathBuf, Failure> {
    let dir = match std::env::var_os(STATE_DIR_ENV).filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => dirs::state_dir()
            .or_else(dirs::data_local_dir)
            .map(|d| d.join("astudio"))
            .ok_or_else(|| {
                Failure::Local(format!(
                    "cannot find a state directory for the mock sandbox: set HOME or {STATE_DIR_ENV}"
                ))
            })?,
    };
    Ok(dir.join("mock-state.json"))
}

/// A mock server kept alive for the length of a command.
#[cfg(feature = "mock")]
pub type Running = artificial_studio_mock::MockServer;

/// Without the `mock` feature no server can run: a type with no values.
#[cfg(not(feature = "mock"))]
pub enum Running {}

/// Where a `--mock` command goes: the server, its base URL and the key to use.
pub struct Started {
    /// The server; dropping it stops it (and writes the sandbox).
    pub server: Running,
    /// The server's base URL.
    pub base_url: String,
    /// The demo key, or the key given on the command line.
    pub api_key: String,
}

/// A builder of the sandbox's server: documented timings, the sandbox's
/// state file.
#[cfg(feature = "mock")]
pub fn builder() -> Result<artificial_studio_mock::MockServerBuilder, Failure> {
    Ok(artificial_studio_mock::MockServer::builder()
        .speed(1.0)
        .state_file(state_file()?))
}

/// Starts `builder`'s server; a sandbox that cannot be read is a failure
/// that says how to start over.
#[cfg(feature = "mock")]
pub async fn serve(
    builder: artificial_studio_mock::MockServerBuilder,
) -> Result<artificial_studio_mock::MockServer, Failure> {
    builder.start().await.map_err(|e| match e {
        artificial_studio_mock::Error::State { .. } => Failure::Usage(
            format!("the mock sandbox cannot be read: {e}"),
            Some("`astudio mock reset` starts it over".into()),
        ),
        e => Failure::Local(format!("could not start the mock server: {e}")),
    })
}

/// Starts the in-process mock. A key from the environment belongs to the
/// real service, so only a key given on the command line replaces the demo key.
#[cfg(feature = "mock")]
pub async fn start(global: &GlobalArgs, key_from_command_line: bool) -> Result<Started, Failure> {
    let server = serve(builder()?).await?;
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
    Err(unavailable())
}

/// The usage error of `--mock` and `astudio mock` in a build without the mock.
#[cfg(not(feature = "mock"))]
pub fn unavailable() -> Failure {
    Failure::Usage(
        "--mock is not available: this astudio was built without the `mock` feature".into(),
        Some(
            "run a mock server with astudio-mock and pass --base-url, or install astudio with its default features".into(),
        ),
    )
}
