//! The two layers around handlers, outermost first: [`Observe`] (request id,
//! panics as contract `500`s, journal, one log line) around the whole router,
//! then a [`Gate`] on each matched route: the API's (faults, then the key, the
//! rate limit and the `X-RateLimit-*` headers on the answer) or the open
//! routes' (faults only). One layer per concern would cost a boxed service
//! clone and a boxed future each, per request; these are the same steps in
//! the same order, in two. `POST /api/run`, the route load tests hit hardest,
//! is handed by [`Observe`] to its handler behind the API's gate directly,
//! without the router's lookup and boxes (see `is_run`): the same steps again.
//!
//! The steps on the way of every request are plain functions returning an
//! `async move` block or a combinator, not `async fn`s: an `async fn` keeps
//! its arguments in its future twice (as arguments, then as locals), and the
//! request is 240 bytes; these futures are boxed, so copied, per request.

use std::{
    cell::RefCell,
    convert::Infallible,
    future::Future,
    panic::AssertUnwindSafe,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use artificial_studio_types::{ErrorKind, messages};
use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{self, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use futures::{FutureExt, StreamExt, future::Either};
use hyper::body::Incoming;
use tokio::task::JoinHandle;
use tower::{Layer, Service, ServiceExt};

use super::errors::ApiError;
use crate::{
    app::App,
    config::{Bucket, RateLimits},
    faults::{FAULT_HEADER, Fault, parse_header},
    idle::{Activity, InFlight},
    ids,
    journal::{RequestRecord, Target},
    ratelimit::RateDecision,
    store::Caller,
};

/// The `tracing` target of the one line logged per request (the binary's log
/// format writes that line's fields on a fast path).
pub const REQUEST_LOG_TARGET: &str = "astudio_mock::request";

/// The header carrying the request id on every answer.
pub const REQUEST_ID: &str = "x-request-id";

/// [`REQUEST_ID`] as a header name, made once (inserting by `&str` parses
/// and allocates the name on every answer).
const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static(REQUEST_ID);

/// [`FAULT_HEADER`] as a header name, made once (a lookup by `&str` checks
/// and hashes the name's text on every request).
const FAULT_HEADER_NAME: HeaderName = HeaderName::from_static(FAULT_HEADER);

/// What the gate learns about a request: the caller, which the handler reads
/// ([`Authenticated`]) and the journal keeps, and the faults injected. The
/// gate writes it into [`NOTES`], which [`observed`] scopes to the request's
/// future: cheaper than request and answer extensions (a map entry and a box
/// each way, per request), and it moves with the future if the request goes
/// on in a task of its own.
#[derive(Debug, Default)]
struct Notes {
    /// The account that made the request, when its key was valid.
    caller: Option<Caller>,
    /// The faults injected (`500`, `delay=100,reset`, ...).
    fault: Option<String>,
}

tokio::task_local! {
    /// The [`Notes`] of the request being answered.
    static NOTES: RefCell<Notes>;
}

/// Writes into the notes of the request being answered (none outside
/// [`observed`], as in a unit test of a handler).
fn note(write: impl FnOnce(&mut Notes)) {
    let _ = NOTES.try_with(|notes| write(&mut notes.borrow_mut()));
}

/// The caller the API's gate let in, for the handler behind it: an extractor.
/// Outside the gate (a route without one, a handler called on its own) the
/// request is refused with the contract's `500`, a bug of the server's.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Caller);

impl Authenticated {
    /// The caller of the request being answered, if the gate let one in.
    pub fn current() -> Option<Caller> {
        NOTES
            .try_with(|notes| notes.borrow().caller.clone())
            .ok()
            .flatten()
    }

    /// The extractor's answer: the caller, or the contract's `500` when no
    /// gate let one in.
    fn required() -> Result<Self, ApiError> {
        Authenticated::current()
            .map(Authenticated)
            .ok_or_else(ApiError::internal)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        _parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, ApiError> {
        Authenticated::required()
    }
}

/// The whole server as one service: every request goes through `observed`
/// (request id, panics as contract `500`s, journal, one log line) around the
/// router. Wrapping the router once, rather than layering each of its routes,
/// saves a boxed service clone and a boxed future per request.
///
/// A client that gives up (a timeout, a closed connection) must not cancel its
/// request half-way: like a real server, the mock finishes it (a run is
/// created and charged) and journals it, so a client testing what to do after
/// a timed-out run meets the truth. Hyper drops the work of a connection that
/// closes, so a request that has to wait (for its body, a `delay` fault, an
/// upload) is moved to a task of its own, which nothing cancels. Most requests
/// never wait: they are polled once, in place, and answered without the cost
/// of a task (see [`Detached`]).
#[derive(Clone)]
pub struct Observe {
    app: Arc<App>,
    router: Router,
    /// The connection's activity, which its idle watchdog reads.
    activity: Option<Arc<Activity>>,
}

impl Observe {
    /// `router` (with its state) observed for `app`.
    pub fn new(app: Arc<App>, router: Router) -> Self {
        Observe {
            app,
            router,
            activity: None,
        }
    }

    /// This service for one connection, counting its requests in flight in
    /// `activity`.
    pub fn watched(&self, activity: Arc<Activity>) -> Self {
        Observe {
            activity: Some(activity),
            ..self.clone()
        }
    }
}

impl Service<http::Request<Incoming>> for Observe {
    type Response = Response;
    type Error = Infallible;
    type Future = Detached;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<Incoming>) -> Detached {
        let request = request.map(Body::new);
        let mut detached = Detached::new(Box::pin(observed(
            self.app.clone(),
            request,
            self.router.clone(),
        )));
        detached.in_flight = self.activity.as_ref().map(Activity::request);
        detached
    }
}

/// Work polled once where it is; if it is not done, it moves to a task of its
/// own, and this future waits for that task, so dropping this future no
/// longer cancels the work.
///
/// The box is what makes the move possible after a poll: the task takes the
/// pointer, and the work stays where it was pinned. The task polls it at once
/// with its own waker, so no wake-up registered by the first poll is lost.
pub struct Detached {
    work: Option<Pin<Box<dyn Future<Output = Response> + Send + 'static>>>,
    task: Option<JoinHandle<Response>>,
    /// Counts the request in its connection's activity while it is answered.
    in_flight: Option<InFlight>,
}

impl Detached {
    /// Wraps `work`, which runs when this future is first polled.
    pub fn new(work: Pin<Box<dyn Future<Output = Response> + Send + 'static>>) -> Self {
        Detached {
            work: Some(work),
            task: None,
            in_flight: None,
        }
    }
}

impl Future for Detached {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Some(work) = this.work.as_mut() {
            if let Poll::Ready(response) = work.as_mut().poll(cx) {
                this.work = None;
                this.in_flight = None;
                return Poll::Ready(Ok(response));
            }
            this.task = this.work.take().map(tokio::spawn);
        }
        let Some(task) = this.task.as_mut() else {
            // Polled again after it answered: nothing is left to give.
            return Poll::Ready(Ok(ApiError::internal().into_response()));
        };
        Pin::new(task).poll(cx).map(|joined| {
            this.task = None;
            this.in_flight = None;
            Ok(joined.unwrap_or_else(|_| ApiError::internal().into_response()))
        })
    }
}

/// Whether `request` is a `POST /api/run`, which [`observed`] hands to the
/// route's handler behind the API's [`Gate`] itself: exactly what the router
/// would call for it, without the route lookup, the boxed clone of the route,
/// the gate's boxed future and two more futures around the handler's. Load
/// tests hit this route hardest. The router keeps the route, which answers
/// the other methods with `405` and `Allow: POST`.
fn is_run(request: &Request) -> bool {
    request.method() == Method::POST && request.uri().path() == super::RUN_PATH
}

/// `POST /api/run`'s handler as a service, for [`observed`]'s direct call:
/// the handler given what its extractors give it (the state, the caller from
/// [`Authenticated::required`], the request), without axum's boxed handler
/// future around it.
fn run_handler(
    app: Arc<App>,
) -> impl Service<Request, Response = Response, Error = Infallible, Future: Send> {
    tower::service_fn(move |request: Request| {
        let answer = match Authenticated::required() {
            Ok(caller) => Either::Left(
                super::api::run(State(app.clone()), caller, request)
                    .map(IntoResponse::into_response),
            ),
            Err(refused) => Either::Right(std::future::ready(refused.into_response())),
        };
        answer.map(Ok)
    })
}

#[expect(
    clippy::manual_async_fn,
    reason = "an async fn would keep the request in its future twice (see the module docs)"
)]
fn observed(app: Arc<App>, request: Request, router: Router) -> impl Future<Output = Response> {
    async move {
        let started = Instant::now();
        let time = ids::now();
        let request_id = ids::RequestId::random();
        let method = request.method().clone();
        let uri = request.uri().clone();
        // Combinators, not `async` blocks: an `async` block keeps the future it
        // wraps twice (as captured, then as awaited), and these futures are boxed,
        // so copied, on every request.
        let answer = if is_run(&request) {
            // The route's own handler behind the API's gate, as the router
            // would call it (see `is_run`).
            Either::Left(Gate::api(app.clone()).pass(request, run_handler(app.clone())))
        } else {
            Either::Right(router.oneshot(request).map(|answered| match answered {
                Ok(response) => response,
                Err(never) => match never {},
            }))
        };
        let (mut response, notes) = NOTES
            .scope(
                RefCell::default(),
                unless_it_panics(answer).map(|response| (response, NOTES.with(RefCell::take))),
            )
            .await;
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
        if !uri.path().starts_with("/__mock") {
            app.store
                .record_request(RequestRecord {
                    time,
                    request_id,
                    method,
                    target: Target::new(uri.path(), uri.query()),
                    status,
                    account_id: notes.caller.map(|caller| caller.account_id),
                    fault: notes.fault,
                    duration_ms: elapsed.as_secs_f64() * 1000.0,
                })
                .await;
        }
        response
    }
}

