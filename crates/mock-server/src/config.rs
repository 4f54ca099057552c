//! The server's configuration: one struct shared by the binary's flags and the library builder.

use std::{fmt, net::IpAddr, path::PathBuf, str::FromStr, time::Duration};

use artificial_studio_types::Plan;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The built-in free-plan demo key (100 credits).
pub const DEMO_FREE_KEY: &str = "demo-free-key";
/// The built-in pro-plan demo key (100 000 credits).
pub const DEMO_PRO_KEY: &str = "demo-pro-key";
/// The built-in key with zero credits, for `402` paths.
pub const DEMO_EMPTY_KEY: &str = "demo-empty-key";

const DEFAULT_HOST: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
const DEFAULT_PORT: u16 = 8080;
const DEFAULT_SPEED: f64 = 1.0;
const DEFAULT_PENDING_MS: u64 = 0;
const DEFAULT_PROCESSING_MS: u64 = 2_000;
const DEFAULT_UPLOADING_MS: u64 = 500;
const DEFAULT_MAX_GENERATIONS: usize = 100_000;
const DEFAULT_JOURNAL_CAPACITY: usize = 10_000;
const DEFAULT_MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
const DEFAULT_MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS: u64 = 10_000;
/// How long a session may stay idle before it is dropped.
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// Most sessions alive at once.
pub const DEFAULT_MAX_SESSIONS: usize = 256;
const DEFAULT_STATE_INTERVAL: Duration = Duration::from_secs(2);

/// Everything `astudio-mock` can be told, as flags or through [`crate::MockServerBuilder`].
///
/// `Default` gives the binary's defaults (port 8080); the library builder
/// starts from the same values but on port 0, a free port.
#[derive(Debug, Clone, PartialEq, clap::Args)]
pub struct MockConfig {
    /// Address to listen on. The admin API (`/__mock/...`) is only served on a
    /// loopback address unless `--admin-token` is set.
    #[arg(long, default_value_t = DEFAULT_HOST)]
    pub host: IpAddr,

    /// Port to listen on; 0 picks a free one. The base URL is printed first on stdout.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,

    /// Time scale for generations and webhook retries: every delay is
    /// multiplied by it (1 = documented timings, 0.01 = 100× faster, 0 =
    /// generations finish before `POST /api/run` answers).
    #[arg(long, default_value_t = DEFAULT_SPEED, value_parser = parse_speed)]
    pub speed: f64,

    /// Time a generation spends in `pending` before `processing`, in ms at speed 1.
    #[arg(long, default_value_t = DEFAULT_PENDING_MS)]
    pub pending_ms: u64,

    /// Time a generation spends in `processing`, in ms at speed 1.
    #[arg(long, default_value_t = DEFAULT_PROCESSING_MS)]
    pub processing_ms: u64,

    /// Time a generation spends in `uploading`, in ms at speed 1.
    #[arg(long, default_value_t = DEFAULT_UPLOADING_MS)]
    pub uploading_ms: u64,

    /// Accounts file (TOML, `[[accounts]]` tables). Without it the demo keys are used.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Catalog file (YAML, a list of tools). Without it the built-in catalog is used.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,

    /// `default` (the documented limits), `off`, or overrides such as
    /// `free.run=5,free.get=10,pro.run=100,pro.get=400` (requests per minute).
    #[arg(long, default_value = "default")]
    pub rate_limit: RateLimits,

    /// Token the admin API (`/__mock/...`) requires in `X-Admin-Token`.
    #[arg(long, env = "ASTUDIO_MOCK_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Accept `http://` webhooks and private or loopback hosts (for tests).
    #[arg(long)]
    pub allow_private_webhooks: bool,

    /// Most generations kept; past it the oldest finished ones are evicted.
    #[arg(long, default_value_t = DEFAULT_MAX_GENERATIONS)]
    pub max_generations: usize,

    /// Most requests kept in the journal (a ring buffer).
    #[arg(long, default_value_t = DEFAULT_JOURNAL_CAPACITY)]
    pub journal_capacity: usize,

    /// Largest JSON request body, in bytes; larger ones get `413`.
    #[arg(long, default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,

    /// Largest upload to `POST /files`, in bytes; larger ones get `413`.
    #[arg(long, default_value_t = DEFAULT_MAX_UPLOAD_BYTES)]
    pub max_upload_bytes: usize,

