//! Files: `POST /files` uploads, and the unauthenticated downloads the mock hands out
//! as URLs (uploads, generation outputs and thumbnails), plus `GET /openapi.yaml`.

use std::sync::Arc;

use artificial_studio_types::{
    ErrorKind, GenerationStatus, OPENAPI_YAML, UploadedFile, UploadedFileType, ValidationIssue,
    messages,
};
use axum::{
    body::Body,
    extract::{FromRequest, Multipart, Request, State},
    http::{HeaderValue, StatusCode, header},
    response::Response,
};
use bytes::Bytes;

use super::{
    body,
    errors::{ApiError, json},
    middleware::Authenticated,
    param::Param,
};
use crate::{app::App, ids, media, store::StoredUpload};

type Answer = Result<Response, ApiError>;

/// `POST /files`: stores the multipart part `file` and answers 201 with its URL.
pub async fn upload(
    State(app): State<Arc<App>>,
    Authenticated(caller): Authenticated,
    request: Request,
) -> Answer {
    if !body::is_multipart(request.headers()) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            messages::MULTIPART_REQUIRED,
        ));
    }
    if body::content_length(request.headers()).is_some_and(|n| n > app.max_upload_bytes as u64) {
        return Err(ApiError::too_large());
    }
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, messages::MULTIPART_REQUIRED))?;
    let read = tokio::time::timeout(
        app.body_timeout,
        read_parts(&mut multipart, app.max_upload_bytes),
    );
    let parts = match read.await {
        Err(_) => {
            return Err(ApiError::kind(ErrorKind::RequestTimeout));
        }
        Ok(parts) => parts?,
    };
    let mut issues: Vec<ValidationIssue> = parts
        .unknown
        .iter()
        .map(|name| ValidationIssue::unrecognized_key(name.as_str(), name))
        .collect();
    let Some(file) = parts.file else {
        issues.insert(0, ValidationIssue::required("file"));
        return Err(ApiError::validation(issues));
    };
    if !issues.is_empty() {
        return Err(ApiError::validation(issues));
    }
    let id = ids::object_id();
    let filename = safe_filename(file.filename.as_deref(), &file.content_type);
    let uploaded = UploadedFile {
        id: id.clone(),
        url: format!("{}/files/{id}/{filename}", app.public_url),
        type_: Some(file_type(&file.content_type)),
        created_at: Some(ids::now()),
        mimetype: None,
        size: None,
        original_name: None,
    };
    app.store
        .put_upload(StoredUpload {
            file: uploaded.clone(),
            owner: caller.account_id.clone(),
            content_type: file.content_type,
            filename,
            bytes: file.bytes,
        })
        .await;
    Ok(json(StatusCode::CREATED, &uploaded))
}

struct Part {
    filename: Option<String>,
    content_type: String,
    bytes: Bytes,
}

#[derive(Default)]
struct Parts {
    file: Option<Part>,
    unknown: Vec<String>,
}

async fn read_parts(multipart: &mut Multipart, limit: usize) -> Result<Parts, ApiError> {
    let mut parts = Parts::default();
    let mut total = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(parts),
            Err(e) => return Err(multipart_error(e.status())),
        };
        let name = field.name().unwrap_or("").to_string();
        let filename = field.file_name().map(str::to_string);
        let declared = field.content_type().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_error(e.status()))?;
        total += bytes.len();
        if total > limit {
            return Err(ApiError::too_large());
        }
        if name == "file" && parts.file.is_none() {
            let content_type = declared
                .filter(|t| !t.is_empty() && t != "application/octet-stream")
                .or_else(|| {
                    filename.as_deref().and_then(|f| {
                        mime_guess::from_path(f)
                            .first()
                            .map(|m| m.essence_str().to_string())
                    })
                })
                .unwrap_or_else(|| "application/octet-stream".to_string());
            parts.file = Some(Part {
                filename,
                content_type,
                bytes,
            });
        } else if !parts.unknown.contains(&name) {
            parts.unknown.push(name);
        }
    }
}

fn multipart_error(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large()
    } else {
        ApiError::new(StatusCode::BAD_REQUEST, messages::MULTIPART_REQUIRED)
    }
}

/// The upload's kind, from its content type.
fn file_type(content_type: &str) -> UploadedFileType {
    let top = content_type.split('/').next().unwrap_or("");
    match top.to_ascii_lowercase().as_str() {
        "image" => UploadedFileType::Image,
        "video" => UploadedFileType::Video,
        "audio" => UploadedFileType::Audio,
        _ => UploadedFileType::File,
    }
}

