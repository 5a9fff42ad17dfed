//! Errors of the Stroma library as data, the [`Kind`] each one belongs to, and the exit code each
//! kind maps to.
//!
//! Library modules return [`Error`]; the binary adds context with `anyhow` and prints the chain
//! once. Messages name the user's input: `file:line:column` for RDF, `line:column` for SPARQL,
//! and the valid choices for an unknown name. Every variant has exactly one [`Kind`]; the exit
//! code (and, for the HTTP server, the status code) is decided by the kind alone.

use std::path::PathBuf;

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code when a command ran and found nothing or found problems: `validate` with
/// violations, `search` with no hit, `trace` and `render trace` with no path.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code for bad input: bad arguments, unreadable or malformed files, malformed SPARQL,
/// unknown names or formats, unsupported SHACL.
pub const EXIT_ERROR: i32 = 2;
/// Exit code when the persistent store cannot be used: missing, locked by another process, or
/// failing underneath. Nothing was changed.
pub const EXIT_STORE: i32 = 3;
/// Exit code when an external tool (Graphviz's `dot`) is missing or fails.
pub const EXIT_TOOL: i32 = 4;
/// Exit code for a defect in Stroma itself (please report it).
pub const EXIT_INTERNAL: i32 = 5;

/// What kind of failure an [`Error`] is; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The command ran and found nothing (exit 1).
    NotFound,
    /// The user's arguments or files are wrong (exit 2).
    Input,
    /// The persistent store cannot be used (exit 3).
    Store,
    /// An external tool is missing or failed (exit 4).
    Tool,
    /// A limit or a policy refused the request: SERVICE or LOAD to a target not allowed, an
    /// update without permission (exit 2; HTTP 403).
    Refused,
    /// The request ran out of time and was cancelled (exit 2; HTTP 503).
    Timeout,
    /// A remote SPARQL endpoint could not be reached, answered an HTTP error or answered
    /// something that is not SPARQL (exit 2; HTTP 502).
    Remote,
    /// A defect in Stroma (exit 5).
    Internal,
}

impl Kind {
    /// The process exit code for this kind of error.
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::NotFound => EXIT_FINDINGS,
            Kind::Input | Kind::Refused | Kind::Timeout | Kind::Remote => EXIT_ERROR,
            Kind::Store => EXIT_STORE,
            Kind::Tool => EXIT_TOOL,
            Kind::Internal => EXIT_INTERNAL,
        }
    }
}

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
    /// A query or update that does not parse; `at` is its line and column when known, and
    /// `message` shows the line with a caret under it.
    #[error("SPARQL syntax error in {origin}{}: {message}", at.map(|(line, column)| format!(" at {line}:{column}")).unwrap_or_default())]
    SparqlSyntax {
        origin: String,
        at: Option<(usize, usize)>,
        message: String,
    },
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
    /// A shapes graph that uses SHACL Stroma cannot evaluate, or uses it wrongly.
    #[error("{origin}: {message}")]
    Shacl { origin: String, message: String },
    /// The command ran and found nothing (e.g. no path between two entities).
    #[error("{0}")]
    NothingFound(String),
    /// A persistent store that cannot be opened or does not exist.
    #[error("cannot use the store {}: {reason}", dir.display())]
    StoreUnavailable { dir: PathBuf, reason: String },
    /// A failure inside the store while reading or writing.
    #[error("store error: {0}")]
    Store(String),
    #[error(
        "persistent stores need the `rocksdb` feature; rebuild with `cargo install --path . --features rocksdb` (needs libclang: apt-get install libclang-dev)"
    )]
    NoPersistentStore,
    /// Arguments that do not make sense together, or a value a command cannot use.
    #[error("{0}")]
    Usage(String),
    /// A diagram with more nodes than allowed; `hint` says how to narrow it.
    #[error("the diagram would have {nodes} nodes, more than --max-nodes {max}: {hint}, or raise --max-nodes")]
    TooLarge {
        nodes: usize,
        max: usize,
        hint: String,
    },
    /// An external program (Graphviz's `dot`) that is missing or failed.
    #[error("{0}")]
    Tool(String),
    /// A policy or limit refused the request (a SERVICE or LOAD target that is not allowed).
    #[error("{0}")]
    Refused(String),
    /// A query cancelled at its deadline, or because its client went away.
    #[error("{0}")]
    Cancelled(String),
    /// A remote endpoint that cannot be reached, answers an HTTP error or answers something
    /// that is not SPARQL; the message names the endpoint (never its credentials).
    #[error("{0}")]
    Endpoint(String),
    /// A broken invariant of Stroma itself.
    #[error("internal error (please report it): {0}")]
    Internal(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Error {
    /// The kind of failure this is.
    pub fn kind(&self) -> Kind {
        match self {
            Error::NothingFound(_) => Kind::NotFound,
            Error::RdfSyntax { .. }
            | Error::RdfInvalid { .. }
            | Error::Read { .. }
            | Error::UnknownRdfExtension { .. }
            | Error::UnknownFormat { .. }
            | Error::SparqlSyntax { .. }
            | Error::SparqlEvaluation(_)
            | Error::UnknownQuery { .. }
            | Error::UnknownEntity(_)
            | Error::Shacl { .. }
            | Error::NoPersistentStore
            | Error::Usage(_)
            | Error::TooLarge { .. }
            | Error::Io(_) => Kind::Input,
            Error::StoreUnavailable { .. } | Error::Store(_) => Kind::Store,
            Error::Tool(_) => Kind::Tool,
            Error::Refused(_) => Kind::Refused,
            Error::Cancelled(_) => Kind::Timeout,
            Error::Endpoint(_) => Kind::Remote,
            Error::Internal(_) => Kind::Internal,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        self.kind().exit_code()
    }
}

/// Shorthand for results of the Stroma library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<oxigraph::sparql::QueryEvaluationError> for Error {
    fn from(error: oxigraph::sparql::QueryEvaluationError) -> Self {
        use oxigraph::sparql::QueryEvaluationError as E;
        match error {
            E::Cancelled => Error::Cancelled("the query was cancelled".into()),
            E::Service(inner) => match inner.downcast::<Refusal>() {
                Ok(refusal) => Error::Refused(refusal.0),
                Err(inner) => Error::SparqlEvaluation(format!("SERVICE failed: {inner}")),
            },
            E::Unexpected(inner) => {
                match inner.downcast::<crate::store::remote::EndpointFailure>() {
                    Ok(failure) => Error::Endpoint(failure.0),
                    Err(inner) => Error::SparqlEvaluation(inner.to_string()),
                }
            }
            error => Error::SparqlEvaluation(error.to_string()),
        }
    }
}

/// The error a SERVICE handler returns when its policy refuses a target; evaluation carries it
/// back as [`Error::Refused`] (HTTP 403) instead of a generic evaluation failure.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);
