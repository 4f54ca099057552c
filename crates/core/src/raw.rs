//! Any request to the API, for what the typed endpoints do not cover yet:
//! the client's key, retries and error mapping, with the answer undecoded.

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, Result, request_id, snippet};
use crate::transport::Call;

/// A request described by hand: a method, a path under the base URL, headers
/// and a body. Sent with [`Client::send_raw`].
///
/// ```no_run
/// # async fn demo(client: artificial_studio::Client) -> artificial_studio::Result<()> {
/// use artificial_studio::RawRequest;
/// use reqwest::Method;
///
/// let answer = client
///     .send_raw(RawRequest::new(Method::GET, "api/generations?limit=5"))
///     .await?;
/// println!("{}", answer.json()?);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct RawRequest {
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl RawRequest {
    /// A request for `path` (with its query, if any), relative to the base
    /// URL; a leading `/` is optional.
    pub fn new(method: Method, path: impl Into<String>) -> RawRequest {
        RawRequest {
            method,
            path: path.into(),
            headers: HeaderMap::new(),
            body: None,
        }
    }

    /// Headers sent with the request; they replace the client's own of the
    /// same name (`Accept`, `Content-Type`, even `Authorization`).
    pub fn headers(mut self, headers: HeaderMap) -> RawRequest {
        self.headers = headers;
        self
    }

    /// A body sent as it is. Set its `Content-Type` with [`headers`](Self::headers).
    pub fn body(mut self, body: impl Into<Bytes>) -> RawRequest {
        self.body = Some(body.into());
        self
    }
}

/// A 2xx answer to a [`RawRequest`], undecoded.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status, 200 to 299.
    pub status: u16,
    /// The answer's headers.
    pub headers: HeaderMap,
    /// The answer's body.
    pub body: Bytes,
    /// The request's method and path, for a decode error.
    request: (String, String),
}

impl RawResponse {
    /// The body as JSON; an empty body (a `204`) is `null`.
    pub fn json(&self) -> Result<Value> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            method: self.request.0.clone(),
            path: self.request.1.clone(),
            status: self.status,
            message: e.to_string(),
            snippet: snippet(&self.body),
            request_id: request_id(&self.headers),
        })
    }
}

impl Client {
    /// Sends any request to the API with this client's key, timeouts and
    /// retries. A non-2xx answer is an [`Error::Api`], as for every endpoint.
    /// Methods that may change state (`POST`, `PATCH`) are retried only when
    /// the request cannot have been processed, as [`Client::run`] is.
    pub async fn send_raw(&self, request: RawRequest) -> Result<RawResponse> {
        let base = &self.transport.base_url;
        let path = request.path.trim_start_matches('/');
        if path.contains("://") || path.starts_with("//") {
            return Err(Error::invalid(format!(
                "{:?} is not a path: give a path under the base URL, such as api/account",
                request.path
            )));
        }
        let url = base.as_str().trim_end_matches('/').to_string() + "/" + path;
        let url = url::Url::parse(&url)
            .ok()
            .filter(|u| u.origin() == base.origin())
            .ok_or_else(|| Error::invalid(format!("{:?} is not a valid path", request.path)))?;
        let shown = (request.method.to_string(), call_path(&url));
        let mut call = Call::raw(&self.transport, request.method, url, request.headers);
        if let Some(body) = request.body {
            call = call.raw_body(body);
        }
        let (status, headers, body) = self.transport.raw(&call).await?;
        Ok(RawResponse {
            status,
            headers,
            body,
            request: shown,
        })
    }
}

/// The path and query of `url`, as errors show a request.
fn call_path(url: &url::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}
