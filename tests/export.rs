//! `stroma export`: every format read back gives the graph it came from (compared, blank nodes
//! canonicalised, with an independent dump of the graph through `stroma query`), on the
//! embedded graph and on a small foreign file; KGX checked against the review and by the
//! real KGX validator; bad input leaves nothing behind.

mod common;

use common::{stroma, Scratch};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, Graph, GraphName, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

const DEFAULT_GRAPH: &str = "https://w3id.org/stroma/graph";

fn foreign() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export/foreign.trig")
}

/// The source options: the embedded graph, or only the foreign file.
fn source(foreign_file: bool) -> Vec<String> {
    if foreign_file {
        vec![
            "--no-embedded".into(),
            "--data".into(),
            foreign().display().to_string(),
        ]
    } else {
        Vec::new()
    }
}

/// Runs `stroma export ARGS SOURCE`, asserting success; returns stdout.
fn export(args: &[&str], foreign_file: bool) -> Vec<u8> {
    let output = stroma()
        .arg("export")
        .args(args)
        .args(source(foreign_file))
        .output()
        .expect("stroma runs");
    assert!(
        output.status.success(),
        "export {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Every quad of the graph, read independently of the export: a SPARQL SELECT over the
/// default graph and every named graph, answered as SPARQL JSON results.
fn dump(foreign_file: bool) -> Dataset {
    let query = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }";
    let output = stroma()
        .args(["query", query, "--format", "json"])
        .args(source(foreign_file))
        .output()
        .expect("stroma runs");
    assert!(output.status.success());
    let parser = QueryResultsParser::from_format(QueryResultsFormat::Json);
    let SliceQueryResultsParserOutput::Solutions(solutions) =
        parser.for_slice(&output.stdout).expect("JSON results")
    else {
        panic!("a SELECT answers solutions");
    };
    let mut dataset = Dataset::new();
    for solution in solutions {
        let solution = solution.expect("a solution");
        let subject = match solution.get("s").expect("?s") {
            Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
            Term::BlankNode(b) => b.clone().into(),
            other => panic!("a subject {other}"),
        };
        let Some(Term::NamedNode(predicate)) = solution.get("p") else {
            panic!("a predicate");
        };
        let graph = match solution.get("g") {
            Some(Term::NamedNode(g)) => GraphName::NamedNode(g.clone()),
            _ => GraphName::DefaultGraph,
        };
        let object = solution.get("o").expect("?o").clone();
        dataset.insert(&Quad::new(subject, predicate.clone(), object, graph));
    }
    canonical(dataset)
}

fn canonical(mut dataset: Dataset) -> Dataset {
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    dataset
}

fn parse(bytes: &[u8], format: RdfFormat) -> Vec<Quad> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<_, _>>()
        .expect("the export parses")
}

/// The quads of an N-Quads or TriG export with the named default graph made default again.
fn unnamed(quads: Vec<Quad>, graph: &str) -> Dataset {
    let mut dataset = Dataset::new();
    for quad in quads {
        let graph_name = match &quad.graph_name {
            GraphName::NamedNode(n) if n.as_str() == graph => GraphName::DefaultGraph,
            GraphName::DefaultGraph => panic!("a triple outside any named graph: {quad}"),
            other => other.clone(),
        };
        dataset.insert(&Quad::new(
            quad.subject,
            quad.predicate,
            quad.object,
            graph_name,
        ));
    }
    canonical(dataset)
}

fn assert_same(exported: &Dataset, dumped: &Dataset, what: &str) {
    assert_eq!(exported.len(), dumped.len(), "{what}: quad counts differ");
    let missing: Vec<String> = dumped
        .iter()
        .filter(|q| !exported.contains(*q))
        .take(5)
        .map(|q| q.to_string())
        .collect();
    assert!(missing.is_empty(), "{what}: not exported: {missing:#?}");
    assert!(exported == dumped, "{what}: the graphs differ");
}

#[test]
fn n_quads_round_trip_with_the_default_graph_named() {
    for foreign_file in [false, true] {
        let out = export(&["--format", "nq"], foreign_file);
        let exported = unnamed(parse(&out, RdfFormat::NQuads), DEFAULT_GRAPH);
        assert_same(&exported, &dump(foreign_file), "nq");
    }
}

#[test]
fn trig_round_trips_keeping_named_graphs_and_naming_the_default_one_with_graph() {
    let scratch = Scratch::new();
    let file = scratch.path().join("out.trig");
    let mine = "https://example.org/mine";
    for foreign_file in [false, true] {
        export(
            &[
                "-f",
                "trig",
                "--graph",
                mine,
                "-o",
                &file.display().to_string(),
            ],
            foreign_file,
        );
        let bytes = std::fs::read(&file).expect("the export was written");
        let quads = parse(&bytes, RdfFormat::TriG);
        if foreign_file {
            assert!(
                quads
                    .iter()
                    .any(|q| q.graph_name.to_string() == "<http://example.org/ns#extra>"),
                "the named graph keeps its name"
            );
        }
        assert_same(&unnamed(quads, mine), &dump(foreign_file), "trig");
    }
}

