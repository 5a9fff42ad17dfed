//! Diagrams: a [`Diagram`] (nodes with a kind and a rank, edges with a polarity and the studies
//! behind them) built from trace reports or a projection, and turned into a Graphviz graph
//! through graphviz-rust's graph model. Pure: no I/O; [`crate::graphviz`] runs `dot` for SVG
//! and PNG.

use crate::graph::{Polarity, Projection};
use crate::report::{citations, PathReport, Reporter};
use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Subgraph, Vertex,
};
use petgraph::graph::NodeIndex;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

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
    fn style(self) -> (&'static str, &'static str) {
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
}

/// A diagram before layout.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Diagram {
    pub title: String,
    pub nodes: Vec<Box_>,
    pub arrows: Vec<Arrow>,
}

impl Diagram {
    fn has(&self, iri: &str) -> bool {
        self.nodes.iter().any(|n| n.iri == iri)
    }

    pub fn add_node(&mut self, node: Box_) {
        if !self.has(&node.iri) {
            self.nodes.push(node);
        }
    }

    pub fn add_arrow(&mut self, arrow: Arrow) {
        let same = |a: &&mut Arrow| {
            a.from == arrow.from && a.to == arrow.to && a.relation == arrow.relation
        };
        match self.arrows.iter_mut().find(same) {
            Some(drawn) => drawn.context_change |= arrow.context_change,
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
        let path = crate::trace::Path::new(
            p,
            p.graph.edge_endpoints(edge).expect("edge").0,
            vec![crate::trace::Step {
                edge,
                forward: true,
            }],
            filter,
        );
        for hop in &reporter.path(1, &path, filter).hops {
            add_hop(&mut diagram, p, hop, layered, false);
        }
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

fn quoted(text: &str) -> Id {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace('\r', "");
    Id::Escaped(format!("\"{escaped}\""))
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_owned()), quoted(value))
}

fn node_id(index: usize) -> NodeId {
    NodeId(Id::Plain(format!("n{index}")), None)
}

/// Wraps a label at about `width` characters on word boundaries.
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("a line");
        if !line.is_empty() && line.chars().count() + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines.join("\n")
}

/// The Graphviz graph of a diagram: one style per kind, arrows by polarity (activation: solid
/// with an arrowhead; inhibition: red with a bar), references on edge labels and tooltips,
/// `URL`s to the resources, ranks as `rank=same` groups, and a legend.
pub fn to_dot(diagram: &Diagram) -> Graph {
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", "LR"),
            attr("label", &diagram.title),
            attr("labelloc", "t"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "16"),
            attr("nodesep", "0.3"),
            attr("ranksep", "0.9"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "11"),
            attr("style", "filled"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "9"),
        ])),
    ];
    let index: HashMap<&str, usize> = diagram
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.iri.as_str(), i))
        .collect();
    for (i, node) in diagram.nodes.iter().enumerate() {
        let (shape, fill) = node.kind.style();
        stmts.push(Stmt::Node(DotNode::new(
            node_id(i),
            vec![
                attr("label", &wrap(&node.label, 22)),
                attr("shape", shape),
                attr("fillcolor", fill),
                attr("URL", &node.iri),
                attr(
                    "tooltip",
                    &format!("{} ({})\n{}", node.label, node.kind.name(), node.iri),
                ),
            ],
        )));
    }
    let mut ranks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, node) in diagram.nodes.iter().enumerate() {
        if let Some(rank) = node.rank {
            ranks.entry(rank).or_default().push(i);
        }
    }
    for (rank, members) in &ranks {
        let mut group = vec![Stmt::Attribute(attr("rank", "same"))];
        group.extend(
            members
                .iter()
                .map(|i| Stmt::Node(DotNode::new(node_id(*i), vec![]))),
        );
        stmts.push(Stmt::Subgraph(Subgraph {
            id: Id::Plain(format!("rank{rank}")),
            stmts: group,
        }));
    }
    for arrow in &diagram.arrows {
        let (Some(from), Some(to)) = (index.get(arrow.from.as_str()), index.get(arrow.to.as_str()))
        else {
            continue;
        };
        let (color, head, style) = match arrow.polarity {
            Some(Polarity::Positive) => ("#38761d", "normal", "solid"),
            Some(Polarity::Negative) => ("#cc0000", "tee", "solid"),
            _ => ("#666666", "open", "dashed"),
        };
        let label = if arrow.references.is_empty() {
            arrow.relation.clone()
        } else {
            let numbers: Vec<&str> = arrow
                .references
                .split(" | ")
                .filter_map(|c| c.split(';').next())
                .collect();
            format!("{} [{}]", arrow.relation, numbers.join(","))
        };
        let mut tooltip = if arrow.references.is_empty() {
            format!("{} (no evidence)", arrow.relation)
        } else {
            format!("{}: {}", arrow.relation, arrow.references)
        };
        let mut attributes = vec![
            attr("color", color),
            attr("fontcolor", color),
            attr("arrowhead", head),
        ];
        if arrow.context_change {
            tooltip.push_str(" (the context changes here: another study and disease model)");
            attributes.extend([
                attr("label", &format!("{label}\n≠ new context")),
                attr("style", &format!("{style},bold")),
                attr("penwidth", "3"),
                attr("class", "context-change"),
            ]);
        } else {
            attributes.extend([attr("label", &label), attr("style", style)]);
        }
        attributes.extend([attr("tooltip", &tooltip), attr("edgetooltip", &tooltip)]);
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(Vertex::N(node_id(*from)), Vertex::N(node_id(*to))),
            attributes,
        }));
    }
    stmts.push(Stmt::Subgraph(legend(diagram)));
    Graph::DiGraph {
        id: Id::Plain("stroma".to_owned()),
        strict: false,
        stmts,
    }
}

