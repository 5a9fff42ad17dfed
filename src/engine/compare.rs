//! `compare`: how one cell type fared against another, property by property, from every
//! comparison statement in the graph (`st:comparedWith`): the review's Table 1 (hPSC-MSCs
//! against primary MSCs) and every other finding that names a comparator.
//!
//! A comparison made for a broader or narrower type stands for the types asked about: what
//! the review says of hPSC-MSCs against primary MSCs holds for iPSC-MSCs against BM-MSCs, and a
//! finding on iPSC-MSCs counts when hPSC-MSCs are compared. Types above both (MSC) are left out,
//! and a statement made the other way round (BM-MSCs against iPSC-MSCs) is turned around. Each
//! row keeps what was actually stated, with its qualifiers and studies.

use super::Engine;
use crate::error::{Error, Result};
use crate::evidence::{resource, Resource};
use crate::store::Table;
use oxigraph::model::{NamedNode, Term};
use serde::Serialize;
use std::collections::BTreeSet;

/// Compare `a` with `b` (each an IRI, CURIE, label or synonym).
#[derive(Debug, Clone)]
pub struct CompareRequest {
    pub a: String,
    pub b: String,
}

/// Every comparison between the two types, Table 1's rows first in the review's order.
#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    pub a: Resource,
    pub b: Resource,
    pub rows: Vec<ComparisonRow>,
    /// How names were understood.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One comparison statement, seen from `a`'s side.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    /// What was compared: the trait (higher in cell number) or the relation and its object
    /// (promotes limb ischaemia amelioration).
    pub property: String,
    pub relation: Resource,
    pub object: Resource,
    /// How `a` fared: higher, lower, similar, superior or inferior.
    pub a: String,
    /// How `b` fared, the other way round.
    pub b: String,
    /// The types the statement names, as stated.
    pub subject: Resource,
    pub comparator: Resource,
    /// True when the statement compares `b`'s side with `a`'s (its outcome turned around).
    pub reversed: bool,
    /// The row of the review's Table 1 the statement is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_row: Option<u32>,
    pub organisms: Vec<String>,
    pub disease_models: Vec<String>,
    pub products: Vec<String>,
    /// Reference numbers of the studies, or "review" for the review's own claim.
    pub studies: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The statement node (CURIE).
    pub statement: String,
}

