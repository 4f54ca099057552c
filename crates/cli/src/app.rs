//! The commands: each one calls the client, prints its result, and leaves
//! errors to [`crate::report`].

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use artificial_studio::{
    Client, ClientBuilder, Error, FileUpload, ListParams, NotFound, RetryPolicy, ToolExt,
    WaitOptions,
};
use artificial_studio_mock::MockServer;
use artificial_studio_types::{
    CostUnit, Generation, GenerationType, InputField, InputSchema, Tool, ToolModel,
    UploadedFileType,
};
use futures::TryStreamExt;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::args::{
    Cli, Command, DownloadArgs, GenerationsCommand, GlobalArgs, RunArgs, ToolsCommand,
    WebhookCommand,
};
use crate::input;
use crate::progress::Progress;
use crate::report::{Context, Failure};
use crate::suggest;
use crate::table::{Table, key_values};

/// A command's outcome: `Ok`, or a failure with the facts to explain it.
pub type Outcome = Result<(), (Failure, Context)>;

/// Everything a command needs: the client, how to print, and the mock it may run on.
pub struct App {
    client: Client,
    global: GlobalArgs,
    wait_interval: Duration,
    /// Kept alive for the length of the command; dropping it stops the server.
    _mock: Option<MockServer>,
}

/// Builds the client (starting the in-process mock for `--mock`) and runs the command.
pub async fn run(cli: Cli, key_from_command_line: bool) -> Outcome {
    let mut ctx = Context {
        mock: cli.global.mock,
        ..Context::default()
    };
    let app = App::new(cli.global, key_from_command_line)
        .await
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
        Command::Completions { .. } => Ok(()),
    };
    match result {
        Ok(()) => Ok(()),
        Err(failure) => {
            app.explain(&failure, &mut ctx).await;
            Err((failure, ctx))
        }
    }
}

