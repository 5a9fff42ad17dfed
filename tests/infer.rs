//! `--infer rdfs`: what RDFS entails from the graph's schema is added before a command runs —
//! on the embedded graph, on a lab's own file tied to Stroma's vocabulary, through `serve` —
//! and never written into a persistent store.

mod common;

use common::served::Served;
use common::{stdout_of, stroma, Scratch};
use predicates::prelude::*;
use predicates::str::contains;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/inference.ttl");

const BELOW_MSC: &str = "SELECT ?c WHERE { ?c rdfs:subClassOf sr:MSC } ORDER BY ?c";

#[test]
fn asking_for_the_kinds_of_mesenchymal_stem_cell_finds_ipsc_and_hesc_msc_only_with_rdfs() {
    let asserted = stdout_of(&["query", BELOW_MSC, "--format", "csv"]);
    assert!(asserted.contains("/hPSC-MSC"), "{asserted}");
    assert!(
        !asserted.contains("/iPSC-MSC"),
        "only direct subclasses are asserted: {asserted}"
    );

    let entailed = stdout_of(&["query", BELOW_MSC, "--format", "csv", "--infer", "rdfs"]);
    for kind in [
        "/hPSC-MSC",
        "/iPSC-MSC",
        "/hESC-MSC",
        "/BM-MSC",
        "/PrimaryMSC",
    ] {
        assert!(
            entailed.contains(kind),
            "{kind} is a kind of MSC: {entailed}"
        );
    }
    assert!(
        !entailed.contains("/iPSC>"),
        "an iPSC is no MSC: {entailed}"
    );
}

#[test]
fn domain_and_range_type_the_resources_of_the_embedded_graph() {
    let count = |infer: bool| {
        let mut args = vec![
            "query",
            "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a st:BioEntity }",
            "--format",
            "csv",
        ];
        if infer {
            args.extend(["--infer", "rdfs"]);
        }
        let out = stdout_of(&args);
        out.lines()
            .nth(1)
            .and_then(|n| n.parse::<u64>().ok())
            .expect("a count")
    };
    assert_eq!(count(false), 0, "nothing is typed st:BioEntity directly");
    assert!(
        count(true) > 100,
        "the relations' domains and ranges type their ends"
    );
}

#[test]
fn a_labs_subproperty_of_promotes_becomes_a_path_trace_can_walk() {
    stroma()
        .args(["--data", FIXTURE, "trace", "factor 42", "intestinal repair"])
        .assert()
        .code(2)
        .stderr(contains("has no relations to trace"));
    stroma()
        .args([
            "--data",
            FIXTURE,
            "--infer",
            "rdfs",
            "trace",
            "factor 42",
            "intestinal repair",
        ])
        .assert()
        .success()
        .stdout(contains(
            "factor 42 —promotes (positive)→ intestinal repair",
        ));
}

#[test]
fn a_foreign_files_schema_types_its_resources_but_never_a_literal() {
    let rows = |infer: bool| {
        let mut args = vec![
            "--no-embedded",
            "--data",
            FIXTURE,
            "query",
            "SELECT ?x ?t WHERE { ?x a ?t } ORDER BY ?x ?t",
            "--format",
            "csv",
        ];
        if infer {
            args.extend(["--infer", "rdfs"]);
        }
        stdout_of(&args)
    };
    let asserted = rows(false);
    assert_eq!(
        asserted.lines().count(),
        2,
        "only Factor42 is typed: {asserted}"
    );
    let entailed = rows(true);
    for line in [
        "https://example.org/lab#shTSG6,https://example.org/lab#Construct",
        "https://example.org/lab#shTSG6,https://example.org/lab#Reagent",
        "https://example.org/lab#TSG6Gene,https://w3id.org/stroma/vocab#Gene",
        "https://example.org/lab#Factor42,https://w3id.org/stroma/vocab#Factor",
    ] {
        assert!(entailed.lines().any(|l| l == line), "{line} in {entailed}");
    }
    assert_eq!(
        entailed.lines().count(),
        5,
        "nothing else, no literal: {entailed}"
    );
}

#[test]
fn search_shows_a_type_only_the_schema_entails() {
    let search = |infer: &[&str]| {
        let mut args = vec!["--no-embedded", "--data", FIXTURE];
        args.extend(infer);
        args.extend(["search", "shTSG6", "--format", "json"]);
        let hits: serde_json::Value =
            serde_json::from_str(&stdout_of(&args)).expect("search's JSON");
        hits[0]["type"].as_str().unwrap_or_default().to_owned()
    };
    assert_eq!(search(&[]), "");
    let entailed = search(&["--infer", "rdfs"]);
    assert!(
        ["Construct", "Reagent"].contains(&entailed.as_str()),
        "{entailed}"
    );
}

#[test]
fn a_server_started_with_rdfs_answers_with_the_entailments() {
    let served = Served::start(&["--infer", "rdfs"]);
    let mut answer = ureq::post(&served.url)
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "text/csv")
        .send(
            "ASK { <https://w3id.org/stroma/id/iPSC-MSC> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://w3id.org/stroma/id/MSC> }"
                .as_bytes(),
        )
        .expect("the query is answered");
    let body = answer.body_mut().read_to_string().expect("a body");
    assert_eq!(body.trim(), "true", "{body}");
}

#[test]
fn inference_is_refused_where_it_would_mean_nothing() {
    let scratch = Scratch::new();
    let db = scratch.path().join("db");
    let db = db.to_str().expect("a UTF-8 path");
    for (args, why) in [
        (
            vec![
                "update",
                "--store",
                db,
                "INSERT DATA { sr:X rdfs:label \"X\" }",
            ],
            "update",
        ),
        (vec!["load", "--embedded", "--store", db], "load"),
        (vec!["queries"], "reads no graph"),
        (
            vec!["serve", "--allow-update", "--token", "t"],
            "would not follow the updates",
        ),
        (
            vec!["query", "ASK {}", "--endpoint", "http://127.0.0.1:9/sparql"],
            "the engine's own reasoning",
        ),
    ] {
        stroma()
            .args(&args)
            .args(["--infer", "rdfs"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains("--infer rdfs").and(contains(why)));
    }
    assert!(!scratch.path().join("db").exists(), "nothing was written");
}

#[cfg(feature = "rocksdb")]
#[test]
fn a_persistent_store_is_read_with_its_entailments_and_left_as_it_was() {
    let scratch = Scratch::new();
    let db = scratch.path().join("db");
    let db = db.to_str().expect("a UTF-8 path");
    stroma()
        .args(["load", "--embedded", "--store", db])
        .assert()
        .success();
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let before = stdout_of(&["query", count, "--store", db, "--format", "csv"]);
    let entailed = stdout_of(&[
        "query", BELOW_MSC, "--store", db, "--infer", "rdfs", "--format", "csv",
    ]);
    assert!(entailed.contains("/iPSC-MSC"), "{entailed}");
    let after = stdout_of(&["query", count, "--store", db, "--format", "csv"]);
    assert_eq!(before, after, "the store holds no entailment");
}
