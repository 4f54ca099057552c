//! `astudio batch`: many generations from a JSONL or CSV file. Every line is
//! checked and priced before anything runs; then a few run at once, each is
//! waited for and saved, and its result appended to a results file that a
//! second run resumes from.

mod lines;
mod results;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use artificial_studio::{Error, ErrorKind, NotFound, WaitOptions};
use artificial_studio_types::{Generation, GenerationType, Plan};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use tokio::sync::watch;

use self::lines::{BadLine, Fetched, Line};
use self::results::{Record, Results, Status};
use crate::app::App;
use crate::args::{BatchArgs, BatchFormat};
use crate::render::out;
use crate::report::Failure;

/// The runs a minute of each plan's `POST /api/run` bucket (the documented
/// limits); a plan this version does not know counts as free.
fn runs_per_minute(plan: &Plan) -> u32 {
    match plan {
        Plan::Pro => 60,
        Plan::Free | Plan::Unknown(_) => 20,
    }
}

/// The default concurrency: a sixth of the plan's runs a minute (free 3, pro
/// 10), so that slots busy for about ten seconds each start no more runs than
/// the limit allows; a faster batch meets `429`s, which are waited out.
fn default_concurrency(plan: &Plan) -> usize {
    (runs_per_minute(plan) / 6).max(1) as usize
}

/// The wait after a `429` that gave no `Retry-After`.
const RATE_LIMIT_PAUSE: Duration = Duration::from_secs(1);

/// The credits of a set of lines, by tool.
#[derive(Debug, Default, Serialize)]
struct Pricing {
    /// How many lines.
    lines: usize,
    /// Their credits (lines of unpublished price count 0).
    #[serde(serialize_with = "whole_if_whole")]
    credits: f64,
    /// Lines whose model publishes no price.
    #[serde(skip_serializing_if = "is_zero")]
    unpriced: usize,
    /// The same, per tool.
    by_tool: BTreeMap<String, ToolPricing>,
}

/// The lines and credits of one tool.
#[derive(Debug, Default, Serialize)]
struct ToolPricing {
    lines: usize,
    #[serde(serialize_with = "whole_if_whole")]
    credits: f64,
}

/// Credits as a JSON integer when whole (`12`, not `12.0`).
fn whole_if_whole<S: serde::Serializer>(n: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        serializer.serialize_i64(*n as i64)
    } else {
        serializer.serialize_f64(*n)
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Pricing {
    fn of<'a>(lines: impl IntoIterator<Item = &'a Line>) -> Pricing {
        let mut pricing = Pricing::default();
        for line in lines {
            let credits = line.credits.unwrap_or(0.0);
            pricing.lines += 1;
            pricing.credits += credits;
            pricing.unpriced += usize::from(line.credits.is_none());
            let tool = pricing.by_tool.entry(line.tool.clone()).or_default();
            tool.lines += 1;
            tool.credits += credits;
        }
        pricing
    }

    fn render(&self) -> String {
        let mut text = format!(
            "{}, {}\n",
            plural(self.lines, "line"),
            credits(self.credits)
        );
        let width = self.by_tool.keys().map(String::len).max().unwrap_or(0);
        for (tool, priced) in &self.by_tool {
            text.push_str(&format!(
                "  {tool:<width$}  {:<9} {}\n",
                plural(priced.lines, "line"),
                credits(priced.credits)
            ));
        }
        if self.unpriced > 0 {
            text.push_str(&format!(
                "  (and {} of unpublished price, counted as 0)\n",
                plural(self.unpriced, "line")
            ));
        }
        text
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn credits(n: f64) -> String {
    let n = if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n:.2}")
    };
    if n == "1" {
        "1 credit".into()
    } else {
        format!("{n} credits")
    }
}

/// How a batch ended, for people and for `--json`.
#[derive(Debug, Default, Serialize)]
struct Summary {
    /// Lines that succeeded in this run.
    done: usize,
    /// Lines that failed in this run.
    failed: usize,
    /// Lines skipped as already done in the results file.
    skipped: usize,
    /// Lines not started because credits ran out (or the batch stopped).
    not_started: usize,
    /// The credits of the lines that succeeded in this run.
    #[serde(serialize_with = "whole_if_whole")]
    credits_spent: f64,
    /// The credits the lines not started would need.
    #[serde(serialize_with = "whole_if_whole")]
    credits_needed: f64,
    /// The results file.
    results: PathBuf,
}

