//! The one request pipeline: every request to the server goes through
//! [`answer`], as plain function calls in the documented check order:
//!
//! ```text
//! request id → route (table; 404, 405 + Allow) → faults → auth (401)
//!   → rate limit (429, X-RateLimit-*) → endpoint (body 400/413/408, schema,
//!   tool, model, input, credits) → request id header, log line, journal
//! ```
//!
//! The caller found by `auth` is an argument of the endpoint; what the
//! journal keeps of the request ([`Notes`]) is a local of [`respond`], handed
//! back with its answer; the request's session (its state, an `App`, is what
//! every step is given) is found by [`answer`] before any step. The admin API (`/__mock/...`) and the `404` of paths outside the
//! table are axum's router, called where the table finds nothing.
//!
//! On a store shared by replicas (Redis), a plain request to the API takes
//! the scripted fault, auth and the rate limit in one round trip (the
//! store's gate), with the endpoint's own read or write where it has one
//! (a polled generation; a run, whose body is then read and checked first):
//! the answers, and their order, are the same.

use std::{any::Any, future::Future, panic::AssertUnwindSafe, sync::Arc, time::Instant};

use artificial_studio_types::{ErrorKind, messages};
use axum::{
    body::Body,
    extract::Request,
    http::{
        Extensions, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, Version, header,
        request::Parts,
    },
    response::{IntoResponse, Response},
};
use futures::{
    FutureExt,
    future::{self, Either},
};
use tower::ServiceExt;

use super::{
    Hub,
    admin::Scope,
    api,
    errors::ApiError,
    faulted, files, header_walk,
    headers::rate_headers,
    routes::{self, Api, Endpoint, Lookup, Open, Params},
    session,
};
use crate::{
    app::App,
    config::Bucket,
    fastfmt::Millis,
    faults::{FAULT_HEADER, Fault, parse_header},
    ids,
    journal::{RequestRecord, Target},
    store::{Admission, Caller, Gated, GenerationJson, SharedInstruments, Then, Unavailable},
};

/// The `tracing` target of the one line logged per request (the binary's log
/// format writes that line's fields on a fast path).
pub const REQUEST_LOG_TARGET: &str = "astudio_mock::request";

/// The header carrying the request id on every answer, as a name made once
/// (inserting by `&str` parses and allocates the name on every answer).
const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// [`FAULT_HEADER`] as a header name, made once (a lookup by `&str` checks
/// and hashes the name's text on every request).
const FAULT_HEADER_NAME: HeaderName = HeaderName::from_static(FAULT_HEADER);

/// What the pipeline learns about a request on its way, for the journal.
#[derive(Debug, Default)]
struct Notes {
    /// The account that made the request, when its key was valid.
    caller: Option<Arc<str>>,
    /// The faults injected (`500`, `delay=100,reset`, ...).
    fault: Option<String>,
    /// Not journaled: the session it names was refused.
    unjournaled: bool,
}

