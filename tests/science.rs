//! Science tests: answers the graph gives, checked against the review (Liu TM, World J Stem
//! Cells 2021;13:1826). Every expectation here was written from the article's text, tables and
//! figure — the entity and the reference number(s) it cites — not from the data files.

mod common;

use common::{ask, select};

/// A claim the review makes, to be found as a statement node with its study.
struct Claim {
    subject: String,
    predicates: Vec<String>,
    object: String,
    refs: Vec<u32>,
    qualifiers: Vec<(String, String)>,
}

/// A claim whose subject label matches `subject` (a case-insensitive regex over labels and
/// synonyms), with one of `predicates` (local names in st:), and object matching `object`.
fn claim(subject: &str, predicates: &[&str], object: &str) -> Claim {
    Claim {
        subject: subject.to_owned(),
        predicates: predicates.iter().map(|p| (*p).to_owned()).collect(),
        object: object.to_owned(),
        refs: Vec::new(),
        qualifiers: Vec::new(),
    }
}

impl Claim {
    /// The statement is derived from (at least) these studies.
    fn refs(mut self, refs: &[u32]) -> Self {
        self.refs = refs.to_vec();
        self
    }

    /// The statement has qualifier st:`key` whose value's label matches `label`.
    fn with(mut self, key: &str, label: &str) -> Self {
        self.qualifiers.push((key.to_owned(), label.to_owned()));
        self
    }

