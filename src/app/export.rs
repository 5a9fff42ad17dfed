//! `stroma export`: turns the arguments into an export request, gives the engine a sink — a
//! directory or file staged beside the target, or standard output — and, when the export has
//! succeeded, renames the staged output into place. A failed export leaves nothing behind.

use super::{iri_arg, open};
use crate::cli::{ExportArgs, SourceArgs};
use crate::engine::export::{ExportReport, ExportRequest};
use crate::error::Error;
use crate::export::{Format, Sink};
use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub fn export(source: &SourceArgs, args: &ExportArgs, out: &mut dyn Write) -> Result<u8> {
    let format = Format::from(args.format);
    let graph = iri_arg("--graph", &args.graph)?;
    let request = ExportRequest { format, graph };
    let report = match &args.output {
        None if format.is_directory() => {
            return Err(Error::Usage(format!(
                "--format {} writes a directory of files: name it with -o DIR",
                format.name()
            ))
            .into())
        }
        None => {
            let engine = open(source)?;
            engine.export(&request, &mut StdoutSink(out))?
        }
        Some(path) => {
            let staged = Staged::new(path, format.is_directory())?;
            let engine = open(source)?;
            let report = if format.is_directory() {
                engine.export(&request, &mut DirSink(staged.temp.clone()))
            } else {
                engine.export(&request, &mut FileSink(staged.temp.clone()))
            }
            .with_context(|| {
                format!("cannot export to {} (nothing was written)", path.display())
            })?;
            staged.commit()?;
            report
        }
    };
    super::voice::say(summary(&report, args.output.as_deref()));
    Ok(0)
}

/// "wrote 1234 nodes and 2345 edges to DIR (kgx)".
fn summary(report: &ExportReport, output: Option<&Path>) -> String {
    let target = output.map_or_else(|| "standard output".to_owned(), |p| p.display().to_string());
    let name = report.format.name();
    match (report.nodes, report.edges) {
        (Some(nodes), Some(edges)) => {
            let edges_are = if report.format == Format::Neo4j {
                "relationships"
            } else {
                "edges"
            };
            format!("wrote {nodes} nodes and {edges} {edges_are} to {target} ({name})")
        }
        _ => format!("wrote {} triples to {target} ({name})", report.triples),
    }
}

/// Writes a single-file export to standard output.
struct StdoutSink<'a>(&'a mut dyn Write);

impl Sink for StdoutSink<'_> {
    fn open(&mut self, _name: &str) -> std::io::Result<Box<dyn Write + '_>> {
        Ok(Box::new(&mut *self.0))
    }
}

/// Writes a single-file export into one (staged) file, whatever its name.
struct FileSink(PathBuf);

impl Sink for FileSink {
    fn open(&mut self, _name: &str) -> std::io::Result<Box<dyn Write + '_>> {
        Ok(Box::new(BufWriter::new(create(&self.0)?)))
    }
}

/// Writes each file of a directory export into one (staged) directory.
struct DirSink(PathBuf);

impl Sink for DirSink {
    fn open(&mut self, name: &str) -> std::io::Result<Box<dyn Write + '_>> {
        Ok(Box::new(BufWriter::new(create(&self.0.join(name))?)))
    }
}

fn create(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path).map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
    })
}

/// An export's output staged beside its target: removed when dropped unless committed.
struct Staged {
    target: PathBuf,
    temp: PathBuf,
    directory: bool,
    committed: bool,
}

impl Staged {
    /// Stages a file or directory beside `target` (whose parent must exist).
    fn new(target: &Path, directory: bool) -> Result<Self> {
        let name = target.file_name().ok_or_else(|| {
            Error::Usage(format!("-o {}: name a file or directory", target.display()))
        })?;
        if target.is_dir() != directory && target.exists() {
            let want = if directory { "a directory" } else { "a file" };
            return Err(Error::Usage(format!(
                "-o {}: it exists and is not {want}",
                target.display()
            ))
            .into());
        }
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = parent.join(format!(
            ".{}.stroma-export-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        let made = if directory {
            std::fs::create_dir(&temp)
        } else {
            std::fs::File::create(&temp).map(drop)
        };
        made.with_context(|| format!("cannot write beside {}", target.display()))?;
        Ok(Self {
            target: target.to_path_buf(),
            temp,
            directory,
            committed: false,
        })
    }

    /// Moves the staged output onto the target. Into an existing directory only the export's
    /// own files are moved, each replacing the file of its name: nothing else there is touched.
    fn commit(mut self) -> Result<()> {
        if self.directory && self.target.is_dir() {
            let entries = std::fs::read_dir(&self.temp)
                .with_context(|| format!("cannot read {}", self.temp.display()))?;
            for entry in entries {
                let entry =
                    entry.with_context(|| format!("cannot read {}", self.temp.display()))?;
                let to = self.target.join(entry.file_name());
                std::fs::rename(entry.path(), &to)
                    .with_context(|| format!("cannot move the export to {}", to.display()))?;
            }
            let _ = std::fs::remove_dir(&self.temp);
        } else {
            std::fs::rename(&self.temp, &self.target)
                .with_context(|| format!("cannot move the export to {}", self.target.display()))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // Best effort: the error being reported matters more than a failed clean-up.
        let _ = if self.directory {
            std::fs::remove_dir_all(&self.temp)
        } else {
            std::fs::remove_file(&self.temp)
        };
    }
}
