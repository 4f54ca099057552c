//! One method per endpoint of the API. Each describes its request and the type
//! of its answer; sending, retrying and error mapping belong to the transport.

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use url::Url;

use crate::Client;
use crate::error::{Error, Result};
use crate::transport::{Call, next_chunk};
use crate::types::rules::page;
use crate::types::rules::webhook::{WebhookPolicy, webhook_issue};
use crate::types::{
    Account, Generation, GenerationList, GenerationStatus, RunRequest, RunResponse, SearchResults,
    Tool, ToolList, ToolSummary, UploadedFile, ValidationIssue,
};
use crate::upload::FileUpload;

/// Query of [`Client::generations`]: page size, offset and status filter.
/// Unset fields use the API's defaults (20 per page, from the newest).
///
/// ```
/// use artificial_studio::ListParams;
/// use artificial_studio::types::GenerationStatus;
///
/// let params = ListParams::new().limit(100).status(GenerationStatus::Success);
/// assert_eq!(params.limit, Some(100));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListParams {
    /// Page size (the API allows 1 to 100, default 20: see [`page`]).
    pub limit: Option<u32>,
    /// How many generations to skip (default 0).
    pub offset: Option<u64>,
    /// Only generations in this status.
    pub status: Option<GenerationStatus>,
}

impl ListParams {
    /// The API's defaults.
    pub fn new() -> ListParams {
        ListParams::default()
    }

    /// Sets the page size.
    #[must_use]
    pub fn limit(mut self, limit: u32) -> ListParams {
        self.limit = Some(limit);
        self
    }

    /// Sets how many generations to skip.
    #[must_use]
    pub fn offset(mut self, offset: u64) -> ListParams {
        self.offset = Some(offset);
        self
    }

    /// Keeps only generations in `status`.
    #[must_use]
    pub fn status(mut self, status: GenerationStatus) -> ListParams {
        self.status = Some(status);
        self
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(limit) = self.limit {
            query.push(("limit", limit.to_string()));
        }
        if let Some(offset) = self.offset {
            query.push(("offset", offset.to_string()));
        }
        if let Some(status) = &self.status {
            query.push(("status", status.to_string()));
        }
        query
    }
}

impl Client {
    /// Starts a generation: `POST /api/run`.
    ///
    /// `input` is any value that serializes to a JSON object (a `json!`
    /// literal, a map, your own struct); its `model` field picks one of the
    /// tool's models. `webhook`, when given, must be an `https` URL on a
    /// public host (not localhost or a private address), as the service
    /// requires, unless the client's
    /// [`webhook_policy`](crate::ClientBuilder::webhook_policy) allows
    /// private hosts for a sandbox.
    ///
    /// Checked before sending ([`Error::InvalidRequest`]): an empty tool slug,
    /// an input that is not an object, a webhook the service would refuse.
    /// This request spends credits, so it is retried only when it cannot have
    /// been processed (see the [crate docs](crate#retries)).
    ///
    /// ```no_run
    /// # async fn demo(client: artificial_studio::Client) -> artificial_studio::Result<()> {
    /// use serde_json::json;
    ///
    /// let started = client
    ///     .run("text-to-speech", json!({"prompt": "Hello there", "voice": "nova"}), None)
    ///     .await?;
    /// println!("{} is {}", started.id, started.status);
    /// # Ok(()) }
    /// ```
    pub async fn run(
        &self,
        tool: &str,
        input: impl Serialize,
        webhook: Option<&str>,
    ) -> Result<RunResponse> {
        Ok(self.run_hinted(tool, input, webhook).await?.0)
    }

    /// Starts a generation from a complete [`RunRequest`], with the same
    /// checks as [`run`](Self::run).
    pub async fn run_request(&self, request: &RunRequest) -> Result<RunResponse> {
        Ok(self.run_request_hinted(request).await?.0)
    }

    /// [`run`](Self::run), with the answer's poll hint (see
    /// [`run_request_hinted`](Self::run_request_hinted)).
    pub(crate) async fn run_hinted(
        &self,
        tool: &str,
        input: impl Serialize,
        webhook: Option<&str>,
    ) -> Result<(RunResponse, Option<Duration>)> {
        let request = run_request(tool, input, webhook)?;
        self.run_request_hinted(&request).await
    }

    /// [`run_request`](Self::run_request), with the answer's poll hint: how
    /// long until the generation is expected to change status, when the
    /// server said (`X-Poll-After-Ms`; the mock server does).
    pub(crate) async fn run_request_hinted(
        &self,
        request: &RunRequest,
    ) -> Result<(RunResponse, Option<Duration>)> {
        check_run_request(request, self.transport.webhook_policy)?;
        let body = serde_json::to_vec(request)
            .map_err(|e| Error::invalid(format!("the request cannot be serialized: {e}")))?;
        let call = Call::api(&self.transport, Method::POST, &["api", "run"])?
            .json_body(Bytes::from(body))
            .only_if_not_processed();
        self.transport.json_with_hint(call).await
    }

