//! `BENCHMARKS.md`: the headline ratios with their targets, the machine and
//! tools, one section per measurement with its command lines, the profiles of
//! missed targets, and the hand-written notes kept from the previous file.

use std::fmt::Write;

use crate::machine::Machine;

/// Where the hand-written part of `BENCHMARKS.md` starts and ends; a new run
/// copies what is between these markers from the old file.
pub const NOTES_START: &str = "<!-- notes: hand-written, kept by `cargo xtask bench` -->";
/// See [`NOTES_START`].
pub const NOTES_END: &str = "<!-- end of notes -->";

/// Whether a measurement met its target.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// It did.
    Met,
    /// It did not.
    Missed,
    /// There is no target: the number is for reference.
    Reference,
    /// It could not be measured (why).
    NotMeasured(String),
}

impl Verdict {
    /// `Met` when `ok`, else `Missed`.
    pub fn from(ok: bool) -> Verdict {
        if ok { Verdict::Met } else { Verdict::Missed }
    }

    fn cell(&self) -> String {
        match self {
            Verdict::Met => "yes".to_string(),
            Verdict::Missed => "**NO, missed**".to_string(),
            Verdict::Reference => "(no target)".to_string(),
            Verdict::NotMeasured(why) => format!("**not measured**: {why}"),
        }
    }
}

/// One line of the headline table.
#[derive(Debug, Clone)]
pub struct Headline {
    /// What is compared.
    pub what: String,
    /// The measured value: median (min–max).
    pub measured: String,
    /// The target, in words.
    pub target: String,
    /// Met or not.
    pub verdict: Verdict,
    /// The section that has the details and, when missed, the profile.
    pub section: String,
}

/// A markdown table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column titles.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column titles.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn render(&self, out: &mut String) {
        let escape = |c: &String| c.replace('|', "\\|");
        let _ = writeln!(
            out,
            "| {} |",
            self.header
                .iter()
                .map(escape)
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let _ = writeln!(out, "|{}", "---|".repeat(self.header.len()));
        for row in &self.rows {
            let _ = writeln!(
                out,
                "| {} |",
                row.iter().map(escape).collect::<Vec<_>>().join(" | ")
            );
        }
        out.push('\n');
    }
}

/// One measurement's section.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Its title (also the anchor the headline points to).
    pub title: String,
    /// How it was measured, in a few sentences.
    pub method: String,
    /// Its tables, each with an optional caption.
    pub tables: Vec<(String, Table)>,
    /// Findings worth a sentence (status mix, anomalies).
    pub findings: Vec<String>,
    /// The exact command lines run (templates where a command repeats).
    pub commands: Vec<String>,
    /// Profiles of missed targets: (title, summary text).
    pub profiles: Vec<(String, String)>,
    /// Why it could not be measured, when it could not.
    pub failure: Option<String>,
}

impl Section {
    /// An empty section with a title.
    pub fn new(title: &str) -> Section {
        Section {
            title: title.to_string(),
            ..Section::default()
        }
    }

    /// Records a command line once.
    pub fn command(&mut self, line: impl Into<String>) {
        let line = line.into();
        if !self.commands.contains(&line) {
            self.commands.push(line);
        }
    }
}

/// Everything a run found.
#[derive(Debug, Clone)]
pub struct Report {
    /// `--quick` numbers are indicative only.
    pub quick: bool,
    /// The machine.
    pub machine: Machine,
    /// Load averages at the start and at the end.
    pub load: ([f64; 3], [f64; 3]),
    /// Other processes busy (share of a core) just before the start.
    pub busy: Vec<(String, f64)>,
    /// How long the whole run took, in seconds.
    pub elapsed_secs: f64,
    /// Tool name and version line.
    pub tools: Vec<(String, String)>,
    /// The headline rows.
    pub headline: Vec<Headline>,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// The hand-written notes kept from the previous file.
    pub notes: String,
}

fn anchor(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() => Some(c),
            ' ' | '-' => Some('-'),
            _ => None,
        })
        .collect()
}

/// The notes of an existing `BENCHMARKS.md` (between the markers), if any.
pub fn kept_notes(old: &str) -> Option<String> {
    let start = old.find(NOTES_START)? + NOTES_START.len();
    let end = old[start..].find(NOTES_END)? + start;
    Some(old[start..end].trim().to_string())
}

