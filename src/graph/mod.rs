//! The projection of RDF into a petgraph graph for tracing: nodes are resources, edges are the
//! relations between them, and each edge carries the statement nodes (with studies and
//! qualifiers) that support it.
//!
//! Building is pure: a [`Builder`] is fed triples and statements and returns a [`Projection`];
//! [`read`] is the one function here that reads the graph (SELECTs through the store seam), and
//! it only feeds a builder.
//! Payloads are interned `u32` symbols, so millions of edges stay compact.

use crate::rdfs::Hierarchy;
use crate::vocab::{PROV_WAS_DERIVED_FROM, ST};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use std::collections::{HashMap, HashSet};

mod around;
mod codec;
mod read;
pub use around::{read_around, read_region, Around, Fetched, Region};
pub use read::read;

/// An interned string.
pub type Sym = u32;

/// A string interner: each distinct string is stored once and named by a [`Sym`].
#[derive(Debug, Default, Clone)]
pub struct Interner {
    strings: Vec<Box<str>>,
    ids: HashMap<Box<str>, Sym>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = Sym::try_from(self.strings.len()).expect("fewer than 2^32 strings");
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        self.ids.get(s).copied()
    }

    pub fn resolve(&self, id: Sym) -> &str {
        &self.strings[id as usize]
    }
}

/// The sign a relation states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Positive,
    Negative,
    Neutral,
}

/// An edge: one relation between two resources and the statements that support it.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub predicate: Sym,
    evidence_start: u32,
    evidence_len: u32,
}

/// A statement node and what it says about its evidence.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    pub id: Sym,
    pub studies: Vec<Sym>,
    pub organisms: Vec<Sym>,
    pub products: Vec<Sym>,
    pub cell_types: Vec<Sym>,
    pub disease_models: Vec<Sym>,
    /// Parts of the review that report it (st:reportedIn).
    pub parts: Vec<Sym>,
    /// The comparator of a comparison (st:comparedWith) and its outcome (st:comparison).
    pub compared_with: Vec<Sym>,
    pub comparison: Vec<Sym>,
}

/// A study's citation.
#[derive(Debug, Clone, Default)]
pub struct Study {
    pub number: Option<u32>,
    pub first_author: Option<Sym>,
    pub year: Option<i32>,
    pub title: Option<Sym>,
}

/// Which predicates become edges.
#[derive(Debug, Clone, Default)]
pub struct EdgeSelection {
    /// Only these predicates (IRIs), when not empty.
    pub via: Vec<String>,
    /// Never these predicates (IRIs).
    pub avoid: Vec<String>,
    /// Also the comparative relations (`st:comparative true`: higher in, lower in, similar in).
    pub comparisons: bool,
}

impl EdgeSelection {
    /// True for the selection every default trace and diagram walks.
    pub fn is_default(&self) -> bool {
        self.via.is_empty() && self.avoid.is_empty() && !self.comparisons
    }
}

/// The traced graph.
#[derive(Debug, Default)]
pub struct Projection {
    pub graph: DiGraph<Sym, Edge, u32>,
    pub names: Interner,
    nodes: HashMap<Sym, NodeIndex<u32>>,
    labels: HashMap<Sym, Sym>,
    types: HashMap<Sym, Vec<Sym>>,
    /// The class hierarchy (`rdfs:subClassOf`).
    classes: Hierarchy<Sym>,
    polarity: HashMap<Sym, Polarity>,
    /// Generic nodes (`st:hub true`) that undirected walks do not pass through.
    hubs: HashSet<Sym>,
    /// Relations that state comparisons (`st:comparative true`).
    comparative: HashSet<Sym>,
    /// Sources that are reviews (`st:Review`): the review's own claims, not one study.
    reviews: HashSet<Sym>,
    pub statements: Vec<Statement>,
    evidence: Vec<u32>,
    pub studies: HashMap<Sym, Study>,
    /// Compressed adjacency, [outgoing, incoming]: for each node a contiguous run of
    /// (edge, other node), so a walk reads neighbours sequentially.
    adjacency: [Csr; 2],
}

