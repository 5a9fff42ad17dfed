//! Diagram selections: which part of the graph a diagram shows (the pathway figure, an
//! entity's neighbourhood, trace paths, a query's triples), built as a [`Diagram`] ready for
//! [`crate::render::to_dot`]. Running Graphviz is [`crate::graphviz`]'s business.

use super::trace::{TraceReport, TraceRequest};
use super::{sym_of, Engine};
use crate::error::{Error, Result};
use crate::evidence;
use crate::graph::{Projection, Sym};
use crate::query::QueryText;
use crate::render::{self, Arrow, Box_, Diagram, Kind};
use crate::report::{PathReport, Reporter};
use crate::trace::{self, Filter};
use crate::vocab::{REF, SR};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::Serialize;
use std::collections::HashSet;

/// Which diagram to draw.
#[derive(Debug, Clone)]
pub enum DiagramRequest {
    /// The review's Figure 1 computed from the graph: how a cell type acts.
    Pathway(PathwayRequest),
    /// An entity and what lies within `depth` hops of it.
    Neighbourhood { entity: String, depth: usize },
    /// The ranked paths of a trace.
    Trace(TraceRequest),
    /// The triples of a CONSTRUCT, or a SELECT's ?s ?p ?o rows.
    Query(QueryText),
}

/// The pathway diagram's narrowing.
#[derive(Debug, Clone, Default)]
pub struct PathwayRequest {
    /// The cell type (hPSC-MSC when None).
    pub cell: Option<String>,
    /// Keep what was observed in this disease or one of its models.
    pub disease: Option<String>,
    /// Keep what lies upstream of this effect.
    pub effect: Option<String>,
    /// Organisms (IRIs) the evidence must come from.
    pub organisms: Vec<String>,
    /// Every statement, not only those the review reports in Figure 1.
    pub all: bool,
}

