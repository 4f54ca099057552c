//! What the numbers were measured on: CPU, cores, memory, kernel, load, date,
//! commit.

use std::path::Path;
use std::process::Command;

/// The machine and the moment of a run.
#[derive(Debug, Clone)]
pub struct Machine {
    /// CPU model name.
    pub cpu: String,
    /// Logical CPUs this process may use.
    pub cores: usize,
    /// Total memory, in GiB.
    pub ram_gib: f64,
    /// Kernel release.
    pub kernel: String,
    /// Operating system name.
    pub os: String,
    /// When the run started, UTC.
    pub date: String,
    /// The commit measured, with `+ local changes` when the tree is dirty.
    pub commit: String,
}

impl Machine {
    /// Reads the machine from `/proc` and the repository at `root`.
    pub fn read(root: &Path) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|rest| rest.split_once(':'))
            .map(|(_, name)| name.trim().to_string())
            .unwrap_or_else(|| "unknown".to_string());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let ram_kib = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<f64>().ok())
            .unwrap_or(0.0);
        let os = std::fs::read_to_string("/etc/os-release")
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME="))
            .map(|v| v.trim_matches('"').to_string())
            .unwrap_or_else(|| std::env::consts::OS.to_string());
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            ram_gib: ram_kib / 1024.0 / 1024.0,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|_| "unknown".to_string()),
            os,
            date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            commit: commit(root),
        }
    }
}

fn commit(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(head) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".to_string();
    };
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{head} + local changes")
    } else {
        head
    }
}

/// The load averages over 1, 5 and 15 minutes.
pub fn load() -> [f64; 3] {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut values = text
        .split_whitespace()
        .take(3)
        .map(|v| v.parse().unwrap_or(f64::NAN));
    [
        values.next().unwrap_or(f64::NAN),
        values.next().unwrap_or(f64::NAN),
        values.next().unwrap_or(f64::NAN),
    ]
}

/// Processes that used more than a tenth of a core over one second, with
/// their share of a core: the other work sharing the machine right now.
pub fn busy_processes() -> Vec<(String, f64)> {
    fn sample() -> std::collections::HashMap<u32, (String, f64)> {
        let mut all = std::collections::HashMap::new();
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return all;
        };
        for entry in dir.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                continue;
            };
            let name = stat[open + 1..close].to_string();
            let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
            let ticks: f64 = [11, 12]
                .iter()
                .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
                .sum();
            all.insert(pid, (name, ticks));
        }
        all
    }
    let before = sample();
    std::thread::sleep(std::time::Duration::from_secs(1));
    let after = sample();
    let me = std::process::id();
    let mut busy: Vec<(String, f64)> = after
        .into_iter()
        .filter(|(pid, _)| *pid != me)
        .filter_map(|(pid, (name, ticks))| {
            let start = before.get(&pid).map_or(0.0, |(_, t)| *t);
            // /proc times are in clock ticks, 100 a second on Linux.
            let share = (ticks - start) / 100.0;
            (share > 0.1).then_some((name, share))
        })
        .collect();
    busy.sort_by(|a, b| b.1.total_cmp(&a.1));
    busy
}