impl ComparisonRow {
    /// Where the comparison was made: its organisms, disease models and products.
    pub fn context(&self) -> String {
        self.organisms
            .iter()
            .chain(&self.disease_models)
            .chain(&self.products)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The comparison statements with both ends bound by the `pairs` table (?s, ?c).
const COMPARISONS: &str = "
SELECT ?st ?s ?p ?o ?c ?outcome ?row ?note
  (MIN(?sLabel) AS ?sl) (MIN(?pLabel) AS ?pl) (MIN(?oLabel) AS ?ol) (MIN(?cLabel) AS ?cl)
  (MIN(?outcomeLabel) AS ?outl) (MAX(?comparative) AS ?cmp)
  (GROUP_CONCAT(DISTINCT ?ref; separator='|') AS ?refs)
  (GROUP_CONCAT(DISTINCT ?organism; separator='|') AS ?organisms)
  (GROUP_CONCAT(DISTINCT ?model; separator='|') AS ?models)
  (GROUP_CONCAT(DISTINCT ?product; separator='|') AS ?products)
WHERE {
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; st:comparedWith ?c .
  OPTIONAL { ?st st:comparison ?outcome OPTIONAL { ?outcome rdfs:label ?outcomeLabel } }
  OPTIONAL { ?st st:tableRow ?row ; st:reportedIn ref:review-table1 }
  OPTIONAL { ?st rdfs:comment ?note }
  OPTIONAL { ?st prov:wasDerivedFrom ?source
             OPTIONAL { ?source st:referenceNumber ?number }
             BIND(COALESCE(STR(?number), 'review') AS ?ref) }
  OPTIONAL { ?st st:organism/rdfs:label ?organism }
  OPTIONAL { ?st st:diseaseModel/rdfs:label ?model }
  OPTIONAL { ?st st:product/rdfs:label ?product }
  OPTIONAL { ?s rdfs:label ?sLabel }
  OPTIONAL { ?p rdfs:label ?pLabel }
  OPTIONAL { ?o rdfs:label ?oLabel }
  OPTIONAL { ?c rdfs:label ?cLabel }
  OPTIONAL { ?p st:comparative ?comparative }
}
GROUP BY ?st ?s ?p ?o ?c ?outcome ?row ?note";

impl Engine {
    /// Every comparison between two cell types, from `a`'s side.
    pub fn compare(&self, request: &CompareRequest) -> Result<CompareReport> {
        let mut notes = Vec::new();
        let a = self.resolve_noted(&request.a, &mut notes)?;
        let b = self.resolve_noted(&request.b, &mut notes)?;
        if a == b {
            return Err(Error::Usage(format!(
                "{} and {} name the same type ({a}): compare two different ones",
                request.a, request.b
            )));
        }
        let classes = self.db().class_hierarchy()?;
        let related = |x: &NamedNode| -> BTreeSet<NamedNode> {
            let mut all = classes.ancestors(x);
            all.extend(classes.descendants(x));
            all
        };
        // A type above both (MSC, cell) is neither side.
        let side_a: BTreeSet<NamedNode> = related(&a)
            .difference(&classes.ancestors(&b))
            .cloned()
            .collect();
        let side_b: BTreeSet<NamedNode> = related(&b)
            .difference(&classes.ancestors(&a))
            .cloned()
            .collect();
        let mut pairs = Table {
            variables: vec!["s".to_owned(), "c".to_owned()],
            rows: Vec::new(),
        };
        for (x, y) in [(&side_a, &side_b), (&side_b, &side_a)] {
            for s in x {
                for c in y {
                    pairs.rows.push(vec![
                        Some(Term::NamedNode(s.clone())),
                        Some(Term::NamedNode(c.clone())),
                    ]);
                }
            }
        }
        let prefixes = self.prefixes();
        let rows = self.db().select_values(COMPARISONS, &[pairs])?;
        let mut compared = Vec::new();
        for row in rows {
            let text = |i: usize| match &row[i] {
                Some(Term::Literal(l)) => Some(l.value().to_owned()),
                Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
                _ => None,
            };
            let list = |i: usize| -> Vec<String> {
                let mut items: Vec<String> = text(i)
                    .unwrap_or_default()
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                items.sort_by_key(|s| (s.parse::<u32>().unwrap_or(u32::MAX), s.clone()));
                items
            };
            let (Some(st), Some(s), Some(p), Some(o), Some(c)) =
                (&row[0], &row[1], &row[2], &row[3], &row[4])
            else {
                continue;
            };
            let Term::NamedNode(subject) = s else {
                continue;
            };
            let reversed = !side_a.contains(subject);
            let outcome = text(12).unwrap_or_default();
            let (a_side, b_side) = if reversed {
                (opposite(&outcome), outcome.clone())
            } else {
                (outcome.clone(), opposite(&outcome))
            };
            let relation = resource(p, text(9).as_deref(), prefixes);
            let object = resource(o, text(10).as_deref(), prefixes);
            let comparative = text(13).is_some_and(|v| v == "true");
            let property = if comparative {
                object.label.clone()
            } else {
                format!("{} {}", relation.label, object.label)
            };
            compared.push(ComparisonRow {
                property,
                relation,
                object,
                a: a_side,
                b: b_side,
                subject: resource(s, text(8).as_deref(), prefixes),
                comparator: resource(c, text(11).as_deref(), prefixes),
                reversed,
                table_row: text(6).and_then(|r| r.parse().ok()),
                organisms: list(15),
                disease_models: list(16),
                products: list(17),
                studies: list(14),
                note: text(7),
                statement: prefixes.curie(&crate::evidence::term_iri(st)),
            });
        }
        compared.sort_by_cached_key(|row| {
            (
                row.table_row.is_none(),
                row.table_row,
                row.property.to_lowercase(),
                row.statement.clone(),
            )
        });
        let label = |iri: &NamedNode| -> Result<Resource> {
            let rows = self.db().select(
                "SELECT ?l ?x WHERE { ?x rdfs:label ?l } ORDER BY ?l LIMIT 1",
                &[("x", &Term::NamedNode(iri.clone()))],
            )?;
            let label = rows.first().and_then(|r| match &r[0] {
                Some(Term::Literal(l)) => Some(l.value().to_owned()),
                _ => None,
            });
            Ok(Resource::named(iri.as_str(), label.as_deref(), prefixes))
        };
        if compared.is_empty() {
            return Err(Error::NothingFound(format!(
                "no comparison between {} and {} (or their broader or narrower types) in the graph; the comparators named are listed by `stroma query 'SELECT DISTINCT ?c WHERE {{ ?s st:comparedWith ?c }}'`",
                request.a, request.b
            )));
        }
        Ok(CompareReport {
            a: label(&a)?,
            b: label(&b)?,
            rows: compared,
            notes,
        })
    }
}

/// The outcome seen from the comparator's side.
fn opposite(outcome: &str) -> String {
    match outcome {
        "higher" => "lower",
        "lower" => "higher",
        "superior" => "inferior",
        "inferior" => "superior",
        other => other,
    }
    .to_owned()
}
