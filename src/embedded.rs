//! The files compiled into the binary by `build.rs`: the curated graph (`ontology/`, `data/`),
//! parsed at build time into a table of terms and a table of triples, the SHACL shapes and the
//! named queries, each as (path, text).
//!
//! The graph goes into a store without parsing Turtle: [`quads`] borrows every term from the
//! binary's static data, so a cold command pays only for the store's own inserts.

use oxigraph::model::{
    BlankNodeRef, GraphNameRef, LiteralRef, NamedNodeRef, NamedOrBlankNodeRef, QuadRef, TermRef,
};

/// A term of the compiled graph, as `build.rs` writes it.
#[derive(Debug, Clone, Copy)]
pub enum Term {
    Iri(&'static str),
    Blank(&'static str),
    /// A literal of type `xsd:string`.
    Simple(&'static str),
    /// A language-tagged literal: value, language tag.
    Lang(&'static str, &'static str),
    /// A typed literal: lexical form, datatype IRI.
    Typed(&'static str, &'static str),
}

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

impl Term {
    /// The term, borrowed from the binary. `build.rs` wrote what the Turtle parser gave, so
    /// every IRI, label and language tag is already valid.
    fn as_ref(self) -> TermRef<'static> {
        match self {
            Term::Iri(iri) => NamedNodeRef::new_unchecked(iri).into(),
            Term::Blank(id) => BlankNodeRef::new_unchecked(id).into(),
            Term::Simple(value) => LiteralRef::new_simple_literal(value).into(),
            Term::Lang(value, language) => {
                LiteralRef::new_language_tagged_literal_unchecked(value, language).into()
            }
            Term::Typed(value, datatype) => {
                LiteralRef::new_typed_literal(value, NamedNodeRef::new_unchecked(datatype)).into()
            }
        }
    }
}

/// How many triples the compiled graph has.
pub fn len() -> usize {
    TRIPLES.len()
}

/// The compiled graph's triples as quads of `graph`, borrowed from the binary.
pub fn quads(graph: GraphNameRef<'_>) -> impl Iterator<Item = QuadRef<'_>> {
    TRIPLES.iter().filter_map(move |&[s, p, o]| {
        let subject = match TERMS.get(s as usize)?.as_ref() {
            TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
            TermRef::BlankNode(b) => b.into(),
            _ => return None,
        };
        let TermRef::NamedNode(predicate) = TERMS.get(p as usize)?.as_ref() else {
            return None;
        };
        let object = TERMS.get(o as usize)?.as_ref();
        Some(QuadRef::new(subject, predicate, object, graph))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{Quad, Term as OxTerm};
    use std::path::Path;

    /// The compiled graph is exactly what parsing the curated Turtle at run time gives.
    #[test]
    fn the_compiled_graph_is_the_curated_turtle() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut parsed = Vec::new();
        for dir in ["ontology", "data"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("a source directory") {
                let path = entry.expect("a directory entry").path();
                if path.extension().is_none_or(|e| e != "ttl") || path.ends_with("shapes.ttl") {
                    continue;
                }
                let text = std::fs::read(&path).expect("a curated file");
                for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(&text) {
                    let quad = quad.expect("curated Turtle parses");
                    assert!(
                        !quad.subject.is_blank_node() && !matches!(quad.object, OxTerm::BlankNode(_)),
                        "blank nodes are compared by label: extend this test when the curated graph has one"
                    );
                    parsed.push(quad.to_string());
                }
            }
        }
        let mut compiled: Vec<String> = quads(GraphNameRef::DefaultGraph)
            .map(|q| Quad::from(q).to_string())
            .collect();
        assert_eq!(compiled.len(), len(), "every compiled triple is a quad");
        compiled.sort();
        parsed.sort();
        assert_eq!(compiled, parsed);
    }
}
