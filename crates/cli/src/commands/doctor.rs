//! `astudio doctor`: checks the setup in order, one line each, with the fix
//! for what fails. Runs before a client is built, since a missing key is one
//! of the things it checks.

use std::time::{Duration, SystemTime};

use artificial_studio::{ClientBuilder, Error, RawRequest, RawResponse};
use reqwest::Method;

use crate::auth;
use crate::render::out;
use crate::report::Failure;

/// A clock further off than this breaks signed URLs and confuses logs.
const MAX_SKEW: Duration = Duration::from_secs(60);

/// One check's outcome: its name, what was found, and the fix when it failed.
struct Check {
    name: &'static str,
    found: String,
    fix: Option<String>,
}

impl Check {
    fn pass(name: &'static str, found: impl Into<String>) -> Check {
        Check {
            name,
            found: found.into(),
            fix: None,
        }
    }

    fn fail(name: &'static str, found: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            name,
            found: found.into(),
            fix: Some(fix.into()),
        }
    }

    fn line(&self) -> String {
        match &self.fix {
            None => format!("ok    {}: {}\n", self.name, self.found),
            Some(fix) => format!("FAIL  {}: {}\n      fix: {fix}\n", self.name, self.found),
        }
    }
}

/// Runs the checks and prints them; fails (exit 1) unless all pass.
pub async fn doctor(login: auth::Login) -> Result<(), Failure> {
    let mut failed = 0;
    let mut report = |check: Check| {
        failed += usize::from(check.fix.is_some());
        out(check.line());
    };
    let key = match key_check(login.api_key.as_deref(), &login.source) {
        Ok((check, key)) => {
            report(check);
            key
        }
        Err(check) => {
            report(check);
            return Err(summary(1));
        }
    };
    let mut builder = ClientBuilder::new()
        .api_key(key)
        .max_retries(0)
        .user_agent(concat!("astudio/", env!("CARGO_PKG_VERSION")));
    if let Some(url) = &login.base_url {
        builder = builder.base_url(url);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(err) => {
            report(Check::fail(
                "base URL",
                err.to_string(),
                "check --base-url or ARTIFICIAL_STUDIO_BASE_URL",
            ));
            return Err(summary(failed));
        }
    };
    let base = client.base_url().to_string();
    let sent = SystemTime::now();
    let answer = client
        .send_raw(RawRequest::new(Method::GET, "api/account"))
        .await;
    match &answer {
        Err(Error::Transport { message, .. }) => {
            report(Check::fail(
                "base URL reachable",
                format!("{base}: {message}"),
                "check the network (DNS, TLS, proxy) and --base-url",
            ));
            return Err(summary(failed));
        }
        _ => report(Check::pass("base URL reachable", base)),
    }
    let answer = match answer {
        Ok(answer) => {
            report(Check::pass("key accepted", "GET /api/account answered 200"));
            answer
        }
        Err(err) => {
            report(Check::fail(
                "key accepted",
                err.to_string(),
                "log in again with a key from your account page: astudio auth login",
            ));
            return Err(summary(failed));
        }
    };
    report(account_check(&answer));
    report(rate_limit_check(&answer));
    report(clock_check(&answer, sent));
    if failed == 0 {
        out("all checks passed\n");
        Ok(())
    } else {
        Err(summary(failed))
    }
}

fn summary(failed: usize) -> Failure {
    let s = if failed == 1 { "" } else { "s" };
    Failure::Local(format!("{failed} check{s} failed"))
}

fn key_check<'a>(
    key: Option<&'a str>,
    source: &auth::KeySource,
) -> Result<(Check, &'a str), Check> {
    const NAME: &str = "API key";
    let Some(key) = key else {
        return Err(Check::fail(
            NAME,
            "none configured",
            "astudio auth login, or set ARTIFICIAL_STUDIO_API_KEY, or pass --api-key",
        ));
    };
    if key.starts_with("Bearer ") {
        return Err(Check::fail(
            NAME,
            "starts with `Bearer `",
            "give the raw key, without `Bearer `",
        ));
    }
    if key.len() < 8 || key.chars().any(char::is_whitespace) {
        return Err(Check::fail(
            NAME,
            format!("{} does not look like a key", auth::mask(key)),
            "copy the whole key again from your account page",
        ));
    }
    Ok((
        Check::pass(NAME, format!("{} from {source}", auth::mask(key))),
        key,
    ))
}

fn account_check(answer: &RawResponse) -> Check {
    const NAME: &str = "credits and plan";
    let account = answer.json().ok();
    let field = |name: &str| account.as_ref().and_then(|a| a.get(name)).cloned();
    let plan = field("plan")
        .and_then(|p| p.as_str().map(String::from))
        .unwrap_or_else(|| "?".into());
    match field("credits").and_then(|c| c.as_f64()) {
        Some(credits) if credits > 0.0 => {
            Check::pass(NAME, format!("{credits} credits on the {plan} plan"))
        }
        Some(_) => Check::fail(
            NAME,
            format!("no credits left on the {plan} plan"),
            "add credits on your account page",
        ),
        None => Check::fail(
            NAME,
            "the account answer has no credits",
            "run astudio api api/account and report it",
        ),
    }
}

fn rate_limit_check(answer: &RawResponse) -> Check {
    const NAME: &str = "rate limit";
    let header = |name: &str| {
        answer
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    match (header("x-ratelimit-remaining"), header("x-ratelimit-limit")) {
        (Some(0), Some(limit)) => Check::fail(
            NAME,
            format!("0 of {limit} requests left in this window"),
            "wait for the window to reset, or lower the request rate",
        ),
        (Some(left), Some(limit)) => Check::pass(
            NAME,
            format!("{left} of {limit} requests left in this window"),
        ),
        _ => Check::pass(NAME, "the answer carried no rate-limit headers"),
    }
}

fn clock_check(answer: &RawResponse, sent: SystemTime) -> Check {
    const NAME: &str = "clock";
    let Some(date) = answer
        .headers
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
    else {
        return Check::pass(NAME, "the answer carried no Date header to compare with");
    };
    let skew = match date.duration_since(sent) {
        Ok(ahead) => ahead,
        Err(behind) => behind.duration(),
    };
    // The Date header has whole seconds: a second of difference is no skew.
    if skew <= MAX_SKEW {
        Check::pass(
            NAME,
            format!("within {}s of the server's", skew.as_secs().max(1)),
        )
    } else {
        Check::fail(
            NAME,
            format!("{}s off the server's Date", skew.as_secs()),
            "turn on network time (NTP) for this machine",
        )
    }
}
