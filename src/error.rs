//! The one error type of the library.
//!
//! Every variant carries *where* something went wrong (file, record number,
//! column name, byte offset) and *why* (a reason code), and never the value
//! that was read: values in an extract are personal data, and error text
//! ends up in logs, tickets and chat.

use std::fmt;
use std::path::PathBuf;

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in an input a problem was found. Record numbers count data records
/// from 1 (the header is record 0); byte offsets count from the start of the
/// file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    /// The input file, when there is one (`None` for standard input).
    pub file: Option<PathBuf>,
    /// The data record number, 1-based.
    pub record: Option<u64>,
    /// The byte offset of the record in the file.
    pub byte: Option<u64>,
    /// The column name as written in the header.
    pub column: Option<String>,
}

impl Position {
    /// A position that names only a file.
    pub fn file(path: Option<PathBuf>) -> Self {
        Position {
            file: path,
            ..Position::default()
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        match &self.file {
            Some(p) => parts.push(p.display().to_string()),
            None => parts.push("<stdin>".to_string()),
        }
        if let Some(r) = self.record {
            parts.push(format!("record {r}"));
        }
        if let Some(b) = self.byte {
            parts.push(format!("byte {b}"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("column {c:?}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// Everything that can go wrong in the library.
///
/// Messages are lowercase, without a trailing period, and never contain a
/// field value or key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An I/O failure on a named path.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The input is not usable as a whole (empty file, no header, bad format).
    #[error("{at}: {reason}")]
    Input {
        /// Where.
        at: Position,
        /// Why, in words that contain no data values.
        reason: String,
    },

    /// A record could not be decoded (bad UTF-8, ragged row).
    #[error("{at}: {reason}")]
    Record {
        /// Where.
        at: Position,
        /// Why, in words that contain no data values.
        reason: String,
    },

    /// The configuration or an option is invalid.
    #[error("configuration: {0}")]
    Config(String),

    /// A key file is missing, empty, undecodable or too short.
    #[error("key: {0}")]
    Key(String),

    /// Writing the output failed.
    #[error("output {path}: {reason}")]
    Output {
        /// The output path.
        path: PathBuf,
        /// Why.
        reason: String,
    },

    /// A policy threshold was exceeded (for example `--max-invalid-rate`).
    #[error("policy: {0}")]
    Policy(String),

    /// The run was cancelled.
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The documented process exit code for this error (see the README).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) => 2,
            Error::Io { .. } | Error::Input { .. } | Error::Record { .. } => 3,
            Error::Key(_) => 4,
            Error::Output { .. } => 5,
            Error::Policy(_) => 6,
            Error::Interrupted => 130,
        }
    }
}

impl From<parquet::errors::ParquetError> for Error {
    fn from(e: parquet::errors::ParquetError) -> Self {
        // Parquet errors describe structure (schema, pages), never our values.
        Error::Output {
            path: PathBuf::new(),
            reason: e.to_string(),
        }
    }
}

impl From<arrow::error::ArrowError> for Error {
    fn from(e: arrow::error::ArrowError) -> Self {
        Error::Output {
            path: PathBuf::new(),
            reason: e.to_string(),
        }
    }
}
