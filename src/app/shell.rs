//! Shell integration generated from the clap definitions: completion scripts
//! (`stroma completions SHELL`) and manual pages (`stroma man`), so they never drift from
//! `--help`.

use crate::cli::Cli;
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<u8> {
    let mut command = Cli::command();
    // Generated into memory first: clap_complete panics when its writer fails (a closed pipe,
    // a full disk), and those must be errors like any other write's.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "stroma", &mut script);
    out.write_all(&script)?;
    Ok(0)
}

/// Writes `stroma.1`, or with `dir` one page per command into it.
pub fn man(dir: Option<&Path>, out: &mut dyn Write) -> Result<u8> {
    let mut command = Cli::command();
    command.build();
    let Some(dir) = dir else {
        clap_mangen::Man::new(command).render(out)?;
        return Ok(0);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    write_pages(&command, "stroma", dir, &mut written)?;
    super::voice::say(format_args!(
        "wrote {} manual pages to {} ({})",
        written.len(),
        dir.display(),
        written.join(", ")
    ));
    Ok(0)
}

/// Writes the page of `command` (named `name`) and of each of its subcommands, depth first.
fn write_pages(
    command: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<String>,
) -> Result<()> {
    let file = format!("{name}.1");
    let path = dir.join(&file);
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone().name(name.to_owned()))
        .render(&mut page)
        .with_context(|| format!("cannot render {file}"))?;
    // Written whole, then renamed: a page is never left half written.
    let partial = dir.join(format!(".{file}.partial"));
    std::fs::write(&partial, page)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, &path).with_context(|| format!("cannot write {}", path.display()))?;
    written.push(file);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
