//! The application: builds the client (and the `--mock` server), dispatches a
//! command to its module in [`crate::commands`], and gathers the facts that
//! make a failure's report useful. Printing lives in [`crate::render`].

use std::sync::Arc;
use std::time::Duration;

use artificial_studio::{
    BASE_URL_ENV, Client, ClientBuilder, Error, NotFound, RetryPolicy, ToolExt, WebhookPolicy,
};

use crate::args::{Cli, Command, GlobalArgs, ToolsCommand, WebhookCommand};
use crate::auth::{self, KeySource};
use crate::jq::Jq;
use crate::mock;
use crate::render::price;
use crate::report::{Context, Failure};
use crate::suggest;

/// A command's outcome: `Ok`, or a failure with the facts to explain it.
pub type Outcome = Result<(), (Failure, Context)>;

/// Everything a command needs: the client, how to print, and the mock it may run on.
pub struct App {
    pub(crate) client: Client,
    pub(crate) global: GlobalArgs,
    pub(crate) wait_interval: Duration,
    /// The `--jq` filter over every JSON result.
    pub(crate) jq: Option<Jq>,
    /// Kept alive for the length of the command; dropping it stops the server.
    _mock: Option<mock::Running>,
}

/// Builds the client (starting the in-process mock for `--mock`) and runs the command.
pub async fn run(cli: Cli, key_from_command_line: bool, jq: Option<Jq>) -> Outcome {
    let mut ctx = Context {
        mock: cli.global.mock,
        ..Context::default()
    };
    if let Command::Auth(cmd) = cli.command {
        return crate::commands::auth(cmd, &cli.global, key_from_command_line, jq.as_ref())
            .await
            .map_err(|f| (f, ctx));
    }
    if let Command::Mock(cmd) = cli.command {
        return crate::commands::mock(cmd, &cli.global)
            .await
            .map_err(|f| (f, ctx));
    }
    if let Command::Doctor = cli.command {
        return doctor(&cli.global, key_from_command_line)
            .await
            .map_err(|f| (f, ctx));
    }
    let app = App::new(cli.global, key_from_command_line, jq)
        .await
        .map(Arc::new)
        .map_err(|f| (f, ctx.clone()))?;
    let result = match cli.command {
        Command::Run(args) => {
            ctx.tool = Some(args.tool.clone());
            ctx.model = args.model.clone();
            app.run(args).await
        }
        Command::Generations(cmd) => app.generations(cmd).await,
        Command::Tools(ToolsCommand::List { kind }) => app.tools_list(kind.map(Into::into)).await,
        Command::Tools(ToolsCommand::Show { slug }) => {
            ctx.tool = Some(slug.clone());
            app.tools_show(&slug).await
        }
        Command::Search { query } => app.search(&query.join(" ")).await,
        Command::Account => app.account().await,
        Command::Upload { file } => app.upload(&file).await,
        Command::Webhook(WebhookCommand::Confirm {
            body,
            headers,
            download,
        }) => app.confirm_webhook(&body, &headers, &download).await,
        Command::Webhook(WebhookCommand::Listen(args)) => app.clone().listen(args).await,
        Command::Api(args) => app.api(args).await,
        Command::Batch(args) => app.batch(args).await,
        Command::Logs {
            follow,
            admin_token,
        } => app.logs(follow, admin_token.as_deref()).await,
        Command::Completions { .. } | Command::Auth(_) | Command::Mock(_) | Command::Doctor => {
            Ok(())
        }
    };
    match result {
        Ok(()) => Ok(()),
        Err(failure) => {
            app.explain(&failure, &mut ctx).await;
            Err((failure, ctx))
        }
    }
}

/// `astudio doctor`, on the login of the flags, environment and profile, or
/// on the in-process mock with `--mock`.
async fn doctor(global: &GlobalArgs, key_from_command_line: bool) -> Result<(), Failure> {
    if !global.mock {
        return crate::commands::doctor(auth::resolve(global, key_from_command_line)?).await;
    }
    let started = mock::start(global, key_from_command_line).await?;
    // Kept alive while the checks run.
    let _server = started.server;
    let login = auth::Login {
        api_key: Some(started.api_key),
        base_url: Some(started.base_url),
        source: KeySource::Mock,
        profile: auth::profile_name(global.profile.as_deref()),
    };
    crate::commands::doctor(login).await
}

