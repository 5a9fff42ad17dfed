//! `stroma push`: the source and target from the options, a progress bar, the report.

use super::{endpoint, iri_arg, progress_bar, rate};
use crate::cli::{PushArgs, SourceArgs};
use crate::engine::push::{journal_name, PushProgress, PushRequest, PushSource};
use crate::engine::Engine;
use crate::error::Error;
use crate::store::{self, Location};
use anyhow::{Context, Result};
use oxigraph::io::RdfFormat;
use std::io::Write;
use std::path::PathBuf;

pub fn push(source: &SourceArgs, args: &PushArgs, out: &mut dyn Write) -> Result<u8> {
    let Some(endpoint) = endpoint(&source.remote)? else {
        return Err(
            Error::Usage("push uploads to a remote endpoint: add --endpoint URL".into()).into(),
        );
    };
    let from = match (&source.store, args.embedded, args.files.is_empty()) {
        (Some(dir), false, true) => PushSource::Store(dir.clone()),
        (None, true, true) => PushSource::Embedded,
        (None, false, false) => {
            PushSource::Files(args.files.clone(), source.data_format.map(RdfFormat::from))
        }
        (None, false, true) => {
            return Err(
                Error::Usage("push what? name FILE…, --store DIR or --embedded".into()).into(),
            )
        }
        _ => {
            return Err(Error::Usage(
                "push one source at a time: FILE…, --store DIR or --embedded".into(),
            )
            .into())
        }
    };
    if let Some(url) = &args.graph_store {
        store::remote::check_url(url, "--graph-store")?;
    }
    let graph = args
        .graph
        .as_deref()
        .map(|g| iri_arg("--graph", g))
        .transpose()?;
    let (quads, described) = from.read().context("nothing was sent")?;
    let journal = args.journal.clone().unwrap_or_else(|| {
        state_dir().join(journal_name(&endpoint.url, graph.as_ref(), &described))
    });
    let url = endpoint.url.clone();
    let target = Engine::open(&Location::Remote(endpoint))?;
    let bar = progress_bar("{bar:30} {pos}/{len} chunks {msg}");
    let started = std::time::Instant::now();
    let on_progress = |p: PushProgress| {
        bar.set_length(p.chunks as u64);
        bar.set_position(p.chunks_done as u64);
        bar.set_message(rate(p.triples_done, started));
    };
    let pushed = target.push(
        &PushRequest {
            quads,
            source: described,
            graph,
            graph_store: args.graph_store.clone(),
            chunk: args.chunk,
            journal: journal.clone(),
        },
        &on_progress,
    );
    bar.finish_and_clear();
    let report = pushed.with_context(|| {
        format!(
            "push to {url} stopped; what was sent is recorded in {}, and the same command resumes it",
            journal.display()
        )
    })?;
    writeln!(
        out,
        "pushed {} triples in {} chunks ({}{}) to {url} in {:.2} s",
        report.triples,
        report.chunks,
        report.method,
        if report.resumed > 0 {
            format!("; {} chunks were sent before and not again", report.resumed)
        } else {
            String::new()
        },
        report.seconds
    )?;
    for g in &report.graphs {
        writeln!(
            out,
            "  graph {}: {} triples sent; the endpoint holds {} (it held {} before)",
            g.graph, g.sent, g.after, g.before
        )?;
    }
    Ok(0)
}

/// Where Stroma keeps state between runs: `$XDG_STATE_HOME/stroma`, else
/// `~/.local/state/stroma`, else the temporary directory's.
fn state_dir() -> PathBuf {
    std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .unwrap_or_else(std::env::temp_dir)
        .join("stroma")
}
