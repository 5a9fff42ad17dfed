//! Science tests on the review's sources and tables: the 134 references field by field, and
//! every row of Table 1 and Table 2, checked against the article (Liu TM, World J Stem Cells
//! 2021;13:1826). Expectations were written from the article, not from the data files.

mod common;

use common::{ask, select};

// --- References ---------------------------------------------------------------------------------

#[test]
fn all_134_references_are_studies_numbered_1_to_134() {
    let rows = select(
        "SELECT (COUNT(?s) AS ?n) (MIN(?r) AS ?min) (MAX(?r) AS ?max) (COUNT(DISTINCT ?r) AS ?distinct)
         WHERE { ?s a st:Study ; st:referenceNumber ?r }",
    );
    assert_eq!(rows[0]["n"], "134");
    assert_eq!(rows[0]["distinct"], "134");
    assert_eq!(rows[0]["min"], "1");
    assert_eq!(rows[0]["max"], "134");
}

fn study(n: u32) -> std::collections::BTreeMap<String, String> {
    let rows = select(&format!(
        "SELECT ?first ?year ?title ?journal ?volume ?pages ?authors WHERE {{
           ref:{n} st:firstAuthor ?first ; st:year ?year ; dcterms:title ?title ; st:journal ?journal ; st:authors ?authors .
           OPTIONAL {{ ref:{n} bibo:volume ?volume }} OPTIONAL {{ ref:{n} bibo:pages ?pages }} }}"
    ));
    assert_eq!(rows.len(), 1, "reference {n} has one record");
    rows.into_iter().next().unwrap()
}

#[test]
fn reference_111_is_yang_2019_cell_death_dis() {
    let s = study(111);
    assert_eq!(s["first"], "Yang H");
    assert_eq!(s["year"], "2019");
    assert_eq!(s["journal"], "Cell Death Dis");
    assert_eq!(s["volume"], "10");
    assert_eq!(s["pages"], "718");
    assert!(s["title"].starts_with("Human induced pluripotent stem cell-derived mesenchymal stem cells promote healing via TNF-α-stimulated gene-6"));
}

#[test]
fn unusually_formatted_references_are_read_right() {
    // 113: "Garrigan DT, Jr.   ," and "Slukvin, II" in the author list; "Stem Cell Res 2019; 35: 101401."
    let s = study(113);
    assert_eq!(s["first"], "Ozay EI");
    assert_eq!(s["journal"], "Stem Cell Res");
    assert_eq!(s["year"], "2019");
    assert_eq!(s["volume"], "35");
    assert_eq!(s["pages"], "101401");
    assert!(s["title"].contains("Graft-vs-host disease"));
    assert!(
        !s["authors"].contains(",  "),
        "no stray spaces: {}",
        s["authors"]
    );
    // 115: "Cell Death Discov 2017; 3: 16064."
    let s = study(115);
    assert_eq!(
        (s["first"].as_str(), s["journal"].as_str()),
        ("Ullah M", "Cell Death Discov")
    );
    assert_eq!(
        (
            s["year"].as_str(),
            s["volume"].as_str(),
            s["pages"].as_str()
        ),
        ("2017", "3", "16064")
    );
    // 131: "J Vis Exp 2017." — no volume, no pages.
    let s = study(131);
    assert_eq!(
        (
            s["first"].as_str(),
            s["journal"].as_str(),
            s["year"].as_str()
        ),
        ("Szaraz P", "J Vis Exp", "2017")
    );
    assert!(!s.contains_key("volume") && !s.contains_key("pages"));
    // 1, 8 and 134: first, single-author and last entries.
    let s = study(1);
    assert_eq!(
        (
            s["first"].as_str(),
            s["journal"].as_str(),
            s["year"].as_str()
        ),
        ("Pittenger MF", "Science", "1999")
    );
    assert_eq!(
        (s["volume"].as_str(), s["pages"].as_str()),
        ("284", "143-147")
    );
    assert_eq!(study(8)["title"], "Mesenchymal stem cells");
    let s = study(134);
    assert_eq!(
        (
            s["first"].as_str(),
            s["journal"].as_str(),
            s["year"].as_str()
        ),
        ("Chen LB", "World J Gastroenterol", "2004")
    );
    // 5 keeps its accent; 84 has "14: 310-319".
    assert!(study(5)["authors"].contains("Luriá EA"));
    let s = study(84);
    assert_eq!(
        (s["volume"].as_str(), s["pages"].as_str()),
        ("14", "310-319")
    );
}

#[test]
fn every_statement_is_sourced_and_every_study_is_used() {
    assert!(!ask(
        "ASK { ?s a st:Statement FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?x } }"
    ));
    let unused = select(
        "SELECT ?n WHERE { ?s a st:Study ; st:referenceNumber ?n FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s } }",
    );
    assert!(unused.is_empty(), "studies no statement cites: {unused:?}");
}

// --- Table 1: primary MSCs versus hPSC-MSCs ------------------------------------------------------

