//! `validate`, `stats`, `search` and `show` on the embedded graph and on small fixtures.

mod common;

use common::{have_tool, stdout_of, stroma, Scratch};
use predicates::prelude::*;

const UNSOURCED: &str = r#"
@prefix st: <https://w3id.org/stroma/vocab#> .
@prefix sr: <https://w3id.org/stroma/id/> .
@prefix stmt: <https://w3id.org/stroma/statement/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
sr:TSG6 st:inhibits sr:Angiogenesis .
stmt:unsourced a st:Statement ;
    rdf:subject sr:TSG6 ; rdf:predicate st:inhibits ; rdf:object sr:Angiogenesis ;
    rdfs:comment "an invented claim that cites no study" .
"#;

#[test]
fn the_embedded_graph_is_valid() {
    stroma()
        .arg("validate")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("valid:"));
}

#[test]
fn an_unsourced_statement_fails_validation_naming_the_node() {
    let scratch = Scratch::new();
    let fixture = scratch.file("unsourced.ttl", UNSOURCED);
    stroma()
        .args(["validate", "--data", fixture.to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("stmt:unsourced"))
        .stdout(predicate::str::contains("prov:wasDerivedFrom"))
        .stdout(predicate::str::contains("1 violation"));
}

#[test]
fn a_relation_without_a_statement_and_an_undescribed_iri_are_violations() {
    let scratch = Scratch::new();
    let fixture = scratch.file(
        "bare.ttl",
        "@prefix st: <https://w3id.org/stroma/vocab#> .\n@prefix sr: <https://w3id.org/stroma/id/> .\nsr:TSG6 st:promotes sr:Nowhere .\n",
    );
    let json = stdout_of_failure(&[
        "validate",
        "--data",
        fixture.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON report");
    assert_eq!(report["conforms"], false);
    let messages: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("no statement")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("never described")),
        "{messages:?}"
    );
}

fn stdout_of_failure(args: &[&str]) -> String {
    let output = stroma().args(args).output().expect("stroma runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// pyshacl is an independent SHACL implementation: it must agree with `stroma validate`.
#[test]
fn pyshacl_gives_the_same_verdicts() {
    let venv = std::env::var("STROMA_VENV").unwrap_or_else(|_| "/var/tmp/stroma-venv".into());
    let pyshacl = format!("{venv}/bin/pyshacl");
    if !have_tool(&pyshacl, &["--version"]) {
        return;
    }
    let scratch = Scratch::new();
    let graph = stdout_of(&[
        "query",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "--format",
        "nt",
    ]);
    let embedded = scratch.file("graph.nt", &graph);
    let shapes = concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/shapes.ttl");
    let verdict = |data: &std::path::Path| {
        std::process::Command::new(&pyshacl)
            .args(["-s", shapes, "-df", "nt"])
            .arg(data)
            .output()
            .expect("pyshacl runs")
            .status
            .code()
    };
    assert_eq!(
        verdict(&embedded),
        Some(0),
        "pyshacl: the embedded graph conforms"
    );
    let bad_graph = format!("{graph}\n");
    let with_bad = scratch.file("bad.nt", &bad_graph);
    let fixture = scratch.file("unsourced.ttl", UNSOURCED);
    let nt = stdout_of(&[
        "query",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "--format",
        "nt",
        "--data",
        fixture.to_str().unwrap(),
    ]);
    std::fs::write(&with_bad, nt).unwrap();
    assert_eq!(
        verdict(&with_bad),
        Some(1),
        "pyshacl: an unsourced statement violates"
    );
}

#[test]
fn stats_counts_studies_statements_and_classes() {
    let json = stdout_of(&["stats", "--format", "json"]);
    let stats: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(stats["studies"], 134);
    assert_eq!(stats["studies_cited_by_statements"], 134);
    assert!(stats["statements"].as_u64().unwrap() >= 400);
    let classes: Vec<&str> = stats["entities_by_class"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_str().unwrap())
        .collect();
    for class in [
        "st:CellType",
        "st:Disease",
        "st:DerivationProtocol",
        "st:CellProduct",
    ] {
        assert!(classes.contains(&class), "{class} in {classes:?}");
    }
    stroma()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("statements per study"));
}

#[test]
fn search_ignores_case_accents_and_punctuation() {
    for (typed, expected) in [
        ("tsg6", "sr:TSG6"),
        ("TNFAIP6", "sr:TSG6"),
        ("TNF-alpha", "sr:TNFa"),
        ("iMSC", "sr:iPSC-MSC"),
        ("Sjogren", "Sjögren"),
    ] {
        let out = stdout_of(&["search", typed, "--limit", "3"]);
        assert!(
            out.lines().nth(2).is_some_and(|l| l.contains(expected)),
            "{typed}: {out}"
        );
    }
}

#[test]
fn search_tolerates_a_typo() {
    let out = stdout_of(&["search", "angiogensis", "--limit", "1"]);
    assert!(out.contains("sr:Angiogenesis"), "{out}");
}

#[test]
fn search_miss_suggests_and_exits_1() {
    stroma()
        .args(["search", "angiogenesisxyz"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean"))
        .stderr(predicate::str::contains("angiogenesis"));
}

#[test]
fn show_prints_relations_with_direction_qualifiers_and_studies() {
    stroma()
        .args(["show", "TSG-6"])
        .assert()
        .success()
        .stdout(predicate::str::contains("sr:TSG6 — TSG-6"))
        .stdout(predicate::str::contains("TNFAIP6"))
        .stdout(predicate::str::contains("—promotes→ intestinal repair"))
        .stdout(predicate::str::contains("111; Yang H 2019"))
        .stdout(predicate::str::contains("organism: mouse"));
}

#[test]
fn show_a_study_lists_the_statements_it_supports() {
    let json = stdout_of(&["show", "ref:111", "--format", "json"]);
    let card: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(card["label"], "Yang et al. 2019");
    let supports = card["supports"].as_array().unwrap();
    assert!(
        supports.iter().any(|r| r["subject"]["id"] == "sr:TSG6"),
        "{supports:?}"
    );
}

#[test]
fn show_unknown_entity_suggests_and_exits_2() {
    stroma()
        .args(["show", "angiogensis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("angiogenesis"));
    stroma()
        .args(["show", "qqqqqqqq"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no entity is named 'qqqqqqqq'"));
}

#[test]
fn show_ambiguous_name_lists_the_candidates_and_exits_2() {
    let scratch = Scratch::new();
    let fixture = scratch.file(
        "twins.ttl",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<http://example.org/a> rdfs:label \"Twin\" .\n<http://example.org/b> rdfs:label \"twin\" .\n",
    );
    stroma()
        .args(["show", "twin", "--data", fixture.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ambiguous"))
        .stderr(predicate::str::contains("http://example.org/a"))
        .stderr(predicate::str::contains("http://example.org/b"));
}

#[test]
fn show_works_on_foreign_rdf_without_the_ontology() {
    let scratch = Scratch::new();
    let fixture = scratch.file(
        "foreign.ttl",
        "@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\nex:a rdfs:label \"Alpha\" ; ex:knows ex:b .\nex:b rdfs:label \"Beta\" .\n",
    );
    stroma()
        .args([
            "show",
            "alpha",
            "--no-embedded",
            "--data",
            fixture.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("—ex:knows→ Beta"));
}
