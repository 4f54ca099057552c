//! Whether output goes to a person (a terminal: tables, colour) or to a
//! script (a pipe: tab-separated lines), decided once per process, and the
//! few colours the lists use.
//!
//! Colour follows `--color`, then `NO_COLOR` (any non-empty value turns it
//! off), then `CLICOLOR_FORCE` (on even into a pipe) and `CLICOLOR=0`, then
//! whether stdout is a terminal. `ASTUDIO_FORCE_TTY` makes the output a
//! terminal's (its value is the width in columns), as `GH_FORCE_TTY` does for
//! `gh`: tests and `watch` use it.

use std::io::IsTerminal;
use std::sync::OnceLock;

use anstyle::{Ansi256Color, Color, Effects, Style};

use crate::args::ColorChoice;

/// Width used when the terminal does not say, or `ASTUDIO_FORCE_TTY` is not a number.
const DEFAULT_WIDTH: u16 = 100;

/// Where stdout goes, as far as printing cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    /// The terminal's width; `None` for pipes and files (tab-separated lines).
    pub width: Option<u16>,
    /// Whether to colour.
    pub color: bool,
}

static TERMINAL: OnceLock<Terminal> = OnceLock::new();

/// Decides, once, from `--color`, the environment and stdout.
pub fn configure(choice: ColorChoice) {
    let _ = TERMINAL.set(detect(choice, |name| std::env::var(name).ok()));
}

/// Where stdout goes (as [`configure`] decided; `--color auto` if it was not called).
pub fn terminal() -> Terminal {
    *TERMINAL.get_or_init(|| detect(ColorChoice::Auto, |name| std::env::var(name).ok()))
}

fn detect(choice: ColorChoice, var: impl Fn(&str) -> Option<String>) -> Terminal {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    let width = match set("ASTUDIO_FORCE_TTY") {
        Some(forced) => Some(forced.trim().parse().unwrap_or(DEFAULT_WIDTH)),
        None if std::io::stdout().is_terminal() => Some(
            terminal_size::terminal_size()
                .map(|(w, _)| w.0)
                .unwrap_or(DEFAULT_WIDTH),
        ),
        None => None,
    };
    let color = color_enabled(choice, &set, width.is_some());
    Terminal { width, color }
}

/// The colour rule, apart from the process for tests: `set` gives a
/// variable's non-empty value.
fn color_enabled(choice: ColorChoice, set: &dyn Fn(&str) -> Option<String>, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR").is_some() => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorChoice::Auto if set("CLICOLOR").as_deref() == Some("0") => false,
        ColorChoice::Auto => tty && set("TERM").as_deref() != Some("dumb"),
    }
}

/// What a cell is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// An id: dim.
    Id,
    /// Done well (`success`, a 2xx, `verified`): green.
    Good,
    /// Failed (`error`, a 5xx, not verified): red.
    Bad,
    /// Still going (`pending`, `processing`, `uploading`) or a 4xx: yellow.
    Pending,
}

impl Paint {
    /// The paint of a generation status; `None` for one this CLI does not know.
    pub fn of_status(status: &str) -> Option<Paint> {
        match status {
            "success" => Some(Paint::Good),
            "error" => Some(Paint::Bad),
            "pending" | "processing" | "uploading" => Some(Paint::Pending),
            _ => None,
        }
    }

    /// The paint of an HTTP status code.
    pub fn of_http(status: u16) -> Paint {
        match status {
            200..=399 => Paint::Good,
            400..=499 => Paint::Pending,
            _ => Paint::Bad,
        }
    }

    /// The style of lines: the same escapes as comfy-table writes for its
    /// cells (the terminal's own green, red and yellow, as 256-colour
    /// indices), so a line and a table look alike.
    fn style(self) -> Style {
        let fg = |index| Style::new().fg_color(Some(Color::Ansi256(Ansi256Color(index))));
        match self {
            Paint::Id => Style::new().effects(Effects::DIMMED),
            Paint::Good => fg(2),
            Paint::Bad => fg(1),
            Paint::Pending => fg(3),
        }
    }

    /// `text` in this paint when `color`, else as it is.
    pub fn paint(self, text: &str, color: bool) -> String {
        if !color || text.is_empty() {
            return text.to_string();
        }
        let style = self.style();
        format!("{style}{text}{style:#}")
    }

    /// The same paint for a table cell (comfy-table styles cells itself, so
    /// its widths count only the text).
    pub fn cell(self, text: String) -> comfy_table::Cell {
        use comfy_table::{Attribute, Cell, Color};
        let cell = Cell::new(text);
        match self {
            Paint::Id => cell.add_attribute(Attribute::Dim),
            Paint::Good => cell.fg(Color::DarkGreen),
            Paint::Bad => cell.fg(Color::DarkRed),
            Paint::Pending => cell.fg(Color::DarkYellow),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled(choice: ColorChoice, vars: &[(&str, &str)], tty: bool) -> bool {
        let set = |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
                .filter(|v| !v.is_empty())
        };
        color_enabled(choice, &set, tty)
    }

    #[test]
    fn auto_colours_a_terminal_unless_no_color_is_set_to_anything() {
        assert!(enabled(ColorChoice::Auto, &[], true));
        assert!(!enabled(ColorChoice::Auto, &[], false));
        assert!(!enabled(ColorChoice::Auto, &[("NO_COLOR", "1")], true));
        assert!(!enabled(ColorChoice::Auto, &[("NO_COLOR", "false")], true));
        // An empty NO_COLOR is unset, as the convention says.
        assert!(enabled(ColorChoice::Auto, &[("NO_COLOR", "")], true));
        assert!(!enabled(ColorChoice::Auto, &[("TERM", "dumb")], true));
    }

    #[test]
    fn clicolor_force_colours_a_pipe_but_not_against_no_color() {
        assert!(enabled(
            ColorChoice::Auto,
            &[("CLICOLOR_FORCE", "1")],
            false
        ));
        assert!(!enabled(
            ColorChoice::Auto,
            &[("CLICOLOR_FORCE", "0")],
            false
        ));
        assert!(!enabled(
            ColorChoice::Auto,
            &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
            true
        ));
        assert!(!enabled(ColorChoice::Auto, &[("CLICOLOR", "0")], true));
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        assert!(enabled(ColorChoice::Always, &[("NO_COLOR", "1")], false));
        assert!(!enabled(
            ColorChoice::Never,
            &[("CLICOLOR_FORCE", "1")],
            true
        ));
    }

    #[test]
    fn paint_adds_escapes_only_when_colouring() {
        assert_eq!(Paint::Good.paint("success", false), "success");
        let painted = Paint::Bad.paint("error", true);
        assert!(painted.starts_with('\u{1b}') && painted.contains("error"));
        assert!(painted.ends_with("\u{1b}[0m"), "{painted:?}");
    }

    #[test]
    fn statuses_and_http_codes_have_their_paints() {
        assert_eq!(Paint::of_status("success"), Some(Paint::Good));
        assert_eq!(Paint::of_status("uploading"), Some(Paint::Pending));
        assert_eq!(Paint::of_status("queued"), None);
        assert_eq!(Paint::of_http(204), Paint::Good);
        assert_eq!(Paint::of_http(429), Paint::Pending);
        assert_eq!(Paint::of_http(503), Paint::Bad);
    }
}
