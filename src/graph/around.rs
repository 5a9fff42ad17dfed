//! Reading only the part of a graph a trace can use, for graphs too big to read whole (a remote
//! endpoint holding millions of triples): the frontier is expanded from both ends in batches of
//! `VALUES`-bound neighbour queries, following the walked predicates, until the two searches
//! together span `max_hops`; the edges that lie on no short enough walk between the ends are
//! dropped; and only for the edges left are types, labels and evidence read. The result is an
//! ordinary [`Projection`], so the pure trace code walks it exactly as it walks a whole graph.
//!
//! Why this finds every path a whole-graph trace finds: the forward search reaches depth
//! `f`, the backward one depth `b`, `f + b = max_hops`. On a path of `k ≤ max_hops` hops, each
//! hop either leaves a node within `f` hops of the start (the forward search read it) or enters
//! a node within `b - 1` hops of the end (the backward search read it).

use super::read::{hubs, read_evidence, read_marks, string_pairs, BOOKKEEPING};
use super::{Builder, EdgeSelection, Projection};
use crate::error::{Error, Result};
use crate::evidence::Scope;
use crate::store::{Db, Table};
use crate::vocab::{RDF, ST};
use oxigraph::model::{NamedNode, Term};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// How many nodes one neighbour query asks about.
pub const NODES_PER_REQUEST: usize = 250;
/// The most nodes a search may reach before it gives up and asks for a narrower trace.
pub const MAX_REACHED: usize = 500_000;

/// Where a trace starts and ends, and how it walks.
#[derive(Debug, Clone, Default)]
pub struct Around {
    /// IRIs paths start at.
    pub starts: Vec<String>,
    /// IRIs paths end at; `None`: everything within `max_hops` of the starts.
    pub targets: Option<Vec<String>>,
    pub max_hops: usize,
    pub undirected: bool,
    pub through_hubs: bool,
    /// Resources the trace names besides its ends (classes, organisms, products, a study):
    /// their labels and superclasses are read too.
    pub named: Vec<String>,
    /// Without targets: also read the edges between the nodes of the last step (a
    /// neighbourhood diagram draws every edge among the nodes it shows).
    pub closed: bool,
}

/// What reading the part of the graph cost.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Fetched {
    /// Queries sent.
    pub requests: u64,
    /// Rows read back.
    pub rows: u64,
    /// Nodes whose neighbours were asked for.
    pub expanded: usize,
    /// Edges read, and edges kept (those on a short enough walk between the ends).
    pub edges_read: usize,
    pub edges_kept: usize,
}

/// Which way a search follows edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Out,
    In,
}

/// Reads the part of the graph that walks of at most `around.max_hops` hops between the ends
/// can use, as a projection.
pub fn read_around(
    db: &Db,
    selection: &EdgeSelection,
    around: &Around,
) -> Result<(Projection, Fetched)> {
    read_region(db, selection, around)?.projection(db, around.max_hops)
}

/// The edges walks between the ends can use, each with the length of the shortest such walk
/// through it; what they need (types, labels, evidence) is read by [`Region::projection`],
/// for the edges on walks up to a length.
pub struct Region {
    around: Around,
    /// Edges in IRI order, and the shortest walk through each.
    edges: Vec<([String; 3], usize)>,
    /// The ends that have a walked relation (nodes of the projection, on a path or not).
    related: Vec<String>,
    hubs: HashSet<String>,
    fetched: Fetched,
}

