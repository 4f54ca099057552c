//! Files: the two upload forms (multipart `POST /files`, raw `POST /api/files`),
//! and the unauthenticated downloads the mock hands out as URLs (uploads,
//! generation outputs and thumbnails), plus `GET /openapi.yaml`.

use std::sync::Arc;

use artificial_studio_types::{
    ErrorKind, GenerationStatus, OPENAPI_YAML, UploadedFile, UploadedFileType, ValidationIssue,
    messages,
};
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, FromRequest, Multipart, Request},
    http::{HeaderValue, StatusCode, header},
    response::Response,
};
use bytes::Bytes;
use serde_json::Value;
use tower::{Layer, ServiceExt};

use super::{
    body,
    errors::{ApiError, json},
};
use crate::{
    app::App,
    ids, media,
    store::{Caller, StoredUpload},
};

type Answer = Result<Response, ApiError>;

/// `POST /files`: stores the multipart part `file` and answers 201 with its URL.
pub(crate) async fn upload(app: Arc<App>, caller: Caller, request: Request) -> Answer {
    if !body::is_multipart(request.headers()) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            messages::MULTIPART_REQUIRED,
        ));
    }
    if body::content_length(request.headers()).is_some_and(|n| n > app.max_upload_bytes as u64) {
        return Err(ApiError::too_large());
    }
    let request = with_body_limit(request, app.max_upload_bytes).await;
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
        type_: Some(file_type(&file.content_type, file.filename.as_deref())),
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
            transient: false,
        })
        .await?;
    Ok(json(StatusCode::CREATED, &uploaded))
}

/// The header naming a raw upload's file.
const FILENAME_HEADER: &str = "x-filename";

/// `POST /api/files?transient=true|false`: stores the raw body as a file (the
/// form the provider's n8n node uses) and answers 201 with
/// `{id, url, mimetype, size, originalName}`. The body's `Content-Type` is the
/// file's (guessed from `X-Filename` when missing or
/// `application/octet-stream`); `X-Filename` names it. Same key, rate-limit
/// bucket, size limit and errors as `POST /files`; an empty body is the
/// contract's `file: Required`, a `transient` other than `true` or `false` an
/// `invalid_enum_value` issue (both listed in one `400` when both are wrong).
pub(crate) async fn upload_raw(app: Arc<App>, caller: Caller, request: Request) -> Answer {
    let (head, body) = request.into_parts();
    let query = head.uri.query();
    let bytes =
        body::read_limited(&head.headers, body, app.max_upload_bytes, app.body_timeout).await?;
    let (transient, mut issues) = match transient(query) {
        Ok(transient) => (transient, Vec::new()),
        Err(issues) => (false, issues),
    };
    if bytes.is_empty() {
        issues.insert(0, ValidationIssue::required("file"));
    }
    if !issues.is_empty() {
        return Err(ApiError::validation(issues));
    }
    let given = head
        .headers
        .get(FILENAME_HEADER)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .filter(|name| !name.is_empty());
    let declared = head
        .headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string());
    let content_type = content_type_of(declared, given.as_deref());
    let filename = safe_filename(given.as_deref(), &content_type);
    let id = ids::object_id();
    let uploaded = UploadedFile {
        id: id.clone(),
        url: format!("{}/files/{id}/{filename}", app.public_url),
        type_: None,
        created_at: None,
        mimetype: Some(content_type.clone()),
        size: Some(bytes.len() as u64),
        original_name: Some(given.unwrap_or_else(|| filename.clone())),
    };
    app.store
        .put_upload(StoredUpload {
            file: uploaded.clone(),
            owner: caller.account_id.clone(),
            content_type,
            filename,
            bytes,
            transient,
        })
        .await?;
    Ok(json(StatusCode::CREATED, &uploaded))
}

/// `request` as axum's `DefaultBodyLimit::max(limit)` layer hands it on, so
/// that [`Multipart`] reads up to `limit` bytes rather than axum's default.
async fn with_body_limit(request: Request, limit: usize) -> Request {
    let pass = tower::service_fn(|request: Request| {
        std::future::ready(Ok::<_, std::convert::Infallible>(request))
    });
    match DefaultBodyLimit::max(limit)
        .layer(pass)
        .oneshot(request)
        .await
    {
        Ok(request) => request,
        Err(never) => match never {},
    }
}

/// The `transient` query parameter: `true` or `false` (default `false`).
fn transient(query: Option<&str>) -> Result<bool, Vec<ValidationIssue>> {
    let mut transient = false;
    let mut issues = Vec::new();
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if name != "transient" {
            continue;
        }
        match value.as_ref() {
            "true" => transient = true,
            "false" => transient = false,
            other => issues.push(ValidationIssue::invalid_enum(
                "transient",
                &[Value::from("true"), Value::from("false")],
                &Value::from(other),
            )),
        }
    }
    if issues.is_empty() {
        Ok(transient)
    } else {
        Err(issues)
    }
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
            let content_type = content_type_of(declared, filename.as_deref());
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