impl App {
    async fn new(global: GlobalArgs, key_from_command_line: bool) -> Result<App, Failure> {
        let (mock, base_url, api_key) = if global.mock {
            let server = MockServer::builder()
                .speed(1.0)
                .start()
                .await
                .map_err(|e| Failure::Local(format!("could not start the mock server: {e}")))?;
            let key = if key_from_command_line {
                global.api_key.clone()
            } else {
                None
            }
            .unwrap_or_else(|| server.demo_keys().pro.to_string());
            let base = server.base_url();
            if !global.quiet && !global.json {
                eprintln!("mock server at {base} (demo key {key}; nothing leaves this machine)");
            }
            (Some(server), Some(base), Some(key))
        } else {
            (None, global.base_url.clone(), global.api_key.clone())
        };

        // From the environment first (its errors name the variable), then the flags.
        let mut builder =
            ClientBuilder::from_env().user_agent(concat!("astudio/", env!("CARGO_PKG_VERSION")));
        if let Some(key) = api_key {
            builder = builder.api_key(key);
        }
        if let Some(url) = base_url {
            builder = builder.base_url(url);
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
        let wait_interval = if mock.is_some() {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(2)
        };
        Ok(App {
            client,
            global,
            wait_interval,
            _mock: mock,
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

    fn note(&self, text: impl AsRef<str>) {
        if !self.global.quiet {
            eprintln!("{}", text.as_ref());
        }
    }

    async fn run(&self, args: RunArgs) -> Result<(), Failure> {
        let base = match &args.input_json {
            Some(source) => read_input_json(source)?,
            None => Map::new(),
        };
        // The tool's schema types KEY=VALUE words; without it they stay strings
        // and the API reports what is wrong.
        let tool = if args.inputs.is_empty() {
            None
        } else {
            self.client.tool(&args.tool).await.ok()
        };
        let schema = tool.as_ref().and_then(|t| {
            t.model(args.model.as_deref())
                .and_then(|m| t.input_schema_of(m))
        });
        let mut parsed = input::parse(&args.inputs, schema, base).map_err(|e| {
            Failure::Usage(
                e.to_string(),
                Some("inputs are KEY=VALUE, KEY:=JSON or KEY=@FILE".into()),
            )
        })?;
        if let Some(model) = &args.model {
            parsed
                .input
                .insert("model".into(), Value::String(model.clone()));
        }
        for upload in &parsed.uploads {
            let file = self.upload_quietly(&upload.path).await?;
            input::fill_uploads(&mut parsed.input, &upload.placeholder, &file);
        }

        let started = self
            .client
            .run(
                &args.tool,
                Value::Object(parsed.input),
                args.webhook.as_deref(),
            )
            .await?;
        if args.no_wait {
            if self.global.json {
                print_json(&started)?;
            } else {
                out(format!("{}\n", started.id));
                self.note(format!(
                    "started; follow it with: astudio generations wait {}",
                    started.id
                ));
            }
            return Ok(());
        }
        let generation = self.wait(&started.id, args.timeout).await?;
        self.finish(&generation, &args.download).await
    }

    /// Waits with a progress display, then returns the finished generation.
    async fn wait(&self, id: &str, timeout: Option<Duration>) -> Result<Generation, Failure> {
        let progress = std::sync::Arc::new(Progress::new(id, self.global.quiet));
        let shown = progress.clone();
        let mut options = WaitOptions::default()
            .interval(self.wait_interval)
            .on_status(move |update| shown.status(&update.generation.status, update.elapsed));
        if let Some(timeout) = timeout {
            options = options.timeout(timeout);
        }
        let result = self.client.wait(id, options).await;
        progress.finish();
        Ok(result?)
    }

    /// Prints a finished generation (its output URL, or its JSON) and saves its file.
    async fn finish(
        &self,
        generation: &Generation,
        download: &DownloadArgs,
    ) -> Result<(), Failure> {
        if let Some(path) = download_path(generation, download) {
            self.save(generation, &path).await?;
        }
        if self.global.json {
            print_json(generation)
        } else {
            out(format!(
                "{}\n",
                generation.output.as_deref().unwrap_or_default()
            ));
            Ok(())
        }
    }

    async fn save(&self, generation: &Generation, path: &Path) -> Result<(), Failure> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| Failure::Local(format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|e| Failure::Local(format!("cannot write {}: {e}", path.display())))?;
        let bytes = self.client.download(generation, &mut file).await?;
        self.note(format!("saved {} ({})", path.display(), human_bytes(bytes)));
        Ok(())
    }

    async fn generations(&self, cmd: GenerationsCommand) -> Result<(), Failure> {
        match cmd {
            GenerationsCommand::Get { id } => {
                let generation = self.client.generation(&id).await?;
                if self.global.json {
                    return print_json(&generation);
                }
                out(generation_block(&generation));
                Ok(())
            }
            GenerationsCommand::List {
                status,
                limit,
                offset,
                all,
            } => {
                let mut params = ListParams::new();
                if let Some(status) = status {
                    params = params.status(status);
                }
                if all {
                    let every: Vec<Generation> = self
                        .client
                        .generations_stream(params.limit(100))
                        .try_collect()
                        .await?;
                    if self.global.json {
                        return print_json(&every);
                    }
                    out(generations_table(&every).render(term_width()));
                    return Ok(());
                }
                let page = self
                    .client
                    .generations(&params.limit(limit).offset(offset))
                    .await?;
                if self.global.json {
                    return print_json(&page);
                }
                out(generations_table(&page.data).render(term_width()));
                let p = page.pagination.clone().unwrap_or_default();
                let first = p.offset.unwrap_or(offset);
                let last = first + page.data.len() as u64;
                if p.has_more == Some(true) {
                    let of = p.total.map(|t| format!(" of {t}")).unwrap_or_default();
                    self.note(format!(
                        "showing {}–{last}{of}; more with --offset {last} or --all",
                        first + 1,
                    ));
                } else if page.data.is_empty() {
                    self.note("no generations");
                }
                Ok(())
            }
            GenerationsCommand::Wait {
                id,
                download,
                timeout,
            } => {
                let generation = self.wait(&id, timeout).await?;
                self.finish(&generation, &download).await
            }
        }
    }

    async fn tools_list(&self, kind: Option<GenerationType>) -> Result<(), Failure> {
        let mut tools = self.client.tools().await?;
        if let Some(kind) = kind {
            tools.retain(|t| t.type_.as_ref() == Some(&kind));
        }
        if self.global.json {
            return print_json(&serde_json::json!({ "data": tools }));
        }
        let mut table = Table::new(["slug", "type", "output", "name", "description"]);
        for t in &tools {
            table.row([
                t.slug.clone(),
                shown(&t.type_),
                shown(&t.output_type),
                t.name.clone(),
                t.description.clone().unwrap_or_default(),
            ]);
        }
        out(table.render(term_width()));
        Ok(())
    }

    async fn tools_show(&self, slug: &str) -> Result<(), Failure> {
        let tool = self.client.tool(slug).await?;
        if self.global.json {
            return print_json(&tool);
        }
        out(tool_details(&tool, term_width()));
        Ok(())
    }

    async fn search(&self, query: &str) -> Result<(), Failure> {
        let tools = self.client.search(query).await?;
        if self.global.json {
            return print_json(&serde_json::json!({ "data": tools }));
        }
        if tools.is_empty() {
            self.note(format!(
                "no tool matches {query:?}; see every tool with: astudio tools list"
            ));
            return Ok(());
        }
        let mut table = Table::new(["slug", "type", "models", "description"]);
        for t in &tools {
            let models: Vec<&str> = t.models.iter().map(|m| m.slug.as_str()).collect();
            table.row([
                t.slug.clone(),
                shown(&t.type_),
                models.join(", "),
                t.description.clone().unwrap_or_default(),
            ]);
        }
        out(table.render(term_width()));
        Ok(())
    }

    async fn account(&self) -> Result<(), Failure> {
        let account = self.client.account().await?;
        if self.global.json {
            return print_json(&account);
        }
        out(key_values(&[
            ("email", account.email.clone()),
            ("plan", account.plan.to_string()),
            ("credits", account.credits.to_string()),
            ("id", account.id.clone()),
            ("created", account.created_at.to_rfc3339()),
        ]));
        Ok(())
    }

    async fn upload(&self, path: &Path) -> Result<(), Failure> {
        let file = self.client.upload_file(upload_source(path)?).await?;
        if self.global.json {
            return print_json(&file);
        }
        out(format!("{}\n", file.url));
        let field = match &file.type_ {
            Some(UploadedFileType::Image) => "image_urls or image_url",
            Some(UploadedFileType::Video) => "video_url",
            Some(UploadedFileType::Audio) => "audio_url",
            Some(UploadedFileType::Object) => "the tool's 3D model input (see astudio tools show)",
            _ => "the tool's media field (see astudio tools show)",
        };
        let kind = file
            .type_
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| file.mimetype.clone())
            .unwrap_or_else(|| "a file".to_string());
        self.note(format!(
            "uploaded {} as {kind}; use it as {field}",
            path.display(),
        ));
        Ok(())
    }

    /// `webhook confirm`: one received delivery, confirmed with the API.
    async fn confirm_webhook(
        &self,
        body: &str,
        headers: &[String],
        download: &DownloadArgs,
    ) -> Result<(), Failure> {
        let headers = parse_headers(headers)?;
        let body = if body == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .map_err(|e| Failure::Local(format!("cannot read the body from stdin: {e}")))?;
            bytes
        } else {
            std::fs::read(body).map_err(|e| {
                Failure::Usage(format!("cannot read the webhook body {body}: {e}"), None)
            })?
        };
        let generation = self.client.confirm_webhook(&headers, &body).await?;
        if let Some(path) = download_path(&generation, download) {
            self.save(&generation, &path).await?;
        }
        if self.global.json {
            return print_json(&generation);
        }
        out(generation_block(&generation));
        Ok(())
    }

    /// Uploads a file named with `@` in a run's input, returning its URL.
    async fn upload_quietly(&self, path: &Path) -> Result<String, Failure> {
        let file = self.client.upload_file(upload_source(path)?).await?;
        self.note(format!("uploaded {} → {}", path.display(), file.url));
        Ok(file.url)
    }
}

fn upload_source(path: &Path) -> Result<FileUpload, Failure> {
    if !path.is_file() {
        return Err(Failure::Usage(
            format!("cannot upload {}: no such file", path.display()),
            None,
        ));
    }
    Ok(FileUpload::path(path))
}

/// `-H 'Name: value'` words as headers.
fn parse_headers(words: &[String]) -> Result<reqwest::header::HeaderMap, Failure> {
    use reqwest::header::{HeaderName, HeaderValue};
    let bad = |word: &str, why: &str| {
        Failure::Usage(
            format!("-H {word:?}: {why}"),
            Some("give each header as -H 'Name: value'".into()),
        )
    };
    let mut headers = reqwest::header::HeaderMap::new();
    for word in words {
        let Some((name, value)) = word.split_once(':') else {
            return Err(bad(word, "no `:` between the name and the value"));
        };
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| bad(word, "not a header name"))?;
        let value =
            HeaderValue::from_str(value.trim()).map_err(|_| bad(word, "not a header value"))?;
        headers.append(name, value);
    }
    Ok(headers)
}

