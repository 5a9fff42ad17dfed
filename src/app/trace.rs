//! `stroma trace`: resolves the names, builds the projection, runs the trace and prints paths
//! or the factor × effect matrix.

use super::{open, sym_of};
use crate::cli::{TraceArgs, TraceFormat};
use crate::error::Error;
use crate::graph::{self, EdgeSelection, Projection, Sym};
use crate::report::{path_text, Reporter};
use crate::resolve::{self, Index};
use crate::store::Db;
use crate::table::write_table;
use crate::trace::{self, Filter, Options, ProductFilter};
use crate::vocab::{REF, ST};
use anyhow::Result;
use serde_json::json;
use std::io::Write;

struct Context<'a> {
    db: &'a Db,
    index: Index,
}

impl Context<'_> {
    fn iri(&self, text: &str) -> Result<String> {
        let resolved = resolve::resolve(text, &self.index, &self.db.store, &self.db.prefixes)?;
        super::note(resolved.note.as_deref());
        Ok(resolved.iri.into_string())
    }

    /// A relation named by IRI, CURIE or label (a predicate need not be described in the graph).
    fn predicate(&self, text: &str) -> Result<String> {
        let trimmed = text.trim().trim_start_matches('<').trim_end_matches('>');
        if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
            return Ok(trimmed.to_owned());
        }
        match self.db.prefixes.expand(trimmed) {
            Some(iri) => Ok(iri),
            None => self.iri(text),
        }
    }

    /// The projection symbol of what `text` names, or an error saying it is not in the graph.
    fn sym(&self, projection: &Projection, text: &str, role: &str) -> Result<Sym> {
        let iri = self.iri(text)?;
        sym_of(projection, &iri, text, role)
    }
}

