//! `stroma render`: turns the arguments into a diagram request, calls the engine, and prints
//! the diagram as DOT, through Graphviz as SVG or PNG, or as a self-contained HTML page around
//! the SVG (also `trace --format html`). Files are written whole under a temporary name and
//! renamed into place.

use super::{notes, open};
use crate::cli::{Diagram as Which, DiagramFormat, RenderArgs, SourceArgs};
use crate::engine::diagram::{DiagramRequest, PathwayRequest};
use crate::engine::trace::TraceRequest;
use crate::engine::Engine;
use crate::error::Error;
use crate::query;
use crate::render;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

pub fn render(source: &SourceArgs, args: &RenderArgs, out: &mut dyn Write) -> Result<u8> {
    let format = output_format(args)?;
    let request = match &args.diagram {
        Which::Pathway {
            cell,
            disease,
            effect,
            organism,
            all,
        } => DiagramRequest::Pathway(PathwayRequest {
            cell: cell.clone(),
            disease: disease.clone(),
            effect: effect.clone(),
            organisms: organism.iter().map(|o| o.iri()).collect(),
            all: *all,
        }),
        Which::Neighborhood { entity, depth } => DiagramRequest::Neighbourhood {
            entity: entity.clone(),
            depth: *depth,
        },
        Which::Trace {
            from,
            to,
            paths,
            max_hops,
            undirected,
            coherent,
        } => DiagramRequest::Trace(TraceRequest {
            from: Some(from.clone()),
            to: Some(to.clone()),
            paths: *paths,
            max_hops: *max_hops,
            undirected: *undirected,
            coherent: *coherent,
            ..TraceRequest::default()
        }),
        Which::Query { query: text } => DiagramRequest::Query(query::find(text)?),
    };
    let engine = open(source)?;
    let (bytes, size) = if format == DiagramFormat::Html {
        html_page(&engine, &request, args.max_nodes)?
    } else {
        let report = engine.diagram(&request, args.max_nodes)?;
        notes(&report.notes);
        let diagram = &report.diagram;
        let dot = render::print(render::to_dot(diagram));
        let bytes = match format {
            DiagramFormat::Dot => dot.into_bytes(),
            other => crate::graphviz::run_dot(&dot, other.name())?,
        };
        (bytes, (diagram.nodes.len(), diagram.arrows.len()))
    };
    match &args.output {
        Some(path) => {
            write_file(path, &bytes)?;
            super::voice::say(format_args!(
                "wrote {} ({} nodes, {} edges)",
                path.display(),
                size.0,
                size.1
            ));
        }
        None => out.write_all(&bytes)?,
    }
    Ok(0)
}

/// A diagram as one self-contained HTML page, with its number of nodes and edges: the
/// engine's diagram with its evidence in full, laid out by Graphviz, around which
/// [`render::html::page`] builds the page.
pub fn html_page(
    engine: &Engine,
    request: &DiagramRequest,
    max_nodes: usize,
) -> Result<(Vec<u8>, (usize, usize))> {
    let report = engine.diagram_page(request, max_nodes)?;
    notes(&report.notes);
    let diagram = &report.diagram;
    // No links in the drawing: a click on a node opens its facts in the page's panel.
    let dot = render::print(render::to_dot_for_page(diagram, &|_| String::new()));
    let svg = crate::graphviz::run_dot(&dot, "svg")?;
    let page = render::html::page(&render::html::Page {
        diagram,
        nodes: &report.nodes,
        paths: &report.paths,
        notes: &report.notes,
        svg: &svg,
    })?;
    Ok((
        page.into_bytes(),
        (diagram.nodes.len(), diagram.arrows.len()),
    ))
}

/// Writes `bytes` to `path` whole: to a temporary file beside it, renamed into place, so a
/// failure never leaves part of a file (nor replaces the one there).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy());
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.with_context(|| format!("cannot write {}", path.display()))
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
            valid: "dot, gv, svg, png, html (or name one with --format)".into(),
        }
        .into()
    })
}