impl App {
    async fn new(
        global: GlobalArgs,
        key_from_command_line: bool,
        jq: Option<Jq>,
    ) -> Result<App, Failure> {
        let (server, base_url, api_key) = if global.mock {
            let started = mock::start(&global, key_from_command_line).await?;
            (
                Some(started.server),
                Some(started.base_url),
                Some(started.api_key),
            )
        } else {
            let login = auth::resolve(&global, key_from_command_line)?;
            if global.verbose && matches!(login.source, KeySource::Profile(..)) {
                eprintln!("key from {}", login.source);
            }
            (None, login.base_url, login.api_key)
        };

        // From the environment first (its errors name the variable), then the flags.
        let mut builder =
            ClientBuilder::from_env().user_agent(concat!("astudio/", env!("CARGO_PKG_VERSION")));
        if let Some(key) = api_key {
            builder = builder.api_key(key);
        }
        let on_loopback = base_url
            .clone()
            .or_else(|| std::env::var(BASE_URL_ENV).ok())
            .is_some_and(|url| is_loopback(&url));
        if on_loopback {
            // A local sandbox: let a run name a receiver on this machine
            // (`webhooks listen`); the server still judges it by its rule.
            builder = builder.webhook_policy(WebhookPolicy::AllowPrivate);
        }
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        if let Some(name) = global.mock_session.as_deref() {
            builder = builder.mock_session(name);
        }
        if let Some(n) = global.max_retries {
            builder = builder.retry_policy(RetryPolicy::default().with_max_retries(n));
        }
        if global.verbose {
            builder = builder.observer(|event| eprintln!("{event}"));
        }
        let client = builder.build()?;
        if global.verbose {
            eprintln!("base URL: {}", client.base_url());
        }
        let wait_interval = if server.is_some() {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(2)
        };
        Ok(App {
            client,
            global,
            wait_interval,
            jq,
            _mock: server,
        })
    }

    /// Gathers the facts that make a failure's report useful.
    async fn explain(&self, failure: &Failure, ctx: &mut Context) {
        let Failure::Client(err) = failure else {
            return;
        };
        let Error::Api { status, .. } = err.as_ref() else {
            return;
        };
        if *status == 402 {
            ctx.balance = self.client.account().await.ok().map(|a| a.credits);
            if let Some(tool) = &ctx.tool
                && let Ok(tool) = self.client.tool(tool).await
            {
                // The price with its unit: a per-second model's run costs
                // this times the seconds of output it asks for.
                ctx.cost = tool
                    .model(ctx.model.as_deref())
                    .filter(|m| m.cost.is_some())
                    .map(price);
            }
        }
        if err.not_found() == Some(NotFound::Tool)
            && let Some(tool) = &ctx.tool
            && let Ok(tools) = self.client.tools().await
        {
            ctx.suggestions = suggest::closest(tool, tools.iter().map(|t| t.slug.as_str()), 3)
                .into_iter()
                .map(String::from)
                .collect();
        }
    }

    /// Prints a JSON result on stdout, through `--jq` when given.
    pub(crate) fn print_json<T: serde::Serialize>(&self, value: &T) -> Result<(), Failure> {
        crate::render::print_json(value, self.jq.as_ref())
    }

    /// Prints a note for people on stderr, unless `--quiet`.
    pub(crate) fn note(&self, text: impl AsRef<str>) {
        if !self.global.quiet {
            eprintln!("{}", text.as_ref());
        }
    }
}

/// Whether a base URL is on this machine (`localhost`, `127.0.0.0/8`, `::1`):
/// never the real service, so a local sandbox.
fn is_loopback(base_url: &str) -> bool {
    match url::Url::parse(base_url.trim())
        .ok()
        .and_then(|u| u.host().map(|h| h.to_owned()))
    {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_a_base_url_on_this_machine_counts_as_loopback() {
        assert!(is_loopback("http://127.0.0.1:8080"));
        assert!(is_loopback("http://127.1.2.3"));
        assert!(is_loopback("http://[::1]:9/"));
        assert!(is_loopback("http://localhost:8080/"));
        assert!(!is_loopback("https://api.artificialstudio.ai"));
        assert!(!is_loopback("http://10.0.0.5:8080"));
        assert!(!is_loopback("http://localhost.example.com"));
        assert!(!is_loopback("not a url"));
    }
}
