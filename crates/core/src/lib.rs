//! Rust client for the [Artificial Studio API](https://api.artificialstudio.ai):
//! generate images, video, audio, 3D models and text.
//!
//! # Quick start
//!
//! Set `ARTIFICIAL_STUDIO_API_KEY` (and `ARTIFICIAL_STUDIO_BASE_URL` to talk to
//! a mock server or a proxy), then:
//!
//! ```no_run
//! use artificial_studio::{Client, WaitOptions};
//! use serde_json::json;
//!
//! # async fn demo() -> artificial_studio::Result<()> {
//! let client = Client::from_env()?;
//! let image = client
//!     .run_and_wait("create-image", json!({"prompt": "a fox"}), WaitOptions::default())
//!     .await?;
//! println!("{}", image.output.unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! Every endpoint has one method on [`Client`]: [`run`](Client::run),
//! [`generation`](Client::generation), [`generations`](Client::generations)
//! (one page) and [`generations_stream`](Client::generations_stream) (every
//! page), [`tools`](Client::tools), [`tool`](Client::tool),
//! [`search`](Client::search), [`account`](Client::account),
//! [`upload_file`](Client::upload_file); plus [`wait`](Client::wait),
//! [`run_and_wait`](Client::run_and_wait) and [`download`](Client::download);
//! and [`send_raw`](Client::send_raw) for any other request.
//! Request and response bodies are the types generated from the API's OpenAPI
//! document, re-exported as [`types`].
//!
//! # Errors
//!
//! Every call returns [`Result`], whose error is the one [`Error`] enum. A
//! non-2xx answer is [`Error::Api`], whose [`ErrorKind`] is decided by the
//! status alone, so a proxy's HTML page or an empty body still gives the
//! right kind; the message is the body's `message` when it has one, else the
//! kind's default message. Validation issues of a `400` are in `errors` and
//! print as `field: message (code)`.
//!
//! ```no_run
//! # async fn demo(client: artificial_studio::Client) {
//! use artificial_studio::{Error, ErrorKind};
//!
//! match client.account().await {
//!     Ok(account) => println!("{} credits", account.credits),
//!     Err(err) if err.is_auth() => eprintln!("check ARTIFICIAL_STUDIO_API_KEY: {err}"),
//!     Err(Error::Api { kind: ErrorKind::TooManyRequests, retry_after, .. }) => {
//!         eprintln!("rate limited; retry after {retry_after:?}")
//!     }
//!     Err(err) => eprintln!("{err}"),
//! }
//! # }
//! ```
//!
//! # Retries
//!
//! The client retries on its own, as [`RetryPolicy`] says (default: 2
//! retries). Retried are `429`, `500`, `502`, `503` (and other `5xx`, which
//! proxies answer) and transport failures; `400`, `401`, `402`, `403`, `404`
//! are never retried. The delay is the server's `Retry-After` when it sends
//! one, else `min(0.5 s × 2^n, 8 s)` less up to 25% jitter. A `Retry-After`
//! longer than the cap (60 s) is not slept through: the error is returned at
//! once with `retry_after` set, so the caller decides.
//!
//! **`POST /api/run` is different.** It spends credits, and a request the
//! server may have processed must not run twice. So [`Client::run`] is
//! retried only when the request cannot have been processed: on `429` (the
//! rate limiter refused it), on `503` (the service refused it), and when the
//! connection failed before the request was sent. A `500`, a `502` or a
//! timeout after sending is returned to the caller, who can check
//! [`Client::generations`] before running again.
//!
//! Every error says how many retries were made and how long the client slept
//! ([`Error::retries`], [`Error::waited`]); an [`observer`](ClientBuilder::observer)
//! sees each attempt as a [`RequestEvent`], and so does `tracing` (target
//! `artificial_studio`, level `debug`).
//!
//! # Checks before sending
//!
//! [`Client::run`] refuses, as [`Error::InvalidRequest`], what the API would
//! refuse anyway: an empty tool slug, an input that is not a JSON object, and
//! a webhook that is not an `https` URL on a public host (a sandbox's
//! client may allow private ones: [`ClientBuilder::webhook_policy`]). With a
//! tool's details at hand,
//! [`ToolExt::validate_input`] checks an input against the model's
//! `inputSchema` and reports the issues the API would, and [`run_cost`] says
//! what a run of it will cost.
//!
//! # Webhooks
//!
//! [`parse_webhook`] checks a delivery's `X-Webhook-Source` header and reads
//! its body as a [`WebhookPayload`](types::WebhookPayload).
//! [`Client::confirm_webhook`] does what the provider's n8n node does: it
//! checks the header, then reads the generation again from the API and fails
//! unless it is `success`, so a forged body cannot pass.

pub use artificial_studio_types as types;
pub use artificial_studio_types::rules::not_found::NotFound;
pub use artificial_studio_types::rules::webhook::WebhookPolicy;
pub use artificial_studio_types::{ErrorKind, ValidationIssue};

mod client;
mod endpoints;
mod error;
mod events;
mod pagination;
mod price;
mod raw;
mod retry;
mod transport;
mod upload;
mod validate;
mod wait;
mod webhook;

pub use client::{
    API_KEY_ENV, BASE_URL_ENV, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT, DEFAULT_UPLOAD_TIMEOUT,
};
pub use endpoints::ListParams;
pub use error::{ERROR_BODY_LIMIT, Error, Result, SNIPPET_LIMIT};
pub use events::{Observer, RequestEvent};
pub use price::{FALLBACK_SECONDS, run_cost};
pub use raw::{RawRequest, RawResponse};
pub use retry::{RetryPolicy, parse_retry_after};
pub use upload::FileUpload;
pub use validate::{ToolExt, validate_input};
pub use wait::{StatusCallback, StatusUpdate, WaitOptions};
pub use webhook::{WEBHOOK_MEDIA_ID_HEADER, WEBHOOK_SOURCE, WEBHOOK_SOURCE_HEADER, parse_webhook};
