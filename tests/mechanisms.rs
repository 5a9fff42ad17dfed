//! Trace, part two: the review's mechanisms are links a trace walks, its outcomes are effects
//! a trace reaches, every path says whether its hops hold together (one study, one disease
//! model, or mixed contexts), hubs do not carry undirected paths, and comparisons are walked
//! only when asked. Answers are checked against the review.

mod common;

use common::{have_tool, refs_of, select, stdout_of, stroma, trace_json};
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// The CURIE of a Stroma IRI as `select` returns it.
fn curie(iri: &str) -> String {
    iri.replace("https://w3id.org/stroma/id/", "sr:")
}

fn paths(report: &Value) -> &Vec<Value> {
    report["paths"].as_array().expect("paths")
}

fn hops(path: &Value) -> &Vec<Value> {
    path["hops"].as_array().expect("hops")
}

fn end_of(path: &Value) -> String {
    let last = hops(path).last().expect("a hop");
    let end = if last["reversed"].as_bool().unwrap() {
        &last["subject"]
    } else {
        &last["object"]
    };
    end["id"].as_str().unwrap().to_owned()
}

fn on_every_hop(path: &Value, reference: u64) -> bool {
    hops(path)
        .iter()
        .all(|hop| refs_of(hop).contains(&reference))
}

fn numbers(context: &Value) -> Vec<u64> {
    context["studies"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["number"].as_u64())
        .collect()
}

#[test]
fn ido1_reaches_the_amelioration_of_collagen_induced_arthritis_on_reference_72() {
    // "hESC-MSCs ameliorated collagen-induced arthritis by inducing IDO1" [72]
    let report = trace_json(&["IDO1"]);
    let to_arthritis: Vec<&Value> = paths(&report)
        .iter()
        .filter(|p| end_of(p) == "sr:ArthritisAmelioration")
        .collect();
    assert!(!to_arthritis.is_empty(), "{report:#}");
    assert!(to_arthritis.iter().all(|p| on_every_hop(p, 72)));

    // The outcome answers to the review's wording, and the cells reach it through IDO1.
    let report = trace_json(&["hESC-MSC", "amelioration of collagen-induced arthritis"]);
    let via_ido1 = paths(&report)
        .iter()
        .find(|p| hops(p).iter().any(|h| h["object"]["id"] == "sr:IDO1"))
        .expect("hESC-MSC → IDO1 → amelioration");
    assert!(on_every_hop(via_ido1, 72), "{via_ido1:#}");
    assert_eq!(via_ido1["coherence"]["level"], "study");
    assert_eq!(numbers(&via_ido1["coherence"]["context"]), [72]);

    // Named by its condition (here the disease model), the trace ends at the condition's
    // outcomes: the question the review answers, not "IDO1 has no relations to trace".
    stroma()
        .args(["trace", "IDO1", "collagen-induced arthritis"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "  IDO1 —mediates (positive)→ amelioration of arthritis  [refs 72; Gonzalo-Gil E 2016]",
        ))
        .stderr(predicate::str::contains(
            "is a condition: tracing to it and to its outcomes (amelioration of arthritis)",
        ));
}

#[test]
fn hgf_cmet_reaches_protection_from_lipotoxic_kidney_injury_on_reference_83() {
    // "iPSC-MSCs protected kidney cells from lipotoxic injury via HGF/c-Met signalling" [83]
    let report = trace_json(&["HGF/c-Met"]);
    let protection: Vec<&Value> = paths(&report)
        .iter()
        .filter(|p| end_of(p) == "sr:LipotoxicKidneyInjuryProtection")
        .collect();
    assert!(!protection.is_empty(), "{report:#}");
    assert!(protection.iter().all(|p| on_every_hop(p, 83)));
}

#[test]
fn tsg6_coherent_paths_rest_on_reference_111_alone() {
    let report = trace_json(&["TSG-6", "--coherent"]);
    assert_eq!(report["coherent_only"], true);
    assert!(!paths(&report).is_empty());
    for path in paths(&report) {
        assert!(on_every_hop(path, 111), "{path:#}");
        assert_ne!(path["coherence"]["level"], "mixed");
    }
    // Without --coherent, TSG-6 also reaches effects of other studies through PI3K/Akt.
    let all = trace_json(&["TSG-6"]);
    assert!(paths(&all).iter().any(|p| !on_every_hop(p, 111)));
}

