//! JSON-LD compacted with Stroma's context (`ontology/context.jsonld`, shipped with the
//! repository and written at the head of every export): subjects, predicates, types and
//! datatypes as compact IRIs (`sr:TSG6`, `st:promotes`), one node object per subject, named
//! graphs as `{"@id": G, "@graph": […]}`.
//!
//! Oxigraph's JSON-LD serialiser writes a context but no compact IRI, so the compaction is done
//! here, conservatively: an IRI is shortened only when its local part is a plain name
//! (letters, digits, `-`, `_`, `.`), which every JSON-LD processor expands back to the same
//! IRI. Literals keep their lexical form (`{"@value": "12", "@type": "xsd:integer"}`, never a
//! JSON number) and language tags, so the file re-parses to the same graph.

use super::{finish, Sink, Written};
use crate::error::{Error, Result};
use crate::vocab::{Prefixes, RDF};
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::Write as _;

/// The context every export uses, as shipped in `ontology/context.jsonld`.
pub const CONTEXT: &str = include_str!("../../ontology/context.jsonld");

/// The file an export writes (a single-file sink may write it elsewhere).
pub const FILE: &str = "graph.jsonld";

/// The prefixes of [`CONTEXT`], in its order.
pub fn context_prefixes() -> Result<Vec<(String, String)>> {
    let context = context()?;
    Ok(context
        .iter()
        .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.to_owned())))
        .collect())
}

fn context() -> Result<Map<String, Value>> {
    let document: Value = serde_json::from_str(CONTEXT)
        .map_err(|e| Error::Internal(format!("ontology/context.jsonld is not JSON: {e}")))?;
    match document.get("@context") {
        Some(Value::Object(context)) => Ok(context.clone()),
        _ => Err(Error::Internal(
            "ontology/context.jsonld has no @context object".into(),
        )),
    }
}

/// Writes `quads` as compacted JSON-LD into one file of `sink`.
pub fn write(quads: &[Quad], sink: &mut dyn Sink) -> Result<Written> {
    let context = context()?;
    let compactor = Compactor::new(&context);
    let rdf_type = format!("{RDF}type");
    // Graph (None: the default graph) → subject → node object.
    let mut graphs: BTreeMap<Option<String>, BTreeMap<String, Map<String, Value>>> =
        BTreeMap::new();
    let mut written = 0;
    for quad in quads {
        let graph = match &quad.graph_name {
            GraphName::DefaultGraph => None,
            GraphName::NamedNode(n) => Some(compactor.id(n.as_str())?),
            GraphName::BlankNode(b) => Some(format!("_:{}", b.as_str())),
        };
        let subject = match &quad.subject {
            NamedOrBlankNode::NamedNode(n) => compactor.id(n.as_str())?,
            NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
        };
        let node = graphs
            .entry(graph)
            .or_default()
            .entry(subject.clone())
            .or_insert_with(|| Map::from_iter([("@id".to_owned(), Value::String(subject))]));
        let (key, value) = match &quad.object {
            Term::NamedNode(class) if quad.predicate.as_str() == rdf_type => (
                "@type".to_owned(),
                Value::String(compactor.id(class.as_str())?),
            ),
            object => (
                compactor.id(quad.predicate.as_str())?,
                compactor.value(object)?,
            ),
        };
        let values = node.entry(key).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(values) = values {
            if !values.contains(&value) {
                values.push(value);
                written += 1;
            }
        }
    }
    let mut top = graphs.remove(&None).unwrap_or_default();
    for (name, nodes) in graphs {
        let Some(name) = name else { continue };
        let node = top
            .entry(name.clone())
            .or_insert_with(|| Map::from_iter([("@id".to_owned(), Value::String(name))]));
        node.insert(
            "@graph".to_owned(),
            Value::Array(nodes.into_values().map(Value::Object).collect()),
        );
    }
    let document = json!({
        "@context": Value::Object(context),
        "@graph": Value::Array(top.into_values().map(Value::Object).collect()),
    });
    let mut out = sink.open(FILE)?;
    serde_json::to_writer_pretty(&mut out, &document)
        .map_err(|e| Error::Io(std::io::Error::other(format!("{FILE}: {e}"))))?;
    out.write_all(b"\n")?;
    finish(out, FILE)?;
    Ok(Written {
        files: vec![FILE.to_owned()],
        triples: written,
        nodes: None,
        edges: None,
    })
}

/// Shortens IRIs with the context's prefixes, and refuses the IRIs a processor would misread.
struct Compactor {
    prefixes: Prefixes,
    terms: Vec<String>,
}

impl Compactor {
    fn new(context: &Map<String, Value>) -> Self {
        let mut prefixes = Prefixes::default();
        for (name, value) in context {
            if let Some(iri) = value.as_str() {
                prefixes.add(name, iri);
            }
        }
        Self {
            prefixes,
            terms: context.keys().cloned().collect(),
        }
    }

    /// `prefix:local` when it expands back to `iri`, else `iri` itself.
    fn id(&self, iri: &str) -> Result<String> {
        if let Some(short) = self.prefixes.shorten(iri).filter(|s| !s.ends_with(':')) {
            return Ok(short);
        }
        // An absolute IRI whose scheme is one of the context's terms would be read as a
        // compact IRI and expanded into another IRI.
        let scheme = iri.split_once(':').map_or("", |(scheme, _)| scheme);
        if self.terms.iter().any(|term| term == scheme) {
            return Err(Error::Usage(format!(
                "<{iri}> cannot be written in JSON-LD with Stroma's context: its scheme '{scheme}' is one of the context's prefixes"
            )));
        }
        Ok(iri.to_owned())
    }

    fn value(&self, term: &Term) -> Result<Value> {
        Ok(match term {
            Term::NamedNode(n) => json!({ "@id": self.id(n.as_str())? }),
            Term::BlankNode(b) => json!({ "@id": format!("_:{}", b.as_str()) }),
            Term::Literal(literal) => match literal.language() {
                Some(language) => json!({ "@value": literal.value(), "@language": language }),
                None if literal.datatype() == oxigraph::model::vocab::xsd::STRING => {
                    json!({ "@value": literal.value() })
                }
                None => json!({
                    "@value": literal.value(),
                    "@type": self.id(literal.datatype().as_str())?,
                }),
            },
            #[allow(unreachable_patterns)]
            other => {
                return Err(Error::Usage(format!(
                    "{other} cannot be written in JSON-LD"
                )))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_context_has_every_prefix_stroma_knows() {
        let shipped = context_prefixes().expect("the context parses");
        for (name, iri) in crate::vocab::DEFAULT_PREFIXES {
            assert!(
                shipped.iter().any(|(n, i)| n == name && i == iri),
                "{name}: missing from ontology/context.jsonld"
            );
        }
    }

    #[test]
    fn iris_whose_scheme_is_a_prefix_are_refused() {
        let compactor = Compactor::new(&context().expect("context"));
        assert_eq!(
            compactor
                .id("https://w3id.org/stroma/id/TSG6")
                .ok()
                .as_deref(),
            Some("sr:TSG6")
        );
        assert!(compactor.id("st:odd").is_err());
        assert_eq!(
            compactor.id("http://example.org/a/b c").ok().as_deref(),
            Some("http://example.org/a/b c")
        );
    }
}
