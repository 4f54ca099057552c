//! The one request pipeline: every request to the server goes through
//! [`answer`], as plain function calls in the documented check order:
//!
//! ```text
//! request id → route (table; 404, 405 + Allow) → faults → auth (401)
//!   → rate limit (429, X-RateLimit-*) → endpoint (body 400/413/408, schema,
//!   tool, model, input, credits) → request id header, log line, journal
//! ```
//!
//! The caller found by `auth` is an argument of the endpoint, and what the
//! journal keeps of the request ([`Notes`]) is a local of [`answer`], and so
//! is the request's session (its state, an `App`, is what every step is
//! given). The admin API (`/__mock/...`) and the `404` of paths outside the
//! table are axum's router, called where the table finds nothing.

use std::{panic::AssertUnwindSafe, sync::Arc, time::Instant};

use artificial_studio_types::{ErrorKind, messages};
use axum::{
    body::Body,
    extract::Request,
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use futures::FutureExt;
use tower::ServiceExt;

use super::{
    Hub,
    admin::Scope,
    api,
    errors::ApiError,
    faulted, files,
    headers::rate_headers,
    routes::{self, Api, Endpoint, Lookup, Open, Params},
    session::{self, Picked},
};
use crate::{
    app::App,
    config::Bucket,
    fastfmt::Millis,
    faults::{FAULT_HEADER, Fault, parse_header},
    ids,
    journal::{RequestRecord, Target},
    store::Caller,
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
}

/// The answer to `request`, with its request id, log line and journal entry,
/// in the session it names (see [`super::session`]). `hub`'s admin router
/// answers what the route table does not know.
pub(crate) async fn answer(app: Arc<App>, request: Request, hub: Arc<Hub>) -> Response {
    let started = Instant::now();
    let time = ids::now();
    let request_id = ids::RequestId::random();
    let method = request.method().clone();
    let uri = request.uri().clone();
    let mut notes = Notes::default();
    let (mut response, journal) = match session::pick(app, request, &hub.sessions) {
        Ok(Picked {
            app,
            request,
            session,
        }) => {
            // A session's prefix is not routed (nor journaled).
            let stripped = session.is_some().then(|| request.uri().clone());
            let routed = stripped.as_ref().unwrap_or(&uri);
            let journal = !routed.path().starts_with("/__mock");
            let routing = route(&app, request, routed, &hub, session, &mut notes);
            let response = unless_it_panics(routing).await;
            (response, journal.then_some((app, stripped)))
        }
        Err(refused) => (refused.into_response(), None),
    };
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
    if let Some((app, stripped)) = journal {
        let routed = stripped.as_ref().unwrap_or(&uri);
        app.instruments
            .record(RequestRecord {
                time,
                request_id,
                method,
                target: Target::new(routed.path(), routed.query()),
                status,
                account_id: notes.caller,
                fault: notes.fault,
                duration_ms: elapsed.as_secs_f64() * 1000.0,
            })
            .await;
    }
    response
}

/// The handler's answer, or the contract's `500` if it panicked (the request's
/// connection and the server go on).
///
/// A combinator, not an `async fn`: an `async fn` would hold `answer` twice
/// (as its argument and as the future it awaits), and this future is inside
/// the one boxed, so copied, for every request (a run's was 6.6 KB, 2.9 KB of
/// it the routed answer held twice).
fn unless_it_panics(answer: impl Future<Output = Response>) -> impl Future<Output = Response> {
    AssertUnwindSafe(answer)
        .catch_unwind()
        .map(|caught| caught.unwrap_or_else(super::panic_response))
}

/// Step 1, the route: the table's endpoint, `405` with `Allow`, or (for paths
/// the table does not know) the admin router, scoped to the `session`, and
/// its `404`. A `HEAD` answer keeps its `Content-Length` and loses its body,
/// as axum's routes do.
async fn route(
    app: &Arc<App>,
    request: Request,
    uri: &Uri,
    hub: &Hub,
    session: Option<Arc<str>>,
    notes: &mut Notes,
) -> Response {
    let head = request.method() == Method::HEAD;
    let response = match routes::lookup(request.method(), uri.path()) {
        Lookup::Found(endpoint, params) => {
            let matched = Matched {
                endpoint,
                params,
                request,
            };
            faults(app, matched, notes).await
        }
        Lookup::WrongMethod(allow) => {
            let mut response =
                ApiError::new(StatusCode::METHOD_NOT_ALLOWED, messages::METHOD_NOT_ALLOWED)
                    .into_response();
            response.headers_mut().insert(header::ALLOW, allow);
            response
        }
        Lookup::Unknown => {
            let scope = Scope {
                app: app.clone(),
                sessions: hub.sessions.clone(),
                session,
            };
            return match hub.admin.clone().with_state(scope).oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
        }
    };
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

/// A request the route table found: its endpoint and path parameters.
struct Matched<'p> {
    endpoint: Endpoint,
    params: Params<'p>,
    request: Request,
}

/// Step 2, faults: those of the `X-Mock-Fault` header and of scripted rules.
/// Without any (and without drift mode), the request goes straight on.
async fn faults(app: &Arc<App>, matched: Matched<'_>, notes: &mut Notes) -> Response {
    let mut faults = Vec::new();
    if let Some(value) = matched.request.headers().get(FAULT_HEADER_NAME) {
        let parsed = value
            .to_str()
            .map_err(|_| "not text".to_string())
            .and_then(parse_header);
        match parsed {
            Ok(found) => faults = found,
            Err(reason) => {
                let message = format!("Invalid X-Mock-Fault header: {reason}");
                return ApiError::new(StatusCode::BAD_REQUEST, &message).into_response();
            }
        }
    }
    let scripted = app.instruments.take_fault(
        matched.request.method().as_str(),
        matched.request.uri().path(),
    );
    match scripted.await {
        Ok(Some(fault)) => faults.push(fault),
        Ok(None) => {}
        Err(unavailable) => return ApiError::from(unavailable).into_response(),
    }
    let is_api = matches!(matched.endpoint, Endpoint::Api(_));
    if faults.is_empty() && !(app.drift && is_api) {
        return endpoint_behind_auth(app, matched, notes).await;
    }
    // Boxed: the rare path's futures (a delay's timer among them) would
    // otherwise make every request's future larger.
    Box::pin(with_faults(app, matched, notes, faults)).await
}

/// The answer to a request with `faults` (or in a server in drift mode):
/// delays first, then the first other fault's answer in place of the
/// endpoint's, or the endpoint's; drifted on the API's endpoints when `drift`
/// is among the faults or the server drifts.
async fn with_faults(
    app: &Arc<App>,
    matched: Matched<'_>,
    notes: &mut Notes,
    faults: Vec<Fault>,
) -> Response {
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
    let bucket = bucket_of(matched.request.method());
    if !fault_note.is_empty() {
        notes.fault = Some(fault_note);
    }
    // Only the API's own answers drift, not downloads or the spec.
    let drifted = (drift && matches!(matched.endpoint, Endpoint::Api(_))).then(|| {
        (
            matched.request.method().clone(),
            matched.request.uri().path().to_owned(),
        )
    });
    let response = match answer {
        None => endpoint_behind_auth(app, matched, notes).await,
        Some(fault) => faulted::response(fault, app.rate_limits, bucket),
    };
    match drifted {
        Some((method, path)) => super::drift::drift_response(&method, &path, response).await,
        None => response,
    }
}

/// Steps 3 and 4 on the API's endpoints, auth (`401`) then the rate limit
/// (`429`; `X-RateLimit-*` on whatever is answered), then the endpoint with
/// its caller; the open endpoints' answer at once.
async fn endpoint_behind_auth(app: &Arc<App>, matched: Matched<'_>, notes: &mut Notes) -> Response {
    let Matched {
        endpoint,
        params,
        request,
    } = matched;
    let endpoint = match endpoint {
        Endpoint::Api(endpoint) => endpoint,
        Endpoint::Open(open) => return Box::pin(open_endpoint(app, open, &params)).await,
    };
    let caller = match authenticate(app, request.headers()).await {
        Ok(caller) => caller,
        Err(refused) => return refused.into_response(),
    };
    let decision = match app
        .store
        .check_rate(&caller, bucket_of(request.method()))
        .await
    {
        Ok(decision) => decision,
        Err(unavailable) => return ApiError::from(unavailable).into_response(),
    };
    notes.caller = Some(caller.account_id.clone());
    let mut response = match &decision {
        Some(d) if !d.allowed => ApiError::kind(ErrorKind::TooManyRequests).into_response(),
        _ => api_endpoint(app, endpoint, &params, caller, request).await,
    };
    if let Some(decision) = &decision {
        rate_headers(response.headers_mut(), decision);
    }
    response
}

/// Step 5 on the API's endpoints: the endpoint itself, which reads its body
/// (`400`/`413`/`408`) and checks it in the contract's order. The uploads,
/// rare and with large futures, are boxed apart.
async fn api_endpoint(
    app: &Arc<App>,
    endpoint: Api,
    params: &Params<'_>,
    caller: Caller,
    request: Request,
) -> Response {
    let answer = match endpoint {
        Api::Run => api::run(app.clone(), caller, request).await,
        Api::GetGeneration => api::get_generation(app, &caller, params.first()).await,
        Api::ListGenerations => api::list_generations(app, &caller, request.uri().query()).await,
        Api::ListTools => Ok(api::list_tools(app)),
        Api::GetTool => api::get_tool(app, params.first()),
        Api::Search => api::search(app, request.uri().query()),
        Api::Account => api::account(app, &caller).await,
        Api::UploadRaw => Box::pin(files::upload_raw(app.clone(), caller, request)).await,
        Api::Upload => Box::pin(files::upload(app.clone(), caller, request)).await,
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
    let value = match headers.get(header::AUTHORIZATION) {
        Some(value) if !value.is_empty() => value,
        _ => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                messages::AUTHORIZATION_REQUIRED,
            ));
        }
    };
    let invalid = || ApiError::new(StatusCode::UNAUTHORIZED, messages::INVALID_API_KEY);
    let key = value.to_str().map_err(|_| invalid())?;
    app.store.authenticate(key).await?.ok_or_else(invalid)
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
