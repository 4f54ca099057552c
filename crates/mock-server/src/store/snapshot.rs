//! The memory store's state as a file keeps it (`--state`): a versioned JSON
//! document of accounts, generations and uploads, taken in one consistent
//! pass and read back into a new store; and the same of each named session
//! alive then, with its last use, so that its idle time carries on.
//!
//! The journal, fault rules, scripted outcomes and webhook deliveries are not
//! in it: they are a test's instruments, set up by the test that reads them,
//! and a restart starts them empty.

use std::sync::Arc;

use artificial_studio_types::{GenerationStatus, GenerationType, Plan, UploadedFile};
use base64::Engine as _;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{MockAccount, StoredUpload};

/// What the `format` field of every state file says.
pub const FORMAT: &str = "astudio-mock-state";
/// The version of the format this build writes and reads.
pub const VERSION: u32 = 1;

/// The whole state of a memory store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`] when written by this build.
    pub version: u32,
    /// When it was taken.
    pub saved_at: DateTime<Utc>,
    /// The base of the URLs it holds (outputs, thumbnails, uploads): a
    /// server started on another address serves them under its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// Every account with its balance.
    pub accounts: Vec<SavedAccount>,
    /// Every generation kept, oldest first.
    pub generations: Vec<SavedGeneration>,
    /// Every upload kept, oldest first.
    pub uploads: Vec<SavedUpload>,
    /// The named sessions alive, by name (absent from files written before
    /// sessions were kept, and when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<SavedSession>,
}

/// A named session in a [`Snapshot`]: its store's state, and when it was
/// made and last used (so that its TTL runs on after a restart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSession {
    /// Its name.
    pub name: String,
    /// When its first request came.
    pub created_at: DateTime<Utc>,
    /// When its last request came.
    pub last_used_at: DateTime<Utc>,
    /// Every account of the session with its balance.
    pub accounts: Vec<SavedAccount>,
    /// Every generation the session kept, oldest first.
    pub generations: Vec<SavedGeneration>,
    /// Every upload the session kept, oldest first.
    pub uploads: Vec<SavedUpload>,
}

impl SavedSession {
    /// Session `name` holding what `state` (its store's snapshot) holds.
    pub fn of(
        name: String,
        created_at: DateTime<Utc>,
        last_used_at: DateTime<Utc>,
        state: Snapshot,
    ) -> Self {
        SavedSession {
            name,
            created_at,
            last_used_at,
            accounts: state.accounts,
            generations: state.generations,
            uploads: state.uploads,
        }
    }

    /// Its store's state, as a snapshot of its own (for
    /// [`MemoryStore::restored`](super::MemoryStore::restored)).
    pub fn state(&self) -> Snapshot {
        Snapshot {
            format: FORMAT.to_string(),
            version: VERSION,
            saved_at: self.last_used_at,
            public_url: None,
            accounts: self.accounts.clone(),
            generations: self.generations.clone(),
            uploads: self.uploads.clone(),
            sessions: Vec::new(),
        }
    }
}

/// An account in a [`Snapshot`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedAccount {
    /// The account id.
    pub id: String,
    /// Its API key.
    pub key: String,
    /// Its e-mail address.
    pub email: String,
    /// Its plan.
    #[serde(deserialize_with = "crate::config::served_plan")]
    pub plan: Plan,
    /// Its balance.
    pub credits: u64,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

impl From<MockAccount> for SavedAccount {
    fn from(view: MockAccount) -> Self {
        SavedAccount {
            id: view.account.id,
            key: view.key,
            email: view.account.email,
            plan: view.account.plan,
            credits: view.account.credits,
            created_at: view.account.created_at,
        }
    }
}

/// A generation in a [`Snapshot`]: everything a later read, list, download
/// or resumed schedule needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedGeneration {
    /// The generation id.
    pub id: String,
    /// The account that created it.
    pub owner: String,
    /// Its status when the snapshot was taken.
    pub status: GenerationStatus,
    /// What its tool makes.
    #[serde(rename = "type")]
    pub type_: GenerationType,
    /// The tool slug.
    pub tool: String,
    /// When it was created: a running generation resumes its schedule from it.
    pub created_at: DateTime<Utc>,
    /// The credits it took (refunded if it ends in `error`).
    pub cost: u64,
    /// Its input with the model and defaults.
    pub payload: Map<String, Value>,
    /// The output URL, once it succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The thumbnail URL, once it succeeded, for the types that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// The error message, once it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Where its success webhook goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
}