/// The gate in front of each handler, as a layer: faults, then (on the API's
/// routes) `authenticate`. Laid on the handler itself (`Handler::layer`),
/// inside the route axum boxes, rather than around that route
/// (`route_layer`): a gate around a route clones the boxed route for each
/// request and calls it through a second boxed future.
#[derive(Clone)]
pub struct Gate {
    app: Arc<App>,
    authenticated: bool,
}

impl Gate {
    /// The gate of the API's routes: faults, then the key and the rate limit.
    pub fn api(app: Arc<App>) -> Self {
        Gate {
            app,
            authenticated: true,
        }
    }

    /// The gate of the open routes (outputs, uploads, the spec): faults only.
    pub fn public(app: Arc<App>) -> Self {
        Gate {
            app,
            authenticated: false,
        }
    }

    /// `request` through this gate, then `inner`'s answer.
    fn pass<S>(self, request: Request, inner: S) -> impl Future<Output = Response>
    where
        S: Service<Request, Response = Response, Error = Infallible>,
    {
        inject_faults(self.app, request, inner, self.authenticated)
    }
}

impl<S> Layer<S> for Gate {
    type Service = Gated<S>;

    fn layer(&self, inner: S) -> Gated<S> {
        Gated {
            gate: self.clone(),
            inner,
        }
    }
}