/// What one line came to.
enum Outcome {
    Done,
    Failed,
    /// Not started: credits ran out (this line's run was refused with a
    /// `402`, or an earlier one was).
    NotStarted,
    /// Ctrl-C: not started, or left `running` for the next run to wait for.
    Interrupted,
}

/// What every line's task shares.
struct Shared {
    out: PathBuf,
    results: Results,
    /// Set on the first `402`: start no more runs.
    out_of_credits: AtomicBool,
    /// Set on Ctrl-C: start no more runs, stop waiting, but let a run being
    /// sent get its answer and its `running` result.
    interrupted: watch::Sender<bool>,
    bar: ProgressBar,
}

impl Shared {
    fn is_interrupted(&self) -> bool {
        *self.interrupted.borrow()
    }

    /// Ready once Ctrl-C was pressed.
    async fn interrupt(&self) {
        let mut interrupted = self.interrupted.subscribe();
        let _ = interrupted.wait_for(|i| *i).await;
    }
}

impl App {
    /// `astudio batch FILE`.
    pub(crate) async fn batch(&self, args: BatchArgs) -> Result<(), Failure> {
        let text = tokio::fs::read_to_string(&args.file).await.map_err(|e| {
            Failure::Usage(format!("cannot read {}: {e}", args.file.display()), None)
        })?;
        let format = args.format.unwrap_or_else(|| format_of(&args.file));
        let lines = self.checked_lines(&text, format, &args).await?;
        let pricing = Pricing::of(&lines);
        if args.dry_run {
            return if self.global.json {
                self.print_json(&pricing)
            } else {
                out(pricing.render());
                Ok(())
            };
        }

        tokio::fs::create_dir_all(&args.out)
            .await
            .map_err(|e| Failure::Local(format!("cannot create {}: {e}", args.out.display())))?;
        let results_path = args
            .results
            .clone()
            .unwrap_or_else(|| in_dir(&args.out, &default_results_name(&args.file)));
        let mut records = results::load(&results_path)?;
        let concurrency = match args.concurrency {
            Some(n) => n as usize,
            None => default_concurrency(&self.client.account().await?.plan),
        };

        let mut summary = Summary {
            results: results_path.clone(),
            ..Summary::default()
        };
        let mut jobs = Vec::new();
        for line in lines {
            match records.get(&line.number) {
                Some(r) if r.status == Status::Success && r.tool == line.tool => {
                    summary.skipped += 1;
                }
                Some(r) if r.status == Status::Running && r.tool == line.tool => {
                    let id = r.generation_id.clone();
                    jobs.push((line, id));
                }
                _ => jobs.push((line, None)),
            }
        }
        if summary.skipped > 0 {
            self.note(format!(
                "{} already done in {}",
                plural(summary.skipped, "line"),
                results_path.display()
            ));
        }

        let shared = Arc::new(Shared {
            out: args.out.clone(),
            results: Results::open(&results_path)?,
            out_of_credits: AtomicBool::new(false),
            interrupted: watch::Sender::new(false),
            bar: self.batch_bar(jobs.len()),
        });
        let mut not_started = Vec::new();
        let mut fatal = None;
        let mut tasks = futures::stream::iter(jobs.into_iter().map(|(line, running)| {
            let shared = shared.clone();
            async move {
                let outcome = self.one_line(&line, running, &shared).await;
                (line, outcome)
            }
        }))
        .buffer_unordered(concurrency);
        // The first Ctrl-C lets the runs being sent record their ids (a run
        // cut off in flight would be created, unrecorded, and run again on
        // resume); a second one stops at once.
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        loop {
            tokio::select! {
                next = tasks.next() => match next {
                    None => break,
                    Some((line, Ok(Outcome::Done))) => {
                        summary.done += 1;
                        summary.credits_spent += line.credits.unwrap_or(0.0);
                    }
                    Some((_, Ok(Outcome::Failed))) => summary.failed += 1,
                    Some((line, Ok(Outcome::NotStarted))) => not_started.push(line),
                    Some((_, Ok(Outcome::Interrupted))) => {}
                    Some((_, Err(failure))) => {
                        // The results file cannot be written: start nothing more.
                        shared.out_of_credits.store(true, Ordering::SeqCst);
                        fatal.get_or_insert(failure);
                    }
                },
                _ = &mut ctrl_c => {
                    if shared.is_interrupted() {
                        break;
                    }
                    shared.interrupted.send_replace(true);
                    shared.bar.suspend(|| {
                        self.note("interrupted: saving the ids of the runs being sent (Ctrl-C again to stop at once)");
                    });
                    ctrl_c.set(tokio::signal::ctrl_c());
                }
            }
        }
        drop(tasks);
        shared.bar.finish_and_clear();
        if shared.is_interrupted() {
            return Err(Failure::Interrupted(format!(
                "interrupted: {} done so far; run the same command again to resume from {}",
                plural(summary.done, "line"),
                results_path.display()
            )));
        }
        if let Some(failure) = fatal {
            return Err(failure);
        }

        records = results::load(&results_path)?;
        for line in &not_started {
            records.insert(
                line.number,
                Record {
                    line: line.number,
                    tool: line.tool.clone(),
                    generation_id: None,
                    status: Status::NotStarted,
                    output: None,
                    error: Some("not enough credits".into()),
                },
            );
        }
        shared.results.compact(&records)?;
        summary.not_started = not_started.len();
        summary.credits_needed = not_started.iter().filter_map(|l| l.credits).sum();
        if self.global.json {
            self.print_json(&summary)?;
        } else {
            out(render_summary(&summary));
        }
        self.batch_outcome(&summary).await
    }

