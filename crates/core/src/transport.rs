//! Sending one logical request: headers, authentication, timeouts, the retry
//! loop, reading answers within bounds, and turning failures into [`Error`]s.
//! Endpoints describe a [`Call`]; only this module knows about attempts.

use std::time::{Duration, Instant};

use artificial_studio_types::rules::session::SESSION_HEADER;
use bytes::{Bytes, BytesMut};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{ERROR_BODY_LIMIT, Error, Result, request_id, snippet};
use crate::events::{Observer, RequestEvent};
use crate::retry::{Decision, Failure, RetryPolicy, Safety};
use crate::types::rules::webhook::WebhookPolicy;
use crate::upload::FileUpload;

/// The largest 2xx body read into memory: far above any page the spec allows.
const SUCCESS_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Everything needed to send requests; shared by all clones of a client.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) api_key: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    /// `X-Mock-Session`, sent with the key (see `ClientBuilder::mock_session`).
    pub(crate) mock_session: Option<HeaderValue>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) upload_timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) observer: Option<Observer>,
    /// Which webhook URLs `run` sends (checked before sending, not here).
    pub(crate) webhook_policy: WebhookPolicy,
}

/// What a request carries.
pub(crate) enum Body {
    Empty,
    Json(Bytes),
    /// Bytes sent as they are; their content type, if any, is among the call's headers.
    Raw(Bytes),
    Upload(FileUpload),
}

/// One logical request, which the transport may send several times.
pub(crate) struct Call {
    method: Method,
    url: Url,
    body: Body,
    safety: Safety,
    /// Bounds the whole attempt, body included.
    timeout: Option<Duration>,
    /// Bounds only the wait for the answer's headers.
    answer_timeout: Option<Duration>,
    accept: &'static str,
    /// Headers of the caller's own, set last (they replace the defaults).
    headers: HeaderMap,
}

impl Call {
    /// A JSON request to an API path.
    pub(crate) fn api(transport: &Transport, method: Method, segments: &[&str]) -> Result<Call> {
        let mut url = transport.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| Error::config("the base URL cannot take a path"))?
            .pop_if_empty()
            .extend(segments);
        Ok(Call {
            method,
            url,
            body: Body::Empty,
            safety: Safety::Repeatable,
            timeout: transport.timeout,
            answer_timeout: None,
            accept: "application/json",
            headers: HeaderMap::new(),
        })
    }

    /// A request to an absolute URL on the API's origin, as a caller wrote
    /// it ([`Client::send_raw`](crate::Client::send_raw)). Repeatable unless
    /// the method may change state, like `POST /api/run`.
    pub(crate) fn raw(transport: &Transport, method: Method, url: Url, headers: HeaderMap) -> Call {
        let safety = if method.is_idempotent() {
            Safety::Repeatable
        } else {
            Safety::OnlyIfNotProcessed
        };
        Call {
            method,
            url,
            body: Body::Empty,
            safety,
            timeout: transport.timeout,
            answer_timeout: None,
            accept: "application/json",
            headers,
        }
    }

    /// A download of an absolute URL: no bound on the whole transfer (a
    /// video may take long), only on the wait for the headers.
    pub(crate) fn download(transport: &Transport, url: Url) -> Call {
        Call {
            method: Method::GET,
            url,
            body: Body::Empty,
            safety: Safety::Repeatable,
            timeout: None,
            answer_timeout: transport.timeout,
            accept: "*/*",
            headers: HeaderMap::new(),
        }
    }

    pub(crate) fn query(mut self, pairs: &[(&str, String)]) -> Call {
        if !pairs.is_empty() {
            let mut query = self.url.query_pairs_mut();
            for (name, value) in pairs {
                query.append_pair(name, value);
            }
        }
        self
    }

    pub(crate) fn json_body(mut self, body: Bytes) -> Call {
        self.body = Body::Json(body);
        self
    }

    /// A body sent as it is.
    pub(crate) fn raw_body(mut self, body: Bytes) -> Call {
        self.body = Body::Raw(body);
        self
    }

    pub(crate) fn upload(mut self, upload: FileUpload, timeout: Option<Duration>) -> Call {
        self.body = Body::Upload(upload);
        self.timeout = timeout;
        self
    }

    /// Marks the call as one that must not run twice (`POST /api/run`).
    pub(crate) fn only_if_not_processed(mut self) -> Call {
        self.safety = Safety::OnlyIfNotProcessed;
        self
    }

    /// The URL for a transport error, which must say which host failed:
    /// without credentials, query or fragment.
    pub(crate) fn display_url(&self) -> String {
        let mut url = self.url.clone();
        let _ = url.set_username("");
        let _ = url.set_password(None);
        url.set_query(None);
        url.set_fragment(None);
        url.to_string()
    }

    /// The path and query for events and errors. A URL on another origin than
    /// the API shows its origin and path, never its query (which may hold a
    /// signed token).
    pub(crate) fn display_path(&self, base: &Url) -> String {
        if self.url.origin() == base.origin() {
            match self.url.query() {
                Some(q) => format!("{}?{q}", self.url.path()),
                None => self.url.path().to_string(),
            }
        } else {
            format!(
                "{}{}",
                self.url.origin().ascii_serialization(),
                self.url.path()
            )
        }
    }
}

