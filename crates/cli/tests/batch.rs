//! `astudio batch` end to end against an in-process mock: JSONL and CSV
//! batches, resuming without doing work twice, a 402 in the middle, a storm
//! of 429s, and the checks and prices before anything runs.

// Test helpers may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use artificial_studio_mock::types::Plan;
use artificial_studio_mock::{Fault, FaultRule, MockServer};
use assert_cmd::Command;
use serde_json::Value;

/// A mock server on its own runtime and a directory for the batch's files.
struct Sandbox {
    rt: tokio::runtime::Runtime,
    server: MockServer,
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn start() -> Sandbox {
        Sandbox::at_speed(0.0)
    }

    /// A mock whose generations take `speed` times their usual seconds.
    fn at_speed(speed: f64) -> Sandbox {
        let (rt, server) = common::start_mock(|b| b.speed(speed));
        Sandbox {
            rt,
            server,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Writes a file of the batch directory and returns its path.
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `astudio --base-url <mock> batch ...` with `key`, run in the batch directory.
    fn batch(&self, key: &str) -> Command {
        Command::from_std(self.std_batch(key))
    }

    /// [`batch`](Self::batch) as a process to spawn.
    fn std_batch(&self, key: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("astudio"));
        cmd.env_remove("ARTIFICIAL_STUDIO_BASE_URL")
            .env_remove("ASTUDIO_PROFILE")
            .env("ARTIFICIAL_STUDIO_API_KEY", key)
            .env("ASTUDIO_CONFIG_DIR", self.dir.path())
            .env("ASTUDIO_NO_KEYRING", "1")
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path())
            .arg("--base-url")
            .arg(self.server.base_url())
            .arg("batch");
        cmd
    }

    fn pro(&self) -> Command {
        self.batch(self.server.demo_keys().pro)
    }

