//! Fuzzes the DOT builder (src/render/dot.rs: `to_dot`, `to_dot_for_page`, `print`) on
//! diagrams (src/render/mod.rs: `Diagram`, `add_node`, `add_arrow`) of arbitrary titles,
//! labels, IRIs, relations, references and links.
//!
//! Checks, beyond "no panic": the printed DOT parses back with graphviz-rust's parser as a
//! digraph; every attribute value is a quoted string (never an HTML-like `<…>` label, so a
//! label's `<script>` stays text) whose escapes are only `\"`, `\\` and `\n`, and which reads
//! back as the text it came from (a node's label up to its line wrapping; control characters
//! other than the newline, U+FFFE and U+FFFF dropped); the DOT holds none of those (Graphviz
//! refuses a NUL and copies the others into SVG, where XML forbids them); each diagram node is
//! one DOT node, and each arrow between drawn nodes one edge (plus the legend's).

#![no_main]

use arbitrary::Arbitrary;
use graphviz_rust::dot_structures::{Attribute, EdgeTy, Graph, GraphAttributes, Id, Stmt, Vertex};
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use stroma::graph::Polarity;
use stroma::render::{print, to_dot, to_dot_for_page, Arrow, Box_, Diagram, Kind};

#[derive(Arbitrary, Debug)]
struct Input {
    title: String,
    nodes: Vec<NodeIn>,
    arrows: Vec<ArrowIn>,
    /// Draw for a web page (links from `link`, no legend) rather than with `to_dot`.
    page: bool,
}

#[derive(Arbitrary, Debug)]
struct NodeIn {
    iri: String,
    label: String,
    kind: u8,
    rank: Option<u8>,
    link: String,
}

#[derive(Arbitrary, Debug)]
struct ArrowIn {
    /// A node by position, or (past the last) an IRI no node has.
    from: u8,
    to: u8,
    relation: String,
    polarity: u8,
    references: String,
    context_change: bool,
}

const KINDS: [Kind; 8] = [
    Kind::Cell,
    Kind::Product,
    Kind::Factor,
    Kind::Pathway,
    Kind::Process,
    Kind::Effect,
    Kind::Disease,
    Kind::Other,
];

/// What a quoted DOT string should read back as: the text without the characters `quoted`
/// drops (see [`forbidden`]).
fn expected(text: &str) -> String {
    text.chars().filter(|c| !forbidden(*c)).collect()
}

/// What XML cannot hold (control characters but the newline, U+FFFE and U+FFFF), so neither
/// may the DOT: Graphviz copies labels into SVG as they are.
fn forbidden(c: char) -> bool {
    c != '\n' && (c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'))
}

/// The text of a quoted DOT string, undoing `\"`, `\\` and `\n`; None for a value that is not
/// quoted or holds another escape (which Graphviz would interpret: `\N`, `\l`, …).
fn unescape(id: &Id) -> Option<String> {
    let Id::Escaped(quoted) = id else {
        return None;
    };
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                '"' => text.push('"'),
                '\\' => text.push('\\'),
                'n' => text.push('\n'),
                _ => return None,
            },
            '"' => return None,
            c => text.push(c),
        }
    }
    Some(text)
}

/// Nodes (id → attributes) and edges (from, to) of a parsed graph, with every attribute value
/// checked to be a quoted string.
#[derive(Default)]
struct Parsed {
    title: Option<String>,
    nodes: HashMap<String, HashMap<String, String>>,
    edges: Vec<(String, String, HashMap<String, String>)>,
}

fn attributes(list: &[Attribute], dot: &str) -> HashMap<String, String> {
    list.iter()
        .map(|Attribute(key, value)| {
            let Id::Plain(key) = key else {
                panic!("an attribute name that is not plain: {key:?}\n{dot}")
            };
            let text = unescape(value)
                .unwrap_or_else(|| panic!("{key}={value:?} is not a plain quoted string\n{dot}"));
            (key.clone(), text)
        })
        .collect()
}

