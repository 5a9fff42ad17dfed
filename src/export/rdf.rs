//! N-Quads and TriG: every quad through Oxigraph's own serialisers. Named graphs keep their
//! names; the default graph's triples go into the named graph the caller gives (`--graph`,
//! by default `https://w3id.org/stroma/graph`, the graph README pushes into), so a loader that
//! reads them gets one dataset of named graphs.

use super::{finish, Format, Sink, Written};
use crate::error::{Error, Result};
use crate::vocab::Prefixes;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, Quad};

/// Writes `quads` as N-Quads or TriG into one file of `sink` (named `graph.nq` or
/// `graph.trig`), the default graph's triples in `graph`.
pub fn write(
    quads: &[Quad],
    format: Format,
    graph: &NamedNode,
    prefixes: &Prefixes,
    sink: &mut dyn Sink,
) -> Result<Written> {
    let (rdf_format, name) = match format {
        Format::NQuads => (RdfFormat::NQuads, "graph.nq"),
        Format::TriG => (RdfFormat::TriG, "graph.trig"),
        other => {
            return Err(Error::Internal(format!(
                "export::rdf asked for {}",
                other.name()
            )))
        }
    };
    let mut named: Vec<Quad> = quads
        .iter()
        .map(|q| {
            let graph_name = match &q.graph_name {
                GraphName::DefaultGraph => GraphName::NamedNode(graph.clone()),
                other => other.clone(),
            };
            Quad::new(
                q.subject.clone(),
                q.predicate.clone(),
                q.object.clone(),
                graph_name,
            )
        })
        .collect();
    named.sort_by_cached_key(|q| {
        (
            q.graph_name.to_string(),
            q.subject.to_string(),
            q.predicate.to_string(),
            q.object.to_string(),
        )
    });
    named.dedup();
    let mut serializer = RdfSerializer::from_format(rdf_format);
    if rdf_format == RdfFormat::TriG {
        for (prefix, iri) in prefixes.iter() {
            serializer = serializer
                .with_prefix(prefix, iri)
                .map_err(|e| Error::Internal(format!("bad prefix {prefix}: {e}")))?;
        }
    }
    let mut writer = serializer.for_writer(sink.open(name)?);
    for quad in &named {
        writer.serialize_quad(quad)?;
    }
    finish(writer.finish()?, name)?;
    Ok(Written {
        files: vec![name.to_owned()],
        triples: named.len(),
        nodes: None,
        edges: None,
    })
}