/// A handler (or any service answering requests) behind its [`Gate`].
#[derive(Clone)]
pub struct Gated<S> {
    gate: Gate,
    inner: S,
}

impl<S> Service<Request> for Gated<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Handlers are always ready; the inner service is cloned for each request.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let inner = self.inner.clone();
        Box::pin(self.gate.clone().pass(request, inner).map(Ok))
    }
}

/// The inner service's own answer.
fn pass_on<S>(inner: S, request: Request) -> impl Future<Output = Response>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    inner.oneshot(request).map(|answered| match answered {
        Ok(response) => response,
        Err(never) => match never {},
    })
}

/// The handler's answer, or the contract's `500` if it panicked (the request's
/// connection and the server go on).
fn unless_it_panics(answer: impl Future<Output = Response>) -> impl Future<Output = Response> {
    AssertUnwindSafe(answer)
        .catch_unwind()
        .map(|answered| answered.unwrap_or_else(super::panic_response))
}

/// A duration in milliseconds with three decimals (`12.345`), written with
/// integer arithmetic: cheaper than formatting a float on every log line.
struct Millis(Duration);

impl std::fmt::Display for Millis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // u64 arithmetic (`as_micros` is a u128, whose division is the slow
        // part): half a million years fit. The digits are written right to
        // left into one buffer, then written at once.
        let micros = u64::try_from(self.0.as_micros()).unwrap_or(u64::MAX);
        let mut text = [b'0'; 24];
        let mut start = text.len();
        let mut rest = micros;
        while rest > 0 || start > text.len() - 5 {
            start -= 1;
            if start == text.len() - 4 {
                text[start] = b'.';
                continue;
            }
            text[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        f.write_str(std::str::from_utf8(&text[start..]).map_err(|_| std::fmt::Error)?)
    }
}