    /// Reads, types, names, checks and prices every line; fails with all the
    /// bad lines at once, before anything runs.
    async fn checked_lines(
        &self,
        text: &str,
        format: BatchFormat,
        args: &BatchArgs,
    ) -> Result<Vec<Line>, Failure> {
        let (raw, mut bad) = lines::read(text, format);
        let slugs: BTreeSet<String> = raw
            .iter()
            .filter_map(|l| l.tool.clone().or_else(|| args.tool.clone()))
            .collect();
        let mut tools: Fetched = HashMap::new();
        for slug in slugs {
            let fetched = match self.client.tool(&slug).await {
                Ok(tool) => Ok(tool),
                Err(e) if e.not_found() == Some(NotFound::Tool) => {
                    Err(format!("tool `{slug}` not found"))
                }
                Err(e) => return Err(e.into()),
            };
            tools.insert(slug, fetched);
        }
        let mut checked = Vec::new();
        for line in raw {
            match lines::resolve(line, args.tool.as_deref(), &tools) {
                Ok(line) => checked.push(line),
                Err(problem) => bad.push(problem),
            }
        }
        lines::name_outputs(&mut checked, &mut bad);
        if bad.is_empty() && checked.is_empty() {
            return Err(Failure::Usage(
                format!("{} has no lines to run", args.file.display()),
                None,
            ));
        }
        if bad.is_empty() {
            return Ok(checked);
        }
        bad.sort_by_key(|b| b.line);
        let total = checked.len() + bad.len();
        if self.global.json {
            #[derive(Serialize)]
            struct Invalid<'a> {
                invalid: &'a [BadLine],
            }
            self.print_json(&Invalid { invalid: &bad })?;
        } else {
            eprint!("{}", render_bad_lines(&bad));
        }
        Err(Failure::Usage(
            format!("{} of {total} lines cannot run; nothing was run", bad.len()),
            Some("fix the lines above, or check the prices first with --dry-run".into()),
        ))
    }

    fn batch_bar(&self, len: usize) -> ProgressBar {
        if self.global.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        let style =
            ProgressStyle::with_template("{bar:30.cyan/dim} {pos}/{len} {msg} {elapsed:.dim}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// Runs (or, resuming, waits for) one line and saves its output. `Err`
    /// only when its result cannot be recorded.
    async fn one_line(
        &self,
        line: &Line,
        running: Option<String>,
        shared: &Shared,
    ) -> Result<Outcome, Failure> {
        let record = |status, generation_id: Option<&str>| Record {
            line: line.number,
            tool: line.tool.clone(),
            generation_id: generation_id.map(String::from),
            status,
            output: None,
            error: None,
        };
        let id = match running {
            Some(id) => id,
            None => {
                if shared.out_of_credits.load(Ordering::SeqCst) {
                    return Ok(Outcome::NotStarted);
                }
                match self.start(line, shared).await {
                    Ok(None) => return Ok(Outcome::Interrupted),
                    Ok(Some(id)) => {
                        shared.results.append(&record(Status::Running, Some(&id)))?;
                        id
                    }
                    Err(e) if e.kind() == Some(ErrorKind::PaymentRequired) => {
                        shared.out_of_credits.store(true, Ordering::SeqCst);
                        return Ok(Outcome::NotStarted);
                    }
                    Err(e) => {
                        return self.failed(shared, record(Status::Error, None), message_of(&e));
                    }
                }
            }
        };
        // Only a generation that ended in `error` is run again on resume;
        // after any other failure (a timeout, the network, a download) it
        // stays `running`, so that a resumed batch waits for it instead.
        let finished = async {
            match self.wait_out_limits(&id).await {
                Ok(generation) => self
                    .save_output(&generation, line, &shared.out)
                    .await
                    .map_err(|message| (Status::Running, message)),
                Err(e @ Error::GenerationFailed { .. }) => Err((Status::Error, message_of(&e))),
                Err(e) => Err((Status::Running, message_of(&e))),
            }
        };
        let saved = tokio::select! {
            saved = finished => saved,
            () = shared.interrupt() => return Ok(Outcome::Interrupted),
        };
        match saved {
            Ok(path) => {
                shared.results.append(&Record {
                    output: Some(path),
                    ..record(Status::Success, Some(&id))
                })?;
                shared.bar.inc(1);
                Ok(Outcome::Done)
            }
            Err((status, message)) => self.failed(shared, record(status, Some(&id)), message),
        }
    }

    fn failed(&self, shared: &Shared, record: Record, message: String) -> Result<Outcome, Failure> {
        shared
            .bar
            .suspend(|| self.note(format!("line {}: {message}", record.line)));
        shared.results.append(&Record {
            error: Some(message),
            ..record
        })?;
        shared.bar.inc(1);
        Ok(Outcome::Failed)
    }

    /// Starts a line's generation and returns its id; a `429` is waited out
    /// and the run sent again (a `429` means the run was not taken), however
    /// many come. `None` when Ctrl-C came first: a run being sent is never
    /// cut off, as it may have been created.
    async fn start(&self, line: &Line, shared: &Shared) -> Result<Option<String>, Error> {
        loop {
            if shared.is_interrupted() {
                return Ok(None);
            }
            match self.client.run(&line.tool, &line.input, None).await {
                Ok(started) => return Ok(Some(started.id)),
                Err(e) if e.kind() == Some(ErrorKind::TooManyRequests) => {
                    let pause = tokio::time::sleep(e.retry_after().unwrap_or(RATE_LIMIT_PAUSE));
                    tokio::select! {
                        () = pause => {}
                        () = shared.interrupt() => return Ok(None),
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Waits for a generation, waiting out `429`s on the way.
    async fn wait_out_limits(&self, id: &str) -> Result<Generation, Error> {
        loop {
            let options = WaitOptions::default().interval(self.wait_interval);
            match self.client.wait(id, options).await {
                Err(e) if e.kind() == Some(ErrorKind::TooManyRequests) => {
                    tokio::time::sleep(e.retry_after().unwrap_or(RATE_LIMIT_PAUSE)).await;
                }
                other => return other,
            }
        }
    }

    /// Downloads a finished generation's output into `dir` as the line's
    /// stem with the output's extension.
    async fn save_output(
        &self,
        generation: &Generation,
        line: &Line,
        dir: &Path,
    ) -> Result<PathBuf, String> {
        let path = in_dir(dir, &format!("{}.{}", line.stem, extension(generation)));
        loop {
            let mut file = tokio::fs::File::create(&path)
                .await
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            match self.client.download(generation, &mut file).await {
                Ok(_) => return Ok(path),
                Err(e) if e.kind() == Some(ErrorKind::TooManyRequests) => {
                    tokio::time::sleep(e.retry_after().unwrap_or(RATE_LIMIT_PAUSE)).await;
                }
                Err(e) => return Err(message_of(&e)),
            }
        }
    }

    /// Exit 0 when every line is done; else a failure that says what is left.
    async fn batch_outcome(&self, summary: &Summary) -> Result<(), Failure> {
        if summary.not_started > 0 {
            let balance = match self.client.account().await {
                Ok(account) => format!(" (balance: {})", credits(account.credits as f64)),
                Err(_) => String::new(),
            };
            return Err(Failure::Local(format!(
                "not enough credits: {} not started; they need {}{balance}; add credits and run the same command again",
                plural(summary.not_started, "line"),
                credits(summary.credits_needed),
            )));
        }
        if summary.failed > 0 {
            return Err(Failure::Local(format!(
                "{} failed (see {}); run the same command again to retry them",
                plural(summary.failed, "line"),
                summary.results.display()
            )));
        }
        Ok(())
    }
}

/// A line's failure in words: a failed generation's own message.
fn message_of(e: &Error) -> String {
    match e {
        Error::GenerationFailed { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// CSV for a `.csv` file, else JSONL.
fn format_of(file: &Path) -> BatchFormat {
    match file.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("csv") => BatchFormat::Csv,
        _ => BatchFormat::Jsonl,
    }
}

/// `name` in `dir`; `name` alone in the current directory (not `./name`).
fn in_dir(dir: &Path, name: &str) -> PathBuf {
    if dir == Path::new(".") {
        PathBuf::from(name)
    } else {
        dir.join(name)
    }
}

/// `prompts.jsonl` → `prompts.results.jsonl`.
fn default_results_name(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map_or_else(|| "batch".into(), |s| s.to_string_lossy());
    format!("{stem}.results.jsonl")
}

/// The output's extension: from its URL, else from the generation's type.
fn extension(generation: &Generation) -> String {
    let from_url = generation
        .output
        .as_deref()
        .and_then(|url| url.split(['?', '#']).next())
        .and_then(|path| path.rsplit('/').next())
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext)
        .filter(|ext| {
            !ext.is_empty() && ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if let Some(ext) = from_url {
        return ext.to_ascii_lowercase();
    }
    match generation.type_ {
        Some(GenerationType::Image) => "png",
        Some(GenerationType::Video) => "mp4",
        Some(GenerationType::Audio) => "wav",
        Some(GenerationType::Text) => "txt",
        Some(GenerationType::Object) => "glb",
        _ => "bin",
    }
    .into()
}

fn render_bad_lines(bad: &[BadLine]) -> String {
    let mut text = String::new();
    for b in bad {
        for error in &b.errors {
            text.push_str(&format!("line {}: {error}\n", b.line));
        }
    }
    text
}

fn render_summary(summary: &Summary) -> String {
    let mut parts = vec![format!("{} done", summary.done)];
    if summary.failed > 0 {
        parts.push(format!("{} failed", summary.failed));
    }
    if summary.skipped > 0 {
        parts.push(format!("{} skipped (already done)", summary.skipped));
    }
    if summary.not_started > 0 {
        parts.push(format!("{} not started", summary.not_started));
    }
    format!(
        "{}; {} spent\nresults: {}\n",
        parts.join(", "),
        credits(summary.credits_spent),
        summary.results.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_concurrency_follows_the_plan() {
        assert_eq!(default_concurrency(&Plan::Free), 3);
        assert_eq!(default_concurrency(&Plan::Pro), 10);
        assert_eq!(default_concurrency(&Plan::Unknown("team".into())), 3);
    }

    #[test]
    fn outputs_take_the_urls_extension_else_the_types() {
        let generation = |output: &str, kind| {
            serde_json::from_value::<Generation>(serde_json::json!({
                "id": "g", "status": "success", "tool": "t", "output": output,
                "type": kind, "createdAt": "2026-01-01T00:00:00Z", "payload": {}
            }))
            .unwrap()
        };
        assert_eq!(
            extension(&generation("https://x/a/out.PNG?sig=1", "image")),
            "png"
        );
        assert_eq!(extension(&generation("https://x/a/out", "video")), "mp4");
    }

    #[test]
    fn results_are_named_after_the_input_file() {
        assert_eq!(
            default_results_name(Path::new("dir/prompts.jsonl")),
            "prompts.results.jsonl"
        );
        assert_eq!(format_of(Path::new("a.CSV")), BatchFormat::Csv);
    }
}