    fn sparql(&self) -> String {
        let predicates: Vec<String> = self.predicates.iter().map(|p| format!("st:{p}")).collect();
        let mut sparql = format!(
            "ASK {{
               ?st a st:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
               VALUES ?p {{ {} }}
               ?s rdfs:label|skos:altLabel ?sl FILTER(REGEX(STR(?sl), {:?}, \"i\"))
               ?o rdfs:label|skos:altLabel ?ol FILTER(REGEX(STR(?ol), {:?}, \"i\"))\n",
            predicates.join(" "),
            self.subject,
            self.object
        );
        for n in &self.refs {
            sparql.push_str(&format!("?st prov:wasDerivedFrom ref:{n} .\n"));
        }
        for (i, (key, label)) in self.qualifiers.iter().enumerate() {
            sparql.push_str(&format!(
                "?st st:{key} ?q{i} . ?q{i} rdfs:label|skos:altLabel ?ql{i} FILTER(REGEX(STR(?ql{i}), {label:?}, \"i\"))\n"
            ));
        }
        sparql.push('}');
        sparql
    }

    #[track_caller]
    fn holds(self) {
        let sparql = self.sparql();
        if !ask(&sparql) {
            let refs: Vec<String> = self.refs.iter().map(|n| format!("ref:{n}")).collect();
            let context = if refs.is_empty() {
                Vec::new()
            } else {
                select(&format!(
                    "SELECT ?sl ?p ?ol WHERE {{ ?st prov:wasDerivedFrom {} ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
                       ?s rdfs:label ?sl . ?o rdfs:label ?ol }}",
                    refs[0]
                ))
            };
            panic!(
                "the graph lacks the review's claim {} {:?} {} [{:?}] {:?}\nstatements from {:?}: {context:#?}",
                self.subject, self.predicates, self.object, self.refs, self.qualifiers, refs
            );
        }
    }
}

const UP: &[&str] = &["increases", "activates", "promotes", "enhances", "mediates"];
const DOWN: &[&str] = &["decreases", "inhibits", "suppresses"];
const THERAPY: &[&str] = &["treats", "ameliorates", "prevents", "protects"];

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

// --- Findings of the review, one question each ----------------------------------------------------

#[test]
fn tsg6_mediates_ipsc_msc_intestinal_repair_in_murine_colitis() {
    claim("TSG-6", UP, "intestinal repair")
        .refs(&[111])
        .with("cellType", "iPSC-MSC")
        .with("organism", "mouse")
        .holds();
    claim("iPSC-MSC", &["secretes"], "TSG-6")
        .refs(&[111])
        .holds();
}

#[test]
fn ipsc_msc_exosomes_promote_angiogenesis_via_pi3k_akt_in_rat_osteonecrosis() {
    claim("PI3K/Akt", UP, "angiogenesis")
        .refs(&[64])
        .with("organism", "rat")
        .holds();
    assert!(ask(
        "ASK { ?st rdf:object sr:PI3KAkt ; rdf:predicate st:activates ; prov:wasDerivedFrom ref:64 ; st:product sr:Exosomes }"
    ));
}

#[test]
fn hgf_c_met_signalling_mediates_protection_in_lipotoxic_kidney_injury() {
    claim("HGF", UP, "ER stress|endoplasmic|kidney|c-Met")
        .refs(&[83])
        .holds();
}

#[test]
fn exosomes_raise_sirt6_and_lower_beta_catenin_in_uuo_kidney_fibrosis() {
    claim("hPSC-MSC", &["increases"], "SIRT6")
        .refs(&[84])
        .with("product", "exosome")
        .holds();
    claim(".", &["decreases", "inhibits"], "β-catenin|beta-catenin")
        .refs(&[84])
        .holds();
}

#[test]
fn ipsc_mscs_lower_bax_in_adriamycin_nephropathy() {
    claim("iPSC-MSC", &["decreases"], "^Bax$")
        .refs(&[82])
        .holds();
    claim("iPSC-MSC", &["increases"], "survivin")
        .refs(&[82])
        .holds();
}

#[test]
fn hesc_mscs_lower_tnf_alpha_and_il6_in_lupus_nephritis() {
    claim("hESC-MSC", &["decreases"], "^TNFα$")
        .refs(&[81])
        .holds();
    claim("hESC-MSC", &["decreases"], "^IL-6$")
        .refs(&[81])
        .holds();
    claim("hESC-MSC", THERAPY, "lupus")
        .refs(&[81])
        .with("organism", "mouse")
        .holds();
}

#[test]
fn connexin_43_mediated_mitochondrial_transfer_alleviates_asthma() {
    claim("connexin 43|Cx43", UP, "mitochondrial transfer")
        .refs(&[110])
        .holds();
    claim("iPSC-MSC", THERAPY, "asthma")
        .refs(&[110])
        .with("organism", "mouse")
        .holds();
}

#[test]
fn scf_mediates_recovery_from_cigarette_smoke_injury_of_airway_cells() {
    claim("iPSC-MSC", &["secretes"], "SCF|stem cell factor")
        .refs(&[78])
        .holds();
}

#[test]
fn ipsc_mscs_transfer_mitochondria_better_than_bm_mscs() {
    claim(
        "iPSC-MSC",
        &["transfersTo", "promotes"],
        "mitochondria|bronchial",
    )
    .refs(&[80])
    .with("comparedWith", "bone marrow")
    .holds();
}

#[test]
fn ipsc_mscs_shift_macrophages_from_m1_to_m2_after_cardiac_arrest() {
    claim("iPSC-MSC", &["increases"], "M2 macrophage")
        .refs(&[88])
        .holds();
    claim("iPSC-MSC", &["decreases"], "M1 macrophage")
        .refs(&[88])
        .holds();
}

#[test]
fn hpsc_mscs_alter_macrophage_polarization_by_suppressing_notch1() {
    claim("MSC", DOWN, "Notch-1").refs(&[102]).holds();
}

#[test]
fn vascularized_composite_allotransplantation_lower_tnf_ifng_higher_il10() {
    claim("iPSC-MSC", &["decreases"], "^TNFα$")
        .refs(&[106])
        .with("organism", "rat")
        .holds();
    claim("iPSC-MSC", &["decreases"], "^IFNγ$")
        .refs(&[106])
        .holds();
    claim("iPSC-MSC", &["increases"], "^IL-10$")
        .refs(&[106])
        .holds();
}

#[test]
fn ipsc_mscs_disrupt_nk_cells_through_lower_erk1_2_signalling() {
    claim("iPSC-MSC", DOWN, "ERK1/2").refs(&[26]).holds();
}

#[test]
fn hesc_mscs_treat_eae_in_monkeys_and_outperform_bm_mscs_in_mice() {
    claim("hESC-MSC", THERAPY, "multiple sclerosis|EAE|encephal")
        .refs(&[41])
        .with("organism", "monkey")
        .holds();
    claim("hESC-MSC", THERAPY, "multiple sclerosis|EAE|encephal")
        .refs(&[101])
        .with("organism", "mouse")
        .holds();
    claim("hESC-MSC", &["lowerIn"], "IL-6")
        .refs(&[101])
        .with("comparedWith", "bone marrow")
        .holds();
}

#[test]
fn the_first_clinical_trial_treated_steroid_resistant_acute_gvhd_in_people() {
    claim("iPSC-MSC", THERAPY, "graft")
        .refs(&[114])
        .with("organism", "human")
        .holds();
}

#[test]
fn extracellular_vesicles_prevent_sjogren_syndrome() {
    claim("iPSC-MSC", THERAPY, "Sj[oö]gren")
        .refs(&[112])
        .with("product", "vesicle")
        .holds();
}

#[test]
fn nanovesicles_fight_metastatic_breast_and_prostate_cancer() {
    claim("iPSC-MSC", &[THERAPY, DOWN].concat(), "metasta|breast")
        .refs(&[117])
        .with("product", "nanovesicle")
        .holds();
    claim(
        "iPSC-MSC",
        &[THERAPY, DOWN].concat(),
        "prostate|tumou?r growth",
    )
    .refs(&[118])
    .with("product", "nanovesicle")
    .holds();
}

#[test]
fn hesc_msc_microvesicles_reduce_leukemia_cell_proliferation() {
    claim("hESC-MSC", DOWN, "leuk")
        .refs(&[116])
        .with("product", "microvesicle")
        .holds();
}

#[test]
fn ipsc_msc_exosomes_heal_wounds_and_ischemic_limbs_through_angiogenesis() {
    claim("iPSC-MSC", UP, "angiogenesis")
        .refs(&[120])
        .with("product", "exosome")
        .with("organism", "rat")
        .holds();
    claim("iPSC-MSC", UP, "collagen").refs(&[120]).holds();
    claim("iPSC-MSC", UP, "angiogenesis")
        .refs(&[121])
        .with("product", "exosome")
        .with("organism", "mouse")
        .holds();
}

#[test]
fn conditioned_medium_protects_the_failing_heart_better_than_bm_msc_medium() {
    claim("iPSC-MSC", THERAPY, "heart|cardi")
        .refs(&[90])
        .with("product", "conditioned medium")
        .with("comparedWith", "bone marrow")
        .holds();
}

#[test]
fn hesc_mscs_ameliorate_collagen_induced_arthritis_by_inducing_ido1() {
    claim(
        "hESC-MSC",
        &["increases", "activates", "promotes"],
        "IDO1|indoleamine",
    )
    .refs(&[72])
    .holds();
    claim("hESC-MSC", THERAPY, "arthritis")
        .refs(&[72])
        .with("organism", "mouse")
        .holds();
}

#[test]
fn genes_whose_overexpression_improves_ipsc_msc_bone_formation() {
    for (gene, reference) in [
        ("DLX3", 65),
        ("BMP2|bone morphogenetic protein 2", 66),
        ("NELL1", 67),
    ] {
        claim(
            gene,
            &["enhances", "promotes", "increases"],
            "osteogen|bone",
        )
        .refs(&[reference])
        .holds();
    }
    claim(
        "metformin",
        &["enhances", "promotes", "increases"],
        "osteogen|bone",
    )
    .refs(&[60])
    .holds();
}

#[test]
fn myocardin_overexpression_turns_ipsc_mscs_partly_into_cardiomyocytes() {
    claim(
        "myocardin",
        &["enhances", "promotes", "increases", "differentiatesInto"],
        "cardiomyocyte",
    )
    .refs(&[92])
    .holds();
}

#[test]
fn hesc_msc_spheres_secrete_more_hgf_and_igfbp1() {
    claim("hESC-MSC", &["secretes", "higherIn", "increases"], "^HGF$")
        .refs(&[94])
        .holds();
    claim("hESC-MSC", &["secretes", "higherIn", "increases"], "IGFBP1")
        .refs(&[94])
        .holds();
}

#[test]
fn hgps_screen_found_retinoic_acids_that_lower_progerin() {
    assert!(ask(
        "ASK { ?screen a st:DrugScreen ; st:compoundsScreened 2800 ; st:hitCount 7 }"
    ));
    claim("all-trans retinoic acid", &["decreases"], "progerin")
        .refs(&[50])
        .holds();
    claim("13-cis", &["decreases"], "progerin")
        .refs(&[50])
        .holds();
}

#[test]
fn fop_is_caused_by_acvr1_and_mtor_drives_its_aberrant_chondrogenesis() {
    assert!(ask(
        "ASK { ?screen a st:DrugScreen ; st:compoundsScreened 6809 }"
    ));
    claim("mTOR", UP, "chondrogenesis").refs(&[54]).holds();
    claim("ACVR1", &["causes"], "fibrodysplasia|FOP").holds();
}

#[test]
fn clinically_compliant_derivation_sorts_cd24_negative_cd105_positive_cells() {
    assert!(ask(
        "ASK { ?st rdf:predicate st:sortedOn ; rdf:object ?m ; prov:wasDerivedFrom ref:34 . ?m rdfs:label ?l FILTER(CONTAINS(?l, \"CD105\")) }"
    ));
    assert!(ask(
        "ASK { ?st rdf:predicate st:sortedOn ; rdf:object ?m ; prov:wasDerivedFrom ref:34 . ?m rdfs:label ?l FILTER(CONTAINS(?l, \"CD24\")) }"
    ));
}

#[test]
fn msc_markers_follow_the_minimal_criteria() {
    for marker in ["CD73", "CD90", "CD105"] {
        assert!(ask(&format!("ASK {{ ?st rdf:subject sr:MSC ; rdf:predicate st:expressesMarker ; rdf:object ?m ; prov:wasDerivedFrom ref:1 . ?m rdfs:label \"{marker}\"@en }}")), "{marker}");
    }
    for marker in ["CD11b", "CD19", "CD34", "CD45"] {
        assert!(ask(&format!("ASK {{ ?st rdf:subject sr:MSC ; rdf:predicate st:lacksMarker ; rdf:object ?m ; prov:wasDerivedFrom ref:1 . ?m rdfs:label \"{marker}\"@en }}")), "{marker}");
    }
}

#[test]
fn neural_crest_route_uses_gsk3b_and_tgfb_inhibitors() {
    assert!(ask(
        "ASK { ?p a st:DerivationProtocol . ?st rdf:subject ?p ; rdf:predicate st:viaIntermediate ; rdf:object sr:NeuralCrestCell ; prov:wasDerivedFrom ref:14 }"
    ));
    for condition in ["GSK3", "TGF"] {
        assert!(ask(&format!(
            "ASK {{ ?st rdf:subject ?p ; rdf:predicate st:usesCondition ; rdf:object ?c ; prov:wasDerivedFrom ref:14 . ?c rdfs:label ?l FILTER(CONTAINS(?l, \"{condition}\")) }}"
        )), "{condition}");
    }
}

#[test]
fn kindlin_2_raises_ipsc_msc_survival_proliferation_and_migration() {
    claim("kindlin-2", UP, "migration|prolifera|surviv")
        .refs(&[130])
        .holds();
}

#[test]
fn alzheimer_disease_esc_mscs_clear_amyloid_beta_in_rats() {
    claim(
        "hESC-MSC",
        &[THERAPY, UP, DOWN].concat(),
        "Alzheimer|amyloid|Aβ",
    )
    .refs(&[96])
    .with("organism", "rat")
    .holds();
}

#[test]
fn ipsc_msc_and_hesc_msc_are_kinds_of_msc() {
    assert!(ask("ASK { sr:iPSC-MSC rdfs:subClassOf+ sr:MSC . sr:hESC-MSC rdfs:subClassOf+ sr:MSC . sr:BM-MSC rdfs:subClassOf+ sr:PrimaryMSC }"));
}

#[test]
fn figure_1_links_its_factors_to_effects_with_references() {
    // The factors and pathways named in Figure 1 and its caption.
    for factor in [
        "PI3KAkt", "BDNF", "NGF", "HGF", "IGFBP1", "TNFa", "IL6", "IL10", "Bax", "SIRT6", "TSG6",
        "IFNg", "ERK12", "Notch1",
    ] {
        assert!(
            ask(&format!(
                "ASK {{ ?st st:reportedIn ref:review-figure1 ; prov:wasDerivedFrom ?src . {{ ?st rdf:subject sr:{factor} }} UNION {{ ?st rdf:object sr:{factor} }} }}"
            )),
            "Figure 1 item {factor} has a statement reported in Figure 1"
        );
    }
}