/// Finds the edges walks of at most `around.max_hops` hops between the ends can use.
pub fn read_region(db: &Db, selection: &EdgeSelection, around: &Around) -> Result<Region> {
    let (requests, rows) = (db.requests(), db.rows());
    let walked = walked_predicates(db, selection)?;
    let hubs = hubs(db)?;
    let avoid: HashSet<&str> = selection.avoid.iter().map(String::as_str).collect();
    let blocked = |node: &str| around.undirected && !around.through_hubs && hubs.contains(node);

    let mut edges: BTreeSet<[String; 3]> = BTreeSet::new();
    let mut expanded = 0;
    // The forward search from the starts, and the backward one from the targets.
    let mut sides: Vec<Search> = vec![Search::new(&around.starts, Way::Out)];
    if let Some(targets) = &around.targets {
        sides.push(Search::new(targets, Way::In));
    }
    let ends: HashSet<&str> = around
        .starts
        .iter()
        .chain(around.targets.iter().flatten())
        .map(String::as_str)
        .collect();
    while sides.iter().map(|s| s.depth).sum::<usize>() < around.max_hops {
        // Expand the side with the smaller frontier: fewer nodes to ask about.
        let Some(side) = sides
            .iter_mut()
            .filter(|s| !s.frontier.is_empty())
            .min_by_key(|s| s.frontier.len())
        else {
            break;
        };
        let frontier: Vec<String> = std::mem::take(&mut side.frontier)
            .into_iter()
            .filter(|n| ends.contains(n.as_str()) || !blocked(n))
            .collect();
        side.depth += 1;
        expanded += frontier.len();
        let mut ways = vec![side.way];
        if around.undirected {
            ways.push(side.way.reverse());
        }
        for way in ways {
            for [s, p, o] in neighbours(db, &walked, &avoid, way, &frontier)? {
                let next = if way == Way::Out { &o } else { &s };
                if side.reached.insert(next.clone()) {
                    side.frontier.push(next.clone());
                }
                edges.insert([s, p, o]);
            }
        }
        if side.reached.len() > MAX_REACHED {
            return Err(Error::Usage(format!(
                "this walk reaches more than {MAX_REACHED} nodes of the endpoint's graph: narrow it (name TO, lower --max-hops or --depth, leave out --undirected)"
            )));
        }
    }
    if around.closed && around.targets.is_none() {
        let side = &sides[0];
        for way in [Way::Out, Way::In] {
            for [s, p, o] in neighbours(db, &walked, &avoid, way, &side.frontier)? {
                let other = if way == Way::Out { &o } else { &s };
                if side.reached.contains(other) {
                    edges.insert([s, p, o]);
                }
            }
        }
    }
    let edges_read = edges.len();
    let kept: Vec<([String; 3], usize)> = match &around.targets {
        Some(targets) => on_short_walks(&edges, &around.starts, targets, around, &blocked),
        None => {
            let forward = distances(&edges, &around.starts, around, &blocked, Way::Out);
            edges
                .iter()
                .map(|edge| {
                    let [s, _, o] = edge;
                    let at = |n: &String| forward.get(n).copied().unwrap_or(around.max_hops);
                    (edge.clone(), (at(s).min(at(o)) + 1).min(around.max_hops))
                })
                .collect()
        }
    };
    // The ends that have relations are nodes, on a path or not (as in a whole-graph read).
    let mut ends: Vec<&str> = ends.into_iter().collect();
    ends.sort_unstable();
    let related = with_relations(db, &walked, &avoid, &ends)?;
    let related = ends
        .into_iter()
        .filter(|e| related.contains(*e))
        .map(str::to_owned)
        .collect();
    Ok(Region {
        around: around.clone(),
        fetched: Fetched {
            requests: db.requests() - requests,
            rows: db.rows() - rows,
            expanded,
            edges_read,
            edges_kept: kept.len(),
        },
        edges: kept,
        related,
        hubs,
    })
}

impl Region {
    /// The length of the shortest walk between the ends, if there is one.
    pub fn shortest(&self) -> Option<usize> {
        self.edges.iter().map(|(_, length)| *length).min()
    }

    /// The projection of the edges on walks of at most `within` hops, with their types,
    /// labels and evidence read; `Fetched` counts the region's reads and these.
    pub fn projection(&self, db: &Db, within: usize) -> Result<(Projection, Fetched)> {
        let (requests, rows) = (db.requests(), db.rows());
        let around = &self.around;
        let kept: Vec<&[String; 3]> = self
            .edges
            .iter()
            .filter(|(_, length)| *length <= within)
            .map(|(edge, _)| edge)
            .collect();
        let mut builder = Builder::new();
        for [s, p, o] in &kept {
            builder.edge(s, p, o);
        }
        let mut nodes: BTreeSet<&str> = BTreeSet::new();
        for [s, _, o] in &kept {
            nodes.insert(s);
            nodes.insert(o);
        }
        for end in &self.related {
            if nodes.insert(end) {
                builder.resource(end);
            }
        }
        let triples: Vec<[Term; 3]> = kept
            .iter()
            .filter_map(|[s, p, o]| Some([named(s)?, named(p)?, named(o)?]))
            .collect();
        read_evidence(db, Scope::Triples(&triples), &mut builder)?;
        // Everything the projection names: nodes, predicates, the statements' qualifier values
        // and studies, and what the trace itself names.
        let mut described: BTreeSet<String> = nodes.iter().map(|n| (*n).to_owned()).collect();
        described.extend(kept.iter().map(|[_, p, _]| p.clone()));
        described.extend(builder.qualifier_values());
        described.extend(around.named.iter().cloned());
        let types = pairs(
            db,
            "SELECT ?s ?c WHERE { ?s rdf:type ?c FILTER(isIRI(?c)) }",
            &described,
        )?;
        let mut classes: BTreeSet<String> = types.iter().map(|(_, c)| c.clone()).collect();
        classes.extend(around.named.iter().cloned());
        for (s, c) in &types {
            builder.typed(s, c);
        }
        let superclasses = pairs(db, SUPERCLASSES, &classes)?;
        for (c, d) in &superclasses {
            builder.subclass(c, d);
            classes.insert(d.clone());
        }
        described.extend(classes);
        for (s, label) in pairs(
            db,
            "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(isLiteral(?l)) }",
            &described,
        )? {
            builder.label(&s, &label);
        }
        for hub in &self.hubs {
            builder.hub(hub);
        }
        read_marks(db, &mut builder)?;
        let fetched = Fetched {
            requests: self.fetched.requests + db.requests() - requests,
            rows: self.fetched.rows + db.rows() - rows,
            edges_kept: kept.len(),
            ..self.fetched
        };
        Ok((builder.finish(), fetched))
    }
}