/// The content type an upload is stored and served with: the declared one,
/// unless it is missing, empty or `application/octet-stream`; then the one
/// its file name's extension suggests (3D formats first); else
/// `application/octet-stream`.
fn content_type_of(declared: Option<String>, filename: Option<&str>) -> String {
    declared
        .filter(|t| {
            let essence = t.split(';').next().unwrap_or("").trim();
            !essence.is_empty() && !essence.eq_ignore_ascii_case("application/octet-stream")
        })
        .or_else(|| {
            let name = filename?;
            model_content_type(name).map(str::to_string).or_else(|| {
                mime_guess::from_path(name)
                    .first()
                    .map(|m| m.essence_str().to_string())
            })
        })
        .unwrap_or_else(|| "application/octet-stream".to_string())
}

/// 3D model formats by extension, with their registered content types where
/// there is one (`mime_guess` has none for most, and calls `.obj` a TGIF
/// drawing). FBX has no registered type: it stays `application/octet-stream`.
const MODEL_EXTENSIONS: &[(&str, Option<&str>)] = &[
    ("glb", Some("model/gltf-binary")),
    ("gltf", Some("model/gltf+json")),
    ("obj", Some("model/obj")),
    ("stl", Some("model/stl")),
    ("usdz", Some("model/vnd.usdz+zip")),
    ("3mf", Some("model/3mf")),
    ("dae", Some("model/vnd.collada+xml")),
    ("ply", None),
    ("fbx", None),
];

/// The extension of a file name, lowercased.
fn extension(filename: &str) -> Option<String> {
    let (_, ext) = filename.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Whether a file name has a 3D model's extension.
fn is_model_name(filename: &str) -> bool {
    extension(filename).is_some_and(|ext| MODEL_EXTENSIONS.iter().any(|(e, _)| *e == ext))
}

/// The content type of a 3D model's file name, when it has a registered one.
fn model_content_type(filename: &str) -> Option<&'static str> {
    let ext = extension(filename)?;
    MODEL_EXTENSIONS
        .iter()
        .find(|(e, _)| *e == ext)
        .and_then(|(_, t)| *t)
}

/// The upload's kind, from its content type, or for a 3D model (`model/*`, or
/// a 3D file name sent as some other type) `object`.
fn file_type(content_type: &str, filename: Option<&str>) -> UploadedFileType {
    let top = content_type.split('/').next().unwrap_or("");
    match top.trim().to_ascii_lowercase().as_str() {
        "image" => UploadedFileType::Image,
        "video" => UploadedFileType::Video,
        "audio" => UploadedFileType::Audio,
        "model" => UploadedFileType::Object,
        _ if filename.is_some_and(is_model_name) => UploadedFileType::Object,
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
pub(crate) async fn download_upload(app: &App, id: &str, name: &str) -> Answer {
    let upload = app
        .store
        .upload(id)
        .await?
        .filter(|u| u.filename == name)
        .ok_or_else(|| ApiError::not_found(messages::NOT_FOUND))?;
    Ok(file_response(upload.bytes, &upload.content_type))
}

/// `GET /outputs/{id}.{ext}`: the output of a successful generation, made from
/// its input on the first download (see [`media`]).
pub(crate) async fn download_output(app: &App, file: &str) -> Answer {
    let (id, ext) = file
        .split_once('.')
        .ok_or_else(|| ApiError::not_found(messages::NOT_FOUND))?;
    let generation = finished(app, id).await?;
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
pub(crate) async fn download_thumbnail(app: &App, file: &str) -> Answer {
    let id = file
        .strip_suffix(".png")
        .ok_or_else(|| ApiError::not_found(messages::NOT_FOUND))?;
    let generation = finished(app, id).await?;
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
        .await?
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
pub(crate) fn openapi() -> Response {
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
        assert_eq!(file_type("image/jpeg", None), UploadedFileType::Image);
        assert_eq!(file_type("Audio/wav", None), UploadedFileType::Audio);
        assert_eq!(file_type("application/pdf", None), UploadedFileType::File);
    }

    #[test]
    fn three_d_models_are_objects_by_type_or_by_name() {
        assert_eq!(
            file_type("model/gltf-binary", None),
            UploadedFileType::Object
        );
        for name in ["a.glb", "b.OBJ", "c.fbx", "d.stl", "e.usdz"] {
            let content_type = content_type_of(None, Some(name));
            assert_eq!(
                file_type(&content_type, Some(name)),
                UploadedFileType::Object,
                "{name} ({content_type})"
            );
        }
        assert_eq!(content_type_of(None, Some("a.glb")), "model/gltf-binary");
        assert_eq!(content_type_of(None, Some("b.obj")), "model/obj");
        assert_eq!(
            content_type_of(Some("application/octet-stream".into()), Some("c.fbx")),
            "application/octet-stream"
        );
        // A declared type is kept; a 3D name still makes it an object.
        assert_eq!(
            file_type("application/vnd.ms-pki.stl", Some("d.stl")),
            UploadedFileType::Object
        );
        assert_eq!(
            content_type_of(Some("image/png".into()), Some("x.glb")),
            "image/png"
        );
    }

    #[test]
    fn transient_is_true_or_false_and_nothing_else() {
        assert_eq!(transient(None), Ok(false));
        assert_eq!(transient(Some("transient=true")), Ok(true));
        assert_eq!(transient(Some("transient=false&x=1")), Ok(false));
        let issues = transient(Some("transient=yes")).unwrap_err();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].field, "transient");
        assert_eq!(
            issues[0].message,
            "Invalid enum value. Expected 'true' | 'false', received 'yes'"
        );
    }
}
