//! `astudio mock reset | serve`: the `--mock` sandbox started over, or served
//! in the foreground to other programs.

use crate::args::{GlobalArgs, MockCommand};
use crate::mock;
use crate::report::Failure;

/// Runs `astudio mock ...`.
pub async fn mock(cmd: MockCommand, global: &GlobalArgs) -> Result<(), Failure> {
    match cmd {
        MockCommand::Reset => reset(global),
        MockCommand::Serve { port, host } => serve(global, host, port).await,
    }
}

/// Deletes the sandbox's state file; no file is no error (nothing to forget).
fn reset(global: &GlobalArgs) -> Result<(), Failure> {
    let path = mock::state_file()?;
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(Failure::Local(format!(
                "cannot delete {}: {e}",
                path.display()
            )));
        }
    }
    if !global.quiet {
        eprintln!("mock sandbox reset ({} removed)", path.display());
    }
    Ok(())
}

#[cfg(feature = "mock")]
async fn serve(global: &GlobalArgs, host: std::net::IpAddr, port: u16) -> Result<(), Failure> {
    use std::io::Write;

    let server = mock::serve(mock::builder()?.host(host).port(port)).await?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", server.base_url());
    let keys = server.demo_keys();
    if !global.quiet {
        for (key, what) in [
            (keys.pro, "pro plan"),
            (keys.free, "free plan"),
            (keys.empty, "no credits"),
        ] {
            let _ = writeln!(out, "demo key: {key}  ({what})");
        }
    }
    let _ = out.flush();
    drop(out);
    if !global.quiet {
        eprintln!(
            "serving the mock sandbox ({}); Ctrl-C stops it",
            mock::state_file()?.display()
        );
    }
    wait_for_signal().await;
    server.shutdown().await;
    Ok(())
}

#[cfg(not(feature = "mock"))]
async fn serve(_global: &GlobalArgs, _host: std::net::IpAddr, _port: u16) -> Result<(), Failure> {
    Err(mock::unavailable())
}

/// Ctrl-C, or SIGTERM on Unix.
#[cfg(feature = "mock")]
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
