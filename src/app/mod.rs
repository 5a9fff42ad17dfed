//! The command layer: parses one subcommand's arguments into a typed request, calls the
//! [`Engine`] and prints its report. Nothing else: no graph reads, no ranking, no selection.
//! This is the only module that talks to the terminal (stdout, stderr, progress bars).

mod compare;
mod explore;
mod export;
mod push;
mod render;
mod serve;
mod shell;
mod trace;
pub mod voice;

use crate::cli::{Cli, Command, QueryFormat, RemoteArgs, SourceArgs};
use crate::engine::{self, Engine};
use crate::error::{Error, EXIT_ERROR};
use crate::query;
use crate::store::{self, Auth, Endpoint, LoadRequest, Location};
use anyhow::{Context, Result};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;

/// Runs the command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    voice::set(match (cli.quiet, cli.verbose) {
        (true, _) => voice::Verbosity::Quiet,
        (false, true) => voice::Verbosity::Verbose,
        (false, false) => voice::Verbosity::Normal,
    });
    if !matches!(cli.command, Command::Serve(_)) {
        voice::install(voice::Logs::Command);
    }
    refuse_inference(&cli)?;
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = BufWriter::new(Stdout(stdout.lock()));
    let code = match cli.command {
        Command::Query { query, format } => {
            run_query(&cli.source, &query, format, terminal, &mut out)?
        }
        Command::Update { update } => run_update(&cli.source, &update, &mut out)?,
        Command::Load {
            files,
            embedded,
            graph,
            threads,
        } => run_load(
            &cli.source,
            &files,
            embedded,
            graph,
            threads.map(usize::from),
            &mut out,
        )?,
        Command::Queries => list_queries(terminal, &mut out)?,
        Command::Validate { shapes, format } => {
            explore::validate(&cli.source, shapes.as_deref(), format, &mut out)?
        }
        Command::Stats { format } => explore::stats(&cli.source, format, &mut out)?,
        Command::Search {
            text,
            limit,
            format,
        } => explore::search(&cli.source, &text, limit, format, &mut out)?,
        Command::Show { entity, format } => explore::show(&cli.source, &entity, format, &mut out)?,
        Command::Trace(args) => trace::trace(&cli.source, &args, &mut out)?,
        Command::Render(args) => render::render(&cli.source, &args, &mut out)?,
        Command::Serve(args) => serve::serve(&cli.source, &args)?,
        Command::Push(args) => push::push(&cli.source, &args, &mut out)?,
        Command::Compare { a, b, format } => compare::compare(&cli.source, a, b, format, &mut out)?,
        Command::Completions { shell } => shell::completions(shell, &mut out)?,
        Command::Man { output } => shell::man(output.as_deref(), &mut out)?,
        Command::Export(args) => export::export(&cli.source, &args, &mut out)?,
    };
    out.flush()?;
    Ok(code)
}

/// Standard output whose write errors say where they happened ("cannot write to standard
/// output: No space left on device"), keeping their kind (a closed pipe stays one).
struct Stdout<W>(W);

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(named)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(named)
    }
}

fn named(error: std::io::Error) -> std::io::Error {
    std::io::Error::new(
        error.kind(),
        format!("cannot write to standard output: {error}"),
    )
}

/// Refuses `--infer` where it would mean nothing: commands that write a graph or read none,
/// and a server that takes updates (what was entailed would not follow them).
fn refuse_inference(cli: &Cli) -> Result<()> {
    let Some(infer) = cli.source.infer else {
        return Ok(());
    };
    let name = crate::rdfs::Regime::from(infer).name();
    let why = match &cli.command {
        Command::Load { .. } | Command::Update { .. } | Command::Push(_) => {
            "it adds entailments to the graph a read command works on; load, update and push write the asserted triples only (to keep entailments, `stroma query --infer rdfs 'CONSTRUCT …' --format nt` and load the result)"
        }
        Command::Queries | Command::Completions { .. } | Command::Man { .. } => {
            "the command reads no graph"
        }
        Command::Serve(args) if args.allow_update => {
            "with --allow-update the entailments would not follow the updates; serve either the entailed graph read-only, or updates without --infer"
        }
        _ => return Ok(()),
    };
    Err(Error::Usage(format!("--infer {name} cannot be used here: {why}")).into())
}

/// The message for an error that reached the top: the whole chain, prefixed with "error: "
/// unless the command merely found nothing.
pub fn message(error: &anyhow::Error) -> String {
    let found_nothing = error
        .chain()
        .find_map(|e| e.downcast_ref::<Error>())
        .is_some_and(|e| e.kind() == crate::error::Kind::NotFound);
    let text = chain_text(error);
    if found_nothing {
        text
    } else {
        format!("error: {text}")
    }
}

/// The chain's messages joined by ": ", leaving out a cause its effect already quotes
/// ("cannot read d: Is a directory" is not followed by "Is a directory" again).
fn chain_text(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if parts.last().is_some_and(|effect| effect.ends_with(&text)) {
            continue;
        }
        parts.push(text);
    }
    parts.join(": ")
}

