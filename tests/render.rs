//! `stroma render`: DOT built through graphviz-rust, parsed back and checked for nodes, edges,
//! styles, labels and references; SVG and PNG through Graphviz's `dot` for every diagram kind.

mod common;

use common::{have_tool, stdout_of, stroma, Scratch};
use graphviz_rust::dot_structures::{Attribute, EdgeTy, Graph, Id, Stmt, Vertex};
use predicates::prelude::*;
use std::collections::HashMap;

/// Nodes (id → attributes) and edges (from, to, attributes) of a DOT text, via graphviz-rust.
struct Parsed {
    nodes: HashMap<String, HashMap<String, String>>,
    edges: Vec<(String, String, HashMap<String, String>)>,
}

fn text(id: &Id) -> String {
    match id {
        Id::Html(s) | Id::Plain(s) | Id::Anonymous(s) => s.clone(),
        Id::Escaped(s) => s
            .trim_matches('"')
            .replace("\\\"", "\"")
            .replace("\\n", "\n"),
    }
}

fn attributes(list: &[Attribute]) -> HashMap<String, String> {
    list.iter()
        .map(|Attribute(k, v)| (text(k), text(v)))
        .collect()
}

fn collect(stmts: &[Stmt], parsed: &mut Parsed) {
    for stmt in stmts {
        match stmt {
            Stmt::Node(node) => {
                let attrs = attributes(&node.attributes);
                let entry = parsed.nodes.entry(text(&node.id.0)).or_default();
                entry.extend(attrs);
            }
            Stmt::Edge(edge) => {
                if let EdgeTy::Pair(Vertex::N(a), Vertex::N(b)) = &edge.ty {
                    parsed
                        .edges
                        .push((text(&a.0), text(&b.0), attributes(&edge.attributes)));
                }
            }
            Stmt::Subgraph(sub) => collect(&sub.stmts, parsed),
            _ => {}
        }
    }
}

fn parse(dot: &str) -> Parsed {
    let graph = graphviz_rust::parse(dot).expect("graphviz-rust parses the DOT");
    let Graph::DiGraph { stmts, .. } = graph else {
        panic!("a digraph")
    };
    let mut parsed = Parsed {
        nodes: HashMap::new(),
        edges: Vec::new(),
    };
    collect(&stmts, &mut parsed);
    parsed
}

impl Parsed {
    fn node(&self, label: &str) -> (&String, &HashMap<String, String>) {
        self.nodes
            .iter()
            .find(|(id, a)| {
                !id.starts_with("legend")
                    && a.get("label").map(|l| l.replace('\n', " ")) == Some(label.to_owned())
            })
            .unwrap_or_else(|| panic!("no node labelled {label:?}"))
    }

    fn edge(&self, from: &str, to: &str) -> &HashMap<String, String> {
        let (a, _) = self.node(from);
        let (b, _) = self.node(to);
        &self
            .edges
            .iter()
            .find(|(x, y, _)| x == a && y == b)
            .unwrap_or_else(|| panic!("no edge {from} → {to}"))
            .2
    }
}

#[test]
fn pathway_diagram_holds_figure_1_with_references_and_styles() {
    let dot = stdout_of(&["render", "pathway", "--format", "dot"]);
    let parsed = parse(&dot);
    for label in [
        "PI3K/Akt signalling",
        "BDNF",
        "NGF",
        "HGF",
        "IGFBP1",
        "TNFα",
        "IL-6",
        "IL-10",
        "Bax",
        "SIRT6",
        "TSG-6",
        "IFNγ",
        "ERK1/2 signalling",
        "Notch-1 signalling",
        "M1 macrophage",
        "M2 macrophage",
    ] {
        parsed.node(label);
    }
    let (_, cell) = parsed.node("iPSC-derived MSC");
    assert_eq!(cell["shape"], "box3d");
    assert!(cell["URL"].ends_with("/iPSC-MSC"));
    let (_, factor) = parsed.node("TSG-6");
    assert_eq!(factor["shape"], "ellipse");
    let secretes = parsed.edge("iPSC-derived MSC", "TSG-6");
    assert_eq!(secretes["label"], "secretes [111]");
    assert_eq!(secretes["arrowhead"], "normal");
    assert!(secretes["tooltip"].contains("111; Yang H 2019"));
    let bax = parsed.edge("iPSC-derived MSC", "Bax");
    assert_eq!(bax["arrowhead"], "tee", "inhibition is drawn differently");
    assert!(bax["label"].contains("[82]"));
    let angiogenesis = parsed.edge("PI3K/Akt signalling", "angiogenesis");
    assert!(angiogenesis["label"].contains("64"));
    parsed.node("experimental colitis (mouse)");
    assert!(parsed.nodes.contains_key("legend0"), "a legend");
    assert!(dot.contains("rank=\"same\""), "one rank per layer");
}

