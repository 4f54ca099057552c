//! The Redis store's values as text and back: the scripts' answers (hashes
//! as flat lists of fields) made into the API's types, tolerantly (a field
//! that does not read makes the item absent, never a panic).

use std::collections::HashMap;

use artificial_studio_types::{
    Account, Generation, GenerationStatus, UploadedFile, WebhookPayload,
};
use bytes::Bytes;
use redis::Value;
use serde::{Serialize, de::DeserializeOwned};

use super::super::{Finished, MockAccount, OwnedGeneration, StoredUpload};
use crate::payload::read_payload;

/// A value as the text its JSON form holds (`"pro"` → `pro`): how enums and
/// times are kept in Redis.
pub(super) fn text_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The value whose JSON form is the string `text`.
pub(super) fn parse_text<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

/// The items of a list answer.
pub(super) fn list(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::Array(items) => Some(items.clone()),
        _ => None,
    }
}

/// A string answer.
pub(super) fn string(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
        Value::SimpleString(text) => Some(text.clone()),
        Value::Int(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether an answer is the string `text`.
pub(super) fn is(value: &Value, text: &str) -> bool {
    match value {
        Value::BulkString(bytes) => bytes == text.as_bytes(),
        Value::SimpleString(s) => s == text,
        _ => false,
    }
}

/// A number answer (an integer, or a string of one).
pub(super) fn number(value: &Value) -> Option<u64> {
    match value {
        Value::Int(n) => u64::try_from(*n).ok(),
        other => string(other)?.parse().ok(),
    }
}

/// A hash's fields, from a flat list of names and values.
pub(super) struct Fields(HashMap<String, String>);

impl Fields {
    /// The fields of a flat list answer; `None` for anything else, or for an
    /// empty list (a hash that does not exist).
    pub(super) fn of(value: &Value) -> Option<Self> {
        let Value::Array(items) = value else {
            return None;
        };
        if items.is_empty() {
            return None;
        }
        let fields = items
            .chunks_exact(2)
            .filter_map(|pair| Some((string(&pair[0])?, string(&pair[1])?)))
            .collect();
        Some(Fields(fields))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn owned(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    fn parsed<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        parse_text(self.get(name)?)
    }
}

/// An account from its hash.
pub(super) fn account_of(f: &Fields) -> Option<MockAccount> {
    Some(MockAccount {
        key: f.owned("key")?,
        account: Account {
            id: f.owned("id")?,
            email: f.owned("email")?,
            credits: f.get("credits")?.parse().ok()?,
            plan: f.parsed("plan")?,
            created_at: f.parsed("created")?,
        },
    })
}

/// A generation, with its owner and webhook, from its hash.
pub(super) fn generation_of(f: &Fields) -> Option<OwnedGeneration> {
    Some(OwnedGeneration {
        owner: f.get("owner")?.into(),
        generation: Generation {
            id: f.owned("id")?,
            status: f.parsed("status")?,
            tool: f.owned("tool")?,
            type_: f.parsed("type"),
            output: f.owned("output"),
            thumbnail: f.owned("thumbnail"),
            error: f.owned("error"),
            payload: read_payload(f.get("payload").unwrap_or("{}")),
            created_at: f.parsed("created")?,
        },
        webhook: f.owned("webhook"),
    })
}

/// What the lifecycle needs of a generation that just ended (from its
/// hash): its status, and its webhook on `success` when it has one.
pub(super) fn finished_of(f: &Fields) -> Option<Finished> {
    let owned = generation_of(f)?;
    let g = owned.generation;
    let webhook = match (owned.webhook, &g.status) {
        (Some(url), GenerationStatus::Success) => Some((
            url,
            WebhookPayload {
                id: g.id,
                status: g.status.clone(),
                tool: Some(g.tool),
                type_: g.type_,
                output: g.output,
                thumbnail: g.thumbnail,
                created_at: Some(g.created_at),
            },
        )),
        _ => None,
    };
    Some(Finished {
        status: g.status,
        webhook,
    })
}

/// An upload's metadata, kept as JSON beside its bytes.
pub(super) mod upload_meta {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Meta {
        file: UploadedFile,
        owner: String,
        content_type: String,
        filename: String,
        transient: bool,
    }

    /// The metadata of `upload` as JSON.
    pub(in super::super) fn encode(upload: &StoredUpload) -> String {
        serde_json::to_string(&Meta {
            file: upload.file.clone(),
            owner: upload.owner.to_string(),
            content_type: upload.content_type.clone(),
            filename: upload.filename.clone(),
            transient: upload.transient,
        })
        .unwrap_or_default()
    }

    /// The upload of `meta` (from [`encode`]) with its `bytes`.
    pub(in super::super) fn decode(meta: &str, bytes: Bytes) -> Option<StoredUpload> {
        let meta: Meta = serde_json::from_str(meta).ok()?;
        Some(StoredUpload {
            file: meta.file,
            owner: meta.owner.into(),
            content_type: meta.content_type,
            filename: meta.filename,
            bytes,
            transient: meta.transient,
        })
    }
}