/// Applies the faults of the `X-Mock-Fault` header and of scripted rules, then
/// passes the request on (through [`authenticate`] when `authenticated`).
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn would keep the request in its future twice (see the module docs)"
)]
fn inject_faults<S>(
    app: Arc<App>,
    request: Request,
    inner: S,
    authenticated: bool,
) -> impl Future<Output = Response>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    async move {
        let mut faults = Vec::new();
        if let Some(value) = request.headers().get(FAULT_HEADER_NAME) {
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
        if let Some(fault) = app
            .store
            .take_fault(request.method().as_str(), request.uri().path())
            .await
        {
            faults.push(fault);
        }
        // Drift mode for the whole server takes the rare path too: with it
        // off, this is the only cost on the way of every request.
        if faults.is_empty() && !(app.drift && authenticated) {
            return pass(&app, request, inner, authenticated).await;
        }
        // Boxed: the rare path's futures (a delay's timer among them) would
        // otherwise make every request's future larger.
        Box::pin(with_faults(app, request, inner, authenticated, faults)).await
    }
}

/// The request passed on: through [`authenticate`] when `authenticated`.
fn pass<'a, S>(
    app: &'a App,
    request: Request,
    inner: S,
    authenticated: bool,
) -> impl Future<Output = Response> + 'a
where
    S: Service<Request, Response = Response, Error = Infallible> + 'a,
{
    if authenticated {
        Either::Left(authenticate(app, request, inner))
    } else {
        Either::Right(pass_on(inner, request))
    }
}

/// The answer to a request with `faults` (or in a server in drift mode):
/// delays first, then the first other fault's answer in place of the
/// handler's, or the handler's; drifted ([`crate::drift`]) on the API's
/// routes when `drift` is among the faults or the server drifts.
async fn with_faults<S>(
    app: Arc<App>,
    request: Request,
    inner: S,
    authenticated: bool,
    faults: Vec<Fault>,
) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let fault_note = faults
        .iter()
        .map(Fault::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut answer = None;
    let mut drift = app.drift;
    for fault in faults {
        match fault {
            Fault::Delay(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
            Fault::Drift => drift = true,
            other => answer = answer.or(Some(other)),
        }
    }
    let bucket = bucket_of(request.method());
    if !fault_note.is_empty() {
        note(|notes| notes.fault = Some(fault_note));
    }
    // Only the API's own answers drift, not downloads or the spec.
    let drifted = (drift && authenticated)
        .then(|| (request.method().clone(), request.uri().path().to_owned()));
    let response = match answer {
        None => pass(&app, request, inner, authenticated).await,
        Some(fault) => fault_response(fault, app.rate_limits, bucket),
    };
    match drifted {
        Some((method, path)) => super::drift::drift_response(&method, &path, response).await,
        None => response,
    }
}

const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// The answer a fault gives in place of the handler's.
fn fault_response(fault: Fault, limits: RateLimits, bucket: Bucket) -> Response {
    match fault {
        Fault::Status(429) => {
            let limit = limits
                .limit(artificial_studio_types::Plan::Free, bucket)
                .unwrap_or(0);
            let decision = RateDecision {
                allowed: false,
                limit,
                remaining: 0,
                reset_unix: unix_now() + 1,
                retry_after_secs: Some(1),
            };
            let mut response = ApiError::kind(ErrorKind::TooManyRequests).into_response();
            rate_headers(response.headers_mut(), &decision);
            response
        }
        Fault::Status(status) => ApiError::kind(ErrorKind::from_status(status)).into_response(),
        Fault::Html502 => {
            let mut response = Response::new(Body::from(HTML_502));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            response
        }
        Fault::Empty500 => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
        Fault::Reset => {
            // Head and half a JSON body go out; then an I/O error makes hyper drop
            // the connection. The pause lets the first part reach the client.
            let head = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(
                b"{\"id\":\"65f1c0ffee01",
            ))]);
            let cut = futures::stream::once(async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "astudio-mock fault: connection reset",
                ))
            });
            let mut response = Response::new(Body::from_stream(head.chain(cut)));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        // Not answers of their own (`with_faults` applies them).
        Fault::Delay(_) | Fault::Drift => ApiError::internal().into_response(),
    }
}

/// The rate-limit bucket of a request: runs and uploads, or reads.
fn bucket_of(method: &Method) -> Bucket {
    if method == Method::POST {
        Bucket::Run
    } else {
        Bucket::Get
    }
}

