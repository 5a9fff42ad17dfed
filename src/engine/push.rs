//! `push`: uploading a graph (files, a persistent store or the embedded graph) to a remote
//! endpoint, in chunks, with the Graph Store HTTP Protocol (`POST ?graph=`) when the endpoint
//! has one there, falling back to `INSERT DATA` batches on its update endpoint.
//!
//! Resumable: a journal records each chunk the endpoint accepted (by its hash), so a push
//! started again after an interruption sends only what is missing; a changed source is noticed
//! and refused rather than mixed with what was sent. Blank nodes never straddle two chunks (a
//! blank node is only one node within one request), and a chunk is the same whichever run
//! computes it. At the end the endpoint's count of each graph is checked against what was sent.

use crate::error::{Error, Result};
use crate::store::{Db, Location};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// What to upload, and where.
#[derive(Debug, Clone)]
pub struct PushRequest {
    /// The quads to send (read by [`PushSource::read`]).
    pub quads: Vec<Quad>,
    /// What the quads were read from, for the journal ("embedded", file paths…).
    pub source: String,
    /// Put every triple into this graph (else each quad's own graph).
    pub graph: Option<NamedNode>,
    /// A Graph Store Protocol endpoint; without it, `INSERT DATA` on the update endpoint.
    pub graph_store: Option<String>,
    /// Triples per request.
    pub chunk: usize,
    /// Where what was sent is recorded.
    pub journal: PathBuf,
}

/// Where a push reads from.
#[derive(Debug, Clone)]
pub enum PushSource {
    Files(Vec<PathBuf>, Option<oxigraph::io::RdfFormat>),
    Store(PathBuf),
    Embedded,
}

/// Progress of a push.
#[derive(Debug, Clone, Copy)]
pub struct PushProgress {
    pub chunks_done: usize,
    pub chunks: usize,
    pub triples_done: u64,
}

/// What a push did.
#[derive(Debug, Clone, Serialize)]
pub struct PushReport {
    pub triples: u64,
    pub chunks: usize,
    /// Chunks a previous, interrupted push had already sent.
    pub resumed: usize,
    /// "graph store" or "insert data".
    pub method: String,
    /// Per graph ("default" for the default graph): triples sent and the endpoint's count.
    pub graphs: Vec<GraphCount>,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphCount {
    pub graph: String,
    pub sent: u64,
    pub before: u64,
    pub after: u64,
}

/// The journal of one push: the chunks sent, by index and hash.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Journal {
    endpoint: String,
    source: String,
    chunks: usize,
    sent: BTreeMap<usize, String>,
    /// Each graph's count before the first run started.
    before: BTreeMap<String, u64>,
}

/// One request's worth of triples, for one graph.
struct Chunk {
    graph: Option<NamedNode>,
    ntriples: String,
    triples: u64,
}

