//! The answers faults give in place of an endpoint's: an error status (a
//! `429` with its headers), nginx's HTML `502`, an empty `500`, a connection
//! cut half-way.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use artificial_studio_types::ErrorKind;
use axum::{
    body::Body,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use futures::StreamExt;

use super::errors::ApiError;
use crate::{
    config::{Bucket, RateLimits},
    faults::Fault,
    ratelimit::RateDecision,
};

const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// The answer a fault gives in place of the handler's.
pub(crate) fn response(fault: Fault, limits: RateLimits, bucket: Bucket) -> Response {
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
            super::headers::rate_headers(response.headers_mut(), &decision);
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

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