#[test]
fn json_ld_round_trips_and_is_compacted_with_the_shipped_context() {
    let shipped: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/context.jsonld"),
        )
        .expect("ontology/context.jsonld"),
    )
    .expect("the context is JSON");
    for foreign_file in [false, true] {
        let out = export(&["--format", "jsonld"], foreign_file);
        let document: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(document["@context"], shipped["@context"]);
        let quads = parse(
            &out,
            RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        );
        assert_same(
            &canonical(quads.into_iter().collect()),
            &dump(foreign_file),
            "jsonld",
        );
        if !foreign_file {
            let tsg6 = document["@graph"]
                .as_array()
                .expect("@graph")
                .iter()
                .find(|n| n["@id"] == "sr:TSG6")
                .expect("TSG-6 is a node object with a compact IRI");
            assert_eq!(tsg6["@type"][0], "st:Protein");
            assert!(tsg6["st:activates"].is_array(), "{tsg6}");
        }
    }
}

#[test]
fn the_neo4j_csv_pair_reads_back_to_the_same_triples() {
    let scratch = Scratch::new();
    for foreign_file in [false, true] {
        let dir = scratch.path().join(format!("neo4j-{foreign_file}"));
        export(
            &["-f", "neo4j", "-o", &dir.display().to_string()],
            foreign_file,
        );
        let mut read: Graph = common::neo4j::triples(&dir);
        read.canonicalize(CanonicalizationAlgorithm::Unstable);
        // Neo4j has no named graphs: the export is every graph's triples together.
        let mut expected: Graph = dump(foreign_file)
            .iter()
            .map(|q| {
                Triple::new(
                    q.subject.into_owned(),
                    q.predicate.into_owned(),
                    q.object.into_owned(),
                )
            })
            .collect();
        expected.canonicalize(CanonicalizationAlgorithm::Unstable);
        assert_eq!(read.len(), expected.len(), "triple counts");
        let missing: Vec<String> = expected
            .iter()
            .filter(|t| !read.contains(*t))
            .take(5)
            .map(|t| t.to_string())
            .collect();
        assert!(missing.is_empty(), "not read back: {missing:#?}");
        assert!(read == expected);
    }
}

/// A TSV row by column name.
type Row = BTreeMap<String, String>;

