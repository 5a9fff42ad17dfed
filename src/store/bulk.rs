//! Bulk loads into a persistent store at millions of triples: files are parsed by several
//! threads at once while Oxigraph's bulk loader turns the parsed batches into tables, and the
//! whole load is committed once at the end (nothing is written if any file fails).
//!
//! N-Triples and N-Quads files are split into pieces at line ends (a statement never spans
//! lines in these formats), several files load side by side, and other formats are parsed
//! whole, one parser each. Blank nodes: a parser that renames blank nodes gives a label one
//! fresh node per piece, so a `_:b` used on both sides of a split would become two nodes
//! (that is what Oxigraph's own parallel loader does). Here parsers keep labels, and each label
//! becomes a node derived from the file and the label alone (a keyed 128-bit hash, one random
//! key per file per load): the same node in every piece of a file, never the node of another
//! file or of an earlier load. No fallback to one parser is needed.
//!
//! Memory stays bounded whatever the file's size: each parser holds one batch, the channel
//! one batch per parser, and the loader a batch per thread while it writes tables.

use super::load::{
    line_column, rdfxml_located, read_error, syntax_error, LoadPlan, LoadReport, Progress,
};
use crate::embedded;
use crate::error::{Error, Result};
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{BlankNode, GraphName, GraphNameRef, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use std::collections::hash_map::RandomState;
use std::fs::File;
use std::hash::{BuildHasher, Hash, Hasher};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Quads per batch handed to the loader (each batch becomes one set of tables).
const BATCH: usize = 200_000;

/// Files smaller than this are parsed whole by one parser.
const SPLIT_AT: u64 = 16 << 20;

/// How often (in bytes read) parsers report progress.
const PROGRESS_EVERY: u64 = 1 << 20;

/// One unit of parsing work.
enum Piece {
    /// The graph compiled into the binary.
    Embedded,
    /// A file, or the lines of an N-Triples or N-Quads file from byte `start` to `end`.
    File {
        file: usize,
        start: u64,
        end: Option<u64>,
    },
}

/// The key that turns one file's blank node labels into nodes.
struct Salt(RandomState);

impl Salt {
    fn node(&self, label: &str) -> BlankNode {
        let half = |domain: u8| {
            let mut hasher = self.0.build_hasher();
            domain.hash(&mut hasher);
            label.hash(&mut hasher);
            hasher.finish()
        };
        BlankNode::new_from_unique_id((u128::from(half(0)) << 64) | u128::from(half(1)))
    }

    fn quad(&self, quad: Quad) -> Quad {
        let subject = match quad.subject {
            NamedOrBlankNode::BlankNode(b) => self.node(b.as_str()).into(),
            other => other,
        };
        let object = match quad.object {
            Term::BlankNode(b) => self.node(b.as_str()).into(),
            other => other,
        };
        let graph_name = match quad.graph_name {
            GraphName::BlankNode(b) => self.node(b.as_str()).into(),
            other => other,
        };
        Quad::new(subject, quad.predicate, object, graph_name)
    }
}

/// What the parsers share.
struct Shared<'a> {
    plan: &'a LoadPlan,
    pieces: Vec<Piece>,
    next: AtomicUsize,
    salts: Vec<Salt>,
    embedded_salt: Salt,
    failed: AtomicBool,
    /// The first error in file order (file, byte where its piece starts), whichever parser
    /// met it first.
    error: Mutex<Option<((usize, u64), Error)>>,
    bytes_read: AtomicU64,
    quads: AtomicU64,
    on_progress: &'a (dyn Fn(Progress) + Sync),
}

impl Shared<'_> {
    fn progress(&self) {
        (self.on_progress)(Progress {
            bytes_read: self.bytes_read.load(Ordering::Relaxed),
            bytes_total: self.plan.bytes_total,
            quads: self.quads.load(Ordering::Relaxed),
        });
    }

    fn fail(&self, at: (usize, u64), error: Error) {
        self.failed.store(true, Ordering::Relaxed);
        if let Ok(mut first) = self.error.lock() {
            if first.as_ref().is_none_or(|(earlier, _)| at < *earlier) {
                *first = Some((at, error));
            }
        }
    }
}