/// An upload in a [`Snapshot`], its bytes in base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedUpload {
    /// What the upload answered.
    pub file: UploadedFile,
    /// The account that uploaded it.
    pub owner: String,
    /// The part's content type.
    pub content_type: String,
    /// The name it is served under.
    pub filename: String,
    /// Whether it was uploaded with `transient=true`.
    pub transient: bool,
    /// The bytes, standard base64.
    pub bytes: String,
}

impl SavedUpload {
    /// An upload as a snapshot keeps it.
    pub fn of(upload: &StoredUpload) -> Self {
        SavedUpload {
            file: upload.file.clone(),
            owner: upload.owner.to_string(),
            content_type: upload.content_type.clone(),
            filename: upload.filename.clone(),
            transient: upload.transient,
            bytes: base64::engine::general_purpose::STANDARD.encode(&upload.bytes),
        }
    }

    /// The upload again; an error names the file whose bytes do not decode.
    pub fn restore(self) -> Result<StoredUpload, String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.bytes.as_bytes())
            .map_err(|e| format!("upload {}: its bytes are not base64: {e}", self.file.id))?;
        Ok(StoredUpload {
            file: self.file,
            owner: Arc::from(self.owner),
            content_type: self.content_type,
            filename: self.filename,
            bytes: Bytes::from(bytes),
            transient: self.transient,
        })
    }
}

/// A generation that was still running when its snapshot was taken: the
/// lifecycle resumes its schedule from its creation time.
#[derive(Debug, Clone, PartialEq)]
pub struct Resumable {
    /// The generation id.
    pub id: String,
    /// What its tool makes (which picks the output file).
    pub type_: GenerationType,
    /// Its status in the snapshot.
    pub status: GenerationStatus,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// The first fields of a state file, read before the rest so that a foreign
/// file or another version is told apart from a damaged one.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

impl Snapshot {
    /// Reads a state file's text; the error says what is wrong with it.
    pub fn parse(text: &[u8]) -> Result<Snapshot, String> {
        let header: Header = serde_json::from_slice(text)
            .map_err(|e| format!("not a JSON state file ({e}); was it cut short?"))?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(format!(
                "not an astudio-mock state file (its \"format\" is not {FORMAT:?})"
            ));
        }
        match header.version {
            Some(VERSION) => {}
            Some(other) => {
                return Err(format!(
                    "format version {other}, but this astudio-mock reads version {VERSION}"
                ));
            }
            None => return Err("no \"version\" field".to_string()),
        }
        serde_json::from_slice(text).map_err(|e| format!("damaged: {e}"))
    }

    /// Moves every URL it holds from under its `public_url` to under `base`.
    pub fn rebase(&mut self, base: &str) {
        let Some(old) = self.public_url.take() else {
            return;
        };
        let moved = |url: &mut String| {
            if let Some(rest) = url.strip_prefix(old.as_str())
                && (rest.is_empty() || rest.starts_with('/'))
            {
                *url = format!("{base}{rest}");
            }
        };
        // A session's URLs are under the server's (`/s/NAME/...`).
        let sessions = self.sessions.iter_mut();
        let kept = std::iter::once((&mut self.generations, &mut self.uploads))
            .chain(sessions.map(|s| (&mut s.generations, &mut s.uploads)));
        for (generations, uploads) in kept {
            for generation in generations {
                generation.output.as_mut().map(moved);
                generation.thumbnail.as_mut().map(moved);
            }
            for upload in uploads {
                moved(&mut upload.file.url);
            }
        }
        self.public_url = Some(base.to_string());
    }

