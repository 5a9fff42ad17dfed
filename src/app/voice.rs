//! What a command says on stderr besides its errors, and in what colours: `--quiet` (nothing
//! but errors), the default (notes, summaries, progress, warnings) or `--verbose` (also
//! Stroma's tracing events at debug level: what was opened, added, inferred, cached, and how
//! long each took). Colour follows the conventions terminals share: none when `NO_COLOR` is set
//! (https://no-color.org), forced by `CLICOLOR_FORCE`, else only on a terminal.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};
use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// How much a command says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet = 0,
    Normal = 1,
    Verbose = 2,
}

static VERBOSITY: AtomicU8 = AtomicU8::new(Verbosity::Normal as u8);

/// Sets how much this process says (once, from the options).
pub fn set(verbosity: Verbosity) {
    VERBOSITY.store(verbosity as u8, Ordering::Relaxed);
}

fn get() -> Verbosity {
    match VERBOSITY.load(Ordering::Relaxed) {
        0 => Verbosity::Quiet,
        1 => Verbosity::Normal,
        _ => Verbosity::Verbose,
    }
}

/// True with `--quiet`.
pub fn quiet() -> bool {
    get() == Verbosity::Quiet
}

/// True with `--verbose`.
pub fn verbose() -> bool {
    get() == Verbosity::Verbose
}

/// Prints a line on stderr unless `--quiet`: a note, a summary.
pub fn say(line: impl std::fmt::Display) {
    if !quiet() {
        eprintln!("{line}");
    }
}

/// Prints a line on stderr with `--verbose` only.
pub fn detail(line: impl std::fmt::Display) {
    if verbose() {
        eprintln!("{line}");
    }
}

/// True when stderr may carry colour: `NO_COLOR` unset (or empty), and `CLICOLOR_FORCE` set or
/// stderr a terminal.
pub fn colour() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    !set("NO_COLOR") && (set("CLICOLOR_FORCE") || std::io::stderr().is_terminal())
}

/// How the logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logs {
    /// A one-shot command: the level and the message.
    Command,
    /// `stroma serve`'s request logs: time, level, target, fields; as text or JSON lines.
    Server { json: bool },
}

/// Installs the process's tracing subscriber on stderr: Stroma's events from `level` up
/// (warnings by default; requests too for a server; debug with `--verbose`; errors only with
/// `--quiet`), other crates' warnings and errors.
pub fn install(logs: Logs) {
    let stroma = match (get(), logs) {
        (Verbosity::Quiet, _) => Level::ERROR,
        (Verbosity::Verbose, _) => Level::DEBUG,
        (Verbosity::Normal, Logs::Server { .. }) => Level::INFO,
        (Verbosity::Normal, Logs::Command) => Level::WARN,
    };
    let others = if quiet() { Level::ERROR } else { Level::WARN };
    let filter = Targets::new()
        .with_target("stroma", stroma)
        .with_default(others);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(colour());
    // A subscriber is already set only when a command runs twice in one process (tests).
    let _ = match logs {
        Logs::Command => tracing_subscriber::registry()
            .with(layer.without_time().with_target(false).with_filter(filter))
            .try_init(),
        Logs::Server { json: false } => tracing_subscriber::registry()
            .with(layer.with_filter(filter))
            .try_init(),
        Logs::Server { json: true } => tracing_subscriber::registry()
            .with(layer.json().with_filter(filter))
            .try_init(),
    };
}
