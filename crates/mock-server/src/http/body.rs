//! Reading request bodies safely: content type, size limit (413), a deadline for slow
//! clients (408) and JSON parsing (`Invalid JSON body`), each as a contract error.

use std::{pin::Pin, task::Poll, time::Duration};

use artificial_studio_types::{ErrorKind, messages};
use axum::{
    body::Body,
    http::{HeaderMap, StatusCode, header},
};
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Body as _;
use serde_json::Value;

use super::{errors::ApiError, header_walk};

/// Whether the request says its body is JSON (`application/json`, any parameters).
pub fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| m.eq_ignore_ascii_case("application/json"))
}

/// Whether the request says its body is `multipart/form-data`.
pub fn is_multipart(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| m.eq_ignore_ascii_case("multipart/form-data"))
}

fn media_type(headers: &HeaderMap) -> Option<&str> {
    let value = header_walk::find(headers, &header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    Some(value.split(';').next().unwrap_or("").trim())
}

/// The declared `Content-Length`, if any and readable.
pub fn content_length(headers: &HeaderMap) -> Option<u64> {
    header_walk::find(headers, &header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads a whole body of at most `limit` bytes within `timeout`.
pub async fn read_limited(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, ApiError> {
    check_length(headers, limit)?;
    read_body(body, limit, timeout).await
}

/// `413` when the request declares a body longer than `limit`.
fn check_length(headers: &HeaderMap, limit: usize) -> Result<(), ApiError> {
    if content_length(headers).is_some_and(|n| n > limit as u64) {
        return Err(ApiError::too_large());
    }
    Ok(())
}

/// Reads a whole body of at most `limit` bytes within `timeout`, after its
/// head was checked ([`check_json_head`], or the declared length).
pub async fn read_body(body: Body, limit: usize, timeout: Duration) -> Result<Bytes, ApiError> {
    let mut body = Limited::new(body, limit);
    // A small body has usually arrived with its head, as one frame: it is
    // taken as it is, without arming a timer or copying it.
    let first = std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut body).poll_frame(cx))).await;
    let head = match first {
        Poll::Pending => None,
        Poll::Ready(None) => return Ok(Bytes::new()),
        Poll::Ready(Some(Err(error))) => return Err(body_error(&*error)),
        Poll::Ready(Some(Ok(frame))) => {
            let data = frame.into_data().unwrap_or_default();
            if body.is_end_stream() {
                return Ok(data);
            }
            Some(data)
        }
    };
    // The rest, within the deadline (which starts now). Boxed: the timer and
    // the buffers of this slower path would otherwise make the future of
    // every request that reads a body larger.
    let rest = Box::pin(tokio::time::timeout(timeout, body.collect()))
        .await
        .map_err(|_| ApiError::kind(ErrorKind::RequestTimeout))?
        .map_err(|error| body_error(&*error))?
        .to_bytes();
    Ok(match head {
        Some(head) if !rest.is_empty() => Bytes::from([head, rest].concat()),
        Some(head) => head,
        None => rest,
    })
}

/// The answer to a body that could not be read whole.
fn body_error(error: &(dyn std::error::Error + Send + Sync + 'static)) -> ApiError {
    if error.downcast_ref::<LengthLimitError>().is_some() {
        ApiError::too_large()
    } else {
        // The client went away or sent a broken body: nobody reads this answer.
        ApiError::invalid_json()
    }
}

/// What a JSON body's head must pass before the body is read: the content
/// type must be JSON (`400`), then the declared length within `limit`
/// (`413`). Then [`read_body`] reads it and [`parse_json`] parses it (nesting
/// deeper than 128 levels is refused by the parser, as invalid JSON).
pub fn check_json_head(headers: &HeaderMap, limit: usize) -> Result<(), ApiError> {
    if !is_json(headers) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            messages::UNSUPPORTED_CONTENT_TYPE,
        ));
    }
    check_length(headers, limit)
}

/// A body's bytes as JSON, or the contract's `Invalid JSON body`.
pub fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|_| ApiError::invalid_json())
}
