//! `stroma render`: builds a diagram (pathway, neighbourhood, trace, query), checks its size,
//! prints it as DOT or runs Graphviz's `dot` for SVG and PNG.

use super::{open, sym_of};
use crate::card::Labels;
use crate::cli::{Diagram as Which, DiagramFormat, RenderArgs, SourceArgs};
use crate::error::Error;
use crate::graph::{self, EdgeSelection, Projection};
use crate::query;
use crate::render::{self, Arrow, Box_, Diagram, Kind};
use crate::report::Reporter;
use crate::resolve::{self, Index};
use crate::trace::{self, Filter, Options};
use crate::vocab::REF;
use anyhow::{Context, Result};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

pub fn render(source: &SourceArgs, args: &RenderArgs, out: &mut dyn Write) -> Result<u8> {
    let format = output_format(args)?;
    let db = open(source)?;
    let index = Index::build(&db.store, &db.prefixes)?;
    let iri = |text: &str| -> Result<String> {
        let resolved = resolve::resolve(text, &index, &db.store, &db.prefixes)?;
        super::note(resolved.note.as_deref());
        Ok(resolved.iri.into_string())
    };
    let projection = graph::read_store(&db.store, &EdgeSelection::default())?;
    let reporter = Reporter {
        projection: &projection,
        prefixes: &db.prefixes,
    };
    let node = |text: &str| -> Result<_> {
        let iri = iri(text)?;
        projection.node(&iri).ok_or_else(|| {
            Error::UnknownEntity(format!("'{text}' has no relations to draw")).into()
        })
    };
    let diagram = match &args.diagram {
        Which::Pathway {
            cell,
            disease,
            effect,
            organism,
            all,
        } => {
            let cell = match cell {
                Some(cell) => iri(cell)?,
                None => format!("{}hPSC-MSC", crate::vocab::SR),
            };
            let mut filter = Filter::default();
            if !organism.is_empty() {
                filter.organisms = Some(
                    organism
                        .iter()
                        .map(|o| {
                            sym_of(
                                &projection,
                                &o.iri(),
                                &crate::cli::value_name(o),
                                "organism",
                            )
                        })
                        .collect::<Result<_>>()?,
                );
            }
            let disease = match disease {
                Some(d) => {
                    let disease_iri = iri(d)?;
                    let mut models = vec![disease_iri.clone()];
                    let disease = Term::NamedNode(oxigraph::model::NamedNode::new_unchecked(
                        disease_iri.as_str(),
                    ));
                    for row in query::select_bound(
                        &db.store,
                        &db.prefixes,
                        "SELECT ?m ?disease WHERE { ?m st:modelOf ?disease }",
                        &[("disease", &disease)],
                    )? {
                        if let Some(Term::NamedNode(m)) = &row[0] {
                            models.push(m.as_str().to_owned());
                        }
                    }
                    Some(
                        models
                            .iter()
                            .filter_map(|m| projection.names.get(m))
                            .collect(),
                    )
                }
                None => None,
            };
            let effect = effect.as_deref().map(node).transpose()?;
            let focus = Focus { disease, effect };
            let edges = pathway_edges(&projection, &cell, &filter, *all, &focus)?;
            let title = format!(
                "How {} act (Liu 2021{}; reference numbers on edges)",
                projection.label(sym_of(&projection, &cell, &cell, "cell")?),
                if *all { "" } else { ", Figure 1" }
            );
            let mut diagram = render::from_edges(&title, &reporter, edges.clone(), &filter, true);
            add_disease_models(&mut diagram, &reporter, &edges, &filter);
            diagram
        }
        Which::Neighborhood { entity, depth } => {
            let center = node(entity)?;
            let (nodes, edges) = render::neighbourhood(&projection, center, *depth);
            check_size(nodes.len(), args.max_nodes, "lower --depth")?;
            let title = format!("{} and its neighbours", projection.node_label(center));
            render::from_edges(&title, &reporter, edges, &Filter::default(), false)
        }
        Which::Trace {
            from,
            to,
            paths,
            max_hops,
            undirected,
        } => {
            let (from, to) = (node(from)?, node(to)?);
            let options = Options {
                max_hops: *max_hops,
                paths: *paths,
                undirected: *undirected,
                filter: Filter::default(),
            };
            let found = trace::paths(&projection, from, to, &options);
            if found.is_empty() {
                return Err(Error::NothingFound(format!(
                    "no path from {} to {} within {max_hops} hops",
                    projection.node_label(from),
                    projection.node_label(to)
                ))
                .into());
            }
            let reports: Vec<_> = found
                .iter()
                .enumerate()
                .map(|(i, p)| reporter.path(i + 1, p, &options.filter))
                .collect();
            let title = format!(
                "{} → {}: {} path(s)",
                projection.node_label(from),
                projection.node_label(to),
                reports.len()
            );
            render::from_paths(&title, &reports, &projection)
        }
        Which::Query { query: text } => query_diagram(&db, &projection, text)?,
    };
    check_size(
        diagram.nodes.len(),
        args.max_nodes,
        "narrow it with filters",
    )?;
    if diagram.nodes.is_empty() {
        return Err(
            Error::NothingFound("nothing to draw: the selection has no relations".into()).into(),
        );
    }
    let dot = render::print(render::to_dot(&diagram));
    let bytes = match format {
        DiagramFormat::Dot => dot.into_bytes(),
        other => run_dot(&dot, other.name())?,
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "wrote {} ({} nodes, {} edges)",
                path.display(),
                diagram.nodes.len(),
                diagram.arrows.len()
            );
        }
        None => out.write_all(&bytes)?,
    }
    Ok(0)
}

