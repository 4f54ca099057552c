//! Progress while waiting for a generation: a spinner with the status and the
//! elapsed time on a terminal, one plain line per status change elsewhere.

use std::io::IsTerminal;
use std::time::Duration;

use artificial_studio_types::GenerationStatus;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shows a generation's progress on stderr.
pub struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    id: String,
}

impl Progress {
    /// Progress for generation `id`; silent when `quiet`.
    pub fn new(id: &str, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{spinner:.cyan} {msg} {elapsed:.dim}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.set_message(format!("{id}: starting"));
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Progress {
            bar,
            plain: !quiet && !terminal,
            id: id.to_string(),
        }
    }

    /// Shows a new status.
    pub fn status(&self, status: &GenerationStatus, elapsed: Duration) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{}: {status}", self.id));
        } else if self.plain {
            eprintln!("{}: {status} ({:.1}s)", self.id, elapsed.as_secs_f64());
        }
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