    /// One generation: `GET /api/generations/{id}`.
    pub async fn generation(&self, id: &str) -> Result<Generation> {
        Ok(self.generation_hinted(id).await?.0)
    }

    /// [`generation`](Self::generation), with the answer's poll hint, as
    /// [`run_request_hinted`](Self::run_request_hinted).
    pub(crate) async fn generation_hinted(
        &self,
        id: &str,
    ) -> Result<(Generation, Option<Duration>)> {
        check_segment("generation id", id)?;
        let call = Call::api(&self.transport, Method::GET, &["api", "generations", id])?;
        self.transport.json_with_hint(call).await
    }

    /// One page of the caller's generations, newest first:
    /// `GET /api/generations`. See [`generations_stream`](Self::generations_stream)
    /// to walk every page.
    ///
    /// Checked before sending ([`Error::InvalidRequest`]): a `limit` out of
    /// the contract's bounds ([`page::MIN_LIMIT`] to [`page::MAX_LIMIT`]).
    pub async fn generations(&self, params: &ListParams) -> Result<GenerationList> {
        if let Some(issue) = params.limit.and_then(|n| page::limit_issue(n.into())) {
            return Err(Error::invalid_fields(vec![issue]));
        }
        let call = Call::api(&self.transport, Method::GET, &["api", "generations"])?
            .query(&params.query());
        self.transport.json(call).await
    }

    /// Every tool: `GET /api/tools`.
    pub async fn tools(&self) -> Result<Vec<ToolSummary>> {
        let call = Call::api(&self.transport, Method::GET, &["api", "tools"])?;
        let list: ToolList = self.transport.json(call).await?;
        Ok(list.data)
    }

    /// One tool with its models and their input schemas:
    /// `GET /api/tools/{slug}`.
    pub async fn tool(&self, slug: &str) -> Result<Tool> {
        check_segment("tool slug", slug)?;
        let call = Call::api(&self.transport, Method::GET, &["api", "tools", slug])?;
        self.transport.json(call).await
    }

    /// Tools whose slug, name or description match `query`, with their
    /// models: `GET /api/search?q=...`.
    pub async fn search(&self, query: &str) -> Result<Vec<Tool>> {
        let call = Call::api(&self.transport, Method::GET, &["api", "search"])?
            .query(&[("q", query.to_string())]);
        let results: SearchResults = self.transport.json(call).await?;
        Ok(results.data)
    }

    /// The caller's account, plan and credits: `GET /api/account`.
    pub async fn account(&self) -> Result<Account> {
        let call = Call::api(&self.transport, Method::GET, &["api", "account"])?;
        self.transport.json(call).await
    }

    /// Uploads a file as the multipart field `file`: `POST /files`. The
    /// answer's `url` can be used as `image_urls`, `video_url` or `audio_url`
    /// in a tool's input.
    ///
    /// The API has a second upload form, the raw body of
    /// `POST /api/files?transient=` that the provider's n8n node sends. This
    /// client uses multipart `POST /files`, the form of the provider's MCP
    /// client and skills, whose answer carries the file's `type` (`image`,
    /// `video`, `audio`, `object` for 3D models, `file`); the
    /// [`UploadedFile`] it returns decodes either form's answer
    /// (`{id, url, type, createdAt}` or `{id, url, mimetype, size,
    /// originalName}`).
    ///
    /// A file on disk is streamed, never read into memory. Uploads are
    /// retried like reads (a duplicate upload costs no credits); the file is
    /// opened again for each attempt.
    ///
    /// ```no_run
    /// # async fn demo(client: artificial_studio::Client) -> artificial_studio::Result<()> {
    /// use artificial_studio::FileUpload;
    ///
    /// let file = client.upload_file(FileUpload::path("photo.jpg")).await?;
    /// println!("uploaded to {}", file.url);
    /// # Ok(()) }
    /// ```
    pub async fn upload_file(&self, upload: impl Into<FileUpload>) -> Result<UploadedFile> {
        let call = Call::api(&self.transport, Method::POST, &["files"])?
            .upload(upload.into(), self.transport.upload_timeout);
        self.transport.json(call).await
    }

