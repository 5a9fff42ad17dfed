//! A diagram as one self-contained HTML file to share: Graphviz's SVG inline, the evidence of
//! every edge (each statement's qualifiers and studies, a traced path's coherence and the hop's
//! place in it) shown in a side panel on a click, each node's label, types and CURIE, a search
//! that highlights matching nodes, and a legend. Everything is in the file (styles, script and
//! data as JSON in a `<script type="application/json">`): it opens from disk with no network,
//! and its content security policy forbids fetching anything.
//!
//! Pure: the caller lays the DOT out with [`crate::graphviz`] and writes the file. Text from
//! the graph reaches the page escaped: maud escapes the markup, the JSON escapes `<`, `>` and
//! `&` (no data can close its script element), and the script puts data into the page only as
//! text nodes.

use super::{edge_id, node_id, Diagram, Kind};
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Resource};
use crate::graph::Polarity;
use crate::report::{coherence_text, Level, PathReport};
use maud::{html, PreEscaped, DOCTYPE};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

const STYLE: &str = include_str!("assets/diagram.css");
const SCRIPT: &str = include_str!("assets/diagram.js");

/// What the page says about a node beyond the diagram: its CURIE, types and other names.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NodeFacts {
    /// The node's CURIE (`<iri>` when no prefix fits).
    pub id: String,
    /// The labels of its classes.
    pub types: Vec<String>,
    /// Its synonyms and labels other than the one drawn.
    pub synonyms: Vec<String>,
}

/// What a page is made of.
pub struct Page<'a> {
    pub diagram: &'a Diagram,
    /// One per node of the diagram, in its order (missing ones are shown without facts).
    pub nodes: &'a [NodeFacts],
    /// A trace's ranked paths (empty for other diagrams).
    pub paths: &'a [PathReport],
    pub notes: &'a [String],
    /// Graphviz's SVG of [`super::to_dot_for_page`] for the diagram.
    pub svg: &'a [u8],
}

/// Graphviz's SVG without the XML prolog and doctype before it, ready to sit inside HTML.
/// Graphviz escapes every label and link it writes; nothing of the user's reaches the page
/// unescaped through it.
pub fn inline_svg(svg: &[u8]) -> std::result::Result<String, String> {
    let text = String::from_utf8_lossy(svg);
    match text.find("<svg") {
        Some(start) => Ok(text[start..].to_owned()),
        None => Err("Graphviz wrote no SVG".into()),
    }
}

#[derive(Serialize)]
struct Data<'a> {
    title: &'a str,
    nodes: BTreeMap<String, NodeRecord<'a>>,
    edges: BTreeMap<String, EdgeRecord<'a>>,
    paths: Vec<PathRecord>,
}

#[derive(Serialize)]
struct NodeRecord<'a> {
    iri: &'a str,
    id: &'a str,
    label: &'a str,
    kind: &'static str,
    types: &'a [String],
    synonyms: &'a [String],
}

#[derive(Serialize)]
struct EdgeRecord<'a> {
    from: String,
    to: String,
    subject: Resource,
    relation: &'a str,
    object: Resource,
    polarity: Option<Polarity>,
    context_change: bool,
    evidence: &'a [Evidence],
    /// Where the edge lies on the traced paths.
    places: Vec<Place>,
}

/// A hop's place on a traced path.
#[derive(Serialize)]
struct Place {
    path: usize,
    hop: usize,
    length: usize,
    /// True when the path's context changes at this hop.
    new_context: bool,
}

#[derive(Serialize)]
struct PathRecord {
    rank: usize,
    length: usize,
    studies: usize,
    level: Level,
    /// How the hops hold together, as `stroma trace` says it.
    coherence: String,
}

/// The facts of a node the caller gave none for.
static NO_FACTS: NodeFacts = NodeFacts {
    id: String::new(),
    types: Vec::new(),
    synonyms: Vec::new(),
};

