//! SPARQL for a protocol front end: a user's query or update with the dataset its request
//! names, a cancellation token, a deadline, a row cap and a `SERVICE` handler; answers written
//! in a chosen standard format into memory, so that a front end learns of a failure (a
//! deadline passed while writing) before it has sent a byte, and never sends a shortened
//! answer as if it were whole. The CLI's `query` and the HTTP server's `/sparql` both end in
//! [`query::write`].

use super::{Engine, UpdateReport};
use crate::error::{Error, Result};
use crate::query::{self, Collected, Limits, OutputFormat, QueryText, RequestDataset, Written};
use crate::store::Evaluation;
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Term};
use serde::Serialize;
use std::io::Write;

/// A query to answer: parsed (its form decides which formats fit), the dataset its request
/// names, how to write the answer and within which limits.
pub struct AnswerRequest {
    pub query: spargebra::Query,
    pub dataset: RequestDataset,
    pub format: OutputFormat,
    pub limits: Limits,
    pub evaluation: Evaluation,
}

/// A query's answer, written.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The answer in the requested format.
    #[serde(skip)]
    pub body: Vec<u8>,
    /// Rows written (solutions, or triples of a graph; 1 for ASK), and whether the row cap cut
    /// the answer short.
    pub written: Written,
}

/// An update to apply: parsed, with the dataset its request names for `DELETE`/`INSERT`.
pub struct UpdateRequest {
    pub update: spargebra::Update,
    pub dataset: RequestDataset,
    pub evaluation: Evaluation,
}

/// A graph of the store, for the Graph Store Protocol's reads.
pub struct GraphRequest {
    /// The named graph, or the default graph.
    pub graph: Option<NamedNode>,
    pub format: RdfFormat,
    pub limits: Limits,
    pub evaluation: Evaluation,
}

impl Engine {
    /// Parses a user's query with the graph's prefixes (line:column on a syntax error);
    /// relative IRIs resolve against `base` (the endpoint, for the protocol).
    pub fn parse_query(&self, text: &QueryText, base: Option<&str>) -> Result<spargebra::Query> {
        query::parse_based(text, self.prefixes(), base)
    }

    /// Parses a user's update as [`Engine::parse_query`] does.
    pub fn parse_update(&self, text: &QueryText, base: Option<&str>) -> Result<spargebra::Update> {
        query::parse_update_based(text, self.prefixes(), base)
    }

    /// Evaluates a query on the dataset its request names and writes the answer within the
    /// request's limits into memory: a deadline passed, or a cancelled token, is an error, not
    /// a shorter answer.
    pub fn answer(&self, request: AnswerRequest) -> Result<Answer> {
        let mut body = Vec::new();
        let written = self.answer_to(request, &mut body)?;
        Ok(Answer { body, written })
    }

    /// Evaluates a query as [`Engine::answer`] does, writing to `out` as rows come.
    pub fn answer_to(&self, request: AnswerRequest, out: &mut dyn Write) -> Result<Written> {
        let mut query = request.query;
        query::set_dataset(&mut query, &request.dataset);
        let results = self.db().query_with(query, &request.evaluation)?;
        query::write(
            results,
            Some(request.format),
            false,
            self.prefixes(),
            request.limits,
            out,
        )
    }

    /// Evaluates a query on the standard dataset within `limits` (the deadline, and a row cap
    /// whose cut is reported), keeping its rows as terms for a page that lays them out.
    pub fn tabulate(
        &self,
        query: spargebra::Query,
        limits: Limits,
        evaluation: &Evaluation,
    ) -> Result<Collected> {
        query::collect(self.db().query_with(query, evaluation)?, limits)
    }

    /// Applies an update on the dataset its request names, atomically, and drops what was
    /// built from the old graph.
    pub fn apply_update(&self, request: UpdateRequest) -> Result<UpdateReport> {
        let mut update = request.update;
        query::set_using_dataset(&mut update, &request.dataset)?;
        self.apply_with(update, &request.evaluation)
    }

    /// Writes a whole graph of the store (the default graph, or a named graph) in an RDF
    /// format to `out`. A named graph that holds no triple is [`Error::NothingFound`] (the
    /// Graph Store Protocol's "not found"), known before anything is written.
    pub fn write_graph(&self, request: GraphRequest, out: &mut dyn Write) -> Result<Written> {
        let dataset = match &request.graph {
            None => RequestDataset::default(),
            Some(graph) => {
                let rows = self.db().select(
                    "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
                    &[("g", &Term::from(graph.clone()))],
                )?;
                if rows.is_empty() {
                    return Err(Error::NothingFound(format!(
                        "no graph {graph} in this store"
                    )));
                }
                RequestDataset {
                    default_graphs: vec![graph.clone()],
                    named_graphs: Vec::new(),
                }
            }
        };
        let query =
            query::parse_internal("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", self.prefixes())?;
        self.answer_to(
            AnswerRequest {
                query,
                dataset,
                format: OutputFormat::Graph(request.format),
                limits: request.limits,
                evaluation: request.evaluation,
            },
            out,
        )
    }
}
