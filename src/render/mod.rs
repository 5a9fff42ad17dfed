//! Diagrams: a [`Diagram`] (nodes with a kind and a rank, edges with a polarity and the studies
//! behind them) built from trace reports or a projection, and turned into a Graphviz graph
//! through graphviz-rust's graph model, or into a shareable HTML page around Graphviz's SVG.
//! Pure: no I/O; [`crate::graphviz`] runs `dot` for SVG and PNG.

use crate::evidence::Evidence;
use crate::graph::{Polarity, Projection};
use crate::report::{citations, PathReport, Reporter};
use petgraph::graph::NodeIndex;
use std::collections::HashSet;

mod dot;
mod heat_map;
pub mod html;
pub use dot::{edge_id, node_id, print, to_dot, to_dot_for_page};
pub use heat_map::heat_map;

/// What a node is, for its shape and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Cell,
    Product,
    Factor,
    Pathway,
    Process,
    Effect,
    Disease,
    Other,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cell => "cell type",
            Kind::Product => "cell product",
            Kind::Factor => "factor",
            Kind::Pathway => "signalling pathway",
            Kind::Process => "biological process",
            Kind::Effect => "therapeutic effect",
            Kind::Disease => "disease or model",
            Kind::Other => "other",
        }
    }

    /// (shape, fill colour) of the kind.
    pub fn style(self) -> (&'static str, &'static str) {
        match self {
            Kind::Cell => ("box3d", "#cfe2f3"),
            Kind::Product => ("cylinder", "#d9d2e9"),
            Kind::Factor => ("ellipse", "#fff2cc"),
            Kind::Pathway => ("hexagon", "#fce5cd"),
            Kind::Process => ("box", "#eeeeee"),
            Kind::Effect => ("box", "#d9ead3"),
            Kind::Disease => ("octagon", "#f4cccc"),
            Kind::Other => ("ellipse", "#ffffff"),
        }
    }

    /// The layer of the pathway diagram: cells → products and factors → pathways and target
    /// cells → processes and effects → diseases.
    pub fn layer(self) -> usize {
        match self {
            Kind::Cell => 0,
            Kind::Product | Kind::Factor => 1,
            Kind::Pathway | Kind::Other => 2,
            Kind::Process | Kind::Effect => 3,
            Kind::Disease => 4,
        }
    }
}

/// A node of a diagram.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Box_ {
    pub iri: String,
    pub label: String,
    pub kind: Kind,
    pub rank: Option<usize>,
}

/// An edge of a diagram.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Arrow {
    pub from: String,
    pub to: String,
    pub relation: String,
    pub polarity: Option<Polarity>,
    /// "111; Yang H 2019 | …"
    pub references: String,
    /// True when a traced path's context changes at this hop: it shares neither a study nor a
    /// disease model with the hops before it. Drawn bold and marked.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub context_change: bool,
    /// The statements behind the edge, with their qualifiers and studies (empty for a query's
    /// triples and for RDF without statements).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// A diagram before layout.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Diagram {
    pub title: String,
    pub nodes: Vec<Box_>,
    pub arrows: Vec<Arrow>,
}

impl Diagram {
    /// Each arrow with its position and the positions of its two ends among the nodes; an
    /// arrow whose ends are not both nodes is left out (so the DOT and a page that keys its
    /// records by the DOT's ids leave out the same ones).
    pub fn drawn_arrows(&self) -> Vec<(usize, &Arrow, usize, usize)> {
        let index: std::collections::HashMap<&str, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.iri.as_str(), i))
            .collect();
        self.arrows
            .iter()
            .enumerate()
            .filter_map(|(at, arrow)| {
                let from = *index.get(arrow.from.as_str())?;
                let to = *index.get(arrow.to.as_str())?;
                Some((at, arrow, from, to))
            })
            .collect()
    }

    fn has(&self, iri: &str) -> bool {
        self.nodes.iter().any(|n| n.iri == iri)
    }

    pub fn add_node(&mut self, node: Box_) {
        if !self.has(&node.iri) {
            self.nodes.push(node);
        }
    }

    /// Adds an arrow, or merges it into the one already drawn between the same ends with the
    /// same relation: the context-change mark, and any statement not yet behind it (its
    /// references then cite them all).
    pub fn add_arrow(&mut self, arrow: Arrow) {
        let same = |a: &&mut Arrow| {
            a.from == arrow.from && a.to == arrow.to && a.relation == arrow.relation
        };
        match self.arrows.iter_mut().find(same) {
            Some(drawn) => {
                drawn.context_change |= arrow.context_change;
                let before = drawn.evidence.len();
                for e in arrow.evidence {
                    if !drawn.evidence.iter().any(|d| d.statement == e.statement) {
                        drawn.evidence.push(e);
                    }
                }
                if drawn.evidence.len() > before {
                    drawn.references =
                        crate::evidence::citations(drawn.evidence.iter().flat_map(|e| &e.studies));
                }
            }
            None => self.arrows.push(arrow),
        }
    }
}