/// One end's search: how deep it went, what it reached, what it asks about next.
struct Search {
    way: Way,
    depth: usize,
    reached: HashSet<String>,
    frontier: Vec<String>,
}

impl Search {
    fn new(from: &[String], way: Way) -> Self {
        Self {
            way,
            depth: 0,
            reached: from.iter().cloned().collect(),
            frontier: from.to_vec(),
        }
    }
}

impl Way {
    fn reverse(self) -> Self {
        match self {
            Way::Out => Way::In,
            Way::In => Way::Out,
        }
    }
}

/// The predicates a trace walks.
enum Walked {
    /// Exactly these (`--via`), sent as a table of values.
    Listed(Vec<String>),
    /// Those the ontology marks `st:traversable` (and `st:comparative` with `--comparisons`),
    /// joined in the query: engines then look each bound node up in an index, where a second
    /// table of values may make them scan (Oxigraph does).
    Marked { comparisons: bool },
    /// The graph marks none: every relation between IRIs outside the bookkeeping
    /// vocabularies, as a whole-graph read walks.
    Unmarked,
}

impl Walked {
    /// The query text that restricts `?p`, and the table of values it needs.
    fn restriction(&self) -> (String, Option<Table>) {
        match self {
            Walked::Listed(predicates) => (
                String::new(),
                Some(Table::column(
                    "p",
                    predicates.iter().filter_map(|p| named(p)),
                )),
            ),
            Walked::Marked { comparisons: false } => {
                (format!(" ?p <{ST}traversable> true ."), None)
            }
            Walked::Marked { comparisons: true } => (
                format!(" {{ ?p <{ST}traversable> true }} UNION {{ ?p <{ST}comparative> true }}"),
                None,
            ),
            Walked::Unmarked => (
                BOOKKEEPING
                    .iter()
                    .map(|ns| format!(" FILTER(!STRSTARTS(STR(?p), \"{ns}\"))"))
                    .collect(),
                None,
            ),
        }
    }
}

/// The predicates a trace walks: `--via`'s, or those marked traversable (and comparative with
/// `--comparisons`), or, when the graph marks none, every relation outside the bookkeeping
/// vocabularies.
fn walked_predicates(db: &Db, selection: &EdgeSelection) -> Result<Walked> {
    if !selection.via.is_empty() {
        return Ok(Walked::Listed(selection.via.clone()));
    }
    let marked = db.select("SELECT ?p WHERE { ?p st:traversable true } LIMIT 1", &[])?;
    Ok(if marked.is_empty() {
        Walked::Unmarked
    } else {
        Walked::Marked {
            comparisons: selection.comparisons,
        }
    })
}

/// The edges between IRIs out of (or into) `nodes`, never from a statement node nor along an
/// avoided relation, asked for in batches.
fn neighbours(
    db: &Db,
    walked: &Walked,
    avoid: &HashSet<&str>,
    way: Way,
    nodes: &[String],
) -> Result<Vec<[String; 3]>> {
    let (bound, other) = match way {
        Way::Out => ("s", "o"),
        Way::In => ("o", "s"),
    };
    let (predicates, table) = walked.restriction();
    let sparql = format!(
        "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?{other})) FILTER NOT EXISTS {{ ?s <{RDF}subject> ?stated }}{predicates} }}"
    );
    let mut edges = Vec::new();
    for batch in nodes.chunks(NODES_PER_REQUEST) {
        let mut tables = vec![Table::column(bound, batch.iter().filter_map(|n| named(n)))];
        tables.extend(table.clone());
        for row in db.select_values(&sparql, &tables)? {
            if let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(Term::NamedNode(o))) =
                (&row[0], &row[1], &row[2])
            {
                if !avoid.contains(p.as_str()) {
                    edges.push([
                        s.as_str().to_owned(),
                        p.as_str().to_owned(),
                        o.as_str().to_owned(),
                    ]);
                }
            }
        }
    }
    Ok(edges)
}

