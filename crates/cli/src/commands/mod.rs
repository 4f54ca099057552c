//! The commands, one module per command group, each an `impl` block of
//! [`App`](crate::app::App); and the small readers of files, headers and
//! paths they share.

mod account;
mod api;
mod auth;
mod batch;
mod doctor;
mod generations;
#[cfg(feature = "listen")]
mod listen;
mod logs;
mod mock;
mod run;
mod tools;
mod webhook;

pub use auth::auth;
pub use doctor::doctor;
pub use mock::mock;

use std::path::{Path, PathBuf};

use artificial_studio::FileUpload;
use artificial_studio_types::Generation;
use serde_json::{Map, Value};

use crate::args::DownloadArgs;
use crate::report::Failure;

pub(crate) fn upload_source(path: &Path) -> Result<FileUpload, Failure> {
    if !path.is_file() {
        return Err(Failure::Usage(
            format!("cannot upload {}: no such file", path.display()),
            None,
        ));
    }
    Ok(FileUpload::path(path))
}

/// `-H 'Name: value'` words as headers.
pub(crate) fn parse_headers(words: &[String]) -> Result<reqwest::header::HeaderMap, Failure> {
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

pub(crate) fn read_input_json(source: &str) -> Result<Map<String, Value>, Failure> {
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

pub(crate) fn download_path(generation: &Generation, download: &DownloadArgs) -> Option<PathBuf> {
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

/// The bytes of a file, or of stdin for `-`; `flag` names the option in errors.
pub(crate) fn read_source(source: &str, flag: &str) -> Result<Vec<u8>, Failure> {
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| Failure::Local(format!("cannot read {flag} from stdin: {e}")))?;
        return Ok(bytes);
    }
    std::fs::read(source)
        .map_err(|e| Failure::Usage(format!("cannot read {flag} {source}: {e}"), None))
}