/// Checks the key (`401`), then counts the request (`429`), then adds the
/// `X-RateLimit-*` headers to whatever the handler answers.
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn would keep the request in its future twice (see the module docs)"
)]
fn authenticate<'a, S>(
    app: &'a App,
    request: Request,
    inner: S,
) -> impl Future<Output = Response> + 'a
where
    S: Service<Request, Response = Response, Error = Infallible> + 'a,
{
    async move {
        let caller = match caller(app, request.headers()).await {
            Ok(caller) => caller,
            Err(error) => return error.into_response(),
        };
        let decision = app
            .store
            .check_rate(&caller, bucket_of(request.method()))
            .await;
        note(|notes| notes.caller = Some(caller));
        let mut response = match &decision {
            Some(d) if !d.allowed => ApiError::kind(ErrorKind::TooManyRequests).into_response(),
            _ => pass_on(inner, request).await,
        };
        if let Some(decision) = &decision {
            rate_headers(response.headers_mut(), decision);
        }
        response
    }
}

async fn caller(app: &App, headers: &HeaderMap) -> Result<Caller, ApiError> {
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
    app.store.authenticate(key).await.ok_or_else(invalid)
}

fn rate_headers(headers: &mut HeaderMap, decision: &RateDecision) {
    headers.insert("x-ratelimit-limit", HeaderValue::from(decision.limit));
    headers.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(decision.remaining),
    );
    headers.insert("x-ratelimit-reset", HeaderValue::from(decision.reset_unix));
    if let Some(secs) = decision.retry_after_secs {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_that_has_to_wait_finishes_after_its_caller_gives_up() {
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        let (finished, done) = tokio::sync::oneshot::channel::<()>();
        let caller = tokio::spawn(Detached::new(Box::pin(async move {
            let _ = wait.await;
            let _ = finished.send(());
            Response::new(Body::empty())
        })));
        // The caller polls the work once, finds it waiting and hands it to a task.
        tokio::task::yield_now().await;
        caller.abort();
        assert!(caller.await.is_err_and(|e| e.is_cancelled()));
        go.send(()).unwrap();
        let outcome = tokio::time::timeout(Duration::from_secs(5), done).await;
        assert!(
            matches!(outcome, Ok(Ok(()))),
            "the work was cancelled with its caller: {outcome:?}"
        );
    }

    #[tokio::test]
    async fn ready_work_is_answered_in_place() {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::ACCEPTED;
        let answer = Detached::new(Box::pin(std::future::ready(response))).await;
        assert!(matches!(answer, Ok(answer) if answer.status() == StatusCode::ACCEPTED));
    }

    /// `answer` is the contract's `500`: status, JSON content type and body.
    async fn assert_contract_500(answer: Response) {
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
    async fn a_handler_that_panics_is_answered_with_the_contract_500() {
        fn handler_with_a_bug() -> Response {
            panic!("a handler bug")
        }
        let answer = unless_it_panics(async { handler_with_a_bug() }).await;
        assert_contract_500(answer).await;
    }

    #[tokio::test]
    async fn the_gate_hands_its_caller_to_the_handler_through_the_notes() {
        use axum::extract::FromRequestParts;
        let caller = Caller {
            account_id: "acc_1".into(),
            plan: artificial_studio_types::Plan::Pro,
        };
        let seen = NOTES
            .scope(RefCell::default(), async {
                let before = Authenticated::current();
                note(|notes| notes.caller = Some(caller.clone()));
                let (mut parts, ()) = http::Request::new(()).into_parts();
                let extracted = Authenticated::from_request_parts(&mut parts, &()).await;
                (before, extracted.map(|Authenticated(c)| c.account_id))
            })
            .await;
        assert!(seen.0.is_none());
        assert!(matches!(seen.1, Ok(id) if &*id == "acc_1"));
        // Without a gate in front: the contract's 500, not a panic.
        assert!(Authenticated::current().is_none());
        let (mut parts, ()) = http::Request::new(()).into_parts();
        let refused = Authenticated::from_request_parts(&mut parts, &())
            .await
            .err()
            .map(IntoResponse::into_response);
        let Some(refused) = refused else {
            panic!("a request without a gate was let through");
        };
        assert_contract_500(refused).await;
    }

    #[test]
    fn millis_have_three_decimals() {
        let shown = |micros| Millis(Duration::from_micros(micros)).to_string();
        assert_eq!(shown(0), "0.000");
        assert_eq!(shown(7), "0.007");
        assert_eq!(shown(12_345), "12.345");
        assert_eq!(shown(1_000_050), "1000.050");
        assert_eq!(
            Millis(Duration::MAX).to_string(),
            format!("{}.{:03}", u64::MAX / 1000, u64::MAX % 1000)
        );
    }
}
