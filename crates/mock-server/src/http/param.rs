//! Path parameters that never answer outside the contract.

use axum::{
    extract::{
        FromRequestParts, Path,
        rejection::{FailedToDeserializePathParams, PathRejection},
    },
    http::request::Parts,
};
use serde::de::DeserializeOwned;

use super::errors::ApiError;

/// A path parameter, like axum's `Path`, whose rejection is never axum's
/// `text/plain` 400.
///
/// A segment that is not UTF-8 once percent-decoded (`/api/tools/%FF`) names
/// nothing that exists, so it becomes `T::default()` (an empty string), which
/// every handler answers with its own 404 JSON, as for any unknown id.
#[derive(Debug)]
pub struct Param<T>(pub T);

impl<S, T> FromRequestParts<S> for Param<T>
where
    T: DeserializeOwned + Default + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Param(value)),
            Err(PathRejection::FailedToDeserializePathParams(error)) if not_utf8(&error) => {
                Ok(Param(T::default()))
            }
            // The route table and the handler disagree: a bug of ours.
            Err(_) => Err(ApiError::internal()),
        }
    }
}

fn not_utf8(error: &FailedToDeserializePathParams) -> bool {
    matches!(
        error.kind(),
        axum::extract::path::ErrorKind::InvalidUtf8InPathParam { .. }
    )
}
