//! `--infer`: the entailments of a graph's schema added to the graph a command works on. The
//! rules are [`crate::rdfs`]'s; here they are applied through the store seam until a round adds
//! nothing. A persistent store is first copied into memory (a read command never writes into
//! it); a remote endpoint's graph is not in this process, so its own reasoner has to do this.

use super::Engine;
use crate::error::{Error, Result};
use crate::query::QueryText;
use crate::rdfs::{Regime, Schema, SCHEMA_QUERY};
use oxigraph::model::Term;
use serde::Serialize;
use std::time::Instant;

/// The most rounds of entailment: each round adds every consequence of the schema it read, so
/// only a schema that entailment itself extends takes a second one.
const MAX_ROUNDS: usize = 16;

/// What `--infer` added.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct InferenceReport {
    pub regime: Regime,
    /// Triples in the graph before and after.
    pub before: u64,
    pub after: u64,
    /// Rounds of the rules until one added nothing.
    pub rounds: usize,
    /// Whether a persistent store was copied into memory first.
    pub copied: bool,
    pub seconds: f64,
}

impl InferenceReport {
    /// How many triples entailment added.
    pub fn added(&self) -> u64 {
        self.after.saturating_sub(self.before)
    }
}

impl Engine {
    /// This engine's graph with what `regime` entails added to it (in memory: a persistent store
    /// is copied first and left as it was).
    pub fn inferring(self, regime: Regime) -> Result<(Engine, InferenceReport)> {
        let started = Instant::now();
        if self.db.endpoint().is_some() {
            return Err(Error::Usage(format!(
                "{} entailment needs the graph in this process, and the graph behind --endpoint is on the server: use the engine's own reasoning there (Virtuoso's inference rules, GraphDB's rulesets, Jena's RDFS reasoner in Fuseki), or query a copy (`stroma load` it from the endpoint's dump)",
                regime.name().to_uppercase()
            )));
        }
        let copied = self.db.cache().is_some();
        let engine = if copied {
            let db = self
                .db
                .in_memory()?
                .ok_or_else(|| Error::Internal("a persistent store that is not local".into()))?;
            Engine::new(db)
        } else {
            self
        };
        let before = engine.db.quad_count()?;
        let mut count = before;
        let mut rounds = 0;
        loop {
            rounds += 1;
            if rounds > MAX_ROUNDS {
                return Err(Error::Internal(format!(
                    "RDFS entailment still adding triples after {MAX_ROUNDS} rounds"
                )));
            }
            for update in engine.schema()?.updates() {
                engine.update(&QueryText {
                    text: update,
                    origin: "RDFS entailment".into(),
                })?;
            }
            let now = engine.db.quad_count()?;
            if now == count {
                break;
            }
            count = now;
        }
        let report = InferenceReport {
            regime,
            before,
            after: count,
            rounds,
            copied,
            seconds: started.elapsed().as_secs_f64(),
        };
        Ok((engine, report))
    }

    /// The graph's RDFS schema.
    pub fn schema(&self) -> Result<Schema> {
        let rows = self.db.select(SCHEMA_QUERY, &[])?;
        Ok(Schema::from_axioms(rows.into_iter().filter_map(
            |row| match (&row[0], &row[1], &row[2]) {
                (
                    Some(Term::NamedNode(kind)),
                    Some(Term::NamedNode(s)),
                    Some(Term::NamedNode(o)),
                ) => Some((kind.clone(), s.clone(), o.clone())),
                _ => None,
            },
        )))
    }
}
