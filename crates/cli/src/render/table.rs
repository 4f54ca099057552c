//! Aligned tables for lists, key/value blocks for single objects.
//!
//! On a terminal, tables are aligned and each row is cut to one line at the
//! terminal width, as `gh` does. Elsewhere (a pipe, a file) rows are
//! tab-separated with no header, so `cut` and `awk` work on them.

use comfy_table::{ContentArrangement, Row, presets::NOTHING};

/// Rows of text under a header.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column names.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds one row.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The table as text: aligned and cut to `width` on a terminal, or
    /// tab-separated when `width` is `None`.
    pub fn render(&self, width: Option<u16>) -> String {
        let Some(width) = width else {
            return self
                .rows
                .iter()
                .map(|r| format!("{}\n", r.join("\t")))
                .collect();
        };
        let mut table = comfy_table::Table::new();
        table
            .load_style(NOTHING)
            .force_no_tty()
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_truncation_indicator("…")
            .set_header(self.headers.iter().map(|h| h.to_uppercase()));
        for cells in &self.rows {
            let mut row = Row::from(cells.iter().map(|c| one_line(c)));
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
        let out = sample().render(Some(60));
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
        let out = sample().render(None);
        assert_eq!(
            out.lines().next(),
            Some("create-image\timage\tGenerate an image from a text prompt.")
        );
        assert_eq!(out.lines().count(), 2);
    }

    #[test]
    fn key_values_align_values() {
        let out = key_values(&[("email", "a@b.c".into()), ("credits", "100".into())]);
        assert_eq!(out, "email:    a@b.c\ncredits:  100\n");
    }
}