fn read_input_json(source: &str) -> Result<Map<String, Value>, Failure> {
    let text = if source == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| Failure::Local(format!("cannot read the input from stdin: {e}")))?
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| Failure::Usage(format!("cannot read --input-json {source}: {e}"), None))?
    };
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::Usage(
            format!("--input-json {source}: expected a JSON object"),
            None,
        )),
        Err(e) => Err(Failure::Usage(
            format!("--input-json {source} is not JSON: {e}"),
            None,
        )),
    }
}

fn download_path(generation: &Generation, download: &DownloadArgs) -> Option<PathBuf> {
    if let Some(path) = &download.download {
        return Some(path.clone());
    }
    let dir = download.download_dir.as_ref()?;
    let ext = generation
        .output
        .as_deref()
        .and_then(|url| url.rsplit('/').next())
        .and_then(|name| name.split('?').next())
        .and_then(|name| name.rsplit_once('.').map(|(_, ext)| ext.to_string()))
        .unwrap_or_else(|| "bin".into());
    Some(dir.join(format!("{}.{ext}", generation.id)))
}

fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Local(format!("cannot print JSON: {e}")))?;
    out(format!("{text}\n"));
    Ok(())
}

/// Writes to stdout. A reader that went away (`astudio ... | head`) leaves
/// nothing to report to, so a failed write is ignored rather than a panic
/// (which `print!` would raise).
pub(crate) fn out(text: impl AsRef<[u8]>) {
    let _ = std::io::stdout().lock().write_all(text.as_ref());
}

