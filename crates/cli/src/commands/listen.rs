//! `astudio webhooks listen`: a local receiver of webhook deliveries. Each
//! delivery is checked (documented headers, body shape), confirmed with the
//! API through the client's `confirm_webhook`, printed as one line, and
//! forwarded when verified. The HTTP server is axum's: this module is
//! behind the default `listen` feature.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode};

use artificial_studio::{Error, parse_webhook};
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::Serialize;

use crate::app::App;
use crate::args::ListenArgs;
use crate::render::{Paint, out, terminal};
use crate::report::Failure;

/// How long a forward may take: the service wants its answer within 5 s.
const FORWARD_TIMEOUT: Duration = Duration::from_secs(4);

/// Headers that belong to one connection, not to the delivery.
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "content-length",
    "host",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// One received delivery, as printed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Delivery {
    time: String,
    generation_id: Option<String>,
    status: Option<String>,
    verified: bool,
    /// Why it did not check out.
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    forwarded: Option<Forwarded>,
}

/// What became of a verified delivery sent on to `--forward-to`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Forwarded {
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// How a delivery that did not check out is answered: `400` when it is not
/// one (the sender should not have sent it), `502` when the API could not say.
enum Refusal {
    NotADelivery(String),
    ApiUnavailable(String),
}

impl Refusal {
    fn message(&self) -> &str {
        match self {
            Refusal::NotADelivery(m) | Refusal::ApiUnavailable(m) => m,
        }
    }
}

/// The checks of one delivery, in order: headers and body, then the API.
/// Returns the generation id and status the delivery claims, and the refusal, if any.
async fn check(
    app: &App,
    headers: &HeaderMap,
    body: &[u8],
) -> (Option<String>, Option<String>, Option<Refusal>) {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let payload = parse_webhook(headers, body);
    let (id, status) = match &payload {
        Ok(p) => (Some(p.id.clone()), Some(p.status.to_string())),
        Err(_) => (
            headers
                .get(artificial_studio::WEBHOOK_MEDIA_ID_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            None,
        ),
    };
    let refuse = |m: String| (id.clone(), status.clone(), Some(Refusal::NotADelivery(m)));
    if let Err(e) = payload {
        return refuse(webhook_problem(&e));
    }
    if !content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    {
        return refuse(format!(
            "Content-Type is {content_type:?}, not application/json"
        ));
    }
    if !headers.contains_key(artificial_studio::WEBHOOK_MEDIA_ID_HEADER) {
        return refuse("the X-Media-Id header is missing".into());
    }
    match app.client.confirm_webhook(headers, body).await {
        Ok(_) => (id, status, None),
        Err(e @ (Error::Transport { .. } | Error::Decode { .. })) => {
            (id, status, Some(Refusal::ApiUnavailable(e.to_string())))
        }
        Err(Error::Api { status: code, .. }) if code >= 500 || code == 429 => (
            id,
            status,
            Some(Refusal::ApiUnavailable(format!(
                "the API answered {code} when asked for the generation"
            ))),
        ),
        Err(e) => refuse(webhook_problem(&e)),
    }
}

/// An error of the checks in a few words.
fn webhook_problem(error: &Error) -> String {
    match error {
        Error::Webhook { message } => message.clone(),
        Error::Api {
            status, message, ..
        } => format!("the API answered {status} for the generation: {message}"),
        Error::GenerationFailed { message, .. } => {
            format!("the API says the generation ended in error: {message}")
        }
        other => other.to_string(),
    }
}

impl App {
    /// `webhooks listen`: serves until Ctrl-C.
    pub(crate) async fn listen(self: Arc<Self>, args: ListenArgs) -> Result<(), Failure> {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], args.port.unwrap_or(0)));
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            Failure::Usage(
                format!("cannot listen on {addr}: {e}"),
                Some("pick another --port, or leave it out for a free one".into()),
            )
        })?;
        let local = listener
            .local_addr()
            .map_err(|e| Failure::Local(format!("cannot read the listening address: {e}")))?;
        let url = format!("http://{local}/");
        if self.global.json {
            self.print_line(&serde_json::json!({ "url": url }))?;
        } else {
            out(format!("{url}\n"));
        }
        match &args.forward_to {
            Some(to) => self.note(format!(
                "listening for webhook deliveries; verified ones go on to {to}; Ctrl-C to stop"
            )),
            None => self.note("listening for webhook deliveries; Ctrl-C to stop"),
        }
        let forwarder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(FORWARD_TIMEOUT)
            .build()
            .map_err(|e| Failure::Local(format!("cannot build the forwarding client: {e}")))?;
        let receiver = Arc::new(Receiver {
            app: self,
            forward_to: args.forward_to,
            forwarder,
        });
        let service = axum::Router::new()
            .fallback(
                |State(receiver): State<Arc<Receiver>>,
                 method: Method,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    receiver.receive(method, headers, body).await
                },
            )
            .with_state(receiver);
        axum::serve(listener, service)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Failure::Local(format!("the webhook listener stopped: {e}")))
    }

    /// One JSON value on one line, through `--jq` when given.
    fn print_line<T: Serialize>(&self, value: &T) -> Result<(), Failure> {
        let value = serde_json::to_value(value)
            .map_err(|e| Failure::Local(format!("cannot print JSON: {e}")))?;
        match &self.jq {
            Some(jq) => out(jq
                .run(&value)
                .map_err(|e| Failure::Local(format!("--jq: {e}")))?),
            None => out(format!("{value}\n")),
        }
        Ok(())
    }
}

