//! The engine: one opened graph and everything Stroma does with it, as library functions that
//! take a typed request and return a typed, `Serialize` report. The CLI, the HTTP server and
//! exports call these same functions; none of them reads the graph another way.
//!
//! An [`Engine`] owns the [`Db`] (the store seam) and what is built from it once and shared by
//! every request in the process: the resolver's name index and the trace projection. Writes
//! through the engine ([`Engine::update`], [`Engine::load`]) drop both, so the next request
//! rebuilds them from the changed graph.
//!
//! - [`explore`]: search, show (entity cards), stats, validate.
//! - [`trace`]: ranked paths with their evidence, and the factor × effect matrix.
//! - [`diagram`]: the diagram selections (pathway, neighbourhood, trace, query).
//! - [`page`]: a diagram with what a shareable page shows beside it (evidence in full, node
//!   types and synonyms, a trace's paths).
//! - [`sparql`]: queries and updates for a protocol front end (dataset, deadline, row cap).
//! - [`compare`]: one cell type against another, property by property (Table 1 and more).
//! - `infer`: `--infer`'s entailments added to the graph a command works on.
//! - [`export`]: the whole graph in KGX, Neo4j CSV, JSON-LD, N-Quads or TriG.

mod cached;
pub mod compare;
pub mod diagram;
mod ends;
pub mod explore;
pub mod export;
mod infer;
pub mod page;
pub mod push;
pub mod sparql;
pub mod trace;

pub use infer::InferenceReport;

use crate::error::{Error, Result};
use crate::graph::{self, EdgeSelection, Projection, Sym};
use crate::query::{self, QueryText};
use crate::resolve::{self, Index, Resolved};
use crate::store::{Db, Evaluation, LoadPlan, LoadReport, LoadRequest, Location, Progress};
use crate::vocab::Prefixes;
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use oxigraph::sparql::QueryResults;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// A graph opened for work, with its name index and projection built on first use.
pub struct Engine {
    db: Db,
    index: Mutex<Option<Arc<Index>>>,
    projection: Mutex<Option<Arc<Projection>>>,
    /// Names resolved against a remote endpoint (each costs queries there; a trace resolves
    /// its ends more than once), kept until the engine writes.
    resolved: Mutex<HashMap<String, Resolved>>,
    /// Traces read only the part of the graph around their ends instead of projecting the
    /// whole graph once (the default for a remote endpoint).
    around: bool,
}

/// What an update did.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct UpdateReport {
    pub quads_before: u64,
    pub quads_after: u64,
}

/// What a load did.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LoadSummary {
    pub quads: u64,
    pub bytes: u64,
    pub seconds: f64,
}

impl Engine {
    /// An engine on an opened graph.
    pub fn new(db: Db) -> Self {
        let around = db.endpoint().is_some();
        Self {
            db,
            index: Mutex::new(None),
            projection: Mutex::new(None),
            resolved: Mutex::new(HashMap::new()),
            around,
        }
    }

    /// Makes traces and neighbourhoods read only the part of the graph around their ends
    /// (batched neighbour queries) instead of projecting the whole graph once: what a remote
    /// endpoint needs, and a way to check that both give the same answers.
    pub fn read_around(mut self, around: bool) -> Self {
        self.around = around;
        self
    }

    /// Queries sent through the seam and rows read back since the graph was opened (for
    /// `--verbose` reports).
    pub fn traffic(&self) -> (u64, u64) {
        (self.db.requests(), self.db.rows())
    }

    /// True when traces read only the part of the graph around their ends.
    pub fn reads_around(&self) -> bool {
        self.around
    }

    /// Opens the graph at `location`.
    pub fn open(location: &Location) -> Result<Self> {
        Ok(Self::new(Db::open(location)?))
    }

