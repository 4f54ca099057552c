//! What [`Client::upload_file`](crate::Client::upload_file) sends: a file on
//! disk, streamed (never read into memory), or bytes already in memory.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use tokio_util::io::ReaderStream;

use crate::error::{Error, Result};

/// Chunk size when streaming a file from disk.
const CHUNK: usize = 64 * 1024;

/// A file to upload with [`Client::upload_file`](crate::Client::upload_file):
/// the multipart field `file`, with a file name and a content type (guessed
/// from the name's extension unless given).
///
/// A file on disk is opened when the request is sent (again for each retry)
/// and streamed in 64 KiB chunks, so its size does not matter to memory.
///
/// ```
/// use artificial_studio::FileUpload;
///
/// let photo = FileUpload::path("holiday/photo.jpg");
/// assert_eq!(photo.file_name(), "photo.jpg");
/// assert_eq!(photo.content_type(), "image/jpeg");
///
/// let clip = FileUpload::bytes(vec![0u8; 16], "clip.bin").with_content_type("audio/wav");
/// assert_eq!(clip.content_type(), "audio/wav");
/// ```
#[derive(Debug, Clone)]
pub struct FileUpload {
    source: Source,
    file_name: String,
    content_type: String,
}

#[derive(Debug, Clone)]
enum Source {
    Path(PathBuf),
    Bytes(Bytes),
}

impl FileUpload {
    /// A file on disk, named after the path's last component.
    pub fn path(path: impl Into<PathBuf>) -> FileUpload {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_string());
        FileUpload {
            content_type: guess(&file_name),
            file_name,
            source: Source::Path(path),
        }
    }

    /// Bytes in memory, sent under `file_name`.
    pub fn bytes(data: impl Into<Bytes>, file_name: impl Into<String>) -> FileUpload {
        let file_name = file_name.into();
        FileUpload {
            content_type: guess(&file_name),
            file_name,
            source: Source::Bytes(data.into()),
        }
    }

    /// Sends the file under another name (the content type is guessed again
    /// unless set afterwards).
    #[must_use]
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> FileUpload {
        self.file_name = file_name.into();
        self.content_type = guess(&self.file_name);
        self
    }

    /// Sets the content type, such as `image/png`; the API derives the
    /// uploaded file's `type` from it.
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> FileUpload {
        self.content_type = content_type.into();
        self
    }

    /// The file name sent with the part.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type sent with the part.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The path on disk, for a file upload.
    pub fn source_path(&self) -> Option<&Path> {
        match &self.source {
            Source::Path(path) => Some(path),
            Source::Bytes(_) => None,
        }
    }

    /// A fresh multipart form for one attempt: the file is opened here.
    pub(crate) async fn form(&self) -> Result<Form> {
        let part = match &self.source {
            Source::Bytes(bytes) => Part::stream_with_length(bytes.clone(), bytes.len() as u64),
            Source::Path(path) => {
                let context = || format!("cannot read {}", path.display());
                let file = tokio::fs::File::open(path)
                    .await
                    .map_err(|e| Error::io(context(), e))?;
                let metadata = file.metadata().await.map_err(|e| Error::io(context(), e))?;
                if !metadata.is_file() {
                    return Err(Error::invalid(format!(
                        "{} is not a regular file",
                        path.display()
                    )));
                }
                let stream = ReaderStream::with_capacity(file, CHUNK);
                Part::stream_with_length(reqwest::Body::wrap_stream(stream), metadata.len())
            }
        };
        let part = part
            .file_name(self.file_name.clone())
            .mime_str(&self.content_type)
            .map_err(|_| {
                Error::invalid(format!(
                    "`{}` is not a valid content type",
                    self.content_type
                ))
            })?;
        Ok(Form::new().part("file", part))
    }
}

impl From<&Path> for FileUpload {
    fn from(path: &Path) -> FileUpload {
        FileUpload::path(path)
    }
}

impl From<PathBuf> for FileUpload {
    fn from(path: PathBuf) -> FileUpload {
        FileUpload::path(path)
    }
}

/// The content type of a file name: a 3D model's registered type first
/// (`mime_guess` knows few of them, and calls `.obj` a TGIF drawing), then
/// `mime_guess`'s, else `application/octet-stream`.
fn guess(file_name: &str) -> String {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    if let Some((_, content_type)) = ext
        .as_deref()
        .and_then(|ext| MODEL_TYPES.iter().find(|(e, _)| *e == ext))
    {
        return (*content_type).to_string();
    }
    mime_guess::from_path(file_name)
        .first_or_octet_stream()
        .essence_str()
        .to_string()
}

/// 3D model extensions with a registered content type (`.fbx` has none and
/// goes as `application/octet-stream`; the API still calls it `object`).
const MODEL_TYPES: &[(&str, &str)] = &[
    ("glb", "model/gltf-binary"),
    ("gltf", "model/gltf+json"),
    ("obj", "model/obj"),
    ("stl", "model/stl"),
    ("usdz", "model/vnd.usdz+zip"),
    ("3mf", "model/3mf"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_d_files_get_their_registered_types() {
        assert_eq!(guess("chair.glb"), "model/gltf-binary");
        assert_eq!(guess("mesh.OBJ"), "model/obj");
        assert_eq!(guess("scene.usdz"), "model/vnd.usdz+zip");
        assert_eq!(guess("rig.fbx"), "application/octet-stream");
        assert_eq!(guess("photo.jpg"), "image/jpeg");
    }
}
