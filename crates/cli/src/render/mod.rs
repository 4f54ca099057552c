//! Rendering: how results reach stdout, as JSON for scripts or as tables and
//! key/value blocks for people. Nothing here talks to the API.

mod generation;
mod style;
mod table;
mod tool;

use std::io::Write;

use serde::Serialize;
use serde_json::Value;

use crate::jq::Jq;
use crate::report::Failure;

pub use generation::{generation_block, generations_table};
pub use style::{Paint, Terminal, configure, terminal};
pub use table::{Table, key_values};
pub use tool::{price, tool_details};

/// Prints `value` as pretty JSON on stdout, or what `jq` makes of it.
pub fn print_json<T: Serialize>(value: &T, jq: Option<&Jq>) -> Result<(), Failure> {
    let cannot = |e: serde_json::Error| Failure::Local(format!("cannot print JSON: {e}"));
    let text = match jq {
        Some(jq) => {
            let value = serde_json::to_value(value).map_err(cannot)?;
            jq.run(&value)
                .map_err(|e| Failure::Local(format!("--jq: {e}")))?
        }
        None => serde_json::to_string_pretty(value).map_err(cannot)? + "\n",
    };
    out(text);
    Ok(())
}

/// Writes to stdout. A reader that went away (`astudio ... | head`) leaves
/// nothing to report to, so a failed write is ignored rather than a panic
/// (which `print!` would raise).
pub(crate) fn out(text: impl AsRef<[u8]>) {
    let _ = std::io::stdout().lock().write_all(text.as_ref());
}

/// A byte count as a person reads it: `512 B`, `1.5 KiB`, `2.0 MiB`.
pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// A value the service may leave out, as a table cell: its text, or `-`.
pub fn shown(value: &Option<impl std::fmt::Display>) -> String {
    value
        .as_ref()
        .map_or_else(|| "-".to_string(), ToString::to_string)
}

/// A JSON value as a cell: strings without their quotes.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
