//! The HTTP layer: the route table, its layers, and the JSON answers for unknown
//! routes (404), wrong methods (405, with `Allow`) and panics (500).

mod admin;
mod api;
mod body;
mod drift;
mod encode;
pub(crate) mod errors;
mod files;
mod middleware;
mod param;
pub(crate) mod poll;

pub(crate) use middleware::Observe;
pub use middleware::REQUEST_LOG_TARGET;

use std::{any::Any, sync::Arc};

use artificial_studio_types::messages;
use axum::{
    Router,
    extract::DefaultBodyLimit,
    handler::Handler,
    http::StatusCode,
    middleware::from_fn_with_state,
    response::{IntoResponse, Response},
    routing::{get, post},
};

use crate::app::{AdminAccess, App};
use errors::ApiError;

/// The path of `POST /api/run`, which [`middleware::Observe`] also
/// recognises, to call its handler without the router.
pub(crate) const RUN_PATH: &str = "/api/run";

/// Every route of the server, with its layers, inside [`middleware::Observe`].
pub(crate) fn router(app: Arc<App>) -> middleware::Observe {
    // Authenticated and rate-limited: the API itself.
    let gate = middleware::Gate::api(app.clone());
    let api = Router::new()
        .route(RUN_PATH, post(api::run.layer(gate.clone())))
        .route(
            "/api/generations",
            get(api::list_generations.layer(gate.clone())),
        )
        .route(
            "/api/generations/{id}",
            get(api::get_generation.layer(gate.clone())),
        )
        .route("/api/tools", get(api::list_tools.layer(gate.clone())))
        .route("/api/tools/{slug}", get(api::get_tool.layer(gate.clone())))
        .route("/api/search", get(api::search.layer(gate.clone())))
        .route("/api/account", get(api::account.layer(gate.clone())))
        .route(
            "/api/files",
            post(files::upload_raw.layer(gate.clone()))
                .layer(DefaultBodyLimit::max(app.max_upload_bytes)),
        )
        .route(
            "/files",
            post(files::upload.layer(gate)).layer(DefaultBodyLimit::max(app.max_upload_bytes)),
        );

    // Open, like a CDN: the URLs the API hands out, and the spec.
    let gate = middleware::Gate::public(app.clone());
    let public = Router::new()
        .route("/openapi.yaml", get(files::openapi.layer(gate.clone())))
        .route(
            "/outputs/{file}",
            get(files::download_output.layer(gate.clone())),
        )
        .route(
            "/thumbnails/{file}",
            get(files::download_thumbnail.layer(gate.clone())),
        )
        .route(
            "/files/{id}/{name}",
            get(files::download_upload.layer(gate)),
        );

    let served = api.merge(public);

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
        served
    } else {
        served.merge(admin)
    };
    let routes = routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app.clone());
    middleware::Observe::new(app, routes)
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