fn legend(diagram: &Diagram) -> Subgraph {
    let kinds: BTreeSet<Kind> = diagram.nodes.iter().map(|n| n.kind).collect();
    let mut stmts = vec![
        Stmt::Attribute(attr("label", "Legend")),
        Stmt::Attribute(attr("style", "rounded")),
        Stmt::Attribute(attr("color", "#999999")),
        Stmt::Attribute(attr("fontsize", "10")),
    ];
    for (i, kind) in kinds.iter().enumerate() {
        let (shape, fill) = kind.style();
        stmts.push(Stmt::Node(DotNode::new(
            NodeId(Id::Plain(format!("legend{i}")), None),
            vec![
                attr("label", kind.name()),
                attr("shape", shape),
                attr("fillcolor", fill),
                attr("fontsize", "9"),
                attr("height", "0.3"),
                attr("margin", "0.05"),
            ],
        )));
    }
    let mut arrows = vec![
        ("activates / increases", "#38761d", "normal", "solid"),
        ("inhibits / decreases", "#cc0000", "tee", "solid"),
        ("neutral", "#666666", "open", "dashed"),
    ];
    if diagram.arrows.iter().any(|a| a.context_change) {
        arrows.push((
            "≠ new context (study and model change)",
            "#444444",
            "normal",
            "bold",
        ));
    }
    for (i, (name, color, head, style)) in arrows.iter().enumerate() {
        let (a, b) = (format!("legend_a{i}"), format!("legend_b{i}"));
        for id in [&a, &b] {
            stmts.push(Stmt::Node(DotNode::new(
                NodeId(Id::Plain(id.clone()), None),
                vec![attr("shape", "point"), attr("width", "0.05")],
            )));
        }
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(Id::Plain(a), None)),
                Vertex::N(NodeId(Id::Plain(b), None)),
            ),
            attributes: vec![
                attr("label", name),
                attr("color", color),
                attr("fontcolor", color),
                attr("arrowhead", head),
                attr("style", style),
            ],
        }));
    }
    Subgraph {
        id: Id::Plain("cluster_legend".to_owned()),
        stmts,
    }
}

