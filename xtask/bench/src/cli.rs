//! Measurement 4: how long `astudio` takes to start (`--help` and `--mock tools
//! list`) with hyperfine, beside `/bin/true` (what starting any process costs
//! on this machine, for the ratio) and `python3 -c "import requests"`, what a
//! Python script pays before its first request.

use std::process::Command;

use anyhow::{Context, Result};

use crate::report::{Headline, Section, Table, Verdict};
use crate::stats::{self, Summary};
use crate::{Ctx, procs, profile};

/// The section title.
pub const TITLE: &str = "4. CLI start-up";

/// The target for `astudio --help`: under 10 ms median.
const TARGET_MS: f64 = 10.0;

/// The trivial reference binary: its start-up is the floor of any command's.
const TRUE: &str = "/bin/true";

/// Runs hyperfine rounds over the four commands.
pub fn run(ctx: &mut Ctx) -> Result<(Section, Vec<Headline>)> {
    let plan = ctx.plan.clone();
    let hyperfine = ctx.installer.hyperfine()?;
    let python = ctx.installer.python_with_requests()?;
    let astudio = procs::quote(&ctx.bin.astudio.to_string_lossy());
    let commands = [
        ("astudio --help", format!("{astudio} --help")),
        (
            "astudio --mock tools list",
            format!("{astudio} --mock tools list"),
        ),
        ("/bin/true", TRUE.to_string()),
        (
            "python3 -c \"import requests\"",
            format!(
                "{} -c 'import requests'",
                procs::quote(&python.to_string_lossy())
            ),
        ),
    ];
    let mut section = Section::new(TITLE);
    section.method = format!(
        "hyperfine (no shell: `-N`, {w} warm-up runs) runs the four commands in {r} rounds of \
         {n} runs each, so the commands take turns; the values are over all {total} runs of \
         each. `astudio --mock tools list` starts an in-process mock server, lists the tools \
         through the client and prints the table. `/bin/true` is the floor: what starting \
         any process costs here, measured in the same rounds, so `÷ /bin/true` is a ratio \
         that a busy machine moves less than the times. `ARTIFICIAL_STUDIO_API_KEY` is unset.",
        w = 3,
        r = plan.cli_rounds,
        n = plan.cli_runs,
        total = plan.cli_rounds * plan.cli_runs
    );
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); commands.len()];
    for round in 0..plan.cli_rounds {
        let out = ctx.scratch.join(format!("hyperfine-{round}.json"));
        let mut cmd = Command::new(&hyperfine);
        cmd.args(["-N", "--style", "basic", "--warmup", "3", "--runs"])
            .arg(plan.cli_runs.to_string())
            .arg("--export-json")
            .arg(&out)
            .args(commands.iter().map(|(_, c)| c))
            .env_remove("ARTIFICIAL_STUDIO_API_KEY")
            .current_dir(&ctx.root);
        procs::output(&mut cmd)?;
        section
            .command(procs::line(&cmd).replace(&format!("hyperfine-{round}"), "hyperfine-$ROUND"));
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out)?)?;
        let results = json
            .get("results")
            .and_then(serde_json::Value::as_array)
            .context("no results in hyperfine's JSON")?;
        for (i, result) in results.iter().enumerate().take(commands.len()) {
            let runs = result
                .get("times")
                .and_then(serde_json::Value::as_array)
                .context("no times in hyperfine's JSON")?;
            times[i].extend(runs.iter().filter_map(|t| t.as_f64()).map(|s| s * 1000.0));
        }
    }
    let summaries: Vec<Summary> = times
        .iter()
        .map(|t| Summary::of(t).context("no runs"))
        .collect::<Result<_>>()?;
    let true_ms = summaries[2].median;
    let python_ms = summaries[3].median;
    let mut table = Table::new(&[
        "command",
        "wall time",
        "runs",
        "this ÷ /bin/true",
        "python3 import requests ÷ this",
    ]);
    for ((name, _), s) in commands.iter().zip(&summaries) {
        table.row(vec![
            format!("`{name}`"),
            s.show(stats::ms),
            s.n.to_string(),
            stats::times(s.median / true_ms),
            stats::times(python_ms / s.median),
        ]);
    }
    section.tables.push((String::new(), table));
    let help = summaries[0];
    let met = help.median < TARGET_MS;
    let headline = vec![
        Headline {
            what: "`astudio --help` wall time".to_string(),
            measured: help.show(stats::ms),
            target: "< 10 ms median".to_string(),
            verdict: Verdict::from(met),
            section: TITLE.to_string(),
        },
        Headline {
            what: "`astudio --help` ÷ `/bin/true` (start-up over the floor)".to_string(),
            measured: stats::times(help.median / true_ms),
            target: "(none)".to_string(),
            verdict: Verdict::Reference,
            section: TITLE.to_string(),
        },
        Headline {
            what: "`astudio --mock tools list` wall time".to_string(),
            measured: summaries[1].show(stats::ms),
            target: "(none)".to_string(),
            verdict: Verdict::Reference,
            section: TITLE.to_string(),
        },
        Headline {
            what: "`python3 -c \"import requests\"` ÷ `astudio --help`".to_string(),
            measured: stats::times(python_ms / help.median),
            target: "(none)".to_string(),
            verdict: Verdict::Reference,
            section: TITLE.to_string(),
        },
    ];
    if !met && profile::choose(ctx.profiler.as_deref(), &ctx.scratch) == "perf" {
        let data = ctx.scratch.join("perf-cli.data");
        let script = format!("for i in $(seq 200); do {astudio} --help >/dev/null; done");
        match profile::perf_command(
            &["artificial_studio_cli::", "astudio::", "clap"],
            &["sh", "-c", &script],
            &data,
        ) {
            Ok((summary, lines)) => {
                section.profiles.push((
                    "200 runs of `astudio --help` (target missed)".into(),
                    summary,
                ));
                for line in lines {
                    section.command(line);
                }
            }
            Err(error) => section
                .findings
                .push(format!("the profile could not be taken: {error:#}")),
        }
    }
    Ok((section, headline))
}
