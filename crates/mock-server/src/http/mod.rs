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
mod headers;
pub(crate) mod pipeline;
pub(crate) mod poll;
mod routes;
mod service;

pub use pipeline::REQUEST_LOG_TARGET;
pub(crate) use service::Pipeline;

use std::{any::Any, sync::Arc};

use artificial_studio_types::messages;
use axum::{
    Router,
    http::StatusCode,
    middleware::from_fn_with_state,
    response::{IntoResponse, Response},
    routing::{get, post},
};

use crate::app::{AdminAccess, App};
use errors::ApiError;

/// The server's service: the pipeline, with the admin API (unless disabled)
/// and the `404`/`405` answers for what the route table does not know.
pub(crate) fn service(app: Arc<App>) -> Pipeline {
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
        .route_layer(from_fn_with_state(app.clone(), admin::guard));
    let routes = if app.admin == AdminAccess::Disabled {
        Router::new()
    } else {
        admin
    };
    let routes = routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app.clone());
    Pipeline::new(app, routes)
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
