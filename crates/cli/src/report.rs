//! Turning errors into words a person can act on, and into stable exit codes.
//!
//! A report is a headline (`error: ...`), detail lines, and hints. The
//! client's typed [`Error`] decides all three, with the advice text the spec
//! keeps for each status; a few facts fetched after the failure (the balance
//! on a 402, close tool slugs on a 404) make it more useful.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use artificial_studio::{API_KEY_ENV, BASE_URL_ENV, Error, ErrorKind, NotFound};
use artificial_studio_types::ErrorBody;
use serde_json::json;

/// The exit codes documented in `astudio --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 1: the API answered with an error.
    Api = 1,
    /// 2: bad flags or input, no API key.
    Usage = 2,
    /// 3: the generation ended in `error`.
    GenerationFailed = 3,
    /// 4: a wait or a request timed out.
    Timeout = 4,
    /// 5: the API could not be reached.
    Network = 5,
    /// 130: stopped by Ctrl-C (SIGINT), as shells report a process it ended.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// A failure of a command, before it is put into words.
#[derive(Debug)]
pub enum Failure {
    /// The client library failed.
    Client(Box<Error>),
    /// The command line or its input is wrong; with a hint.
    Usage(String, Option<String>),
    /// A local file could not be read or written.
    Local(String),
    /// Ctrl-C stopped the command after it saved what it must; what to do next.
    Interrupted(String),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Client(Box::new(err))
    }
}

/// Facts gathered after a failure that make its report more useful.
#[derive(Debug, Default, Clone)]
pub struct Context {
    /// The tool the command used, if any.
    pub tool: Option<String>,
    /// The model the command asked for, if any.
    pub model: Option<String>,
    /// Tool slugs close to the one that was not found.
    pub suggestions: Vec<String>,
    /// The account's credits, read after a 402.
    pub balance: Option<u64>,
    /// The model's price, as [`crate::render::price`] prints it (`6 credits/generation`,
    /// `27 credits/second`), when known.
    pub cost: Option<String>,
    /// Whether the command ran against `--mock`.
    pub mock: bool,
}

/// An error in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The first line, after `error: `.
    pub headline: String,
    /// Indented lines under it.
    pub details: Vec<String>,
    /// Lines after `hint: `.
    pub hints: Vec<String>,
    /// The exit code.
    pub exit: Exit,
    /// What `--json` prints on stderr: the API's error body, or one shaped like it.
    pub json: serde_json::Value,
}

impl Report {
    /// The report as text for stderr.
    pub fn render(&self) -> String {
        let mut out = format!("error: {}\n", self.headline);
        for line in &self.details {
            let _ = writeln!(out, "  {line}");
        }
        for hint in &self.hints {
            let _ = writeln!(out, "hint: {hint}");
        }
        out
    }
}

/// Puts a failure into words.
pub fn report(failure: &Failure, ctx: &Context) -> Report {
    match failure {
        Failure::Client(err) => client_report(err, ctx),
        Failure::Usage(message, hint) => Report {
            headline: message.clone(),
            details: Vec::new(),
            hints: hint.iter().cloned().collect(),
            exit: Exit::Usage,
            json: json!({ "message": message }),
        },
        Failure::Local(message) => Report {
            headline: message.clone(),
            details: Vec::new(),
            hints: Vec::new(),
            exit: Exit::Api,
            json: json!({ "message": message }),
        },
        Failure::Interrupted(message) => Report {
            headline: message.clone(),
            details: Vec::new(),
            hints: Vec::new(),
            exit: Exit::Interrupted,
            json: json!({ "message": message }),
        },
    }
}