/// Bulk-loads what `plan` names into `store` (on disk in `dir`) with the plan's number of
/// parsers and loader threads, and commits once at the end: nothing is written if any file
/// fails. `on_progress` is called as bytes are read.
pub(super) fn bulk_load(
    store: &Store,
    dir: Option<&Path>,
    plan: &LoadPlan,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<LoadReport> {
    if let Some(dir) = dir {
        remove_unfinished_tables(dir);
    }
    let threads = plan.threads.max(1);
    let shared = Shared {
        plan,
        pieces: pieces(plan, threads)?,
        next: AtomicUsize::new(0),
        salts: plan
            .files
            .iter()
            .map(|_| Salt(RandomState::new()))
            .collect(),
        embedded_salt: Salt(RandomState::new()),
        failed: AtomicBool::new(false),
        error: Mutex::new(None),
        bytes_read: AtomicU64::new(0),
        quads: AtomicU64::new(0),
        on_progress,
    };
    let mut loader = store.bulk_loader().with_num_threads(threads);
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Quad>>(threads);
        for _ in 0..threads.min(shared.pieces.len()) {
            let sender = sender.clone();
            let shared = &shared;
            scope.spawn(move || parse_pieces(shared, &sender));
        }
        drop(sender);
        for batch in receiver {
            if shared.failed.load(Ordering::Relaxed) {
                break;
            }
            if let Err(e) = loader.load_quads(batch) {
                shared.fail((0, 0), e.into());
                break;
            }
        }
        // The receiver is dropped here: a parser blocked on a full channel stops.
    });
    if shared.failed.load(Ordering::Relaxed) {
        // The loader is dropped uncommitted: its tables are deleted, the store is untouched.
        return Err(match shared.error.lock().ok().and_then(|mut e| e.take()) {
            Some((_, error)) => error,
            None => Error::Store("a bulk load's parser failed".into()),
        });
    }
    loader.commit()?;
    shared.progress();
    Ok(LoadReport {
        bytes: plan.bytes_total,
        quads: shared.quads.load(Ordering::Relaxed),
    })
}

/// Removes the tables a bulk load wrote and had not yet handed to the store when its process
/// was killed (Oxigraph writes them into the store's directory as `bulk-….sst` and deletes them
/// itself on any other failure). Called only by a process that holds the store's lock, so no
/// running load owns them.
fn remove_unfinished_tables(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-") && name.ends_with(".sst") {
            if let Err(e) = std::fs::remove_file(entry.path()) {
                tracing::warn!("cannot remove {name}, left by an interrupted load: {e}");
            }
        }
    }
}

/// The pieces of a load: the embedded graph, each small or unsplittable file whole, and each
/// large N-Triples or N-Quads file in pieces starting at line starts.
fn pieces(plan: &LoadPlan, threads: usize) -> Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    if plan.embedded {
        pieces.push(Piece::Embedded);
    }
    for (file, (path, format)) in plan.files.iter().enumerate() {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        let splittable = matches!(format, RdfFormat::NTriples | RdfFormat::NQuads);
        if !splittable || size < SPLIT_AT || threads == 1 {
            pieces.push(Piece::File {
                file,
                start: 0,
                end: None,
            });
            continue;
        }
        let count = (threads as u64 * 2).min(size / SPLIT_AT * 2).max(2);
        let mut starts = vec![0];
        let mut reader = BufReader::new(open(path)?);
        for i in 1..count {
            let at = size * i / count;
            if at <= *starts.last().unwrap_or(&0) {
                continue;
            }
            reader
                .seek(SeekFrom::Start(at))
                .map_err(|source| read_error(path, source))?;
            // The piece starts after the first line end at or after `at`.
            let mut skipped = 0u64;
            let mut byte = [0u8];
            loop {
                match reader.read(&mut byte) {
                    Ok(0) => break,
                    Ok(_) => {
                        skipped += 1;
                        if byte[0] == b'\n' {
                            break;
                        }
                    }
                    Err(source) => return Err(read_error(path, source)),
                }
            }
            let start = at + skipped;
            if start < size && start > *starts.last().unwrap_or(&0) {
                starts.push(start);
            }
        }
        for (i, start) in starts.iter().enumerate() {
            pieces.push(Piece::File {
                file,
                start: *start,
                end: Some(starts.get(i + 1).copied().unwrap_or(size)),
            });
        }
    }
    Ok(pieces)
}

/// A parser thread: takes pieces until none is left or the load failed, and sends its quads in
/// batches.
fn parse_pieces(shared: &Shared<'_>, sender: &std::sync::mpsc::SyncSender<Vec<Quad>>) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut send = |batch: &mut Vec<Quad>| -> bool {
        let full = std::mem::replace(batch, Vec::with_capacity(BATCH));
        shared.quads.fetch_add(full.len() as u64, Ordering::Relaxed);
        !shared.failed.load(Ordering::Relaxed) && sender.send(full).is_ok()
    };
    while let Some(piece) = shared
        .pieces
        .get(shared.next.fetch_add(1, Ordering::Relaxed))
    {
        if shared.failed.load(Ordering::Relaxed) {
            return;
        }
        let parsed = match piece {
            Piece::Embedded => {
                let graph = shared
                    .plan
                    .graph
                    .as_ref()
                    .map_or(GraphNameRef::DefaultGraph, |g| g.as_ref().into());
                for quad in embedded::quads(graph) {
                    batch.push(shared.embedded_salt.quad(quad.into_owned()));
                    if batch.len() >= BATCH && !send(&mut batch) {
                        return;
                    }
                }
                Ok(())
            }
            Piece::File { file, start, end } => {
                parse_file_piece(shared, *file, *start, *end, &mut batch, &mut send)
            }
        };
        match parsed {
            Ok(()) => {}
            Err(Stop::Error(e)) => {
                let at = match piece {
                    Piece::Embedded => (0, 0),
                    Piece::File { file, start, .. } => (*file + 1, *start),
                };
                return shared.fail(at, e);
            }
            Err(Stop::Halted) => return,
        }
    }
    if !batch.is_empty() {
        send(&mut batch);
    }
}