/// The answer to `request`, with its request id, log line and journal entry,
/// in the session it names (see [`super::session`]). `hub`'s admin router
/// answers what the route table does not know.
///
/// Not an `async fn`, and neither are the steps that only decide: what can be
/// done at once (the session, taking the request apart) is done here, and the
/// future is [`respond`]'s with the last step as a combinator around it. Each
/// `async fn` keeps its arguments for its whole life, so every layer that took
/// the request by value held another copy of it, in the future boxed (so
/// copied) for every request.
pub(crate) fn answer(
    app: Arc<App>,
    mut request: Request,
    hub: Arc<Hub>,
) -> impl Future<Output = Response> + Send + 'static {
    let started = Instant::now();
    let time = ids::now();
    let request_id = ids::RequestId::random();
    let method = request.method().clone();
    let uri = request.uri().clone();
    let (routing, journal) = match session::pick(app, &mut request, &hub.sessions) {
        Ok(session::Picked {
            app,
            name: session,
            admit,
        }) => {
            // A session's prefix is not routed (nor journaled). Boxed: the
            // default session's requests carry the `None` of 8 bytes, not 88.
            let stripped = session.is_some().then(|| Box::new(request.uri().clone()));
            let routed = stripped.as_deref().unwrap_or(&uri);
            let journal = !routed.path().starts_with("/__mock");
            let journal = journal.then(|| (app.clone(), stripped));
            let (parts, body) = request.into_parts();
            let routing = unless_it_panics(respond(app, parts, body, hub, session, admit));
            (Either::Left(routing), journal)
        }
        Err(refused) => {
            let refused = (refused.into_response(), Notes::default());
            (Either::Right(future::ready(refused)), None)
        }
    };
    routing.then(move |(mut response, notes)| {
        if let Ok(value) = HeaderValue::from_bytes(request_id.as_bytes()) {
            response.headers_mut().insert(REQUEST_ID_HEADER, value);
        }
        let status = response.status().as_u16();
        let elapsed = started.elapsed();
        tracing::info!(
            target: REQUEST_LOG_TARGET,
            method = %method,
            path = uri.path(),
            status,
            latency_ms = %Millis(elapsed),
            request_id = %request_id,
        );
        let entry = journal
            .filter(|_| !notes.unjournaled)
            .map(|(app, stripped)| {
                let routed = stripped.as_deref().unwrap_or(&uri);
                let record = RequestRecord {
                    time,
                    request_id,
                    method,
                    target: Target::new(routed.path(), routed.query()),
                    status,
                    account_id: notes.caller,
                    fault: notes.fault,
                    duration_ms: elapsed.as_secs_f64() * 1000.0,
                };
                (app, record)
            });
        // In memory the entry is pushed at once (a ready future); on a shared
        // store it is written before the answer goes, so any replica's
        // journal shows it.
        async move {
            if let Some((app, record)) = entry {
                app.instruments.record(record).await;
            }
            response
        }
    })
}

/// What a step answers when it panics: the contract's `500`.
trait Panicked {
    fn panicked(panic: Box<dyn Any + Send + 'static>) -> Self;
}

impl Panicked for Response {
    fn panicked(panic: Box<dyn Any + Send + 'static>) -> Self {
        super::panic_response(panic)
    }
}

impl Panicked for (Response, Notes) {
    fn panicked(panic: Box<dyn Any + Send + 'static>) -> Self {
        (super::panic_response(panic), Notes::default())
    }
}

/// The handler's answer, or the contract's `500` if it panicked (the request's
/// connection and the server go on).
///
/// A combinator, not an `async fn`: an `async fn` would hold `answer` twice
/// (as its argument and as the future it awaits), and this future is inside
/// the one boxed, so copied, for every request (a run's was 6.6 KB, 2.9 KB of
/// it the routed answer held twice).
fn unless_it_panics<T: Panicked>(answer: impl Future<Output = T>) -> impl Future<Output = T> {
    AssertUnwindSafe(answer)
        .catch_unwind()
        .map(|caught| caught.unwrap_or_else(T::panicked))
}

/// The request's head, borrowed field by field, so that a route's parameters
/// may borrow its path while an endpoint takes its headers.
struct Head<'a> {
    method: &'a Method,
    uri: &'a Uri,
    version: Version,
    headers: &'a mut HeaderMap,
    extensions: &'a mut Extensions,
}

impl Head<'_> {
    /// The whole request again, with `body`, for the endpoints that read it
    /// as axum does (the uploads); the headers and extensions are taken.
    fn into_request(self, body: Body) -> Request {
        let mut request = Request::new(body);
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.version_mut() = self.version;
        *request.headers_mut() = std::mem::take(self.headers);
        *request.extensions_mut() = std::mem::take(self.extensions);
        request
    }
}