fn client_report(err: &Error, ctx: &Context) -> Report {
    let simple = |headline: String, hints: Vec<String>, exit: Exit| Report {
        json: json!({ "message": headline }),
        headline,
        details: Vec::new(),
        hints,
        exit,
    };
    match err {
        Error::Api {
            kind,
            message,
            errors,
            retry_after,
            request_id,
            retries,
            waited,
            ..
        } => {
            let mut details: Vec<String> = errors.iter().map(ToString::to_string).collect();
            let mut hints = Vec::new();
            match kind {
                ErrorKind::BadRequest => {
                    if let Some(tool) = &ctx.tool {
                        hints.push(format!(
                            "see the inputs it takes: astudio tools show {tool}"
                        ));
                    }
                    hints.push(kind.advice().to_string());
                }
                ErrorKind::Unauthorized => {
                    hints.push(format!(
                        "set {API_KEY_ENV} to your API key, or pass --api-key; it is sent raw, without `Bearer`"
                    ));
                    if ctx.mock {
                        hints.push("with --mock, use a demo key such as demo-pro-key".into());
                    }
                }
                ErrorKind::PaymentRequired => {
                    match (ctx.balance, &ctx.cost) {
                        (Some(balance), Some(price)) => details.push(format!(
                            "balance: {balance} credits; the model costs {price}"
                        )),
                        (Some(balance), None) => {
                            details.push(format!("balance: {balance} credits"))
                        }
                        _ => {}
                    }
                    hints.push(kind.advice().to_string());
                }
                ErrorKind::NotFound if err.not_found() == Some(NotFound::Tool) => {
                    if !ctx.suggestions.is_empty() {
                        details.push(format!("did you mean: {}?", ctx.suggestions.join(", ")));
                    }
                    hints.push("see every tool: astudio tools list".into());
                }
                ErrorKind::NotFound if err.not_found() == Some(NotFound::Model) => {
                    if let Some(tool) = &ctx.tool {
                        hints.push(format!("see its models: astudio tools show {tool}"));
                    }
                }
                ErrorKind::NotFound if err.not_found() == Some(NotFound::Generation) => {
                    hints.push("see your generations: astudio generations list".into());
                }
                ErrorKind::TooManyRequests => {
                    details.push(gave_up(*retries, *waited));
                    if let Some(after) = retry_after {
                        details.push(format!(
                            "the API asks to wait {} before the next request",
                            secs(*after)
                        ));
                    }
                    hints.push(kind.advice().to_string());
                }
                kind if kind.status() >= 500 => {
                    details.push(gave_up(*retries, *waited));
                    if !kind.advice().is_empty() {
                        hints.push(kind.advice().to_string());
                    }
                }
                kind => {
                    if !kind.advice().is_empty() {
                        hints.push(kind.advice().to_string());
                    }
                }
            }
            if let Some(id) = request_id {
                details.push(format!("request id: {id}"));
            }
            let body = ErrorBody {
                message: message.clone(),
                errors: errors.clone(),
            };
            Report {
                headline: message.clone(),
                details,
                hints,
                exit: Exit::Api,
                json: serde_json::to_value(body).unwrap_or_else(|_| json!({ "message": message })),
            }
        }
        Error::Transport {
            timed_out,
            retries,
            waited,
            ..
        } => {
            let mut report = simple(
                err.to_string(),
                vec![format!(
                    "check your network, and the base URL (--base-url or {BASE_URL_ENV})"
                )],
                if *timed_out {
                    Exit::Timeout
                } else {
                    Exit::Network
                },
            );
            if *retries > 0 {
                report.details.push(format!(
                    "retried {} over {}",
                    times(*retries),
                    secs(*waited)
                ));
            }
            report
        }
        Error::GenerationFailed { .. } => simple(
            err.to_string(),
            vec![
                "the credits of a failed generation are given back; check the input and run again"
                    .into(),
            ],
            Exit::GenerationFailed,
        ),
        Error::WaitTimeout { id, .. } => simple(
            err.to_string(),
            vec![format!(
                "it may still finish: astudio generations wait {id}"
            )],
            Exit::Timeout,
        ),
        Error::InvalidRequest { message, errors } => Report {
            headline: message.clone(),
            details: errors.iter().map(ToString::to_string).collect(),
            hints: vec!["nothing was sent".into()],
            exit: Exit::Usage,
            json: serde_json::to_value(ErrorBody {
                message: message.clone(),
                errors: errors.clone(),
            })
            .unwrap_or_else(|_| json!({ "message": message })),
        },
        Error::Webhook { message } => simple(
            format!("the webhook delivery does not check out: {message}"),
            vec![
                "give the delivery's headers with -H 'Name: value' (X-Webhook-Source, X-Media-Id)"
                    .into(),
            ],
            Exit::Usage,
        ),
        Error::WebhookUnconfirmed { id, .. } => simple(
            err.to_string(),
            vec![format!(
                "a delivery is sent only on success; if it is still running: astudio generations wait {id}"
            )],
            Exit::Usage,
        ),
        Error::Config { message } => {
            let mut hints = Vec::new();
            if message.contains("Bearer") {
                hints.push(
                    "drop the `Bearer ` prefix: the API takes the raw key in Authorization".into(),
                );
            } else if message.contains("API key") {
                hints.push(format!(
                    "set {API_KEY_ENV}, pass --api-key, or try --mock with no account"
                ));
            } else {
                hints.push(format!("check --base-url or {BASE_URL_ENV}"));
            }
            simple(message.clone(), hints, Exit::Usage)
        }
        other => simple(other.to_string(), Vec::new(), Exit::Api),
    }
}

