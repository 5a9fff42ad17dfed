//! Exports: the graph's quads written in the formats other tools load — KGX (Biolink), a
//! Neo4j bulk-import CSV pair, JSON-LD with Stroma's context, N-Quads and TriG.
//!
//! Pure stages: each writer takes the quads (read through the store seam by
//! `Engine::export`) and writes into a [`Sink`] that the caller provides (files in a temporary
//! directory that the command layer renames into place, standard output, memory in tests).
//! Nothing here opens a file, reads the graph or prints.
//!
//! - [`rdf`]: N-Quads and TriG through Oxigraph's serialisers, the default graph named.
//! - [`jsonld`]: JSON-LD compacted with `ontology/context.jsonld`.
//! - [`neo4j`]: `nodes.csv` and `relationships.csv` for `neo4j-admin database import full`,
//!   lossless (datatypes and language tags kept; docs/exports.md has the encoding).
//! - [`kgx`]: `nodes.tsv` and `edges.tsv` in the Biolink model, one edge per statement, with the
//!   mapping from `ontology/biolink.ttl` ([`mapping`]).

pub mod jsonld;
pub mod kgx;
pub mod mapping;
pub mod neo4j;
pub mod rdf;

use serde::Serialize;
use std::io::Write;

/// The formats `stroma export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// KGX TSV (`nodes.tsv`, `edges.tsv`) in the Biolink model: a directory.
    Kgx,
    /// `nodes.csv` and `relationships.csv` for `neo4j-admin database import full`: a directory.
    Neo4j,
    /// JSON-LD compacted with Stroma's context: one file.
    JsonLd,
    /// N-Quads: one file.
    NQuads,
    /// TriG: one file.
    TriG,
}

impl Format {
    /// The format's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Kgx => "kgx",
            Format::Neo4j => "neo4j",
            Format::JsonLd => "jsonld",
            Format::NQuads => "nq",
            Format::TriG => "trig",
        }
    }

    /// True when the export is a directory of files rather than one file.
    pub fn is_directory(self) -> bool {
        matches!(self, Format::Kgx | Format::Neo4j)
    }
}

/// Where an export's files go. A single-file format opens one file (its name is a suggestion
/// the sink may ignore: standard output, or the file the user named); a directory format opens
/// each of its files in turn, one at a time.
pub trait Sink {
    /// A writer for the file `name` of the export.
    fn open(&mut self, name: &str) -> std::io::Result<Box<dyn Write + '_>>;
}

/// Writes every file of an export into memory (tests and callers that post-process).
#[derive(Debug, Default)]
pub struct MemorySink {
    /// Each file's name and bytes, in the order they were opened.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Sink for MemorySink {
    fn open(&mut self, name: &str) -> std::io::Result<Box<dyn Write + '_>> {
        self.files.push((name.to_owned(), Vec::new()));
        match self.files.last_mut() {
            Some((_, bytes)) => Ok(Box::new(bytes)),
            None => Err(std::io::Error::other("no file was opened")),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Written {
    /// The files, by name, in the order they were written.
    pub files: Vec<String>,
    /// The triples (or quads) written, for the RDF formats; the triples read, for the others.
    pub triples: usize,
    /// Nodes written (KGX, Neo4j).
    pub nodes: Option<usize>,
    /// Edges or relationships written (KGX, Neo4j).
    pub edges: Option<usize>,
}

/// A writer that counts nothing but turns a failed flush into an error naming the file.
pub(crate) fn finish(mut writer: Box<dyn Write + '_>, name: &str) -> crate::error::Result<()> {
    writer
        .flush()
        .map_err(|e| crate::error::Error::Io(std::io::Error::new(e.kind(), format!("{name}: {e}"))))
}
