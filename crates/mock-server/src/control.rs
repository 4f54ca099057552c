//! [`MockSession`]: the control methods of one session of a running server
//! (the default session's are [`MockServer`](crate::MockServer)'s own).

use std::sync::Arc;

use artificial_studio_types::Plan;

use crate::{
    app::App,
    config::AccountConfig,
    deliveries::WebhookDelivery,
    error::Error,
    faults::FaultRule,
    journal::JournalEntry,
    outcomes::ScriptedOutcome,
    store::{AccountPatch, MockAccount},
};

/// One session of a running server, to steer and read it from a test: its
/// accounts, journal, faults, scripted outcomes and webhook deliveries, and
/// a client for its base URL. [`MockServer`](crate::MockServer) derefs to
/// its default session's; [`MockServer::session`](crate::MockServer::session)
/// gives a named one's.
pub struct MockSession {
    name: Option<String>,
    base_url: String,
    /// The key of [`MockSession::client`].
    client_key: String,
    app: Arc<App>,
}

impl std::fmt::Debug for MockSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockSession")
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl MockSession {
    pub(crate) fn new(
        name: Option<&str>,
        base_url: String,
        client_key: String,
        app: Arc<App>,
    ) -> Self {
        MockSession {
            name: name.map(str::to_owned),
            base_url,
            client_key,
            app,
        }
    }

    pub(crate) fn client_key(&self) -> String {
        self.client_key.clone()
    }

    /// The session's name; `None` for the default session.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The base URL of this session, such as `http://127.0.0.1:43123/s/ci-1`
    /// (the server's own for the default session).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// A client of the `artificial-studio` crate for this session: its base
    /// URL, and the demo pro key (100 000 credits, the higher rate limits), or
    /// the first account's key when the server was started with accounts of
    /// its own (with a [`store`](MockServerBuilder::store) of your own, still
    /// the demo pro key). Needs the `client` feature.
    ///
    /// The client is the one a program builds (default timeouts, retries and
    /// wait intervals), and the server tells it when a generation will have
    /// changed (`X-Poll-After-Ms`), so at speed 0 a `run_and_wait` takes
    /// milliseconds rather than its 2 s first interval:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use artificial_studio::{ErrorKind, WaitOptions};
    /// use artificial_studio_mock::MockServer;
    /// use serde_json::json;
    ///
    /// let server = MockServer::builder().speed(0.0).start().await?;
    /// let client = server.client()?;
    /// let image = client
    ///     .run_and_wait("create-image", json!({"prompt": "a fox"}), WaitOptions::default())
    ///     .await?;
    /// assert!(image.output.is_some());
    ///
    /// // Another key: the demo account without credits.
    /// let broke = server.client_builder().api_key(server.demo_keys().empty).build()?;
    /// let refused = broke.run("create-image", json!({"prompt": "a fox"}), None).await;
    /// assert!(matches!(refused, Err(e) if e.kind() == Some(ErrorKind::PaymentRequired)));
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "client")]
    #[expect(
        clippy::result_large_err,
        reason = "the client crate's own error, which `ClientBuilder::build` returns as is"
    )]
    pub fn client(&self) -> artificial_studio::Result<artificial_studio::Client> {
        self.client_builder().build()
    }

    /// A builder of [`client`](Self::client)'s client, to change its key or
    /// any other setting before building it. Needs the `client` feature.
    #[cfg(feature = "client")]
    pub fn client_builder(&self) -> artificial_studio::ClientBuilder {
        artificial_studio::Client::builder()
            .base_url(&self.base_url)
            .api_key(&self.client_key)
    }

    /// Every account, with its key and balance.
    /// None while a shared store is out of reach.
    pub async fn accounts(&self) -> Vec<MockAccount> {
        self.app.store.accounts().await.unwrap_or_default()
    }

    /// The balance of the account of `key`.
    pub async fn credits(&self, key: &str) -> Result<u64, Error> {
        self.app
            .store
            .accounts()
            .await
            .map_err(|_| Error::StoreUnavailable)?
            .into_iter()
            .find(|a| a.key == key)
            .map(|a| a.account.credits)
            .ok_or_else(|| Error::UnknownKey(key.to_string()))
    }

    /// Sets the balance of the account of `key`.
    pub async fn set_credits(&self, key: &str, credits: u64) -> Result<MockAccount, Error> {
        let patch = AccountPatch {
            credits: Some(credits),
            plan: None,
        };
        self.app.store.update_account(key, patch).await
    }

    /// Sets the plan (and so the rate limits) of the account of `key`.
    pub async fn set_plan(&self, key: &str, plan: Plan) -> Result<MockAccount, Error> {
        let patch = AccountPatch {
            credits: None,
            plan: Some(plan),
        };
        self.app.store.update_account(key, patch).await
    }

    /// Creates an account with a new random key; returns the key.
    pub async fn create_key(&self, plan: Plan, credits: u64) -> Result<String, Error> {
        let key = format!("mock-{}", crate::ids::object_id());
        let account = AccountConfig::new(key, plan, credits);
        Ok(self.create_account(account).await?.key)
    }

    /// Creates an account; its key must be new.
    pub async fn create_account(&self, account: AccountConfig) -> Result<MockAccount, Error> {
        self.app.store.create_account(account).await
    }

    /// Makes the next generation of `tool` (or of any tool, with `*`) end in
    /// `error` with `message`; its credits are refunded.
    pub async fn fail_next_generation(&self, tool: &str, message: &str) -> Result<(), Error> {
        self.fail_generations(tool, message, 1).await
    }

    /// Makes the next `count` generations of `tool` end in `error` with `message`.
    pub async fn fail_generations(
        &self,
        tool: &str,
        message: &str,
        count: u32,
    ) -> Result<(), Error> {
        if tool != "*" && self.app.catalog.tool(tool).is_none() {
            return Err(Error::InvalidRequest(format!(
                "no tool {tool:?} in the catalog"
            )));
        }
        self.app
            .instruments
            .add_outcome(ScriptedOutcome {
                tool: tool.to_string(),
                error: message.to_string(),
                count,
            })
            .await
            .map_err(|_| Error::StoreUnavailable)
    }

    /// Scripts a fault; returns the rule with its id.
    pub async fn inject_fault(&self, rule: FaultRule) -> Result<FaultRule, Error> {
        rule.check().map_err(Error::InvalidRequest)?;
        self.app
            .instruments
            .add_fault(rule)
            .await
            .map_err(|_| Error::StoreUnavailable)
    }

    /// Removes every scripted fault.
    pub async fn clear_faults(&self) {
        let _ = self.app.instruments.clear_faults().await;
    }

    /// The requests received, oldest first (never with keys).
    pub async fn journal(&self) -> Vec<JournalEntry> {
        self.app
            .instruments
            .journal_entries()
            .await
            .unwrap_or_default()
    }

    /// Forgets the requests received.
    pub async fn clear_journal(&self) {
        let _ = self.app.instruments.clear_journal().await;
    }

    /// Every webhook delivery attempt, oldest first.
    pub async fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.app
            .instruments
            .delivery_list()
            .await
            .unwrap_or_default()
    }

    /// This session back to the starting state (accounts, balances; no generations, uploads,
    /// journal, faults or scripts; fresh rate limits).
    /// A shared store out of reach is left as it is (the instruments are
    /// reset all the same).
    pub async fn reset(&self) {
        let _ = self.app.store.reset().await;
        let _ = self.app.instruments.reset().await;
    }
}
