//! Tracing: ranked paths between resources of a [`Projection`], the best path from one resource
//! to every resource of a class, and the factor × effect matrix. Pure functions of the
//! projection: no I/O, no printing.
//!
//! Paths are simple, at most `max_hops` long, ranked shortest first, then by coherence (hops on
//! one study, then on one disease model, then mixed), then by the number of distinct studies
//! behind their hops. An evidence filter keeps a hop only when a statement satisfying it
//! supports the hop (on data without statements, only an empty filter passes). Undirected walks
//! do not pass through hubs (`st:hub true`) unless asked.

use crate::graph::{Projection, Sym};
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::collections::{BTreeSet, HashMap};

mod coherence;
mod evidence;
pub use coherence::{Coherence, Level};
pub use evidence::{passes, support, Filter, ProductFilter, Support};

type Node = NodeIndex<u32>;
type EdgeId = EdgeIndex<u32>;

/// How to search.
#[derive(Debug, Clone)]
pub struct Options {
    pub max_hops: usize,
    pub paths: usize,
    pub undirected: bool,
    pub filter: Filter,
    /// Keep only paths whose hops rest on one study or one disease model.
    pub coherent: bool,
    /// Let undirected walks pass through hubs.
    pub through_hubs: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_hops: 4,
            paths: 10,
            undirected: false,
            filter: Filter::default(),
            coherent: false,
            through_hubs: false,
        }
    }
}

/// One hop of a path: an edge, walked along its direction (`forward`) or against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub edge: EdgeId,
    pub forward: bool,
}

/// A path, the distinct studies supporting its hops and how well they hold together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub start: Node,
    pub steps: Vec<Step>,
    pub studies: BTreeSet<Sym>,
    pub coherence: Coherence,
}

impl Path {
    /// The path of `steps` from `start`, with its evidence under the filter.
    pub fn new(p: &Projection, start: Node, steps: Vec<Step>, filter: &Filter) -> Self {
        let mut studies = BTreeSet::new();
        let mut coherence = Coherence::default();
        for step in &steps {
            let support = support(p, step.edge, filter).unwrap_or_default();
            studies.extend(support.sources.iter().copied());
            coherence = coherence.then(&support);
        }
        Self {
            start,
            steps,
            studies,
            coherence,
        }
    }

    pub fn end(&self, p: &Projection) -> Node {
        self.steps.last().map_or(self.start, |s| far_end(p, *s))
    }
}

fn far_end(p: &Projection, step: Step) -> Node {
    let (a, b) = p
        .graph
        .edge_endpoints(step.edge)
        .expect("edge of the graph");
    if step.forward {
        b
    } else {
        a
    }
}

/// True when a walk may not pass through `node`: an undirected walk, not through hubs, at a hub.
fn blocked(p: &Projection, node: Node, options: &Options) -> bool {
    options.undirected && !options.through_hubs && p.is_hub(node)
}

/// The usable steps out of `node` (into it, when `reverse`), with `forward` telling whether a
/// path from source to target walks the edge along its direction.
fn steps_from<'a>(
    p: &'a Projection,
    node: Node,
    options: &'a Options,
    reverse: bool,
) -> impl Iterator<Item = (Step, Node)> + 'a {
    let along = p.neighbours(node, reverse).map(|(edge, other)| {
        (
            Step {
                edge,
                forward: true,
            },
            other,
        )
    });
    let against = p
        .neighbours(node, !reverse)
        .filter(move |_| options.undirected)
        .map(|(edge, other)| {
            (
                Step {
                    edge,
                    forward: false,
                },
                other,
            )
        });
    along.chain(against).filter(move |(step, _)| {
        options.filter.is_empty() || support(p, step.edge, &options.filter).is_some()
    })
}

/// The most paths of one length collected before ranking; bounds work around hubs.
const PATHS_PER_LENGTH: usize = 50_000;

/// One end of a partial path: the node it reached, the step that reached it (None at the
/// start) and the partial path it extends (an index into the previous length's links).
#[derive(Debug, Clone, Copy)]
struct Link {
    node: Node,
    step: Option<Step>,
    parent: u32,
}

/// Simple partial paths from one end, by number of hops: `levels[n]` holds the ends of those of
/// n hops (`levels[0]` the start alone), each linked to the one it extends, so growing a path
/// by a hop copies nothing.
struct Half {
    levels: Vec<Vec<Link>>,
}

impl Half {
    fn new(start: Node) -> Self {
        Self {
            levels: vec![vec![Link {
                node: start,
                step: None,
                parent: 0,
            }]],
        }
    }

