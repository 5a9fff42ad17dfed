//! `stroma trace`: paths with the studies behind every hop, evidence filters, classes, the
//! matrix, and foreign RDF without Stroma's ontology.

mod common;

use common::{refs_of, stdout_of, stroma, trace_json, Scratch};
use predicates::prelude::*;

#[test]
fn tsg6_links_ipsc_mscs_to_intestinal_repair_with_reference_111() {
    stroma()
        .args(["trace", "iPSC-MSC", "intestinal repair", "--paths", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "  iPSC-derived MSC —secretes (positive)→ TSG-6  [refs 111; Yang H 2019]",
        ))
        .stdout(predicate::str::contains(
            "  TSG-6 —promotes (positive)→ intestinal repair  [refs 111; Yang H 2019]",
        ));
}

#[test]
fn paths_are_ranked_shortest_first() {
    let report = trace_json(&["iPSC-MSC", "intestinal repair"]);
    let lengths: Vec<u64> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["length"].as_u64().unwrap())
        .collect();
    assert!(!lengths.is_empty());
    assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "{lengths:?}");
    assert!(lengths.len() <= 10);
    assert!(lengths.iter().all(|l| *l <= 4));
}

#[test]
fn pi3k_akt_mediates_angiogenesis_per_reference_64() {
    let report = trace_json(&["PI3K/Akt", "angiogenesis", "--max-hops", "1"]);
    let hop = &report["paths"][0]["hops"][0];
    assert_eq!(hop["predicate"]["id"], "st:mediates");
    assert!(refs_of(hop).contains(&64), "{hop}");
}

#[test]
fn organism_and_product_filters_keep_only_matching_evidence() {
    let report = trace_json(&[
        "iPSC-MSC",
        "angiogenesis",
        "--organism",
        "mouse",
        "--product",
        "exosomes",
    ]);
    let paths = report["paths"].as_array().unwrap();
    assert!(!paths.is_empty());
    for path in paths {
        for hop in path["hops"].as_array().unwrap() {
            for evidence in hop["evidence"].as_array().unwrap() {
                assert!(
                    evidence["organisms"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|o| o == "mouse"),
                    "{evidence}"
                );
                assert!(
                    evidence["products"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|o| o == "exosomes"),
                    "{evidence}"
                );
            }
        }
    }
    let direct = &paths[0]["hops"][0];
    assert!(
        refs_of(direct).contains(&121),
        "limb ischemia exosomes in mice: {direct}"
    );
    assert!(
        !refs_of(direct).contains(&64),
        "rat study 64 is filtered out: {direct}"
    );
}

#[test]
fn study_filter_keeps_hops_one_study_supports() {
    let report = trace_json(&["iPSC-MSC", "intestinal repair", "--study", "111"]);
    for path in report["paths"].as_array().unwrap() {
        for hop in path["hops"].as_array().unwrap() {
            assert_eq!(refs_of(hop), vec![111]);
        }
    }
}

#[test]
fn without_a_target_every_reachable_therapeutic_effect_gets_its_best_path() {
    let report = trace_json(&["TSG-6"]);
    assert_eq!(report["to_class"]["id"], "st:TherapeuticEffect");
    let ends: Vec<&str> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["hops"].as_array().unwrap().last().unwrap()["object"]["label"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(ends.contains(&"intestinal repair"), "{ends:?}");
    let mut unique = ends.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ends.len(), "one best path per effect");
}

#[test]
fn matrix_lists_factors_against_effects_with_study_counts() {
    let csv = stdout_of(&["trace", "--matrix", "--max-hops", "2", "--format", "csv"]);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header
        .iter()
        .position(|h| *h == "\"intestinal repair\"")
        .expect("intestinal repair column");
    let tsg6 = lines
        .find(|l| l.starts_with("\"TSG-6\""))
        .expect("TSG-6 row");
    let cell = tsg6.split(',').nth(column).unwrap();
    assert!(cell.parse::<u32>().unwrap() >= 1, "{tsg6}");
}

#[test]
fn unknown_and_ambiguous_names_list_candidates_and_exit_2() {
    stroma()
        .args(["trace", "TSG-7", "angiogenesis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("TSG-6"));
    let scratch = Scratch::new();
    let twins = scratch.file(
        "twins.ttl",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<http://e.org/a> rdfs:label \"Twin\" ; <http://e.org/p> <http://e.org/b> .\n<http://e.org/b> rdfs:label \"twin\" .\n",
    );
    stroma()
        .args([
            "trace",
            "twin",
            "--no-embedded",
            "--data",
            twins.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ambiguous"));
}

#[test]
fn foreign_rdf_without_the_ontology_is_traced_with_no_evidence() {
    let scratch = Scratch::new();
    let data = scratch.file(
        "pathway.ttl",
        "@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         ex:ligand rdfs:label \"ligand\" ; ex:binds ex:receptor .\n\
         ex:receptor rdfs:label \"receptor\" ; ex:activates ex:kinase ; a ex:Protein .\n\
         ex:kinase rdfs:label \"kinase\" ; ex:drives ex:growth .\n\
         ex:growth rdfs:label \"growth\" .\n",
    );
    let path = data.to_str().unwrap();
    stroma()
        .args(["trace", "ligand", "growth", "--no-embedded", "--data", path])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ligand —ex:binds→ receptor  [no evidence]",
        ))
        .stdout(predicate::str::contains("kinase —ex:drives→ growth"));
    // rdf:type is never an edge; the reverse direction needs --undirected.
    stroma()
        .args(["trace", "growth", "ligand", "--no-embedded", "--data", path])
        .assert()
        .code(1);
    stroma()
        .args([
            "trace",
            "growth",
            "ligand",
            "--undirected",
            "--no-embedded",
            "--data",
            path,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("growth ←ex:drives— kinase"));
    stroma()
        .args([
            "trace",
            "ligand",
            "growth",
            "--avoid",
            "http://example.org/activates",
            "--no-embedded",
            "--data",
            path,
        ])
        .assert()
        .code(1);
}

#[test]
fn paths_render_as_dot_and_the_matrix_as_an_svg_heat_map() {
    let dot = stdout_of(&["trace", "iPSC-MSC", "intestinal repair", "--format", "dot"]);
    let graph = graphviz_rust::parse(&dot).expect("DOT from graphviz-rust parses");
    assert!(matches!(
        graph,
        graphviz_rust::dot_structures::Graph::DiGraph { .. }
    ));
    assert!(dot.contains("secretes [111]"), "{dot}");
    let svg = stdout_of(&["trace", "--matrix", "--max-hops", "2", "--format", "svg"]);
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(
        svg.contains("<title>TSG-6 → intestinal repair: 1 stud(ies)</title>"),
        "{svg}"
    );
    if common::have_tool("dot", &["-V"]) {
        let svg = stdout_of(&["trace", "iPSC-MSC", "intestinal repair", "--format", "svg"]);
        assert!(svg.contains("<svg"), "Graphviz SVG");
    }
}

#[test]
fn classes_can_be_the_ends_of_a_trace() {
    let report = trace_json(&[
        "--from-class",
        "Factor",
        "--to-class",
        "TherapeuticEffect",
        "--max-hops",
        "1",
        "--paths",
        "50",
    ]);
    let paths = report["paths"].as_array().unwrap();
    assert!(!paths.is_empty());
    let pairs: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let hop = &p["hops"][0];
            (
                hop["subject"]["label"].as_str().unwrap().to_owned(),
                hop["object"]["label"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        pairs.contains(&("TSG-6".to_owned(), "intestinal repair".to_owned())),
        "{pairs:?}"
    );
}
