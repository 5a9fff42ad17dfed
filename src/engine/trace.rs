//! Tracing requests: names resolved, the projection taken from the engine, paths found and
//! ranked by [`crate::trace`], and reported with the evidence of every hop.

use super::ends::Ends;
use super::{sym_of, Engine};
use crate::error::{Error, Result};
use crate::evidence::Resource;
use crate::graph::{self, EdgeSelection, Fetched, Projection, Region, Sym};
use crate::report::{MatrixReport, PathReport, Reporter};
use crate::trace::{self, Filter, Options, ProductFilter};
use crate::vocab::{REF, ST};
use oxigraph::model::Term;
use petgraph::graph::NodeIndex;
use serde::Serialize;
use std::sync::Arc;

/// Which statements count as evidence, as a person names them.
#[derive(Debug, Clone, Default)]
pub struct EvidenceFilter {
    /// Organisms (IRIs): keep statements observed in one of them.
    pub organisms: Vec<String>,
    /// Products (IRIs; None for the cells themselves): keep statements about one of them.
    pub products: Vec<Option<String>>,
    /// A study, by reference number, IRI, CURIE or name.
    pub study: Option<String>,
}

/// Where a trace starts and ends, and how it walks.
#[derive(Debug, Clone)]
pub struct TraceRequest {
    pub from: Option<String>,
    pub to: Option<String>,
    /// Start from every node of this class instead of FROM.
    pub from_class: Option<String>,
    /// Without TO: the best path to every node of this class (therapeutic effects by default).
    pub to_class: Option<String>,
    pub max_hops: usize,
    pub paths: usize,
    pub undirected: bool,
    /// Relations to walk (only these) and to avoid, by IRI, CURIE or label.
    pub via: Vec<String>,
    pub avoid: Vec<String>,
    pub filter: EvidenceFilter,
    /// Keep only paths on one study or one disease model (the matrix counts only those).
    pub coherent: bool,
    /// Let undirected walks pass through hubs (`st:hub true`).
    pub through_hubs: bool,
    /// Also walk the comparative relations (higher in, lower in, similar in).
    pub comparisons: bool,
}

impl Default for TraceRequest {
    fn default() -> Self {
        let options = Options::default();
        Self {
            from: None,
            to: None,
            from_class: None,
            to_class: None,
            max_hops: options.max_hops,
            paths: options.paths,
            undirected: options.undirected,
            via: Vec::new(),
            avoid: Vec::new(),
            filter: EvidenceFilter::default(),
            coherent: options.coherent,
            through_hubs: options.through_hubs,
            comparisons: false,
        }
    }
}

/// Ranked paths with the evidence of every hop (the schema README documents).
#[derive(Debug, Clone, Serialize)]
pub struct TraceReport {
    pub from: Option<Resource>,
    pub to: Option<Resource>,
    pub to_class: Option<Resource>,
    pub max_hops: usize,
    pub directed: bool,
    /// True when only coherent paths were kept (`--coherent`).
    pub coherent_only: bool,
    pub paths: Vec<PathReport>,
    /// How names were understood, when a name was only the start of an entity's names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What reading only the part of the graph the trace can use cost (remote endpoints).
    #[serde(skip)]
    pub fetched: Option<Fetched>,
    /// How long the path search took on the projection, in seconds (for `--verbose` and the
    /// benchmarks: the trace itself, without opening the graph or obtaining the projection).
    #[serde(skip)]
    pub searched: f64,
}

/// The matrix: every node of one class (factors by default) against every node of another
/// (therapeutic effects by default), walking as a trace does.
#[derive(Debug, Clone)]
pub struct MatrixRequest {
    pub from_class: Option<String>,
    pub to_class: Option<String>,
    pub trace: TraceRequest,
}

/// What TO names, and the nodes paths to it may end at.
struct Target {
    iri: String,
    nodes: Vec<NodeIndex<u32>>,
}

/// A trace resolved against one projection: the parts every trace needs.
pub(super) struct Resolved {
    pub projection: Arc<Projection>,
    pub options: Options,
    pub notes: Vec<String>,
    /// Set when only the part of the graph around the ends was read.
    pub fetched: Option<Fetched>,
    /// When read around one start and one end: the region, and the length of the walks whose
    /// evidence the projection holds so far.
    pub region: Option<(Region, usize)>,
}

/// The ends of a trace found in a projection, and the paths between them.
struct Found {
    to_class: Option<Sym>,
    starts: Vec<NodeIndex<u32>>,
    target: Option<Target>,
    paths: Vec<trace::Path>,
    /// Seconds the path search itself took.
    searched: f64,
}

