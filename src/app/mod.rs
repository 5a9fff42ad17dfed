//! The command layer: runs one subcommand against the store and writes its output. This is the
//! only module that talks to the terminal (stdout, stderr, progress bars).

mod explore;
mod render;
mod trace;

use crate::cli::{Cli, Command, SourceArgs};
use crate::error::{Error, EXIT_ERROR};
use crate::query::{self, OutputFormat};
use crate::store::{self, Db, Location};
use anyhow::{Context, Result};
use oxigraph::model::NamedNode;
use std::io::{BufWriter, IsTerminal, Write};

/// Runs the command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Query { query, format } => {
            run_query(&cli.source, &query, format, terminal, &mut out)?
        }
        Command::Update { update } => run_update(&cli.source, &update, &mut out)?,
        Command::Load {
            files,
            embedded,
            graph,
        } => run_load(&cli.source, &files, embedded, graph, &mut out)?,
        Command::Queries => list_queries(terminal, &mut out)?,
        Command::Validate { shapes, format } => {
            explore::validate(&cli.source, shapes.as_deref(), &format, &mut out)?
        }
        Command::Stats { format } => explore::stats(&cli.source, &format, &mut out)?,
        Command::Search {
            text,
            limit,
            format,
        } => explore::search(&cli.source, &text, limit, &format, &mut out)?,
        Command::Show { entity, format } => explore::show(&cli.source, &entity, &format, &mut out)?,
        Command::Trace(args) => trace::trace(&cli.source, &args, &mut out)?,
        Command::Render(args) => render::render(&cli.source, &args, &mut out)?,
    };
    out.flush()?;
    Ok(code)
}

/// The exit code for an error that reached the top.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    let code = error
        .chain()
        .find_map(|e| e.downcast_ref::<Error>())
        .map_or(EXIT_ERROR, Error::exit_code);
    u8::try_from(code).unwrap_or(2)
}

/// True when the error comes from writing to a pipe whose reader has gone away.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        let io = e
            .downcast_ref::<std::io::Error>()
            .or(match e.downcast_ref::<Error>() {
                Some(Error::Io(io)) => Some(io),
                _ => None,
            });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Opens the store the source options name and adds the `--data` files to it.
pub fn open(source: &SourceArgs) -> Result<Db> {
    let location = match (&source.store, source.no_embedded) {
        (Some(dir), _) => Location::Persistent(dir.clone()),
        (None, true) => Location::Empty,
        (None, false) => Location::Embedded,
    };
    let mut db = Db::open(&location).context("cannot open the store")?;
    if !source.data.is_empty() {
        let format = source
            .data_format
            .as_deref()
            .map(store::parse_rdf_format)
            .transpose()?;
        db.add_files(&source.data, format, None)
            .context("cannot load --data (nothing was added)")?;
    }
    Ok(db)
}

fn run_query(
    source: &SourceArgs,
    arg: &str,
    format: Option<String>,
    terminal: bool,
    out: &mut dyn Write,
) -> Result<u8> {
    let format = format.as_deref().map(OutputFormat::parse).transpose()?;
    let text = query::find(arg)?;
    let db = open(source)?;
    let prepared = query::parse(&text, &db.prefixes)?;
    let results = query::evaluate(&db.store, prepared)?;
    query::write(results, format, terminal, &db.prefixes, out)?;
    Ok(0)
}

fn run_update(source: &SourceArgs, arg: &str, out: &mut dyn Write) -> Result<u8> {
    if source.store.is_none() {
        return Err(Error::Usage(
            "update changes a persistent store: add --store DIR (the embedded graph is read-only)"
                .into(),
        )
        .into());
    }
    let text = query::find(arg)?;
    let db = open(source)?;
    let before = db.store.len()?;
    let update = query::parse_update(&text, &db.prefixes)?;
    query::apply_update(&db.store, update)?;
    let after = db.store.len()?;
    writeln!(out, "updated: {before} → {after} quads")?;
    Ok(0)
}

fn run_load(
    source: &SourceArgs,
    files: &[std::path::PathBuf],
    embedded: bool,
    graph: Option<String>,
    out: &mut dyn Write,
) -> Result<u8> {
    let Some(dir) = &source.store else {
        return Err(
            Error::Usage("load writes to a persistent store: add --store DIR".into()).into(),
        );
    };
    if files.is_empty() && !embedded {
        return Err(Error::Usage("nothing to load: name RDF files or --embedded".into()).into());
    }
    let graph = graph
        .map(|g| {
            NamedNode::new(&g).map_err(|e| Error::Usage(format!("bad --graph IRI '{g}': {e}")))
        })
        .transpose()?;
    let format = source
        .data_format
        .as_deref()
        .map(store::parse_rdf_format)
        .transpose()?;
    let db = Db::open(&Location::Persistent(dir.clone()))?;
    let started = std::time::Instant::now();
    let mut quads = 0u64;
    let mut bytes = 0u64;
    if embedded {
        let embedded = store::embedded_quads()?;
        quads += embedded.len() as u64;
        db.store.extend(embedded)?;
    }
    if !files.is_empty() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let on_progress = |p: store::Progress| {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_read);
            let seconds = started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} triples, {:.0} triples/s",
                p.quads,
                p.quads as f64 / seconds
            ));
        };
        let report = store::bulk_load(&db.store, files, format, graph.as_ref(), &on_progress)
            .context("load failed; nothing was written")?;
        bar.finish_and_clear();
        quads += report.quads;
        bytes += report.bytes;
    }
    let seconds = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "loaded {quads} triples ({bytes} bytes) into {} in {seconds:.2} s ({:.0} triples/s); the store holds {} quads",
        dir.display(),
        quads as f64 / seconds.max(1e-9),
        db.store.len()?
    )?;
    Ok(0)
}

fn list_queries(terminal: bool, out: &mut dyn Write) -> Result<u8> {
    let rows: Vec<Vec<String>> = query::named_queries()
        .iter()
        .map(|q| vec![q.name.to_owned(), q.description.to_owned()])
        .collect();
    if terminal {
        crate::table::write_table(&["name", "question"], &rows, out)?;
    } else {
        for row in rows {
            writeln!(out, "{}\t{}", row[0], row[1])?;
        }
    }
    Ok(0)
}
