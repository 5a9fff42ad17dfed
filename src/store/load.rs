//! Loading RDF: the embedded curated graph (compiled in, never parsed at start-up), the files of
//! `--data` and `load`, and bulk loads into a persistent store, with `file:line:column` errors.
//!
//! Every load is all or nothing: `--data` files are parsed completely before their one
//! transaction, and a bulk load ([`super::bulk`]) becomes part of the store only at its one
//! commit, so bad input never leaves partial state.

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
        let bytes = fs::read(path).map_err(|source| read_error(path, source))?;
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

/// A file that cannot be read, named; a directory given where a file belongs says so.
pub(super) fn read_error(path: &Path, source: std::io::Error) -> Error {
    if source.kind() == std::io::ErrorKind::IsADirectory {
        return not_a_file(path);
    }
    Error::Read {
        path: path.to_path_buf(),
        source,
    }
}

fn not_a_file(path: &Path) -> Error {
    Error::Usage(format!(
        "{} is a directory, not an RDF file: name the files in it (e.g. {}/*.ttl)",
        path.display(),
        path.display()
    ))
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
        quads.push(quad.map_err(|e| {
            let error = syntax_error(RdfParseError::Syntax(e), origin);
            match format {
                RdfFormat::RdfXml => rdfxml_located(error, || Ok(bytes)),
                _ => error,
            }
        })?);
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
                message: without_location(&e.to_string()).to_owned(),
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

/// An RDF/XML error with the line and column where the parser stopped: RDF/XML errors carry
/// no position, so the input (`open` gives it again) is parsed a second time by the RDF/XML
/// parser itself, whose reader knows its byte offset, and the lines before it are counted.
pub(super) fn rdfxml_located<R: Read>(
    error: Error,
    open: impl Fn() -> std::io::Result<R>,
) -> Error {
    let Error::RdfInvalid { path, message } = error else {
        return error;
    };
    let position = open()
        .ok()
        .and_then(rdfxml_stop)
        .and_then(|offset| line_column(open().ok()?, offset).ok());
    match position {
        Some((line, column)) => Error::RdfSyntax {
            path,
            line,
            column,
            message,
        },
        None => Error::RdfInvalid { path, message },
    }
}

/// The byte offset where the RDF/XML parser stops with an error on `input`, if it does.
fn rdfxml_stop(input: impl Read) -> Option<u64> {
    let mut parser = oxrdfxml::RdfXmlParser::new().for_reader(input);
    loop {
        match parser.next()? {
            Ok(_) => {}
            Err(_) => return Some(parser.buffer_position()),
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `input`; lines end at
/// `\n`, `\r\n` or a lone `\r`, as the parsers count them.
pub(super) fn line_column(mut input: impl Read, offset: u64) -> std::io::Result<(u64, u64)> {
    let (mut line, mut column, mut after_cr) = (1, 1, false);
    let mut input = input.by_ref().take(offset);
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = input.read(&mut buffer)?;
        if n == 0 {
            return Ok((line, column));
        }
        for &byte in &buffer[..n] {
            match byte {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => (line, column) = (line + 1, 1),
                // A UTF-8 continuation byte is part of the character before it.
                0x80..=0xBF => {}
                _ => column += 1,
            }
            after_cr = byte == b'\r';
        }
    }
}

/// A parser's message without the position it starts with ("Parser error at line 3 column
/// 5: …"): the error names `file:line:column` itself, and a bulk load's piece of a file counts
/// its lines from the piece's start.
fn without_location(message: &str) -> &str {
    match message.strip_prefix("Parser error ") {
        Some(rest) => rest.split_once(": ").map_or(message, |(_, text)| text),
        None => message,
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
    /// Parser and loader threads; the machine's cores when None.
    pub threads: Option<usize>,
}

/// A load checked before any store is touched: something to load, each file's format known,
/// each file there (with its size, for progress).
#[derive(Debug, Clone)]
pub struct LoadPlan {
    pub(super) files: Vec<(PathBuf, RdfFormat)>,
    pub(super) bytes_total: u64,
    pub(super) embedded: bool,
    pub(super) graph: Option<NamedNode>,
    pub(super) threads: usize,
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
            let metadata = fs::metadata(path).map_err(|source| read_error(path, source))?;
            if metadata.is_dir() {
                return Err(not_a_file(path));
            }
            let format = format_for(path, self.format)?;
            bytes_total += metadata.len();
            files.push((path.clone(), format));
        }
        Ok(LoadPlan {
            files,
            bytes_total,
            embedded: self.embedded,
            graph: self.graph.clone(),
            threads: self.threads.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
            }),
        })
    }
}
