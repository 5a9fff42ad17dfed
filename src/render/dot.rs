//! A [`Diagram`] as a Graphviz graph through graphviz-rust's graph model: styles per kind,
//! arrows by polarity, references on labels and tooltips, the hop where a traced path's context
//! changes drawn bold, a legend; and its DOT text. Pure.

use super::{Box_, Diagram, Kind};
use crate::graph::Polarity;
use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Subgraph, Vertex,
};
use std::collections::{BTreeMap, BTreeSet};

/// A quoted DOT string. Control characters other than the newline (written `\n`) and the two
/// noncharacters XML forbids are dropped: Graphviz refuses a NUL and copies the others into SVG,
/// which cannot hold them.
fn quoted(text: &str) -> Id {
    let escaped = text
        .chars()
        .filter(|c| *c == '\n' || !(c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}')))
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    Id::Escaped(format!("\"{escaped}\""))
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_owned()), quoted(value))
}

fn dot_node(index: usize) -> NodeId {
    NodeId(Id::Plain(format!("n{index}")), None)
}

/// The `id` of the diagram's `index`th node in the DOT and in Graphviz's SVG, by which a page
/// finds the node's record.
pub fn node_id(index: usize) -> String {
    format!("node_{index}")
}

/// The `id` of the diagram's `index`th arrow in the DOT and in Graphviz's SVG, by which a page
/// finds the edge's evidence.
pub fn edge_id(index: usize) -> String {
    format!("edge_{index}")
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
    graph(diagram, &|node| node.iri.clone(), true)
}

/// The graph of a diagram for a web page: each node's `URL` chosen by `link` (the explorer
/// links nodes to their pages instead of their IRIs), and no legend (the page shows one).
pub fn to_dot_for_page(diagram: &Diagram, link: &dyn Fn(&Box_) -> String) -> Graph {
    graph(diagram, link, false)
}

fn graph(diagram: &Diagram, link: &dyn Fn(&Box_) -> String, with_legend: bool) -> Graph {
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
    for (i, node) in diagram.nodes.iter().enumerate() {
        let (shape, fill) = node.kind.style();
        stmts.push(Stmt::Node(DotNode::new(
            dot_node(i),
            vec![
                attr("id", &node_id(i)),
                attr("label", &wrap(&node.label, 22)),
                attr("shape", shape),
                attr("fillcolor", fill),
                attr("URL", &link(node)),
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
                .map(|i| Stmt::Node(DotNode::new(dot_node(*i), vec![]))),
        );
        stmts.push(Stmt::Subgraph(Subgraph {
            id: Id::Plain(format!("rank{rank}")),
            stmts: group,
        }));
    }
    for (at, arrow, from, to) in diagram.drawn_arrows() {
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
            attr("id", &edge_id(at)),
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
            ty: EdgeTy::Pair(Vertex::N(dot_node(from)), Vertex::N(dot_node(to))),
            attributes,
        }));
    }
    if with_legend {
        stmts.push(Stmt::Subgraph(legend(diagram)));
    }
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
    use crate::render::Arrow;

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
            evidence: Vec::new(),
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
