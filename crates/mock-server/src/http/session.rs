//! Which session a request lives in: the one `X-Mock-Session: NAME` or the
//! path prefix `/s/NAME/` names (the prefix is stripped before routing), else
//! the default session. Without either, this is one header lookup and one
//! prefix check.

use std::sync::Arc;

use artificial_studio_types::rules::session::{
    INVALID_SESSION_NAME, SESSION_HEADER, SESSION_PATH_PREFIX, is_valid_name,
};
use axum::{
    extract::Request,
    http::{HeaderName, StatusCode, Uri, uri::PathAndQuery},
};

use super::{errors::ApiError, header_walk};
use crate::{
    app::App,
    sessions::{Refused, Sessions, TooMany},
    store::Unavailable,
};

/// The session a request lives in, as [`pick`] found it.
pub(crate) struct Picked {
    /// Its state.
    pub(crate) app: Arc<App>,
    /// Its name, `None` for the default session.
    pub(crate) name: Option<Arc<str>>,
    /// Whether it must be [admitted](Sessions::admit) before it is used
    /// (new to this replica of a shared store).
    pub(crate) admit: bool,
}

/// [`SESSION_HEADER`] as a header name, made once.
const SESSION_HEADER_NAME: HeaderName = HeaderName::from_static(SESSION_HEADER);

/// The session of `request`, with a `/s/NAME/` prefix
/// stripped from its path: `400` for a bad name (or a header and a prefix
/// naming two sessions), `503` past the limit of sessions.
///
/// The request is changed in place rather than moved in and out, so that the
/// default session costs one header lookup and one prefix check, and no copy
/// of the request.
pub(crate) fn pick(
    app: Arc<App>,
    request: &mut Request,
    sessions: &Arc<Sessions>,
) -> Result<Picked, ApiError> {
    if !header_walk::has(request.headers(), &SESSION_HEADER_NAME)
        && !request.uri().path().starts_with(SESSION_PATH_PREFIX)
    {
        return Ok(Picked {
            app,
            name: None,
            admit: false,
        });
    }
    named(request, sessions)
}

fn named(request: &mut Request, sessions: &Arc<Sessions>) -> Result<Picked, ApiError> {
    let bad_name = || ApiError::new(StatusCode::BAD_REQUEST, INVALID_SESSION_NAME);
    let from_header = match request.headers().get(SESSION_HEADER_NAME) {
        None => None,
        Some(value) => {
            let name = value.to_str().ok().filter(|n| is_valid_name(n));
            Some(name.ok_or_else(bad_name)?.to_owned())
        }
    };
    let from_path = match request.uri().path().strip_prefix(SESSION_PATH_PREFIX) {
        None => None,
        Some(rest) => {
            let (name, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            if !is_valid_name(name) {
                return Err(bad_name());
            }
            let name = name.to_owned();
            let path = if path.is_empty() { "/" } else { path };
            *request.uri_mut() = with_path(request.uri(), path)?;
            Some(name)
        }
    };
    let name = match (from_header, from_path) {
        (Some(header), Some(path)) if header != path => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "X-Mock-Session names another session than the path's /s/NAME/ prefix",
            ));
        }
        (Some(name), _) | (None, Some(name)) => name,
        (None, None) => return Err(bad_name()),
    };
    let (app, admit) = sessions.get(&name).map_err(too_many)?;
    Ok(Picked {
        app,
        name: Some(Arc::from(name)),
        admit,
    })
}

/// The `503` of a session past the limit.
fn too_many(too_many: TooMany) -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, &too_many.message())
}

/// Admits session `name`, new to this replica, across the replicas (see
/// [`Sessions::admit`]): the `503` of a session past the limit, or of the
/// shared store out of reach, when refused.
pub(crate) async fn admit(sessions: &Sessions, name: &str) -> Result<(), ApiError> {
    sessions.admit(name).await.map_err(|refused| match refused {
        Refused::TooMany(limit) => too_many(limit),
        Refused::Unavailable => ApiError::from(Unavailable),
    })
}

/// `uri` with its path replaced by `path` (its query kept).
fn with_path(uri: &Uri, path: &str) -> Result<Uri, ApiError> {
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = PathAndQuery::try_from(path_and_query).ok();
    Uri::from_parts(parts)
        .map_err(|_| ApiError::not_found(artificial_studio_types::messages::NOT_FOUND))
}
