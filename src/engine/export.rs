//! `export`: the whole graph read through the seam (one query for every quad), then written
//! by the pure stages of [`crate::export`] into the caller's [`Sink`].

use super::Engine;
use crate::error::Result;
use crate::export::{self, mapping::Mapping, Format, Sink};
use oxigraph::model::NamedNode;
use serde::Serialize;

/// What to export, and how.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub format: Format,
    /// The named graph the default graph's triples go into (N-Quads and TriG).
    pub graph: NamedNode,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    pub format: Format,
    /// The files written, by name (a single-file format names the file it would write).
    pub files: Vec<String>,
    /// The quads read from the graph.
    pub quads_read: usize,
    /// The triples or quads written (RDF formats), or read (KGX, Neo4j).
    pub triples: usize,
    /// Nodes written (KGX, Neo4j).
    pub nodes: Option<usize>,
    /// Edges or relationships written (KGX, Neo4j).
    pub edges: Option<usize>,
}

impl Engine {
    /// Writes the whole graph in `request.format` into `sink`.
    pub fn export(&self, request: &ExportRequest, sink: &mut dyn Sink) -> Result<ExportReport> {
        let quads = self.db.quads()?;
        let prefixes = self.prefixes();
        let written = match request.format {
            Format::NQuads | Format::TriG => {
                export::rdf::write(&quads, request.format, &request.graph, prefixes, sink)?
            }
            Format::JsonLd => export::jsonld::write(&quads, sink)?,
            Format::Neo4j => export::neo4j::write(&quads, prefixes, sink)?,
            Format::Kgx => {
                let embedded = Mapping::embedded_quads()?;
                let mapping = Mapping::from_quads(embedded.iter().chain(&quads));
                export::kgx::write(&quads, &mapping, prefixes, sink)?
            }
        };
        Ok(ExportReport {
            format: request.format,
            files: written.files,
            quads_read: quads.len(),
            triples: written.triples,
            nodes: written.nodes,
            edges: written.edges,
        })
    }
}