/// A diagram and how names were understood.
#[derive(Debug, Clone, Serialize)]
pub struct DiagramReport {
    pub diagram: Diagram,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Engine {
    /// Builds the diagram a request selects; `NothingFound` when it would be empty,
    /// `TooLarge` when it has more than `max_nodes` nodes.
    pub fn diagram(&self, request: &DiagramRequest, max_nodes: usize) -> Result<DiagramReport> {
        Ok(self.diagram_and_paths(request, max_nodes)?.0)
    }

    /// [`Engine::diagram`], with a trace diagram's ranked paths (none for other diagrams).
    pub(super) fn diagram_and_paths(
        &self,
        request: &DiagramRequest,
        max_nodes: usize,
    ) -> Result<(DiagramReport, Vec<PathReport>)> {
        let mut notes = Vec::new();
        let mut paths = Vec::new();
        let diagram = match request {
            DiagramRequest::Pathway(pathway) => self.pathway(pathway, &mut notes)?,
            DiagramRequest::Neighbourhood { entity, depth } => {
                let p = self.neighbourhood_projection(entity, *depth, &mut notes)?;
                let center = self.node(&p, entity, "center", "draw", &mut notes)?;
                let (nodes, edges) = render::neighbourhood(&p, center, *depth);
                check_size(nodes.len(), max_nodes, "lower --depth")?;
                let title = format!("{} and its neighbours", p.node_label(center));
                let reporter = Reporter {
                    projection: &p,
                    prefixes: self.prefixes(),
                };
                render::from_edges(&title, &reporter, edges, &Filter::default(), false)
            }
            DiagramRequest::Trace(request) => {
                let (report, diagram) = self.trace_drawn(request)?;
                notes.extend(report.notes);
                paths = report.paths;
                diagram
            }
            DiagramRequest::Query(text) => self.query_diagram(text)?,
        };
        check_size(diagram.nodes.len(), max_nodes, "narrow it with filters")?;
        if diagram.nodes.is_empty() {
            return Err(Error::NothingFound(
                "nothing to draw: the selection has no relations".into(),
            ));
        }
        Ok((DiagramReport { diagram, notes }, paths))
    }

    /// A trace's report and the diagram of its paths, drawn from the projection they were
    /// found in (for a front end that shows both, such as the explorer's trace page).
    pub fn trace_drawn(&self, request: &TraceRequest) -> Result<(TraceReport, Diagram)> {
        let (report, p) = self.traced(request)?;
        let title = match (&report.from, &report.to) {
            (Some(from), Some(to)) => format!(
                "{} → {}: {} path(s)",
                from.label,
                to.label,
                report.paths.len()
            ),
            _ => format!("{} paths", report.paths.len()),
        };
        let diagram = render::from_paths(&title, &report.paths, &p);
        Ok((report, diagram))
    }

    fn pathway(&self, request: &PathwayRequest, notes: &mut Vec<String>) -> Result<Diagram> {
        let p = self.projection(&Default::default())?;
        let cell = match &request.cell {
            Some(cell) => self.resolve_noted(cell, notes)?.into_string(),
            None => format!("{SR}hPSC-MSC"),
        };
        let filter = self.filter(
            &p,
            &super::trace::EvidenceFilter {
                organisms: request.organisms.clone(),
                ..Default::default()
            },
            notes,
        )?;
        let disease = match &request.disease {
            Some(d) => {
                let disease = self.resolve_noted(d, notes)?;
                let mut models = vec![disease.as_str().to_owned()];
                for row in self.db().select(
                    "SELECT ?m ?disease WHERE { ?m st:modelOf ?disease }",
                    &[("disease", &Term::NamedNode(disease.clone()))],
                )? {
                    if let Some(Term::NamedNode(m)) = &row[0] {
                        models.push(m.as_str().to_owned());
                    }
                }
                Some(models.iter().filter_map(|m| p.names.get(m)).collect())
            }
            None => None,
        };
        let effect = match &request.effect {
            Some(effect) => Some(self.node(&p, effect, "effect", "draw", notes)?),
            None => None,
        };
        let focus = Focus { disease, effect };
        let cell = sym_of(&p, &cell, &cell, "cell")?;
        let edges = pathway_edges(&p, cell, &filter, request.all, &focus);
        let title = format!(
            "How {} act (Liu 2021{}; reference numbers on edges)",
            p.label(cell),
            if request.all { "" } else { ", Figure 1" }
        );
        let reporter = Reporter {
            projection: &p,
            prefixes: self.prefixes(),
        };
        let mut diagram =
            render::from_edges(&title, &reporter, edges.iter().copied(), &filter, true);
        add_disease_models(&mut diagram, &reporter, &edges, &filter);
        Ok(diagram)
    }

    /// A diagram of a CONSTRUCT's triples or a SELECT's ?s ?p ?o rows.
    fn query_diagram(&self, text: &QueryText) -> Result<Diagram> {
        let p = self.projection(&Default::default())?;
        let mut triples: Vec<(Term, Term, Term)> = Vec::new();
        match self.query(text)? {
            QueryResults::Graph(iter) => {
                for triple in iter {
                    let t = triple?;
                    triples.push((t.subject.into(), t.predicate.into(), t.object));
                }
            }
            QueryResults::Solutions(solutions) => {
                for solution in solutions {
                    let solution = solution?;
                    if let (Some(s), Some(pr), Some(o)) =
                        (solution.get("s"), solution.get("p"), solution.get("o"))
                    {
                        triples.push((s.clone(), pr.clone(), o.clone()));
                    }
                }
                if triples.is_empty() {
                    return Err(Error::Usage(
                        "render query needs a CONSTRUCT, or a SELECT with ?s ?p ?o".into(),
                    ));
                }
            }
            QueryResults::Boolean(_) => {
                return Err(Error::Usage(
                    "render query cannot draw an ASK answer".into(),
                ))
            }
        }
        let index = self.index()?;
        let prefixes = self.prefixes();
        let named = |term: &Term| {
            let label = match term {
                Term::NamedNode(n) => index.label(n),
                _ => None,
            };
            evidence::resource(term, label, prefixes)
        };
        let mut diagram = Diagram {
            title: text.origin.clone(),
            ..Diagram::default()
        };
        for (s, pr, o) in &triples {
            for term in [s, o] {
                let kind = match term {
                    Term::NamedNode(n) => p
                        .node(n.as_str())
                        .map_or(Kind::Other, |n| render::kind_of(&p, n)),
                    _ => Kind::Other,
                };
                diagram.add_node(Box_ {
                    iri: evidence::term_iri(term),
                    label: named(term).label,
                    kind,
                    rank: None,
                });
            }
            let polarity = match pr {
                Term::NamedNode(n) => p.names.get(n.as_str()).and_then(|s| p.polarity(s)),
                _ => None,
            };
            diagram.add_arrow(Arrow {
                from: evidence::term_iri(s),
                to: evidence::term_iri(o),
                relation: named(pr).label,
                polarity,
                references: String::new(),
                context_change: false,
                evidence: Vec::new(),
            });
        }
        Ok(diagram)
    }
}

fn check_size(nodes: usize, max: usize, hint: &str) -> Result<()> {
    if nodes > max {
        return Err(Error::TooLarge {
            nodes,
            max,
            hint: hint.to_owned(),
        });
    }
    Ok(())
}

/// What the pathway diagram is narrowed to.
struct Focus {
    /// The disease and its models.
    disease: Option<Vec<Sym>>,
    /// An effect whose upstream mechanism is kept.
    effect: Option<NodeIndex<u32>>,
}

/// The edges of the pathway diagram: statements (reported in Figure 1 unless `all`) about the
/// chosen cell type, its subtypes or its supertypes, passing the evidence filter, narrowed to
/// a disease (what was observed in it) or an effect (what lies upstream of it).
fn pathway_edges(
    p: &Projection,
    cell: Sym,
    filter: &Filter,
    all: bool,
    focus: &Focus,
) -> Vec<EdgeIndex<u32>> {
    let figure = p.names.get(&format!("{REF}review-figure1"));
    // The cell type, its subtypes, and the broader types whose claims it inherits (MSC).
    let is_cell = |s: Sym| p.is_subclass_of(s, cell) || p.is_subclass_of(cell, s);
    let ends = |edge: EdgeIndex<u32>| p.graph.edge_endpoints(edge).expect("an edge of p");
    let mut edges: Vec<_> = p
        .graph
        .edge_indices()
        .filter(|edge| {
            let (subject, _) = ends(*edge);
            p.evidence(*edge).any(|st| {
                (all || figure.is_some_and(|f| st.parts.contains(&f)))
                    && trace::passes(st, filter)
                    && (is_cell(p.graph[subject]) || st.cell_types.iter().any(|c| is_cell(*c)))
            })
        })
        .collect();
    if let Some(models) = &focus.disease {
        // Keep what was observed in the disease or one of its models, or points at it.
        edges.retain(|edge| {
            let (_, object) = ends(*edge);
            models.contains(&p.graph[object])
                || p.evidence(*edge).any(|st| {
                    trace::passes(st, filter)
                        && st.disease_models.iter().any(|m| models.contains(m))
                })
        });
    }
    if let Some(effect) = focus.effect {
        // Keep the edges upstream of the effect: those from which it can be reached.
        let mut upstream: HashSet<NodeIndex<u32>> = HashSet::from([effect]);
        loop {
            let before = upstream.len();
            for edge in &edges {
                let (a, b) = ends(*edge);
                if upstream.contains(&b) {
                    upstream.insert(a);
                }
            }
            if upstream.len() == before {
                break;
            }
        }
        edges.retain(|edge| {
            let (a, b) = ends(*edge);
            upstream.contains(&a) && upstream.contains(&b)
        });
    }
    edges
}

/// The diseases layer of the pathway diagram: each effect links to the disease models in which
/// the statements behind it were observed ("shown in"), with their references.
fn add_disease_models(
    diagram: &mut Diagram,
    reporter: &Reporter<'_>,
    edges: &[EdgeIndex<u32>],
    filter: &Filter,
) {
    let p = reporter.projection;
    for edge in edges {
        let (_, object) = p.graph.edge_endpoints(*edge).expect("an edge of p");
        if !matches!(render::kind_of(p, object), Kind::Effect | Kind::Process) {
            continue;
        }
        for statement in p.evidence(*edge).filter(|s| trace::passes(s, filter)) {
            for model in &statement.disease_models {
                let model = reporter.resource(*model);
                diagram.add_node(Box_ {
                    iri: model.iri.clone(),
                    label: model.label,
                    kind: Kind::Disease,
                    rank: Some(Kind::Disease.layer()),
                });
                let references = statement
                    .studies
                    .iter()
                    .map(|s| reporter.citation(*s).text())
                    .collect::<Vec<_>>()
                    .join(" | ");
                diagram.add_arrow(Arrow {
                    from: p.iri(object).to_owned(),
                    to: model.iri,
                    relation: "shown in".to_owned(),
                    polarity: None,
                    references,
                    context_change: false,
                    evidence: vec![reporter.evidence(statement)],
                });
            }
        }
    }
}
