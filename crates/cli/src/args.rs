//! The command line: every command, flag and help text (clap derive).

use std::path::PathBuf;
use std::time::Duration;

use artificial_studio_types::{GenerationStatus, GenerationType};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Printed under `astudio --help`: the exit codes scripts can rely on.
const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  the API answered with an error (4xx or 5xx, after retries)
  2  usage error: bad flags or input, no API key, a webhook delivery that does not check out
  3  the generation ended in `error`
  4  timeout: the generation or a request took too long
  5  network failure: the API could not be reached
  130  stopped by Ctrl-C (batch: after saving what was started, so it resumes)

Environment:
  ARTIFICIAL_STUDIO_API_KEY   the API key (same as --api-key)
  ARTIFICIAL_STUDIO_BASE_URL  another base URL, such as a mock server (same as --base-url)
  ASTUDIO_PROFILE             the saved login to use (same as --profile)
  ASTUDIO_CONFIG_DIR          where profiles are saved (default: ~/.config/astudio)
  ASTUDIO_NO_KEYRING          set to keep keys in a 0600 file, never the OS keyring
  ASTUDIO_STATE_DIR           where the --mock sandbox is kept (default: the user's state directory)
A flag wins over the environment, which wins over the profile.

Try it with no account and no network:
  astudio --mock run create-image prompt=\"a lighthouse at dusk\" --download lighthouse.png";

/// Generate images, video, audio, 3D models and text with the Artificial Studio API.
#[derive(Debug, Parser)]
#[command(name = "astudio", version, about, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// API key, sent raw in the Authorization header (no `Bearer`).
    #[arg(
        long,
        env = "ARTIFICIAL_STUDIO_API_KEY",
        hide_env_values = true,
        global = true
    )]
    pub api_key: Option<String>,

    /// Base URL of the API, for a proxy or a mock server.
    #[arg(
        long,
        env = "ARTIFICIAL_STUDIO_BASE_URL",
        value_name = "URL",
        global = true
    )]
    pub base_url: Option<String>,

    /// A saved login (key and base URL) from `astudio auth login`.
    #[arg(long, env = "ASTUDIO_PROFILE", value_name = "NAME", global = true)]
    pub profile: Option<String>,

    /// Machine output: the API's JSON on stdout, errors as JSON on stderr.
    #[arg(long, global = true)]
    pub json: bool,

    /// Filter the JSON output with a jq expression (implies --json): strings
    /// print raw, other values as JSON. `--jq '.data[].slug'`
    #[arg(long, value_name = "EXPR", global = true)]
    pub jq: Option<String>,

    /// Print only results: no progress, no notes.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print every request and its status on stderr (never the key).
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Retries for a failed request (429, 5xx, network); 0 turns them off.
    #[arg(long, value_name = "N", global = true)]
    pub max_retries: Option<u32>,

    /// Run against a mock server started inside this command, with a demo
    /// key: no account, no network, no credits spent. The sandbox is kept
    /// between commands (`astudio mock reset` starts over).
    #[arg(long, global = true)]
    pub mock: bool,

    /// Against the sandbox (`astudio-mock`, or `--mock`): live in this
    /// session, with its own accounts, generations and journal (sends
    /// `X-Mock-Session`; the real service ignores it). 1 to 64 characters of
    /// `A-Z a-z 0-9 . _ -`.
    #[arg(long, env = "ASTUDIO_MOCK_SESSION", value_name = "NAME", global = true)]
    pub mock_session: Option<String>,

    /// Colour in lists and tables: `auto` (on a terminal, unless NO_COLOR is
    /// set; CLICOLOR_FORCE turns it on anywhere), `always` or `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

