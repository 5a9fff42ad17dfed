//! Shareable HTML diagrams (`render … --format html`, `trace … --format html`): one file that
//! fetches nothing, whose data holds the evidence of every edge in its SVG (studies as the graph
//! records them), with markup in labels escaped; and, in headless Chromium opened from disk with
//! no network, a click on an edge showing its evidence (`tests/browser/diagram.py` has the
//! steps). Graphviz draws the SVG: without `dot` these tests skip, and fail when
//! STROMA_REQUIRE_EXTERNAL=1. Screenshots land in the target dir (`tmp/diagram-screenshots`).

mod common;

use common::{have_tool, select, stroma, Scratch};
use predicates::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const STMT: &str = "https://w3id.org/stroma/statement/";

/// Runs stroma with `args` and `-o FILE.html` in a scratch directory; returns the page.
fn page_of(scratch: &Scratch, name: &str, args: &[&str]) -> String {
    let path = scratch.path().join(name);
    stroma()
        .args(args)
        .arg("-o")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
    std::fs::read_to_string(&path).expect("the page was written")
}

/// The page's embedded data.
fn data(html: &str) -> Value {
    let open = "<script id=\"stroma-data\" type=\"application/json\">";
    let start = html.find(open).expect("the data element") + open.len();
    let end = start + html[start..].find("</script>").expect("its end");
    serde_json::from_str(&html[start..end]).expect("the data is JSON")
}

/// The ids of the SVG's groups of a class (`<g id="edge_0" class="edge context&#45;change">`).
fn svg_ids(html: &str, class: &str) -> BTreeSet<String> {
    html.split("<g id=\"")
        .skip(1)
        .filter_map(|rest| {
            let (id, rest) = rest.split_once('"')?;
            let classes = rest.strip_prefix(" class=\"")?.split('"').next()?;
            classes
                .split_whitespace()
                .any(|c| c == class)
                .then(|| id.to_owned())
        })
        .collect()
}

/// What a page must not contain to open with no network: nothing loaded from elsewhere.
fn external_reference(html: &str) -> Option<&'static str> {
    let lower = html.to_lowercase();
    [
        " src=",
        "<link",
        "url(",
        "@import",
        "<iframe",
        "<object",
        "<embed",
        "href=",
        "http-equiv=\"refresh",
    ]
    .into_iter()
    .find(|needle| lower.contains(needle))
}

/// Every study of the graph: IRI → (reference number, first author, year).
fn studies() -> BTreeMap<String, (String, String, String)> {
    select(
        "SELECT ?s ?n ?a ?y WHERE { ?s a st:Study ; st:referenceNumber ?n ; st:firstAuthor ?a ; st:year ?y }",
    )
    .into_iter()
    .map(|row| (row["s"].clone(), (row["n"].clone(), row["a"].clone(), row["y"].clone())))
    .collect()
}

/// Every statement's sources, by its CURIE.
fn sources() -> BTreeMap<String, BTreeSet<String>> {
    let mut sources: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in select("SELECT ?st ?ref WHERE { ?st a st:Statement ; prov:wasDerivedFrom ?ref }") {
        let curie = row["st"].replace(STMT, "stmt:");
        sources.entry(curie).or_default().insert(row["ref"].clone());
    }
    sources
}

/// The page is self-contained, each SVG edge has its record and each record its drawn edge,
/// and every statement's studies are those the graph derives it from, cited as recorded.
fn check_page(html: &str, what: &str) -> Value {
    assert_eq!(
        external_reference(html),
        None,
        "{what} refers outside itself"
    );
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
    let data = data(html);
    let edges = data["edges"].as_object().expect("edges");
    let drawn = svg_ids(html, "edge");
    assert!(!drawn.is_empty(), "{what} draws edges");
    assert_eq!(
        drawn,
        edges.keys().cloned().collect(),
        "{what}: SVG edges and records"
    );
    let nodes = data["nodes"].as_object().expect("nodes");
    assert_eq!(
        svg_ids(html, "node"),
        nodes.keys().cloned().collect(),
        "{what}: SVG nodes"
    );
    let (studies, sources) = (studies(), sources());
    let mut cited = 0;
    for (id, edge) in edges {
        for end in ["from", "to"] {
            assert!(
                nodes.contains_key(edge[end].as_str().expect("an id")),
                "{what} {id}"
            );
        }
        for evidence in edge["evidence"].as_array().expect("evidence") {
            let statement = evidence["statement"].as_str().expect("a statement");
            let cites: BTreeSet<String> = evidence["studies"]
                .as_array()
                .expect("studies")
                .iter()
                .map(|s| s["iri"].as_str().expect("an IRI").to_owned())
                .collect();
            assert_eq!(
                Some(&cites),
                sources.get(statement),
                "{what} {id} {statement}"
            );
            for study in evidence["studies"].as_array().expect("studies") {
                let Some((number, author, year)) = studies.get(study["iri"].as_str().unwrap())
                else {
                    continue; // the review itself, a source without a number
                };
                assert_eq!(study["number"].to_string(), *number, "{what} {id}");
                assert_eq!(study["first_author"].as_str(), Some(author.as_str()));
                assert_eq!(study["year"].to_string(), *year);
                cited += 1;
            }
        }
    }
    assert!(cited > 0, "{what} cites studies");
    data
}

