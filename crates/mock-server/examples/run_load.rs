//! A counted load of one API route for instruction counts: starts the mock
//! in this process (speed 0, rate limits off, one pro account with credits for
//! every run, the cap of 5 000 generations the benchmark's profiles use),
//! then sends N requests over one keep-alive loopback connection from the
//! main thread and checks each answer's status. The route is `run` (`POST
//! /api/run`, `202`; the default), `tool` (`GET /api/tools/create-image`,
//! `200`) or `generation` (`GET /api/generations/{id}` of one run made
//! first, `200`), the three routes of the throughput benchmark.
//!
//! The server runs on one tokio worker thread, so with callgrind's
//! `--separate-threads=yes` its work is the worker's file alone (the main
//! thread is the client). Two loads of different sizes, subtracted, give the
//! instructions per run without the start-up:
//!
//! ```sh
//! cargo build --release -p artificial-studio-mock --example run_load
//! valgrind --tool=callgrind --separate-threads=yes \
//!     --callgrind-out-file=cg.%p target/release/examples/run_load 6000 run
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

/// The routes this load can send.
#[derive(Clone, Copy)]
enum Route {
    Run,
    Tool,
    Generation,
}

fn main() -> ExitCode {
    let usage = || {
        eprintln!("usage: run_load [REQUESTS] [run|tool|generation]");
        ExitCode::FAILURE
    };
    let runs: u64 = match std::env::args().nth(1).map(|n| n.parse()) {
        None => 1000,
        Some(Ok(n)) => n,
        Some(Err(_)) => return usage(),
    };
    let route = match std::env::args().nth(2).as_deref() {
        None | Some("run") => Route::Run,
        Some("tool") => Route::Tool,
        Some("generation") => Route::Generation,
        Some(_) => return usage(),
    };
    match load(runs, route) {
        Ok(()) => {
            println!("{runs} requests answered");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("run_load: {error}");
            ExitCode::FAILURE
        }
    }
}

fn load(runs: u64, route: Route) -> Result<(), Box<dyn std::error::Error>> {
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
    let mut connection = Connection {
        reader: BufReader::new(stream.try_clone()?),
        writer: stream,
        line: String::new(),
        body: Vec::new(),
    };
    let host = server.addr();
    let run = format!(
        "POST /api/run HTTP/1.1\r\nHost: {host}\r\nAuthorization: {KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let get =
        |path: &str| format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {KEY}\r\n\r\n");
    let (request, status) = match route {
        Route::Run => (run, "202"),
        Route::Tool => (get("/api/tools/create-image"), "200"),
        Route::Generation => {
            let created = connection.send(&run, "202")?;
            let created = String::from_utf8(created.to_vec())?;
            let id = created
                .split('"')
                .skip_while(|piece| *piece != "id")
                .nth(2)
                .ok_or("no id in the run's answer")?
                .to_string();
            (get(&format!("/api/generations/{id}")), "200")
        }
    };
    for _ in 0..runs {
        connection.send(&request, status)?;
    }
    drop(connection);
    runtime.block_on(server.shutdown());
    Ok(())
}

/// One keep-alive connection to the server.
struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    line: String,
    body: Vec<u8>,
}

impl Connection {
    /// Sends `request` and reads its answer, which must have `status`;
    /// returns the answer's body.
    fn send(&mut self, request: &str, status: &str) -> Result<&[u8], Box<dyn std::error::Error>> {
        let Connection {
            reader,
            writer,
            line,
            body,
        } = self;
        writer.write_all(request.as_bytes())?;
        line.clear();
        reader.read_line(line)?;
        if line.split(' ').nth(1) != Some(status) {
            return Err(format!("expected a {status}, got {line:?}").into());
        }
        let mut length = 0;
        loop {
            line.clear();
            reader.read_line(line)?;
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
        reader.read_exact(body)?;
        Ok(body)
    }
}
