//! The crate's error type: what can go wrong starting or steering a mock server.

use std::path::PathBuf;

/// Why starting or steering a [`crate::MockServer`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file named in the configuration could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The accounts file is not valid.
    #[error("invalid accounts file {path}: {message}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The state file (`--state`) is not a snapshot this build can read.
    #[error("cannot load the state file {path}: {message}")]
    State {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The state file could not be written.
    #[error("cannot write the state file {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The catalog is not valid.
    #[error("invalid catalog: {0}")]
    Catalog(String),
    /// The configuration is inconsistent (such as a bad public URL).
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// No account has this key.
    #[error("no account has the key {0:?}")]
    UnknownKey(String),
    /// An account with this key already exists.
    #[error("an account with the key {0:?} already exists")]
    DuplicateKey(String),
    /// A control request was not valid.
    #[error("invalid control request: {0}")]
    InvalidRequest(String),
    /// The store could not be reached (a shared store whose server is down).
    #[error("the store is unavailable")]
    StoreUnavailable,
}
