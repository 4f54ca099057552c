//! Contract error answers: JSON `{message, errors?}` with the exact messages, and the
//! JSON response helper every handler uses.

use artificial_studio_types::{ErrorBody, ErrorKind, ValidationIssue, messages};
use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use serde::Serialize;

/// An error answer of the contract (boxed: it travels in every handler's `Result`).
#[derive(Debug, Clone)]
pub struct ApiError(Box<Inner>);

#[derive(Debug, Clone)]
struct Inner {
    status: StatusCode,
    body: ErrorBody,
    headers: HeaderMap,
}

impl ApiError {
    fn with_body(status: StatusCode, body: ErrorBody) -> Self {
        ApiError(Box::new(Inner {
            status,
            body,
            headers: HeaderMap::new(),
        }))
    }

    /// A status with a specific message.
    pub fn new(status: StatusCode, message: &str) -> Self {
        ApiError::with_body(status, ErrorBody::new(message))
    }

    /// A kind with its default message.
    pub fn kind(kind: ErrorKind) -> Self {
        let status =
            StatusCode::from_u16(kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        ApiError::with_body(status, ErrorBody::for_kind(kind))
    }

    /// `400 Validation failed` listing every issue.
    pub fn validation(issues: Vec<ValidationIssue>) -> Self {
        ApiError::with_body(StatusCode::BAD_REQUEST, ErrorBody::validation(issues))
    }

    /// `400 Invalid JSON body`.
    pub fn invalid_json() -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, messages::INVALID_JSON)
    }

    /// `404` with a message such as `Tool not found`.
    pub fn not_found(message: &str) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// `500 Internal server error`.
    pub fn internal() -> Self {
        ApiError::kind(ErrorKind::InternalServerError)
    }

    /// `413 Request body too large`.
    pub fn too_large() -> Self {
        ApiError::kind(ErrorKind::PayloadTooLarge)
    }
}

impl From<crate::store::Unavailable> for ApiError {
    /// `503 Service temporarily unavailable`: the store is out of reach.
    fn from(_: crate::store::Unavailable) -> Self {
        ApiError::kind(ErrorKind::ServiceUnavailable)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let Inner {
            status,
            body,
            headers,
        } = *self.0;
        let mut response = json(status, &body);
        response.headers_mut().extend(headers);
        response
    }
}

/// A JSON answer. Serializing the API's own types cannot fail; if it ever did,
/// the answer is still a contract `500`, never a panic.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => json_bytes(status, Bytes::from(bytes)),
        Err(_) => json_bytes(
            StatusCode::INTERNAL_SERVER_ERROR,
            Bytes::from_static(br#"{"message":"Internal server error"}"#),
        ),
    }
}

/// A JSON answer from bytes serialized beforehand.
pub fn json_bytes(status: StatusCode, bytes: Bytes) -> Response {
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