/// What the listener's requests share.
struct Receiver {
    app: Arc<App>,
    forward_to: Option<url::Url>,
    forwarder: reqwest::Client,
}

impl Receiver {
    /// One request to the listener: checked, printed, forwarded, answered.
    async fn receive(
        &self,
        method: Method,
        headers: HeaderMap,
        body: Bytes,
    ) -> (StatusCode, axum::Json<serde_json::Value>) {
        let app = &self.app;
        let time = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        let (generation_id, status, refusal) = if method == Method::POST {
            check(app, &headers, &body).await
        } else {
            (
                None,
                None,
                Some(Refusal::NotADelivery(format!(
                    "{method} is not a delivery: the service POSTs"
                ))),
            )
        };
        let forwarded = match (&refusal, &self.forward_to) {
            (None, Some(to)) => Some(forward(&self.forwarder, to, &headers, body).await),
            _ => None,
        };
        let delivery = Delivery {
            time,
            generation_id,
            status,
            verified: refusal.is_none(),
            problem: refusal.as_ref().map(|r| r.message().to_string()),
            forwarded,
        };
        if app.global.json {
            // print_line fails only on a --jq error, said once per delivery.
            if let Err(Failure::Local(message)) = app.print_line(&delivery) {
                eprintln!("error: {message}");
            }
        } else {
            out(line(&delivery, terminal().color));
        }
        let answer = |code, body| (code, axum::Json(body));
        match refusal {
            None => answer(StatusCode::OK, serde_json::json!({ "received": true })),
            Some(Refusal::NotADelivery(message)) => answer(
                StatusCode::BAD_REQUEST,
                serde_json::json!({ "error": message }),
            ),
            Some(Refusal::ApiUnavailable(message)) => answer(
                StatusCode::BAD_GATEWAY,
                serde_json::json!({ "error": message }),
            ),
        }
    }
}

/// Sends the delivery on, same body and headers (but those of the connection).
async fn forward(
    forwarder: &reqwest::Client,
    to: &url::Url,
    headers: &HeaderMap,
    body: impl Into<reqwest::Body>,
) -> Forwarded {
    let mut sent = HeaderMap::new();
    for (name, value) in headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            sent.append(name.clone(), value.clone());
        }
    }
    let result = forwarder
        .post(to.clone())
        .headers(sent)
        .body(body)
        .send()
        .await;
    let (status, error) = match result {
        Ok(answer) => (Some(answer.status().as_u16()), None),
        Err(e) if e.is_timeout() => (
            None,
            Some(format!("no answer within {} s", FORWARD_TIMEOUT.as_secs())),
        ),
        Err(e) => (None, Some(e.to_string())),
    };
    Forwarded {
        url: to.to_string(),
        status,
        error,
    }
}

/// A delivery as one line: time, generation id, status, verified or why
/// not, and where it was forwarded.
fn line(d: &Delivery, color: bool) -> String {
    let id = d.generation_id.as_deref().unwrap_or("-");
    let status = d.status.as_deref().unwrap_or("-");
    let status = match Paint::of_status(status) {
        Some(paint) => paint.paint(status, color),
        None => status.to_string(),
    };
    let verdict = match &d.problem {
        None => Paint::Good.paint("verified", color),
        Some(problem) => Paint::Bad.paint(&format!("not verified: {problem}"), color),
    };
    let mut text = format!(
        "{}  {}  {status}  {verdict}",
        d.time,
        Paint::Id.paint(id, color)
    );
    if let Some(f) = &d.forwarded {
        let outcome = match (f.status, &f.error) {
            (Some(code), _) => Paint::of_http(code).paint(&code.to_string(), color),
            (None, Some(error)) => Paint::Bad.paint(error, color),
            (None, None) => "-".to_string(),
        };
        text.push_str(&format!("  → {} {outcome}", f.url));
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(problem: Option<&str>, forwarded: Option<Forwarded>) -> Delivery {
        Delivery {
            time: "2026-12-03T12:00:00Z".into(),
            generation_id: Some("65f1c0ffee0123456789abcd".into()),
            status: Some("success".into()),
            verified: problem.is_none(),
            problem: problem.map(str::to_string),
            forwarded,
        }
    }

    #[test]
    fn a_verified_delivery_is_one_line_with_where_it_went() {
        let forwarded = Forwarded {
            url: "http://127.0.0.1:3000/hooks".into(),
            status: Some(200),
            error: None,
        };
        assert_eq!(
            line(&delivery(None, Some(forwarded)), false),
            "2026-12-03T12:00:00Z  65f1c0ffee0123456789abcd  success  verified  → http://127.0.0.1:3000/hooks 200\n"
        );
    }

    #[test]
    fn a_refused_delivery_says_why_in_red_when_colouring() {
        let text = line(
            &delivery(Some("the X-Media-Id header is missing"), None),
            true,
        );
        assert!(
            text.contains("\u{1b}[38;5;1mnot verified: the X-Media-Id header is missing\u{1b}[0m"),
            "{text:?}"
        );
        assert!(!line(&delivery(Some("x"), None), false).contains('\u{1b}'));
    }

    #[test]
    fn json_lines_name_the_fields_in_camel_case_and_leave_out_what_is_absent() {
        let value = serde_json::to_value(delivery(None, None)).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "time": "2026-12-03T12:00:00Z",
                "generationId": "65f1c0ffee0123456789abcd",
                "status": "success",
                "verified": true,
            })
        );
    }
}