impl Transport {
    /// Sends `call`, retrying as the policy allows, and returns the first 2xx
    /// answer with its body unread.
    pub(crate) async fn execute(&self, call: &Call) -> Result<Response> {
        self.execute_then(call, |response| async move { Ok(response) })
            .await
    }

    /// Sends `call`, retrying as the policy allows, and passes the first 2xx
    /// answer to `read`. A failure of `read` (the connection dropped or stalled
    /// mid-body) is a failed attempt like any transport failure: retried when
    /// the call is repeatable, returned otherwise.
    async fn execute_then<T, F, Fut>(&self, call: &Call, read: F) -> Result<T>
    where
        F: Fn(Response) -> Fut,
        Fut: Future<Output = Result<T, TransportFailure>>,
    {
        let method = call.method.as_str().to_string();
        let path = call.display_path(&self.base_url);
        let mut retries = 0u32;
        let mut waited = Duration::ZERO;
        loop {
            let attempt = retries + 1;
            self.emit(RequestEvent::Sending {
                method: method.clone(),
                path: path.clone(),
                attempt,
            });
            let request = self.request(call).await?;
            let started = Instant::now();
            let (failure, error) = match send(request, call).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    self.emit(RequestEvent::Received {
                        method: method.clone(),
                        path: path.clone(),
                        attempt,
                        status,
                        elapsed: started.elapsed(),
                        request_id: request_id(response.headers()),
                    });
                    if response.status().is_success() {
                        match read(response).await {
                            Ok(value) => return Ok(value),
                            Err(failed) => {
                                let failed = failed.context("reading the answer failed");
                                self.emit(RequestEvent::Failed {
                                    method: method.clone(),
                                    path: path.clone(),
                                    attempt,
                                    error: failed.message.clone(),
                                    elapsed: started.elapsed(),
                                });
                                let error = failed.into_error(&method, &call.display_url());
                                (Failure::Transport { connect: false }, error)
                            }
                        }
                    } else {
                        let headers = response.headers().clone();
                        let idle = call.answer_timeout.or(self.timeout);
                        let body = read_prefix(response, ERROR_BODY_LIMIT, idle).await.0;
                        let error = Error::from_response(status, &headers, &body);
                        let failure = Failure::Status {
                            kind: crate::ErrorKind::from_status(status),
                            retry_after: error.retry_after(),
                        };
                        (failure, error)
                    }
                }
                Err(failed) => {
                    self.emit(RequestEvent::Failed {
                        method: method.clone(),
                        path: path.clone(),
                        attempt,
                        error: failed.message.clone(),
                        elapsed: started.elapsed(),
                    });
                    if failed.builder {
                        return Err(Error::invalid(format!(
                            "the request could not be built: {}",
                            failed.message
                        )));
                    }
                    let failure = Failure::Transport {
                        connect: failed.connect,
                    };
                    (failure, failed.into_error(&method, &call.display_url()))
                }
            };
            match self.retry.decide(retries, call.safety, &failure) {
                Decision::GiveUp => return Err(error.with_retries(retries, waited)),
                Decision::Retry(delay) => {
                    let reason = match &error {
                        Error::Api { kind, .. } => kind.to_string(),
                        Error::Transport { message, .. } => message.clone(),
                        other => other.to_string(),
                    };
                    self.emit(RequestEvent::Retrying {
                        method: method.clone(),
                        path: path.clone(),
                        next_attempt: attempt + 1,
                        delay,
                        reason,
                    });
                    tokio::time::sleep(delay).await;
                    waited += delay;
                    retries += 1;
                }
            }
        }
    }

    /// Sends `call` and decodes its 2xx JSON body as `T`.
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        Ok(self.json_with_hint(call).await?.0)
    }

    /// [`json`](Self::json), with the answer's poll hint (`X-Poll-After-Ms`),
    /// when it carried a valid one.
    pub(crate) async fn json_with_hint<T: DeserializeOwned>(
        &self,
        call: Call,
    ) -> Result<(T, Option<Duration>)> {
        // An API call's own timeout covers its body; an upload's answer still
        // gets the API timeout between two chunks.
        let idle = call.timeout.is_none().then_some(self.timeout).flatten();
        let (status, id, hint, body) = self
            .execute_then(&call, |response| async move {
                let status = response.status().as_u16();
                let id = request_id(response.headers());
                let hint = poll_hint(response.headers());
                match read_prefix(response, SUCCESS_BODY_LIMIT + 1, idle).await {
                    (body, None) => Ok((status, id, hint, body)),
                    (_, Some(failed)) => Err(failed),
                }
            })
            .await?;
        let decode_error = |message: String, body: &[u8]| Error::Decode {
            method: call.method.to_string(),
            path: call.display_path(&self.base_url),
            status,
            message,
            snippet: snippet(body),
            request_id: id.clone(),
        };
        if body.len() > SUCCESS_BODY_LIMIT {
            return Err(decode_error(
                format!("the body is larger than {SUCCESS_BODY_LIMIT} bytes"),
                &body,
            ));
        }
        let value =
            serde_json::from_slice(&body).map_err(|e| decode_error(e.to_string(), &body))?;
        Ok((value, hint))
    }

    /// Sends `call` and returns the 2xx answer's status, headers and body
    /// (at most [`SUCCESS_BODY_LIMIT`] bytes), undecoded.
    pub(crate) async fn raw(&self, call: &Call) -> Result<(u16, HeaderMap, Bytes)> {
        let (status, headers, body) = self
            .execute_then(call, |response| async move {
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                match read_prefix(response, SUCCESS_BODY_LIMIT + 1, self.timeout).await {
                    (body, None) => Ok((status, headers, body)),
                    (_, Some(failed)) => Err(failed),
                }
            })
            .await?;
        if body.len() > SUCCESS_BODY_LIMIT {
            return Err(Error::Decode {
                method: call.method.to_string(),
                path: call.display_path(&self.base_url),
                status,
                message: format!("the body is larger than {SUCCESS_BODY_LIMIT} bytes"),
                snippet: snippet(&body),
                request_id: request_id(&headers),
            });
        }
        Ok((status, headers, body))
    }

    /// One attempt's request: headers, key (only for the API's own origin),
    /// timeout and a fresh body.
    async fn request(&self, call: &Call) -> Result<reqwest::RequestBuilder> {
        let mut request = self
            .http
            .request(call.method.clone(), call.url.clone())
            .header(USER_AGENT, self.user_agent.clone())
            .header(ACCEPT, call.accept);
        if call.url.origin() == self.base_url.origin() {
            request = request.header(AUTHORIZATION, self.api_key.clone());
            if let Some(session) = &self.mock_session {
                request = request.header(SESSION_HEADER, session.clone());
            }
        }
        if let Some(timeout) = call.timeout {
            request = request.timeout(timeout);
        }
        let request = match &call.body {
            Body::Empty => request,
            Body::Json(bytes) => request
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Raw(bytes) => request.body(bytes.clone()),
            Body::Upload(upload) => request.multipart(upload.form().await?),
        };
        Ok(if call.headers.is_empty() {
            request
        } else {
            request.headers(call.headers.clone())
        })
    }

    /// Tells `tracing` and the observer about one step of an attempt.
    fn emit(&self, event: RequestEvent) {
        tracing::debug!(target: "artificial_studio", "{event}");
        if let Some(observer) = &self.observer {
            observer(&event);
        }
    }
}