    /// How many runs the mock created (`POST /api/run` answered `202`).
    fn runs_created(&self) -> usize {
        self.rt
            .block_on(self.server.journal())
            .iter()
            .filter(|e| e.method == "POST" && e.path == "/api/run" && e.status == 202)
            .count()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The results file's records, in file order.
fn results(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The same records without the generation ids, which change every run.
fn without_ids(records: &[Value]) -> Vec<Value> {
    records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let had_id = r.as_object_mut().unwrap().remove("generation_id");
            r["had_id"] = Value::Bool(had_id.is_some());
            r
        })
        .collect()
}

const FOUR_IMAGES: &str = "\
# four images; line 3 is blank
{\"tool\": \"create-image\", \"input\": {\"prompt\": \"a fox\"}, \"name\": \"fox\"}

{\"tool\": \"create-image\", \"input\": {\"prompt\": \"an owl\"}}
{\"tool\": \"text-to-speech\", \"input\": {\"prompt\": \"hello\"}, \"id\": 7}
{\"tool\": \"create-image\", \"input\": {\"prompt\": \"a hare\", \"image_size\": \"square\"}}
";

#[test]
fn a_jsonl_batch_saves_each_output_by_name_or_line_and_records_every_line() {
    let sandbox = Sandbox::start();
    let file = sandbox.file("prompts.jsonl", FOUR_IMAGES);
    let out = sandbox
        .pro()
        .arg(&file)
        .args(["--out", "renders"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    insta::assert_snapshot!(text(&out.stdout), @r"
    4 done; 20 credits spent
    results: renders/prompts.results.jsonl
    ");
    for name in ["fox.png", "0004.png", "7.wav", "0006.png"] {
        let saved = sandbox.path("renders").join(name);
        assert!(std::fs::metadata(&saved).unwrap().len() > 0, "{name}");
    }
    let records = results(&sandbox.path("renders/prompts.results.jsonl"));
    assert_eq!(
        without_ids(&records),
        serde_json::from_str::<Vec<Value>>(
            r#"[
            {"line": 2, "tool": "create-image", "status": "success", "output": "renders/fox.png", "had_id": true},
            {"line": 4, "tool": "create-image", "status": "success", "output": "renders/0004.png", "had_id": true},
            {"line": 5, "tool": "text-to-speech", "status": "success", "output": "renders/7.wav", "had_id": true},
            {"line": 6, "tool": "create-image", "status": "success", "output": "renders/0006.png", "had_id": true}
        ]"#
        )
        .unwrap()
    );
    assert_eq!(sandbox.runs_created(), 4);
}

#[test]
fn a_csv_batch_types_cells_by_the_schema_and_names_outputs_by_the_name_column() {
    let sandbox = Sandbox::start();
    // num_images is an integer field: sent as the text "2" it would be refused.
    let file = sandbox.file(
        "sizes.csv",
        "name,model,prompt,num_images,image_size\n\
         wide fox,flux-schnell,\"a fox, running\",2,landscape_16_9\n\
         owl,flux-schnell,an owl,,\n",
    );
    let out = sandbox
        .pro()
        .arg(&file)
        .args(["--tool", "create-image", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["done"], 2);
    assert_eq!(summary["credits_spent"], 4);
    assert!(sandbox.path("wide_fox.png").is_file());
    assert!(sandbox.path("owl.png").is_file());
    let records = results(&sandbox.path("sizes.results.jsonl"));
    let lines: Vec<&Value> = records.iter().map(|r| &r["line"]).collect();
    assert_eq!(lines, [2, 3]);
}

#[test]
fn a_second_run_skips_what_is_done_and_waits_for_a_started_generation_without_running_it_again() {
    let sandbox = Sandbox::start();
    let file = sandbox.file("prompts.jsonl", FOUR_IMAGES);
    let first = sandbox.pro().arg(&file).output().unwrap();
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(sandbox.runs_created(), 4);

    let again = sandbox.pro().arg(&file).output().unwrap();
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(sandbox.runs_created(), 4, "a finished line ran again");
    assert!(
        text(&again.stdout).starts_with("0 done, 4 skipped (already done); 0 credits spent"),
        "{}",
        text(&again.stdout)
    );

    // As a run killed after its 202 leaves it: line 4 `running` with its id,
    // line 6 with no result at all.
    let path = sandbox.path("prompts.results.jsonl");
    let mut records = results(&path);
    let id = records[1]["generation_id"].as_str().unwrap().to_string();
    records[1]["status"] = "running".into();
    records[1].as_object_mut().unwrap().remove("output");
    records.truncate(3);
    let killed: Vec<String> = records.iter().map(Value::to_string).collect();
    std::fs::write(&path, killed.join("\n") + "\n").unwrap();
    std::fs::remove_file(sandbox.path("0004.png")).unwrap();

    let resumed = sandbox.pro().arg(&file).output().unwrap();
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    assert_eq!(sandbox.runs_created(), 5, "only line 6 runs again");
    assert!(sandbox.path("0004.png").is_file());
    let records = results(&path);
    assert_eq!(records.len(), 4);
    assert_eq!(records[1]["generation_id"], id.as_str());
    assert!(records.iter().all(|r| r["status"] == "success"));
}

#[test]
fn credits_for_two_of_five_stop_the_batch_with_the_count_and_credits_still_needed() {
    let sandbox = Sandbox::start();
    let key = sandbox
        .rt
        .block_on(sandbox.server.create_key(Plan::Free, 12))
        .unwrap();
    let prompts: String = (1..=5)
        .map(|i| format!("{{\"prompt\": \"fox {i}\"}}\n"))
        .collect();
    let file = sandbox.file("five.jsonl", &prompts);
    let out = sandbox
        .batch(&key)
        .arg(&file)
        .args(["--tool", "create-image", "--concurrency", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    insta::assert_snapshot!(format!("{}{}", text(&out.stdout), text(&out.stderr)), @r"
    2 done, 3 not started; 12 credits spent
    results: five.results.jsonl
    error: not enough credits: 3 lines not started; they need 18 credits (balance: 0 credits); add credits and run the same command again
    ");
    let statuses: Vec<Value> = results(&sandbox.path("five.results.jsonl"))
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        [
            "success",
            "success",
            "not_started",
            "not_started",
            "not_started"
        ]
    );

    // With credits added, the same command finishes the rest only.
    sandbox
        .rt
        .block_on(sandbox.server.set_credits(&key, 18))
        .unwrap();
    let rest = sandbox
        .batch(&key)
        .arg(&file)
        .args(["--tool", "create-image"])
        .output()
        .unwrap();
    assert!(rest.status.success(), "{}", text(&rest.stderr));
    assert_eq!(sandbox.runs_created(), 5);
    assert_eq!(
        sandbox.rt.block_on(sandbox.server.credits(&key)).unwrap(),
        0
    );
}

#[test]
fn a_storm_of_429s_is_waited_out_and_every_line_completes() {
    let sandbox = Sandbox::start();
    sandbox.rt.block_on(async {
        let server = &sandbox.server;
        server
            .inject_fault(FaultRule::new(Fault::Status(429), "POST /api/run").times(8))
            .await
            .unwrap();
        server
            .inject_fault(FaultRule::new(Fault::Status(429), "GET /api/generations/*").times(4))
            .await
            .unwrap();
    });
    let file = sandbox.file("prompts.jsonl", FOUR_IMAGES);
    let out = sandbox
        .pro()
        .arg(&file)
        .args(["--max-retries", "0", "--concurrency", "4", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (summary["done"].clone(), summary["failed"].clone()),
        (4.into(), 0.into())
    );
    let journal = sandbox.rt.block_on(sandbox.server.journal());
    let refused = journal.iter().filter(|e| e.status == 429).count();
    assert_eq!(refused, 12, "every fault was met");
    assert_eq!(sandbox.runs_created(), 4);
}

#[test]
fn every_bad_line_is_reported_together_and_nothing_runs() {
    let sandbox = Sandbox::start();
    let file = sandbox.file(
        "bad.jsonl",
        "{\"tool\": \"create-image\", \"input\": {\"prompt\": \"fine\"}}\n\
         {\"tool\": \"create-image\", \"input\": {\"colour\": \"red\"}}\n\
         not json\n\
         {\"tool\": \"create-imag\", \"input\": {\"prompt\": \"a\"}}\n\
         {\"prompt\": \"no tool\"}\n",
    );
    let out = sandbox.pro().arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(text(&out.stderr), @r#"
    line 2: input.prompt: Required (invalid_type)
    line 2: input.colour: Unrecognized key: 'colour' (unrecognized_keys)
    line 3: not JSON: expected ident at line 1 column 2
    line 4: tool `create-imag` not found
    line 5: no tool: give {"tool": ..., "input": {...}}, a `tool` column, or --tool
    error: 4 of 5 lines cannot run; nothing was run
    hint: fix the lines above, or check the prices first with --dry-run
    "#);
    assert_eq!(sandbox.runs_created(), 0);
    assert!(!sandbox.path("bad.results.jsonl").exists());
}

#[test]
fn dry_run_prints_the_credits_by_tool_with_per_second_prices_and_runs_nothing() {
    let sandbox = Sandbox::start();
    let file = sandbox.file(
        "mixed.jsonl",
        "{\"tool\": \"create-image\", \"input\": {\"prompt\": \"a fox\"}}\n\
         {\"tool\": \"create-image\", \"input\": {\"prompt\": \"an owl\"}}\n\
         {\"tool\": \"create-video\", \"input\": {\"model\": \"seedance-2-text-to-video\", \"prompt\": \"waves\"}}\n\
         {\"tool\": \"create-video\", \"input\": {\"model\": \"seedance-2-text-to-video\", \"prompt\": \"surf\", \"resolution\": \"720p\", \"duration\": \"8\"}}\n",
    );
    let out = sandbox.pro().arg(&file).arg("--dry-run").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    insta::assert_snapshot!(text(&out.stdout), @r"
    4 lines, 635 credits
      create-image  2 lines   12 credits
      create-video  2 lines   623 credits
    ");
    let json = sandbox
        .pro()
        .arg(&file)
        .args(["--dry-run", "--jq", ".by_tool[\"create-video\"].credits"])
        .output()
        .unwrap();
    assert_eq!(text(&json.stdout), "623\n");
    assert_eq!(sandbox.runs_created(), 0);
}

#[test]
fn a_generation_that_ends_in_error_fails_its_line_and_runs_again_on_resume() {
    let sandbox = Sandbox::start();
    sandbox
        .rt
        .block_on(
            sandbox
                .server
                .fail_next_generation("text-to-speech", "voice unavailable"),
        )
        .unwrap();
    let file = sandbox.file("prompts.jsonl", FOUR_IMAGES);
    let out = sandbox.pro().arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("3 done, 1 failed; 18 credits spent"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("line 5: voice unavailable"),
        "{}",
        text(&out.stderr)
    );
    let records = results(&sandbox.path("prompts.results.jsonl"));
    assert_eq!(records[2]["status"], "error");
    assert_eq!(records[2]["error"], "voice unavailable");

    let again = sandbox.pro().arg(&file).output().unwrap();
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(sandbox.runs_created(), 5, "only the failed line runs again");
}

#[cfg(unix)]
#[test]
fn a_batch_interrupted_with_ctrl_c_resumes_without_running_any_line_twice() {
    // Generations of about a second each: the interrupt comes while they run.
    let sandbox = Sandbox::at_speed(0.4);
    let file = sandbox.file("prompts.jsonl", FOUR_IMAGES);
    let results_path = sandbox.path("prompts.results.jsonl");
    let child = sandbox
        .std_batch(sandbox.server.demo_keys().pro)
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !std::fs::read_to_string(&results_path).is_ok_and(|t| t.contains("\"running\"")) {
        assert!(std::time::Instant::now() < deadline, "no run started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let stopped = child.wait_with_output().unwrap();
    assert_eq!(
        stopped.status.code(),
        Some(130),
        "SIGINT's conventional code"
    );
    assert!(
        text(&stopped.stderr).contains("interrupted"),
        "{}",
        text(&stopped.stderr)
    );
    let started_before = sandbox.runs_created();
    assert!(
        started_before < 4
            || !results(&results_path)
                .iter()
                .all(|r| r["status"] == "success")
    );

    let resumed = sandbox.pro().arg(&file).output().unwrap();
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    assert_eq!(sandbox.runs_created(), 4, "a line ran twice");
    let records = results(&results_path);
    assert_eq!(records.len(), 4);
    assert!(records.iter().all(|r| r["status"] == "success"));
}