pub fn trace(source: &crate::cli::SourceArgs, args: &TraceArgs, out: &mut dyn Write) -> Result<u8> {
    let format = args.format;
    match (args.matrix, format) {
        (true, TraceFormat::Dot) => {
            return Err(Error::Usage(
                "--matrix is drawn as table, csv, json or svg (a heat map), not dot".into(),
            )
            .into())
        }
        (false, TraceFormat::Csv) => {
            return Err(Error::Usage(
                "paths come as table, json, dot or svg; csv is for --matrix".into(),
            )
            .into())
        }
        _ => {}
    }
    let db = open(source)?;
    let cx = Context {
        index: Index::build(&db.store, &db.prefixes)?,
        db: &db,
    };
    let selection = EdgeSelection {
        via: args
            .via
            .iter()
            .map(|p| cx.predicate(p))
            .collect::<Result<_>>()?,
        avoid: args
            .avoid
            .iter()
            .map(|p| cx.predicate(p))
            .collect::<Result<_>>()?,
    };
    let projection = graph::read_store(&db.store, &selection)?;
    let options = Options {
        max_hops: args.max_hops,
        paths: args.paths,
        undirected: args.undirected,
        filter: filter(&cx, &projection, args)?,
    };
    let reporter = Reporter {
        projection: &projection,
        prefixes: &db.prefixes,
    };
    let class_nodes = |class: Sym| -> Vec<_> {
        let mut nodes: Vec<_> = projection
            .graph
            .node_indices()
            .filter(|n| projection.is_instance(*n, class))
            .collect();
        nodes.sort_by(|a, b| projection.node_label(*a).cmp(projection.node_label(*b)));
        nodes
    };
    let to_class = match &args.to_class {
        Some(class) => Some(cx.sym(&projection, class, "class")?),
        None => projection.names.get(&format!("{ST}TherapeuticEffect")),
    };
    if args.matrix {
        let from_class = match &args.from_class {
            Some(class) => cx.sym(&projection, class, "class")?,
            None => projection
                .names
                .get(&format!("{ST}Factor"))
                .ok_or_else(|| {
                    Error::Usage("this graph has no st:Factor class: name --from-class".into())
                })?,
        };
        let to_class = to_class
            .ok_or_else(|| Error::Usage("name --to-class for the matrix columns".into()))?;
        let matrix = trace::matrix(
            &projection,
            &class_nodes(from_class),
            &class_nodes(to_class),
            &options,
        );
        return write_matrix(&reporter.matrix(&matrix), format, out);
    }
    let starts = match (&args.from, &args.from_class) {
        (Some(from), None) => {
            let sym = cx.sym(&projection, from, "start")?;
            vec![projection
                .node(projection.names.resolve(sym))
                .ok_or_else(|| {
                    Error::UnknownEntity(format!("'{from}' has no relations to trace"))
                })?]
        }
        (None, Some(class)) => class_nodes(cx.sym(&projection, class, "class")?),
        (Some(_), Some(_)) => {
            return Err(Error::Usage("give FROM or --from-class, not both".into()).into())
        }
        (None, None) => {
            return Err(
                Error::Usage("trace needs FROM (or --from-class, or --matrix)".into()).into(),
            )
        }
    };
    let mut reports = Vec::new();
    let target = match &args.to {
        Some(to) => {
            let sym = cx.sym(&projection, to, "target")?;
            Some(
                projection
                    .node(projection.names.resolve(sym))
                    .ok_or_else(|| {
                        Error::UnknownEntity(format!("'{to}' has no relations to trace"))
                    })?,
            )
        }
        None => None,
    };
    let mut found = Vec::new();
    for start in &starts {
        let paths = match target {
            Some(to) => trace::paths(&projection, *start, to, &options),
            None => trace::reachable(
                &projection,
                *start,
                |n| to_class.is_none_or(|c| projection.is_instance(n, c)),
                &options,
            ),
        };
        found.extend(paths);
    }
    if args.from_class.is_some() {
        found.sort_by(|a, b| {
            a.steps
                .len()
                .cmp(&b.steps.len())
                .then(b.studies.len().cmp(&a.studies.len()))
        });
        found.truncate(args.paths);
    }
    for (i, path) in found.iter().enumerate() {
        reports.push(reporter.path(i + 1, path, &options.filter));
    }
    let describe = |n: Option<petgraph::graph::NodeIndex<u32>>| {
        n.map(|n| reporter.resource(projection.graph[n]))
    };
    if reports.is_empty() {
        let what = match (&args.to, to_class) {
            (Some(to), _) => format!("'{to}'"),
            (None, Some(c)) => format!("any {}", projection.label(c)),
            (None, None) => "anything".to_owned(),
        };
        return Err(Error::NothingFound(format!(
            "no path to {what} within {} hops (try --max-hops, --undirected or fewer filters)",
            args.max_hops
        ))
        .into());
    }
    if format == TraceFormat::Json {
        let report = json!({
            "from": if args.from_class.is_some() { None } else { describe(starts.first().copied()) },
            "to": describe(target),
            "to_class": if target.is_none() { to_class.map(|c| reporter.resource(c)) } else { None },
            "max_hops": args.max_hops,
            "directed": !args.undirected,
            "paths": reports,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else if matches!(format, TraceFormat::Dot | TraceFormat::Svg) {
        let title = format!("{} paths", reports.len());
        let diagram = crate::render::from_paths(&title, &reports, &projection);
        let dot = crate::render::print(crate::render::to_dot(&diagram));
        if format == TraceFormat::Dot {
            out.write_all(dot.as_bytes())?;
        } else {
            out.write_all(&super::render::run_dot(&dot, "svg")?)?;
        }
    } else {
        for report in &reports {
            write!(out, "{}", path_text(report))?;
        }
    }
    Ok(0)
}

fn filter(cx: &Context<'_>, projection: &Projection, args: &TraceArgs) -> Result<Filter> {
    let mut filter = Filter::default();
    if !args.organism.is_empty() {
        filter.organisms = Some(
            args.organism
                .iter()
                .map(|o| sym_of(projection, &o.iri(), &crate::cli::value_name(o), "organism"))
                .collect::<Result<_>>()?,
        );
    }
    if !args.product.is_empty() {
        let mut products = ProductFilter::default();
        for product in &args.product {
            match product.iri() {
                None => products.cells = true,
                Some(iri) => products.products.push(sym_of(
                    projection,
                    &iri,
                    &crate::cli::value_name(product),
                    "product",
                )?),
            }
        }
        filter.products = Some(products);
    }
    if let Some(study) = &args.study {
        let text = if study.chars().all(|c| c.is_ascii_digit()) {
            format!("{REF}{study}")
        } else {
            study.clone()
        };
        filter.study = Some(cx.sym(projection, &text, "study")?);
    }
    Ok(filter)
}

fn write_matrix(
    matrix: &crate::report::MatrixReport,
    format: TraceFormat,
    out: &mut dyn Write,
) -> Result<u8> {
    // Keep rows and columns that reach something.
    let rows: Vec<usize> = (0..matrix.rows.len())
        .filter(|r| matrix.cells[*r].iter().any(Option::is_some))
        .collect();
    let columns: Vec<usize> = (0..matrix.columns.len())
        .filter(|c| rows.iter().any(|r| matrix.cells[*r][*c].is_some()))
        .collect();
    match format {
        TraceFormat::Svg => {
            let svg = crate::render::heat_map(matrix, &rows, &columns);
            out.write_all(svg.as_bytes())?;
        }
        TraceFormat::Json => {
            writeln!(out, "{}", serde_json::to_string_pretty(matrix)?)?;
        }
        TraceFormat::Csv => {
            let escape = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            let header: Vec<String> = std::iter::once(escape("factor"))
                .chain(columns.iter().map(|c| escape(&matrix.columns[*c].label)))
                .collect();
            writeln!(out, "{}", header.join(","))?;
            for r in &rows {
                let line: Vec<String> = std::iter::once(escape(&matrix.rows[*r].label))
                    .chain(columns.iter().map(|c| {
                        matrix.cells[*r][*c]
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    }))
                    .collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        _ => {
            let header: Vec<&str> = std::iter::once("")
                .chain(columns.iter().map(|c| matrix.columns[*c].label.as_str()))
                .collect();
            let lines: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    std::iter::once(matrix.rows[*r].label.clone())
                        .chain(columns.iter().map(|c| {
                            matrix.cells[*r][*c].map_or("·".to_owned(), |n| n.to_string())
                        }))
                        .collect()
                })
                .collect();
            write_table(&header, &lines, out)?;
            writeln!(
                out,
                "(cells: distinct studies on the best path; · out of reach)"
            )?;
        }
    }
    Ok(0)
}
