//! The HTTP layer: the pipeline every request goes through ([`pipeline`]),
//! its route table ([`routes`]), the endpoints ([`api`], [`files`]), the
//! admin API on axum's router ([`admin`]), and the JSON answers for unknown
//! routes (404), wrong methods (405, with `Allow`) and panics (500).

mod admin;
mod api;
mod body;
mod drift;
mod encode;
pub(crate) mod errors;
mod faulted;
mod files;
mod header_walk;
mod headers;
pub(crate) mod pipeline;
pub(crate) mod poll;
mod routes;
mod service;
mod session;

pub use pipeline::REQUEST_LOG_TARGET;
pub(crate) use service::Pipeline;

use std::{any::Any, sync::Arc};

use artificial_studio_types::messages;
use axum::{
    Router,
    http::StatusCode,
    middleware::from_fn_with_state,
    response::{IntoResponse, Response},
    routing::{delete, get, post},
};

use crate::{
    app::{AdminAccess, App},
    sessions::Sessions,
};
use errors::ApiError;

/// What the pipeline reaches beyond the default session: the other sessions,
/// and the admin router (its state, the session a request is in, is given per
/// request) with the `404`/`405` answers for what the route table does not know.
pub(crate) struct Hub {
    /// The admin API and the answers outside the route table.
    pub admin: Router<admin::Scope>,
    /// The named sessions.
    pub sessions: Arc<Sessions>,
}

/// The server's service: the pipeline of the default session `app` and of
/// `sessions`, with the admin API (unless disabled) and the `404`/`405`
/// answers for what the route table does not know.
pub(crate) fn service(app: Arc<App>, sessions: Arc<Sessions>) -> Pipeline {
    let admin = Router::new()
        .route("/__mock/reset", post(admin::reset))
        .route(
            "/__mock/accounts",
            get(admin::accounts)
                .post(admin::create_account)
                .patch(admin::update_account),
        )
        .route(
            "/__mock/journal",
            get(admin::journal).delete(admin::clear_journal),
        )
        .route(
            "/__mock/faults",
            get(admin::faults)
                .post(admin::add_fault)
                .delete(admin::clear_faults),
        )
        .route("/__mock/outcomes", post(admin::script_outcome))
        .route("/__mock/webhooks", get(admin::webhooks))
        .route("/__mock/sessions", get(admin::sessions))
        .route("/__mock/sessions/{name}", delete(admin::drop_session))
        .route_layer(from_fn_with_state(app.clone(), admin::guard));
    let routes = if app.admin == AdminAccess::Disabled {
        Router::new()
    } else {
        admin
    };
    let admin = routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Pipeline::new(app, Arc::new(Hub { admin, sessions }))
}

async fn not_found() -> Response {
    ApiError::not_found(messages::NOT_FOUND).into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, messages::METHOD_NOT_ALLOWED).into_response()
}

/// The answer to a handler that panicked: the contract's `500`, and a log line.
pub(crate) fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(detail, "handler panicked");
    ApiError::internal().into_response()
}
