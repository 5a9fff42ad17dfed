//! A diagram with what a shareable page shows beside it: every edge's statements in full (every
//! qualifier with its label, the comment, the studies), each node's CURIE, types and synonyms,
//! and for a trace the ranked paths with their coherence. `render --format html` and
//! `trace --format html` lay this out with [`crate::render::html`].

use super::diagram::DiagramRequest;
use super::Engine;
use crate::error::Result;
use crate::evidence::{self, Scope};
use crate::render::html::NodeFacts;
use crate::render::Diagram;
use crate::report::PathReport;
use crate::store::Table;
use oxigraph::model::{NamedNode, Term};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// A diagram ready for a page.
#[derive(Debug, Clone, Serialize)]
pub struct PageReport {
    /// The diagram, its arrows' evidence with every qualifier and comment.
    pub diagram: Diagram,
    /// What each node of the diagram is (in the order of `diagram.nodes`).
    pub nodes: Vec<NodeFacts>,
    /// A trace's ranked paths (empty for other diagrams).
    pub paths: Vec<PathReport>,
    /// How names were understood.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Types and names of the diagram's nodes, read in batches.
const NODE_FACTS: &str = "SELECT ?s ?type ?typeLabel ?name WHERE {
  { ?s rdf:type ?type FILTER(isIRI(?type) && ?type NOT IN (owl:NamedIndividual, owl:Class))
    OPTIONAL { ?type rdfs:label ?typeLabel } }
  UNION { ?s skos:altLabel ?name }
  UNION { ?s skos:prefLabel ?name }
  UNION { ?s rdfs:label ?name }
}";

/// How many nodes one request asks about.
const NODES_PER_REQUEST: usize = 250;

impl Engine {
    /// The diagram a request selects (as [`Engine::diagram`]) with its evidence in full, what
    /// its nodes are, and a trace's paths.
    pub fn diagram_page(&self, request: &DiagramRequest, max_nodes: usize) -> Result<PageReport> {
        let (report, paths) = self.diagram_and_paths(request, max_nodes)?;
        let mut diagram = report.diagram;
        self.complete_evidence(&mut diagram)?;
        let nodes = self.node_facts(&diagram)?;
        Ok(PageReport {
            diagram,
            nodes,
            paths,
            notes: report.notes,
        })
    }

    /// Every qualifier (with its label) and the comment of each statement behind the arrows:
    /// the projection keeps only those a trace filters on.
    fn complete_evidence(&self, diagram: &mut Diagram) -> Result<()> {
        let prefixes = self.prefixes();
        let iri = |id: &str| match id.strip_prefix('<').and_then(|i| i.strip_suffix('>')) {
            Some(iri) => Some(iri.to_owned()),
            None => prefixes.expand(id),
        };
        let mut nodes: Vec<Term> = diagram
            .arrows
            .iter()
            .flat_map(|a| &a.evidence)
            .filter_map(|e| iri(&e.statement))
            .filter_map(|i| NamedNode::new(i).ok())
            .map(Term::NamedNode)
            .collect();
        nodes.sort_unstable_by_key(Term::to_string);
        nodes.dedup();
        if nodes.is_empty() {
            return Ok(());
        }
        let read = evidence::read(self.db(), Scope::Statements(&nodes))?;
        let full: HashMap<String, evidence::Evidence> = read
            .statements
            .iter()
            .filter_map(|stated| match &stated.node {
                Term::NamedNode(n) => {
                    Some((n.as_str().to_owned(), read.evidence(stated, prefixes)))
                }
                _ => None,
            })
            .collect();
        for e in diagram.arrows.iter_mut().flat_map(|a| &mut a.evidence) {
            if let Some(found) = iri(&e.statement).and_then(|i| full.get(&i)) {
                e.qualifiers.clone_from(&found.qualifiers);
                e.comment.clone_from(&found.comment);
            }
        }
        Ok(())
    }

    /// Each node's CURIE, types (labels, else CURIEs) and other names (synonyms and other
    /// labels than the one drawn).
    fn node_facts(&self, diagram: &Diagram) -> Result<Vec<NodeFacts>> {
        let prefixes = self.prefixes();
        let named: Vec<Term> = diagram
            .nodes
            .iter()
            .filter_map(|n| NamedNode::new(n.iri.as_str()).ok())
            .map(Term::NamedNode)
            .collect();
        let mut types: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut names: HashMap<String, BTreeSet<String>> = HashMap::new();
        for batch in named.chunks(NODES_PER_REQUEST) {
            let table = Table::column("s", batch.iter().cloned());
            for row in self.db().select_values(NODE_FACTS, &[table])? {
                let Some(Term::NamedNode(s)) = &row[0] else {
                    continue;
                };
                let s = s.as_str().to_owned();
                if let Some(Term::NamedNode(class)) = &row[1] {
                    let name = match &row[2] {
                        Some(Term::Literal(label)) => label.value().to_owned(),
                        _ => prefixes.curie(class.as_str()),
                    };
                    types.entry(s.clone()).or_default().insert(name);
                }
                if let Some(Term::Literal(name)) = &row[3] {
                    names.entry(s).or_default().insert(name.value().to_owned());
                }
            }
        }
        Ok(diagram
            .nodes
            .iter()
            .map(|node| NodeFacts {
                id: prefixes.curie(&node.iri),
                types: types
                    .remove(&node.iri)
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
                synonyms: names
                    .remove(&node.iri)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|name| *name != node.label)
                    .collect(),
            })
            .collect())
    }
}
