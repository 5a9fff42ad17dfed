//! The store layer: the one seam through which every read of the graph passes, and the only
//! code that knows Oxigraph's `Store`.
//!
//! A [`Db`] holds a [`Backend`] — the local Oxigraph store (the embedded graph in memory, or a
//! persistent store on disk with the `rocksdb` feature), or a remote SPARQL endpoint
//! ([`remote`]) — and the prefixes that shorten its IRIs. Everything above this layer asks in SPARQL: a user's
//! query crosses the seam as a parsed [`spargebra::Query`] and comes back as Oxigraph's
//! [`QueryResults`]; the library's own reads are SELECTs whose terms are bound as values
//! ([`Db::select`]), never written into the query text. Writes (`load`, `update`, `--data`)
//! live here too, and each is all or nothing ([`load`]).

mod bulk;
pub mod cache;
mod load;
mod portable;
pub mod remote;
mod values;
mod write;

pub use cache::{Cache, Fingerprint};
pub use load::{format_of, syntax_error, LoadPlan, LoadReport, LoadRequest, Progress};
pub use remote::{Auth, Endpoint};
pub use values::Table;

use crate::error::{Error, Result};
use crate::rdfs::Hierarchy;
use crate::vocab::Prefixes;
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Quad, Term, Variable};
use oxigraph::sparql::{
    CancellationToken, DefaultServiceHandler, QueryEvaluationError, QueryResults,
    QuerySolutionIter, SparqlEvaluator,
};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;

/// The RDF format names accepted by `--data-format` and in error messages.
pub const RDF_FORMAT_NAMES: &str = "ttl, nt, nq, trig, n3, rdf (RDF/XML), jsonld";

/// Rows of an internal SELECT: one `Option<Term>` per projected variable, in order.
pub type Rows = Vec<Vec<Option<Term>>>;

/// The graph Stroma works on, and the one way to read it.
pub struct Db {
    backend: Backend,
    prefixes: Prefixes,
    /// How many queries have crossed the seam (for tests and `--verbose` reports).
    requests: AtomicU64,
    /// How many rows the library's own SELECTs have read back.
    rows: AtomicU64,
    /// Whether the store has named graphs: unknown (0), no (1), yes (2). Reset by writes. On a
    /// store without them the union of all graphs is the default graph, and asking for the
    /// union would only cost time.
    named_graphs: AtomicU8,
    /// What is kept beside a persistent store (built from it, reused while it is unchanged).
    cache: Option<Cache>,
    /// Writes through this `Db`: raised before a write starts and again when it ends, so an
    /// odd number means one is under way ([`Db::generation`]).
    generation: AtomicU64,
}

/// Where queries are evaluated.
enum Backend {
    /// An Oxigraph store in this process (in memory, or RocksDB on disk).
    Local(Store),
    /// A SPARQL endpoint elsewhere.
    Remote(remote::Remote),
}

/// Where the triples of a [`Db`] come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A fresh in-memory store holding the curated graph compiled into the binary.
    Embedded,
    /// An empty in-memory store (only what `--data` adds).
    Empty,
    /// An existing persistent store in a directory (read commands: a missing store is an
    /// error, never created).
    Persistent(PathBuf),
    /// A persistent store in a directory, created if missing (`load`, `update`).
    PersistentOrNew(PathBuf),
    /// A remote SPARQL endpoint (`--endpoint`).
    Remote(Endpoint),
}

impl Location {
    /// The location in words, for logs.
    pub fn describe(&self) -> String {
        match self {
            Location::Embedded => {
                format!("the embedded graph ({} triples)", crate::embedded::len())
            }
            Location::Empty => "an empty graph".to_owned(),
            Location::Persistent(dir) | Location::PersistentOrNew(dir) => {
                format!("the store {}", dir.display())
            }
            Location::Remote(endpoint) => format!("the endpoint {}", endpoint.url),
        }
    }
}

/// How a user's query is evaluated beyond its text: what may cancel it, and who answers its
/// `SERVICE` calls. The default cancels nothing and answers no `SERVICE` (a query that uses
/// one fails, unless `SERVICE SILENT`).
#[derive(Clone, Default)]
pub struct Evaluation {
    /// Cancelled by whoever owns the query (a deadline, a client that went away); evaluation
    /// then fails with [`Error::Cancelled`] the next time it touches the data.
    pub cancel: Option<CancellationToken>,
    /// Answers `SERVICE` calls (a handler with its own policy on which targets it contacts).
    pub service: Option<Arc<dyn DefaultServiceHandler<Error = QueryEvaluationError>>>,
}

impl Evaluation {
    /// An evaluator with this token and handler.
    fn evaluator(&self) -> SparqlEvaluator {
        let mut evaluator = SparqlEvaluator::new();
        if let Some(token) = &self.cancel {
            evaluator = evaluator.with_cancellation_token(token.clone());
        }
        if let Some(service) = &self.service {
            evaluator = evaluator.with_default_service_handler(SharedService(Arc::clone(service)));
        }
        evaluator
    }
}