/// Steps 1 and 2 of the pipeline, then the rest: the route (the table's
/// endpoint, `405` with `Allow`, or, for paths the table does not know, the
/// admin router, scoped to the `session`, and its `404`), then the faults of
/// the `X-Mock-Fault` header and of scripted rules. Without any (and without
/// drift mode), the request goes straight on. A `HEAD` answer keeps its
/// `Content-Length` and loses its body, as axum's routes do.
///
/// The one `async fn` holding the request (taken apart, so that the route's
/// parameters borrow its path), and the journal's notes.
async fn respond(
    app: Arc<App>,
    mut parts: Parts,
    mut body: Body,
    hub: Arc<Hub>,
    session: Option<Arc<str>>,
    admit: bool,
) -> (Response, Notes) {
    let mut notes = Notes::default();
    let head = parts.method == Method::HEAD;
    if admit && let Some(name) = &session {
        // Refused: the session was not made, so its journal is not written.
        if let Err(refused) = session::admit(&hub.sessions, name).await {
            notes.unjournaled = true;
            return (with_head(refused.into_response(), head), notes);
        }
    }
    let (endpoint, params) = match routes::lookup(&parts.method, parts.uri.path()) {
        Lookup::Found(endpoint, params) => (endpoint, params),
        Lookup::WrongMethod(allow) => {
            let mut response =
                ApiError::new(StatusCode::METHOD_NOT_ALLOWED, messages::METHOD_NOT_ALLOWED)
                    .into_response();
            response.headers_mut().insert(header::ALLOW, allow);
            return (with_head(response, head), notes);
        }
        Lookup::Unknown => {
            let scope = Scope {
                app: app.clone(),
                sessions: hub.sessions.clone(),
                session,
            };
            let request = Request::from_parts(parts, body);
            // Boxed: the admin router's future is large and rare.
            let admin = Box::pin(hub.admin.clone().with_state(scope).oneshot(request));
            let response = match admin.await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            return (response, notes);
        }
    };
    let mut faults = match faults(&parts) {
        Ok(faults) => faults,
        Err(refused) => return (with_head(refused.into_response(), head), notes),
    };
    let is_api = matches!(endpoint, Endpoint::Api(_));
    let mut admitted = None;
    let gate = app.instruments.shared();
    let scripted = match gate.filter(|_| is_api && faults.is_empty() && !app.drift) {
        // On a shared store, the scripted fault, auth and the rate limit of
        // a plain request to the API take one round trip, with the read of
        // `GET /api/generations/{id}` or the credits and creation of a run.
        Some(gate) => {
            let key = key_of(&parts.headers);
            match (endpoint, key) {
                (Endpoint::Api(Api::Run), Ok(key)) if !app.instruments.outcomes.any() => {
                    let run = gated_run(&app, gate, &parts, key, body, &mut notes);
                    match Box::pin(run).await {
                        Ok(response) => return (response, notes),
                        Err((fault, again)) => {
                            body = again;
                            Ok(Some(fault))
                        }
                    }
                }
                (endpoint, key) => {
                    let then = match endpoint {
                        Endpoint::Api(Api::GetGeneration) => Then::Read(params.first()),
                        _ => Then::Nothing,
                    };
                    let gated = gate.gate(
                        parts.method.as_str(),
                        parts.uri.path(),
                        key.as_ref().ok().copied(),
                        bucket_of(&parts.method),
                        then,
                    );
                    gated.await.map(|gated| match gated {
                        Gated::Fault(fault) => Some(fault),
                        Gated::NoKey => {
                            admitted = Some(Err(key.err().unwrap_or_else(invalid_key)));
                            None
                        }
                        Gated::InvalidKey => {
                            admitted = Some(Err(invalid_key()));
                            None
                        }
                        Gated::Admitted(admission) => {
                            admitted = Some(Ok(admission));
                            None
                        }
                    })
                }
            }
        }
        None => {
            app.instruments
                .take_fault(parts.method.as_str(), parts.uri.path())
                .await
        }
    };
    match scripted {
        Ok(Some(fault)) => faults.push(fault),
        Ok(None) => {}
        Err(unavailable) => {
            let refused = ApiError::from(unavailable).into_response();
            return (with_head(refused, head), notes);
        }
    }
    let request = Head {
        method: &parts.method,
        uri: &parts.uri,
        version: parts.version,
        headers: &mut parts.headers,
        extensions: &mut parts.extensions,
    };
    let answered = if faults.is_empty() && !(app.drift && is_api) {
        endpoint_behind_auth(&app, endpoint, &params, request, body, &mut notes, admitted).await
    } else {
        // Boxed: the rare path's futures (a delay's timer among them) would
        // otherwise make every request's future larger.
        let faulted = with_faults(&app, endpoint, &params, request, body, &mut notes, faults);
        Box::pin(faulted).await
    };
    let response = match answered {
        Ok(response) => with_head(response, head),
        // As bare as a panic anywhere else, but journaled with the notes.
        Err(panic) => super::panic_response(panic),
    };
    (response, notes)
}