/// The header in which a server says when to poll a generation next: whole
/// milliseconds until its status is expected to change. The mock server sends
/// it (on the `202` of a run and on each poll); the real service does not.
pub(crate) const POLL_AFTER_HEADER: &str = "x-poll-after-ms";

/// The poll hint of an answer: `None` without the header, or with a value
/// that is not a whole number of milliseconds.
pub(crate) fn poll_hint(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(POLL_AFTER_HEADER)?.to_str().ok()?.trim();
    value.parse::<u64>().ok().map(Duration::from_millis)
}

/// Sends one attempt; `call.answer_timeout` bounds the wait for the headers.
async fn send(request: reqwest::RequestBuilder, call: &Call) -> Result<Response, TransportFailure> {
    let sent = request.send();
    let result = match call.answer_timeout {
        Some(limit) => match tokio::time::timeout(limit, sent).await {
            Ok(result) => result,
            Err(_) => return Err(TransportFailure::timed_out(limit)),
        },
        None => sent.await,
    };
    result.map_err(|e| TransportFailure::from_reqwest(e, call.timeout))
}

/// Reads at most `limit` bytes of a body, then drops the rest (closing the
/// connection). A failure mid-way keeps what arrived and returns the error.
/// `idle` bounds the wait for each chunk.
pub(crate) async fn read_prefix(
    mut response: Response,
    limit: usize,
    idle: Option<Duration>,
) -> (Bytes, Option<TransportFailure>) {
    let mut body = BytesMut::new();
    while body.len() < limit {
        match next_chunk(&mut response, idle).await {
            Ok(Some(chunk)) => {
                let room = limit - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) => break,
            Err(e) => return (body.freeze(), Some(e)),
        }
    }
    (body.freeze(), None)
}