/// Compressed sparse rows: the neighbours of node n are `entries[offsets[n]..offsets[n + 1]]`.
#[derive(Debug, Default)]
struct Csr {
    offsets: Vec<u32>,
    entries: Vec<(u32, u32)>,
}

impl Csr {
    fn build(graph: &DiGraph<Sym, Edge, u32>, incoming: bool) -> Self {
        let mut offsets = vec![0u32; graph.node_count() + 1];
        for edge in graph.raw_edges() {
            let at = if incoming {
                edge.target()
            } else {
                edge.source()
            };
            offsets[at.index() + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut fill = offsets.clone();
        let mut entries = vec![(0u32, 0u32); graph.edge_count()];
        for (i, edge) in graph.raw_edges().iter().enumerate() {
            let (at, other) = if incoming {
                (edge.target(), edge.source())
            } else {
                (edge.source(), edge.target())
            };
            let slot = &mut fill[at.index()];
            entries[*slot as usize] = (i as u32, other.index() as u32);
            *slot += 1;
        }
        Self { offsets, entries }
    }
}

impl Projection {
    pub fn node(&self, iri: &str) -> Option<NodeIndex<u32>> {
        self.names
            .get(iri)
            .and_then(|s| self.nodes.get(&s))
            .copied()
    }

    pub fn iri(&self, node: NodeIndex<u32>) -> &str {
        self.names.resolve(self.graph[node])
    }

    /// The rdfs:label of a resource, or its IRI.
    pub fn label(&self, sym: Sym) -> &str {
        self.labels
            .get(&sym)
            .map_or_else(|| self.names.resolve(sym), |l| self.names.resolve(*l))
    }

    pub fn node_label(&self, node: NodeIndex<u32>) -> &str {
        self.label(self.graph[node])
    }

    pub fn polarity(&self, predicate: Sym) -> Option<Polarity> {
        self.polarity.get(&predicate).copied()
    }

    /// True when the source is a review (`st:Review`) rather than a study: claims a review
    /// makes on its own do not share a study just because they share the review.
    pub fn is_review(&self, source: Sym) -> bool {
        self.reviews.contains(&source)
    }

    /// True when the relation states a comparison (`st:comparative true`).
    pub fn is_comparative(&self, predicate: Sym) -> bool {
        self.comparative.contains(&predicate)
    }

    /// True when the node is marked `st:hub true`.
    pub fn is_hub(&self, node: NodeIndex<u32>) -> bool {
        self.hubs.contains(&self.graph[node])
    }

    /// The statements supporting an edge.
    pub fn evidence(&self, edge: EdgeIndex<u32>) -> impl Iterator<Item = &Statement> {
        let e = self.graph[edge];
        let range = e.evidence_start as usize..(e.evidence_start + e.evidence_len) as usize;
        self.evidence[range]
            .iter()
            .map(|i| &self.statements[*i as usize])
    }

    /// True when `class` is `ancestor` or one of its subclasses (rdfs:subClassOf*).
    pub fn is_subclass_of(&self, class: Sym, ancestor: Sym) -> bool {
        self.classes.is_below(&class, &ancestor)
    }

    /// True when the node is an instance of `class` or of one of its subclasses.
    pub fn is_instance(&self, node: NodeIndex<u32>, class: Sym) -> bool {
        self.types
            .get(&self.graph[node])
            .is_some_and(|types| self.classes.has_instance_type(types, &class))
    }

    /// The edges out of (or, `incoming`, into) a node, with the node at their other end.
    pub fn neighbours(
        &self,
        node: NodeIndex<u32>,
        incoming: bool,
    ) -> impl Iterator<Item = (EdgeIndex<u32>, NodeIndex<u32>)> + '_ {
        let csr = &self.adjacency[usize::from(incoming)];
        let range = csr.offsets[node.index()] as usize..csr.offsets[node.index() + 1] as usize;
        csr.entries[range]
            .iter()
            .map(|(e, n)| (EdgeIndex::new(*e as usize), NodeIndex::new(*n as usize)))
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}

/// Feeds a [`Projection`]; pure and incremental.
#[derive(Debug, Default)]
pub struct Builder {
    projection: Projection,
    edges: HashMap<(NodeIndex<u32>, Sym, NodeIndex<u32>), EdgeIndex<u32>>,
    pending: HashMap<(Sym, Sym, Sym), Vec<u32>>,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    fn node(&mut self, iri: &str) -> NodeIndex<u32> {
        let sym = self.projection.names.intern(iri);
        if let Some(node) = self.projection.nodes.get(&sym) {
            return *node;
        }
        let node = self.projection.graph.add_node(sym);
        self.projection.nodes.insert(sym, node);
        node
    }

    /// Adds an edge `subject —predicate→ object`.
    pub fn edge(&mut self, subject: &str, predicate: &str, object: &str) {
        let s = self.node(subject);
        let o = self.node(object);
        let p = self.projection.names.intern(predicate);
        if self.edges.contains_key(&(s, p, o)) {
            return;
        }
        let edge = self.projection.graph.add_edge(
            s,
            o,
            Edge {
                predicate: p,
                evidence_start: 0,
                evidence_len: 0,
            },
        );
        self.edges.insert((s, p, o), edge);
    }

    /// Adds a node for `iri` even if no edge is added for it (an end of a trace that has
    /// relations, none of them on a path).
    pub fn resource(&mut self, iri: &str) {
        self.node(iri);
    }

    /// Gives a resource its label; of several, the first in code-point order, so the choice
    /// does not depend on the order a backend returns rows in.
    pub fn label(&mut self, iri: &str, label: &str) {
        let iri = self.projection.names.intern(iri);
        let new = self.projection.names.intern(label);
        let names = &self.projection.names;
        self.projection
            .labels
            .entry(iri)
            .and_modify(|old| {
                if names.resolve(new) < names.resolve(*old) {
                    *old = new;
                }
            })
            .or_insert(new);
    }

    pub fn typed(&mut self, iri: &str, class: &str) {
        let iri = self.projection.names.intern(iri);
        let class = self.projection.names.intern(class);
        self.projection.types.entry(iri).or_default().push(class);
    }

    pub fn subclass(&mut self, class: &str, superclass: &str) {
        let class = self.projection.names.intern(class);
        let superclass = self.projection.names.intern(superclass);
        self.projection.classes.add(class, superclass);
    }

    /// Marks a relation as comparative (`st:comparative true`).
    pub fn comparative(&mut self, predicate: &str) {
        let predicate = self.projection.names.intern(predicate);
        self.projection.comparative.insert(predicate);
    }

    /// Marks a resource as a hub (`st:hub true`).
    pub fn hub(&mut self, iri: &str) {
        let iri = self.projection.names.intern(iri);
        self.projection.hubs.insert(iri);
    }

    pub fn polarity(&mut self, predicate: &str, polarity: Polarity) {
        let predicate = self.projection.names.intern(predicate);
        self.projection.polarity.insert(predicate, polarity);
    }

    pub fn study(
        &mut self,
        iri: &str,
        number: Option<u32>,
        first_author: Option<&str>,
        year: Option<i32>,
        title: Option<&str>,
    ) {
        let iri = self.projection.names.intern(iri);
        let first_author = first_author.map(|a| self.projection.names.intern(a));
        let title = title.map(|t| self.projection.names.intern(t));
        self.projection.studies.insert(
            iri,
            Study {
                number,
                first_author,
                year,
                title,
            },
        );
    }

    /// Adds a statement about `subject —predicate→ object`; `qualifiers` are (property, value)
    /// IRIs such as (st:organism, sr:Mouse) and (prov:wasDerivedFrom, ref:111).
    pub fn statement<'a>(
        &mut self,
        id: &str,
        triple: (&str, &str, &str),
        qualifiers: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) {
        let names = &mut self.projection.names;
        let mut statement = Statement {
            id: names.intern(id),
            ..Statement::default()
        };
        for (property, value) in qualifiers {
            let value = names.intern(value);
            match property.strip_prefix(ST) {
                Some("organism") => statement.organisms.push(value),
                Some("product") => statement.products.push(value),
                Some("cellType") => statement.cell_types.push(value),
                Some("diseaseModel") => statement.disease_models.push(value),
                Some("reportedIn") => statement.parts.push(value),
                Some("comparedWith") => statement.compared_with.push(value),
                Some("comparison") => statement.comparison.push(value),
                _ if property == PROV_WAS_DERIVED_FROM => statement.studies.push(value),
                _ => {}
            }
        }
        let key = (
            names.intern(triple.0),
            names.intern(triple.1),
            names.intern(triple.2),
        );
        let index = u32::try_from(self.projection.statements.len()).expect("< 2^32 statements");
        self.projection.statements.push(statement);
        self.pending.entry(key).or_default().push(index);
    }

    /// The IRIs the statements added so far name as qualifier values or studies.
    pub fn qualifier_values(&self) -> Vec<String> {
        let mut syms: HashSet<Sym> = HashSet::new();
        for st in &self.projection.statements {
            for list in [
                &st.studies,
                &st.organisms,
                &st.products,
                &st.cell_types,
                &st.disease_models,
                &st.parts,
                &st.compared_with,
                &st.comparison,
            ] {
                syms.extend(list.iter().copied());
            }
        }
        syms.into_iter()
            .map(|s| self.projection.names.resolve(s).to_owned())
            .collect()
    }

    /// Attaches statements to their edges and returns the projection.
    pub fn finish(mut self) -> Projection {
        let projection = &mut self.projection;
        if let Some(review) = projection.names.get(&format!("{ST}Review")) {
            projection.reviews = projection
                .types
                .iter()
                .filter(|(_, classes)| classes.contains(&review))
                .map(|(source, _)| *source)
                .collect();
        }
        let mut evidence = Vec::new();
        for ((s, p, o), mut statements) in self.pending {
            // In statement IRI order, so reports do not depend on the order a backend returns
            // rows in (a whole graph read at once, or a remote one read around a trace).
            statements.sort_by(|a, b| {
                let name = |i: &u32| {
                    projection
                        .names
                        .resolve(projection.statements[*i as usize].id)
                };
                name(a).cmp(name(b))
            });
            let (Some(s), Some(o)) = (projection.nodes.get(&s), projection.nodes.get(&o)) else {
                continue;
            };
            let Some(edge) = self.edges.get(&(*s, p, *o)) else {
                continue;
            };
            let weight = &mut projection.graph[*edge];
            weight.evidence_start = u32::try_from(evidence.len()).expect("< 2^32 links");
            weight.evidence_len = u32::try_from(statements.len()).expect("< 2^32 links");
            evidence.extend(statements);
        }
        projection.evidence = evidence;
        projection.adjacency = [
            Csr::build(&projection.graph, false),
            Csr::build(&projection.graph, true),
        ];
        self.projection
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_interns_nodes_and_attaches_evidence_to_edges() {
        let mut b = Builder::new();
        b.edge("a", "p", "b");
        b.edge("a", "p", "b");
        b.edge("b", "q", "c");
        b.statement(
            "s1",
            ("a", "p", "b"),
            [
                (PROV_WAS_DERIVED_FROM, "ref1"),
                ("https://w3id.org/stroma/vocab#organism", "mouse"),
            ],
        );
        b.statement("s2", ("x", "p", "y"), [(PROV_WAS_DERIVED_FROM, "ref2")]);
        let p = b.finish();
        assert_eq!((p.node_count(), p.edge_count()), (3, 2));
        let a = p.node("a").unwrap();
        let edge = p.graph.edges(a).next().unwrap();
        let evidence: Vec<&Statement> = p.evidence(petgraph::visit::EdgeRef::id(&edge)).collect();
        assert_eq!(evidence.len(), 1);
        assert_eq!(p.names.resolve(evidence[0].studies[0]), "ref1");
        assert_eq!(p.names.resolve(evidence[0].organisms[0]), "mouse");
    }
}
