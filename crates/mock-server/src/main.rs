//! `astudio-mock`: runs the mock server until Ctrl-C or SIGTERM.
//!
//! The first line on stdout is the base URL alone (such as
//! `http://127.0.0.1:43123`) so scripts can read it; logs go to stderr.

mod logs;

use std::{
    io::{IsTerminal, Write},
    process::ExitCode,
};

use artificial_studio_mock::{MockConfig, MockServerBuilder, demo_accounts};
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// A stateful mock of the Artificial Studio API, for development and tests.
#[derive(Debug, Parser)]
#[command(name = "astudio-mock", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    config: MockConfig,

    /// Log format on stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per event.
    Json,
}

// The server allocates a little per request on every thread; mimalloc keeps that
// cheap where glibc's malloc showed up as a fifth of the profile under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let logs = init_logs(cli.log_format);
    let uses_demo_keys = cli.config.config.is_none() && cli.config.accounts.is_none();
    let server = match MockServerBuilder::from_config(cli.config).start().await {
        Ok(server) => server,
        Err(error) => {
            drop(logs); // what was logged before comes first
            eprintln!("astudio-mock: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", server.base_url());
    if uses_demo_keys {
        for account in demo_accounts() {
            let _ = writeln!(
                stdout,
                "demo key: {}  ({} plan, {} credits)",
                account.key, account.plan, account.credits
            );
        }
    }
    let _ = stdout.flush();
    drop(stdout);
    tracing::info!(base_url = %server.base_url(), "astudio-mock is listening");

    wait_for_signal().await;
    tracing::info!("shutting down; letting requests in flight finish");
    server.shutdown().await;
    drop(logs); // writes out the lines still queued
    ExitCode::SUCCESS
}

/// Logs go to stderr in batches (see `logs.rs`): a request never makes a
/// `write(2)` or wakes a thread for its log line, and no line is dropped. The
/// returned guard writes what is left when dropped.
fn init_logs(format: LogFormat) -> logs::FlushGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = logs::batched_stderr();
    let ansi = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(ansi);
    match format {
        // Colours for a person at a terminal; the lean plain line otherwise.
        LogFormat::Text if ansi => builder.init(),
        LogFormat::Text => builder.event_format(logs::PlainLine).init(),
        LogFormat::Json => builder.json().init(),
    }
    guard
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