    /// How long a client may take to send a request's headers or body, in ms;
    /// a connection idle for this long (no request, no answer being sent) is closed.
    #[arg(long, default_value_t = DEFAULT_BODY_TIMEOUT_MS)]
    pub body_timeout_ms: u64,

    /// Base URL put in output and upload URLs (default: the listening address).
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,

    /// Drift mode for every request, as `X-Mock-Fault: drift` is for one: each
    /// successful JSON answer of the API (`/api/...`, `POST /files`) leaves out
    /// the fields the spec makes optional (but a success's `output`), adds an
    /// unknown field (`driftNote`) to every object and shows unknown values
    /// of open enums (`plan`, a status that is not final: `processing` →
    /// `processing-drift`). Error bodies keep their message and only gain
    /// `driftNote`. Proves a client survives the service changing.
    #[arg(long)]
    pub drift: bool,

    /// A session (`X-Mock-Session: NAME` or the path prefix `/s/NAME/`) idle
    /// for this long is dropped with all it holds, such as `30s`, `15m` or
    /// `1d`. The default session never expires.
    #[arg(long, env = "ASTUDIO_MOCK_SESSION_TTL", default_value = "1d", value_parser = parse_ttl)]
    pub session_ttl: Duration,

    /// Most sessions alive at once; a request that would start one more is
    /// answered `503` until one expires or is dropped. Each session keeps its
    /// own journal, generations and uploads within the same bounds as the
    /// default session.
    #[arg(long, default_value_t = DEFAULT_MAX_SESSIONS)]
    pub max_sessions: usize,
    /// Where the state lives: `memory` (this process only), or
    /// `redis://HOST:PORT[/DB]`, a Redis (or Valkey) server that replicas
    /// given the same URL, `--config` and `--catalog` share, acting as one
    /// service. Keys go under the namespace `astudio-mock`. Redis needs a
    /// build with the `redis` cargo feature (the default); without it, such
    /// a URL is refused at start.
    #[arg(long, env = "ASTUDIO_MOCK_STORE", default_value = "memory")]
    pub store: String,

    /// Keep the state in this file: loaded at start when it exists (a file
    /// that is not a state file is an error), written every
    /// `--state-interval` while something changed and at shutdown, each time
    /// whole (a temporary file renamed over it). Holds accounts and
    /// balances, generations (a running one resumes its schedule) and
    /// uploads; not the journal, faults, scripted outcomes or deliveries.
    #[arg(long, value_name = "FILE", env = "ASTUDIO_MOCK_STATE")]
    pub state: Option<PathBuf>,

    /// How often the state file is written while something changed, such as
    /// `2s` or `500ms`: a crash loses at most this much.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = humantime::parse_duration)]
    pub state_interval: Duration,

    /// Accounts given in code (library only); they replace `config` and the demo keys.
    #[arg(skip)]
    pub accounts: Option<Vec<AccountConfig>>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            host: DEFAULT_HOST,
            port: DEFAULT_PORT,
            speed: DEFAULT_SPEED,
            pending_ms: DEFAULT_PENDING_MS,
            processing_ms: DEFAULT_PROCESSING_MS,
            uploading_ms: DEFAULT_UPLOADING_MS,
            config: None,
            catalog: None,
            rate_limit: RateLimits::default(),
            admin_token: None,
            allow_private_webhooks: false,
            max_generations: DEFAULT_MAX_GENERATIONS,
            journal_capacity: DEFAULT_JOURNAL_CAPACITY,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            body_timeout_ms: DEFAULT_BODY_TIMEOUT_MS,
            public_url: None,
            drift: false,
            session_ttl: DEFAULT_SESSION_TTL,
            max_sessions: DEFAULT_MAX_SESSIONS,
            store: "memory".to_string(),
            state: None,
            state_interval: DEFAULT_STATE_INTERVAL,
            accounts: None,
        }
    }
}

impl MockConfig {
    /// Scales a documented duration by [`MockConfig::speed`].
    pub fn scaled(&self, duration: Duration) -> Duration {
        duration.mul_f64(self.speed)
    }

    /// The accounts the server starts with: given in code, from the
    /// `config` file, or the demo keys.
    pub fn initial_accounts(&self) -> Result<Vec<AccountConfig>, Error> {
        if let Some(accounts) = &self.accounts {
            return Ok(accounts.clone());
        }
        match &self.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
                AccountsFile::parse(&text)
                    .map(|file| file.accounts)
                    .map_err(|message| Error::Config {
                        path: path.clone(),
                        message,
                    })
            }
            None => Ok(demo_accounts()),
        }
    }
}