impl Report {
    /// The markdown text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let m = &self.machine;
        out.push_str("# Benchmarks\n\n");
        let _ = writeln!(
            out,
            "Written by `cargo xtask bench{}` on {} at commit {}. Every ratio compares \
             two things measured side by side, in interleaved rounds, in this one run on this \
             one machine; absolute numbers from another run or machine are not comparable. \
             Each value is the **median (min–max)** over the repetitions stated in its section.\n",
            if self.quick { " --quick" } else { "" },
            m.date,
            m.commit
        );
        if self.quick {
            out.push_str(
                "> **Quick run**: short rounds for development. The numbers are indicative only; \
                 run `cargo xtask bench` for the real ones.\n\n",
            );
        }
        let (start, end) = self.load;
        let _ = writeln!(
            out,
            "**Load** (1/5/15-minute averages, {} cores): {:.2} / {:.2} / {:.2} at the start, \
             {:.2} / {:.2} / {:.2} at the end (which counts the benchmark's own last minutes). \
             Busy just before the start (share of one core over one second): {}. Other work \
             sharing the cores moves the absolute numbers much more than the ratios. The whole \
             run took {:.0} s.\n",
            m.cores,
            start[0],
            start[1],
            start[2],
            end[0],
            end[1],
            end[2],
            if self.busy.is_empty() {
                "nothing".to_string()
            } else {
                self.busy
                    .iter()
                    .take(6)
                    .map(|(name, share)| format!("`{name}` {:.0}%", share * 100.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            self.elapsed_secs
        );

        out.push_str("## Headline\n\n");
        let mut headline = Table::new(&["what", "measured", "target", "target met?"]);
        for h in &self.headline {
            headline.row(vec![
                format!("{} ([details](#{}))", h.what, anchor(&h.section)),
                h.measured.clone(),
                h.target.clone(),
                h.verdict.cell(),
            ]);
        }
        headline.render(&mut out);
        let missed: Vec<&Headline> = self
            .headline
            .iter()
            .filter(|h| h.verdict == Verdict::Missed)
            .collect();
        if missed.is_empty() {
            out.push_str("Every measured target is met.\n\n");
        } else {
            let _ = writeln!(
                out,
                "**{} target(s) missed**: {}. Their sections carry a profile of where the time \
                 goes; the notes at the end say what was done about it.\n",
                missed.len(),
                missed
                    .iter()
                    .map(|h| h.what.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }

        out.push_str("## Machine and tools\n\n");
        let mut machine = Table::new(&["", ""]);
        machine.row(vec!["CPU".into(), m.cpu.clone()]);
        machine.row(vec!["cores".into(), m.cores.to_string()]);
        machine.row(vec!["memory".into(), format!("{:.1} GiB", m.ram_gib)]);
        machine.row(vec!["kernel".into(), m.kernel.clone()]);
        machine.row(vec!["system".into(), m.os.clone()]);
        for (name, version) in &self.tools {
            machine.row(vec![name.clone(), format!("`{version}`")]);
        }
        machine.render(&mut out);

        for section in &self.sections {
            let _ = writeln!(out, "## {}\n", section.title);
            if let Some(failure) = &section.failure {
                let _ = writeln!(out, "**Not measured**: {failure}\n");
            }
            if !section.method.is_empty() {
                let _ = writeln!(out, "{}\n", section.method);
            }
            for (caption, table) in &section.tables {
                if !caption.is_empty() {
                    let _ = writeln!(out, "{caption}\n");
                }
                table.render(&mut out);
            }
            for finding in &section.findings {
                let _ = writeln!(out, "- {finding}");
            }
            if !section.findings.is_empty() {
                out.push('\n');
            }
            for (title, text) in &section.profiles {
                let _ = writeln!(
                    out,
                    "**Profile: {title}**\n\n```text\n{}\n```\n",
                    text.trim_end()
                );
            }
            if !section.commands.is_empty() {
                out.push_str("<details><summary>Commands</summary>\n\n```sh\n");
                for command in &section.commands {
                    let _ = writeln!(out, "{command}");
                }
                out.push_str("```\n\n</details>\n\n");
            }
        }

        out.push_str("## Notes\n\n");
        let _ = writeln!(out, "{NOTES_START}\n\n{}\n\n{NOTES_END}", self.notes.trim());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_between_the_markers_survive_a_rewrite() {
        let old = format!("# B\n\n## Notes\n\n{NOTES_START}\n\nkept *text*\n\n{NOTES_END}\n");
        assert_eq!(kept_notes(&old).as_deref(), Some("kept *text*"));
        assert_eq!(kept_notes("no markers"), None);
    }

    #[test]
    fn anchors_follow_github_headings() {
        assert_eq!(
            anchor("1. Mock server: throughput"),
            "1-mock-server-throughput"
        );
    }
}