/// Why a parser stopped early.
enum Stop {
    Error(Error),
    /// Another parser failed or the loader stopped receiving.
    Halted,
}

fn parse_file_piece(
    shared: &Shared<'_>,
    file: usize,
    start: u64,
    end: Option<u64>,
    batch: &mut Vec<Quad>,
    send: &mut impl FnMut(&mut Vec<Quad>) -> bool,
) -> std::result::Result<(), Stop> {
    let (path, format) = &shared.plan.files[file];
    let mut handle = open(path).map_err(Stop::Error)?;
    handle
        .seek(SeekFrom::Start(start))
        .map_err(|e| Stop::Error(read_error(path, e)))?;
    let reader = Counting {
        inner: handle.take(end.map_or(u64::MAX, |end| end - start)),
        shared,
        unreported: 0,
    };
    let mut parser = RdfParser::from_format(*format);
    if let Some(graph) = &shared.plan.graph {
        parser = parser.with_default_graph(GraphName::NamedNode(graph.clone()));
    }
    let salt = &shared.salts[file];
    for quad in parser.for_reader(reader) {
        match quad {
            Ok(quad) => batch.push(salt.quad(quad)),
            Err(e) => return Err(Stop::Error(located(e, path, *format, start))),
        }
        if batch.len() >= BATCH && !send(batch) {
            return Err(Stop::Halted);
        }
    }
    Ok(())
}

/// A parse error in a piece starting at byte `start`, with its line counted from the start of
/// the file (a piece's parser counts from its own first line). An RDF/XML error, which has no
/// position, gets the one where the RDF/XML parser stops; a term too long to stream names its
/// line.
fn located(error: RdfParseError, path: &Path, format: RdfFormat, start: u64) -> Error {
    if let RdfParseError::Io(io) = &error {
        if io.kind() == std::io::ErrorKind::OutOfMemory {
            return too_long(path, start);
        }
    }
    match syntax_error(error, &path.display().to_string()) {
        Error::RdfSyntax {
            path: origin,
            line,
            column,
            message,
        } if start > 0 => match lines_before(path, start) {
            Ok(before) => Error::RdfSyntax {
                path: origin,
                line: line + before,
                column,
                message,
            },
            Err(e) => e,
        },
        invalid @ Error::RdfInvalid { .. } if format == RdfFormat::RdfXml => {
            rdfxml_located(invalid, || File::open(path))
        }
        other => other,
    }
}

/// The longest term (a literal, an IRI) Oxigraph's streaming parsers hold at once.
pub const MAX_STREAMED_TERM: u64 = 16 << 20;

/// A term longer than the streaming parsers' buffer, with the line it is on when one line
/// of the piece at `start` is that long.
fn too_long(path: &Path, start: u64) -> Error {
    let line = long_line(path, start)
        .ok()
        .flatten()
        .and_then(|line| Some(line + lines_before(path, start).ok()?));
    Error::RdfInvalid {
        path: match line {
            Some(line) => format!("{}:{line}", path.display()),
            None => path.display().to_string(),
        },
        message: format!(
            "a term (a literal or an IRI) is longer than {} MiB, the most `load` streams at once; \
             shorten it, or give the file to a command with `--data`, which reads it whole",
            MAX_STREAMED_TERM >> 20
        ),
    }
}

/// The 1-based line, counted from byte `start`, of the first line at least
/// [`MAX_STREAMED_TERM`] bytes long.
fn long_line(path: &Path, start: u64) -> Result<Option<u64>> {
    let mut handle = open(path)?;
    handle
        .seek(SeekFrom::Start(start))
        .map_err(|source| read_error(path, source))?;
    let (mut line, mut length) = (1, 0);
    for byte in BufReader::new(handle).bytes() {
        match byte.map_err(|source| read_error(path, source))? {
            b'\n' | b'\r' => (line, length) = (line + 1, 0),
            _ => length += 1,
        }
        if length >= MAX_STREAMED_TERM {
            return Ok(Some(line));
        }
    }
    Ok(None)
}

/// The number of line ends in the first `end` bytes of a file, counted as the parser counts
/// them (`\n`, `\r\n` or a lone `\r`).
fn lines_before(path: &Path, end: u64) -> Result<u64> {
    line_column(open(path)?, end)
        .map(|(line, _)| line - 1)
        .map_err(|source| read_error(path, source))
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|source| read_error(path, source))
}

/// Counts the bytes parsers read, for the progress bar.
struct Counting<'a, R> {
    inner: R,
    shared: &'a Shared<'a>,
    unreported: u64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.unreported += n as u64;
        if self.unreported >= PROGRESS_EVERY || n == 0 {
            self.shared
                .bytes_read
                .fetch_add(self.unreported, Ordering::Relaxed);
            self.unreported = 0;
            self.shared.progress();
        }
        Ok(n)
    }
}