/// Lets a shared handler be registered where Oxigraph wants one by value.
struct SharedService(Arc<dyn DefaultServiceHandler<Error = QueryEvaluationError>>);

impl DefaultServiceHandler for SharedService {
    type Error = QueryEvaluationError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &spargebra::algebra::GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, QueryEvaluationError> {
        self.0.handle(service_name, pattern, base_iri)
    }
}

/// Which graphs a query sees as its default graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dataset {
    /// The standard dataset: the default graph is the store's default graph (users' queries).
    Standard,
    /// The union of every graph (the library's own reads: a trace, a card or a check sees all
    /// of a store, whichever graph a file was loaded into).
    Union,
}

impl Db {
    /// Opens the graph at `location`.
    pub fn open(location: &Location) -> Result<Self> {
        let started = std::time::Instant::now();
        let db = Self::open_at(location)?;
        tracing::debug!(
            "opened {} in {:.3} s",
            location.describe(),
            started.elapsed().as_secs_f64()
        );
        Ok(db)
    }

    fn open_at(location: &Location) -> Result<Self> {
        let (store, cache) = match location {
            Location::Embedded | Location::Empty => (Store::new()?, None),
            Location::Persistent(dir) => (open_persistent(dir, false)?, Some(Cache::new(dir))),
            Location::PersistentOrNew(dir) => (open_persistent(dir, true)?, Some(Cache::new(dir))),
            Location::Remote(endpoint) => {
                return Ok(Self::with_backend(Backend::Remote(remote::Remote::new(
                    endpoint.clone(),
                ))))
            }
        };
        if *location == Location::Embedded {
            load::load_embedded(&store)?;
        }
        let mut db = Self::local(store);
        db.cache = cache;
        Ok(db)
    }

    /// An in-memory graph holding `quads` (a shapes graph, a test fixture).
    pub fn from_quads(quads: impl IntoIterator<Item = Quad>) -> Result<Self> {
        let store = Store::new()?;
        store.extend(quads)?;
        Ok(Self::local(store))
    }

    /// A copy of this graph in memory: what a read command works on when it must add to a
    /// persistent store's graph (`--infer`) without writing into the store. `None` for a remote
    /// endpoint, whose graph is not in this process.
    pub fn in_memory(&self) -> Result<Option<Self>> {
        let Backend::Local(store) = &self.backend else {
            return Ok(None);
        };
        let memory = Store::new()?;
        let quads = store
            .iter()
            .collect::<std::result::Result<Vec<Quad>, _>>()?;
        memory.extend(quads)?;
        Ok(Some(Self::local(memory)))
    }

    fn local(store: Store) -> Self {
        Self::with_backend(Backend::Local(store))
    }

    fn with_backend(backend: Backend) -> Self {
        Self {
            backend,
            prefixes: Prefixes::stroma(),
            requests: AtomicU64::new(0),
            rows: AtomicU64::new(0),
            named_graphs: AtomicU8::new(0),
            cache: None,
            generation: AtomicU64::new(0),
        }
    }

    /// How many times writes through this `Db` have started and ended: what was built from the
    /// graph while this number stayed the same and even saw no write of this process.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The cache beside a persistent store (None for a graph in memory or a remote one).
    pub fn cache(&self) -> Option<&Cache> {
        self.cache.as_ref()
    }