impl Engine {
    /// Ranked paths from FROM (or every node of a class) to TO (or the best path to every node
    /// of a class); `NothingFound` when there is none within the hops.
    pub fn trace(&self, request: &TraceRequest) -> Result<TraceReport> {
        Ok(self.traced(request)?.0)
    }

    /// A trace's report with the projection its paths were found in (a diagram of the paths
    /// draws their nodes from the same graph).
    pub(super) fn traced(&self, request: &TraceRequest) -> Result<(TraceReport, Arc<Projection>)> {
        let Resolved {
            mut projection,
            mut options,
            mut notes,
            mut fetched,
            region,
        } = self.resolve_trace(
            request,
            &Ends {
                from: request.from.as_deref(),
                from_class: request.from_class.as_deref(),
                to: request.to.as_deref(),
                to_class: request.to_class.as_deref(),
                to_members: false,
            },
        )?;
        // Around one start and one end, the projection may hold only the shortest walks: search
        // it for paths of that length only (undirected, its edges could join into longer paths
        // that are not the best of their length).
        if let Some((_, within)) = &region {
            options.max_hops = *within;
        }
        let mut found = self.find_paths(&projection, request, &options, &mut notes)?;
        let mut searched = found.searched;
        options.max_hops = request.max_hops;
        // Read around one start and one end, the projection first holds the evidence of the
        // shortest walks only. Paths are found shortest first, length by length, so when
        // those give as many as asked for, they are the answer the whole graph gives; else
        // the evidence of every walk within --max-hops is read (at once: each read repeats
        // the types, labels and evidence of the shorter walks) and the search runs again.
        if let Some((region, within)) = region {
            let one_pair = found.starts.len() == 1
                && found.target.as_ref().is_some_and(|t| t.nodes.len() == 1);
            if one_pair && found.paths.len() < request.paths && within < request.max_hops {
                let (wider, read) = region.projection(self.db(), request.max_hops)?;
                projection = Arc::new(wider);
                fetched = Some(read);
                options.filter = self.filter(&projection, &request.filter, &mut notes)?;
                found = self.find_paths(&projection, request, &options, &mut notes)?;
                searched += found.searched;
            }
        }
        let p = &*projection;
        let Found {
            to_class,
            starts,
            target,
            paths: mut found,
            ..
        } = found;
        if starts.len() > 1 || target.as_ref().is_some_and(|t| t.nodes.len() > 1) {
            trace::rank(p, &mut found);
        }
        if found.len() > request.paths {
            notes.push(format!(
                "showing the best {} of {} paths (ask for {} paths to see them all)",
                request.paths,
                found.len(),
                found.len()
            ));
            found.truncate(request.paths);
        }
        dedup(&mut notes);
        if found.is_empty() {
            let what = match (&request.to, to_class) {
                (Some(to), _) => format!("'{to}'"),
                (None, Some(c)) => format!("any {}", p.label(c)),
                (None, None) => "anything".to_owned(),
            };
            let coherent = if request.coherent { "coherent " } else { "" };
            return Err(Error::NothingFound(format!(
                "no {coherent}path to {what} within {} hops (try --max-hops, --undirected or fewer filters)",
                request.max_hops
            )));
        }
        let reporter = Reporter {
            projection: p,
            prefixes: self.prefixes(),
        };
        let describe = |n: Option<NodeIndex<u32>>| n.map(|n| reporter.resource(p.graph[n]));
        let report = TraceReport {
            from: if request.from_class.is_some() {
                None
            } else {
                describe(starts.first().copied())
            },
            to: target.as_ref().map(|t| match p.names.get(t.iri.as_str()) {
                Some(sym) => reporter.resource(sym),
                None => Resource::named(t.iri.as_str(), None, self.prefixes()),
            }),
            to_class: if target.is_none() {
                to_class.map(|c| reporter.resource(c))
            } else {
                None
            },
            max_hops: request.max_hops,
            directed: !request.undirected,
            coherent_only: request.coherent,
            paths: found
                .iter()
                .enumerate()
                .map(|(i, path)| reporter.path(i + 1, path, &options.filter))
                .collect(),
            notes,
            fetched,
            searched,
        };
        Ok((report, projection))
    }