/// When to colour the output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` says otherwise.
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a tool: `astudio run create-image prompt="a fox"`.
    Run(RunArgs),
    /// Read, list and wait for generations.
    #[command(subcommand, visible_alias = "gen")]
    Generations(GenerationsCommand),
    /// List tools and show one tool's models and inputs.
    #[command(subcommand)]
    Tools(ToolsCommand),
    /// Search tools by words in their slug, name and description.
    Search {
        /// The words to look for.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// Show the account: e-mail, plan and credits.
    Account,
    /// Upload a file (image, video, audio or 3D model) with the multipart `POST /files` form, and
    /// print the URL to use as `image_urls`, `video_url` or `audio_url`.
    Upload {
        /// The file to upload.
        file: PathBuf,
    },
    /// Receive webhooks on this machine, or check one received delivery with
    /// the API, as the provider's n8n node does.
    #[command(subcommand, name = "webhooks", visible_alias = "webhook")]
    Webhook(WebhookCommand),
    /// Save, show and remove logins (a key and a base URL per profile).
    #[command(subcommand)]
    Auth(AuthCommand),
    /// The `--mock` sandbox: start it over, or serve it to other programs.
    #[command(subcommand)]
    Mock(MockCommand),
    /// Show a mock server's request journal, one line per request (as
    /// `stripe logs tail`).
    #[command(after_help = "\
Reads GET /__mock/journal of an astudio-mock server (its admin API); the real
service has none. Each line: time, method, path and query, status, duration,
request id, and the injected fault, if any. --json prints the entries.

Examples:
  astudio --base-url http://127.0.0.1:8080 logs
  astudio --base-url http://127.0.0.1:8080 logs --follow
  astudio logs --admin-token secret --json --jq 'select(.status >= 400)'")]
    Logs {
        /// Keep printing new requests as they come, until Ctrl-C.
        #[arg(long, short)]
        follow: bool,
        /// The mock's admin token, when it was started with one.
        #[arg(
            long,
            env = "ASTUDIO_MOCK_ADMIN_TOKEN",
            hide_env_values = true,
            value_name = "TOKEN"
        )]
        admin_token: Option<String>,
    },
    /// Check the setup in order, one line each with the fix for what fails:
    /// key, base URL, key accepted, credits, rate limit, clock.
    #[command(after_help = "\
Exit 0 only when every check passes.

Examples:
  astudio doctor
  astudio doctor --profile sandbox
  astudio --mock doctor")]
    Doctor,
    /// Send any request to the API with the configured key, retries and
    /// error reporting, and print the answer's JSON.
    Api(ApiArgs),
    /// Run many generations from a JSONL or CSV file: checked and priced
    /// first, then run a few at a time, saved, and resumable.
    Batch(BatchArgs),
    /// Print a shell completion script: `astudio completions bash > ~/.local/share/bash-completion/completions/astudio`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `astudio run`.
#[derive(Debug, Args)]
#[command(after_help = "\
Inputs:
  KEY=VALUE   typed from the model's input schema: numbers, booleans, arrays as a,b or JSON
  KEY:=JSON   a raw JSON value
  KEY=@FILE   upload FILE first and use its URL (image_urls=@a.jpg,@b.jpg for several)

Examples:
  astudio run create-image prompt=\"a fox in the snow\" image_size=landscape_16_9
  astudio run text-to-speech --model openai-tts prompt=\"Hello\" voice=nova --download hello.wav
  astudio run edit-image prompt=\"make it night\" image_urls=@photo.jpg --no-wait")]
pub struct RunArgs {
    /// The tool slug (see `astudio tools list`).
    pub tool: String,

    /// The tool's input, as KEY=VALUE words.
    #[arg(value_name = "KEY=VALUE")]
    pub inputs: Vec<String>,

    /// The model (default: the tool's first model).
    #[arg(long, short)]
    pub model: Option<String>,

    /// Read the input from a JSON file (`-` for stdin); KEY=VALUE words override it.
    #[arg(long, value_name = "FILE|-")]
    pub input_json: Option<String>,

    /// HTTPS URL the service calls when the generation succeeds. With a
    /// loopback base URL (a local astudio-mock), `http://127.0.0.1:PORT` too
    /// (see `astudio webhooks listen`).
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,

    /// Print the generation id and return at once, without waiting.
    #[arg(long, conflicts_with_all = ["download", "download_dir", "timeout"])]
    pub no_wait: bool,

    /// Save the output file here.
    #[command(flatten)]
    pub download: DownloadArgs,

