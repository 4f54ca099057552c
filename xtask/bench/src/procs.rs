//! Child processes of the benchmark: printing each command line before it
//! runs, servers that stop when dropped, and their memory from `/proc`.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The command as one could paste it into a shell (with the variables set for it).
pub fn line(cmd: &Command) -> String {
    let mut parts = Vec::new();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            parts.push(format!(
                "{}={}",
                key.to_string_lossy(),
                quote(&value.to_string_lossy())
            ));
        }
    }
    parts.push(quote(&cmd.get_program().to_string_lossy()));
    parts.extend(cmd.get_args().map(|a| quote(&a.to_string_lossy())));
    parts.join(" ")
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+{}".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Prints `$ command` and returns the line.
pub fn show(cmd: &Command) -> String {
    let line = line(cmd);
    println!("$ {line}");
    line
}

/// Runs a command to its end (printing it first); fails on a non-zero exit.
pub fn output(cmd: &mut Command) -> Result<Output> {
    let line = show(cmd);
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("starting `{line}`"))?;
    if !out.status.success() {
        bail!(
            "`{line}` failed ({}): {}",
            out.status,
            last_lines(&String::from_utf8_lossy(&out.stderr), 15)
        );
    }
    Ok(out)
}

/// Runs a command with its stderr on the terminal (progress) and its stdout
/// captured; fails on a non-zero exit.
pub fn stdout_only(cmd: &mut Command) -> Result<Output> {
    let line = show(cmd);
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("starting `{line}`"))?;
    if !out.status.success() {
        bail!("`{line}` failed ({})", out.status);
    }
    Ok(out)
}

/// Runs a command with its output on the terminal; fails on a non-zero exit.
pub fn status(cmd: &mut Command) -> Result<()> {
    let line = show(cmd);
    let status = cmd
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("starting `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// The first line a command prints on stdout or stderr (for `--version`),
/// whatever its exit status; `None` when it cannot start.
pub fn first_line(program: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    String::from_utf8_lossy(&text)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

/// The last `n` lines of a text.
pub fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Where `program` is on `PATH`, if anywhere.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// A free port on loopback (for servers that cannot pick one themselves).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// How a server tells that it is ready.
pub enum Ready {
    /// Its first stdout line is its base URL (`astudio-mock`, `bare_axum`).
    FirstLine,
    /// It answers HTTP at this base URL (the peers): polled until it does.
    Polled(String),
}

/// A server started for the benchmark; killed (with its children) when dropped.
pub struct Server {
    /// What the report calls it.
    pub name: String,
    /// Its base URL, such as `http://127.0.0.1:43123`.
    pub base_url: String,
    /// The command line it was started with.
    pub command: String,
    child: Child,
}

impl Server {
    /// Starts `cmd` and waits (up to `timeout`) until it is ready. Its logs go
    /// to `/dev/null`: at tens of thousands of requests a second they would
    /// fill a disk, and reading them would take a core from the measurement.
    pub fn start(name: &str, mut cmd: Command, ready: Ready, timeout: Duration) -> Result<Server> {
        let command = show(&cmd);
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting `{command}`"))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut server = Server {
            name: name.to_string(),
            base_url: String::new(),
            command,
            child,
        };
        // The first stdout line is read, and the rest drained (so that the
        // server never blocks on a full pipe), by a thread: a server that
        // never prints must not hang the benchmark.
        let (first_line, first_rx) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let _ = first_line.send(first);
            let mut sink = [0u8; 8192];
            while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
        });
        match ready {
            Ready::FirstLine => {
                let first = first_rx.recv_timeout(timeout).unwrap_or_default();
                let url = first.trim();
                if !url.starts_with("http://") {
                    bail!(
                        "{name} printed {first:?} instead of its base URL ({})",
                        server.exit_note()
                    );
                }
                server.base_url = url.to_string();
            }
            Ready::Polled(url) => server.base_url = url,
        }
        let deadline = Instant::now() + timeout;
        while !crate::http::answers(&server.base_url) {
            if let Ok(Some(status)) = server.child.try_wait() {
                bail!("{name} exited before answering ({status})");
            }
            if Instant::now() > deadline {
                bail!(
                    "{name} did not answer at {} within {timeout:?}",
                    server.base_url
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The memory of the server and its child processes, from `/proc`.
    pub fn memory(&self) -> Memory {
        tree(self.pid())
            .into_iter()
            .map(memory_of)
            .fold(Memory::default(), |a, b| Memory {
                rss_kib: a.rss_kib + b.rss_kib,
                peak_kib: a.peak_kib + b.peak_kib,
            })
    }

    /// CPU time (user + system) the server and its children have used so far,
    /// in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        tree(self.pid()).into_iter().map(cpu_seconds_of).sum()
    }

    fn exit_note(&mut self) -> String {
        std::thread::sleep(Duration::from_millis(100));
        match self.child.try_wait() {
            Ok(Some(status)) => format!("it exited: {status}"),
            _ => "it is still running".to_string(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for pid in tree(self.pid()).into_iter().rev() {
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match self.child.try_wait() {
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Ok(None) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    return;
                }
                _ => return,
            }
        }
    }
}

/// CPU time (user + system) one process has used so far, in seconds (`0`
/// when it is gone).
pub fn cpu_seconds_of(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces), from field 3
    // on: utime and stime are fields 14 and 15.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (field(11) + field(12)) / clock_ticks()
}

/// Resident memory now and at its peak, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// `VmRSS`.
    pub rss_kib: f64,
    /// `VmHWM`: the peak resident set since the process started.
    pub peak_kib: f64,
}

fn memory_of(pid: u32) -> Memory {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    Memory {
        rss_kib: field("VmRSS:"),
        peak_kib: field("VmHWM:"),
    }
}

/// Clock ticks per second of `/proc/*/stat` times (`getconf CLK_TCK`, 100 on Linux).
fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .filter(|t: &f64| *t > 0.0)
            .unwrap_or(100.0)
    })
}

/// A process and its descendants, parents first.
fn tree(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut i = 0;
    while i < all.len() {
        let parent = all[i];
        let tasks = std::fs::read_dir(format!("/proc/{parent}/task"))
            .map(|dir| dir.flatten().map(|e| e.path()).collect::<Vec<_>>())
            .unwrap_or_default();
        for task in tasks {
            let children = std::fs::read_to_string(task.join("children")).unwrap_or_default();
            all.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
        i += 1;
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_quote_only_what_a_shell_would_split() {
        let mut cmd = Command::new("python3");
        cmd.args(["-c", "import requests", "--port=0"]);
        assert_eq!(line(&cmd), "python3 -c 'import requests' --port=0");
    }
}
