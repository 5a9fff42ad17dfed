//! `stroma compare`: the review's Table 1 and every other comparison between two cell types,
//! checked against the review (Liu 2021, Table 1 and the section "Comparison between primary
//! MSCs and hPSC-MSCs").

mod common;

use common::{stdout_of, stroma};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

fn compare(a: &str, b: &str) -> Value {
    serde_json::from_str(&stdout_of(&["compare", a, b, "--format", "json"])).expect("JSON")
}

fn studies(row: &Value) -> Vec<&str> {
    row["studies"]
        .as_array()
        .expect("studies")
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

/// Table 1 of the review: trait, primary MSCs, hPSC-MSCs, references.
const TABLE_1: [(&str, &str, &str, &[&str]); 10] = [
    ("cell number", "lower", "higher", &["17", "36"]),
    (
        "proliferation rate",
        "lower",
        "higher",
        &["36", "39", "42", "43", "48", "57"],
    ),
    ("life span", "lower", "higher", &["17"]),
    ("variation", "higher", "lower", &["119"]),
    (
        "differentiation potential",
        "higher",
        "lower",
        &["31", "43", "47", "48"],
    ),
    (
        "immunosuppressive capacity",
        "higher",
        "lower",
        &["38", "46"],
    ),
    ("pluripotency gene expression", "lower", "higher", &["45"]),
    ("mesenchymal gene expression", "higher", "lower", &["45"]),
    ("VCAM1 expression", "higher", "lower", &["44"]),
    ("HLA class II expression", "higher", "lower", &["46"]),
];

#[test]
fn primary_msc_against_hpsc_msc_is_table_1_row_by_row() {
    let report = compare("primary MSC", "hPSC-MSC");
    let rows: Vec<&Value> = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["table_row"].is_u64())
        .collect();
    assert_eq!(rows.len(), 10, "{report:#}");
    for (i, (row, (property, primary, hpsc, refs))) in rows.iter().zip(TABLE_1).enumerate() {
        assert_eq!(row["table_row"], i + 1);
        assert_eq!(row["property"], property, "row {}", i + 1);
        assert_eq!(row["a"], primary, "{property}: primary MSCs");
        assert_eq!(row["b"], hpsc, "{property}: hPSC-MSCs");
        assert_eq!(studies(row), refs, "{property}: references");
        assert_eq!(
            row["reversed"], true,
            "stated for hPSC-MSCs, told from primary MSCs' side"
        );
    }
}

#[test]
fn ipsc_msc_against_bm_msc_inherits_table_1_and_adds_the_studies_on_ipsc_msc() {
    let report = compare("iPSC-MSC", "BM-MSC");
    assert_eq!(report["a"]["id"], "sr:iPSC-MSC");
    assert_eq!(report["b"]["id"], "sr:BM-MSC");
    let rows = report["rows"].as_array().expect("rows");
    let first = &rows[0];
    assert_eq!(first["table_row"], 1, "Table 1 comes first");
    assert_eq!(first["subject"]["id"], "sr:hPSC-MSC");
    assert_eq!(first["comparator"]["id"], "sr:PrimaryMSC");
    assert_eq!(
        (first["a"].as_str(), first["b"].as_str()),
        (Some("higher"), Some("lower"))
    );
    let find = |property: &str| {
        rows.iter()
            .find(|r| r["property"] == property && r["table_row"].is_null())
            .unwrap_or_else(|| panic!("{property} in {report:#}"))
    };
    // More iPSC-MSCs survived, with less inflammatory cell accumulation, in mouse limb
    // ischaemia [46]; iPSC-MSCs expressed less TSG-6 than BM-MSCs [119].
    let privilege = find("immune privilege");
    assert_eq!(privilege["a"], "higher");
    assert_eq!(studies(privilege), ["46"]);
    assert!(privilege["organisms"]
        .as_array()
        .expect("organisms")
        .iter()
        .any(|o| o == "mouse"));
    let tsg6 = find("TSG-6");
    assert_eq!(
        (tsg6["a"].as_str(), tsg6["b"].as_str()),
        (Some("lower"), Some("higher"))
    );
    assert_eq!(studies(tsg6), ["119"]);
    // Comparisons of hESC-MSCs are about another type, not a broader or narrower one.
    assert!(rows.iter().all(|r| r["subject"]["id"] != "sr:hESC-MSC"));
    assert!(
        rows.iter()
            .all(|r| studies(r).iter().all(|s| !s.is_empty())),
        "every row cites"
    );
}

#[test]
fn the_table_shows_both_sides_by_name_with_references() {
    stroma()
        .args(["compare", "iPSC-MSC", "BM-MSC"])
        .assert()
        .success()
        .stdout(
            contains("iPSC-derived MSC (sr:iPSC-MSC) compared with bone marrow MSC (sr:BM-MSC)")
                .and(contains("Table 1 of the review"))
                .and(contains("Other comparisons"))
                .and(contains("36, 39, 42, 43, 48, 57")),
        );
}

#[test]
fn two_names_of_one_type_or_no_comparison_at_all_are_told_apart() {
    stroma()
        .args(["compare", "iPSC-MSC", "iMSC"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("name the same type"));
    stroma()
        .args(["compare", "TSG-6", "hyaluronan"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("no comparison between TSG-6 and hyaluronan"));
    stroma()
        .args(["compare", "iPSC-MSC", "no such cell"])
        .assert()
        .code(2)
        .stderr(contains("no such cell"));
}