#[test]
fn tsg6_to_angiogenesis_is_mixed_and_names_the_hop_where_the_context_changes() {
    // TSG-6 → PI3K/Akt is a colitis finding in mice [111]; PI3K/Akt → angiogenesis is an
    // osteonecrosis finding in rats [64]: two studies, two models.
    let report = trace_json(&["TSG-6", "angiogenesis"]);
    let path = paths(&report)
        .iter()
        .find(|p| hops(p).len() == 2 && hops(p)[0]["object"]["id"] == "sr:PI3KAkt")
        .expect("TSG-6 → PI3K/Akt → angiogenesis");
    let coherence = &path["coherence"];
    assert_eq!(coherence["level"], "mixed");
    let changes = coherence["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{coherence:#}");
    assert_eq!(changes[0]["hop"], 2);
    assert_eq!(numbers(&changes[0]["before"]), [111]);
    assert_eq!(numbers(&changes[0]["after"]), [64]);
    assert!(changes[0]["before"]["disease_models"]
        .as_array()
        .unwrap()
        .contains(&Value::from("experimental colitis (mouse)")));

    stroma()
        .args(["trace", "TSG-6", "angiogenesis"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "(2 hops, 2 studies; mixed contexts: changes at hop 2)",
        ))
        .stdout(predicate::str::contains(
            "! PI3K/Akt signalling —mediates (positive)→ angiogenesis  [refs 64; Liu X 2017]  (new context: steroid-induced osteonecrosis",
        ));
}

#[test]
fn diagrams_draw_the_hop_where_the_context_changes_distinctly() {
    let dot = stdout_of(&["trace", "TSG-6", "angiogenesis", "--format", "dot"]);
    let changed: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains("->") && l.contains("context-change"))
        .collect();
    assert_eq!(changed.len(), 1, "{dot}");
    assert!(changed[0].contains("mediates [64]"), "{}", changed[0]);
    assert!(changed[0].contains("penwidth=\"3\""), "{}", changed[0]);
    let steady = dot
        .lines()
        .find(|l| l.contains("activates [111]"))
        .expect("TSG-6 → PI3K/Akt");
    assert!(!steady.contains("context-change"), "{steady}");
    assert!(dot.contains("new context"), "the legend explains the mark");
    if have_tool("dot", &["-V"]) {
        let svg = stdout_of(&["trace", "TSG-6", "angiogenesis", "--format", "svg"]);
        assert_eq!(svg.matches("class=\"edge context&#45;change\"").count(), 1);
    }
}

#[test]
fn ranking_prefers_coherent_paths_among_equally_short_ones() {
    let rank = |level: &Value| match level.as_str().unwrap() {
        "study" => 0,
        "context" => 1,
        "mixed" => 2,
        _ => 3,
    };
    for args in [
        &["TSG-6"][..],
        &["iPSC-MSC", "angiogenesis"],
        &["hESC-MSC", "amelioration of multiple sclerosis"],
        &["HGF/c-Met"],
        &["iPSC-MSC", "protection from allograft rejection"],
    ] {
        let report = trace_json(args);
        let keys: Vec<(u64, u8)> = paths(&report)
            .iter()
            .map(|p| {
                (
                    p["length"].as_u64().unwrap(),
                    rank(&p["coherence"]["level"]),
                )
            })
            .collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{args:?}: {keys:?}");
    }
}

#[test]
fn the_coherent_matrix_counts_only_coherent_paths() {
    let all: Value = serde_json::from_str(&stdout_of(&["trace", "--matrix", "--format", "json"]))
        .expect("matrix JSON");
    let coherent: Value = serde_json::from_str(&stdout_of(&[
        "trace",
        "--matrix",
        "--coherent",
        "--format",
        "json",
    ]))
    .expect("matrix JSON");
    assert_eq!(coherent["coherent_only"], true);
    let filled = |m: &Value| {
        m["cells"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap())
            .filter(|c| !c.is_null())
            .count()
    };
    let levels = |m: &Value| -> Vec<String> {
        m["coherence"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap())
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect()
    };
    assert!(levels(&all).iter().any(|l| l == "mixed"));
    assert!(levels(&coherent)
        .iter()
        .all(|l| l == "study" || l == "context"));
    assert!(filled(&coherent) < filled(&all));
    assert!(filled(&coherent) > 0);
}