    /// The ends of a trace in a projection and the paths between them.
    fn find_paths(
        &self,
        p: &Projection,
        request: &TraceRequest,
        options: &Options,
        notes: &mut Vec<String>,
    ) -> Result<Found> {
        let to_class = match &request.to_class {
            Some(class) => Some(self.sym(p, class, "class", notes)?),
            None => p.names.get(&format!("{ST}TherapeuticEffect")),
        };
        let starts = match (&request.from, &request.from_class) {
            (Some(from), None) => vec![self.node(p, from, "start", "trace", notes)?],
            (None, Some(class)) => class_nodes(p, self.sym(p, class, "class", notes)?),
            (Some(_), Some(_)) => {
                return Err(Error::Usage("give FROM or --from-class, not both".into()))
            }
            (None, None) => {
                return Err(Error::Usage(
                    "trace needs FROM (or --from-class, or --matrix)".into(),
                ))
            }
        };
        let target = match &request.to {
            Some(to) => Some(self.targets(p, to, notes)?),
            None => None,
        };
        let search = std::time::Instant::now();
        let mut found = Vec::new();
        for start in &starts {
            match &target {
                Some(target) => {
                    for to in &target.nodes {
                        found.extend(trace::paths(p, *start, *to, options));
                    }
                }
                None => found.extend(trace::reachable(
                    p,
                    *start,
                    |n| to_class.is_none_or(|c| p.is_instance(n, c)),
                    options,
                )),
            }
        }
        Ok(Found {
            to_class,
            starts,
            target,
            paths: found,
            searched: search.elapsed().as_secs_f64(),
        })
    }

    /// For each node of the row class, the best path to each node of the column class: the
    /// number of distinct studies on it.
    pub fn matrix(&self, request: &MatrixRequest) -> Result<MatrixReport> {
        let Resolved {
            projection,
            options,
            mut notes,
            ..
        } = self.resolve_trace(
            &request.trace,
            &Ends {
                from: None,
                from_class: Some(request.from_class.as_deref().unwrap_or("st:Factor")),
                to: None,
                to_class: Some(
                    request
                        .to_class
                        .as_deref()
                        .unwrap_or("st:TherapeuticEffect"),
                ),
                to_members: true,
            },
        )?;
        let p = &*projection;
        let from_class = match &request.from_class {
            Some(class) => self.sym(p, class, "class", &mut notes)?,
            None => p.names.get(&format!("{ST}Factor")).ok_or_else(|| {
                Error::Usage("this graph has no st:Factor class: name --from-class".into())
            })?,
        };
        let to_class = match &request.to_class {
            Some(class) => self.sym(p, class, "class", &mut notes)?,
            None => p
                .names
                .get(&format!("{ST}TherapeuticEffect"))
                .ok_or_else(|| Error::Usage("name --to-class for the matrix columns".into()))?,
        };
        let matrix = trace::matrix(
            p,
            &class_nodes(p, from_class),
            &class_nodes(p, to_class),
            &options,
        );
        let reporter = Reporter {
            projection: p,
            prefixes: self.prefixes(),
        };
        let mut report = reporter.matrix(&matrix);
        report.coherent_only = request.trace.coherent;
        dedup(&mut notes);
        report.notes = notes;
        Ok(report)
    }

    /// Where paths to what `text` names may end: its node, and for a condition (a disease, or
    /// a disease model standing for one) the review's outcomes for it, so that tracing to
    /// "collagen-induced arthritis" reaches "amelioration of arthritis".
    fn targets(&self, p: &Projection, text: &str, notes: &mut Vec<String>) -> Result<Target> {
        let (iri, outcomes) = self.target_iris(text, notes)?;
        let mut nodes: Vec<NodeIndex<u32>> = p.node(iri.as_str()).into_iter().collect();
        let mut outcomes: Vec<NodeIndex<u32>> = outcomes.iter().filter_map(|o| p.node(o)).collect();
        outcomes.sort_by(|a, b| p.node_label(*a).cmp(p.node_label(*b)));
        if !outcomes.is_empty() {
            let labels: Vec<&str> = outcomes.iter().map(|o| p.node_label(*o)).collect();
            notes.push(format!(
                "'{text}' is a condition: tracing to it and to its outcomes ({})",
                labels.join(", ")
            ));
            nodes.extend(outcomes);
        }
        if nodes.is_empty() {
            return Err(Error::UnknownEntity(format!(
                "'{text}' has no relations to trace"
            )));
        }
        Ok(Target { iri, nodes })
    }

