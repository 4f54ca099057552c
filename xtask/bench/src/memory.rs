//! Measurement 5: whether the mock's memory stays flat once the eviction cap is
//! reached, its RSS sampled while `POST /api/run` creates many generations with
//! `--speed 0`, with a low cap and with the default one.

use anyhow::Result;

use crate::report::{Headline, Section, Table, Verdict};
use crate::stats;
use crate::{BENCH_CREDITS, BENCH_KEY, Ctx, RUN_BODY, RUN_COST, credits_left, http};

/// The section title.
pub const TITLE: &str = "5. Memory growth against the eviction cap";

/// The mock's default `--max-generations`.
const DEFAULT_CAP: u64 = 100_000;

/// Client threads creating generations.
const THREADS: u64 = 4;

/// "Flat": RSS at the end within this factor of RSS when the cap was reached.
const FLAT: f64 = 1.10;

/// One run: the cap and the RSS (KiB) after each batch, with the generations
/// created so far.
struct Series {
    cap: u64,
    samples: Vec<(u64, f64)>,
    peak_kib: f64,
    start_kib: f64,
    non_2xx: u64,
}

/// Creates generations in batches and samples RSS after each.
pub fn run(ctx: &mut Ctx) -> Result<(Section, Vec<Headline>)> {
    let plan = ctx.plan.clone();
    let mut section = Section::new(TITLE);
    let small = plan.memory_small_cap;
    let total_small = plan.memory_generations;
    // Past the default cap too, so that its flat part is seen.
    let total_default = DEFAULT_CAP + (plan.memory_generations / 2).max(DEFAULT_CAP / 10);
    section.method = format!(
        "`astudio-mock --speed 0 --rate-limit off` (generations end before `POST /api/run` \
         answers, so each is final and can be evicted), sent valid runs of the bench account \
         by the harness itself ({threads} threads with kept-alive connections) in \
         batches of {step}; `VmRSS` of the server after each batch. Once with \
         `--max-generations {small}` and {total_small} generations, once with the default cap \
         ({cap}) and {total_default} generations. Generations created are counted from the \
         account's credits (6 per run), not from the load generator. The journal (10 000 \
         entries by default) is full long before the end in both runs. Target: flat after the \
         cap, read as RSS at the end within {flat:.0}% of RSS at the first sample past the cap.",
        threads = THREADS,
        step = stats::count(plan.memory_generations.div_ceil(plan.memory_batches) as f64),
        small = stats::count(small as f64),
        total_small = stats::count(total_small as f64),
        cap = stats::count(DEFAULT_CAP as f64),
        total_default = stats::count(total_default as f64),
        flat = (FLAT - 1.0) * 100.0,
    );
    let mut all = Vec::new();
    for (cap, total) in [(Some(small), total_small), (None, total_default)] {
        let cap_flag = cap.map(|c| c.to_string());
        let extra: Vec<&str> = match &cap_flag {
            Some(c) => vec!["--max-generations", c],
            None => Vec::new(),
        };
        let mock = ctx.start_mock(&extra)?;
        section.command(mock.command.clone());
        let start_kib = mock.memory().rss_kib;
        let url = format!("{}/api/run", mock.base_url);
        section.command(format!(
            "# {THREADS} threads, each: POST http://127.0.0.1:$PORT/api/run \
             -H 'Authorization: {BENCH_KEY}' -H 'Content-Type: application/json' -d '{RUN_BODY}'"
        ));
        // The same step for both caps, so that the default cap is passed by
        // several samples too.
        let batch = plan.memory_generations.div_ceil(plan.memory_batches);
        let mut samples = Vec::new();
        let mut non_2xx = 0;
        let mut created = 0;
        while created < total {
            let want = batch.min(total - created);
            println!(
                "bench: memory, cap {}: {} more generations",
                cap.unwrap_or(DEFAULT_CAP),
                want
            );
            non_2xx += create_generations(&url, want)?;
            created = generations_created(&mock.base_url)?;
            samples.push((created, mock.memory().rss_kib));
        }
        all.push(Series {
            cap: cap.unwrap_or(DEFAULT_CAP),
            samples,
            peak_kib: mock.memory().peak_kib,
            start_kib,
            non_2xx,
        });
    }

    let mut headline = Vec::new();
    for series in &all {
        let mut table = Table::new(&["generations created", "server RSS", "generations kept"]);
        table.row(vec![
            "0 (started)".into(),
            stats::mib(series.start_kib),
            "0".into(),
        ]);
        for (created, rss) in &series.samples {
            table.row(vec![
                stats::count(*created as f64),
                stats::mib(*rss),
                stats::count((*created).min(series.cap) as f64),
            ]);
        }
        section.tables.push((
            format!(
                "**`--max-generations {}`** (peak RSS {})",
                stats::count(series.cap as f64),
                stats::mib(series.peak_kib)
            ),
            table,
        ));
        if series.non_2xx > 0 {
            section.findings.push(format!(
                "cap {}: {} answers were not 2xx.",
                series.cap, series.non_2xx
            ));
        }
        let at_cap = series.samples.iter().find(|(n, _)| *n >= series.cap);
        let end = series.samples.last();
        let (measured, verdict) = match (at_cap, end) {
            (Some(&(n_cap, rss_cap)), Some(&(n_end, rss_end))) if n_end > n_cap => {
                let growth = rss_end / rss_cap;
                (
                    format!(
                        "{} at {} → {} at {} ({:+.1}%)",
                        stats::mib(rss_cap),
                        stats::count(n_cap as f64),
                        stats::mib(rss_end),
                        stats::count(n_end as f64),
                        (growth - 1.0) * 100.0
                    ),
                    Verdict::from(growth <= FLAT),
                )
            }
            _ => (
                "the cap was not passed".to_string(),
                Verdict::NotMeasured("the run did not go past the cap".to_string()),
            ),
        };
        headline.push(Headline {
            what: format!(
                "server RSS after the cap (`--max-generations {}`)",
                stats::count(series.cap as f64)
            ),
            measured,
            target: format!("flat (≤ +{:.0}%)", (FLAT - 1.0) * 100.0),
            verdict,
            section: TITLE.to_string(),
        });
    }
    Ok((section, headline))
}

/// Sends `n` valid runs from [`THREADS`] threads; returns how many were not 2xx.
fn create_generations(url: &str, n: u64) -> Result<u64> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let share = n / THREADS + u64::from(t < n % THREADS);
                scope.spawn(move || -> Result<u64> {
                    let agent = http::agent();
                    let headers = [
                        ("Authorization", BENCH_KEY),
                        ("Content-Type", "application/json"),
                    ];
                    let mut refused = 0;
                    for _ in 0..share {
                        let answer =
                            http::send_with(&agent, "POST", url, &headers, Some(RUN_BODY))?;
                        if !(200..300).contains(&answer.status) {
                            refused += 1;
                        }
                    }
                    Ok(refused)
                })
            })
            .collect();
        let mut refused = 0;
        for worker in workers {
            refused += worker
                .join()
                .map_err(|_| anyhow::anyhow!("a client thread panicked"))??;
        }
        Ok(refused)
    })
}

/// Runs created so far, from the bench account's credits ([`RUN_COST`] per run).
fn generations_created(base_url: &str) -> Result<u64> {
    Ok(BENCH_CREDITS.saturating_sub(credits_left(base_url)?) / RUN_COST)
}