/// `--format`, else the `-o` file's extension, else DOT.
fn output_format(args: &RenderArgs) -> Result<DiagramFormat> {
    if let Some(format) = args.format {
        return Ok(format);
    }
    let Some(extension) = args
        .output
        .as_deref()
        .and_then(Path::extension)
        .map(|e| e.to_string_lossy().to_lowercase())
    else {
        return Ok(DiagramFormat::Dot);
    };
    <DiagramFormat as clap::ValueEnum>::from_str(&extension, true).map_err(|_| {
        Error::UnknownFormat {
            given: format!(".{extension} (the extension of -o)"),
            valid: "dot, gv, svg, png (or name one with --format)".into(),
        }
        .into()
    })
}

fn check_size(nodes: usize, max: usize, hint: &str) -> Result<()> {
    if nodes > max {
        return Err(Error::Usage(format!(
            "the diagram would have {nodes} nodes, more than --max-nodes {max}: {hint}, or raise --max-nodes"
        ))
        .into());
    }
    Ok(())
}

/// Runs Graphviz `dot` to turn DOT into SVG or PNG.
pub fn run_dot(dot: &str, format: &str) -> Result<Vec<u8>> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Tool(format!(
                    "--format {format} needs Graphviz's `dot`, which is not installed: apt-get install graphviz (Debian/Ubuntu) or brew install graphviz; --format dot works without it"
                ))
            } else {
                Error::Io(e)
            }
        })?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| Error::Internal("dot was started without a stdin pipe".into()))?;
    let text = dot.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| Error::Internal("the thread writing to dot panicked".into()))?
        .map_err(|e| Error::Tool(format!("cannot write to dot: {e}")))?;
    if !output.status.success() {
        return Err(Error::Tool(format!(
            "dot failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
        .into());
    }
    Ok(output.stdout)
}

/// What the pathway diagram is narrowed to.
struct Focus {
    /// The disease and its models.
    disease: Option<Vec<graph::Sym>>,
    /// An effect whose upstream mechanism is kept.
    effect: Option<petgraph::graph::NodeIndex<u32>>,
}

/// The edges of the pathway diagram: statements (reported in Figure 1 unless `all`) about the
/// chosen cell type, its subtypes or its supertypes, passing the evidence filter, narrowed to
/// a disease (what was observed in it) or an effect (what lies upstream of it).
fn pathway_edges(
    p: &Projection,
    cell: &str,
    filter: &Filter,
    all: bool,
    focus: &Focus,
) -> Result<Vec<petgraph::graph::EdgeIndex<u32>>> {
    let cell = sym_of(p, cell, cell, "cell")?;
    let figure = p.names.get(&format!("{REF}review-figure1"));
    // The cell type, its subtypes, and the broader types whose claims it inherits (MSC).
    let is_cell = |s: graph::Sym| p.is_subclass_of(s, cell) || p.is_subclass_of(cell, s);
    let mut edges: Vec<_> = p
        .graph
        .edge_indices()
        .filter(|edge| {
            let (subject, _) = p.graph.edge_endpoints(*edge).expect("edge");
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
            let (_, object) = p.graph.edge_endpoints(*edge).expect("edge");
            models.contains(&p.graph[object])
                || p.evidence(*edge).any(|st| {
                    trace::passes(st, filter)
                        && st.disease_models.iter().any(|m| models.contains(m))
                })
        });
    }
    if let Some(effect) = focus.effect {
        // Keep the edges upstream of the effect: those from which it can be reached.
        let mut upstream: HashSet<petgraph::graph::NodeIndex<u32>> = HashSet::from([effect]);
        loop {
            let before = upstream.len();
            for edge in &edges {
                let (a, b) = p.graph.edge_endpoints(*edge).expect("edge");
                if upstream.contains(&b) {
                    upstream.insert(a);
                }
            }
            if upstream.len() == before {
                break;
            }
        }
        edges.retain(|edge| {
            let (a, b) = p.graph.edge_endpoints(*edge).expect("edge");
            upstream.contains(&a) && upstream.contains(&b)
        });
    }
    Ok(edges)
}