/// The exit code for an error that reached the top.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    let code = error
        .chain()
        .find_map(|e| e.downcast_ref::<Error>())
        .map_or(EXIT_ERROR, Error::exit_code);
    u8::try_from(code).unwrap_or(2)
}

/// Prints notes about how names were understood (to stderr, so output stays clean).
fn notes(notes: &[String]) {
    for note in notes {
        voice::say(format_args!("note: {note}"));
    }
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

/// An engine a one-shot command works with. A graph held in memory is never freed: the process
/// exits when the command is done, and taking its indexes apart would cost a tenth of a cold
/// command's time. A persistent store is closed (dropped) as usual.
pub enum Opened {
    Dropped(Box<Engine>),
    Kept(&'static Engine),
}

impl std::ops::Deref for Opened {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        match self {
            Opened::Dropped(engine) => engine,
            Opened::Kept(engine) => engine,
        }
    }
}

/// Opens the graph the source options name for a one-shot command (see [`Opened`]).
pub fn open(source: &SourceArgs) -> Result<Opened> {
    let in_memory = source.store.is_none() && source.remote.endpoint.is_none();
    let engine = open_engine(source)?;
    Ok(if in_memory {
        Opened::Kept(Box::leak(Box::new(engine)))
    } else {
        Opened::Dropped(Box::new(engine))
    })
}

/// Opens the graph the source options name: the embedded graph, an empty one, or an existing
/// persistent store, plus the `--data` files for this command only.
///
/// `--data` never writes into a persistent store: only `load` and `update` write, so a read
/// command cannot change a store, whether it succeeds or fails.
pub fn open_engine(source: &SourceArgs) -> Result<Engine> {
    if let (Some(_), Some(dir)) = (&source.remote.endpoint, &source.store) {
        return Err(Error::Usage(format!(
            "--store {} with --endpoint: a command reads one graph; upload the store with `stroma push --endpoint URL --store DIR`",
            dir.display()
        ))
        .into());
    }
    if let Some(endpoint) = endpoint(&source.remote)? {
        return infer(Engine::open(&Location::Remote(endpoint))?, source);
    }
    let location = match (&source.store, source.no_embedded) {
        (Some(dir), _) => {
            if let Some(file) = source.data.first() {
                return Err(Error::Usage(format!(
                    "--data {} with --store {}: --data adds files for one command, and a persistent store keeps what is written to it; load the files with `stroma load FILE… --store {}`, or drop --store",
                    file.display(),
                    dir.display(),
                    dir.display()
                ))
                .into());
            }
            Location::Persistent(dir.clone())
        }
        (None, true) => Location::Empty,
        (None, false) => Location::Embedded,
    };
    let mut engine = Engine::open(&location).context("cannot open the graph")?;
    if !source.data.is_empty() {
        let format = source.data_format.map(RdfFormat::from);
        engine
            .add_data(&source.data, format)
            .context("cannot load --data (nothing was added)")?;
    }
    infer(engine, source)
}

/// The engine with what `--infer` entails added, if it was asked for.
fn infer(engine: Engine, source: &SourceArgs) -> Result<Engine> {
    let Some(regime) = source.infer else {
        return Ok(engine);
    };
    let (engine, report) = engine
        .inferring(regime.into())
        .with_context(|| format!("--infer {}", crate::rdfs::Regime::from(regime).name()))?;
    tracing::debug!(
        "--infer {}: {} triples entailed in {} rounds ({} before, {} after{}) in {:.3} s",
        report.regime.name(),
        report.added(),
        report.rounds,
        report.before,
        report.after,
        if report.copied {
            ", the store copied into memory"
        } else {
            ""
        },
        report.seconds
    );
    Ok(engine)
}

/// The remote endpoint the options name, with credentials from the environment.
pub fn endpoint(remote: &RemoteArgs) -> Result<Option<Endpoint>> {
    let Some(url) = &remote.endpoint else {
        for (given, flag) in [
            (remote.update_endpoint.is_some(), "--update-endpoint"),
            (!remote.default_graph.is_empty(), "--default-graph"),
        ] {
            if given {
                return Err(Error::Usage(format!("{flag} needs --endpoint URL")).into());
            }
        }
        return Ok(None);
    };
    let mut endpoint = Endpoint::new(url)?;
    if let Some(update) = &remote.update_endpoint {
        store::remote::check_url(update, "--update-endpoint")?;
        endpoint.update_url = Some(update.clone());
    }
    for graph in &remote.default_graph {
        iri_arg("--default-graph", graph)?;
        endpoint.default_graphs.push(graph.clone());
    }
    if !(remote.endpoint_timeout.is_finite() && remote.endpoint_timeout > 0.0) {
        return Err(Error::Usage(format!(
            "--endpoint-timeout {}: give a number of seconds above 0",
            remote.endpoint_timeout
        ))
        .into());
    }
    endpoint.timeout = std::time::Duration::from_secs_f64(remote.endpoint_timeout);
    endpoint.retries = remote.retries;
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    endpoint.auth = match (
        var("STROMA_ENDPOINT_TOKEN"),
        var("STROMA_ENDPOINT_USER"),
        var("STROMA_ENDPOINT_PASSWORD"),
    ) {
        (Some(token), None, None) => Some(Auth::Bearer(token)),
        (None, Some(user), password) => Some(Auth::Basic {
            user,
            password: password.unwrap_or_default(),
        }),
        (None, None, Some(_)) => {
            return Err(Error::Usage(
                "STROMA_ENDPOINT_PASSWORD is set without STROMA_ENDPOINT_USER".into(),
            )
            .into())
        }
        (Some(_), Some(_), _) | (Some(_), None, Some(_)) => {
            return Err(Error::Usage(
                "set either STROMA_ENDPOINT_TOKEN (bearer) or STROMA_ENDPOINT_USER and STROMA_ENDPOINT_PASSWORD (basic), not both".into(),
            )
            .into())
        }
        (None, None, None) => None,
    };
    Ok(Some(endpoint))
}

fn run_query(
    source: &SourceArgs,
    arg: &str,
    format: Option<QueryFormat>,
    terminal: bool,
    out: &mut dyn Write,
) -> Result<u8> {
    let text = query::find(arg)?;
    let engine = open(source)?;
    let results = engine.query(&text)?;
    query::write(
        results,
        format.map(Into::into),
        terminal,
        engine.prefixes(),
        query::Limits::default(),
        out,
    )?;
    Ok(0)
}

fn run_update(source: &SourceArgs, arg: &str, out: &mut dyn Write) -> Result<u8> {
    if source.remote.endpoint.is_some() {
        let engine = open(source)?;
        let report = engine.update(&query::find_update(arg)?)?;
        writeln!(
            out,
            "updated: {} → {} triples",
            report.quads_before, report.quads_after
        )?;
        return Ok(0);
    }
    let Some(dir) = &source.store else {
        return Err(Error::Usage(
            "update changes a persistent store: add --store DIR (the embedded graph is read-only)"
                .into(),
        )
        .into());
    };
    if let Some(file) = source.data.first() {
        return Err(Error::Usage(format!(
            "update does not take --data ({}): load files with `stroma load FILE… --store DIR`",
            file.display()
        ))
        .into());
    }
    let text = query::find_update(arg)?;
    let report = engine::update_store(dir, &text)?;
    writeln!(
        out,
        "updated: {} → {} quads",
        report.quads_before, report.quads_after
    )?;
    Ok(0)
}

fn run_load(
    source: &SourceArgs,
    files: &[PathBuf],
    embedded: bool,
    graph: Option<String>,
    threads: Option<usize>,
    out: &mut dyn Write,
) -> Result<u8> {
    if let Some(url) = &source.remote.endpoint {
        Endpoint::new(url)?;
        return Err(Error::Usage(format!(
            "load writes to a persistent store in this process; to upload to {url}, use `stroma push --endpoint {url} FILE…`"
        ))
        .into());
    }
    let Some(dir) = &source.store else {
        return Err(
            Error::Usage("load writes to a persistent store: add --store DIR".into()).into(),
        );
    };
    if let Some(file) = source.data.first() {
        return Err(Error::Usage(format!(
            "load takes its files as arguments, not --data ({}): `stroma load FILE… --store DIR`",
            file.display()
        ))
        .into());
    }
    let graph = graph
        .as_deref()
        .map(|g| iri_arg("--graph", g))
        .transpose()?;
    let request = LoadRequest {
        files: files.to_vec(),
        embedded,
        format: source.data_format.map(RdfFormat::from),
        graph,
        threads,
    };
    let started = std::time::Instant::now();
    let bar = progress_bar("{bar:30} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}");
    let on_progress = |p: store::Progress| {
        bar.set_length(p.bytes_total);
        bar.set_position(p.bytes_read);
        bar.set_message(rate(p.quads, started));
    };
    let loaded = engine::load_store(dir, &request, &on_progress);
    bar.finish_and_clear();
    let summary = loaded.context("load failed; the store is as it was")?;
    let peak = peak_memory()
        .map(|bytes| format!(", peak memory {} MiB", bytes >> 20))
        .unwrap_or_default();
    writeln!(
        out,
        "loaded {} triples ({} bytes) into {} in {:.2} s ({:.0} triples/s{peak})",
        summary.quads,
        summary.bytes,
        dir.display(),
        summary.seconds,
        summary.quads as f64 / summary.seconds.max(1e-9),
    )?;
    Ok(0)
}

/// The most memory this process has held (its peak resident set), where the system says.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The IRI an option names, or an error naming the option.
fn iri_arg(flag: &str, value: &str) -> Result<NamedNode> {
    NamedNode::new(value).map_err(|e| Error::Usage(format!("bad {flag} IRI '{value}': {e}")).into())
}

/// A progress bar on stderr drawn with `template` (indicatif's).
fn progress_bar(template: &str) -> indicatif::ProgressBar {
    if voice::quiet() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// "N triples, R triples/s" since `started`.
fn rate(triples: u64, started: std::time::Instant) -> String {
    let seconds = started.elapsed().as_secs_f64().max(1e-3);
    format!(
        "{triples} triples, {:.0} triples/s",
        triples as f64 / seconds
    )
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
