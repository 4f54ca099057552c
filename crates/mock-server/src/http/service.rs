//! The server's service for hyper: each request's answer from the pipeline,
//! finished even if its client gives up (see [`Pipeline`]).

use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use axum::{
    body::Body,
    http,
    response::{IntoResponse, Response},
};
use hyper::body::Incoming;
use tokio::task::JoinHandle;
use tower::Service;

use super::{Hub, errors::ApiError};
use crate::{
    app::App,
    idle::{Activity, InFlight},
};

/// The whole server as one service: every request goes through the
/// pipeline ([`super::pipeline::answer`]).
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
pub(crate) struct Pipeline {
    app: Arc<App>,
    /// The admin API, the `404` of unknown paths, and the sessions.
    hub: Arc<Hub>,
    /// The connection's activity, which its idle watchdog reads.
    activity: Option<Arc<Activity>>,
}

impl Pipeline {
    /// The pipeline of `app` (the default session's state), with `hub` for
    /// the other sessions and what the route table does not know.
    pub(crate) fn new(app: Arc<App>, hub: Arc<Hub>) -> Self {
        Pipeline {
            app,
            hub,
            activity: None,
        }
    }

    /// This service for one connection, counting its requests in flight in
    /// `activity`.
    pub(crate) fn watched(&self, activity: Arc<Activity>) -> Self {
        Pipeline {
            activity: Some(activity),
            ..self.clone()
        }
    }
}

impl Service<http::Request<Incoming>> for Pipeline {
    type Response = Response;
    type Error = Infallible;
    type Future = Detached;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<Incoming>) -> Detached {
        let request = request.map(Body::new);
        let mut detached = Detached::new(Box::pin(super::pipeline::answer(
            self.app.clone(),
            request,
            self.hub.clone(),
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
pub(crate) struct Detached {
    work: Option<Pin<Box<dyn Future<Output = Response> + Send + 'static>>>,
    task: Option<JoinHandle<Response>>,
    /// Counts the request in its connection's activity while it is answered.
    in_flight: Option<InFlight>,
}

impl Detached {
    /// Wraps `work`, which runs when this future is first polled.
    pub(crate) fn new(work: Pin<Box<dyn Future<Output = Response> + Send + 'static>>) -> Self {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::http::StatusCode;

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
}