/// The next chunk of a body, waiting at most `idle` for it.
pub(crate) async fn next_chunk(
    response: &mut Response,
    idle: Option<Duration>,
) -> Result<Option<Bytes>, TransportFailure> {
    let chunk = response.chunk();
    let result = match idle {
        Some(limit) => match tokio::time::timeout(limit, chunk).await {
            Ok(result) => result,
            Err(_) => return Err(TransportFailure::timed_out(limit)),
        },
        None => chunk.await,
    };
    result.map_err(|e| TransportFailure::from_reqwest(e, None))
}

/// An attempt that got no (complete) answer.
#[derive(Debug)]
pub(crate) struct TransportFailure {
    message: String,
    timed_out: bool,
    /// The connection failed, so the request was never sent.
    connect: bool,
    /// The request could not even be built (a bad header, say).
    builder: bool,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportFailure {
    fn from_reqwest(error: reqwest::Error, timeout: Option<Duration>) -> TransportFailure {
        TransportFailure {
            message: describe(&error, timeout),
            timed_out: error.is_timeout(),
            connect: error.is_connect(),
            builder: error.is_builder(),
            source: Box::new(error),
        }
    }

    fn timed_out(limit: Duration) -> TransportFailure {
        let message = format!("no answer within {}", crate::error::secs(limit));
        TransportFailure {
            source: Box::new(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                message.clone(),
            )),
            message,
            timed_out: true,
            connect: false,
            builder: false,
        }
    }

    pub(crate) fn context(mut self, what: &str) -> TransportFailure {
        self.message = format!("{what}: {}", self.message);
        self
    }

    pub(crate) fn into_error(self, method: &str, url: &str) -> Error {
        Error::Transport {
            method: method.to_string(),
            url: url.to_string(),
            message: self.message,
            timed_out: self.timed_out,
            retries: 0,
            waited: Duration::ZERO,
            source: self.source,
        }
    }
}

/// A transport failure in words: the innermost cause, which says what
/// happened (`Connection refused`), rather than reqwest's outer wrapper.
fn describe(error: &reqwest::Error, timeout: Option<Duration>) -> String {
    if error.is_timeout() {
        return match timeout {
            _ if error.is_connect() => "timed out while connecting".to_string(),
            Some(t) => format!("timed out after {}", crate::error::secs(t)),
            None => "timed out".to_string(),
        };
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    let root = cause.to_string();
    if error.is_connect() && !root.to_lowercase().contains("connect") {
        format!("connection failed: {root}")
    } else {
        root
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn hint_of(value: Option<&'static str>) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(POLL_AFTER_HEADER, HeaderValue::from_static(value));
        }
        poll_hint(&headers)
    }

    #[test]
    fn a_poll_hint_is_whole_milliseconds_or_nothing() {
        assert_eq!(hint_of(None), None);
        assert_eq!(hint_of(Some("0")), Some(Duration::ZERO));
        assert_eq!(hint_of(Some(" 2002 ")), Some(Duration::from_millis(2002)));
        assert_eq!(hint_of(Some("-1")), None);
        assert_eq!(hint_of(Some("1.5")), None);
        assert_eq!(hint_of(Some("soon")), None);
    }
}