    /// Give up waiting after this long (`90s`, `10m`).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
}

/// `astudio auth ...`.
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Check a key with GET /api/account, then save it (in the OS keyring,
    /// else in a file only you can read) with the base URL.
    #[command(after_help = "\
Examples:
  astudio auth login                      # asks for the key, hidden
  echo \"$KEY\" | astudio auth login --with-key
  astudio auth login --profile sandbox --base-url http://127.0.0.1:8080 --with-key < key.txt
  astudio --profile sandbox account")]
    Login {
        /// Read the key from stdin instead of asking for it.
        #[arg(long)]
        with_key: bool,
    },
    /// Show the login in use: profile, base URL, the key masked, where it
    /// came from, and the account's e-mail, plan and credits.
    #[command(after_help = "\
Examples:
  astudio auth status
  astudio auth status --profile sandbox --json")]
    Status,
    /// Remove a profile and its saved key.
    #[command(after_help = "\
Examples:
  astudio auth logout
  astudio auth logout --profile sandbox")]
    Logout,
}

/// `astudio mock ...`.
#[derive(Debug, Subcommand)]
pub enum MockCommand {
    /// Forget the `--mock` sandbox (its generations, uploads and balances):
    /// the next `--mock` command starts from the demo accounts.
    #[command(after_help = "\
The sandbox is a file under the user's state directory (ASTUDIO_STATE_DIR
replaces it): `$XDG_STATE_HOME/astudio/mock-state.json` on Linux.

Examples:
  astudio mock reset
  astudio --mock account     # 100 000 credits again")]
    Reset,
    /// Run the `--mock` sandbox in the foreground for other programs, until
    /// Ctrl-C: prints its base URL and the demo keys; what they do is kept,
    /// as with `--mock`.
    #[command(after_help = "\
The first line on stdout is the base URL alone. Ctrl-C (or SIGTERM) stops the
server and writes the sandbox. Two programs writing the sandbox at once (this
server and an `astudio --mock` command, say) do not corrupt it: each write
replaces the file whole, and the last one wins.

Examples:
  astudio mock serve
  astudio mock serve --port 8080
  ARTIFICIAL_STUDIO_BASE_URL=http://127.0.0.1:8080 ARTIFICIAL_STUDIO_API_KEY=demo-pro-key my-app")]
    Serve {
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// The address to listen on (its admin API is served on loopback only).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        host: std::net::IpAddr,
    },
}

/// `astudio api`.
#[derive(Debug, Args)]
#[command(after_help = "\
The path is relative to the base URL (a leading / is optional) and may carry a
query. The method is GET, or POST when fields or --input are given. With GET,
fields go into the query string; otherwise they make a JSON object body.

Fields:
  -F key=value   typed: true, false, null and numbers become JSON; @FILE is the
                 file's text (@- for stdin); anything else is a string
  -f key=value   always a string

Examples:
  astudio api api/account
  astudio api 'api/generations?limit=5' --jq '.data[].id'
  astudio api api/run -f tool=create-image -F 'input={\"prompt\":\"a fox\"}'
  astudio api -X POST api/run --input request.json
  echo '{\"tool\":\"create-image\",\"input\":{\"prompt\":\"a fox\"}}' | astudio api api/run --input -")]
pub struct ApiArgs {
    /// The path, such as `api/account` or `api/generations?limit=5`.
    pub path: String,

    /// The HTTP method.
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    pub method: Option<String>,

    /// A typed field, `key=value`; repeat for each.
    #[arg(short = 'F', long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,

    /// A string field, `key=value`; repeat for each.
    #[arg(short = 'f', long = "raw-field", value_name = "KEY=VALUE")]
    pub raw_fields: Vec<String>,

    /// The request body, from a file or `-` for stdin (sent as JSON unless -H says otherwise).
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["fields", "raw_fields"])]
    pub input: Option<String>,

    /// A request header, `Name: value`; repeat for each.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
}

