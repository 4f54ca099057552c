//! The real `astudio-mock` binary as a child process: started with the
//! test's flags, its base URL read from its first stdout line (within a
//! bound time, else a failure that shows its stderr), killed when dropped.

use std::{
    io::{BufRead, BufReader},
    process::{Child, ChildStdout, Command, ExitStatus, Stdio},
    sync::mpsc,
    time::Duration,
};

use super::Api;

/// How long the binary may take to print its base URL.
const URL_WITHIN: Duration = Duration::from_secs(30);

/// The environment variables the binary reads: removed, so a developer's
/// shell does not change what a test starts.
const ENV: [&str; 5] = [
    "RUST_LOG",
    "ASTUDIO_MOCK_STATE",
    "ASTUDIO_MOCK_STORE",
    "ASTUDIO_MOCK_ADMIN_TOKEN",
    "ASTUDIO_MOCK_SESSION_TTL",
];

/// The binary with `args`, outside the test's environment (see [`ENV`]).
pub fn mock_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_astudio-mock"));
    command.args(args);
    for name in ENV {
        command.env_remove(name);
    }
    command
}

/// A running `astudio-mock`: its client, the rest of its stdout, and its
/// stderr in a file; `SIGKILL`ed when dropped, so a failed test leaves no
/// process behind.
pub struct MockProcess {
    child: Child,
    /// What follows the base URL (kept open: the process never writes to a
    /// closed pipe).
    stdout: BufReader<ChildStdout>,
    stderr: tempfile::NamedTempFile,
    /// A client of its base URL.
    pub api: Api,
}

impl MockProcess {
    /// Starts the binary with `args` (give `--port`: `0` for a free one) and
    /// reads its base URL, which must be `http://127.0.0.1:PORT`.
    pub fn spawn(args: &[&str]) -> MockProcess {
        let stderr = tempfile::NamedTempFile::new().unwrap();
        let mut child = mock_command(args)
            .stdout(Stdio::piped())
            .stderr(stderr.reopen().unwrap())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        // Read on a thread of its own, so a binary that prints nothing is
        // a failure after `URL_WITHIN`, never a hang.
        let (sender, received) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = stdout.read_line(&mut line).map(|_| line);
            let _ = sender.send((read, stdout));
        });
        let (line, stdout) = match received.recv_timeout(URL_WITHIN) {
            Ok((Ok(line), stdout)) => (line, stdout),
            Ok((Err(e), _)) => fail(&mut child, &stderr, &format!("stdout unreadable: {e}")),
            Err(_) => fail(
                &mut child,
                &stderr,
                &format!("no line on stdout within {URL_WITHIN:?}"),
            ),
        };
        let base = line.trim_end().to_string();
        if !base.starts_with("http://127.0.0.1:") {
            fail(
                &mut child,
                &stderr,
                &format!("the first stdout line is not a base URL: {line:?}"),
            );
        }
        MockProcess {
            child,
            stdout,
            stderr,
            api: Api {
                base,
                http: reqwest::Client::new(),
            },
        }
    }

    /// Its base URL.
    pub fn base(&self) -> &str {
        &self.api.base
    }

    /// The port it listens on.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub fn port(&self) -> u16 {
        self.api.base.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// Its process id.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The next line on its stdout (after the base URL).
    pub fn next_stdout_line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line
    }

    /// What it wrote on stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.stderr.path()).unwrap()
    }

    /// Sends `signal` (`-TERM`, `-KILL`) with `kill`, which must succeed, and
    /// waits for the process to end.
    pub fn signal(&mut self, signal: &str) -> ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args([signal, &pid]).status().unwrap();
        assert!(sent.success(), "kill {signal} {pid}: {sent:?}");
        self.child.wait().unwrap()
    }

    /// `SIGKILL`, as a crash would: no graceful stop, requests in flight
    /// cut off. Nothing happens if it has already ended.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Kills `child` and fails the test with `what` and the child's stderr.
fn fail(child: &mut Child, stderr: &tempfile::NamedTempFile, what: &str) -> ! {
    let _ = child.kill();
    let status = child.wait();
    let stderr = std::fs::read_to_string(stderr.path()).unwrap_or_default();
    panic!("astudio-mock did not start ({what}); exit: {status:?}; stderr:\n{stderr}");
}
