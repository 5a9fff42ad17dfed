//! Fuzzes the projection builder (src/graph/mod.rs: `Builder` → `Projection` by `finish`) with
//! arbitrary sequences of its calls over a small alphabet of IRIs, then the pure trace on the
//! result (src/trace/mod.rs: `paths`, `reachable`, `matrix`) with small limits, and the
//! projection's cache codec (src/graph/codec.rs: `encode`, `decode`).
//!
//! Checks, beyond "no panic" (and no endless loop: libFuzzer's `-timeout`): edges are the
//! distinct (subject, predicate, object) triples added; every path found starts at the node
//! asked from and ends at the node asked for, is a walk of connected hops visiting no node
//! twice, is no longer than `max_hops`, and they come shortest first, no more than asked for;
//! `reachable` and `matrix` find paths of the same kind; a projection decodes back from its
//! bytes with as many nodes, edges and statements, and the same paths.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use petgraph::graph::NodeIndex;
use std::collections::HashSet;
use stroma::graph::{Builder, Polarity, Projection};
use stroma::trace::{matrix, paths, reachable, Filter, Options, Path, ProductFilter};
use stroma::vocab::PROV_WAS_DERIVED_FROM;

/// The IRIs (and labels, titles, authors) every call picks from, so calls collide often.
const NAMES: [&str; 12] = [
    "urn:a",
    "urn:b",
    "urn:c",
    "urn:d",
    "urn:e",
    "urn:hub",
    "urn:p",
    "urn:q",
    "https://w3id.org/stroma/vocab#Review",
    "urn:Class",
    "",
    "A label",
];

/// The qualifier properties a statement picks from (the last one is ignored by the builder).
const QUALIFIERS: [&str; 9] = [
    PROV_WAS_DERIVED_FROM,
    "https://w3id.org/stroma/vocab#organism",
    "https://w3id.org/stroma/vocab#product",
    "https://w3id.org/stroma/vocab#cellType",
    "https://w3id.org/stroma/vocab#diseaseModel",
    "https://w3id.org/stroma/vocab#reportedIn",
    "https://w3id.org/stroma/vocab#comparedWith",
    "https://w3id.org/stroma/vocab#comparison",
    "urn:other",
];

fn name(n: u8) -> &'static str {
    NAMES[usize::from(n) % NAMES.len()]
}

