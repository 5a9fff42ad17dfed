//! Science tests: the findings of the review, one question each, checked against the article
//! (Liu TM, World J Stem Cells 2021;13:1826). Every expectation here was written from the
//! article's text and figure — the entity and the reference number(s) it cites — not from the
//! data files. References and tables: tests/science_tables.rs.

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