/// `POST /api/run` with a key, on a shared store: the body read and checked
/// first, then one round trip for the scripted fault, the key, the rate
/// limit and (if the run passed its checks) the credits and the generation,
/// answered in the pipeline's order (fault, `401`, `429`, the body's `400`
/// etc., `402`, `202`). A scripted fault is handed back with the body to read
/// again, for the faulted path (a body that could not be read comes back
/// empty: behind a scripted delay it is then answered as empty, not `408`
/// or `413`).
async fn gated_run(
    app: &Arc<App>,
    gate: &dyn SharedInstruments,
    parts: &Parts,
    key: &str,
    body: Body,
    notes: &mut Notes,
) -> Result<Response, (Fault, Body)> {
    let (prepared, bytes) = api::read_run(app, &parts.headers, body).await;
    let (then, prepared) = match prepared {
        Ok((stored, cost, answer)) => (
            Then::Run(Box::new(app.lifecycle.gated_run(stored, cost))),
            Ok(answer),
        ),
        Err(refused) => (Then::Nothing, Err(refused)),
    };
    let gated = gate
        .gate(
            parts.method.as_str(),
            parts.uri.path(),
            Some(key),
            Bucket::Run,
            then,
        )
        .await;
    let admission = match gated {
        Ok(Gated::Admitted(admission)) => admission,
        Ok(Gated::Fault(fault)) => return Err((fault, bytes.map_or_else(Body::empty, Body::from))),
        Ok(Gated::NoKey | Gated::InvalidKey) => return Ok(invalid_key().into_response()),
        Err(unavailable) => return Ok(ApiError::from(unavailable).into_response()),
    };
    notes.caller = Some(admission.caller.account_id.clone());
    let refused = admission.decision.as_ref().is_some_and(|d| !d.allowed);
    let mut response = match (prepared, admission.created) {
        _ if refused => ApiError::kind(ErrorKind::TooManyRequests).into_response(),
        (Err(refused), _) => refused.into_response(),
        (Ok(answer), Some(Ok(()))) => api::run_accepted(app, &answer),
        (Ok(_), Some(Err(refused))) => api::create_refused(refused).into_response(),
        (Ok(_), None) => ApiError::from(Unavailable).into_response(),
    };
    if let Some(decision) = &admission.decision {
        rate_headers(response.headers_mut(), decision);
    }
    Ok(response)
}

/// An endpoint's answer, or its panic (caught where the journal's notes are
/// still at hand).
type Caught = Result<Response, Box<dyn Any + Send + 'static>>;

/// `response`, without its body if it answers a `HEAD`.
fn with_head(response: Response, head: bool) -> Response {
    if head {
        without_body(response)
    } else {
        response
    }
}

/// A `HEAD` answer: the `Content-Length` of the body it would have had.
fn without_body(mut response: Response) -> Response {
    use hyper::body::Body as _;
    if !response.headers().contains_key(header::CONTENT_LENGTH)
        && let Some(size) = response.body().size_hint().exact()
    {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    }
    *response.body_mut() = Body::empty();
    response
}

