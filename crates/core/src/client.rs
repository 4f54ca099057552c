//! The [`Client`] handle and its configuration ([`ClientBuilder`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use artificial_studio_types::rules::session;
use reqwest::header::HeaderValue;
use url::Url;

use crate::error::{Error, Result};
use crate::events::{Observer, RequestEvent};
use crate::retry::RetryPolicy;
use crate::transport::Transport;
use crate::types::rules::webhook::WebhookPolicy;

/// The real service.
pub const DEFAULT_BASE_URL: &str = "https://api.artificialstudio.ai";

/// The environment variable holding the API key.
pub const API_KEY_ENV: &str = "ARTIFICIAL_STUDIO_API_KEY";

/// The environment variable that, when set, replaces [`DEFAULT_BASE_URL`].
pub const BASE_URL_ENV: &str = "ARTIFICIAL_STUDIO_BASE_URL";

/// Default bound on one API request, body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Default bound on a whole upload, body and answer: generous, so a large file
/// on a slow link gets through, but never unbounded.
pub const DEFAULT_UPLOAD_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Default bound on opening a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client of the Artificial Studio API.
///
/// Cheap to clone (the connection pool and configuration are shared), and
/// `Send + Sync`: build one and pass clones around. Its `Debug` output never
/// shows the API key.
///
/// ```no_run
/// # async fn demo() -> artificial_studio::Result<()> {
/// use artificial_studio::Client;
///
/// let client = Client::from_env()?;
/// let account = client.account().await?;
/// println!("{} credits left", account.credits);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) transport: Arc<Transport>,
}

impl Client {
    /// A client for the real service with `api_key` and default settings.
    ///
    /// Fails with [`Error::Config`] when the key is empty, carries a `Bearer`
    /// prefix, or cannot be sent in a header.
    pub fn new(api_key: impl Into<String>) -> Result<Client> {
        ClientBuilder::new().api_key(api_key).build()
    }

    /// A client configured from the environment: the key from
    /// `ARTIFICIAL_STUDIO_API_KEY`, the base URL from
    /// `ARTIFICIAL_STUDIO_BASE_URL` when set.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }

    /// A builder with every default, to set the base URL, timeouts, retries
    /// and so on.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.transport.base_url
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.transport.retry
    }

    /// Which webhook URLs [`run`](Self::run) accepts before sending (see
    /// [`ClientBuilder::webhook_policy`]).
    pub fn webhook_policy(&self) -> WebhookPolicy {
        self.transport.webhook_policy
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.transport;
        f.debug_struct("Client")
            .field("base_url", &t.base_url.as_str())
            .field("api_key", &"[redacted]")
            .field("timeout", &t.timeout)
            .field("upload_timeout", &t.upload_timeout)
            .field("retry", &t.retry)
            .field("user_agent", &t.user_agent)
            .field("mock_session", &t.mock_session)
            .field("observer", &t.observer.is_some())
            .field("webhook_policy", &t.webhook_policy)
            .finish()
    }
}

/// Configuration of a [`Client`]; every setting has a default.
///
/// ```
/// use std::time::Duration;
/// use artificial_studio::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .api_key("my-key")
///     .base_url("http://127.0.0.1:8080")
///     .timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::default().with_max_retries(4))
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "http://127.0.0.1:8080/");
/// assert!(!format!("{client:?}").contains("my-key"));
/// # Ok::<(), artificial_studio::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    upload_timeout: Option<Duration>,
    retry: RetryPolicy,
    user_agent: Option<String>,
    mock_session: Option<String>,
    http: Option<reqwest::Client>,
    observer: Option<Observer>,
    webhook_policy: WebhookPolicy,
    from_env: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            upload_timeout: Some(DEFAULT_UPLOAD_TIMEOUT),
            retry: RetryPolicy::default(),
            user_agent: None,
            mock_session: None,
            http: None,
            observer: None,
            webhook_policy: WebhookPolicy::Contract,
            from_env: false,
        }
    }
}