#[test]
fn the_review_s_outcomes_are_effects_the_matrix_reaches() {
    let matrix: Value =
        serde_json::from_str(&stdout_of(&["trace", "--matrix", "--format", "json"]))
            .expect("matrix JSON");
    let columns = matrix["columns"].as_array().unwrap();
    let cells = matrix["cells"].as_array().unwrap();
    let reached: BTreeSet<&str> = columns
        .iter()
        .enumerate()
        .filter(|(i, _)| cells.iter().any(|row| !row[*i].is_null()))
        .map(|(_, c)| c["id"].as_str().unwrap())
        .collect();
    // Outcomes the issue names: arthritis, lupus nephritis, allograft rejection, EAE (MS),
    // anti-fibrosis; each reached from a factor.
    for outcome in [
        "sr:ArthritisAmelioration",
        "sr:LupusNephritisPrevention",
        "sr:AllograftRejectionProtection",
        "sr:MultipleSclerosisAmelioration",
        "sr:AntiFibrosis",
        "sr:LipotoxicKidneyInjuryProtection",
        "sr:IntestinalRepair",
    ] {
        assert!(
            reached.contains(outcome),
            "{outcome} not reached: {reached:?}"
        );
    }
    assert!(reached.len() >= 30, "{} effects reached", reached.len());
}

/// The factors a table of docs/curation.md lists under `heading`.
fn documented(heading: &str) -> BTreeSet<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/curation.md"))
        .expect("docs/curation.md");
    let section = doc
        .split("\n### ")
        .find(|s| s.starts_with(heading))
        .unwrap_or_else(|| panic!("docs/curation.md has no section '{heading}'"));
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect()
}

fn factors_without_links() -> BTreeSet<String> {
    select(
        "SELECT ?f WHERE { ?f a/rdfs:subClassOf* st:Factor .
           FILTER NOT EXISTS { ?f ?p ?o . ?p st:traversable true } }",
    )
    .into_iter()
    .map(|row| curie(&row["f"]))
    .collect()
}

#[test]
fn factors_with_no_outgoing_link_are_the_documented_reviewed_ones() {
    assert_eq!(
        factors_without_links(),
        documented("Factors with no outgoing link"),
        "update docs/curation.md (with the reason) or the data"
    );
}

#[test]
fn every_other_factor_reaches_an_effect_or_is_documented() {
    let matrix: Value =
        serde_json::from_str(&stdout_of(&["trace", "--matrix", "--format", "json"]))
            .expect("matrix JSON");
    // Matrix rows are the factors with some relation to walk; the others have no link at all.
    let mut unreached: BTreeSet<String> = matrix["rows"]
        .as_array()
        .unwrap()
        .iter()
        .zip(matrix["cells"].as_array().unwrap())
        .filter(|(_, cells)| cells.as_array().unwrap().iter().all(Value::is_null))
        .map(|(row, _)| row["id"].as_str().unwrap().to_owned())
        .collect();
    unreached.extend(factors_without_links());
    let expected: BTreeSet<String> = documented("Factors with no outgoing link")
        .union(&documented(
            "Factors whose links reach no therapeutic effect",
        ))
        .cloned()
        .collect();
    assert_eq!(unreached, expected, "update docs/curation.md or the data");
    // Of the factors in the graph, most reach an effect (12 did before mechanisms were links).
    let reaching = matrix["rows"].as_array().unwrap().len()
        - (unreached.len() - factors_without_links().len());
    assert!(reaching >= 30, "{reaching} factors reach an effect");
}

