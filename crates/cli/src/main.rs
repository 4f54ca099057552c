//! `astudio`: generate, wait, download and inspect Artificial Studio
//! generations from a terminal. Built on the `artificial-studio` client only;
//! `--mock` runs everything against an in-process `astudio-mock`.

mod app;
mod args;
mod auth;
mod commands;
mod input;
mod jq;
mod mock;
mod progress;
mod render;
mod report;
mod suggest;

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    if let Command::Completions { shell } = &cli.command {
        // Into memory first: clap_complete panics when its writer fails.
        let mut script = Vec::new();
        clap_complete::generate(*shell, &mut Cli::command(), "astudio", &mut script);
        render::out(script);
        return ExitCode::SUCCESS;
    }
    // With --mock, a key from the environment belongs to the real service:
    // only a key given on the command line replaces the demo key.
    let key_from_command_line = matches.value_source("api_key") == Some(ValueSource::CommandLine);
    let mut cli = cli;
    let jq = match cli.global.jq.as_deref().map(jq::Jq::compile) {
        None => None,
        Some(Ok(jq)) => Some(jq),
        Some(Err(message)) => Cli::command()
            .error(
                clap::error::ErrorKind::InvalidValue,
                format!("--jq: {message}"),
            )
            .exit(),
    };
    render::configure(cli.global.color);
    // A filter reads JSON: --jq implies --json.
    cli.global.json |= jq.is_some();
    let json = cli.global.json;

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(app::run(cli, key_from_command_line, jq)) {
        Ok(()) => ExitCode::SUCCESS,
        Err((failure, ctx)) => {
            let report = report::report(&failure, &ctx);
            if json {
                eprintln!("{}", report.json);
            } else {
                eprint!("{}", report.render());
            }
            report.exit.into()
        }
    }
}