    /// Adds RDF files to the graph in one transaction (a file that does not parse adds
    /// nothing); returns the number of quads added. For `--data`: on a persistent store the
    /// command layer refuses it, since a read command must not write.
    pub fn add_data(&mut self, files: &[PathBuf], format: Option<RdfFormat>) -> Result<usize> {
        let added = self.db.add_files(files, format, None)?;
        self.invalidate()?;
        Ok(added)
    }

    /// The store seam, for reads the engine does not wrap.
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn prefixes(&self) -> &Prefixes {
        self.db.prefixes()
    }

    /// The name index (labels and synonyms), built on first use.
    pub fn index(&self) -> Result<Arc<Index>> {
        let mut cached = lock(&self.index)?;
        if let Some(index) = cached.as_ref() {
            return Ok(Arc::clone(index));
        }
        let index = cached::obtain(
            &self.db,
            cached::Item {
                name: "names",
                build: &|| Index::build(&self.db),
                encode: Index::encode,
                decode: Index::decode,
            },
        )?;
        let index = Arc::new(index);
        *cached = Some(Arc::clone(&index));
        Ok(index)
    }

    /// The trace projection for `selection`. The default selection (the ontology's traversable
    /// relations) is built once and shared; `--via`/`--avoid` selections are built per request.
    pub fn projection(&self, selection: &EdgeSelection) -> Result<Arc<Projection>> {
        if !selection.is_default() {
            return Ok(Arc::new(graph::read(&self.db, selection)?));
        }
        let mut cached = lock(&self.projection)?;
        if let Some(projection) = cached.as_ref() {
            return Ok(Arc::clone(projection));
        }
        let projection = cached::obtain(
            &self.db,
            cached::Item {
                name: "projection",
                build: &|| graph::read(&self.db, selection),
                encode: Projection::encode,
                decode: Projection::decode,
            },
        )?;
        let projection = Arc::new(projection);
        *cached = Some(Arc::clone(&projection));
        Ok(projection)
    }

    /// The names that may match `text`: the whole index on a graph in this process; on a
    /// remote endpoint only the candidates its text index (or a bounded scan) finds, with a
    /// note when there was no text index.
    pub fn names_for(&self, text: &str) -> Result<(Arc<Index>, Option<String>)> {
        if self.db.endpoint().is_none() {
            return Ok((self.index()?, None));
        }
        let (index, found) = Index::build_matching(&self.db, text)?;
        let note = match found {
            resolve::Candidates::TextIndex => None,
            resolve::Candidates::Contains(fragment) => Some(format!(
                "the endpoint has no text index Stroma can use (Virtuoso's bif:contains), so only names containing '{fragment}' were read (at most {})",
                resolve::MAX_CANDIDATES
            )),
        };
        Ok((Arc::new(index), note))
    }

    /// Resolves what a person typed to one entity (see [`resolve::resolve`]).
    pub fn resolve(&self, text: &str) -> Result<Resolved> {
        if self.db.endpoint().is_none() {
            return resolve::resolve(text, &*self.index()?, &self.db);
        }
        if let Some(resolved) = lock(&self.resolved)?.get(text) {
            return Ok(resolved.clone());
        }
        // An IRI or CURIE of a described entity needs no names read from the endpoint.
        let resolved = match self.prefixes().iri_of(text.trim()) {
            Some(_) => resolve::resolve(text, &Index::empty(), &self.db).ok(),
            None => None,
        };
        let resolved = match resolved {
            Some(resolved) => resolved,
            None => resolve::resolve(text, &self.names_for(text)?.0, &self.db)?,
        };
        lock(&self.resolved)?.insert(text.to_owned(), resolved.clone());
        Ok(resolved)
    }

    /// Resolves a name and records the note, if any, on how it was understood.
    fn resolve_noted(&self, text: &str, notes: &mut Vec<String>) -> Result<NamedNode> {
        let resolved = self.resolve(text)?;
        notes.extend(resolved.note);
        Ok(resolved.iri)
    }