#[test]
fn table_1_has_all_ten_comparisons_in_order_with_direction_and_references() {
    // (row, direction of hPSC-MSCs against primary MSCs, references) as printed in Table 1.
    let expected: &[(u32, &str, &[u32])] = &[
        (1, "higher", &[17, 36]), // cell number: limited vs unlimited
        (2, "higher", &[36, 39, 42, 43, 48, 57]), // proliferation: slower vs faster
        (3, "higher", &[17]),     // life span: shorter vs longer
        (4, "lower", &[119]),     // variation: higher vs lower
        (5, "lower", &[31, 43, 47, 48]), // differentiation potential, esp. adipogenesis
        (6, "lower", &[38, 46]),  // immunosuppression
        (7, "higher", &[45]),     // pluripotent genes
        (8, "lower", &[45]),      // mesenchymal genes
        (9, "lower", &[44]),      // VCAM1
        (10, "lower", &[46]),     // HLA-II
    ];
    let rows = select(
        "SELECT ?row ?p ?outcome (GROUP_CONCAT(DISTINCT STR(?n); separator=\",\") AS ?refs) ?trait WHERE {
           ?st st:reportedIn ref:review-table1 ; st:tableRow ?row ; rdf:predicate ?p ; rdf:object ?t ;
               st:comparison ?c ; st:comparedWith ?cmp ; prov:wasDerivedFrom ?study .
           ?c rdfs:label ?outcome . ?t rdfs:label ?trait . ?study st:referenceNumber ?n .
         } GROUP BY ?row ?p ?outcome ?trait ORDER BY ?row",
    );
    assert_eq!(rows.len(), 10, "{rows:#?}");
    for ((row, direction, refs), got) in expected.iter().zip(&rows) {
        assert_eq!(got["row"], row.to_string());
        assert_eq!(got["outcome"], *direction, "row {row} ({})", got["trait"]);
        let mut numbers: Vec<u32> = got["refs"].split(',').map(|n| n.parse().unwrap()).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, *refs, "row {row} ({})", got["trait"]);
        let predicate = if *direction == "higher" {
            "higherIn"
        } else {
            "lowerIn"
        };
        assert!(got["p"].ends_with(predicate), "row {row}: {}", got["p"]);
    }
    let traits: Vec<&str> = rows.iter().map(|r| r["trait"].as_str()).collect();
    for (i, word) in [
        "number",
        "prolifera",
        "life",
        "variation",
        "differentiation",
        "immunosuppress",
        "pluripoten",
        "mes",
        "VCAM1",
        "HLA",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            traits[i].to_lowercase().contains(&word.to_lowercase()),
            "row {}: {}",
            i + 1,
            traits[i]
        );
    }
}

// --- Table 2: applications by disease model ------------------------------------------------------

#[test]
fn table_2_has_all_31_rows_with_cell_type_organism_and_references() {
    // (row, cell type, organism or "" when the row gives none, references) from Table 2.
    let expected: &[(u32, &str, &str, &[u32])] = &[
        (1, "iPSC", "rat", &[85]),
        (2, "iPSC", "mouse", &[82]),
        (3, "iPSC", "mouse", &[83]),
        (4, "hPSC", "mouse", &[84]),
        (5, "hESC", "mouse", &[81]),
        (6, "iPSC", "mouse", &[117]),
        (7, "iPSC", "mouse", &[119]),
        (8, "iPSC", "mouse", &[127]),
        (9, "hESC", "mouse", &[72]),
        (10, "iPSC", "rat", &[64]),
        (11, "iPSC", "rat", &[106]),
        (12, "iPSC", "mouse", &[121]),
        (13, "iPSC", "mouse", &[46]),
        (14, "iPSC", "mouse", &[35]),
        (15, "iPSC", "rat", &[68]),
        (16, "iPSC", "mouse", &[33]),
        (17, "iPSC", "mouse", &[28]),
        (18, "iPSC", "rat", &[17]),
        (19, "iPSC", "", &[53, 54]),
        (20, "hESC", "mouse", &[40]),
        (21, "hESC", "mouse", &[101]),
        (22, "hESC", "monkey", &[41]),
        (23, "hESC", "mouse", &[103]),
        (24, "iPSC", "mouse", &[111]),
        (25, "hESC", "mouse", &[107]),
        (26, "iPSC", "mouse", &[112]),
        (27, "iPSC", "", &[108]),
        (28, "iPSC", "mouse", &[110]),
        (29, "iPSC", "mouse", &[99]),
        (30, "iPSC", "rat", &[120]),
        (31, "iPSC", "human", &[114]),
    ];
    let rows = select(
        "SELECT ?row (GROUP_CONCAT(DISTINCT STR(?n); separator=\",\") AS ?refs)
                (GROUP_CONCAT(DISTINCT ?org; separator=\",\") AS ?organisms)
                (GROUP_CONCAT(DISTINCT ?cell; separator=\",\") AS ?cells) WHERE {
           ?st st:reportedIn ref:review-table2 ; st:tableRow ?row ; prov:wasDerivedFrom ?study .
           ?study st:referenceNumber ?n .
           OPTIONAL { ?st st:organism/rdfs:label ?org }
           OPTIONAL { ?st st:cellType/rdfs:subClassOf*/skos:altLabel ?cell FILTER(REGEX(?cell, \"^(iPSC|hESC|hPSC)-MSC$\")) }
         } GROUP BY ?row ORDER BY ?row",
    );
    let rows_seen: Vec<&str> = rows.iter().map(|r| r["row"].as_str()).collect();
    assert_eq!(rows.len(), 31, "Table 2 rows present: {rows_seen:?}");
    for ((row, cell, organism, refs), got) in expected.iter().zip(&rows) {
        assert_eq!(got["row"], row.to_string());
        let mut numbers: Vec<u32> = got["refs"].split(',').map(|n| n.parse().unwrap()).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, *refs, "row {row} references");
        let field = |key: &str| got.get(key).map_or("", String::as_str);
        assert_eq!(field("organisms"), *organism, "row {row} organism");
        let cells: Vec<&str> = field("cells").split(',').collect();
        assert!(
            cells.contains(&format!("{cell}-MSC").as_str()),
            "row {row} cell type: {cells:?}"
        );
        if *cell == "hPSC" {
            assert_eq!(
                cells,
                ["hPSC-MSC"],
                "row {row} names hPSC-MSCs, not a subtype"
            );
        }
    }
}