/// The kind of a projection node, from its classes.
pub fn kind_of(p: &Projection, node: NodeIndex<u32>) -> Kind {
    const ST: &str = crate::vocab::ST;
    let class = |local: &str| p.names.get(&format!("{ST}{local}"));
    let is = |local: &str| class(local).is_some_and(|c| p.is_instance(node, c));
    if is("CellType") {
        Kind::Cell
    } else if is("CellProduct") {
        Kind::Product
    } else if is("SignallingPathway") {
        Kind::Pathway
    } else if is("TherapeuticEffect") {
        Kind::Effect
    } else if is("BiologicalProcess") || is("Trait") {
        Kind::Process
    } else if is("Disease") || is("DiseaseModel") {
        Kind::Disease
    } else if is("Factor") || is("Marker") {
        Kind::Factor
    } else {
        Kind::Other
    }
}

/// Adds a hop's two ends (kinds from the projection; ranked by layer when `layered`) and its
/// arrow with references.
fn add_hop(
    diagram: &mut Diagram,
    p: &Projection,
    hop: &crate::report::Hop,
    layered: bool,
    context_change: bool,
) {
    for end in [&hop.subject, &hop.object] {
        let kind = p.node(&end.iri).map_or(Kind::Other, |n| kind_of(p, n));
        diagram.add_node(Box_ {
            iri: end.iri.clone(),
            label: end.label.clone(),
            kind,
            rank: layered.then(|| kind.layer()),
        });
    }
    diagram.add_arrow(Arrow {
        from: hop.subject.iri.clone(),
        to: hop.object.iri.clone(),
        relation: hop.predicate.label.clone(),
        polarity: hop.polarity,
        references: citations(hop),
        context_change,
        evidence: hop.evidence.clone(),
    });
}

/// A diagram of trace paths: each hop an arrow with its references; a hop where a path's
/// context changes is marked.
pub fn from_paths(title: &str, paths: &[PathReport], p: &Projection) -> Diagram {
    let mut diagram = Diagram {
        title: title.to_owned(),
        ..Diagram::default()
    };
    for path in paths {
        for (i, hop) in path.hops.iter().enumerate() {
            let change = path.coherence.changes.iter().any(|c| c.hop == i + 1);
            add_hop(&mut diagram, p, hop, false, change);
        }
    }
    diagram
}

/// A diagram of projection edges with the evidence that passes `filter`; ranked by layer when
/// `layered`.
pub fn from_edges(
    title: &str,
    reporter: &Reporter<'_>,
    edges: impl IntoIterator<Item = petgraph::graph::EdgeIndex<u32>>,
    filter: &crate::trace::Filter,
    layered: bool,
) -> Diagram {
    let p = reporter.projection;
    let mut diagram = Diagram {
        title: title.to_owned(),
        ..Diagram::default()
    };
    for edge in edges {
        let step = crate::trace::Step {
            edge,
            forward: true,
        };
        add_hop(&mut diagram, p, &reporter.hop(step, filter), layered, false);
    }
    diagram
}

/// The nodes within `depth` hops of `center` (either direction), at most `limit` of them, and
/// the edges among them.
pub fn neighbourhood(
    p: &Projection,
    center: NodeIndex<u32>,
    depth: usize,
) -> (Vec<NodeIndex<u32>>, Vec<petgraph::graph::EdgeIndex<u32>>) {
    let mut seen: HashSet<NodeIndex<u32>> = HashSet::from([center]);
    let mut order = vec![center];
    let mut frontier = vec![center];
    for _ in 0..depth {
        let mut next = Vec::new();
        for node in frontier {
            for incoming in [false, true] {
                for (_, other) in p.neighbours(node, incoming) {
                    if seen.insert(other) {
                        next.push(other);
                        order.push(other);
                    }
                }
            }
        }
        frontier = next;
    }
    let mut edges = Vec::new();
    for node in &order {
        for (edge, other) in p.neighbours(*node, false) {
            if seen.contains(&other) {
                edges.push(edge);
            }
        }
    }
    (order, edges)
}