    /// The snapshot as the bytes of a state file.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        serde_json::to_vec(self).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foreign_file_an_other_version_and_a_torn_file_are_told_apart() {
        let foreign = Snapshot::parse(br#"{"accounts": []}"#).unwrap_err();
        assert!(
            foreign.contains("not an astudio-mock state file"),
            "{foreign}"
        );
        let newer = Snapshot::parse(br#"{"format": "astudio-mock-state", "version": 9}"#);
        assert!(newer.unwrap_err().contains("version 9"));
        let torn = Snapshot::parse(br#"{"format": "astudio-mock-state", "vers"#).unwrap_err();
        assert!(torn.contains("cut short"), "{torn}");
        let damaged = Snapshot::parse(br#"{"format": "astudio-mock-state", "version": 1}"#);
        assert!(damaged.unwrap_err().contains("damaged"));
    }

    #[test]
    fn rebasing_moves_the_urls_under_the_old_base_only() {
        let mut snapshot = Snapshot::parse(
            br#"{"format": "astudio-mock-state", "version": 1, "savedAt": "2026-01-01T00:00:00Z",
                "publicUrl": "http://127.0.0.1:1", "accounts": [], "uploads": [],
                "generations": [{"id": "g", "owner": "a", "status": "success", "type": "image",
                  "tool": "t", "createdAt": "2026-01-01T00:00:00Z", "cost": 1, "payload": {},
                  "output": "http://127.0.0.1:1/outputs/g.png",
                  "thumbnail": "https://cdn.example.com/t.png"}]}"#,
        )
        .unwrap();
        assert!(
            snapshot.sessions.is_empty(),
            "a file without sessions loads"
        );
        snapshot.rebase("http://127.0.0.1:2");
        let g = &snapshot.generations[0];
        assert_eq!(
            g.output.as_deref(),
            Some("http://127.0.0.1:2/outputs/g.png")
        );
        assert_eq!(
            g.thumbnail.as_deref(),
            Some("https://cdn.example.com/t.png")
        );
    }

    #[test]
    fn sessions_are_kept_with_their_last_use_and_rebased_under_the_new_address() {
        let mut snapshot = Snapshot::parse(
            br#"{"format": "astudio-mock-state", "version": 1, "savedAt": "2026-01-01T00:00:00Z",
                "publicUrl": "http://127.0.0.1:1", "accounts": [], "uploads": [], "generations": [],
                "sessions": [{"name": "ci-1", "createdAt": "2026-01-01T00:00:00Z",
                  "lastUsedAt": "2026-01-01T00:00:05Z", "accounts": [], "uploads": [],
                  "generations": [{"id": "g", "owner": "a", "status": "success", "type": "image",
                    "tool": "t", "createdAt": "2026-01-01T00:00:00Z", "cost": 1, "payload": {},
                    "output": "http://127.0.0.1:1/s/ci-1/outputs/g.png"}]}]}"#,
        )
        .unwrap();
        snapshot.rebase("http://127.0.0.1:2");
        let session = &snapshot.sessions[0];
        assert_eq!(session.name, "ci-1");
        assert_eq!(
            session.last_used_at.to_rfc3339(),
            "2026-01-01T00:00:05+00:00"
        );
        let state = session.state();
        assert_eq!(
            state.generations[0].output.as_deref(),
            Some("http://127.0.0.1:2/s/ci-1/outputs/g.png")
        );
        let back = Snapshot::parse(&snapshot.to_bytes().unwrap()).unwrap();
        assert_eq!(back, snapshot, "written and read back whole");
    }

    #[test]
    fn an_upload_keeps_its_bytes_through_base64() {
        let upload = StoredUpload {
            file: UploadedFile {
                created_at: None,
                id: "f1".into(),
                mimetype: None,
                original_name: None,
                size: Some(3),
                type_: None,
                url: "http://x/f1".into(),
            },
            owner: Arc::from("acc"),
            content_type: "image/png".into(),
            filename: "a.png".into(),
            bytes: Bytes::from_static(&[0, 255, 7]),
            transient: true,
        };
        let back = SavedUpload::of(&upload).restore().unwrap();
        assert_eq!(back.bytes, upload.bytes);
        assert!(back.transient);
        assert_eq!(&*back.owner, "acc");
    }
}