    /// The links of the partial path ending at `levels[level][at]`, from its end back to the
    /// start.
    fn chain(&self, level: usize, at: usize) -> impl Iterator<Item = &Link> + '_ {
        let mut next = Some((level, at));
        std::iter::from_fn(move || {
            let (level, at) = next?;
            let link = &self.levels[level][at];
            next = (level > 0).then(|| (level - 1, link.parent as usize));
            Some(link)
        })
    }

    /// Grows the partial paths by one hop (walking `reverse` from the end of a path back).
    fn grow(&mut self, p: &Projection, options: &Options, reverse: bool) {
        let length = self.levels.len();
        let mut next = Vec::new();
        for (at, link) in self.levels[length - 1].iter().enumerate() {
            if length > 1 && blocked(p, link.node, options) {
                continue;
            }
            for (step, other) in steps_from(p, link.node, options, reverse) {
                if self.chain(length - 1, at).any(|l| l.node == other) {
                    continue;
                }
                next.push(Link {
                    node: other,
                    step: Some(step),
                    parent: at as u32,
                });
            }
            if next.len() >= PATHS_PER_LENGTH {
                break;
            }
        }
        self.levels.push(next);
    }
}

/// Up to `options.paths` simple paths from `from` to `to`, shortest first, then by evidence.
///
/// Meet in the middle: simple partial paths grow forwards from `from` and backwards from `to`;
/// a path of length L is the join of a forward half of ⌈L/2⌉ hops and a backward half of
/// ⌊L/2⌋ hops at a shared node, so each path is found exactly once and only the neighbourhoods
/// of the two ends are explored. Halves grow one hop at a time, as the lengths tried need them:
/// when enough paths of length L are found, the longer halves (a hub's two-hop neighbourhood)
/// are never built.
pub fn paths(p: &Projection, from: Node, to: Node, options: &Options) -> Vec<Path> {
    if from == to || options.max_hops == 0 {
        return Vec::new();
    }
    let mut forward = Half::new(from);
    let mut backward = Half::new(to);
    let mut found: Vec<Path> = Vec::new();
    for length in 1..=options.max_hops {
        let (ahead, behind) = (length.div_ceil(2), length / 2);
        while forward.levels.len() <= ahead {
            forward.grow(p, options, false);
        }
        while backward.levels.len() <= behind {
            backward.grow(p, options, true);
        }
        let mut by_node: HashMap<Node, Vec<usize>> = HashMap::new();
        for (at, link) in backward.levels[behind].iter().enumerate() {
            by_node.entry(link.node).or_default().push(at);
        }
        let mut of_length = Vec::new();
        'join: for (head, link) in forward.levels[ahead].iter().enumerate() {
            let middle = link.node;
            if behind > 0 && blocked(p, middle, options) {
                continue;
            }
            for tail in by_node.get(&middle).into_iter().flatten() {
                // Simple: the halves share only the middle node.
                let disjoint = backward
                    .chain(behind, *tail)
                    .skip(1)
                    .all(|t| forward.chain(ahead, head).all(|h| h.node != t.node));
                if disjoint {
                    let mut steps: Vec<Step> =
                        forward.chain(ahead, head).filter_map(|l| l.step).collect();
                    steps.reverse();
                    steps.extend(backward.chain(behind, *tail).filter_map(|l| l.step));
                    of_length.push(steps);
                    if of_length.len() >= PATHS_PER_LENGTH {
                        break 'join;
                    }
                }
            }
        }
        let mut ranked: Vec<Path> = of_length
            .into_iter()
            .map(|steps| Path::new(p, from, steps, &options.filter))
            .filter(|path| !options.coherent || path.coherence.is_coherent())
            .collect();
        rank(p, &mut ranked);
        found.extend(ranked);
        if found.len() >= options.paths {
            break;
        }
    }
    found.truncate(options.paths);
    found
}

fn path_key<'a>(p: &'a Projection, path: &Path) -> Vec<&'a str> {
    let mut key = Vec::with_capacity(path.steps.len() * 2);
    for step in &path.steps {
        key.push(p.names.resolve(p.graph[step.edge].predicate));
        key.push(p.node_label(far_end(p, *step)));
    }
    key
}

/// How many partial paths [`reachable`] keeps at each node: the best by coherence and evidence.
const BEAM: usize = 6;

