//! Saved logins: profiles (a base URL and where the key is kept) in the
//! config directory, and the keys themselves in the OS keyring or, where
//! there is none, in a file only the user can read.

mod secrets;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::args::GlobalArgs;
use crate::report::Failure;

pub use secrets::{KeyStore, SecretStore};

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// The environment variable that replaces the config directory (for tests
/// and for several setups side by side).
pub const CONFIG_DIR_ENV: &str = "ASTUDIO_CONFIG_DIR";

/// One saved login, without its key.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Profile {
    /// The base URL, when not the real service's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Where the key is kept.
    pub key_store: KeyStore,
}

/// Every saved profile, as kept in `profiles.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Profiles {
    /// The profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// The config directory: `ASTUDIO_CONFIG_DIR`, else the platform's
/// (`$XDG_CONFIG_HOME/astudio`, `~/.config/astudio`, `%APPDATA%\astudio`).
pub fn config_dir() -> Result<PathBuf, Failure> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    };
    base.map(|b| b.join("astudio")).ok_or_else(|| {
        Failure::Local(format!(
            "cannot find a config directory: set HOME or {CONFIG_DIR_ENV}"
        ))
    })
}

impl Profiles {
    fn path() -> Result<PathBuf, Failure> {
        Ok(config_dir()?.join("profiles.json"))
    }

    /// The saved profiles; none when the file does not exist yet.
    pub fn load() -> Result<Profiles, Failure> {
        read_json(&Profiles::path()?, "profiles")
    }

    /// Writes the profiles back.
    pub fn save(&self) -> Result<(), Failure> {
        let path = Profiles::path()?;
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Failure::Local(format!("cannot write the profiles: {e}")))?;
        secrets::write_private(&path, text.as_bytes())
    }
}

/// A JSON file of ours, or the default value when it does not exist yet;
/// `what` names it in errors.
fn read_json<T: Default + serde::de::DeserializeOwned>(
    path: &std::path::Path,
    what: &str,
) -> Result<T, Failure> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| Failure::Local(format!("{} is not a {what} file: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(T::default()),
        Err(e) => Err(Failure::Local(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// The profile's name: `--profile`, else `ASTUDIO_PROFILE` (both read by
/// clap), else `default`.
pub fn profile_name(flag: Option<&str>) -> String {
    flag.filter(|n| !n.is_empty())
        .unwrap_or(DEFAULT_PROFILE)
        .to_string()
}

/// Where the key of a command comes from, for `auth status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `--api-key`.
    Flag,
    /// `ARTIFICIAL_STUDIO_API_KEY`.
    Env,
    /// A saved profile, from the keyring or the file.
    Profile(String, KeyStore),
    /// `--mock`'s demo key.
    Mock,
    /// Nowhere.
    None,
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Flag => f.write_str("--api-key"),
            KeySource::Env => f.write_str(artificial_studio::API_KEY_ENV),
            KeySource::Profile(name, store) => write!(f, "profile {name}, in {store}"),
            KeySource::Mock => f.write_str("--mock (a demo key)"),
            KeySource::None => f.write_str("nowhere"),
        }
    }
}

/// The key and base URL a command uses. Precedence: the flag, then the
/// environment (both as clap read them), then the profile.
#[derive(Debug, Clone)]
pub struct Login {
    /// The key, if any.
    pub api_key: Option<String>,
    /// The base URL, if not the default.
    pub base_url: Option<String>,
    /// Where the key came from.
    pub source: KeySource,
    /// The profile's name.
    pub profile: String,
}

/// Resolves the login of a command from its flags and environment, then the
/// profile. A profile named with `--profile` or `ASTUDIO_PROFILE` must exist;
/// the default one may not.
pub fn resolve(global: &GlobalArgs, key_from_command_line: bool) -> Result<Login, Failure> {
    let api_key = global.api_key.clone();
    let profile = global.profile.as_deref();
    let name = profile_name(profile);
    let mut login = Login {
        source: match (&api_key, key_from_command_line) {
            (None, _) => KeySource::None,
            (Some(_), true) => KeySource::Flag,
            (Some(_), false) => KeySource::Env,
        },
        api_key,
        base_url: global.base_url.clone(),
        profile: name.clone(),
    };
    if login.api_key.is_some() && login.base_url.is_some() {
        return Ok(login);
    }
    let saved = Profiles::load()?.profiles.remove(&name);
    let Some(saved) = saved else {
        if profile.is_some_and(|p| !p.is_empty() && p != DEFAULT_PROFILE) {
            return Err(Failure::Usage(
                format!("no saved profile {name:?}"),
                Some(format!("log in to it: astudio auth login --profile {name}")),
            ));
        }
        return Ok(login);
    };
    if login.base_url.is_none() {
        login.base_url = saved.base_url.clone();
    }
    if login.api_key.is_none() {
        login.api_key = SecretStore::read(&name, saved.key_store)?;
        if login.api_key.is_some() {
            login.source = KeySource::Profile(name, saved.key_store);
        }
    }
    Ok(login)
}

/// A key as it may be shown: its prefix and last four characters,
/// `prod_…abcd`; never the whole key.
pub fn mask(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let prefix: String = match chars.iter().position(|c| *c == '_' || *c == '-') {
        Some(at) if at < 8 && at + 1 < chars.len() / 2 => chars[..=at].iter().collect(),
        _ => String::new(),
    };
    let tail: String = if chars.len() >= 12 {
        chars[chars.len() - 4..].iter().collect()
    } else {
        String::new()
    };
    format!("{prefix}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_key_keeps_its_prefix_and_last_four_only() {
        assert_eq!(mask("prod_0123456789abcd"), "prod_…abcd");
        assert_eq!(mask("demo-pro-key"), "demo-…-key");
        assert_eq!(mask("short"), "…");
        assert!(!mask("0123456789abcdef0123").contains("0123456789"));
    }

    #[test]
    fn the_profile_name_defaults() {
        assert_eq!(profile_name(None), "default");
        assert_eq!(profile_name(Some("")), "default");
        assert_eq!(profile_name(Some("sandbox")), "sandbox");
    }
}
