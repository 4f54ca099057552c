//! A counted load of `POST /api/run` for instruction counts: starts the mock
//! in this process (speed 0, rate limits off, one pro account with credits for
//! every run, the cap of 5 000 generations the benchmark's profiles use),
//! then sends N runs over one keep-alive loopback connection from the main
//! thread and checks that each is answered `202`.
//!
//! The server runs on one tokio worker thread, so with callgrind's
//! `--separate-threads=yes` its work is the worker's file alone (the main
//! thread is the client). Two loads of different sizes, subtracted, give the
//! instructions per run without the start-up:
//!
//! ```sh
//! cargo build --release -p artificial-studio-mock --example run_load
//! valgrind --tool=callgrind --separate-threads=yes \
//!     --callgrind-out-file=cg.%p target/release/examples/run_load 6000
//! callgrind_annotate cg.<pid>-02   # the worker thread
//! ```
//!
//! No log subscriber is installed, so the request log line is not formatted
//! (the `astudio-mock` binary writes it); everything else of the pipeline
//! runs as in the binary.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::ExitCode,
};

use artificial_studio_mock::{AccountConfig, MockServer, RateLimits, types::Plan};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const KEY: &str = "bench-key";
const BODY: &str = r#"{"tool":"create-image","input":{"prompt":"a lighthouse at dusk"}}"#;

fn main() -> ExitCode {
    let runs: u64 = match std::env::args().nth(1).map(|n| n.parse()) {
        None => 1000,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("usage: run_load [RUNS]");
            return ExitCode::FAILURE;
        }
    };
    match load(runs) {
        Ok(()) => {
            println!("{runs} runs answered 202");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("run_load: {error}");
            ExitCode::FAILURE
        }
    }
}

fn load(runs: u64) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let server = runtime.block_on(
        MockServer::builder()
            .speed(0.0)
            .rate_limits(RateLimits::Off)
            .max_generations(5000)
            .account(AccountConfig {
                key: KEY.to_string(),
                email: "bench@example.com".to_string(),
                plan: Plan::Pro,
                credits: u64::MAX / 2,
            })
            .start(),
    )?;
    let stream = TcpStream::connect(server.addr())?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let request = format!(
        "POST /api/run HTTP/1.1\r\nHost: {}\r\nAuthorization: {KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{BODY}",
        server.addr(),
        BODY.len()
    );
    let mut line = String::new();
    let mut body = Vec::new();
    for _ in 0..runs {
        writer.write_all(request.as_bytes())?;
        line.clear();
        reader.read_line(&mut line)?;
        if !line.starts_with("HTTP/1.1 202") {
            return Err(format!("expected a 202, got {line:?}").into());
        }
        let mut length = 0;
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse()?;
            }
        }
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    }
    drop(writer);
    drop(reader);
    runtime.block_on(server.shutdown());
    Ok(())
}