#[test]
fn hubs_do_not_carry_undirected_paths_unless_asked() {
    let hubs: BTreeSet<String> = select("SELECT ?h WHERE { ?h st:hub true }")
        .into_iter()
        .map(|row| curie(&row["h"]))
        .collect();
    assert!(hubs.contains("sr:ParacrineSignalling") && hubs.contains("sr:Safety"));
    let interior = |report: &Value| -> BTreeSet<String> {
        paths(report)
            .iter()
            .flat_map(|p| {
                let steps = hops(p);
                steps[..steps.len() - 1]
                    .iter()
                    .map(|h| {
                        let far = if h["reversed"].as_bool().unwrap() {
                            &h["subject"]
                        } else {
                            &h["object"]
                        };
                        far["id"].as_str().unwrap().to_owned()
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let args = ["TSG-6", "IL-6", "--undirected", "--paths", "50"];
    let plain = trace_json(&args);
    assert!(
        interior(&plain).is_disjoint(&hubs),
        "{:?}",
        interior(&plain)
    );
    let mut through = args.to_vec();
    through.push("--through-hubs");
    let through = trace_json(&through);
    assert!(
        !interior(&through).is_disjoint(&hubs),
        "--through-hubs walks through a hub"
    );
    // A hub can still be where a path starts or ends.
    assert!(!paths(&trace_json(&["Safety", "TSG-6", "--undirected"])).is_empty());
}

#[test]
fn comparisons_are_walked_only_when_asked_and_shown_as_comparisons() {
    // hESC-MSCs did better than BM-MSCs in EAE because they express less IL-6 [101].
    let walks_lower_in = |report: &Value| {
        paths(report)
            .iter()
            .flat_map(hops)
            .any(|h| h["predicate"]["id"] == "st:lowerIn")
    };
    let plain = trace_json(&["hESC-MSC", "amelioration of multiple sclerosis"]);
    assert!(!walks_lower_in(&plain));
    let compared = trace_json(&[
        "hESC-MSC",
        "amelioration of multiple sclerosis",
        "--comparisons",
    ]);
    let path = paths(&compared)
        .iter()
        .find(|p| hops(p)[0]["predicate"]["id"] == "st:lowerIn")
        .expect("hESC-MSC lower in IL-6 → amelioration");
    let hop = &hops(path)[0];
    assert_eq!(hop["object"]["id"], "sr:IL6");
    assert_eq!(hop["comparison"]["outcome"], "lower");
    assert_eq!(hop["comparison"]["compared_with"][0], "bone marrow MSC");
    assert!(on_every_hop(path, 101));
    stroma()
        .args([
            "trace",
            "hESC-MSC",
            "amelioration of multiple sclerosis",
            "--comparisons",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "hESC-derived MSC —lower in (lower than bone marrow MSC)→ IL-6",
        ));
}

#[test]
fn facts_that_were_free_text_are_statements() {
    // [114]: the higher dose did better than the lower one in steroid-resistant acute GvHD.
    let dose = select(
        "SELECT ?st ?dose ?other WHERE { ?st prov:wasDerivedFrom ref:114 ; st:dose ?dose ;
           st:comparedWithDose ?other ; st:setting st:Clinical ; st:organism sr:Human }",
    );
    assert!(dose.len() >= 3, "{dose:?}");
    assert!(dose.iter().all(|r| r["dose"].contains("higher")));
    // [119]: iPSC-MSCs drive less EMT, invasion and stemness of breast cancer cells than
    // BM-MSCs.
    let lower = select(
        "SELECT ?trait WHERE { sr:iPSC-MSC st:lowerIn ?trait .
           ?st rdf:subject sr:iPSC-MSC ; rdf:predicate st:lowerIn ; rdf:object ?trait ;
               st:comparedWith sr:BM-MSC ; st:diseaseModel ?model ; prov:wasDerivedFrom ref:119 }",
    );
    let traits: BTreeSet<String> = lower.iter().map(|r| curie(&r["trait"])).collect();
    for expected in ["sr:EMT", "sr:CancerCellInvasion", "sr:CancerStemness"] {
        assert!(traits.contains(expected), "{traits:?}");
    }
}

#[test]
fn coherence_is_documented_in_the_help() {
    stroma()
        .args(["trace", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--coherent"))
        .stdout(predicate::str::contains("--through-hubs"))
        .stdout(predicate::str::contains("--comparisons"));
}

#[test]
fn claims_of_the_review_itself_do_not_make_a_path_coherent() {
    // hPSC-MSCs promote paracrine signalling, which mediates immunosuppression: two claims the
    // review makes on its own (Figure 1), not one study's finding.
    let report = trace_json(&["hPSC-MSC", "immunosuppression"]);
    let two_claims = paths(&report)
        .iter()
        .find(|p| hops(p).len() == 2 && hops(p)[0]["object"]["id"] == "sr:ParacrineSignalling")
        .expect("hPSC-MSC → paracrine signalling → immunosuppression");
    assert!(
        hops(two_claims).iter().all(|h| refs_of(h).is_empty()),
        "review only"
    );
    assert_eq!(two_claims["coherence"]["level"], "mixed");
    stroma()
        .args(["trace", "hPSC-MSC", "immunosuppression", "--paths", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "(1 hop, 1 study; a claim of the review)",
        ));
}