/// `astudio batch`.
#[derive(Debug, Args)]
#[command(after_help = "\
Input:
  JSONL  one object per line, {\"tool\": ..., \"input\": {...}} (a \"name\" or \"id\" key names
         the output), or only the input objects with --tool; blank lines and lines
         starting with # are skipped
  CSV    (a .csv file, or --format csv) a header row of input fields, one run per row,
         values typed by the model's schema; a `tool` column picks the tool (else
         --tool), an `id` or `name` column names the output and is not sent, an
         empty cell leaves the field out

Before anything runs, every line is checked against its model's input schema and
the batch is priced; bad lines are all reported and nothing runs. Then up to
--concurrency generations run at once (default: the plan's runs per minute / 6,
so free 3, pro 10): a 429 waits its Retry-After and tries again; a 402 starts no
more runs, lets the running ones finish, and says what the rest would cost.

Each output is saved in --out as NAME.EXT (the line's id or name, else its line
number: 0007.png). Each line's result is appended to the results file as it
ends: {\"line\", \"generation_id\", \"status\", \"output\" | \"error\"}. Run the same
command again to resume: lines already `success` are skipped, a generation that
was started but not finished is waited for, not run again.

Exit 0 when every line succeeded; 1 when some failed or were not started; 2 when
the file has bad lines.

Examples:
  astudio batch prompts.jsonl --out renders/
  astudio batch prompts.csv --tool create-image --dry-run
  astudio batch prompts.jsonl --concurrency 2 --results runs.jsonl --json")]
pub struct BatchArgs {
    /// The JSONL or CSV file of inputs.
    pub file: PathBuf,

    /// The tool of every line that does not name one (needed for bare input objects and CSV).
    #[arg(long)]
    pub tool: Option<String>,

    /// The file's format (default: csv for a `.csv` file, else jsonl).
    #[arg(long, value_enum)]
    pub format: Option<BatchFormat>,

    /// Where to save the outputs (created when missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,

    /// The results file, read to resume and appended to (default: FILE's stem
    /// + `.results.jsonl`, in --out).
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,

    /// How many generations run at once (default: from the plan's rate limit).
    #[arg(long, short = 'c', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: Option<u32>,

    /// Check and price the batch, print the credits it needs, and run nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// The format of a batch file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// One JSON object per line.
    Jsonl,
    /// A header row, then one row per run.
    Csv,
}

/// Where to save a finished generation's output.
#[derive(Debug, Args, Default, Clone)]
pub struct DownloadArgs {
    /// Save the output file to PATH.
    #[arg(long, value_name = "PATH", conflicts_with = "download_dir")]
    pub download: Option<PathBuf>,

    /// Save the output file into DIR, named after the generation.
    #[arg(long, value_name = "DIR")]
    pub download_dir: Option<PathBuf>,
}

/// `astudio webhook ...`.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Confirm one received delivery: check its headers, then read the
    /// generation it names from the API and print it, unless it is not
    /// `success`. The body is never trusted.
    #[command(after_help = "\
Checks, in order: X-Webhook-Source is `artificial-studio`; the generation id is
X-Media-Id, else the body's `id` (they must agree); GET /api/generations/{id}
says `success`. Exit 0 and the API's generation when all hold; exit 2 when the
delivery does not check out (wrong headers, ids, or a generation still running);
exit 3 when the generation ended in `error`.

Examples:
  astudio webhooks confirm delivery.json -H 'X-Webhook-Source: artificial-studio' \\
    -H 'X-Media-Id: 65f1c0ffee0123456789abcd'
  cat body.json | astudio webhooks confirm - -H 'X-Webhook-Source: artificial-studio' \\
    --json --download out.png")]
    Confirm {
        /// The delivery's body: a file, or `-` for stdin.
        #[arg(value_name = "FILE|-")]
        body: String,
        /// A header of the delivery, as `Name: value`; repeat for each.
        #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
        headers: Vec<String>,
        /// Save the confirmed generation's output file here.
        #[command(flatten)]
        download: DownloadArgs,
    },
    /// Receive webhook deliveries on this machine: print each as it arrives,
    /// confirm it with the API, and forward the verified ones.
    #[command(after_help = "\
The URL to give as a run's webhook is printed first; then one line per delivery:
time, generation id, status, and whether it checked out (headers
Content-Type: application/json, X-Webhook-Source: artificial-studio and
X-Media-Id; a WebhookPayload body; GET /api/generations/{id} says `success`).
Verified deliveries are answered 200 and forwarded, same body and headers, to
--forward-to; others are answered 400 (the sender retries them). --json prints
each delivery as one JSON line.

The real service calls only public HTTPS URLs: put a tunnel in front of this
port. With astudio-mock --allow-private-webhooks the whole loop is local, and
astudio lets a run name an http://127.0.0.1 webhook when the base URL is on
loopback:

  astudio-mock --port 8080 --allow-private-webhooks &
  astudio webhooks listen --port 9000 --forward-to http://127.0.0.1:3000/hooks &
  astudio --base-url http://127.0.0.1:8080 run create-image prompt=\"a fox\" \\
    --webhook http://127.0.0.1:9000/ --no-wait")]
    Listen(ListenArgs),
}

