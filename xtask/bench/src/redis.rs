//! The Redis server behind the throughput measurement's Redis store: Debian's
//! `redis-server` on a free loopback port with persistence off, its CPU time,
//! and its command counts from `INFO commandstats` (round trips per answer).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::procs;

/// A `redis-server` of the benchmark; killed when dropped.
pub struct RedisServer {
    port: u16,
    /// The command line it was started with.
    pub command: String,
    child: Child,
}

impl RedisServer {
    /// Starts `redis-server` on a free loopback port, in `dir`, with no RDB
    /// snapshots and no append-only file: the bench measures the store, not
    /// the disk. Fails when it is not installed or does not answer `PING`.
    pub fn start(dir: &Path) -> Result<RedisServer> {
        let program = procs::which("redis-server")
            .context("redis-server is not installed (Debian: apt-get install -y redis-server)")?;
        std::fs::create_dir_all(dir)?;
        let port = procs::free_port()?;
        let mut cmd = Command::new(program);
        cmd.args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir);
        let command = procs::show(&cmd);
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting `{command}`"))?;
        let mut server = RedisServer {
            port,
            command,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while server.query("PING").is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                bail!("redis-server exited before answering ({status})");
            }
            if Instant::now() > deadline {
                bail!("redis-server did not answer on port {port} within 10 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(server)
    }

    /// Its port on loopback.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The store URL to give `astudio-mock --store`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// CPU time (user + system) it has used so far, in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        procs::cpu_seconds_of(self.child.id())
    }

    /// `redis_version` from `INFO server`.
    pub fn version(&self) -> Result<String> {
        let info = self.query("INFO server")?;
        info.lines()
            .find_map(|l| l.strip_prefix("redis_version:"))
            .map(|v| v.trim().to_string())
            .context("no redis_version in INFO server")
    }

    /// The command counts so far, from `INFO commandstats`.
    pub fn counts(&self) -> Result<Counts> {
        Ok(Counts::parse(&self.query("INFO commandstats")?))
    }

    /// Sends one inline command and returns its answer (a status line or a
    /// bulk string) as text.
    fn query(&self, command: &str) -> Result<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        stream.write_all(format!("{command}\r\n").as_bytes())?;
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        reader.read_line(&mut head)?;
        let head = head.trim_end();
        match head.split_at_checked(1) {
            Some(("+", status)) => Ok(status.to_string()),
            Some(("$", len)) => {
                let len: usize = len.parse().context("a bulk string length")?;
                let mut body = vec![0u8; len + 2];
                reader.read_exact(&mut body)?;
                body.truncate(len);
                Ok(String::from_utf8_lossy(&body).into_owned())
            }
            _ => bail!("redis-server answered {command:?} with {head:?}"),
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Commands Redis has run, as `INFO commandstats` counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// Commands sent by clients that each cost a round trip: the scripts
    /// (`EVALSHA`, `EVAL`, `SCRIPT LOAD`, ...) and every other command that
    /// a script cannot run. The mock's store sends nothing else on the
    /// measured routes (its one plain command reads an upload's bytes).
    pub round_trips: u64,
    /// Every command run, those inside the scripts included (`HGET`, ...).
    pub commands: u64,
}

impl Counts {
    /// Reads `cmdstat_NAME:calls=N,...` lines; `INFO` itself is left out.
    fn parse(info: &str) -> Counts {
        let mut counts = Counts::default();
        for line in info.lines() {
            let Some((name, stats)) = line
                .strip_prefix("cmdstat_")
                .and_then(|rest| rest.split_once(':'))
            else {
                continue;
            };
            let calls = stats
                .split(',')
                .find_map(|kv| kv.strip_prefix("calls="))
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
            if name == "info" {
                continue;
            }
            counts.commands += calls;
            let client_only = [
                "eval",
                "evalsha",
                "eval_ro",
                "evalsha_ro",
                "fcall",
                "script",
            ];
            if client_only
                .iter()
                .any(|c| name == *c || name.starts_with(&format!("{c}|")))
            {
                counts.round_trips += calls;
            }
        }
        counts
    }

    /// What was counted since `before`.
    pub fn since(self, before: Counts) -> Counts {
        Counts {
            round_trips: self.round_trips.saturating_sub(before.round_trips),
            commands: self.commands.saturating_sub(before.commands),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commandstats_count_scripts_as_round_trips_and_every_command_as_work() {
        let info = "# Commandstats\r\n\
            cmdstat_evalsha:calls=10,usec=900,usec_per_call=90.00,rejected_calls=0,failed_calls=0\r\n\
            cmdstat_script|load:calls=2,usec=40,usec_per_call=20.00,rejected_calls=0,failed_calls=0\r\n\
            cmdstat_hget:calls=30,usec=30,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r\n\
            cmdstat_info:calls=7,usec=70,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n";
        let counts = Counts::parse(info);
        assert_eq!(
            counts,
            Counts {
                round_trips: 12,
                commands: 42
            }
        );
        let later = Counts {
            round_trips: 20,
            commands: 100,
        };
        assert_eq!(
            later.since(counts),
            Counts {
                round_trips: 8,
                commands: 58
            }
        );
    }
}
