//! `astudio webhooks confirm` (and, without the `listen` feature, the
//! refusal of `webhooks listen`).

use super::{download_path, parse_headers};
use crate::app::App;
use crate::args::DownloadArgs;
#[cfg(not(feature = "listen"))]
use crate::args::ListenArgs;
use crate::render::{generation_block, out};
use crate::report::Failure;

impl App {
    /// `webhooks confirm`: one received delivery, confirmed with the API.
    pub(crate) async fn confirm_webhook(
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
            return self.print_json(&generation);
        }
        out(generation_block(&generation));
        Ok(())
    }

    /// Without the `listen` feature there is no HTTP server to listen with.
    #[cfg(not(feature = "listen"))]
    pub(crate) async fn listen(
        self: std::sync::Arc<Self>,
        _args: ListenArgs,
    ) -> Result<(), Failure> {
        Err(Failure::Usage(
            "webhooks listen is not available: this astudio was built without the `listen` feature"
                .into(),
            Some("install astudio with its default features".into()),
        ))
    }
}
