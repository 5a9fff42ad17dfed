//! `stroma stats`: what the graph holds — triples, entities by class, statements, studies, and
//! how the statements are spread over the studies.

use crate::error::Result;
use crate::store::Db;
use crate::table::display_term;
use crate::vocab::{PROV, ST};
use oxigraph::model::Term;
use serde::Serialize;

/// The counts `stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub triples: u64,
    pub entities_by_class: Vec<(String, u64)>,
    pub statements: u64,
    pub studies: u64,
    pub studies_cited_by_statements: u64,
    pub studies_without_statements: Vec<i64>,
    /// (study, number of statements), most first.
    pub statements_per_study: Vec<(String, u64)>,
}

fn count(term: &Option<Term>) -> u64 {
    match term {
        Some(Term::Literal(l)) => l.value().parse().unwrap_or(0),
        _ => 0,
    }
}

/// Counts what is in the store.
pub fn stats(db: &Db) -> Result<Stats> {
    let prefixes = db.prefixes();
    let by_class = db.select(
        "SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?class }
         GROUP BY ?class ORDER BY DESC(?n) ?class",
        &[],
    )?;
    let one = |sparql: &str| -> Result<u64> {
        Ok(db
            .select(sparql, &[])?
            .first()
            .map(|r| count(&r[0]))
            .unwrap_or(0))
    };
    let statements = one(&format!(
        "SELECT (COUNT(?s) AS ?n) WHERE {{ ?s a <{ST}Statement> }}"
    ))?;
    let studies = one(&format!(
        "SELECT (COUNT(?s) AS ?n) WHERE {{ ?s a <{ST}Study> }}"
    ))?;
    let cited = one(&format!(
        "SELECT (COUNT(DISTINCT ?study) AS ?n) WHERE {{ ?s <{PROV}wasDerivedFrom> ?study . ?study a <{ST}Study> }}"
    ))?;
    let uncited = db.select(
        &format!(
            "SELECT ?n WHERE {{ ?study a <{ST}Study> ; <{ST}referenceNumber> ?n
               FILTER NOT EXISTS {{ ?s <{PROV}wasDerivedFrom> ?study }} }} ORDER BY ?n"
        ),
        &[],
    )?;
    let per_study = db.select(
        &format!(
            "SELECT ?study (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{ST}Statement> ; <{PROV}wasDerivedFrom> ?study }}
             GROUP BY ?study ORDER BY DESC(?n) ?study"
        ),
        &[],
    )?;
    Ok(Stats {
        triples: db.quad_count()?,
        entities_by_class: by_class
            .iter()
            .filter_map(|r| Some((display_term(r[0].as_ref()?, prefixes), count(&r[1]))))
            .collect(),
        statements,
        studies,
        studies_cited_by_statements: cited,
        studies_without_statements: uncited.iter().map(|r| count(&r[0]) as i64).collect(),
        statements_per_study: per_study
            .iter()
            .filter_map(|r| Some((display_term(r[0].as_ref()?, prefixes), count(&r[1]))))
            .collect(),
    })
}