/// The factor × effect matrix as a self-contained SVG heat map: one row per factor, one column
/// per effect, each cell shaded by the number of distinct studies on the best path (blank
/// when out of reach), with the count written in it and a tooltip. `rows` and `columns` pick
/// the indices to draw.
pub fn heat_map(matrix: &crate::report::MatrixReport, rows: &[usize], columns: &[usize]) -> String {
    use std::fmt::Write as _;
    let xml = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let (cell, left, top) = (28usize, 260usize, 170usize);
    // Room on the right for the last rotated column label.
    let width = left + columns.len() * cell + 150;
    let height = top + rows.len() * cell + 40;
    let max = rows
        .iter()
        .flat_map(|r| columns.iter().filter_map(|c| matrix.cells[*r][*c]))
        .max()
        .unwrap_or(1)
        .max(1);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="Helvetica, Arial, sans-serif" font-size="11">"#
    );
    let _ = writeln!(
        svg,
        r#"<text x="10" y="18" font-size="14">Factors × therapeutic effects: distinct studies on the best path</text>"#
    );
    for (j, c) in columns.iter().enumerate() {
        let x = left + j * cell + cell / 2;
        let _ = writeln!(
            svg,
            r#"<text transform="translate({x},{}) rotate(-55)">{}</text>"#,
            top - 6,
            xml(&matrix.columns[*c].label)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + i * cell;
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            left - 6,
            y + cell / 2 + 4,
            xml(&matrix.rows[*r].label)
        );
        for (j, c) in columns.iter().enumerate() {
            let x = left + j * cell;
            let (fill, text) = match matrix.cells[*r][*c] {
                Some(n) => {
                    // From pale to deep green with the number of studies.
                    let t = n as f64 / max as f64;
                    let shade = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
                    (
                        format!(
                            "#{:02x}{:02x}{:02x}",
                            shade(229.0, 56.0),
                            shade(245.0, 118.0),
                            shade(224.0, 29.0)
                        ),
                        n.to_string(),
                    )
                }
                None => ("#ffffff".to_owned(), String::new()),
            };
            let tip = format!(
                "{} → {}: {}",
                matrix.rows[*r].label,
                matrix.columns[*c].label,
                if text.is_empty() {
                    "out of reach".to_owned()
                } else {
                    format!("{text} stud(ies)")
                }
            );
            let _ = writeln!(
                svg,
                r##"<g><title>{}</title><rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="#cccccc"/><text x="{}" y="{}" text-anchor="middle">{text}</text></g>"##,
                xml(&tip),
                x + cell / 2,
                y + cell / 2 + 4
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// The DOT text of a graph.
pub fn print(graph: Graph) -> String {
    graphviz_rust::print(
        graph,
        &mut graphviz_rust::printer::PrinterContext::default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_quotes_and_markup_are_escaped_and_parse_back() {
        let mut diagram = Diagram {
            title: "a \"quoted\" <title>\\".into(),
            ..Diagram::default()
        };
        for (iri, label) in [
            ("http://e/a", "say \"hi\" <b>"),
            ("http://e/b", "back\\slash\nnew line"),
        ] {
            diagram.add_node(Box_ {
                iri: iri.into(),
                label: label.into(),
                kind: Kind::Factor,
                rank: Some(1),
            });
        }
        diagram.add_arrow(Arrow {
            from: "http://e/a".into(),
            to: "http://e/b".into(),
            relation: "inhibits".into(),
            polarity: Some(Polarity::Negative),
            references: "111; Yang H 2019".into(),
            context_change: false,
        });
        let dot = print(to_dot(&diagram));
        let parsed = graphviz_rust::parse(&dot).expect("the DOT parses");
        let Graph::DiGraph { stmts, .. } = parsed else {
            panic!("a digraph")
        };
        assert!(stmts.iter().any(|s| matches!(s, Stmt::Edge(_))));
        assert!(dot.contains("arrowhead=\"tee\""), "{dot}");
        assert!(dot.contains("inhibits [111]"), "{dot}");
    }
}