/// Step 2, faults: those of the `X-Mock-Fault` header (`400` when it cannot
/// be read); the caller adds the scripted rule of this request, if any.
fn faults(parts: &Parts) -> Result<Vec<Fault>, ApiError> {
    let Some(value) = header_walk::find(&parts.headers, &FAULT_HEADER_NAME) else {
        return Ok(Vec::new());
    };
    value
        .to_str()
        .map_err(|_| "not text".to_string())
        .and_then(parse_header)
        .map_err(|reason| {
            let message = format!("Invalid X-Mock-Fault header: {reason}");
            ApiError::new(StatusCode::BAD_REQUEST, &message)
        })
}

/// The answer to a request with `faults` (or in a server in drift mode):
/// delays first, then the first other fault's answer in place of the
/// endpoint's, or the endpoint's; drifted on the API's endpoints when `drift`
/// is among the faults or the server drifts.
async fn with_faults(
    app: &Arc<App>,
    endpoint: Endpoint,
    params: &Params<'_>,
    request: Head<'_>,
    body: Body,
    notes: &mut Notes,
    faults: Vec<Fault>,
) -> Caught {
    let fault_note = faults
        .iter()
        .map(Fault::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut answer = None;
    let mut drift = app.drift;
    for fault in faults {
        match fault {
            Fault::Delay(ms) => tokio::time::sleep(std::time::Duration::from_millis(ms)).await,
            Fault::Drift => drift = true,
            other => answer = answer.or(Some(other)),
        }
    }
    let bucket = bucket_of(request.method);
    if !fault_note.is_empty() {
        notes.fault = Some(fault_note);
    }
    // Only the API's own answers drift, not downloads or the spec.
    let drifted = (drift && matches!(endpoint, Endpoint::Api(_)))
        .then(|| (request.method.clone(), request.uri.path().to_owned()));
    let response = match answer {
        None => endpoint_behind_auth(app, endpoint, params, request, body, notes, None).await?,
        Some(fault) => faulted::response(fault, app.rate_limits, bucket),
    };
    Ok(match drifted {
        Some((method, path)) => super::drift::drift_response(&method, &path, response).await,
        None => response,
    })
}

/// Steps 3 and 4 taken already (by a shared store's
/// [`SharedInstruments::gate`](crate::store::SharedInstruments::gate)): the
/// caller, its rate decision and what was read for it, or the `401`.
type Admitted = Result<Admission, ApiError>;

/// Steps 3 and 4 on the API's endpoints, auth (`401`) then the rate limit
/// (`429`; `X-RateLimit-*` on whatever is answered), unless `admitted` has
/// taken them, then the endpoint with its caller; the open endpoints'
/// answer at once.
async fn endpoint_behind_auth(
    app: &Arc<App>,
    endpoint: Endpoint,
    params: &Params<'_>,
    request: Head<'_>,
    body: Body,
    notes: &mut Notes,
    admitted: Option<Admitted>,
) -> Caught {
    let endpoint = match endpoint {
        Endpoint::Api(endpoint) => endpoint,
        Endpoint::Open(open) => {
            let open = Box::pin(open_endpoint(app, open, params));
            return AssertUnwindSafe(open).catch_unwind().await;
        }
    };
    let Admission {
        caller,
        decision,
        generation,
        ..
    } = match admitted {
        Some(Ok(admitted)) => admitted,
        Some(Err(refused)) => return Ok(refused.into_response()),
        None => {
            let caller = match authenticate(app, request.headers).await {
                Ok(caller) => caller,
                Err(refused) => return Ok(refused.into_response()),
            };
            let rate = app.store.check_rate(&caller, bucket_of(request.method));
            match rate.await {
                Ok(decision) => Admission {
                    caller,
                    decision,
                    generation: None,
                    created: None,
                },
                Err(unavailable) => return Ok(ApiError::from(unavailable).into_response()),
            }
        }
    };
    notes.caller = Some(caller.account_id.clone());
    let mut response = match &decision {
        Some(d) if !d.allowed => ApiError::kind(ErrorKind::TooManyRequests).into_response(),
        _ => {
            let endpoint = api_endpoint(app, endpoint, params, caller, request, body, generation);
            AssertUnwindSafe(endpoint).catch_unwind().await?
        }
    };
    if let Some(decision) = &decision {
        rate_headers(response.headers_mut(), decision);
    }
    Ok(response)
}

/// Step 5 on the API's endpoints: the endpoint itself, which reads its body
/// (`400`/`413`/`408`) and checks it in the contract's order. The uploads,
/// rare and with large futures, are boxed apart. `generation` is the one
/// `GET /api/generations/{id}` asks for, when it was read already.
async fn api_endpoint(
    app: &Arc<App>,
    endpoint: Api,
    params: &Params<'_>,
    caller: Caller,
    request: Head<'_>,
    body: Body,
    generation: Option<Option<GenerationJson>>,
) -> Response {
    let answer = match endpoint {
        Api::Run => api::run(app.clone(), caller, request.headers, body).await,
        Api::GetGeneration => match generation {
            Some(found) => api::generation_answer(app, &caller, found),
            None => api::get_generation(app, &caller, params.first()).await,
        },
        Api::ListGenerations => api::list_generations(app, &caller, request.uri.query()).await,
        Api::ListTools => Ok(api::list_tools(app)),
        Api::GetTool => api::get_tool(app, params.first()),
        Api::Search => api::search(app, request.uri.query()),
        Api::Account => api::account(app, &caller).await,
        Api::UploadRaw => {
            let request = request.into_request(body);
            Box::pin(files::upload_raw(app.clone(), caller, request)).await
        }
        Api::Upload => {
            let request = request.into_request(body);
            Box::pin(files::upload(app.clone(), caller, request)).await
        }
    };
    answer.unwrap_or_else(IntoResponse::into_response)
}

/// The open endpoints: the files the API hands out as URLs, and the spec.
async fn open_endpoint(app: &App, endpoint: Open, params: &Params<'_>) -> Response {
    let answer = match endpoint {
        Open::Spec => Ok(files::openapi()),
        Open::Output => files::download_output(app, params.first()).await,
        Open::Thumbnail => files::download_thumbnail(app, params.first()).await,
        Open::UploadedFile => files::download_upload(app, params.first(), params.second()).await,
    };
    answer.unwrap_or_else(IntoResponse::into_response)
}

/// The account of the request's key: `401` without one, or with an unknown
/// key (`Bearer <key>` included).
async fn authenticate(app: &App, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let key = key_of(headers)?;
    app.store.authenticate(key).await?.ok_or_else(invalid_key)
}

/// The request's key as sent (`Bearer <key>` included, which no account
/// has): `401` without one, or with one that is not text.
fn key_of(headers: &HeaderMap) -> Result<&str, ApiError> {
    match header_walk::find(headers, &header::AUTHORIZATION) {
        Some(value) if !value.is_empty() => value.to_str().map_err(|_| invalid_key()),
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            messages::AUTHORIZATION_REQUIRED,
        )),
    }
}

/// The `401` of a key no account has.
fn invalid_key() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, messages::INVALID_API_KEY)
}

/// The rate-limit bucket of a request: runs and uploads, or reads.
pub(crate) fn bucket_of(method: &Method) -> Bucket {
    if method == Method::POST {
        Bucket::Run
    } else {
        Bucket::Get
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_handler_that_panics_is_answered_with_the_contract_500() {
        fn handler_with_a_bug() -> Response {
            panic!("a handler bug")
        }
        let answer = unless_it_panics(async { handler_with_a_bug() }).await;
        assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            answer.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/json"
        );
        let body = http_body_util::BodyExt::collect(answer.into_body())
            .await
            .unwrap()
            .to_bytes();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"message": messages::INTERNAL_SERVER_ERROR})
        );
    }

    #[tokio::test]
    async fn a_head_answer_keeps_its_length_and_loses_its_body() {
        let answer = without_body(Response::new(Body::from("{\"a\":1}")));
        assert_eq!(answer.headers().get(header::CONTENT_LENGTH).unwrap(), "7");
        let body = http_body_util::BodyExt::collect(answer.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert!(body.is_empty());
    }
}
