//! Graphviz: runs `dot` to lay out DOT as SVG or PNG. The one place Stroma starts another
//! program; a missing or failing `dot` is an [`Error::Tool`] that says how to install it.

use crate::error::{Error, Result};
use std::io::Write;

/// Runs Graphviz `dot` to turn DOT into SVG or PNG.
pub fn run_dot(dot: &str, format: &str) -> Result<Vec<u8>> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Tool(format!(
                    "--format {format} needs Graphviz's `dot`, which is not installed: apt-get install graphviz (Debian/Ubuntu) or brew install graphviz; --format dot works without it"
                ))
            } else {
                Error::Io(e)
            }
        })?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| Error::Internal("dot was started without a stdin pipe".into()))?;
    let text = dot.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| Error::Internal("the thread writing to dot panicked".into()))?
        .map_err(|e| Error::Tool(format!("cannot write to dot: {e}")))?;
    if !output.status.success() {
        return Err(Error::Tool(format!(
            "dot failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}
