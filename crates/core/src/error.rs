//! The one error type of the crate, [`Error`], and how an error answer of any
//! shape (the contract's JSON, a proxy's HTML page, nothing at all) becomes one.

use std::fmt::Write as _;
use std::time::Duration;

use artificial_studio_types::rules::not_found::NotFound;
use artificial_studio_types::{ErrorKind, GenerationStatus, ValidationIssue};
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::retry::parse_retry_after;

/// The result of every fallible call of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many bytes of an error answer are read: enough for any body the
/// contract describes, while a proxy's multi-megabyte page costs nothing.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// How many bytes of an unexpected body an [`Error::Decode`] keeps.
pub const SNIPPET_LIMIT: usize = 512;

/// Everything that can go wrong when calling the Artificial Studio API.
///
/// Match on the variant, or use the helpers ([`Error::is_retryable`],
/// [`Error::is_auth`], [`Error::status`], [`Error::validation_errors`]).
/// `Display` is one line a person can act on.
///
/// ```
/// use artificial_studio::{Error, ErrorKind};
///
/// fn explain(err: &Error) -> String {
///     match err {
///         Error::Api { kind: ErrorKind::PaymentRequired, .. } => "top up your credits".into(),
///         Error::Api { kind: ErrorKind::BadRequest, errors, .. } => {
///             errors.iter().map(|issue| issue.to_string()).collect::<Vec<_>>().join("\n")
///         }
///         other => other.to_string(),
///     }
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-2xx status. The status decides `kind`;
    /// `message` and `errors` come from the body when it follows the
    /// contract, else `message` is [`ErrorKind::default_message`].
    #[error("{}", display_api(*kind, *status, message, errors, *retry_after, request_id.as_deref(), *retries))]
    Api {
        /// What kind of failure, from the status alone.
        kind: ErrorKind,
        /// The HTTP status.
        status: u16,
        /// The body's `message`, or the kind's default message.
        message: String,
        /// The body's validation issues (400 only; empty otherwise).
        errors: Vec<ValidationIssue>,
        /// How long the server asked to wait (`Retry-After`), when it did.
        retry_after: Option<Duration>,
        /// The `X-Request-Id` of the answer, to quote in a support report.
        request_id: Option<String>,
        /// How many times the request was sent again before giving up.
        retries: u32,
        /// How long the client slept between attempts in total.
        waited: Duration,
    },

    /// No answer: the connection failed, was reset, or timed out.
    #[error("could not reach the API ({method} {url}): {message}")]
    Transport {
        /// The request's method.
        method: String,
        /// The request's URL, without credentials or query (it never holds
        /// the API key).
        url: String,
        /// The underlying cause, in words.
        message: String,
        /// Whether the cause was a timeout.
        timed_out: bool,
        /// How many times the request was sent again before giving up.
        retries: u32,
        /// How long the client slept between attempts in total.
        waited: Duration,
        /// The underlying error (from the HTTP client, or a timeout).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// A 2xx answer whose body does not match the spec.
    #[error(
        "unexpected answer to {method} {path} (status {status}): {message}; body starts: {}",
        one_line(snippet)
    )]
    Decode {
        /// The request's method.
        method: String,
        /// The request's path.
        path: String,
        /// The HTTP status.
        status: u16,
        /// What did not match.
        message: String,
        /// The first bytes of the body (at most [`SNIPPET_LIMIT`]), for a
        /// bug report.
        snippet: String,
        /// The `X-Request-Id` of the answer, when present.
        request_id: Option<String>,
    },

    /// The generation ended in `error`.
    #[error("generation {id} failed: {message}")]
    GenerationFailed {
        /// The generation id.
        id: String,
        /// The generation's `error`, or a generic message when it has none.
        message: String,
    },

    /// The generation did not reach a final status in time.
    #[error("generation {id} did not finish within {} (last status: {last_status})", secs(*elapsed))]
    WaitTimeout {
        /// The generation id.
        id: String,
        /// The status seen at the last poll.
        last_status: GenerationStatus,
        /// How long the wait lasted.
        elapsed: Duration,
    },

    /// The request was refused before it was sent, because the API would
    /// refuse it too.
    #[error("invalid request (not sent): {}", display_issues(message, errors))]
    InvalidRequest {
        /// What is wrong.
        message: String,
        /// One entry per problem, in the API's own format.
        errors: Vec<ValidationIssue>,
    },

    /// The client is misconfigured: no API key, a bad base URL, and so on.
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },

    /// A local file or writer failed (an upload's source, a download's
    /// destination).
    #[error("{context}: {source}")]
    Io {
        /// What the client was doing.
        context: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A received webhook is not one the service sent, or its body is not a
    /// [`WebhookPayload`](crate::types::WebhookPayload).
    #[error("invalid webhook: {message}")]
    Webhook {
        /// What is wrong.
        message: String,
    },

    /// A webhook delivery names a generation that the API, asked again, does
    /// not report as `success` (it is still running, or in a status this
    /// client does not know). One that ended in `error` is
    /// [`Error::GenerationFailed`] instead. See
    /// [`Client::confirm_webhook`](crate::Client::confirm_webhook).
    #[error("webhook not confirmed: the API says generation {id} is {status}, not success")]
    WebhookUnconfirmed {
        /// The generation id the delivery named.
        id: String,
        /// Its status, as `GET /api/generations/{id}` gave it.
        status: GenerationStatus,
    },
}

