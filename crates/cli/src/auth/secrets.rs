//! Where keys are kept: the OS keyring where one answers, else
//! `credentials.json` in the config directory with mode 0600.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{config_dir, read_json};
use crate::report::Failure;

/// The keyring service name the keys are saved under.
const SERVICE: &str = "astudio";

/// Set to any value to never use the OS keyring (tests, CI, headless machines).
pub const NO_KEYRING_ENV: &str = "ASTUDIO_NO_KEYRING";

/// Where a profile's key is kept.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum KeyStore {
    /// The OS keyring.
    Keyring,
    /// `credentials.json` in the config directory, readable by the user only.
    #[default]
    File,
}

impl std::fmt::Display for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyStore::Keyring => f.write_str("the OS keyring"),
            KeyStore::File => match config_dir() {
                Ok(dir) => write!(f, "{}", dir.join("credentials.json").display()),
                Err(_) => f.write_str("the credentials file"),
            },
        }
    }
}

/// Saves, reads and removes keys by profile name.
pub struct SecretStore;

impl SecretStore {
    /// Saves `key` for `profile`: in the keyring when it answers, else in
    /// the file. Says where.
    pub fn save(profile: &str, key: &str) -> Result<KeyStore, Failure> {
        if keyring::save(profile, key) {
            // A key left in the file by an earlier login would outlive logout.
            let _ = file_remove(profile);
            return Ok(KeyStore::Keyring);
        }
        file_save(profile, key)?;
        Ok(KeyStore::File)
    }

    /// The key of `profile` from `store`, if one is saved there.
    pub fn read(profile: &str, store: KeyStore) -> Result<Option<String>, Failure> {
        match store {
            KeyStore::Keyring => Ok(keyring::read(profile)),
            KeyStore::File => Ok(file_read()?.remove(profile)),
        }
    }

    /// Removes the key of `profile` from both stores.
    pub fn remove(profile: &str) -> Result<(), Failure> {
        keyring::remove(profile);
        file_remove(profile)
    }
}

type Credentials = BTreeMap<String, String>;

fn file_read() -> Result<Credentials, Failure> {
    read_json(&config_dir()?.join("credentials.json"), "credentials")
}

fn file_write(credentials: &Credentials) -> Result<(), Failure> {
    let path = config_dir()?.join("credentials.json");
    let text = serde_json::to_string_pretty(credentials)
        .map_err(|e| Failure::Local(format!("cannot write the credentials: {e}")))?;
    write_private(&path, text.as_bytes())
}

fn file_save(profile: &str, key: &str) -> Result<(), Failure> {
    let mut credentials = file_read()?;
    credentials.insert(profile.to_string(), key.to_string());
    file_write(&credentials)
}

fn file_remove(profile: &str) -> Result<(), Failure> {
    let mut credentials = file_read()?;
    if credentials.remove(profile).is_some() {
        file_write(&credentials)?;
    }
    Ok(())
}

/// Writes `bytes` to `path` readable and writable by the user only (0600 on
/// Unix), creating the directory: through a temporary file renamed over the
/// old one, so a crash leaves the old file or the new, never half of one.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let failed =
        |e: std::io::Error| Failure::Local(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let temporary = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(failed)?;
    std::io::Write::write_all(&mut file, bytes).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(failed)
}

/// The OS keyring, where this build has one and `ASTUDIO_NO_KEYRING` is unset.
/// Every failure (no keyring daemon, a locked keyring) reads as "not there",
/// and the file takes over.
mod keyring {
    use super::{NO_KEYRING_ENV, SERVICE};

    fn enabled() -> bool {
        std::env::var_os(NO_KEYRING_ENV).is_none()
    }

    #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
    fn entry(profile: &str) -> Option<::keyring::Entry> {
        if !enabled() {
            return None;
        }
        ::keyring::Entry::new(SERVICE, profile).ok()
    }

    #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
    pub fn save(profile: &str, key: &str) -> bool {
        let Some(entry) = entry(profile) else {
            return false;
        };
        // Read back: a store that accepts and forgets is no store.
        entry.set_password(key).is_ok() && entry.get_password().is_ok_and(|k| k == key)
    }

    #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
    pub fn read(profile: &str) -> Option<String> {
        entry(profile)?.get_password().ok()
    }

    #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
    pub fn remove(profile: &str) {
        if let Some(entry) = entry(profile) {
            let _ = entry.delete_credential();
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
    pub fn save(_profile: &str, _key: &str) -> bool {
        let _ = (enabled(), SERVICE);
        false
    }

    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
    pub fn read(_profile: &str) -> Option<String> {
        None
    }

    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
    pub fn remove(_profile: &str) {}
}
