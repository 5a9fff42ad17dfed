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

impl Stats {
    /// The report as bytes, for the cache beside a persistent store.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = crate::codec::Writer::new();
        w.u64(self.triples);
        for counts in [&self.entities_by_class, &self.statements_per_study] {
            w.count(counts.len());
            for (name, n) in counts {
                w.str(name);
                w.u64(*n);
            }
        }
        w.u64(self.statements);
        w.u64(self.studies);
        w.u64(self.studies_cited_by_statements);
        w.count(self.studies_without_statements.len());
        for n in &self.studies_without_statements {
            w.u64(*n as u64);
        }
        w.into_bytes()
    }

    /// Reads back what [`Stats::encode`] wrote.
    pub fn decode(bytes: &[u8]) -> Result<Self, crate::codec::DecodeError> {
        let mut r = crate::codec::Reader::new(bytes);
        let triples = r.u64()?;
        let mut counts = || -> Result<Vec<(String, u64)>, crate::codec::DecodeError> {
            (0..r.count(12)?)
                .map(|_| Ok((r.str()?.to_owned(), r.u64()?)))
                .collect()
        };
        let entities_by_class = counts()?;
        let statements_per_study = counts()?;
        let (statements, studies, studies_cited_by_statements) = (r.u64()?, r.u64()?, r.u64()?);
        let studies_without_statements = (0..r.count(8)?)
            .map(|_| Ok(r.u64()? as i64))
            .collect::<Result<_, crate::codec::DecodeError>>()?;
        r.finish()?;
        Ok(Self {
            triples,
            entities_by_class,
            statements,
            studies,
            studies_cited_by_statements,
            studies_without_statements,
            statements_per_study,
        })
    }
}
