//! `astudio run`, and the waiting, printing and saving that `generations wait`
//! and `webhook confirm` share with it.

use std::path::Path;
use std::time::Duration;

use artificial_studio::{ToolExt, WaitOptions};
use artificial_studio_types::Generation;
use serde_json::{Map, Value};

use super::{download_path, read_input_json, upload_source};
use crate::app::App;
use crate::args::{DownloadArgs, RunArgs};
use crate::input;
use crate::progress::Progress;
use crate::render::{human_bytes, out};
use crate::report::Failure;

impl App {
    /// `astudio run`: starts a generation, waits for it, prints and saves it.
    pub(crate) async fn run(&self, args: RunArgs) -> Result<(), Failure> {
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
                self.print_json(&started)?;
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
    pub(crate) async fn wait(
        &self,
        id: &str,
        timeout: Option<Duration>,
    ) -> Result<Generation, Failure> {
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
    pub(crate) async fn finish(
        &self,
        generation: &Generation,
        download: &DownloadArgs,
    ) -> Result<(), Failure> {
        if let Some(path) = download_path(generation, download) {
            self.save(generation, &path).await?;
        }
        if self.global.json {
            self.print_json(generation)
        } else {
            out(format!(
                "{}\n",
                generation.output.as_deref().unwrap_or_default()
            ));
            Ok(())
        }
    }

    /// Saves a finished generation's output file at `path`.
    pub(crate) async fn save(&self, generation: &Generation, path: &Path) -> Result<(), Failure> {
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

    /// Uploads a file named with `@` in a run's input, returning its URL.
    async fn upload_quietly(&self, path: &Path) -> Result<String, Failure> {
        let file = self.client.upload_file(upload_source(path)?).await?;
        self.note(format!("uploaded {} → {}", path.display(), file.url));
        Ok(file.url)
    }
}