/// `astudio webhooks listen`.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// The port to listen on, on 127.0.0.1 (default: a free one).
    #[arg(long)]
    pub port: Option<u16>,

    /// Forward each verified delivery, same body and headers, to this URL.
    #[arg(long, value_name = "URL")]
    pub forward_to: Option<url::Url>,
}

/// `astudio generations ...`.
#[derive(Debug, Subcommand)]
pub enum GenerationsCommand {
    /// Show one generation.
    Get {
        /// The generation id.
        id: String,
    },
    /// List generations, newest first.
    #[command(visible_alias = "ls")]
    List {
        /// Only generations in this status.
        #[arg(long, value_parser = parse_status)]
        status: Option<GenerationStatus>,
        /// How many to show (1 to 100).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
        limit: u32,
        /// How many to skip.
        #[arg(long, default_value_t = 0)]
        offset: u64,
        /// Every generation, page after page (with --json: one JSON array of them).
        #[arg(long, conflicts_with_all = ["limit", "offset"])]
        all: bool,
    },
    /// Wait for a generation to finish, then print its output URL.
    Wait {
        /// The generation id.
        id: String,
        /// Save the output file here.
        #[command(flatten)]
        download: DownloadArgs,
        /// Give up after this long (`90s`, `10m`).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        timeout: Option<Duration>,
    },
}

/// `astudio tools ...`.
#[derive(Debug, Subcommand)]
pub enum ToolsCommand {
    /// List every tool.
    #[command(visible_alias = "ls")]
    List {
        /// Only tools of this type.
        #[arg(long = "type", value_enum)]
        kind: Option<ToolType>,
    },
    /// Show a tool's models, costs and input fields.
    Show {
        /// The tool slug.
        slug: String,
    },
}

/// A tool type, for `tools list --type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ToolType {
    /// Images.
    Image,
    /// Video.
    Video,
    /// Audio.
    Audio,
    /// Text.
    Text,
    /// 3D objects.
    Object,
}

impl From<ToolType> for GenerationType {
    fn from(t: ToolType) -> Self {
        match t {
            ToolType::Image => GenerationType::Image,
            ToolType::Video => GenerationType::Video,
            ToolType::Audio => GenerationType::Audio,
            ToolType::Text => GenerationType::Text,
            ToolType::Object => GenerationType::Object,
        }
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(text).map_err(|e| format!("{e} (try `90s` or `10m`)"))
}

/// A status to filter by: one the contract knows (the filter is part of a
/// request, and requests stay strict).
fn parse_status(text: &str) -> Result<GenerationStatus, String> {
    match GenerationStatus::from(text) {
        GenerationStatus::Unknown(_) => {
            let all: Vec<String> = GenerationStatus::ALL
                .iter()
                .map(|s| s.to_string())
                .collect();
            Err(format!("expected one of {}", all.join(", ")))
        }
        known => Ok(known),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_accept_seconds_and_units() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn statuses_parse_and_list_the_choices_when_wrong() {
        assert_eq!(parse_status("success"), Ok(GenerationStatus::Success));
        assert!(
            parse_status("done")
                .unwrap_err()
                .contains("pending, processing")
        );
    }
}