#[test]
fn pathway_filters_narrow_the_diagram() {
    let full = parse(&stdout_of(&["render", "pathway"])).nodes.len();
    let ibd = parse(&stdout_of(&[
        "render",
        "pathway",
        "--disease",
        "inflammatory bowel disease",
    ]));
    assert!(ibd.nodes.len() < full);
    ibd.node("TSG-6");
    ibd.node("intestinal repair");
    assert!(!ibd
        .nodes
        .values()
        .any(|a| a.get("label").is_some_and(|l| l == "Bax")));
    let rat = parse(&stdout_of(&[
        "render",
        "pathway",
        "--organism",
        "rat",
        "--cell",
        "iPSC-MSC",
    ]));
    rat.node("PI3K/Akt signalling");
    assert!(
        !rat.nodes
            .values()
            .any(|a| a.get("label").is_some_and(|l| l == "TSG-6")),
        "TSG-6 was shown in mice"
    );
}

#[test]
fn trace_neighbourhood_and_query_diagrams() {
    let trace = parse(&stdout_of(&[
        "render",
        "trace",
        "iPSC-MSC",
        "intestinal repair",
    ]));
    trace.edge("TSG-6", "intestinal repair");
    let hood = parse(&stdout_of(&[
        "render",
        "neighborhood",
        "TSG-6",
        "--depth",
        "1",
    ]));
    hood.edge("iPSC-derived MSC", "TSG-6");
    let query = parse(&stdout_of(&[
        "render",
        "query",
        "CONSTRUCT { sr:TSG6 st:promotes ?o } WHERE { sr:TSG6 st:promotes ?o }",
    ]));
    query.edge("TSG-6", "intestinal repair");
}

#[test]
fn user_labels_with_markup_and_quotes_render() {
    let scratch = Scratch::new();
    let data = scratch.file(
        "odd.ttl",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<http://e.org/a> rdfs:label \"a \\\"quoted\\\" <b>bold</b> & \\\\ label\" ; <http://e.org/p> <http://e.org/b> .\n<http://e.org/b> rdfs:label \"plain\" .\n",
    );
    let dot = stdout_of(&[
        "render",
        "neighborhood",
        "plain",
        "--no-embedded",
        "--data",
        data.to_str().unwrap(),
    ]);
    let parsed = parse(&dot);
    parsed.node("a \"quoted\" <b>bold</b> & \\\\ label");
    if have_tool("dot", &["-V"]) {
        let svg = stdout_of(&[
            "render",
            "neighborhood",
            "plain",
            "--format",
            "svg",
            "--no-embedded",
            "--data",
            data.to_str().unwrap(),
        ]);
        assert!(
            svg.contains("&lt;b&gt;bold&lt;/b&gt;"),
            "markup is escaped in SVG"
        );
        assert!(!svg.contains("<b>bold</b>"));
    }
}

#[test]
fn too_many_nodes_are_refused_with_a_message() {
    stroma()
        .args(["render", "pathway", "--max-nodes", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--max-nodes 5"));
}

#[test]
fn svg_and_png_go_through_graphviz_for_every_diagram_kind() {
    if !have_tool("dot", &["-V"]) {
        return;
    }
    let scratch = Scratch::new();
    let kinds: [&[&str]; 4] = [
        &["pathway"],
        &["neighborhood", "TSG-6"],
        &["trace", "iPSC-MSC", "intestinal repair"],
        &["query", "CONSTRUCT { sr:TSG6 ?p ?o } WHERE { sr:TSG6 ?p ?o FILTER(isIRI(?o) && ?p != rdf:type) }"],
    ];
    for (i, kind) in kinds.iter().enumerate() {
        for ext in ["svg", "png"] {
            let path = scratch.path().join(format!("d{i}.{ext}"));
            let mut args = vec!["render"];
            args.extend_from_slice(kind);
            args.extend_from_slice(&["-o", path.to_str().unwrap()]);
            stroma().args(&args).assert().success();
            let bytes = std::fs::read(&path).unwrap();
            match ext {
                "svg" => assert!(String::from_utf8_lossy(&bytes).contains("<svg"), "{kind:?}"),
                _ => assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{kind:?}"),
            }
        }
    }
}

#[test]
fn unknown_render_format_lists_the_valid_ones() {
    stroma()
        .args(["render", "pathway", "--format", "gif"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dot, svg, png"));
}