    /// The remote endpoint the graph lives at, if it is not in this process.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        match &self.backend {
            Backend::Local(_) => None,
            Backend::Remote(remote) => Some(remote.endpoint()),
        }
    }

    /// The prefixes that shorten this graph's IRIs (Stroma's, plus those of `--data` files).
    pub fn prefixes(&self) -> &Prefixes {
        &self.prefixes
    }

    /// How many queries have been sent through the seam since the graph was opened.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// How many rows the library's own SELECTs have read back since the graph was opened.
    pub fn rows(&self) -> u64 {
        self.rows.load(Ordering::Relaxed)
    }

    /// Evaluates a user's query on the standard dataset.
    pub fn query(&self, query: spargebra::Query) -> Result<QueryResults<'static>> {
        self.evaluate(query, &[], Dataset::Standard, &Evaluation::default())
    }

    /// Evaluates a user's query on the standard dataset (or the dataset the query names), with
    /// a cancellation token and a `SERVICE` handler.
    pub fn query_with(
        &self,
        query: spargebra::Query,
        evaluation: &Evaluation,
    ) -> Result<QueryResults<'static>> {
        self.evaluate(query, &[], Dataset::Standard, evaluation)
    }

    /// Runs one of the library's SELECTs (Stroma's prefixes need no declaration) on the union
    /// of all graphs, with `bindings` given to its variables before evaluation, and collects
    /// the rows. Terms are bound as values, never written into the query text: a blank node
    /// written into SPARQL would be a fresh variable, not the node it came from.
    ///
    /// A binding is the query's initial solution: each bound variable must be projected by the
    /// SELECT (after the columns the caller reads), and it is seen by triple patterns, not by a
    /// group that only has a BIND or FILTER (there it is unbound): name it in a triple pattern
    /// of every group that uses it.
    pub fn select(&self, sparql: &str, bindings: &[(&str, &Term)]) -> Result<Rows> {
        self.select_in(sparql, bindings, &[], Dataset::Union)
    }

    /// Runs one of the library's SELECTs as [`Db::select`] does, with each table of values
    /// joined into its top group: one request for a whole batch of nodes or triples.
    pub fn select_values(&self, sparql: &str, tables: &[Table]) -> Result<Rows> {
        self.select_in(sparql, &[], tables, Dataset::Union)
    }

    fn select_in(
        &self,
        sparql: &str,
        bindings: &[(&str, &Term)],
        tables: &[Table],
        dataset: Dataset,
    ) -> Result<Rows> {
        let mut query = crate::query::parse_internal(sparql, &self.prefixes)?;
        if !tables.is_empty() {
            query = values::join(query, tables)?;
        }
        // Columns by the query's own projection, not the order (or the presence) of the
        // variables in the answer's head: an endpoint may order them otherwise, or leave out
        // one that no row binds.
        let columns = projected(&query);
        match self.evaluate(query, bindings, dataset, &Evaluation::default())? {
            QueryResults::Solutions(solutions) => {
                let columns = columns.unwrap_or_else(|| solutions.variables().to_vec());
                let mut rows = Vec::new();
                for solution in solutions {
                    let solution = solution?;
                    rows.push(
                        columns
                            .iter()
                            .map(|v| solution.get(v.as_str()).cloned())
                            .collect(),
                    );
                }
                self.rows.fetch_add(rows.len() as u64, Ordering::Relaxed);
                Ok(rows)
            }
            _ => Err(Error::Internal(format!(
                "an internal query is not a SELECT: {sparql}"
            ))),
        }
    }

    fn evaluate(
        &self,
        query: spargebra::Query,
        bindings: &[(&str, &Term)],
        dataset: Dataset,
        evaluation: &Evaluation,
    ) -> Result<QueryResults<'static>> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        match &self.backend {
            Backend::Local(store) => {
                let mut prepared = evaluation.evaluator().for_query(query);
                if dataset == Dataset::Union
                    && prepared.dataset().is_default_dataset()
                    && self.has_named_graphs(store)?
                {
                    prepared.dataset_mut().set_default_graph_as_union();
                }
                for (name, term) in bindings {
                    let variable = Variable::new(*name)
                        .map_err(|e| Error::Internal(format!("bad variable name {name}: {e}")))?;
                    prepared = prepared.substitute_variable(variable, (*term).clone());
                }
                Ok(prepared.on_store(store).execute()?)
            }
            Backend::Remote(remote) => {
                if evaluation.service.is_some() && uses_service(&query) {
                    return Err(service_not_forwarded());
                }
                let query = if bindings.is_empty() {
                    query
                } else {
                    values::join(query, &[Table::row(bindings)])?
                };
                remote.query(&query, evaluation.cancel.as_ref())
            }
        }
    }

    fn has_named_graphs(&self, store: &Store) -> Result<bool> {
        match self.named_graphs.load(Ordering::Relaxed) {
            1 => Ok(false),
            2 => Ok(true),
            _ => {
                let any = store.named_graphs().next().transpose()?.is_some();
                self.named_graphs
                    .store(if any { 2 } else { 1 }, Ordering::Relaxed);
                Ok(any)
            }
        }
    }

    /// The graph's class hierarchy: `rdfs:subClassOf` between IRIs, in every graph.
    pub fn class_hierarchy(&self) -> Result<Hierarchy<NamedNode>> {
        let rows = self.select(
            "SELECT ?c ?d WHERE { ?c rdfs:subClassOf ?d FILTER(isIRI(?c) && isIRI(?d)) }",
            &[],
        )?;
        Ok(Hierarchy::from_pairs(rows.into_iter().filter_map(
            |row| match (&row[0], &row[1]) {
                (Some(Term::NamedNode(c)), Some(Term::NamedNode(d))) => {
                    Some((c.clone(), d.clone()))
                }
                _ => None,
            },
        )))
    }

    /// The number of quads in every graph (one COUNT through the seam).
    pub fn quad_count(&self) -> Result<u64> {
        let rows = match &self.backend {
            Backend::Local(_) => self.select_in(
                "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                &[],
                &[],
                Dataset::Standard,
            )?,
            // The endpoint's default graph (or the --default-graph ones): on engines whose
            // default graph is the union of all graphs, asking for named graphs too would
            // count every triple twice.
            Backend::Remote(_) => self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", &[])?,
        };
        self.count_of(&rows)
    }

    /// Every quad of the graph, read with one query through the seam (`push`'s source).
    pub fn quads(&self) -> Result<Vec<Quad>> {
        let rows = self.select_in(
            "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
            &[],
            &[],
            Dataset::Standard,
        )?;
        let mut quads = Vec::with_capacity(rows.len());
        for row in rows {
            let subject = match &row[0] {
                Some(Term::NamedNode(n)) => oxigraph::model::NamedOrBlankNode::from(n.clone()),
                Some(Term::BlankNode(b)) => b.clone().into(),
                _ => continue,
            };
            let (Some(Term::NamedNode(predicate)), Some(object)) = (&row[1], &row[2]) else {
                continue;
            };
            let graph = match &row[3] {
                Some(Term::NamedNode(g)) => oxigraph::model::GraphName::NamedNode(g.clone()),
                _ => oxigraph::model::GraphName::DefaultGraph,
            };
            quads.push(Quad::new(subject, predicate.clone(), object.clone(), graph));
        }
        Ok(quads)
    }

    /// The number of triples in one graph (`push`'s check), or in the default graph.
    pub fn graph_count(&self, graph: Option<&NamedNode>) -> Result<u64> {
        let rows = match graph {
            Some(graph) => self.select(
                "SELECT (COUNT(*) AS ?n) ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                &[("g", &Term::NamedNode(graph.clone()))],
            )?,
            None => self.select_in(
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                &[],
                &[],
                Dataset::Standard,
            )?,
        };
        if rows.is_empty() {
            return Ok(0);
        }
        self.count_of(&rows)
    }

    fn count_of(&self, rows: &Rows) -> Result<u64> {
        match rows.first().and_then(|r| r.first()) {
            Some(Some(Term::Literal(n))) => n
                .value()
                .parse()
                .map_err(|_| Error::Internal(format!("a count that is not a number: {n}"))),
            _ => Err(Error::Internal("COUNT gave no answer".into())),
        }
    }
}

