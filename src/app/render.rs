//! `stroma render`: turns the arguments into a diagram request, calls the engine, and prints
//! the diagram as DOT or through Graphviz as SVG or PNG.

use super::{notes, open};
use crate::cli::{Diagram as Which, DiagramFormat, RenderArgs, SourceArgs};
use crate::engine::diagram::{DiagramRequest, PathwayRequest};
use crate::engine::trace::TraceRequest;
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
    let report = open(source)?.diagram(&request, args.max_nodes)?;
    notes(&report.notes);
    let diagram = &report.diagram;
    let dot = render::print(render::to_dot(diagram));
    let bytes = match format {
        DiagramFormat::Dot => dot.into_bytes(),
        other => crate::graphviz::run_dot(&dot, other.name())?,
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            super::voice::say(format_args!(
                "wrote {} ({} nodes, {} edges)",
                path.display(),
                diagram.nodes.len(),
                diagram.arrows.len()
            ));
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