/// The best path from `from` to every node `wanted` accepts, within `options.max_hops`, ranked
/// as [`rank`] does; sorted the same way.
///
/// A beam search: each node keeps up to [`BEAM`] partial paths arriving at it (the best by
/// coherence, then evidence, among the shortest), and only those are extended, so a coherent
/// path is found even when a mixed one reaches the node first, and work stays bounded around
/// hubs.
pub fn reachable(
    p: &Projection,
    from: Node,
    wanted: impl Fn(Node) -> bool,
    options: &Options,
) -> Vec<Path> {
    let mut kept: HashMap<Node, Vec<Path>> = HashMap::new();
    let mut frontier = vec![Path {
        start: from,
        steps: Vec::new(),
        studies: BTreeSet::new(),
        coherence: Coherence::default(),
    }];
    for depth in 1..=options.max_hops {
        let mut arrivals: HashMap<Node, Vec<Path>> = HashMap::new();
        for partial in &frontier {
            let at = partial.end(p);
            if depth > 1 && blocked(p, at, options) {
                continue;
            }
            for (step, next) in steps_from(p, at, options, false) {
                if next == from || visits(p, partial, next) {
                    continue;
                }
                let support = support(p, step.edge, &options.filter).unwrap_or_default();
                let coherence = partial.coherence.then(&support);
                if options.coherent && !coherence.is_coherent() {
                    continue;
                }
                let mut steps = partial.steps.clone();
                steps.push(step);
                let mut studies = partial.studies.clone();
                studies.extend(support.sources);
                arrivals.entry(next).or_default().push(Path {
                    start: from,
                    steps,
                    studies,
                    coherence,
                });
            }
        }
        let mut nodes: Vec<Node> = arrivals.keys().copied().collect();
        nodes.sort();
        frontier = Vec::new();
        for node in nodes {
            let mut candidates = arrivals.remove(&node).unwrap_or_default();
            rank(p, &mut candidates);
            let here = kept.entry(node).or_default();
            candidates.truncate(BEAM.saturating_sub(here.len()));
            here.extend(candidates.iter().cloned());
            frontier.extend(candidates);
        }
    }
    let mut found: Vec<Path> = kept
        .into_iter()
        .filter(|(node, _)| wanted(*node))
        .filter_map(|(_, mut candidates)| {
            rank(p, &mut candidates);
            candidates.into_iter().next()
        })
        .collect();
    rank(p, &mut found);
    found
}

/// True when the path already passes through `node`.
fn visits(p: &Projection, path: &Path, node: Node) -> bool {
    path.start == node || path.steps.iter().any(|s| far_end(p, *s) == node)
}

/// Ranks paths: shortest first, then the most coherent (one study, then one disease model,
/// then mixed), then by the number of distinct studies behind their hops (most first), then by
/// where they start and what they walk through (by label), so equal paths always come in the
/// same order. The one ranking of every trace.
pub fn rank(p: &Projection, paths: &mut [Path]) {
    paths.sort_by_cached_key(|path| {
        (
            path.steps.len(),
            path.coherence.level(),
            std::cmp::Reverse(path.studies.len()),
            p.node_label(path.start),
            path_key(p, path),
        )
    });
}

/// Rows × columns: for each row node, the best path to each column node within max_hops.
pub struct Matrix {
    pub rows: Vec<Node>,
    pub columns: Vec<Node>,
    /// cells[row][column]: the best path, if any.
    pub cells: Vec<Vec<Option<Path>>>,
}

