//! Drift mode on the wire: an API answer's JSON body read, loosened by
//! [`crate::drift`] and written again.

use axum::{
    body::Body,
    http::{HeaderMap, Method, header},
    response::{IntoResponse, Response},
};
use http_body_util::BodyExt;
use hyper::body::Body as _;
use serde_json::Value;

use super::errors::ApiError;

/// Whether the headers say the body is JSON.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"))
}

/// `response`, the answer to `method path`, drifted: a JSON body whose
/// length is known (not a stream) and whose operation the spec describes is
/// read, drifted ([`crate::drift::Drift::apply`]) and written again; any other answer is
/// returned as it is.
pub async fn drift_response(method: &Method, path: &str, response: Response) -> Response {
    let Some(drift) = crate::drift::Drift::builtin() else {
        return response;
    };
    let Some((schema, kind)) =
        drift.response_schema(method.as_str(), path, response.status().as_u16())
    else {
        return response;
    };
    if !is_json(response.headers()) || response.body().size_hint().exact().is_none() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(collected) = body.collect().await else {
        return ApiError::internal().into_response();
    };
    let bytes = collected.to_bytes();
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    drift.apply(schema, &mut value, kind);
    match serde_json::to_vec(&value) {
        Ok(written) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(written))
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}
