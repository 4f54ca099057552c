//! The results file of a batch: one JSON line per event, appended and
//! flushed as it happens (so a crash loses nothing finished), read back to
//! resume, and rewritten at the end as one line per input line.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::report::Failure;

/// Where a line of a batch stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The generation was created (`generation_id`) and is not saved yet
    /// (it is still running, or waiting for it or saving it failed, with
    /// `error`): a resumed batch waits for it instead of running the line again.
    Running,
    /// The output is saved (`output`).
    Success,
    /// The run was refused, or the generation ended in `error` (`error`);
    /// a resumed batch runs the line again.
    Error,
    /// The line was not started (credits ran out); a resumed batch runs it.
    NotStarted,
    /// A status written by another version: not done, so run again.
    #[serde(other)]
    Unknown,
}

/// One line's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The line number in the batch file.
    pub line: usize,
    /// The tool the line ran.
    #[serde(default)]
    pub tool: String,
    /// The generation, once created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<String>,
    /// Where the line stands.
    pub status: Status,
    /// The saved output file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<PathBuf>,
    /// Why the line failed or was not started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The last record of each line in the file at `path`; none when there is no
/// file yet. A line that is not a record (cut short by a crash) is skipped.
pub fn load(path: &Path) -> Result<BTreeMap<usize, Record>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => {
            return Err(Failure::Local(format!(
                "cannot read the results file {}: {e}",
                path.display()
            )));
        }
    };
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str::<Record>(line).ok())
        .map(|record| (record.line, record))
        .collect())
}

/// The results file, open for appending.
pub struct Results {
    path: PathBuf,
    file: Mutex<std::fs::File>,
}

impl Results {
    /// Opens (or creates) the file at `path` for appending.
    pub fn open(path: &Path) -> Result<Results, Failure> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| cannot_write(path, &e))?;
        Ok(Results {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// Appends `record` as one line, written and flushed before returning.
    pub fn append(&self, record: &Record) -> Result<(), Failure> {
        let mut line = serde_json::to_vec(record)
            .map_err(|e| Failure::Local(format!("cannot write a result: {e}")))?;
        line.push(b'\n');
        // A poisoned lock only means another writer panicked between writes:
        // every write is one whole line, so the file is still good.
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(&line)
            .and_then(|()| file.flush())
            .map_err(|e| cannot_write(&self.path, &e))
    }

    /// Rewrites the file as the last record of each line, in line order,
    /// through a temporary file so that a crash leaves the old one whole.
    pub fn compact(&self, records: &BTreeMap<usize, Record>) -> Result<(), Failure> {
        let mut text = Vec::new();
        for record in records.values() {
            serde_json::to_writer(&mut text, record)
                .map_err(|e| Failure::Local(format!("cannot write a result: {e}")))?;
            text.push(b'\n');
        }
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        let _guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        std::fs::write(&temporary, &text).map_err(|e| cannot_write(&temporary, &e))?;
        std::fs::rename(&temporary, &self.path).map_err(|e| cannot_write(&self.path, &e))
    }
}

fn cannot_write(path: &Path, e: &std::io::Error) -> Failure {
    Failure::Local(format!(
        "cannot write the results file {}: {e}",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: usize, status: Status) -> Record {
        Record {
            line,
            tool: "create-image".into(),
            generation_id: Some(format!("g{line}")),
            status,
            output: None,
            error: None,
        }
    }

    #[test]
    fn the_last_record_of_a_line_wins_and_a_cut_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let results = Results::open(&path).unwrap();
        results.append(&record(1, Status::Running)).unwrap();
        results.append(&record(2, Status::Running)).unwrap();
        results.append(&record(1, Status::Success)).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"line\":2,\"sta")
            .unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded[&1].status, Status::Success);
        assert_eq!(loaded[&2].status, Status::Running);
        results.compact(&loaded).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 2);
    }

    #[test]
    fn an_unknown_status_reads_as_not_done() {
        let r: Record = serde_json::from_str(r#"{"line":3,"status":"queued","extra":1}"#).unwrap();
        assert_eq!(r.status, Status::Unknown);
    }
}