fn parse_speed(text: &str) -> Result<f64, String> {
    let speed: f64 = text.parse().map_err(|_| format!("not a number: {text}"))?;
    if speed.is_finite() && speed >= 0.0 {
        Ok(speed)
    } else {
        Err("speed must be a finite number >= 0".to_string())
    }
}

fn parse_ttl(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text) {
        Ok(ttl) if !ttl.is_zero() => Ok(ttl),
        Ok(_) => Err("a session TTL must be longer than 0".to_string()),
        Err(e) => Err(format!("{e} (write a duration such as 30s, 15m or 1d)")),
    }
}

/// One account of the accounts file, or of [`MockConfig::accounts`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    /// The API key, sent raw in `Authorization`.
    pub key: String,
    /// The account's e-mail address.
    #[serde(default = "default_email")]
    pub email: String,
    /// `free` or `pro`; sets the rate limits.
    #[serde(default = "default_plan", deserialize_with = "served_plan")]
    pub plan: Plan,
    /// Starting credits.
    #[serde(default)]
    pub credits: u64,
}

fn default_email() -> String {
    "user@example.com".to_string()
}

fn default_plan() -> Plan {
    Plan::Free
}

/// A plan the mock serves (`free` or `pro`): the API's `Plan` reads any
/// value, but an account of the mock must have rate limits it knows.
pub(crate) fn served_plan<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Plan, D::Error> {
    let plan = Plan::deserialize(deserializer)?;
    if plan.is_unknown() {
        return Err(serde::de::Error::custom(format!(
            "unknown plan `{plan}`, expected `free` or `pro`"
        )));
    }
    Ok(plan)
}

/// [`served_plan`], for an optional field.
pub(crate) fn served_plan_opt<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Plan>, D::Error> {
    served_plan(deserializer).map(Some)
}

impl AccountConfig {
    /// An account with a key, plan and credits, and an e-mail derived from the key.
    pub fn new(key: impl Into<String>, plan: Plan, credits: u64) -> Self {
        let key = key.into();
        let email = format!("{}@example.com", key.trim_end_matches("-key"));
        AccountConfig {
            key,
            email,
            plan,
            credits,
        }
    }
}

/// The accounts file given with `--config`.
///
/// ```toml
/// [[accounts]]
/// key = "demo-free-key"
/// email = "free@example.com"
/// plan = "free"      # or "pro"
/// credits = 100
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsFile {
    /// The accounts, in order.
    pub accounts: Vec<AccountConfig>,
}

impl AccountsFile {
    /// Parses and checks the TOML text of an accounts file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: AccountsFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        for account in &file.accounts {
            if account.key.trim().is_empty() {
                return Err("an account has an empty key".to_string());
            }
            if account.key.chars().any(|c| c.is_control()) {
                return Err("an account key contains a control character".to_string());
            }
            if !seen.insert(account.key.as_str()) {
                return Err(format!("the key {:?} is listed twice", account.key));
            }
        }
        Ok(file)
    }
}

/// The demo accounts used when no accounts are configured.
pub fn demo_accounts() -> Vec<AccountConfig> {
    vec![
        AccountConfig {
            key: DEMO_FREE_KEY.to_string(),
            email: "free@example.com".to_string(),
            plan: Plan::Free,
            credits: 100,
        },
        AccountConfig {
            key: DEMO_PRO_KEY.to_string(),
            email: "pro@example.com".to_string(),
            plan: Plan::Pro,
            credits: 100_000,
        },
        AccountConfig {
            key: DEMO_EMPTY_KEY.to_string(),
            email: "empty@example.com".to_string(),
            plan: Plan::Free,
            credits: 0,
        },
    ]
}

/// Requests per minute allowed in each bucket of each plan, or no limit at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimits {
    /// No rate limiting (for load tests); no `X-RateLimit-*` headers.
    Off,
    /// Per-minute limits per plan.
    PerMinute {
        /// Limits of the free plan.
        free: PlanLimits,
        /// Limits of the pro plan.
        pro: PlanLimits,
    },
}

/// Per-minute limits of one plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanLimits {
    /// `POST /api/run` and uploads.
    pub run: u32,
    /// Every `GET` endpoint.
    pub get: u32,
}

/// The two rate-limit buckets of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// `POST /api/run` and `POST /files`.
    Run,
    /// Every `GET` endpoint of the API.
    Get,
}