impl Error {
    /// Builds the error for a non-2xx answer from its status, headers and (a
    /// prefix of) its body. Any body works: the status decides the kind, and
    /// the message falls back to [`ErrorKind::default_message`] when the body
    /// is not the contract's JSON.
    ///
    /// The client does this for every answer; it is public for code that makes
    /// its own requests, say through another HTTP stack.
    ///
    /// ```
    /// use artificial_studio::{Error, ErrorKind};
    /// use reqwest::header::HeaderMap;
    ///
    /// let err = Error::from_response(502, &HeaderMap::new(), b"<html>Bad Gateway</html>");
    /// assert!(matches!(err, Error::Api { kind: ErrorKind::BadGateway, .. }));
    /// assert_eq!(err.to_string(), "502 Bad Gateway: Bad gateway");
    /// ```
    pub fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        let kind = ErrorKind::from_status(status);
        let (message, errors) = parse_error_body(body);
        Error::Api {
            kind,
            status,
            message: message.unwrap_or_else(|| kind.default_message().to_string()),
            errors,
            retry_after: parse_retry_after(headers),
            request_id: request_id(headers),
            retries: 0,
            waited: Duration::ZERO,
        }
    }

    /// The HTTP status of an [`Error::Api`] or [`Error::Decode`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The [`ErrorKind`] of an [`Error::Api`].
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            Error::Api { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// Whether sending the same request again later may succeed: rate limits,
    /// server errors, transport failures. (The client has already retried
    /// these as its [`RetryPolicy`](crate::RetryPolicy) allows.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { kind, .. } => kind.is_retryable(),
            Error::Transport { .. } => true,
            _ => false,
        }
    }

    /// Whether the API key is missing or wrong (401).
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            Error::Api {
                kind: ErrorKind::Unauthorized,
                ..
            }
        )
    }

    /// The validation issues, from the API (400) or found before sending.
    pub fn validation_errors(&self) -> &[ValidationIssue] {
        match self {
            Error::Api { errors, .. } | Error::InvalidRequest { errors, .. } => errors,
            _ => &[],
        }
    }

    /// What a `404` answer says was not found (a tool, a model, a
    /// generation, or [`NotFound::Other`], such as an unknown route), read
    /// from the message the contract fixes for each; `None` for any other
    /// error. Match on this rather than on the message.
    ///
    /// ```
    /// use artificial_studio::{Error, NotFound};
    /// use reqwest::header::HeaderMap;
    ///
    /// let err = Error::from_response(404, &HeaderMap::new(), br#"{"message": "Tool not found"}"#);
    /// assert_eq!(err.not_found(), Some(NotFound::Tool));
    /// let err = Error::from_response(404, &HeaderMap::new(), b"<html>gone</html>");
    /// assert_eq!(err.not_found(), Some(NotFound::Other));
    /// ```
    pub fn not_found(&self) -> Option<NotFound> {
        match self {
            Error::Api {
                kind: ErrorKind::NotFound,
                message,
                ..
            } => Some(NotFound::from_message(message)),
            _ => None,
        }
    }

    /// The `Retry-After` the server sent with an [`Error::Api`].
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The `X-Request-Id` of the answer, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. } | Error::Decode { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// How many times the request was sent again before this error was
    /// returned (0 when it was not retried).
    pub fn retries(&self) -> u32 {
        match self {
            Error::Api { retries, .. } | Error::Transport { retries, .. } => *retries,
            _ => 0,
        }
    }

    /// How long the client slept between attempts before returning this error.
    pub fn waited(&self) -> Duration {
        match self {
            Error::Api { waited, .. } | Error::Transport { waited, .. } => *waited,
            _ => Duration::ZERO,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::Config {
            message: message.into(),
        }
    }

    /// Issues found before sending, with the message the API gives its own
    /// validation failures (the spec's default message for a 400).
    pub(crate) fn invalid_fields(errors: Vec<ValidationIssue>) -> Error {
        Error::InvalidRequest {
            message: ErrorKind::BadRequest.default_message().to_string(),
            errors,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::InvalidRequest {
            message: message.into(),
            errors: Vec::new(),
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// Records the retries made before this error was returned.
    pub(crate) fn with_retries(mut self, done: u32, slept: Duration) -> Error {
        if let Error::Api {
            retries, waited, ..
        }
        | Error::Transport {
            retries, waited, ..
        } = &mut self
        {
            *retries = done;
            *waited = slept;
        }
        self
    }
}

/// The `X-Request-Id` header, when present and readable.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// The `message` and `errors` of an error body, as far as the body follows the
/// contract. Issues that do not parse are skipped rather than failing the rest.
fn parse_error_body(body: &[u8]) -> (Option<String>, Vec<ValidationIssue>) {
    let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(body) else {
        return (None, Vec::new());
    };
    let message = match object.remove("message") {
        Some(Value::String(message)) if !message.trim().is_empty() => Some(message),
        _ => None,
    };
    let errors = match object.remove("errors") {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|item| serde_json::from_value::<ValidationIssue>(item).ok())
            .collect(),
        _ => Vec::new(),
    };
    (message, errors)
}

/// The first bytes of a body as text, for an error report.
pub(crate) fn snippet(body: &[u8]) -> String {
    let end = body.len().min(SNIPPET_LIMIT);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

fn display_api(
    kind: ErrorKind,
    status: u16,
    message: &str,
    errors: &[ValidationIssue],
    retry_after: Option<Duration>,
    request_id: Option<&str>,
    retries: u32,
) -> String {
    let name = match kind {
        ErrorKind::Other(_) => reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or(kind.name()),
        known => known.name(),
    };
    let mut line = format!("{status} {name}: {}", display_issues(message, errors));
    let mut notes = Vec::new();
    if let Some(wait) = retry_after {
        notes.push(format!("retry after {}", secs(wait)));
    }
    match retries {
        0 => {}
        1 => notes.push("after 1 retry".to_string()),
        n => notes.push(format!("after {n} retries")),
    }
    if let Some(id) = request_id {
        notes.push(format!("request id {id}"));
    }
    if !notes.is_empty() {
        let _ = write!(line, " ({})", notes.join("; "));
    }
    line
}

/// `message`, then each issue as `field: message (code)`, separated by `; `.
fn display_issues(message: &str, errors: &[ValidationIssue]) -> String {
    let mut line = one_line(message);
    for (i, issue) in errors.iter().enumerate() {
        line.push_str(if i == 0 { ": " } else { "; " });
        line.push_str(&one_line(&issue.to_string()));
    }
    line
}

/// A duration as a person reads it: `30s`, `1.5s`, `250ms`, `10m`.
pub(crate) fn secs(d: Duration) -> String {
    let whole = d.as_secs();
    if d < Duration::from_secs(1) && !d.is_zero() {
        format!("{}ms", d.as_millis())
    } else if whole >= 120 && d.subsec_millis() == 0 {
        match whole % 60 {
            0 => format!("{}m", whole / 60),
            rest => format!("{}m{rest}s", whole / 60),
        }
    } else if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// Text on one line, with runs of whitespace collapsed, at most 200 chars.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(200));
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > 200 {
        out = out.chars().take(199).collect();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn durations_read_as_a_person_would_say_them() {
        assert_eq!(secs(Duration::from_secs(30)), "30s");
        assert_eq!(secs(Duration::from_millis(1500)), "1.5s");
        assert_eq!(secs(Duration::from_millis(250)), "250ms");
        assert_eq!(secs(Duration::ZERO), "0s");
        assert_eq!(secs(Duration::from_secs(90)), "90s");
        assert_eq!(secs(Duration::from_secs(600)), "10m");
        assert_eq!(secs(Duration::from_secs(150)), "2m30s");
    }

    #[test]
    fn error_stays_small_enough_to_return_by_value() {
        assert!(
            std::mem::size_of::<Error>() <= 128,
            "{}",
            std::mem::size_of::<Error>()
        );
    }

    proptest! {
        #[test]
        fn any_status_and_body_give_a_typed_error(status in 100u16..1000, body in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let err = Error::from_response(status, &HeaderMap::new(), &body);
            let Error::Api { kind, status: s, message, .. } = &err else { panic!("not Api") };
            prop_assert_eq!(*kind, ErrorKind::from_status(status));
            prop_assert_eq!(*s, status);
            prop_assert!(!message.is_empty());
            let line = err.to_string();
            prop_assert!(!line.contains('\n'));
        }

        #[test]
        fn any_json_body_gives_a_typed_error(status in 400u16..600, message in proptest::option::of(".*"), field in ".*", code in "[a-z_]{0,20}") {
            let body = serde_json::json!({
                "message": message,
                "errors": [{"field": field, "message": "m", "code": code}],
            });
            let err = Error::from_response(status, &HeaderMap::new(), body.to_string().as_bytes());
            let Error::Api { kind, message: m, .. } = &err else { panic!("not Api") };
            prop_assert_eq!(*kind, ErrorKind::from_status(status));
            prop_assert!(!m.trim().is_empty());
            prop_assert!(!err.to_string().contains('\n'));
        }
    }
}