/// The terminal's width when stdout is a terminal; `None` for pipes and files.
fn term_width() -> Option<u16> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    Some(
        terminal_size::terminal_size()
            .map(|(w, _)| w.0)
            .unwrap_or(100),
    )
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

fn generations_table(generations: &[Generation]) -> Table {
    let mut table = Table::new(["id", "status", "tool", "type", "created", "output"]);
    for g in generations {
        table.row([
            g.id.clone(),
            g.status.to_string(),
            g.tool.clone(),
            shown(&g.type_),
            g.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            g.output
                .clone()
                .or_else(|| g.error.clone())
                .unwrap_or_default(),
        ]);
    }
    table
}

/// A generation as a key/value block.
pub fn generation_block(g: &Generation) -> String {
    let mut pairs = vec![
        ("id", g.id.clone()),
        ("status", g.status.to_string()),
        ("tool", g.tool.clone()),
        ("type", shown(&g.type_)),
        ("created", g.created_at.to_rfc3339()),
    ];
    if let Some(output) = &g.output {
        pairs.push(("output", output.clone()));
    }
    if let Some(thumbnail) = &g.thumbnail {
        pairs.push(("thumbnail", thumbnail.clone()));
    }
    if let Some(error) = &g.error {
        pairs.push(("error", error.clone()));
    }
    if !g.payload.is_empty() {
        pairs.push(("input", Value::Object(g.payload.clone()).to_string()));
    }
    key_values(&pairs)
}

/// A value the service may leave out, as a table cell: its text, or `-`.
fn shown(value: &Option<impl std::fmt::Display>) -> String {
    value
        .as_ref()
        .map_or_else(|| "-".to_string(), ToString::to_string)
}

