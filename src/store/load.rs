//! Loading RDF: the embedded curated graph (compiled in, never parsed at start-up), the files of
//! `--data` and `load`, and bulk loads into a persistent store, with `file:line:column` errors.
//!
//! Every load is all or nothing: files are parsed completely before anything is written, and the
//! write is one transaction (or one bulk-load commit), so bad input never leaves partial state.

use crate::embedded;
use crate::error::{Error, Result};
use crate::vocab::Prefixes;
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad};
use oxigraph::store::Store;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Parses `files` completely (each in its format: `format`, else its extension) into quads of
/// `graph` (the default graph when None), adding their prefixes to `prefixes`.
pub(super) fn parse_files(
    files: &[PathBuf],
    format: Option<RdfFormat>,
    graph: Option<&NamedNode>,
    prefixes: &mut Prefixes,
) -> Result<Vec<Quad>> {
    let mut quads = Vec::new();
    for path in files {
        let bytes = fs::read(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let origin = path.display().to_string();
        parse_into(
            &bytes,
            format_for(path, format)?,
            graph,
            &origin,
            &mut quads,
            prefixes,
        )?;
    }
    Ok(quads)
}

/// Loads the embedded graph into a fresh store in one transaction. Nothing is parsed:
/// `build.rs` compiled the Turtle into terms the inserts borrow from the binary.
pub(super) fn load_embedded(store: &Store) -> Result<()> {
    let mut transaction = store.start_transaction()?;
    transaction.extend(embedded::quads(GraphNameRef::DefaultGraph));
    transaction.commit()?;
    Ok(())
}

/// The embedded graph (ontology and data) as quads of `graph` (the default graph when None),
/// for writing into a persistent store in one transaction.
fn embedded_quads(graph: Option<&NamedNode>) -> Vec<Quad> {
    let graph = graph.map_or(GraphNameRef::DefaultGraph, |g| g.as_ref().into());
    embedded::quads(graph).map(Quad::from).collect()
}

/// The RDF format implied by a file's extension.
pub fn format_of(path: &Path) -> Result<RdfFormat> {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(RdfFormat::from_extension)
        .ok_or_else(|| Error::UnknownRdfExtension {
            path: path.display().to_string(),
            valid: super::RDF_FORMAT_NAMES.to_owned(),
        })
}

/// `format` when one was given for every file, else the one `path`'s extension implies.
fn format_for(path: &Path, format: Option<RdfFormat>) -> Result<RdfFormat> {
    match format {
        Some(format) => Ok(format),
        None => format_of(path),
    }
}

fn parse_into(
    bytes: &[u8],
    format: RdfFormat,
    graph: Option<&NamedNode>,
    origin: &str,
    quads: &mut Vec<Quad>,
    prefixes: &mut Prefixes,
) -> Result<()> {
    let mut parser = RdfParser::from_format(format);
    if let Some(graph) = graph {
        parser = parser.with_default_graph(GraphName::NamedNode(graph.clone()));
    }
    let mut reader = parser.rename_blank_nodes().for_slice(bytes);
    for quad in reader.by_ref() {
        quads.push(quad.map_err(|e| syntax_error(RdfParseError::Syntax(e), origin))?);
    }
    for (name, iri) in reader.prefixes() {
        prefixes.add(name, iri);
    }
    Ok(())
}

/// Turns a parser error into an error naming `origin:line:column` when the parser knows it.
pub fn syntax_error(error: RdfParseError, origin: &str) -> Error {
    match error {
        RdfParseError::Syntax(e) => match e.location() {
            Some(location) => Error::RdfSyntax {
                path: origin.to_owned(),
                line: location.start.line + 1,
                column: location.start.column + 1,
                message: e.to_string(),
            },
            None => Error::RdfInvalid {
                path: origin.to_owned(),
                message: e.to_string(),
            },
        },
        RdfParseError::Io(e) => Error::RdfInvalid {
            path: origin.to_owned(),
            message: e.to_string(),
        },
    }
}

/// What one bulk load did.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadReport {
    pub bytes: u64,
    pub quads: u64,
}

/// Progress of a bulk load, reported to the caller's callback.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub quads: u64,
}

/// What to load into a persistent store.
#[derive(Debug, Clone, Default)]
pub struct LoadRequest {
    pub files: Vec<PathBuf>,
    /// Load the curated graph compiled into the binary too.
    pub embedded: bool,
    /// One format for every file; else each file's extension decides.
    pub format: Option<RdfFormat>,
    /// The named graph to load into; the default graph when None.
    pub graph: Option<NamedNode>,
}

/// A load checked before any store is touched: something to load, each file's format known,
/// each file there (with its size, for progress).
#[derive(Debug, Clone)]
pub struct LoadPlan {
    files: Vec<(PathBuf, RdfFormat)>,
    bytes_total: u64,
    embedded: bool,
    graph: Option<NamedNode>,
}

impl LoadRequest {
    /// Checks the request and plans the load.
    pub fn plan(&self) -> Result<LoadPlan> {
        if self.files.is_empty() && !self.embedded {
            return Err(Error::Usage(
                "nothing to load: name RDF files or --embedded".into(),
            ));
        }
        let mut files = Vec::new();
        let mut bytes_total = 0;
        for path in &self.files {
            let format = format_for(path, self.format)?;
            bytes_total += fs::metadata(path)
                .map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?
                .len();
            files.push((path.clone(), format));
        }
        Ok(LoadPlan {
            files,
            bytes_total,
            embedded: self.embedded,
            graph: self.graph.clone(),
        })
    }
}

/// Bulk-loads what `plan` names into `store`, and commits once at the end: nothing is written
/// if any file fails. `on_progress` is called as bytes are read.
pub(super) fn bulk_load(
    store: &Store,
    plan: &LoadPlan,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<LoadReport> {
    use std::sync::atomic::{AtomicU64, Ordering};

    let graph = plan.graph.as_ref();
    let quads = AtomicU64::new(0);
    let mut loader = store.bulk_loader();
    if plan.embedded {
        let embedded = embedded_quads(graph);
        quads.fetch_add(embedded.len() as u64, Ordering::Relaxed);
        loader.load_quads(embedded)?;
    }
    let mut bytes_read = 0;
    for (path, format) in &plan.files {
        let file = fs::File::open(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let mut parser = RdfParser::from_format(*format);
        if let Some(graph) = graph {
            parser = parser.with_default_graph(GraphName::NamedNode(graph.clone()));
        }
        let reader = Counting {
            inner: file,
            read: &mut bytes_read,
            total: plan.bytes_total,
            quads: &quads,
            on_progress,
        };
        let origin = path.display().to_string();
        let parsed = parser.rename_blank_nodes().for_reader(reader).map(|quad| {
            let quad = quad.map_err(|e| syntax_error(e, &origin))?;
            quads.fetch_add(1, Ordering::Relaxed);
            Ok(quad)
        });
        loader.load_ok_quads::<Error, Error>(parsed)?;
    }
    loader.commit()?;
    Ok(LoadReport {
        bytes: plan.bytes_total,
        quads: quads.load(Ordering::Relaxed),
    })
}

struct Counting<'a, R> {
    inner: R,
    read: &'a mut u64,
    total: u64,
    quads: &'a std::sync::atomic::AtomicU64,
    on_progress: &'a (dyn Fn(Progress) + Sync),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        *self.read += n as u64;
        (self.on_progress)(Progress {
            bytes_read: *self.read,
            bytes_total: self.total,
            quads: self.quads.load(std::sync::atomic::Ordering::Relaxed),
        });
        Ok(n)
    }
}