#[derive(Arbitrary, Debug)]
enum Op {
    Edge(u8, u8, u8),
    Resource(u8),
    Label(u8, u8),
    Typed(u8, u8),
    Subclass(u8, u8),
    Comparative(u8),
    Hub(u8),
    Polarity(u8, u8),
    Study(u8, Option<u32>, Option<u8>, Option<i32>, Option<u8>),
    Statement(u8, (u8, u8, u8), Vec<(u8, u8)>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    ops: Vec<Op>,
    from: u8,
    to: u8,
    max_hops: u8,
    paths: u8,
    undirected: bool,
    through_hubs: bool,
    coherent: bool,
    organism: Option<u8>,
    study: Option<u8>,
    products: Option<(bool, Vec<u8>)>,
}

fn build(ops: &[Op]) -> (Projection, HashSet<(u8, u8, u8)>) {
    let mut b = Builder::new();
    let mut edges = HashSet::new();
    let n = |x: u8| x % NAMES.len() as u8;
    for op in ops.iter().take(64) {
        match op {
            Op::Edge(s, p, o) => {
                edges.insert((n(*s), n(*p), n(*o)));
                b.edge(name(*s), name(*p), name(*o));
            }
            Op::Resource(x) => b.resource(name(*x)),
            Op::Label(x, l) => b.label(name(*x), name(*l)),
            Op::Typed(x, c) => b.typed(name(*x), name(*c)),
            Op::Subclass(c, s) => b.subclass(name(*c), name(*s)),
            Op::Comparative(p) => b.comparative(name(*p)),
            Op::Hub(x) => b.hub(name(*x)),
            Op::Polarity(p, s) => b.polarity(
                name(*p),
                [Polarity::Positive, Polarity::Negative, Polarity::Neutral][usize::from(s % 3)],
            ),
            Op::Study(x, number, author, year, title) => {
                b.study(name(*x), *number, author.map(name), *year, title.map(name))
            }
            Op::Statement(id, (s, p, o), qualifiers) => b.statement(
                name(*id),
                (name(*s), name(*p), name(*o)),
                qualifiers
                    .iter()
                    .take(8)
                    .map(|(q, v)| (QUALIFIERS[usize::from(*q) % QUALIFIERS.len()], name(*v))),
            ),
        }
    }
    let _ = b.qualifier_values();
    (b.finish(), edges)
}

/// The nodes a path visits, in order; panics unless its hops connect.
fn walk(p: &Projection, path: &Path) -> Vec<NodeIndex<u32>> {
    let mut nodes = vec![path.start];
    for step in &path.steps {
        let (a, b) = p
            .graph
            .edge_endpoints(step.edge)
            .expect("a step on an edge of the graph");
        let (near, far) = if step.forward { (a, b) } else { (b, a) };
        assert_eq!(Some(&near), nodes.last(), "a hop that does not connect");
        nodes.push(far);
    }
    nodes
}

/// Checks a path: from `from`, to a node `to` accepts, simple, within `max_hops`.
fn check(
    p: &Projection,
    path: &Path,
    from: NodeIndex<u32>,
    to: impl Fn(NodeIndex<u32>) -> bool,
    options: &Options,
) {
    let nodes = walk(p, path);
    assert_eq!(path.start, from, "a path that starts elsewhere");
    assert!(!path.steps.is_empty(), "an empty path");
    assert!(
        path.steps.len() <= options.max_hops,
        "a path longer than max_hops"
    );
    assert_eq!(path.end(p), *nodes.last().expect("a node"));
    assert!(to(path.end(p)), "a path that ends elsewhere");
    let distinct: HashSet<_> = nodes.iter().collect();
    assert_eq!(
        distinct.len(),
        nodes.len(),
        "a path that visits a node twice"
    );
}

fuzz_target!(|input: Input| {
    let (p, edges) = build(&input.ops);
    assert_eq!(
        p.edge_count(),
        edges.len(),
        "edges are the distinct triples added"
    );

    let sym = |x: u8| p.names.get(name(x));
    let filter = Filter {
        organisms: input.organism.map(|o| sym(o).into_iter().collect()),
        products: input.products.as_ref().map(|(cells, list)| ProductFilter {
            cells: *cells,
            products: list.iter().take(4).filter_map(|x| sym(*x)).collect(),
        }),
        study: input.study.and_then(sym),
    };
    let options = Options {
        max_hops: usize::from(input.max_hops % 6),
        paths: usize::from(input.paths % 8),
        undirected: input.undirected,
        filter,
        coherent: input.coherent,
        through_hubs: input.through_hubs,
    };

    let bytes = p.encode();
    let back = Projection::decode(&bytes).expect("a projection decodes from its own bytes");
    assert_eq!(
        (back.node_count(), back.edge_count(), back.statements.len()),
        (p.node_count(), p.edge_count(), p.statements.len()),
        "the decoded projection has other counts"
    );
    assert_eq!(
        back.encode().len(),
        bytes.len(),
        "the decoded projection encodes otherwise"
    );

    let (Some(from), Some(to)) = (p.node(name(input.from)), p.node(name(input.to))) else {
        return;
    };
    let found = paths(&p, from, to, &options);
    assert!(found.len() <= options.paths, "more paths than asked for");
    for path in &found {
        check(&p, path, from, |n| n == to, &options);
    }
    assert!(
        found
            .windows(2)
            .all(|w| w[0].steps.len() <= w[1].steps.len()),
        "paths not shortest first"
    );
    let again = paths(&back, from, to, &options);
    let steps = |found: &[Path]| found.iter().map(|x| x.steps.clone()).collect::<Vec<_>>();
    assert_eq!(
        steps(&again),
        steps(&found),
        "the decoded projection traces otherwise"
    );

    for path in reachable(&p, from, |n| n == to, &options) {
        check(&p, &path, from, |n| n == to, &options);
    }
    let columns: Vec<NodeIndex<u32>> = [to, from].into_iter().collect();
    let m = matrix(&p, &[from], &columns, &options);
    for (column, cell) in m.cells[0].iter().enumerate() {
        if let Some(path) = cell {
            check(&p, path, from, |n| n == columns[column], &options);
        }
    }
});