/// The rows of a KGX TSV file by column name.
fn tsv(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).expect("a TSV file");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), header.len(), "{line}");
            header
                .iter()
                .zip(cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

fn kgx(foreign_file: bool, scratch: &Scratch) -> (Vec<Row>, Vec<Row>) {
    let dir = scratch.path().join(format!("kgx-{foreign_file}"));
    export(
        &["--format", "kgx", "-o", &dir.display().to_string()],
        foreign_file,
    );
    (tsv(&dir.join("nodes.tsv")), tsv(&dir.join("edges.tsv")))
}

#[test]
fn kgx_states_tsg6_promoting_intestinal_repair_on_study_111_as_the_review_does() {
    let scratch = Scratch::new();
    let (nodes, edges) = kgx(false, &scratch);
    let edge = edges
        .iter()
        .find(|e| e["id"] == "stmt:immune-tsg6-intestinal-repair")
        .expect("the statement is an edge");
    assert_eq!(edge["subject"], "sr:TSG6");
    assert_eq!(edge["object"], "sr:IntestinalRepair");
    assert_eq!(edge["predicate"], "biolink:affects");
    assert_eq!(edge["qualified_predicate"], "biolink:causes");
    assert_eq!(edge["object_direction_qualifier"], "increased");
    assert_eq!(edge["species_context_qualifier"], "NCBITaxon:10090");
    assert_eq!(edge["publications"], "ref:111");
    assert_eq!(edge["knowledge_level"], "knowledge_assertion");
    assert_eq!(edge["agent_type"], "manual_agent");
    assert_eq!(edge["primary_knowledge_source"], "infores:stroma");
    let node = |id: &str| nodes.iter().find(|n| n["id"] == id).expect(id).clone();
    assert_eq!(node("sr:TSG6")["name"], "TSG-6");
    assert_eq!(node("sr:iPSC-MSC")["category"], "biolink:Cell");
    assert_eq!(node("sr:Mouse")["category"], "biolink:OrganismTaxon");
    assert_eq!(node("ref:111")["category"], "biolink:Article");
    assert!(node("sr:Mouse")["xref"]
        .split('|')
        .any(|x| x == "NCBITaxon:10090"));
    // Subclass links have no statement and are edges too.
    assert!(edges.iter().any(|e| e["subject"] == "st:Cytokine"
        && e["predicate"] == "biolink:subclass_of"
        && e["object"] == "st:Factor"));
}

#[test]
fn kgx_has_one_edge_per_statement_and_one_per_unstated_relation_read_back() {
    let scratch = Scratch::new();
    let (_, edges) = kgx(false, &scratch);
    let statements = common::select(
        "SELECT ?st ?s ?p ?o WHERE { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }",
    );
    let prefixes = [
        ("sr:", "https://w3id.org/stroma/id/"),
        ("stmt:", "https://w3id.org/stroma/statement/"),
        ("st:", "https://w3id.org/stroma/vocab#"),
    ];
    let expand = |curie: &str| {
        prefixes
            .iter()
            .find_map(|(p, ns)| curie.strip_prefix(p).map(|l| format!("{ns}{l}")))
            .unwrap_or_else(|| curie.to_owned())
    };
    let by_id: HashMap<String, &BTreeMap<String, String>> =
        edges.iter().map(|e| (expand(&e["id"]), e)).collect();
    assert!(statements.len() > 500, "the review's statements");
    for statement in &statements {
        let edge = by_id
            .get(&statement["st"])
            .unwrap_or_else(|| panic!("{statement:?}"));
        assert_eq!(expand(&edge["subject"]), statement["s"]);
        assert_eq!(expand(&edge["object"]), statement["o"]);
    }
    // The mapping, read from the data file itself.
    let mapping: BTreeMap<String, String> = common::select(
        "SELECT ?x ?b WHERE { ?x skos:exactMatch|skos:closeMatch|skos:broadMatch ?b FILTER(STRSTARTS(STR(?b), 'https://w3id.org/biolink/vocab/')) }",
    )
    .into_iter()
    .map(|r| (r["x"].clone(), r["b"].replace("https://w3id.org/biolink/vocab/", "biolink:")))
    .collect();
    let predicates: BTreeMap<String, String> = statements
        .iter()
        .map(|s| (s["st"].clone(), s["p"].clone()))
        .collect();
    for (id, relation) in &predicates {
        let expected = mapping
            .get(relation)
            .cloned()
            .unwrap_or_else(|| "biolink:related_to".into());
        assert_eq!(by_id[id]["predicate"], expected, "{id} ({relation})");
    }
    let stated: BTreeSet<&String> = predicates.keys().collect();
    let unstated = edges
        .iter()
        .filter(|e| !stated.contains(&expand(&e["id"])))
        .count();
    assert_eq!(edges.len(), statements.len() + unstated);
    assert!(
        unstated > 50,
        "subclass and description links are edges: {unstated}"
    );
}

#[test]
fn kgx_of_a_foreign_file_uses_named_thing_and_related_to_for_what_is_unmapped() {
    let scratch = Scratch::new();
    let (nodes, edges) = kgx(true, &scratch);
    let alpha = nodes
        .iter()
        .find(|n| n["id"] == "ex:alpha")
        .expect("ex:alpha");
    assert_eq!(alpha["category"], "biolink:NamedThing");
    assert_eq!(alpha["name"], "alpha");
    assert!(edges.iter().any(|e| e["subject"] == "ex:alpha"
        && e["predicate"] == "biolink:related_to"
        && e["object"] == "ex:beta"));
    // The blank-node statement is one edge, mapped with Stroma's own mapping.
    let claim: Vec<_> = edges
        .iter()
        .filter(|e| e["predicate"] == "biolink:affects")
        .collect();
    assert_eq!(claim.len(), 1, "{edges:#?}");
    assert_eq!(claim[0]["publications"], "ex:paper");
    assert!(edges
        .iter()
        .any(|e| e["predicate"] == "biolink:subclass_of"));
    // Nodes without a CURIE (blank nodes, IRIs no prefix fits) are left out.
    assert!(nodes
        .iter()
        .all(|n| n["id"].contains(':') && !n["id"].starts_with("_:")));
}

#[test]
fn the_kgx_export_passes_the_kgx_validator() {
    let Some(python) = venv_kgx() else { return };
    let scratch = Scratch::new();
    let dir = scratch.path().join("kgx");
    export(
        &["--format", "kgx", "-o", &dir.display().to_string()],
        false,
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kgx/validate.py");
    let mut command = std::process::Command::new(python);
    command.arg(&script);
    // Stroma's own namespaces are not in Biolink's prefix map; a consumer registers them.
    for prefix in ["sr", "st", "ref", "stmt", "bibo", "dcterms", "sh"] {
        command.args(["--allow-prefix", prefix]);
    }
    let output = command.arg(&dir).output().expect("the validator runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "kgx found problems:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("kgx: 0 errors"), "{report}");
}

/// The KGX venv's Python (`STROMA_KGX_VENV`, else /var/tmp/stroma-kgx-venv) with kgx; else
/// skipped, or a failure under `STROMA_REQUIRE_EXTERNAL`.
fn venv_kgx() -> Option<String> {
    let venv =
        std::env::var("STROMA_KGX_VENV").unwrap_or_else(|_| "/var/tmp/stroma-kgx-venv".into());
    let python = format!("{venv}/bin/python");
    let present = std::process::Command::new(&python)
        .args(["-c", "import kgx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Some(python);
    }
    if std::env::var_os("STROMA_REQUIRE_EXTERNAL").is_some() {
        panic!("missing {python} with kgx (tests/kgx/requirements.txt)");
    }
    eprintln!("skipped: missing {python} with kgx (tests/kgx/requirements.txt)");
    None
}

#[test]
fn an_unknown_format_lists_the_formats() {
    stroma()
        .args(["export", "--format", "graphml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("kgx"))
        .stderr(predicates::str::contains("neo4j"))
        .stderr(predicates::str::contains("jsonld"))
        .stderr(predicates::str::contains("trig"));
}

#[test]
fn directory_formats_need_an_output_directory() {
    for format in ["kgx", "neo4j"] {
        stroma()
            .args(["export", "--format", format])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("-o DIR"));
    }
}

#[test]
fn an_unwritable_target_leaves_nothing_behind() {
    let scratch = Scratch::new();
    let file = scratch.file("plain.txt", "not a directory");
    let target = file.join("kgx");
    stroma()
        .args([
            "export",
            "--format",
            "kgx",
            "-o",
            &target.display().to_string(),
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot write beside"));
    let entries: Vec<_> = std::fs::read_dir(scratch.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "only the file that was there");
}

#[test]
fn a_failed_export_leaves_neither_output_nor_staging_and_keeps_the_old_output() {
    let scratch = Scratch::new();
    let data = scratch.file(
        "bad.ttl",
        "<http://example.org/a> <http://example.org/p> \"unit\\u001Fseparator\" .\n",
    );
    let target = scratch.path().join("neo4j");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("nodes.csv"), "old").unwrap();
    stroma()
        .args([
            "export",
            "--format",
            "neo4j",
            "-o",
            &target.display().to_string(),
        ])
        .args(["--no-embedded", "--data", &data.display().to_string()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("U+001F"));
    let mut names: Vec<String> = std::fs::read_dir(scratch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["bad.ttl", "neo4j"]);
    assert_eq!(
        std::fs::read_to_string(target.join("nodes.csv")).unwrap(),
        "old"
    );
}

#[test]
fn a_summary_line_says_what_was_written() {
    let scratch = Scratch::new();
    let dir = scratch.path().join("out");
    stroma()
        .args([
            "export",
            "--format",
            "kgx",
            "-o",
            &dir.display().to_string(),
        ])
        .assert()
        .success()
        .stderr(
            predicates::str::is_match(r"^wrote \d+ nodes and \d+ edges to .*out \(kgx\)\n$")
                .unwrap(),
        );
}

#[test]
fn an_export_through_an_endpoint_is_the_export_of_the_graph_behind_it() {
    let served = common::served::Served::start(&["--max-rows", "0"]);
    let remote = stroma()
        .args(["export", "--format", "nq", "--endpoint", &served.url])
        .output()
        .expect("stroma runs");
    assert!(
        remote.status.success(),
        "{}",
        String::from_utf8_lossy(&remote.stderr)
    );
    let exported = unnamed(parse(&remote.stdout, RdfFormat::NQuads), DEFAULT_GRAPH);
    assert_same(&exported, &dump(false), "nq through --endpoint");
}

#[test]
fn an_export_into_a_directory_that_holds_other_files_replaces_only_its_own() {
    let scratch = Scratch::new();
    let target = scratch.path().join("kgx");
    std::fs::create_dir(&target).expect("a directory");
    std::fs::write(target.join("notes.txt"), "mine").expect("a file of the user's");
    std::fs::write(target.join("nodes.tsv"), "old").expect("an old export");
    stroma()
        .args(["export", "--format", "kgx", "-o"])
        .arg(&target)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(target.join("notes.txt")).expect("kept"),
        "mine"
    );
    let nodes = std::fs::read_to_string(target.join("nodes.tsv")).expect("replaced");
    assert!(
        nodes.starts_with("id\tcategory"),
        "{}",
        &nodes[..40.min(nodes.len())]
    );
    assert!(target.join("edges.tsv").exists());
}
