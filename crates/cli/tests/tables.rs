//! Tables for people, lines for scripts: the same lists on a (forced)
//! terminal, with and without colour, and into a pipe.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use artificial_studio_mock::MockServer;
use assert_cmd::Command;

/// A mock with two generations that succeeded and one that failed.
struct Sandbox {
    _rt: tokio::runtime::Runtime,
    server: MockServer,
}

impl Sandbox {
    fn start() -> Sandbox {
        let (rt, server) = common::start_mock(|b| b);
        let sandbox = Sandbox { _rt: rt, server };
        for prompt in ["a fox", "an owl"] {
            sandbox
                .astudio()
                .args(["run", "create-image", &format!("prompt={prompt}")])
                .assert()
                .success();
        }
        sandbox
            ._rt
            .block_on(
                sandbox
                    .server
                    .fail_next_generation("create-image", "out of ideas"),
            )
            .unwrap();
        sandbox
            .astudio()
            .args(["run", "create-image", "prompt=a cat"])
            .assert()
            .code(3);
        sandbox
    }

    /// `astudio` on the mock with no colour or terminal settings from outside.
    fn astudio(&self) -> Command {
        let mut cmd = Command::cargo_bin("astudio").unwrap();
        for var in [
            "NO_COLOR",
            "CLICOLOR",
            "CLICOLOR_FORCE",
            "ASTUDIO_FORCE_TTY",
            "ARTIFICIAL_STUDIO_BASE_URL",
            "ASTUDIO_PROFILE",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("ASTUDIO_NO_KEYRING", "1")
            .env("ARTIFICIAL_STUDIO_API_KEY", self.server.demo_keys().pro)
            .arg("--base-url")
            .arg(self.server.base_url());
        cmd
    }

    /// `astudio` as on a terminal 120 columns wide.
    fn on_terminal(&self) -> Command {
        let mut cmd = self.astudio();
        cmd.env("ASTUDIO_FORCE_TTY", "120");
        cmd
    }
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Escapes shown as `␛`, so a snapshot shows where colour starts and stops.
fn visible(text: &str) -> String {
    text.replace('\u{1b}', "␛")
}

/// Snapshots with the generated ids and times masked.
macro_rules! snapshot {
    ($name:expr, $text:expr) => {
        insta::with_settings!({filters => vec![
            (r"[0-9a-f]{24}", "<id>"),
            (r"/outputs/[0-9a-f]+…", "/outputs/<id>…"),
            (r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "<created>"),
            (r"http://127\.0\.0\.1:\d+", "<mock>"),
        ]}, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

#[test]
fn on_a_terminal_lists_have_a_header_and_aligned_columns() {
    let sandbox = Sandbox::start();
    let tools = stdout(
        sandbox
            .on_terminal()
            .env("NO_COLOR", "1")
            .args(["tools", "list", "--type", "audio"]),
    );
    assert!(!tools.contains('\u{1b}'), "{tools:?}");
    snapshot!("tools_list_terminal", tools);
    let generations = stdout(
        sandbox
            .on_terminal()
            .env("NO_COLOR", "1")
            .args(["generations", "list"]),
    );
    snapshot!("generations_list_terminal", generations);
}

#[test]
fn with_colour_statuses_are_green_or_red_and_ids_dim() {
    let sandbox = Sandbox::start();
    let generations =
        stdout(
            sandbox
                .on_terminal()
                .args(["--color", "always", "generations", "list"]),
        );
    assert!(
        generations.contains("\u{1b}[38;5;2msuccess"),
        "{generations:?}"
    );
    assert!(
        generations.contains("\u{1b}[38;5;1merror"),
        "{generations:?}"
    );
    assert!(generations.contains("\u{1b}[2m"), "{generations:?}");
    snapshot!("generations_list_colour", visible(&generations));
}

#[test]
fn piped_lists_are_tab_separated_lines_without_a_header() {
    let sandbox = Sandbox::start();
    let tools = stdout(sandbox.astudio().args(["tools", "list", "--type", "audio"]));
    snapshot!("tools_list_piped", tools);
    let generations = stdout(sandbox.astudio().args(["generations", "list"]));
    let rows: Vec<Vec<&str>> = generations
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 3, "{generations}");
    for row in &rows {
        assert_eq!(row.len(), 6, "{row:?}");
        assert_eq!(row[0].len(), 24, "the id comes first: {row:?}");
    }
    let statuses: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    assert_eq!(statuses, ["error", "success", "success"]);
    assert!(!generations.contains('\u{1b}'));
}

#[test]
fn no_color_removes_every_escape_even_with_clicolor_force() {
    let sandbox = Sandbox::start();
    for args in [
        &["generations", "list"][..],
        &["tools", "list"],
        &["search", "image"],
        &["logs"],
    ] {
        for terminal in [true, false] {
            let mut cmd = if terminal {
                sandbox.on_terminal()
            } else {
                sandbox.astudio()
            };
            let text = stdout(
                cmd.env("NO_COLOR", "1")
                    .env("CLICOLOR_FORCE", "1")
                    .args(args),
            );
            assert!(!text.is_empty(), "{args:?}");
            assert!(!text.contains('\u{1b}'), "{args:?} {terminal}: {text:?}");
        }
    }
}

#[test]
fn clicolor_force_or_color_always_colour_a_pipe_and_never_wins_on_a_terminal() {
    let sandbox = Sandbox::start();
    let forced = stdout(
        sandbox
            .astudio()
            .env("CLICOLOR_FORCE", "1")
            .args(["generations", "list"]),
    );
    assert!(
        forced.contains("\u{1b}[38;5;1merror\u{1b}[0m\t"),
        "{forced:?}"
    );
    assert!(!forced.contains("STATUS"), "still lines, no header");
    let always = stdout(
        sandbox
            .astudio()
            .args(["--color", "always", "generations", "list"]),
    );
    assert_eq!(always, forced);
    let never = stdout(
        sandbox
            .on_terminal()
            .args(["--color", "never", "generations", "list"]),
    );
    assert!(never.starts_with("ID "), "{never}");
    assert!(!never.contains('\u{1b}'), "{never:?}");
}

#[test]
fn logs_have_a_header_row_on_a_terminal_and_none_in_a_pipe() {
    let sandbox = Sandbox::start();
    let shown = stdout(sandbox.on_terminal().env("NO_COLOR", "1").args(["logs"]));
    let mut lines = shown.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("TIME ") && header.contains(" METHOD PATH  STATUS  TOOK  REQUEST ID"),
        "{shown}"
    );
    let first = lines.next().unwrap();
    let at = header.find("METHOD").unwrap();
    assert!(
        first[at..].starts_with(|c: char| c.is_ascii_uppercase()) && first[..at].ends_with("  "),
        "the method under its name: {shown}"
    );
    assert_eq!(shown.matches("METHOD").count(), 1, "one header: {shown}");

    let piped = stdout(sandbox.astudio().args(["logs"]));
    assert!(!piped.contains("METHOD"), "{piped}");
    assert!(piped.starts_with(char::is_numeric), "a line first: {piped}");
    assert_eq!(
        piped.lines().count(),
        shown.lines().count() - 1,
        "the same entries, without the header (admin reads are not journaled)"
    );
}
