//! Aligned tables for lists, key/value blocks for single objects.
//!
//! On a terminal, tables have a header row, aligned columns (by display
//! width) and colour, and each row is cut to one line at the terminal width,
//! as `gh` does. Elsewhere (a pipe, a file) rows are tab-separated with no
//! header, so `cut` and `awk` work on them.

use comfy_table::{Cell, ContentArrangement, Row, presets::NOTHING};

use super::style::{Paint, Terminal};

/// How a column's cells are painted: a function of the cell's text.
type PaintRule = fn(&str) -> Option<Paint>;

/// Rows of text under a header.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    paints: Vec<(usize, PaintRule)>,
}

impl Table {
    /// A table with these column names.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            ..Table::default()
        }
    }

    /// Adds one row.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Paints the cells of the column named `header` by `rule` when colouring.
    #[must_use]
    pub fn paint(mut self, header: &str, rule: PaintRule) -> Self {
        if let Some(at) = self.headers.iter().position(|h| h == header) {
            self.paints.push((at, rule));
        }
        self
    }

    fn paint_of(&self, column: usize, text: &str) -> Option<Paint> {
        self.paints
            .iter()
            .find(|(at, _)| *at == column)
            .and_then(|(_, rule)| rule(text))
    }

    /// The table as text: aligned, coloured and cut to the width on a
    /// terminal, or tab-separated lines for a pipe.
    pub fn render(&self, terminal: Terminal) -> String {
        let Some(width) = terminal.width else {
            return self
                .rows
                .iter()
                .map(|r| {
                    let cells: Vec<String> = r
                        .iter()
                        .enumerate()
                        .map(|(i, c)| match self.paint_of(i, c) {
                            Some(paint) => paint.paint(c, terminal.color),
                            None => c.clone(),
                        })
                        .collect();
                    format!("{}\n", cells.join("\t"))
                })
                .collect();
        };
        let mut table = comfy_table::Table::new();
        table
            .load_style(NOTHING)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_truncation_indicator("…")
            .set_header(self.headers.iter().map(|h| h.to_uppercase()));
        if terminal.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        for cells in &self.rows {
            let mut row = Row::from(cells.iter().enumerate().map(|(i, c)| {
                let text = one_line(c);
                match self.paint_of(i, c) {
                    Some(paint) if terminal.color => paint.cell(text),
                    _ => Cell::new(text),
                }
            }));
            row.max_height(1);
            table.add_row(row);
        }
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        table
            .lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect()
    }
}

/// `key: value` lines with the values aligned.
pub fn key_values(pairs: &[(&str, String)]) -> String {
    let width = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{:<width$}  {}\n",
                format!("{k}:"),
                one_line(v),
                width = width + 1
            )
        })
        .collect()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Terminal = Terminal {
        width: Some(60),
        color: false,
    };

    fn sample() -> Table {
        let mut t = Table::new(["slug", "type", "description"]);
        t.row([
            "create-image",
            "image",
            "Generate an image from a text prompt.",
        ]);
        t.row([
            "text-to-speech",
            "audio",
            "Turn text into natural speech, in many voices and languages.",
        ]);
        t
    }

    #[test]
    fn terminal_tables_are_aligned_and_cut_to_the_width() {
        let out = sample().render(PLAIN);
        for line in out.lines() {
            assert!(line.chars().count() <= 60, "{line:?}");
        }
        assert!(out.starts_with("SLUG"));
        assert!(out.contains('…'), "{out}");
        let at = out.find("TYPE").unwrap();
        for line in out.lines().skip(1) {
            assert!(
                line[at..].starts_with("image") || line[at..].starts_with("audio"),
                "{out}"
            );
        }
    }

    #[test]
    fn piped_tables_are_tab_separated_without_header() {
        let out = sample().render(Terminal {
            width: None,
            color: false,
        });
        assert_eq!(
            out.lines().next(),
            Some("create-image\timage\tGenerate an image from a text prompt.")
        );
        assert_eq!(out.lines().count(), 2);
    }

    fn statuses() -> Table {
        let mut t = Table::new(["id", "status"])
            .paint("id", |_| Some(Paint::Id))
            .paint("status", Paint::of_status);
        t.row(["a1", "success"]);
        t.row(["b2", "error"]);
        t.row(["c3", "processing"]);
        t
    }

    #[test]
    fn coloured_tables_paint_statuses_and_ids_and_stay_aligned() {
        let out = statuses().render(Terminal {
            width: Some(60),
            color: true,
        });
        assert!(out.contains("\u{1b}[38;5;2msuccess"), "{out:?}");
        let plain = statuses().render(PLAIN);
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
        let strip = |s: &str| {
            let mut text = String::new();
            let mut escape = false;
            for c in s.chars() {
                match c {
                    '\u{1b}' => escape = true,
                    'm' if escape => escape = false,
                    _ if escape => {}
                    _ => text.push(c),
                }
            }
            text
        };
        // The same text in the same places once the escapes are gone (a
        // coloured last cell keeps its padding inside its escapes).
        let stripped: String = strip(&out)
            .lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect();
        assert_eq!(stripped, plain);
    }

    #[test]
    fn piped_lines_are_coloured_only_when_asked() {
        let piped = |color| statuses().render(Terminal { width: None, color });
        assert_eq!(piped(false), "a1\tsuccess\nb2\terror\nc3\tprocessing\n");
        assert!(
            piped(true).contains("\u{1b}[38;5;1merror\u{1b}[0m"),
            "{:?}",
            piped(true)
        );
    }

    #[test]
    fn key_values_align_values() {
        let out = key_values(&[("email", "a@b.c".into()), ("credits", "100".into())]);
        assert_eq!(out, "email:    a@b.c\ncredits:  100\n");
    }
}