/// A file name safe in a URL path: letters, digits, `.`, `-` and `_` only.
fn safe_filename(given: Option<&str>, content_type: &str) -> String {
    let base = given
        .and_then(|name| name.rsplit(['/', '\\']).next())
        .unwrap_or("")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect::<String>();
    let base = base.trim_start_matches('.');
    if base.is_empty() {
        let ext = mime_guess::get_mime_extensions_str(content_type)
            .and_then(|exts| exts.first())
            .copied()
            .unwrap_or("bin");
        format!("upload.{ext}")
    } else {
        base.to_string()
    }
}

/// `GET /files/{id}/{name}`: an upload's bytes.
pub async fn download_upload(
    State(app): State<Arc<App>>,
    Param((id, name)): Param<(String, String)>,
) -> Answer {
    let upload = app
        .store
        .upload(&id)
        .await
        .filter(|u| u.filename == name)
        .ok_or_else(|| ApiError::not_found(messages::NOT_FOUND))?;
    Ok(file_response(upload.bytes, &upload.content_type))
}

/// `GET /outputs/{id}.{ext}`: the output of a successful generation, made from
/// its input on the first download (see [`media`]).
pub async fn download_output(State(app): State<Arc<App>>, Param(file): Param<String>) -> Answer {
    let (id, ext) = file
        .split_once('.')
        .ok_or_else(|| ApiError::not_found(messages::NOT_FOUND))?;
    let generation = finished(&app, id).await?;
    let Some(kind) = generation.type_.as_ref() else {
        return Err(ApiError::not_found(messages::NOT_FOUND));
    };
    if media::extension(kind) != ext {
        return Err(ApiError::not_found(messages::NOT_FOUND));
    }
    let source = media::Source::from(generation);
    made(move || media::output(&source)).await
}

/// `GET /thumbnails/{id}.png`: the thumbnail of a successful generation.
pub async fn download_thumbnail(State(app): State<Arc<App>>, Param(file): Param<String>) -> Answer {
    let id = file
        .strip_suffix(".png")
        .ok_or_else(|| ApiError::not_found(messages::NOT_FOUND))?;
    let generation = finished(&app, id).await?;
    if !generation.type_.as_ref().is_some_and(media::has_thumbnail) {
        return Err(ApiError::not_found(messages::NOT_FOUND));
    }
    let source = media::Source::from(generation);
    made(move || media::thumbnail(&source)).await
}

/// A file made from a generation's input, on a blocking thread: making one
/// (an image is most of a million pixels) must not hold up the requests that
/// share this worker. Made files are cached, so this is mostly a lookup.
async fn made(make: impl FnOnce() -> media::Media + Send + 'static) -> Answer {
    let media = tokio::task::spawn_blocking(make)
        .await
        .map_err(|_| ApiError::internal())?;
    Ok(file_response(media.bytes, media.content_type))
}

async fn finished(app: &App, id: &str) -> Result<artificial_studio_types::Generation, ApiError> {
    app.store
        .generation(id)
        .await
        .map(|owned| owned.generation)
        .filter(|g| g.status == GenerationStatus::Success)
        .ok_or_else(|| ApiError::not_found(messages::NOT_FOUND))
}

fn file_response(bytes: Bytes, content_type: &str) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let value = HeaderValue::from_str(content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    response.headers_mut().insert(header::CONTENT_TYPE, value);
    response
}

/// `GET /openapi.yaml`: the contract this server implements.
pub async fn openapi() -> Response {
    file_response(
        Bytes::from_static(OPENAPI_YAML.as_bytes()),
        "application/yaml",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_names_are_made_safe_for_urls() {
        assert_eq!(
            safe_filename(Some("../../etc/pass wd.png"), "image/png"),
            "pass_wd.png"
        );
        assert_eq!(safe_filename(Some(""), "image/png"), "upload.png");
        assert_eq!(safe_filename(None, "audio/wav"), "upload.wav");
        assert_eq!(file_type("image/jpeg"), UploadedFileType::Image);
        assert_eq!(file_type("Audio/wav"), UploadedFileType::Audio);
        assert_eq!(file_type("application/pdf"), UploadedFileType::File);
    }
}