impl ClientBuilder {
    /// A builder with every default and no API key.
    pub fn new() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A builder with the key and base URL read from
    /// `ARTIFICIAL_STUDIO_API_KEY` and `ARTIFICIAL_STUDIO_BASE_URL` (empty
    /// values count as unset). Later calls can still override them.
    pub fn from_env() -> ClientBuilder {
        ClientBuilder::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with the variables read through `var`.
    fn from_vars(var: impl Fn(&str) -> Option<String>) -> ClientBuilder {
        let read = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        ClientBuilder {
            api_key: read(API_KEY_ENV),
            base_url: read(BASE_URL_ENV),
            from_env: true,
            ..ClientBuilder::default()
        }
    }

    /// The API key, sent raw in the `Authorization` header (no `Bearer`).
    /// Surrounding whitespace is ignored.
    #[must_use]
    pub fn api_key(mut self, api_key: impl Into<String>) -> ClientBuilder {
        self.api_key = Some(api_key.into());
        self
    }

    /// Where to send requests (default [`DEFAULT_BASE_URL`]): the mock server,
    /// a proxy. A path prefix is kept (`https://proxy/astudio` sends
    /// `https://proxy/astudio/api/run`).
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> ClientBuilder {
        self.base_url = Some(base_url.into());
        self
    }

    /// Bound on each API request attempt, body included (default 60 s).
    /// Downloads use it as the longest wait for their headers and between two
    /// chunks; uploads use [`upload_timeout`](Self::upload_timeout).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = Some(timeout);
        self
    }

    /// Removes the bound on API requests (the connect timeout stays).
    #[must_use]
    pub fn no_timeout(mut self) -> ClientBuilder {
        self.timeout = None;
        self
    }