    /// Writes a finished generation's output to `writer`, streaming it, and
    /// returns the number of bytes written.
    ///
    /// Fails with [`Error::InvalidRequest`] when the generation has no output
    /// (it is not `success` yet, or failed). The API key is sent only when the
    /// output lives on the API's own origin, never to another host.
    ///
    /// ```no_run
    /// # use artificial_studio::{Client, types::Generation};
    /// # async fn demo(client: Client, generation: Generation) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut file = tokio::fs::File::create("fox.png").await?;
    /// let bytes = client.download(&generation, &mut file).await?;
    /// println!("saved {bytes} bytes");
    /// # Ok(()) }
    /// ```
    pub async fn download<W>(&self, generation: &Generation, writer: &mut W) -> Result<u64>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let Some(output) = generation.output.as_deref() else {
            return Err(Error::invalid(format!(
                "generation {} has no output to download (status {})",
                generation.id, generation.status
            )));
        };
        self.download_url(output, writer).await
    }

    /// Streams any URL the API handed out (an output, a thumbnail) to
    /// `writer`; returns the number of bytes written. A relative URL is
    /// resolved against the base URL.
    pub async fn download_url<W>(&self, url: &str, writer: &mut W) -> Result<u64>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let url = self
            .transport
            .base_url
            .join(url)
            .map_err(|e| Error::invalid(format!("`{url}` is not a URL: {e}")))?;
        check_download_url(&url)?;
        let call = Call::download(&self.transport, url);
        let mut response = self.transport.execute(&call).await?;
        let mut written = 0u64;
        let url = call.display_url();
        loop {
            let chunk = next_chunk(&mut response, self.transport.timeout)
                .await
                .map_err(|failed| {
                    failed
                        .context(&format!("the download broke after {written} bytes"))
                        .into_error("GET", &url)
                })?;
            let Some(chunk) = chunk else { break };
            writer
                .write_all(&chunk)
                .await
                .map_err(|e| Error::io("writing the download failed", e))?;
            written += chunk.len() as u64;
        }
        writer
            .flush()
            .await
            .map_err(|e| Error::io("writing the download failed", e))?;
        Ok(written)
    }
}

/// Builds the body of `POST /api/run` from the loose arguments of `run`.
fn run_request(tool: &str, input: impl Serialize, webhook: Option<&str>) -> Result<RunRequest> {
    let input = match serde_json::to_value(input) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            return Err(Error::invalid_fields(vec![ValidationIssue::invalid_type(
                "input", "object", &other,
            )]));
        }
        Err(e) => {
            return Err(Error::invalid(format!(
                "the input cannot be serialized: {e}"
            )));
        }
    };
    Ok(RunRequest {
        tool: tool.to_string(),
        input,
        webhook: webhook.map(str::to_string),
    })
}

/// What `POST /api/run` would refuse anyway, found without a round trip.
fn check_run_request(request: &RunRequest, policy: WebhookPolicy) -> Result<()> {
    let mut errors = Vec::new();
    if request.tool.trim().is_empty() {
        errors.push(ValidationIssue::string_too_short("tool", 1));
    }
    // The contract's rule, as the real service applies it, unless the
    // client was built for a sandbox that also takes `http` or private hosts.
    if let Some(issue) = request
        .webhook
        .as_deref()
        .and_then(|url| webhook_issue(url, policy))
    {
        errors.push(issue);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_fields(errors))
    }
}

/// An id or slug placed in a path must name something: an empty one, `.` or
/// `..` would silently address another endpoint.
fn check_segment(what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() || value == "." || value == ".." {
        return Err(Error::invalid(format!("the {what} must not be empty")));
    }
    Ok(())
}

fn check_download_url(url: &Url) -> Result<()> {
    if matches!(url.scheme(), "http" | "https") {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "cannot download `{url}`: only http and https URLs are supported"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn run_refuses_an_empty_tool_and_a_plain_http_webhook_before_sending() {
        let err = run_request("", json!({}), Some("http://example.com/hook"))
            .and_then(|r| check_run_request(&r, WebhookPolicy::Contract))
            .unwrap_err();
        let fields: Vec<_> = err
            .validation_errors()
            .iter()
            .map(|i| i.field.as_str())
            .collect();
        assert_eq!(fields, ["tool", "webhook"]);
    }

    #[test]
    fn run_accepts_an_https_webhook_and_any_object_input() {
        let request = run_request(
            "create-image",
            json!({"prompt": "a fox"}),
            Some("https://example.com/h"),
        )
        .unwrap();
        check_run_request(&request, WebhookPolicy::Contract).unwrap();
        assert_eq!(request.input["prompt"], "a fox");
    }

    #[test]
    fn run_refuses_a_webhook_on_a_private_host_as_the_contract_does() {
        for url in [
            "https://localhost/hook",
            "https://10.0.0.1/hook",
            "https://[::1]/hook",
        ] {
            let err = run_request("create-image", json!({}), Some(url))
                .and_then(|r| check_run_request(&r, WebhookPolicy::Contract))
                .unwrap_err();
            assert_eq!(
                err.validation_errors()[0].to_string(),
                "webhook: Webhook host must be public (no localhost or private addresses) (custom)",
                "{url}"
            );
        }
    }

    #[test]
    fn a_sandbox_policy_lets_a_loopback_http_webhook_through_and_still_refuses_ftp() {
        let local =
            run_request("create-image", json!({}), Some("http://127.0.0.1:9/hook")).unwrap();
        check_run_request(&local, WebhookPolicy::AllowPrivate).unwrap();
        assert!(check_run_request(&local, WebhookPolicy::Contract).is_err());
        let ftp = run_request("create-image", json!({}), Some("ftp://127.0.0.1/hook")).unwrap();
        assert!(check_run_request(&ftp, WebhookPolicy::AllowPrivate).is_err());
    }

    #[test]
    fn run_refuses_an_input_that_is_not_an_object() {
        let err = run_request("create-image", json!(["a fox"]), None).unwrap_err();
        assert_eq!(
            err.validation_errors()[0].to_string(),
            "input: Expected object, received array (invalid_type)"
        );
    }
}