/// The diseases layer of the pathway diagram: each effect links to the disease models in which
/// the statements behind it were observed ("shown in"), with their references.
fn add_disease_models(
    diagram: &mut Diagram,
    reporter: &Reporter<'_>,
    edges: &[petgraph::graph::EdgeIndex<u32>],
    filter: &Filter,
) {
    let p = reporter.projection;
    for edge in edges {
        let (_, object) = p.graph.edge_endpoints(*edge).expect("edge");
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
                    .map(|s| reporter.citation(*s))
                    .map(|c| {
                        crate::report::cite(
                            c.number,
                            c.first_author.as_deref().unwrap_or(""),
                            c.year,
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" | ");
                diagram.add_arrow(Arrow {
                    from: p.iri(object).to_owned(),
                    to: model.iri,
                    relation: "shown in".to_owned(),
                    polarity: None,
                    references,
                });
            }
        }
    }
}

/// A diagram of a CONSTRUCT's triples or a SELECT's ?s ?p ?o rows.
fn query_diagram(db: &crate::store::Db, p: &Projection, text: &str) -> Result<Diagram> {
    let found = query::find(text)?;
    let results = query::evaluate(&db.store, query::parse(&found, &db.prefixes)?)?;
    let mut triples: Vec<(Term, Term, Term)> = Vec::new();
    match results {
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
                )
                .into());
            }
        }
        QueryResults::Boolean(_) => {
            return Err(Error::Usage("render query cannot draw an ASK answer".into()).into())
        }
    }
    let mut labels = Labels::new(&db.store, &db.prefixes);
    let mut diagram = Diagram {
        title: found.origin.clone(),
        ..Diagram::default()
    };
    for (s, pr, o) in &triples {
        for term in [s, o] {
            let named = labels.named(term)?;
            let kind = match term {
                Term::NamedNode(n) => p
                    .node(n.as_str())
                    .map_or(Kind::Other, |n| render::kind_of(p, n)),
                _ => Kind::Other,
            };
            diagram.add_node(Box_ {
                iri: term_key(term),
                label: named.label,
                kind,
                rank: None,
            });
        }
        let predicate = labels.named(pr)?;
        let polarity = match pr {
            Term::NamedNode(n) => p.names.get(n.as_str()).and_then(|s| p.polarity(s)),
            _ => None,
        };
        diagram.add_arrow(Arrow {
            from: term_key(s),
            to: term_key(o),
            relation: predicate.label,
            polarity,
            references: String::new(),
        });
    }
    Ok(diagram)
}

fn term_key(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    }
}
