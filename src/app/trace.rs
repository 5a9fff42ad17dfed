//! `stroma trace`: turns the arguments into a trace (or matrix) request, calls the engine and
//! prints the paths, the diagram of the paths (DOT, SVG or a self-contained HTML page), or the
//! factor × effect matrix.

use super::{notes, open};
use crate::cli::{TraceArgs, TraceFormat};
use crate::engine::diagram::DiagramRequest;
use crate::engine::trace::{EvidenceFilter, MatrixRequest, TraceRequest};
use crate::engine::Engine;
use crate::error::Error;
use crate::report::path_text;
use crate::table::write_table;
use anyhow::Result;
use std::io::Write;

/// The trace request the arguments describe.
pub fn request(args: &TraceArgs) -> TraceRequest {
    TraceRequest {
        from: args.from.clone(),
        to: args.to.clone(),
        from_class: args.from_class.clone(),
        to_class: args.to_class.clone(),
        max_hops: args.max_hops,
        paths: args.paths,
        undirected: args.undirected,
        via: args.via.clone(),
        avoid: args.avoid.clone(),
        filter: EvidenceFilter {
            organisms: args.organism.iter().map(|o| o.iri()).collect(),
            products: args.product.iter().map(|p| p.iri()).collect(),
            study: args.study.clone(),
        },
        coherent: args.coherent,
        through_hubs: args.through_hubs,
        comparisons: args.comparisons,
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
        (true, TraceFormat::Html) => {
            return Err(Error::Usage(
                "--matrix is drawn as table, csv, json or svg (a heat map), not html".into(),
            )
            .into())
        }
        (false, TraceFormat::Csv) => {
            return Err(Error::Usage(
                "paths come as table, json, dot, svg or html; csv is for --matrix".into(),
            )
            .into())
        }
        _ => {}
    }
    let engine = open(source)?;
    let started = std::time::Instant::now();
    let (requests, rows) = engine.traffic();
    // With -o, the whole output goes to the file at the end, or nothing does.
    let mut buffer = Vec::new();
    let code = match &args.output {
        Some(path) => run(&engine, args, format, &mut buffer).and_then(|code| {
            super::render::write_file(path, &buffer)?;
            super::voice::say(format_args!("wrote {}", path.display()));
            Ok(code)
        }),
        None => run(&engine, args, format, out),
    };
    super::voice::detail(format_args!(
        "trace: {} queries, {} rows, {:.3} s{}",
        engine.traffic().0 - requests,
        engine.traffic().1 - rows,
        started.elapsed().as_secs_f64(),
        if engine.reads_around() {
            " (read around the ends, not the whole graph)"
        } else {
            ""
        }
    ));
    code
}

/// With --verbose, what reading around the ends took, and the path search itself.
fn fetched(report: &crate::engine::trace::TraceReport) {
    if let Some(f) = &report.fetched {
        super::voice::detail(format_args!(
            "trace: expanded {} nodes, read {} edges, kept {} on paths short enough",
            f.expanded, f.edges_read, f.edges_kept
        ));
    }
    super::voice::detail(format_args!(
        "trace: paths searched in {:.3} ms",
        report.searched * 1e3
    ));
}

fn run(engine: &Engine, args: &TraceArgs, format: TraceFormat, out: &mut dyn Write) -> Result<u8> {
    let request = request(args);
    if args.matrix {
        let matrix = engine.matrix(&MatrixRequest {
            from_class: args.from_class.clone(),
            to_class: args.to_class.clone(),
            trace: request,
        })?;
        notes(&matrix.notes);
        return write_matrix(&matrix, format, out);
    }
    match format {
        TraceFormat::Dot | TraceFormat::Svg => {
            let report = engine.diagram(&DiagramRequest::Trace(request), usize::MAX)?;
            notes(&report.notes);
            let dot = crate::render::print(crate::render::to_dot(&report.diagram));
            if format == TraceFormat::Dot {
                out.write_all(dot.as_bytes())?;
            } else {
                out.write_all(&crate::graphviz::run_dot(&dot, "svg")?)?;
            }
        }
        TraceFormat::Html => {
            let (page, _) =
                super::render::html_page(engine, &DiagramRequest::Trace(request), usize::MAX)?;
            out.write_all(&page)?;
        }
        TraceFormat::Json => {
            let report = engine.trace(&request)?;
            notes(&report.notes);
            fetched(&report);
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        }
        _ => {
            let report = engine.trace(&request)?;
            fetched(&report);
            notes(&report.notes);
            for path in &report.paths {
                write!(out, "{}", path_text(path))?;
            }
        }
    }
    Ok(0)
}

fn write_matrix(
    matrix: &crate::report::MatrixReport,
    format: TraceFormat,
    out: &mut dyn Write,
) -> Result<u8> {
    let (rows, columns) = matrix.reached();
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
            let which = if matrix.coherent_only {
                "the best coherent path"
            } else {
                "the best path"
            };
            writeln!(out, "(cells: distinct studies on {which}; · out of reach)")?;
        }
    }
    Ok(0)
}