impl Default for RateLimits {
    /// The documented limits: free 20 runs and 60 GETs a minute, pro 60 and 200.
    fn default() -> Self {
        RateLimits::PerMinute {
            free: PlanLimits { run: 20, get: 60 },
            pro: PlanLimits { run: 60, get: 200 },
        }
    }
}

impl RateLimits {
    /// The per-minute limit for a plan and bucket, `None` when limits are off.
    pub fn limit(&self, plan: Plan, bucket: Bucket) -> Option<u32> {
        match self {
            RateLimits::Off => None,
            RateLimits::PerMinute { free, pro } => {
                // The mock's accounts are `free` or `pro` (checked when read);
                // a plan it does not know gets the free plan's limits.
                let limits = match plan {
                    Plan::Pro => pro,
                    Plan::Free | Plan::Unknown(_) => free,
                };
                Some(match bucket {
                    Bucket::Run => limits.run,
                    Bucket::Get => limits.get,
                })
            }
        }
    }
}

impl FromStr for RateLimits {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        match text {
            "off" | "none" => return Ok(RateLimits::Off),
            "default" | "" => return Ok(RateLimits::default()),
            _ => {}
        }
        let RateLimits::PerMinute {
            mut free, mut pro, ..
        } = RateLimits::default()
        else {
            return Err("unreachable default".to_string());
        };
        for pair in text.split(',') {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("expected PLAN.BUCKET=N, got {pair:?}"))?;
            let value: u32 = value
                .trim()
                .parse()
                .map_err(|_| format!("not a positive whole number: {value:?}"))?;
            if value == 0 {
                return Err("a limit must be at least 1 (use `off` for no limit)".to_string());
            }
            let slot = match name.trim() {
                "free.run" => &mut free.run,
                "free.get" => &mut free.get,
                "pro.run" => &mut pro.run,
                "pro.get" => &mut pro.get,
                other => {
                    return Err(format!(
                        "unknown limit {other:?}: use free.run, free.get, pro.run or pro.get"
                    ));
                }
            };
            *slot = value;
        }
        Ok(RateLimits::PerMinute { free, pro })
    }
}

impl fmt::Display for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateLimits::Off => f.write_str("off"),
            RateLimits::PerMinute { free, pro } => write!(
                f,
                "free.run={},free.get={},pro.run={},pro.get={}",
                free.run, free.get, pro.run, pro.get
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        config: MockConfig,
    }

    #[test]
    fn flags_without_arguments_equal_the_default_config() {
        let cli = Cli::try_parse_from(["astudio-mock"]).unwrap();
        assert_eq!(cli.config, MockConfig::default());
    }

    #[test]
    fn rate_limit_overrides_keep_the_other_defaults() {
        let limits: RateLimits = "free.run=5, pro.get=7".parse().unwrap();
        assert_eq!(limits.limit(Plan::Free, Bucket::Run), Some(5));
        assert_eq!(limits.limit(Plan::Free, Bucket::Get), Some(60));
        assert_eq!(limits.limit(Plan::Pro, Bucket::Get), Some(7));
        assert_eq!("off".parse::<RateLimits>().unwrap(), RateLimits::Off);
        assert!("free.run=0".parse::<RateLimits>().is_err());
        assert!("gold.run=3".parse::<RateLimits>().is_err());
        let again: RateLimits = limits.to_string().parse().unwrap();
        assert_eq!(again, limits);
    }

    #[test]
    fn accounts_file_refuses_a_plan_the_mock_does_not_serve() {
        let err =
            AccountsFile::parse("[[accounts]]\nkey = \"k\"\nplan = \"enterprise\"\n").unwrap_err();
        assert!(err.contains("enterprise"), "{err}");
    }

    #[test]
    fn accounts_file_accepts_the_documented_format_and_refuses_duplicates() {
        let file = AccountsFile::parse(
            r#"
            [[accounts]]
            key = "demo-free-key"
            email = "free@example.com"
            plan = "free"
            credits = 100
            "#,
        )
        .unwrap();
        assert_eq!(file.accounts[0].credits, 100);
        assert_eq!(file.accounts[0].plan, Plan::Free);
        let twice = "[[accounts]]\nkey = \"a\"\n[[accounts]]\nkey = \"a\"\n";
        assert!(AccountsFile::parse(twice).unwrap_err().contains("twice"));
        assert!(AccountsFile::parse("[[accounts]]\nkey = \"a\"\ncolour = 1\n").is_err());
    }
}