    /// Bound on opening a connection (default 10 s). Ignored when a
    /// [`http_client`](Self::http_client) is given: configure it there.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// Bound on a whole upload, from the first byte sent to the answer
    /// (default 30 minutes).
    #[must_use]
    pub fn upload_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.upload_timeout = Some(timeout);
        self
    }

    /// Removes the bound on uploads (the connect timeout stays).
    #[must_use]
    pub fn no_upload_timeout(mut self) -> ClientBuilder {
        self.upload_timeout = None;
        self
    }

    /// When and how failed requests are retried (default: 2 retries; see
    /// [`RetryPolicy`]).
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry = policy;
        self
    }

    /// Shortcut for a default policy with `max_retries` retries.
    #[must_use]
    pub fn max_retries(mut self, max_retries: u32) -> ClientBuilder {
        self.retry = self.retry.with_max_retries(max_retries);
        self
    }

    /// The `User-Agent` header (default `artificial-studio-rust/VERSION`).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> ClientBuilder {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends `X-Mock-Session: NAME` with every request to the API, so that
    /// against the sandbox (`astudio-mock`) it lives in session `name`: its
    /// own accounts, generations, uploads and journal. The real service
    /// ignores the header. A name is 1 to 64 characters of `A-Z a-z 0-9 . _ -`
    /// not starting with `.`; [`build`](Self::build) refuses any other.
    ///
    /// ```
    /// use artificial_studio::Client;
    ///
    /// let client = Client::builder()
    ///     .api_key("demo-free-key")
    ///     .base_url("http://127.0.0.1:8080")
    ///     .mock_session("ci-4711")
    ///     .build()?;
    /// assert!(Client::builder().api_key("k").mock_session("a/b").build().is_err());
    /// # Ok::<(), artificial_studio::Error>(())
    /// ```
    #[must_use]
    pub fn mock_session(mut self, name: impl Into<String>) -> ClientBuilder {
        self.mock_session = Some(name.into());
        self
    }

    /// Sends requests through this `reqwest` client (its proxy, TLS and pool
    /// settings); the timeouts above are still applied per request.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> ClientBuilder {
        self.http = Some(client);
        self
    }

    /// Calls `observer` for every attempt: sending, answer, failure, retry.
    /// Meant for `--verbose` output and metrics; it never sees the key.
    ///
    /// ```
    /// use artificial_studio::Client;
    ///
    /// let client = Client::builder()
    ///     .api_key("my-key")
    ///     .observer(|event| eprintln!("{event}"))
    ///     .build()?;
    /// # Ok::<(), artificial_studio::Error>(())
    /// ```
    #[must_use]
    pub fn observer(
        mut self,
        observer: impl Fn(&RequestEvent) + Send + Sync + 'static,
    ) -> ClientBuilder {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// Which webhook URLs [`Client::run`] accepts before sending. The default,
    /// [`WebhookPolicy::Contract`], is the real service's rule: an `https`
    /// URL on a public host. [`WebhookPolicy::AllowPrivate`] also lets
    /// `http` and loopback or private hosts through, for a sandbox started
    /// with `--allow-private-webhooks` and a receiver on this machine; the
    /// server still judges the URL with its own rule.
    ///
    /// ```
    /// use artificial_studio::{Client, WebhookPolicy};
    ///
    /// let client = Client::builder()
    ///     .api_key("sandbox-key")
    ///     .base_url("http://127.0.0.1:8080")
    ///     .webhook_policy(WebhookPolicy::AllowPrivate)
    ///     .build()?;
    /// assert_eq!(client.webhook_policy(), WebhookPolicy::AllowPrivate);
    /// # Ok::<(), artificial_studio::Error>(())
    /// ```
    #[must_use]
    pub fn webhook_policy(mut self, policy: WebhookPolicy) -> ClientBuilder {
        self.webhook_policy = policy;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        let api_key = match self.api_key.as_deref().map(str::trim) {
            Some(key) if !key.is_empty() => key.to_string(),
            _ if self.from_env => {
                return Err(Error::config(format!("no API key: set {API_KEY_ENV}")));
            }
            _ => return Err(Error::config("no API key given")),
        };
        if api_key.len() > 7
            && api_key
                .get(..7)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case("bearer "))
        {
            return Err(Error::config(
                "the API key must be given raw, without the `Bearer` prefix",
            ));
        }
        let mut api_key = HeaderValue::from_str(&api_key).map_err(|_| {
            Error::config("the API key holds characters that cannot be sent in a header")
        })?;
        api_key.set_sensitive(true);

        let base_url = parse_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;

        let user_agent = self
            .user_agent
            .unwrap_or_else(|| format!("artificial-studio-rust/{}", env!("CARGO_PKG_VERSION")));
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::config("the user agent cannot be sent in a header"))?;

        let mock_session = match self.mock_session {
            None => None,
            Some(name) if session::is_valid_name(&name) => HeaderValue::from_str(&name).ok(),
            Some(_) => return Err(Error::config(session::INVALID_SESSION_NAME)),
        };

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };

        Ok(Client {
            transport: Arc::new(Transport {
                http,
                base_url,
                api_key,
                user_agent,
                mock_session,
                timeout: self.timeout,
                upload_timeout: self.upload_timeout,
                retry: self.retry,
                observer: self.observer,
                webhook_policy: self.webhook_policy,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("upload_timeout", &self.upload_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("mock_session", &self.mock_session)
            .field("http_client", &self.http.is_some())
            .field("observer", &self.observer.is_some())
            .field("webhook_policy", &self.webhook_policy)
            .finish()
    }
}

fn parse_base_url(raw: &str) -> Result<Url> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::config(format!("invalid base URL `{raw}`: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(Error::config(format!(
            "invalid base URL `{raw}`: it must be an http or https URL"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "invalid base URL `{raw}`: it must not have a query or fragment"
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let client = Client::new("sk-very-secret").unwrap();
        let shown = format!(
            "{client:?} {:?}",
            Client::builder().api_key("sk-very-secret")
        );
        assert!(!shown.contains("sk-very-secret"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn a_missing_empty_or_bearer_key_is_a_config_error() {
        for builder in [
            Client::builder(),
            Client::builder().api_key("   "),
            Client::builder().api_key("Bearer abc"),
            Client::builder().api_key("abc\ndef"),
        ] {
            assert!(matches!(builder.build(), Err(Error::Config { .. })));
        }
        // A multi-byte character across the prefix's 7th byte is read, not a panic.
        assert!(Client::builder().api_key("aaaaaa€x").build().is_ok());
    }

    #[test]
    fn from_env_reads_the_key_and_the_optional_base_url() {
        let vars = |key: Option<&str>, base: Option<&str>| {
            let (key, base) = (key.map(str::to_string), base.map(str::to_string));
            ClientBuilder::from_vars(move |name| match name {
                API_KEY_ENV => key.clone(),
                BASE_URL_ENV => base.clone(),
                _ => None,
            })
        };
        let client = vars(Some("k"), Some("http://127.0.0.1:8080"))
            .build()
            .unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:8080/");
        let client = vars(Some("k"), Some("")).build().unwrap();
        assert_eq!(
            client.base_url().as_str(),
            "https://api.artificialstudio.ai/"
        );
        let err = vars(None, None).build().unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration error: no API key: set ARTIFICIAL_STUDIO_API_KEY"
        );
    }

    #[test]
    fn a_base_url_must_be_http_or_https() {
        for bad in [
            "ftp://example.com",
            "not a url",
            "mailto:a@b.c",
            "http://h/?q=1",
        ] {
            let built = Client::builder().api_key("k").base_url(bad).build();
            assert!(matches!(built, Err(Error::Config { .. })), "{bad}");
        }
        let client = Client::builder()
            .api_key(" k \n")
            .base_url("http://127.0.0.1:1/prefix")
            .build()
            .unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:1/prefix");
    }
}