fn gave_up(retries: u32, waited: Duration) -> String {
    if retries == 0 {
        "not retried (retries are off, or the request may have been processed)".into()
    } else {
        format!(
            "retried {} over {}, then gave up",
            times(retries),
            secs(waited)
        )
    }
}

fn times(n: u32) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.1}s")
    } else {
        format!("{}s", d.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use artificial_studio::ValidationIssue;
    use artificial_studio_types::{ValidationIssueCode, messages};

    fn api(status: u16, message: &str) -> Error {
        Error::from_response(
            status,
            &Default::default(),
            json!({ "message": message }).to_string().as_bytes(),
        )
    }

    #[test]
    fn validation_errors_list_each_issue_as_field_message_code() {
        let body = ErrorBody::validation(vec![
            ValidationIssue::required("input.prompt"),
            ValidationIssue::new(
                "input.colour",
                "Unrecognized key: 'colour'",
                ValidationIssueCode::UnrecognizedKeys,
            ),
        ]);
        let err = Error::from_response(
            400,
            &Default::default(),
            &serde_json::to_vec(&body).unwrap(),
        );
        let ctx = Context {
            tool: Some("create-image".into()),
            ..Context::default()
        };
        let r = report(&Failure::from(err), &ctx);
        assert_eq!(r.exit, Exit::Api);
        insta::assert_snapshot!(r.render());
        assert_eq!(r.json, serde_json::to_value(&body).unwrap());
    }

    #[test]
    fn payment_required_shows_the_balance() {
        let ctx = Context {
            balance: Some(2),
            cost: Some("6 credits/generation".into()),
            ..Context::default()
        };
        let r = report(&Failure::from(api(402, messages::NOT_ENOUGH_CREDITS)), &ctx);
        insta::assert_snapshot!(r.render());
    }

    #[test]
    fn tool_not_found_suggests_close_slugs() {
        let ctx = Context {
            suggestions: vec!["create-image".into()],
            ..Context::default()
        };
        let r = report(&Failure::from(api(404, messages::TOOL_NOT_FOUND)), &ctx);
        insta::assert_snapshot!(r.render());
    }

    #[test]
    fn exit_codes_follow_the_documented_table() {
        let ctx = Context::default();
        let failed = Error::GenerationFailed {
            id: "a".into(),
            message: "boom".into(),
        };
        assert_eq!(
            report(&Failure::from(failed), &ctx).exit,
            Exit::GenerationFailed
        );
        assert_eq!(report(&Failure::from(api(503, "x")), &ctx).exit, Exit::Api);
        assert_eq!(
            report(&Failure::Interrupted("interrupted".into()), &ctx).exit as u8,
            130
        );
        assert_eq!(
            report(&Failure::Usage("x".into(), None), &ctx).exit,
            Exit::Usage
        );
        let config = Error::Config {
            message: "no API key given".into(),
        };
        assert_eq!(report(&Failure::from(config), &ctx).exit, Exit::Usage);
    }
}