fn collect(stmts: &[Stmt], parsed: &mut Parsed, dot: &str) {
    let plain = |id: &Id| match id {
        Id::Plain(id) => id.clone(),
        other => panic!("a node id that is not plain: {other:?}\n{dot}"),
    };
    for stmt in stmts {
        match stmt {
            Stmt::Node(node) => {
                let attrs = attributes(&node.attributes, dot);
                parsed
                    .nodes
                    .entry(plain(&node.id.0))
                    .or_default()
                    .extend(attrs);
            }
            Stmt::Edge(edge) => {
                let EdgeTy::Pair(Vertex::N(a), Vertex::N(b)) = &edge.ty else {
                    panic!("an edge that is not a pair of nodes: {edge:?}\n{dot}")
                };
                let attrs = attributes(&edge.attributes, dot);
                parsed.edges.push((plain(&a.0), plain(&b.0), attrs));
            }
            Stmt::Subgraph(sub) => collect(&sub.stmts, parsed, dot),
            Stmt::Attribute(attr) => {
                attributes(std::slice::from_ref(attr), dot);
            }
            Stmt::GAttribute(GraphAttributes::Graph(list)) => {
                let attrs = attributes(list, dot);
                if let Some(label) = attrs.get("label") {
                    parsed.title = Some(label.clone());
                }
            }
            Stmt::GAttribute(GraphAttributes::Node(list) | GraphAttributes::Edge(list)) => {
                attributes(list, dot);
            }
        }
    }
}

fn diagram(input: &Input) -> Diagram {
    let mut diagram = Diagram {
        title: input.title.clone(),
        ..Diagram::default()
    };
    for node in input.nodes.iter().take(40) {
        diagram.add_node(Box_ {
            iri: node.iri.clone(),
            label: node.label.clone(),
            kind: KINDS[usize::from(node.kind) % KINDS.len()],
            rank: node.rank.map(|r| usize::from(r % 6)),
        });
    }
    let iri = |at: u8| {
        input
            .nodes
            .get(usize::from(at))
            .map_or_else(|| format!("urn:none:{at}"), |n| n.iri.clone())
    };
    for arrow in input.arrows.iter().take(80) {
        diagram.add_arrow(Arrow {
            from: iri(arrow.from),
            to: iri(arrow.to),
            relation: arrow.relation.clone(),
            polarity: [
                None,
                Some(Polarity::Positive),
                Some(Polarity::Negative),
                Some(Polarity::Neutral),
            ][usize::from(arrow.polarity % 4)],
            references: arrow.references.clone(),
            context_change: arrow.context_change,
            evidence: Vec::new(),
        });
    }
    diagram
}

fuzz_target!(|input: Input| {
    let diagram = diagram(&input);
    let links: HashMap<&str, &str> = input
        .nodes
        .iter()
        .rev()
        .map(|n| (n.iri.as_str(), n.link.as_str()))
        .collect();
    let link = |node: &Box_| {
        links
            .get(node.iri.as_str())
            .copied()
            .unwrap_or("")
            .to_owned()
    };
    let graph = if input.page {
        to_dot_for_page(&diagram, &link)
    } else {
        to_dot(&diagram)
    };
    let dot = print(graph);

    if let Some(bad) = dot.chars().find(|c| forbidden(*c)) {
        panic!("a control character {bad:?} in the DOT:\n{dot}");
    }
    let parsed = graphviz_rust::parse(&dot)
        .unwrap_or_else(|e| panic!("the DOT does not parse back: {e}\n{dot}"));
    let Graph::DiGraph { stmts, .. } = parsed else {
        panic!("not a digraph:\n{dot}")
    };
    let mut found = Parsed::default();
    collect(&stmts, &mut found, &dot);

    for (i, node) in diagram.nodes.iter().enumerate() {
        let attrs = found
            .nodes
            .get(&format!("n{i}"))
            .unwrap_or_else(|| panic!("node n{i} missing\n{dot}"));
        let label = &attrs["label"];
        // Wrapped at the label's whitespace first, then stripped of what DOT cannot hold.
        let wrapped: Vec<String> = node
            .label
            .split_whitespace()
            .map(expected)
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(
            label.split_whitespace().collect::<Vec<_>>(),
            wrapped,
            "the label of n{i} reads back otherwise\n{dot}"
        );
        let url = if input.page {
            link(node)
        } else {
            node.iri.clone()
        };
        assert_eq!(attrs["URL"], expected(&url), "the URL of n{i}\n{dot}");
        assert!(
            attrs["tooltip"].starts_with(&expected(&node.label)),
            "the tooltip of n{i}\n{dot}"
        );
    }
    let drawn: std::collections::HashSet<&str> =
        diagram.nodes.iter().map(|n| n.iri.as_str()).collect();
    let arrows = diagram
        .arrows
        .iter()
        .filter(|a| drawn.contains(a.from.as_str()) && drawn.contains(a.to.as_str()))
        .count();
    let ours = found
        .edges
        .iter()
        .filter(|(a, b, _)| !a.starts_with("legend") && !b.starts_with("legend"))
        .count();
    assert_eq!(ours, arrows, "edges drawn\n{dot}");
    assert_eq!(
        found.title.as_deref(),
        Some(expected(&diagram.title).as_str()),
        "the title\n{dot}"
    );
});