/// Which of `nodes` have a walked relation (not an avoided one), in or out.
fn with_relations(
    db: &Db,
    walked: &Walked,
    avoid: &HashSet<&str>,
    nodes: &[&str],
) -> Result<HashSet<String>> {
    let mut related = HashSet::new();
    let (predicates, table) = walked.restriction();
    for batch in nodes.chunks(NODES_PER_REQUEST) {
        let mut tables = vec![Table::column("x", batch.iter().filter_map(|n| named(n)))];
        tables.extend(table.clone());
        let rows = db.select_values(
            &format!(
                "SELECT DISTINCT ?x ?p WHERE {{
                   {{ ?x ?p ?o FILTER(isIRI(?o)) FILTER NOT EXISTS {{ ?x <{RDF}subject> ?stated }}{predicates} }}
                   UNION
                   {{ ?o ?p ?x FILTER(isIRI(?o)) FILTER NOT EXISTS {{ ?o <{RDF}subject> ?stated }}{predicates} }}
                 }}"
            ),
            &tables,
        )?;
        for row in rows {
            if let (Some(Term::NamedNode(x)), Some(Term::NamedNode(p))) = (&row[0], &row[1]) {
                if !avoid.contains(p.as_str()) {
                    related.insert(x.as_str().to_owned());
                }
            }
        }
    }
    Ok(related)
}

/// The edges on some walk of at most `max_hops` hops from a start to a target (walks as the
/// trace walks them: forward only unless undirected, and not through blocked hubs).
fn on_short_walks(
    edges: &BTreeSet<[String; 3]>,
    starts: &[String],
    targets: &[String],
    around: &Around,
    blocked: &dyn Fn(&str) -> bool,
) -> Vec<([String; 3], usize)> {
    let forward = distances(edges, starts, around, blocked, Way::Out);
    let backward = distances(edges, targets, around, blocked, Way::In);
    let walk = |from: &str, to: &str| match (forward.get(from), backward.get(to)) {
        (Some(f), Some(b)) => Some(f + 1 + b),
        _ => None,
    };
    edges
        .iter()
        .filter_map(|edge| {
            let [s, _, o] = edge;
            let along = walk(s, o);
            let against = if around.undirected { walk(o, s) } else { None };
            let length = along.into_iter().chain(against).min()?;
            (length <= around.max_hops).then(|| (edge.clone(), length))
        })
        .collect()
}

/// Hops from `from` to each node over `edges`, walking `way` (both ways when undirected),
/// not through blocked hubs, up to `max_hops`.
fn distances(
    edges: &BTreeSet<[String; 3]>,
    from: &[String],
    around: &Around,
    blocked: &dyn Fn(&str) -> bool,
    way: Way,
) -> HashMap<String, usize> {
    let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
    for [s, _, o] in edges {
        let (a, b) = if way == Way::Out { (s, o) } else { (o, s) };
        next.entry(a).or_default().push(b);
        if around.undirected {
            next.entry(b).or_default().push(a);
        }
    }
    let mut distance: HashMap<String, usize> = HashMap::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    for node in from {
        distance.insert(node.clone(), 0);
        queue.push_back(node.clone());
    }
    while let Some(node) = queue.pop_front() {
        let d = distance[&node];
        if d >= around.max_hops || (d > 0 && blocked(&node)) {
            continue;
        }
        for n in next.get(node.as_str()).into_iter().flatten() {
            if !distance.contains_key(*n) {
                distance.insert((*n).to_owned(), d + 1);
                queue.push_back((*n).to_owned());
            }
        }
    }
    distance
}

/// The superclass edges above the classes bound to `?s`.
const SUPERCLASSES: &str =
    "SELECT ?c ?d WHERE { ?s rdfs:subClassOf* ?c . ?c rdfs:subClassOf ?d FILTER(isIRI(?d)) }";

/// (subject, value) pairs of a two-column query, asked for `subjects` in batches.
fn pairs(db: &Db, sparql: &str, subjects: &BTreeSet<String>) -> Result<Vec<(String, String)>> {
    let subjects: Vec<&String> = subjects.iter().collect();
    let mut found = Vec::new();
    for batch in subjects.chunks(NODES_PER_REQUEST) {
        let table = Table::column("s", batch.iter().filter_map(|n| named(n)));
        found.extend(string_pairs(db.select_values(sparql, &[table])?));
    }
    Ok(found)
}

fn named(iri: &str) -> Option<Term> {
    NamedNode::new(iri).ok().map(Term::NamedNode)
}