/// A model's price as a person reads it: `6 credits/generation`,
/// `30 credits/second`, with the prices by resolution where they vary.
pub fn price(model: &ToolModel) -> String {
    let unit = model.cost_unit.clone().unwrap_or(CostUnit::DEFAULT);
    let Some(cost) = model.cost else {
        return "price not published".to_string();
    };
    let credits = if cost == 1.0 { "credit" } else { "credits" };
    let mut text = format!("{} {credits}/{unit}", number(cost));
    if !model.cost_by_resolution.is_empty() {
        let by: Vec<String> = model
            .cost_by_resolution
            .iter()
            .map(|(resolution, cost)| format!("{} at {resolution}", number(*cost)))
            .collect();
        text.push_str(&format!(" ({})", by.join(", ")));
    }
    text
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A tool's description, then for each model its price and input fields.
pub fn tool_details(tool: &Tool, width: Option<u16>) -> String {
    let mut pairs = vec![("tool", tool.slug.clone()), ("name", tool.name.clone())];
    if tool.type_.is_some() || tool.output_type.is_some() {
        pairs.push((
            "type",
            format!("{} → {}", shown(&tool.type_), shown(&tool.output_type)),
        ));
    }
    if let Some(about) = tool.description.as_ref().filter(|d| !d.trim().is_empty()) {
        pairs.push(("about", about.clone()));
    }
    let mut out = key_values(&pairs);
    for (i, model) in tool.models.iter().enumerate() {
        let default = if i == 0 { ", the default" } else { "" };
        out.push_str(&format!(
            "\nmodel {} ({}): {}{default}\n",
            model.slug,
            model.name,
            price(model)
        ));
        let Some(schema) = tool.input_schema_of(model) else {
            out.push_str("  (no input schema published)\n");
            continue;
        };
        out.push_str(&fields_table(schema).render(width.or(Some(120))));
    }
    if tool.models.is_empty()
        && let Some(schema) = &tool.input_schema
    {
        out.push_str("\ninput\n");
        out.push_str(&fields_table(schema).render(width.or(Some(120))));
    }
    out
}

fn fields_table(schema: &InputSchema) -> Table {
    let mut table = Table::new([
        "field",
        "type",
        "required",
        "default",
        "allowed",
        "description",
    ]);
    for (name, field) in &schema.properties {
        table.row([
            name.clone(),
            field_type(name, field),
            if schema.is_required(name) {
                "yes".into()
            } else {
                String::new()
            },
            field.default.as_ref().map(compact).unwrap_or_default(),
            allowed(field),
            field
                .description
                .clone()
                .or_else(|| field.label.clone())
                .unwrap_or_default(),
        ]);
    }
    table
}

/// The field's type, its items' type for a list, and for a media field what
/// it takes and that `KEY=@FILE` uploads it: `array<string>, image upload`.
fn field_type(name: &str, field: &InputField) -> String {
    let mut text = match (&field.type_, &field.items) {
        (Some(kind), Some(items)) => format!("{kind}<{}>", shown(&items.type_)),
        (Some(kind), None) => kind.to_string(),
        (None, _) => "any".to_string(),
    };
    if field.is_media(name) {
        let media = field.file_type.as_deref().unwrap_or("file");
        text.push_str(&format!(", {media} upload"));
    }
    text
}

/// The allowed values (with their labels where the schema gives them), or
/// the field's limits.
fn allowed(field: &InputField) -> String {
    let values = field.allowed_values();
    if !values.is_empty() {
        return values
            .iter()
            .map(|value| match field.label_of(value) {
                Some(label) if label != compact(value) => format!("{} ({label})", compact(value)),
                _ => compact(value),
            })
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let mut limits = Vec::new();
    if let Some(max) = field.max_length {
        limits.push(format!("≤ {max} chars"));
    }
    match (field.lower_bound(), field.upper_bound()) {
        (Some(lo), Some(hi)) => limits.push(format!("{lo} to {hi}")),
        (Some(lo), None) => limits.push(format!("≥ {lo}")),
        (None, Some(hi)) => limits.push(format!("≤ {hi}")),
        (None, None) => {}
    }
    if let Some(max) = field.max_items {
        limits.push(format!("≤ {max} items"));
    }
    limits.join(", ")
}

fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