/// The page's data: every node and edge of the SVG by its id, and the paths.
fn data<'a>(page: &Page<'a>) -> Data<'a> {
    let diagram = page.diagram;
    let facts = |i: usize| page.nodes.get(i).unwrap_or(&NO_FACTS);
    let resource = |i: usize| Resource {
        iri: diagram.nodes[i].iri.clone(),
        id: facts(i).id.clone(),
        label: diagram.nodes[i].label.clone(),
    };
    let nodes = diagram
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let facts = facts(i);
            let record = NodeRecord {
                iri: &node.iri,
                id: &facts.id,
                label: &node.label,
                kind: node.kind.name(),
                types: &facts.types,
                synonyms: &facts.synonyms,
            };
            (node_id(i), record)
        })
        .collect();
    let mut edges = BTreeMap::new();
    // The arrows the DOT draws, by the same ids.
    for (at, arrow, from, to) in diagram.drawn_arrows() {
        let mut places = Vec::new();
        for path in page.paths {
            for (i, hop) in path.hops.iter().enumerate() {
                if hop.subject.iri == arrow.from
                    && hop.object.iri == arrow.to
                    && hop.predicate.label == arrow.relation
                {
                    places.push(Place {
                        path: path.rank,
                        hop: i + 1,
                        length: path.length,
                        new_context: path.coherence.changes.iter().any(|c| c.hop == i + 1),
                    });
                }
            }
        }
        let record = EdgeRecord {
            from: node_id(from),
            to: node_id(to),
            subject: resource(from),
            relation: &arrow.relation,
            object: resource(to),
            polarity: arrow.polarity,
            context_change: arrow.context_change,
            evidence: &arrow.evidence,
            places,
        };
        edges.insert(edge_id(at), record);
    }
    let paths = page
        .paths
        .iter()
        .map(|path| PathRecord {
            rank: path.rank,
            length: path.length,
            studies: path.studies,
            level: path.coherence.level,
            coherence: coherence_text(&path.coherence),
        })
        .collect();
    Data {
        title: &diagram.title,
        nodes,
        edges,
        paths,
    }
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` written as `\u` escapes
/// (they occur only inside strings), so no data can end the element or open a comment.
fn script_json(value: &impl Serialize) -> Result<String> {
    let json = serde_json::to_string(value)
        .map_err(|e| Error::Internal(format!("the page's data as JSON: {e}")))?;
    Ok(json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}

/// The page's content security policy: nothing is fetched, not even from the file's own
/// directory; only the page's own inline style and script run.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// The whole page.
pub fn page(page: &Page<'_>) -> Result<String> {
    let svg = inline_svg(page.svg).map_err(Error::Tool)?;
    let json = script_json(&data(page))?;
    let diagram = page.diagram;
    let kinds: BTreeSet<Kind> = diagram.nodes.iter().map(|n| n.kind).collect();
    let context_change = diagram.arrows.iter().any(|a| a.context_change);
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(POLICY);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="Stroma";
                title { (diagram.title) " · Stroma" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (diagram.title) }
                    div.search role="search" {
                        label for="search" { "Find in the diagram " }
                        input #search type="search" autocomplete="off" spellcheck="false"
                            aria-describedby="matches";
                        span #matches aria-live="polite" {}
                    }
                }
                @for note in page.notes { p.note { (note) } }
                main {
                    figure #diagram aria-label="Diagram: click an edge for its evidence, a node for what it is" {
                        (PreEscaped(svg))
                    }
                    aside #panel aria-live="polite" {
                        p.hint { "Click an edge to see the statements and studies behind it, or a node to see what it is." }
                        noscript { p { "The side panel and the search need JavaScript; every edge's label carries its reference numbers and its tooltip the full citations." } }
                    }
                }
                footer.legend {
                    @for kind in &kinds {
                        @let (_, fill) = kind.style();
                        span.kind { span.swatch style={ "background:" (fill) } {} (kind.name()) }
                    }
                    span.arrow.positive { "→ activates, increases" }
                    span.arrow.negative { "⊣ inhibits, decreases" }
                    span.arrow.neutral { "⇢ other relation" }
                    @if context_change {
                        span.arrow.change { "bold: ≠ new context (another study and disease model)" }
                    }
                    span.muted { "[n] = reference number in the review" }
                    @if !page.paths.is_empty() {
                        ul.paths {
                            @for path in page.paths {
                                li {
                                    "path " (path.rank) ": " (path.length) " hop"
                                    @if path.length != 1 { "s" }
                                    ", " (path.studies) " stud"
                                    @if path.studies == 1 { "y" } @else { "ies" }
                                    @let how = coherence_text(&path.coherence);
                                    @if !how.is_empty() { "; " (how) }
                                }
                            }
                        }
                    }
                }
                script id="stroma-data" type="application/json" { (PreEscaped(json)) }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    Ok(markup.into_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Arrow, Box_};

    fn diagram(label: &str) -> Diagram {
        let mut diagram = Diagram {
            title: format!("title {label}"),
            ..Diagram::default()
        };
        for (iri, label) in [("http://e/a", label), ("http://e/b", "b")] {
            diagram.add_node(Box_ {
                iri: iri.into(),
                label: label.into(),
                kind: Kind::Factor,
                rank: None,
            });
        }
        diagram.add_arrow(Arrow {
            from: "http://e/a".into(),
            to: "http://e/b".into(),
            relation: label.into(),
            polarity: Some(Polarity::Positive),
            references: String::new(),
            context_change: false,
            evidence: Vec::new(),
        });
        diagram
    }

    #[test]
    fn data_cannot_close_its_script_and_markup_is_escaped() {
        let hostile = "</script><script>alert(1)</script><!--";
        let diagram = diagram(hostile);
        let svg = b"<?xml version=\"1.0\"?>\n<svg><g id=\"edge_0\"></g></svg>";
        let html = page(&Page {
            diagram: &diagram,
            nodes: &[],
            paths: &[],
            notes: &[],
            svg,
        })
        .expect("a page");
        assert_eq!(html.matches("</script>").count(), 2, "{html}");
        assert!(!html.contains("alert(1)</script>"), "{html}");
        assert!(
            html.contains("&lt;/script&gt;"),
            "the title is escaped: {html}"
        );
        assert!(!html.contains("<?xml"), "{html}");
        let start = html.find("application/json\">").expect("the data") + 18;
        let end = start + html[start..].find("</script>").expect("its end");
        let data: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON");
        assert_eq!(data["edges"]["edge_0"]["relation"], hostile);
        assert_eq!(data["nodes"]["node_0"]["label"], hostile);
    }

    #[test]
    fn output_without_svg_is_an_error() {
        let diagram = diagram("a");
        let page = page(&Page {
            diagram: &diagram,
            nodes: &[],
            paths: &[],
            notes: &[],
            svg: b"not svg",
        });
        assert!(page.is_err());
    }
}
