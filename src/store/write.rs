//! Writes through the seam: a SPARQL update, `--data` files, a bulk load, and what `push`
//! sends to a remote endpoint. Every write is bracketed by [`Db::write`], which raises the
//! store's generation and drops what was known about its shape and kept beside it.

use super::{bulk, load, remote, service_not_forwarded, uses_service, Backend, Db, Evaluation};
use super::{Cache, LoadPlan, LoadReport, Progress};
use crate::error::{Error, Result};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use oxigraph::sparql::{CancellationToken, QueryEvaluationError};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

impl Db {
    /// Runs a write: the generation is raised before and after it (see [`Db::generation`]),
    /// and what is known about the store's shape and kept beside it is dropped after it,
    /// whether it succeeded or not.
    pub(super) fn write<T>(&self, write: impl FnOnce() -> T) -> T {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let written = write();
        self.written();
        written
    }

    /// Forgets what is known about the store's shape after a write, and what was built from
    /// it and kept beside it; ends the write [`Db::write`] started.
    fn written(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.named_graphs.store(0, Ordering::Relaxed);
        if let Some(cache) = &self.cache {
            if let Err(e) = cache.clear() {
                // A file left behind is stamped with the store's files as they were before the
                // write (its log's size and time), so it is not read back; it only takes space
                // until the next build replaces it.
                tracing::warn!("cannot remove the cache beside the store: {e}");
            }
        }
    }

    /// Posts N-Triples to the Graph Store Protocol endpoint `url` (into `graph`, or the default
    /// graph); `Ok(false)` when no Graph Store answers there (404, 405, 415, 501).
    pub fn post_graph(
        &self,
        url: &str,
        graph: Option<&NamedNode>,
        ntriples: &[u8],
    ) -> Result<bool> {
        let remote = self.remote("a graph is posted")?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let refused = remote.graph_store_post(
            url,
            graph.map(NamedNode::as_str),
            "application/n-triples",
            ntriples,
        )?;
        Ok(refused.is_none())
    }

    /// Sends an `INSERT DATA` the library wrote to the remote update endpoint.
    pub fn insert_data(&self, update: &str) -> Result<()> {
        let remote = self.remote("INSERT DATA text goes")?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        remote.update_text(update)
    }

    /// The remote backend, for what only goes to one (`what` names it in the defect message).
    fn remote(&self, what: &str) -> Result<&remote::Remote> {
        match &self.backend {
            Backend::Remote(remote) => Ok(remote),
            Backend::Local(_) => Err(Error::Internal(format!("{what} only to a remote endpoint"))),
        }
    }

    /// Applies a parsed SPARQL update, atomically, with a cancellation token (a cancelled
    /// update writes nothing) and a `SERVICE` handler.
    pub fn update_with(&self, update: spargebra::Update, evaluation: &Evaluation) -> Result<()> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.write(|| match &self.backend {
            Backend::Local(store) => evaluation
                .evaluator()
                .for_update(update)
                .on_store(store)
                .execute()
                .map_err(update_error),
            Backend::Remote(remote) => {
                if evaluation.service.is_some() && uses_service(&update) {
                    Err(service_not_forwarded())
                } else if evaluation
                    .cancel
                    .as_ref()
                    .is_some_and(CancellationToken::is_cancelled)
                {
                    Err(Error::Cancelled("the update was cancelled".into()))
                } else {
                    remote.update(&update)
                }
            }
        })
    }

    /// Adds RDF files in one transaction; returns the number of quads parsed. A file that
    /// fails to parse aborts the whole call before anything is written. The files' prefixes
    /// join the graph's.
    pub fn add_files(
        &mut self,
        files: &[PathBuf],
        format: Option<RdfFormat>,
        graph: Option<&NamedNode>,
    ) -> Result<usize> {
        let Backend::Local(store) = &self.backend else {
            return Err(remote_write("--data"));
        };
        let quads = load::parse_files(files, format, graph, &mut self.prefixes)?;
        let count = quads.len();
        self.write(|| store.extend(quads))?;
        tracing::debug!("added {count} quads from {} files", files.len());
        Ok(count)
    }

    /// Bulk-loads what `plan` names (files, and the embedded graph when asked) and commits
    /// once at the end: nothing is written if any file fails. `on_progress` is called as bytes
    /// are read.
    pub fn bulk_load(
        &self,
        plan: &LoadPlan,
        on_progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<LoadReport> {
        self.write(|| match &self.backend {
            Backend::Local(store) => bulk::bulk_load(
                store,
                self.cache.as_ref().map(Cache::store),
                plan,
                on_progress,
            ),
            Backend::Remote(_) => Err(remote_write("load")),
        })
    }
}

/// The refusal of a local write on a remote graph.
fn remote_write(what: &str) -> Error {
    Error::Usage(format!(
        "{what} writes into a graph in this process, not to a remote endpoint: upload files with `stroma push --endpoint URL FILE…`"
    ))
}

/// An update's failure: a cancellation or a refused SERVICE keep their kind.
fn update_error(error: oxigraph::sparql::UpdateEvaluationError) -> Error {
    use oxigraph::sparql::UpdateEvaluationError as E;
    match error {
        E::Service(inner) => QueryEvaluationError::Service(inner).into(),
        E::Unexpected(inner) => match inner.downcast::<QueryEvaluationError>() {
            Ok(query) => (*query).into(),
            Err(other) => Error::SparqlEvaluation(other.to_string()),
        },
        E::Storage(storage) => storage.into(),
        e => Error::SparqlEvaluation(e.to_string()),
    }
}
