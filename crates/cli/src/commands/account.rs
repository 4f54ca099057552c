//! `astudio account` and `astudio upload`.

use std::path::Path;

use artificial_studio_types::UploadedFileType;

use super::upload_source;
use crate::app::App;
use crate::render::{key_values, out};
use crate::report::Failure;

impl App {
    /// `astudio account`.
    pub(crate) async fn account(&self) -> Result<(), Failure> {
        let account = self.client.account().await?;
        if self.global.json {
            return self.print_json(&account);
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

    /// `astudio upload`.
    pub(crate) async fn upload(&self, path: &Path) -> Result<(), Failure> {
        let file = self.client.upload_file(upload_source(path)?).await?;
        if self.global.json {
            return self.print_json(&file);
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
}
