//! The mapping from Stroma's classes and relations to the Biolink model, read as data: the
//! SKOS matches of `ontology/biolink.ttl` (compiled in, so a foreign graph exports with it
//! too) and any the graph itself holds (a graph may extend or refine them).
//!
//! `skos:exactMatch`, `skos:closeMatch` and `skos:broadMatch` to a `biolink:` term are used, in
//! that order of preference; `skos:narrowMatch` is recorded in the file but never used, since
//! the Biolink term would claim more than Stroma's. A relation mapped to `biolink:affects` may
//! carry `st:biolinkObjectDirection` ("increased" or "decreased").

use crate::error::{Error, Result};
use crate::vocab::{BIOLINK, SKOS, ST};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
use std::collections::BTreeMap;

/// The mapping file compiled into Stroma.
pub const FILE: &str = include_str!("../../ontology/biolink.ttl");

/// What a Stroma class or relation maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The Biolink class or predicate, as a CURIE (`biolink:Cell`).
    pub curie: String,
    /// How close: 0 exact, 1 close, 2 broad.
    pub closeness: u8,
    /// `object_direction_qualifier` for an `affects` edge.
    pub direction: Option<String>,
}

/// Stroma IRI → its Biolink target.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    targets: BTreeMap<String, Target>,
}

impl Mapping {
    /// The quads of the compiled-in mapping file.
    pub fn embedded_quads() -> Result<Vec<Quad>> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(FILE.as_bytes())
            .map(|quad| {
                quad.map_err(|e| {
                    Error::Internal(format!("ontology/biolink.ttl does not parse: {e}"))
                })
            })
            .collect()
    }

    /// The mapping the matches among `quads` state.
    pub fn from_quads<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> Self {
        let matches = [
            (format!("{SKOS}exactMatch"), 0),
            (format!("{SKOS}closeMatch"), 1),
            (format!("{SKOS}broadMatch"), 2),
        ];
        let direction = format!("{ST}biolinkObjectDirection");
        let mut mapping = Self::default();
        let mut directions = BTreeMap::new();
        for quad in quads {
            let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            if quad.predicate.as_str() == direction {
                if let Term::Literal(value) = &quad.object {
                    directions.insert(subject.as_str().to_owned(), value.value().to_owned());
                }
                continue;
            }
            let Some((_, closeness)) = matches
                .iter()
                .find(|(p, _)| p.as_str() == quad.predicate.as_str())
            else {
                continue;
            };
            let Term::NamedNode(object) = &quad.object else {
                continue;
            };
            let Some(local) = object.as_str().strip_prefix(BIOLINK) else {
                continue;
            };
            let target = Target {
                curie: format!("biolink:{local}"),
                closeness: *closeness,
                direction: None,
            };
            let better = mapping
                .targets
                .get(subject.as_str())
                .is_none_or(|t| (t.closeness, &t.curie) > (target.closeness, &target.curie));
            if better {
                mapping.targets.insert(subject.as_str().to_owned(), target);
            }
        }
        for (iri, direction) in directions {
            if let Some(target) = mapping.targets.get_mut(&iri) {
                target.direction = Some(direction);
            }
        }
        mapping
    }

    /// The target of a class or relation, if it is mapped.
    pub fn get(&self, iri: &str) -> Option<&Target> {
        self.targets.get(iri)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_mapping_parses_and_prefers_the_closest_match() {
        let quads = Mapping::embedded_quads().expect("ontology/biolink.ttl parses");
        let mapping = Mapping::from_quads(&quads);
        let get = |local: &str| mapping.get(&format!("{ST}{local}")).cloned();
        assert_eq!(
            get("CellType").map(|t| t.curie).as_deref(),
            Some("biolink:Cell")
        );
        assert_eq!(get("Protein"), None, "narrow matches are not used");
        let promotes = get("promotes").expect("st:promotes is mapped");
        assert_eq!(promotes.curie, "biolink:affects");
        assert_eq!(promotes.direction.as_deref(), Some("increased"));
    }
}