/// Which row nodes reach which column nodes, with the best path for each pair.
pub fn matrix(p: &Projection, rows: &[Node], columns: &[Node], options: &Options) -> Matrix {
    let index: HashMap<Node, usize> = columns.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let cells = rows
        .iter()
        .map(|row| {
            let mut line = vec![None; columns.len()];
            for path in reachable(p, *row, |n| index.contains_key(&n), options) {
                let end = path.end(p);
                line[index[&end]] = Some(path);
            }
            line
        })
        .collect();
    Matrix {
        rows: rows.to_vec(),
        columns: columns.to_vec(),
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Builder;

    const DERIVED: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";
    const ORGANISM: &str = "https://w3id.org/stroma/vocab#organism";

    fn diamond() -> Projection {
        // a → b → d (supported by two studies), a → c → d (one study), a → e → f → d
        let mut b = Builder::new();
        for (s, o) in [
            ("a", "b"),
            ("b", "d"),
            ("a", "c"),
            ("c", "d"),
            ("a", "e"),
            ("e", "f"),
            ("f", "d"),
        ] {
            b.edge(s, "p", o);
        }
        b.statement("s1", ("a", "b", "b"), []);
        b.statement(
            "s2",
            ("a", "p", "b"),
            [(DERIVED, "r1"), (ORGANISM, "mouse")],
        );
        b.statement(
            "s3",
            ("b", "p", "d"),
            [(DERIVED, "r2"), (ORGANISM, "mouse")],
        );
        b.statement("s4", ("a", "p", "c"), [(DERIVED, "r3"), (ORGANISM, "rat")]);
        b.finish()
    }

    fn ends(p: &Projection, path: &Path) -> Vec<String> {
        let mut nodes = vec![p.iri(path.start).to_owned()];
        nodes.extend(path.steps.iter().map(|s| p.iri(far_end(p, *s)).to_owned()));
        nodes
    }

    #[test]
    fn paths_are_ranked_by_length_then_evidence() {
        let p = diamond();
        let (a, d) = (p.node("a").unwrap(), p.node("d").unwrap());
        let found = paths(&p, a, d, &Options::default());
        let shapes: Vec<Vec<String>> = found.iter().map(|x| ends(&p, x)).collect();
        assert_eq!(
            shapes,
            [
                vec!["a", "b", "d"],
                vec!["a", "c", "d"],
                vec!["a", "e", "f", "d"]
            ]
        );
        assert_eq!(found[0].studies.len(), 2);
        let short = paths(
            &p,
            a,
            d,
            &Options {
                max_hops: 2,
                ..Options::default()
            },
        );
        assert_eq!(short.len(), 2);
        assert!(
            paths(&p, d, a, &Options::default()).is_empty(),
            "directed by default"
        );
        let undirected = Options {
            undirected: true,
            ..Options::default()
        };
        assert_eq!(paths(&p, d, a, &undirected).len(), 3);
    }

    #[test]
    fn a_filter_keeps_only_hops_with_matching_evidence() {
        let p = diamond();
        let (a, d) = (p.node("a").unwrap(), p.node("d").unwrap());
        let mouse = p.names.get("mouse").unwrap();
        let options = Options {
            filter: Filter {
                organisms: Some(vec![mouse]),
                ..Filter::default()
            },
            ..Options::default()
        };
        let found = paths(&p, a, d, &options);
        assert_eq!(
            found.iter().map(|x| ends(&p, x)).collect::<Vec<_>>(),
            [vec!["a", "b", "d"]]
        );
    }

    #[test]
    fn reachable_gives_the_best_path_to_each_wanted_node() {
        let p = diamond();
        let a = p.node("a").unwrap();
        let d = p.node("d").unwrap();
        let found = reachable(&p, a, |n| n == d, &Options::default());
        assert_eq!(found.len(), 1);
        assert_eq!(ends(&p, &found[0]), ["a", "b", "d"]);
    }

    #[test]
    fn undirected_walks_do_not_pass_through_hubs_unless_asked() {
        // a → hub ← c, and a → b ← c: undirected, a reaches c through b only.
        let mut b = Builder::new();
        for (s, o) in [("a", "hub"), ("c", "hub"), ("a", "b"), ("c", "b")] {
            b.edge(s, "p", o);
        }
        b.hub("hub");
        let p = b.finish();
        let (a, c) = (p.node("a").unwrap(), p.node("c").unwrap());
        let mut options = Options {
            undirected: true,
            ..Options::default()
        };
        let through: Vec<Vec<String>> = paths(&p, a, c, &options)
            .iter()
            .map(|x| ends(&p, x))
            .collect();
        assert_eq!(through, [vec!["a", "b", "c"]]);
        assert_eq!(
            reachable(&p, a, |n| n == c, &options)
                .iter()
                .map(|x| ends(&p, x))
                .collect::<Vec<_>>(),
            [vec!["a", "b", "c"]]
        );
        let hub = p.node("hub").unwrap();
        assert_eq!(paths(&p, a, hub, &options).len(), 2, "a hub can be an end");
        options.through_hubs = true;
        assert_eq!(paths(&p, a, c, &options).len(), 2);
    }

    #[test]
    fn reachable_prefers_a_coherent_path_among_equally_short_ones() {
        // a → b → d on studies r1 then r2; a → c → d on r3 twice: the second is coherent.
        let mut b = Builder::new();
        for (s, o) in [("a", "b"), ("b", "d"), ("a", "c"), ("c", "d")] {
            b.edge(s, "p", o);
        }
        for (id, s, o, r) in [
            ("s1", "a", "b", "r1"),
            ("s2", "b", "d", "r2"),
            ("s3", "a", "c", "r3"),
            ("s4", "c", "d", "r3"),
        ] {
            b.statement(id, (s, "p", o), [(DERIVED, r)]);
        }
        let p = b.finish();
        let (a, d) = (p.node("a").unwrap(), p.node("d").unwrap());
        let found = reachable(&p, a, |n| n == d, &Options::default());
        assert_eq!(ends(&p, &found[0]), ["a", "c", "d"]);
        assert_eq!(found[0].coherence.level(), Level::Study);
        let coherent = Options {
            coherent: true,
            ..Options::default()
        };
        let all = paths(&p, a, d, &coherent);
        assert_eq!(all.len(), 1, "only the coherent path is kept");
    }
}