    /// What TO names, and the outcomes of it when it is a condition, as IRIs.
    pub(super) fn target_iris(
        &self,
        text: &str,
        notes: &mut Vec<String>,
    ) -> Result<(String, Vec<String>)> {
        let iri = self.resolve_noted(text, notes)?;
        let outcomes = self
            .db()
            .select(
                "SELECT DISTINCT ?outcome ?x WHERE {
                   { ?outcome st:outcomeFor ?x } UNION { ?x st:modelOf ?d . ?outcome st:outcomeFor ?d }
                 }",
                &[("x", &Term::NamedNode(iri.clone()))],
            )?
            .into_iter()
            .filter_map(|row| match &row[0] {
                Some(Term::NamedNode(outcome)) => Some(outcome.as_str().to_owned()),
                _ => None,
            })
            .collect();
        Ok((iri.into_string(), outcomes))
    }

    /// The projection a trace walks and its options, with the evidence filter resolved: the
    /// whole graph's (built once), or, when the engine reads around the ends, the part of the
    /// graph walks between `ends` can use.
    pub(super) fn resolve_trace(
        &self,
        request: &TraceRequest,
        ends: &Ends<'_>,
    ) -> Result<Resolved> {
        let mut notes = Vec::new();
        let selection = EdgeSelection {
            via: request
                .via
                .iter()
                .map(|p| self.predicate(p, &mut notes))
                .collect::<Result<_>>()?,
            avoid: request
                .avoid
                .iter()
                .map(|p| self.predicate(p, &mut notes))
                .collect::<Result<_>>()?,
            comparisons: request.comparisons,
        };
        let (projection, fetched, region) = if self.reads_around() {
            let around = self.around(request, ends, &mut notes)?;
            let one_pair =
                around.starts.len() == 1 && around.targets.as_ref().is_some_and(|t| t.len() == 1);
            let region = graph::read_region(self.db(), &selection, &around)?;
            // One start and one end: the shortest walks' evidence first (see `traced`).
            let within = match region.shortest() {
                Some(shortest) if one_pair => shortest,
                _ => request.max_hops,
            };
            let (projection, fetched) = region.projection(self.db(), within)?;
            (Arc::new(projection), Some(fetched), Some((region, within)))
        } else {
            (self.projection(&selection)?, None, None)
        };
        let filter = self.filter(&projection, &request.filter, &mut notes)?;
        Ok(Resolved {
            options: Options {
                max_hops: request.max_hops,
                paths: request.paths,
                undirected: request.undirected,
                filter,
                coherent: request.coherent,
                through_hubs: request.through_hubs,
            },
            projection,
            notes,
            fetched,
            region,
        })
    }

    /// The evidence filter on a projection's symbols.
    pub(super) fn filter(
        &self,
        p: &Projection,
        request: &EvidenceFilter,
        notes: &mut Vec<String>,
    ) -> Result<Filter> {
        let mut filter = Filter::default();
        if !request.organisms.is_empty() {
            filter.organisms = Some(
                request
                    .organisms
                    .iter()
                    .map(|iri| sym_of(p, iri, &self.prefixes().curie(iri), "organism"))
                    .collect::<Result<_>>()?,
            );
        }
        if !request.products.is_empty() {
            let mut products = ProductFilter::default();
            for product in &request.products {
                match product {
                    None => products.cells = true,
                    Some(iri) => products.products.push(sym_of(
                        p,
                        iri,
                        &self.prefixes().curie(iri),
                        "product",
                    )?),
                }
            }
            filter.products = Some(products);
        }
        if let Some(study) = &request.study {
            filter.study = Some(self.sym(p, &study_name(study), "study", notes)?);
        }
        Ok(filter)
    }

    /// The projection symbol of what `text` names.
    pub(super) fn sym(
        &self,
        p: &Projection,
        text: &str,
        role: &str,
        notes: &mut Vec<String>,
    ) -> Result<Sym> {
        let iri = self.resolve_noted(text, notes)?;
        sym_of(p, iri.as_str(), text, role)
    }

    /// The projection node of what `text` names, or an error saying it has no relations to
    /// `verb` (trace, draw).
    pub(super) fn node(
        &self,
        p: &Projection,
        text: &str,
        role: &str,
        verb: &str,
        notes: &mut Vec<String>,
    ) -> Result<NodeIndex<u32>> {
        let sym = self.sym(p, text, role, notes)?;
        p.node(p.names.resolve(sym))
            .ok_or_else(|| Error::UnknownEntity(format!("'{text}' has no relations to {verb}")))
    }
}

/// A study as named by `--study`: a reference number, or any name of it.
pub(super) fn study_name(study: &str) -> String {
    if study.chars().all(|c| c.is_ascii_digit()) {
        format!("{REF}{study}")
    } else {
        study.to_owned()
    }
}

/// Drops repeated notes, keeping the first of each (names resolved twice, once to read around
/// them and once in the projection, note the same thing twice).
fn dedup(notes: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    notes.retain(|n| seen.insert(n.clone()));
}

/// The nodes of a class (and its subclasses), by label.
pub(super) fn class_nodes(p: &Projection, class: Sym) -> Vec<NodeIndex<u32>> {
    let mut nodes: Vec<_> = p
        .graph
        .node_indices()
        .filter(|n| p.is_instance(*n, class))
        .collect();
    nodes.sort_by(|a, b| p.node_label(*a).cmp(p.node_label(*b)));
    nodes
}