    /// A relation named by IRI, CURIE or label: a predicate need not be described in the graph
    /// to be named by its IRI.
    fn predicate(&self, text: &str, notes: &mut Vec<String>) -> Result<String> {
        match self.prefixes().iri_of(text) {
            Some(iri) => Ok(iri),
            None => Ok(self.resolve_noted(text, notes)?.into_string()),
        }
    }

    /// Runs a user's query (SPARQL text, a `.rq` file or a named query, already found).
    pub fn query(&self, text: &QueryText) -> Result<QueryResults<'static>> {
        self.db.query(query::parse(text, self.prefixes())?)
    }

    /// Applies a SPARQL update, atomically, and drops what was built from the old graph.
    pub fn update(&self, text: &QueryText) -> Result<UpdateReport> {
        self.apply(query::parse_update(text, self.prefixes())?)
    }

    fn apply(&self, update: spargebra::Update) -> Result<UpdateReport> {
        self.apply_with(update, &Evaluation::default())
    }

    fn apply_with(
        &self,
        update: spargebra::Update,
        evaluation: &Evaluation,
    ) -> Result<UpdateReport> {
        let quads_before = self.db.quad_count()?;
        let applied = self.db.update_with(update, evaluation);
        self.invalidate()?;
        applied?;
        Ok(UpdateReport {
            quads_before,
            quads_after: self.db.quad_count()?,
        })
    }

    /// Bulk-loads a planned load in one commit, and drops what was built from the old graph.
    pub fn load(
        &self,
        plan: &LoadPlan,
        on_progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<LoadSummary> {
        let started = std::time::Instant::now();
        let loaded = self.db.bulk_load(plan, on_progress);
        self.invalidate()?;
        let LoadReport { bytes, quads } = loaded?;
        Ok(LoadSummary {
            quads,
            bytes,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    fn invalidate(&self) -> Result<()> {
        *lock(&self.index)? = None;
        *lock(&self.projection)? = None;
        lock(&self.resolved)?.clear();
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> Result<MutexGuard<'_, T>> {
    mutex
        .lock()
        .map_err(|_| Error::Internal("a request panicked while building a cache".into()))
}

/// The projection symbol of `iri`, or an error naming what the user typed (`text`) and the
/// part it was to play (`role`).
fn sym_of(projection: &Projection, iri: &str, text: &str, role: &str) -> Result<Sym> {
    projection.names.get(iri).ok_or_else(|| {
        Error::UnknownEntity(format!(
            "'{text}' ({iri}) appears in no traced relation or statement, so it cannot be a {role}"
        ))
    })
}

/// Applies an update to the persistent store in `dir`, created if missing. The update is
/// parsed before the store is opened, so a malformed one creates nothing.
pub fn update_store(dir: &Path, text: &QueryText) -> Result<UpdateReport> {
    let update = query::parse_update(text, &Prefixes::stroma())?;
    writing(dir, |engine| engine.apply(update))
}

/// Loads files (and the embedded graph) into the persistent store in `dir`, created if
/// missing, in one commit. The load is planned (every file there, its format known) before the
/// store is touched.
pub fn load_store(
    dir: &Path,
    request: &LoadRequest,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<LoadSummary> {
    let plan = request.plan()?;
    writing(dir, |engine| engine.load(&plan, on_progress))
}

/// Runs `write` on the persistent store in `dir`, created if missing. If `write` fails on a
/// store this call created, the store is removed again: a failed write leaves no trace.
fn writing<T>(dir: &Path, write: impl FnOnce(&Engine) -> Result<T>) -> Result<T> {
    let existed = dir.exists();
    let engine = Engine::open(&Location::PersistentOrNew(dir.to_path_buf()))?;
    let result = write(&engine);
    if result.is_err() && !existed {
        drop(engine);
        // Best effort: the error being reported matters more than a failed clean-up.
        let _ = std::fs::remove_dir_all(dir);
    }
    result
}
