//! Errors of the Stroma library as data, and the exit code each one maps to.
//!
//! Library modules return [`Error`]; the binary adds context with `anyhow` and prints the chain
//! once. Messages name the user's input: `file:line:column` for RDF, `line:column` for SPARQL,
//! and the valid choices for an unknown name.

use std::path::PathBuf;

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code when a check ran and found problems (`stroma validate` with violations).
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code for bad input: unreadable or malformed files, malformed SPARQL, unknown names.
pub const EXIT_ERROR: i32 = 2;

/// Everything that can go wrong inside Stroma.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}:{line}:{column}: {message}")]
    RdfSyntax {
        path: String,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    RdfInvalid { path: String, message: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "cannot tell the RDF format of {path}: use a known extension or --data-format ({valid})"
    )]
    UnknownRdfExtension { path: String, valid: String },
    #[error("unknown format '{given}': expected one of {valid}")]
    UnknownFormat { given: String, valid: String },
    #[error("SPARQL syntax error in {origin}: {message}")]
    SparqlSyntax { origin: String, message: String },
    #[error("SPARQL evaluation failed: {0}")]
    SparqlEvaluation(String),
    #[error("unknown named query '{given}'{suggestion}; named queries: {valid}")]
    UnknownQuery {
        given: String,
        suggestion: String,
        valid: String,
    },
    #[error("{0}")]
    UnknownEntity(String),
    #[error("store error: {0}")]
    Store(String),
    #[error(
        "persistent stores need the `rocksdb` feature; rebuild with `cargo install --path . --features rocksdb` (needs libclang: apt-get install libclang-dev)"
    )]
    NoPersistentStore,
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        EXIT_ERROR
    }
}

/// Shorthand for results of the Stroma library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<oxigraph::store::StorageError> for Error {
    fn from(error: oxigraph::store::StorageError) -> Self {
        Error::Store(error.to_string())
    }
}

impl From<oxigraph::sparql::QueryEvaluationError> for Error {
    fn from(error: oxigraph::sparql::QueryEvaluationError) -> Self {
        Error::SparqlEvaluation(error.to_string())
    }
}