impl PushSource {
    /// Reads every quad of the source (files parsed completely first: a syntax error sends
    /// nothing).
    pub fn read(&self) -> Result<(Vec<Quad>, String)> {
        Ok(match self {
            PushSource::Files(files, format) => (
                crate::store::read_files(files, *format)?,
                files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            PushSource::Store(dir) => (
                Db::open(&Location::Persistent(dir.clone()))?.quads()?,
                format!("store {}", dir.display()),
            ),
            PushSource::Embedded => (Db::open(&Location::Embedded)?.quads()?, "embedded".into()),
        })
    }
}

/// The file name of the journal for pushing `source` into `graph` at `endpoint`: a stable hash
/// of the three (the front end chooses the directory).
pub fn journal_name(endpoint: &str, graph: Option<&NamedNode>, source: &str) -> String {
    let key = format!(
        "{endpoint}\n{}\n{source}",
        graph.map_or("", NamedNode::as_str)
    );
    format!("push-{}.json", hash_of(&key))
}

impl super::Engine {
    /// Uploads `request.quads` to this engine's remote endpoint.
    pub fn push(
        &self,
        request: &PushRequest,
        on_progress: &dyn Fn(PushProgress),
    ) -> Result<PushReport> {
        push(self.db(), request, on_progress)
    }
}

/// Uploads `request.quads` to the endpoint behind `db`.
pub fn push(
    db: &Db,
    request: &PushRequest,
    on_progress: &dyn Fn(PushProgress),
) -> Result<PushReport> {
    let Some(endpoint) = db.endpoint() else {
        return Err(Error::Usage("push needs --endpoint URL".into()));
    };
    if request.chunk == 0 {
        return Err(Error::Usage("--chunk must be at least 1".into()));
    }
    let started = std::time::Instant::now();
    let chunks = chunks(&request.quads, request.graph.as_ref(), request.chunk);
    let mut journal = match read_journal(&request.journal)? {
        Some(journal)
            if journal.endpoint == endpoint.url
                && journal.source == request.source
                && journal.chunks == chunks.len() =>
        {
            for (index, hash) in &journal.sent {
                if chunks.get(*index).map(|c| hash_of(&c.ntriples)) != Some(hash.clone()) {
                    return Err(Error::Usage(format!(
                        "the source changed since the interrupted push recorded in {}: remove that file to push again from the start",
                        request.journal.display()
                    )));
                }
            }
            journal
        }
        Some(other) => {
            return Err(Error::Usage(format!(
                "the journal {} records another push ({} chunks of {} to {}): remove it to start this one, or name another with --journal",
                request.journal.display(),
                other.chunks,
                other.source,
                other.endpoint
            )))
        }
        None => Journal {
            endpoint: endpoint.url.clone(),
            source: request.source.clone(),
            chunks: chunks.len(),
            ..Journal::default()
        },
    };
    let mut sent: HashMap<Option<NamedNode>, u64> = HashMap::new();
    for chunk in &chunks {
        *sent.entry(chunk.graph.clone()).or_default() += chunk.triples;
    }
    for graph in sent.keys() {
        let key = graph_key(graph.as_ref());
        if let std::collections::btree_map::Entry::Vacant(entry) = journal.before.entry(key) {
            entry.insert(db.graph_count(graph.as_ref())?);
        }
    }
    write_journal(&request.journal, &journal)?;
    let resumed = journal.sent.len();
    let mut graph_store = request.graph_store.clone();
    // An empty document first: a Graph Store answers it with success and adds nothing;
    // anything else answers 404, 405, 415 or 501, before a large body is sent in vain.
    if let (Some(url), Some(first)) = (&graph_store, chunks.first()) {
        if !db.post_graph(url, first.graph.as_ref(), b"")? {
            graph_store = None;
        }
    }
    let mut triples_done: u64 = chunks
        .iter()
        .enumerate()
        .filter(|(i, _)| journal.sent.contains_key(i))
        .map(|(_, c)| c.triples)
        .sum();
    for (index, chunk) in chunks.iter().enumerate() {
        if journal.sent.contains_key(&index) {
            continue;
        }
        let mut posted = false;
        if let Some(url) = &graph_store {
            posted = db.post_graph(url, chunk.graph.as_ref(), chunk.ntriples.as_bytes())?;
            if !posted {
                graph_store = None; // No Graph Store there: INSERT DATA from now on.
            }
        }
        if !posted {
            db.insert_data(&insert_data(chunk))?;
        }
        journal.sent.insert(index, hash_of(&chunk.ntriples));
        write_journal(&request.journal, &journal)?;
        triples_done += chunk.triples;
        on_progress(PushProgress {
            chunks_done: journal.sent.len(),
            chunks: chunks.len(),
            triples_done,
        });
    }
    let mut graphs = Vec::new();
    let mut keys: Vec<&Option<NamedNode>> = sent.keys().collect();
    keys.sort_by_key(|g| graph_key(g.as_ref()));
    for graph in keys {
        let key = graph_key(graph.as_ref());
        let before = journal.before.get(&key).copied().unwrap_or(0);
        let after = db.graph_count(graph.as_ref())?;
        let count = sent[graph];
        graphs.push(GraphCount {
            graph: key.clone(),
            sent: count,
            before,
            after,
        });
        if after < count || (before == 0 && after != count) {
            // Everything was sent and confirmed, yet the endpoint lost some: the next run must
            // send everything again.
            let _ = std::fs::remove_file(&request.journal);
            return Err(Error::Endpoint(format!(
                "the endpoint holds {after} triples in graph {key} after the push, but {count} were sent into it (it held {before} before): some were not stored"
            )));
        }
    }
    // Done and checked: nothing left to resume.
    let _ = std::fs::remove_file(&request.journal);
    Ok(PushReport {
        triples: triples_done,
        chunks: chunks.len(),
        resumed,
        method: if graph_store.is_some() {
            "graph store".into()
        } else {
            "insert data".into()
        },
        graphs,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn graph_key(graph: Option<&NamedNode>) -> String {
    graph.map_or_else(|| "default".to_owned(), |g| g.as_str().to_owned())
}

/// The quads in chunks of about `size` triples per graph, in a stable order; the triples that
/// share blank nodes stay together.
fn chunks(quads: &[Quad], graph: Option<&NamedNode>, size: usize) -> Vec<Chunk> {
    // Distinct triples per target graph, in a stable order.
    let mut by_graph: BTreeMap<String, (Option<NamedNode>, Vec<String>)> = BTreeMap::new();
    let mut blank: BTreeMap<String, Vec<BlankTriple>> = BTreeMap::new();
    for quad in quads {
        let target = match (graph, &quad.graph_name) {
            (Some(g), _) => Some(g.clone()),
            (None, GraphName::NamedNode(g)) => Some(g.clone()),
            (None, _) => None,
        };
        let key = graph_key(target.as_ref());
        by_graph.entry(key.clone()).or_insert((target, Vec::new()));
        let subject = match &quad.subject {
            NamedOrBlankNode::BlankNode(b) => Part::Blank(b.as_str().to_owned()),
            other => Part::Text(other.to_string()),
        };
        let object = match &quad.object {
            Term::BlankNode(b) => Part::Blank(b.as_str().to_owned()),
            other => Part::Text(other.to_string()),
        };
        if matches!((&subject, &object), (Part::Text(_), Part::Text(_))) {
            if let Some((_, lines)) = by_graph.get_mut(&key) {
                lines.push(format!(
                    "{} {} {} .",
                    quad.subject, quad.predicate, quad.object
                ));
            }
        } else {
            blank.entry(key).or_default().push(BlankTriple {
                subject,
                predicate: quad.predicate.to_string(),
                object,
            });
        }
    }
    let mut out = Vec::new();
    for (key, (target, mut lines)) in by_graph {
        lines.sort_unstable();
        lines.dedup();
        // Triples with blank nodes, grouped by the blank nodes they share, their labels
        // chosen from what the group says (parsers label blank nodes afresh on every run).
        let mut groups: Vec<Vec<String>> = blank_groups(blank.remove(&key).unwrap_or_default())
            .into_iter()
            .map(canonical)
            .collect();
        groups.sort();
        let mut current: Vec<String> = Vec::new();
        let flush = |current: &mut Vec<String>, out: &mut Vec<Chunk>| {
            if !current.is_empty() {
                out.push(Chunk {
                    graph: target.clone(),
                    triples: current.len() as u64,
                    ntriples: current.join("\n") + "\n",
                });
                current.clear();
            }
        };
        for line in lines {
            current.push(line);
            if current.len() >= size {
                flush(&mut current, &mut out);
            }
        }
        for group in groups {
            if !current.is_empty() && current.len() + group.len() > size {
                flush(&mut current, &mut out);
            }
            current.extend(group);
        }
        flush(&mut current, &mut out);
    }
    out
}

/// A subject or object: a blank node's label, or any other term as N-Triples.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Blank(String),
    Text(String),
}

/// A triple with a blank node at one end or both.
#[derive(Debug, Clone)]
struct BlankTriple {
    subject: Part,
    predicate: String,
    object: Part,
}

impl BlankTriple {
    fn blanks(&self) -> impl Iterator<Item = &str> {
        [&self.subject, &self.object]
            .into_iter()
            .filter_map(|p| match p {
                Part::Blank(label) => Some(label.as_str()),
                Part::Text(_) => None,
            })
    }

    /// The triple as N-Triples, each blank node written as `name` says.
    fn line(&self, name: &dyn Fn(&str) -> String) -> String {
        let part = |p: &Part| match p {
            Part::Blank(label) => name(label),
            Part::Text(text) => text.clone(),
        };
        format!(
            "{} {} {} .",
            part(&self.subject),
            self.predicate,
            part(&self.object)
        )
    }
}

/// Groups triples so that every blank node is in exactly one group (union-find on labels).
fn blank_groups(triples: Vec<BlankTriple>) -> Vec<Vec<BlankTriple>> {
    let mut parent: HashMap<String, String> = HashMap::new();
    fn find(parent: &mut HashMap<String, String>, x: &str) -> String {
        let p = parent.get(x).cloned().unwrap_or_else(|| x.to_owned());
        if p == x {
            return p;
        }
        let root = find(parent, &p);
        parent.insert(x.to_owned(), root.clone());
        root
    }
    for triple in &triples {
        let blanks: Vec<&str> = triple.blanks().collect();
        if let [a, b] = blanks[..] {
            let (a, b) = (find(&mut parent, a), find(&mut parent, b));
            if a != b {
                parent.insert(a, b);
            }
        }
    }
    let mut groups: HashMap<String, Vec<BlankTriple>> = HashMap::new();
    for triple in triples {
        let first = triple.blanks().next().unwrap_or_default().to_owned();
        let root = find(&mut parent, &first);
        groups.entry(root).or_default().push(triple);
    }
    groups.into_values().collect()
}

/// A group's lines with its blank nodes relabelled from what the group says about each (its
/// triples with that node as "self" and the others masked), so that the same data gives the
/// same chunks, and hashes, on every run.
fn canonical(group: Vec<BlankTriple>) -> Vec<String> {
    fn masked(own: Option<&str>) -> impl Fn(&str) -> String + '_ {
        move |label: &str| {
            if Some(label) == own {
                "_:self".to_owned()
            } else {
                "_:other".to_owned()
            }
        }
    }
    let mut labels: Vec<&str> = group.iter().flat_map(BlankTriple::blanks).collect();
    labels.sort_unstable();
    labels.dedup();
    let mut shape: Vec<String> = group.iter().map(|t| t.line(&masked(None))).collect();
    shape.sort_unstable();
    let prefix = hash_of(&shape.join("\n"));
    let mut signed: Vec<(Vec<String>, &str)> = labels
        .iter()
        .map(|label| {
            let mut lines: Vec<String> =
                group.iter().map(|t| t.line(&masked(Some(label)))).collect();
            lines.sort_unstable();
            (lines, *label)
        })
        .collect();
    signed.sort();
    let names: HashMap<&str, String> = signed
        .iter()
        .enumerate()
        .map(|(i, (_, label))| (*label, format!("_:g{prefix}n{i}")))
        .collect();
    let name = |label: &str| {
        names
            .get(label)
            .cloned()
            .unwrap_or_else(|| format!("_:{label}"))
    };
    let mut lines: Vec<String> = group.iter().map(|t| t.line(&name)).collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

fn insert_data(chunk: &Chunk) -> String {
    match &chunk.graph {
        Some(graph) => format!("INSERT DATA {{ GRAPH {graph} {{\n{}}} }}", chunk.ntriples),
        None => format!("INSERT DATA {{\n{}}}", chunk.ntriples),
    }
}

/// A stable hash of a chunk (FNV-1a, 64 bits): the same text gives the same hash on every run.
fn hash_of(text: &str) -> String {
    let hash = crate::hash::fnv1a(crate::hash::FNV_START, text.as_bytes());
    format!("{hash:016x}")
}

fn read_journal(path: &Path) -> Result<Option<Journal>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::Usage(format!(
                "the push journal {} cannot be read ({e}): remove it to push from the start",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes the journal atomically (a temporary file renamed over it).
fn write_journal(path: &Path, journal: &Journal) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension("json.tmp");
    let text = serde_json::to_vec_pretty(journal)
        .map_err(|e| Error::Internal(format!("the push journal does not serialise: {e}")))?;
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_blank_nodes_together_and_come_out_the_same_on_every_parse() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("blank.ttl");
        let mut text = String::from("@prefix e: <http://e/> .\n");
        for i in 0..7 {
            text.push_str(&format!("e:s{i} e:p {i} .\n"));
        }
        // Anonymous nodes (labelled afresh by every parse), one nested in another, and a
        // labelled one shared by two triples.
        text.push_str("e:a e:p [ e:q [ e:r 1 ] ] .\n_:b1 e:p _:b2 . e:c e:p _:b1 . _:b2 e:q 2 .\n");
        std::fs::write(&file, text).unwrap();
        let read = || crate::store::read_files(std::slice::from_ref(&file), None).unwrap();
        let first = chunks(&read(), None, 3);
        let again: Vec<String> = chunks(&read(), None, 3)
            .into_iter()
            .map(|c| c.ntriples)
            .collect();
        assert_eq!(
            first.iter().map(|c| c.ntriples.clone()).collect::<Vec<_>>(),
            again
        );
        assert_eq!(first.iter().map(|c| c.triples).sum::<u64>(), 13);
        // Every blank node label is in exactly one chunk.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, chunk) in first.iter().enumerate() {
            for label in chunk
                .ntriples
                .split_whitespace()
                .filter(|t| t.starts_with("_:"))
            {
                assert_eq!(*seen.entry(label.to_owned()).or_insert(i), i, "{label}");
            }
        }
        assert_eq!(seen.len(), 4);
    }
}