/// The one edge `subject —relation→ object` (labels).
fn edge<'a>(data: &'a Value, subject: &str, relation: &str, object: &str) -> &'a Value {
    let found: Vec<&Value> = data["edges"]
        .as_object()
        .expect("edges")
        .values()
        .filter(|e| {
            e["subject"]["label"] == subject
                && e["relation"] == relation
                && e["object"]["label"] == object
        })
        .collect();
    assert_eq!(found.len(), 1, "{subject} —{relation}→ {object}");
    found[0]
}

fn numbers(edge: &Value) -> BTreeSet<u64> {
    edge["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .flat_map(|e| e["studies"].as_array().expect("studies"))
        .filter_map(|s| s["number"].as_u64())
        .collect()
}

#[test]
fn a_trace_page_holds_every_hop_with_its_studies_coherence_and_place() {
    if !have_tool("dot", &["-V"]) {
        return;
    }
    let scratch = Scratch::new();
    let html = page_of(
        &scratch,
        "trace.html",
        &["trace", "iPSC-MSC", "intestinal repair", "--format", "html"],
    );
    let data = check_page(&html, "trace");
    // data/bone.ttl: the exosomes of iPSC-MSCs activate PI3K/Akt (ref 64, rat osteonecrosis).
    let activates = edge(
        &data,
        "iPSC-derived MSC",
        "activates",
        "PI3K/Akt signalling",
    );
    assert_eq!(numbers(activates), BTreeSet::from([64]));
    let evidence = &activates["evidence"][0];
    assert_eq!(evidence["organisms"], serde_json::json!(["rat"]));
    assert_eq!(evidence["products"], serde_json::json!(["exosomes"]));
    assert!(evidence["comment"]
        .as_str()
        .is_some_and(|c| c.contains("PI3K/Akt")));
    assert!(evidence["qualifiers"]
        .as_array()
        .expect("every qualifier")
        .iter()
        .any(|q| q[0] == "mechanism" && q[1] == "in endothelial cells"));
    // Its place: the first hop of path 5, whose context changes at hop 2.
    assert_eq!(activates["places"][0]["path"], 5);
    assert_eq!(activates["places"][0]["hop"], 1);
    let path5 = &data["paths"][4];
    assert_eq!(path5["level"], "mixed");
    assert_eq!(path5["coherence"], "mixed contexts: changes at hop 2");
    // data/immune.ttl: iPSC-MSCs secrete TSG-6 (ref 111, murine colitis).
    let secretes = edge(&data, "iPSC-derived MSC", "secretes", "TSG-6");
    assert_eq!(numbers(secretes), BTreeSet::from([111]));
    assert_eq!(data["paths"][1]["coherence"], "every hop on ref 111");
    // A node: its CURIE, types and synonyms.
    let tsg6 = data["nodes"]
        .as_object()
        .unwrap()
        .values()
        .find(|n| n["label"] == "TSG-6")
        .expect("TSG-6");
    assert_eq!(tsg6["id"], "sr:TSG6");
    assert!(tsg6["synonyms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "TNFAIP6"));
}

#[test]
fn every_render_diagram_comes_as_a_self_contained_page() {
    if !have_tool("dot", &["-V"]) {
        return;
    }
    let scratch = Scratch::new();
    for (name, args) in [
        (
            "pathway.html",
            vec![
                "render",
                "pathway",
                "--disease",
                "inflammatory bowel disease",
            ],
        ),
        (
            "neighbourhood.html",
            vec!["render", "neighborhood", "TSG-6"],
        ),
        (
            "trace.html",
            vec!["render", "trace", "TSG-6", "angiogenesis"],
        ),
    ] {
        // The format comes from the -o extension.
        let html = page_of(&scratch, name, &args);
        check_page(&html, name);
    }
    // A query's triples have no statements behind them, and say so.
    let html = page_of(
        &scratch,
        "query.htm",
        &[
            "render",
            "query",
            "CONSTRUCT WHERE { sr:TSG6 st:activates ?o }",
        ],
    );
    assert_eq!(external_reference(&html), None);
    let data = data(&html);
    assert_eq!(
        svg_ids(&html, "edge").len(),
        data["edges"].as_object().unwrap().len()
    );
}

#[test]
fn markup_in_labels_is_escaped_in_the_page_and_its_data() {
    if !have_tool("dot", &["-V"]) {
        return;
    }
    let scratch = Scratch::new();
    let hostile = scratch.file(
        "hostile.ttl",
        r#"
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix st: <https://w3id.org/stroma/vocab#> .
@prefix sr: <https://w3id.org/stroma/id/> .
sr:Evil a st:Factor ;
    rdfs:label "</script><script>alert('label')</script><!--" ;
    skos:altLabel "<img src=x onerror=alert('synonym')>" .
sr:Evil st:promotes sr:IntestinalRepair .
"#,
    );
    let hostile = hostile.to_str().expect("utf-8");
    for args in [
        vec![
            "render",
            "neighborhood",
            "sr:Evil",
            "--format",
            "html",
            "--data",
            hostile,
        ],
        vec![
            "trace",
            "sr:Evil",
            "intestinal repair",
            "--format",
            "html",
            "--data",
            hostile,
        ],
    ] {
        let html = page_of(&scratch, "hostile.html", &args);
        for raw in [
            "<script>alert",
            "<img src=x",
            "<!--\"",
            "alert('label')</script>",
        ] {
            assert!(!html.contains(raw), "{args:?}: raw {raw} in the page");
        }
        // Two scripts, the data and the page's own: no label closed or opened one.
        assert_eq!(html.matches("</script>").count(), 2, "{args:?}");
        assert!(
            html.contains("&lt;/script&gt;"),
            "the SVG shows the label as text"
        );
        let data = data(&html);
        let evil = data["nodes"]
            .as_object()
            .unwrap()
            .values()
            .find(|n| n["id"] == "sr:Evil")
            .expect("the node");
        assert_eq!(
            evil["label"],
            "</script><script>alert('label')</script><!--"
        );
        assert_eq!(evil["synonyms"][0], "<img src=x onerror=alert('synonym')>");
    }
}

#[test]
fn a_matrix_is_not_a_page() {
    stroma()
        .args(["trace", "--matrix", "--format", "html"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not html"));
}

#[test]
fn a_failed_page_leaves_no_file() {
    let scratch = Scratch::new();
    let path = scratch.path().join("nothing.html");
    stroma()
        .args([
            "trace",
            "iPSC-MSC",
            "no such entity at all",
            "--format",
            "html",
            "-o",
        ])
        .arg(&path)
        .assert()
        .failure();
    assert!(!path.exists());
    assert_eq!(
        std::fs::read_dir(scratch.path()).unwrap().count(),
        0,
        "no temporary file"
    );
}

/// The venv's Python with Selenium, when it, Chromium and Chromium's driver are installed.
fn browser() -> Option<String> {
    let tools = have_tool("dot", &["-V"])
        && have_tool("chromium", &["--version"])
        && have_tool("chromedriver", &["--version"]);
    tools.then(|| common::venv_python(&["selenium"])).flatten()
}

#[test]
fn a_reader_opens_a_shared_trace_offline_clicks_an_edge_and_sees_its_evidence() {
    let Some(python) = browser() else { return };
    let scratch = Scratch::new();
    let page = scratch.path().join("trace.html");
    stroma()
        .args([
            "trace",
            "iPSC-MSC",
            "intestinal repair",
            "--format",
            "html",
            "-o",
        ])
        .arg(&page)
        .assert()
        .success();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagram-screenshots");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/diagram.py");
    let output = std::process::Command::new(&python)
        .arg(&script)
        .arg(&page)
        .arg(&shots)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the browser walk failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for shot in [
        "1-opened.png",
        "2-edge.png",
        "3-context-change.png",
        "4-search.png",
    ] {
        let size = std::fs::metadata(shots.join(shot)).map_or(0, |m| m.len());
        assert!(size > 10_000, "{shot} was saved ({size} bytes)");
    }
    eprintln!("screenshots in {}", shots.display());
}