/// Parses RDF files completely (the format from each extension, or `format`): `push`'s source.
/// A file that fails to parse is an error naming its line and column, before anything is sent.
pub fn read_files(files: &[PathBuf], format: Option<RdfFormat>) -> Result<Vec<Quad>> {
    load::parse_files(files, format, None, &mut Prefixes::stroma())
}

/// The variables a SELECT projects, in order (None for other forms).
fn projected(query: &spargebra::Query) -> Option<Vec<Variable>> {
    use spargebra::algebra::GraphPattern as G;
    let spargebra::Query::Select { pattern, .. } = query else {
        return None;
    };
    let mut at = pattern;
    loop {
        match at {
            G::Project { variables, .. } => return Some(variables.clone()),
            G::Distinct { inner }
            | G::Reduced { inner }
            | G::Slice { inner, .. }
            | G::OrderBy { inner, .. } => at = inner,
            _ => return None,
        }
    }
}

/// The refusal of a `SERVICE` call on its way to a remote endpoint from a server with a
/// `SERVICE` policy of its own.
fn service_not_forwarded() -> Error {
    Error::Refused(
        "SERVICE is not forwarded to the remote endpoint behind this server: the server's own SERVICE policy could not apply there".into(),
    )
}

/// True when the query or update calls a `SERVICE` anywhere (in a subquery or an EXISTS too).
/// A literal that happens to spell the variant's name makes it err on the side of refusing.
fn uses_service(operation: &impl std::fmt::Debug) -> bool {
    format!("{operation:?}").contains("Service {")
}

impl From<oxigraph::store::StorageError> for Error {
    fn from(error: oxigraph::store::StorageError) -> Self {
        Error::Store(error.to_string())
    }
}

#[cfg(feature = "rocksdb")]
fn open_persistent(dir: &Path, create: bool) -> Result<Store> {
    if !create && !dir.join("CURRENT").is_file() {
        return Err(Error::StoreUnavailable {
            dir: dir.to_path_buf(),
            reason: "there is no store there; create one with `stroma load FILE… --store DIR` or `stroma load --embedded --store DIR`".into(),
        });
    }
    Store::open(dir).map_err(|e| {
        let reason = e.to_string();
        Error::StoreUnavailable {
            dir: dir.to_path_buf(),
            reason: if reason.contains("lock file") {
                format!("another process has it open (only one may: is a `stroma serve`, `load` or `update` running on it?) ({reason})")
            } else {
                reason
            },
        }
    })
}

#[cfg(not(feature = "rocksdb"))]
fn open_persistent(_dir: &Path, _create: bool) -> Result<Store> {
    Err(Error::NoPersistentStore)
}
