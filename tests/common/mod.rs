//! Shared helpers for the integration tests: a `stroma` command and a scratch directory.
#![allow(dead_code)]

pub mod http;
pub mod neo4j;
pub mod served;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The `stroma` binary under test.
pub fn stroma() -> Command {
    let mut command = Command::cargo_bin("stroma").expect("the stroma binary is built");
    command.env_remove("NO_COLOR");
    command
}

/// A temporary directory that is removed when dropped.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `name` inside the scratch directory and returns its path.
    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write a scratch file");
        path
    }
}

/// Runs `stroma` with `args`, asserts success and returns stdout.
pub fn stdout_of(args: &[&str]) -> String {
    let output = stroma().args(args).output().expect("stroma runs");
    assert!(
        output.status.success(),
        "stroma {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// True when an external tool is present; otherwise prints why the test is skipped, or fails
/// when `STROMA_REQUIRE_EXTERNAL` is set (as in CI).
pub fn have_tool(tool: &str, args: &[&str]) -> bool {
    let present = std::process::Command::new(tool)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        if std::env::var_os("STROMA_REQUIRE_EXTERNAL").is_some() {
            panic!("{tool} is required (STROMA_REQUIRE_EXTERNAL is set) but is not installed");
        }
        eprintln!("skipping: {tool} is not installed");
    }
    present
}

/// The test venv's Python (`STROMA_VENV`, else /var/tmp/stroma-venv) when `modules` import in
/// it; otherwise prints why the test is skipped, or fails when `STROMA_REQUIRE_EXTERNAL` is set
/// (as in CI, where `scripts/test` installs them).
pub fn venv_python(modules: &[&str]) -> Option<String> {
    let venv = std::env::var("STROMA_VENV").unwrap_or_else(|_| "/var/tmp/stroma-venv".into());
    let python = format!("{venv}/bin/python");
    let ok = std::process::Command::new(&python)
        .args(["-c", &format!("import {}", modules.join(", "))])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    let reason = format!(
        "{python} with {} (scripts/test installs them)",
        modules.join(" and ")
    );
    if std::env::var_os("STROMA_REQUIRE_EXTERNAL").is_some() {
        panic!("missing {reason}");
    }
    eprintln!("skipped: missing {reason}");
    None
}

/// Runs a SELECT on the embedded graph and returns each row as (variable, lexical value) pairs.
pub fn select(sparql: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    use oxigraph::sparql::results::{
        QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
    };
    let out = stdout_of(&["query", sparql, "--format", "json"]);
    let parser = QueryResultsParser::from_format(QueryResultsFormat::Json);
    match parser.for_slice(out.as_bytes()).expect("JSON results") {
        SliceQueryResultsParserOutput::Solutions(solutions) => solutions
            .map(|s| {
                s.expect("a solution")
                    .iter()
                    .map(|(v, t)| {
                        let value = match t {
                            oxigraph::model::Term::Literal(l) => l.value().to_owned(),
                            oxigraph::model::Term::NamedNode(n) => n.as_str().to_owned(),
                            other => other.to_string(),
                        };
                        (v.as_str().to_owned(), value)
                    })
                    .collect()
            })
            .collect(),
        SliceQueryResultsParserOutput::Boolean(b) => {
            vec![[("ask".to_owned(), b.to_string())].into_iter().collect()]
        }
    }
}

/// Runs an ASK on the embedded graph.
pub fn ask(sparql: &str) -> bool {
    select(sparql)[0]["ask"] == "true"
}

/// `stroma trace ARGS --format json`, parsed.
pub fn trace_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["trace"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    serde_json::from_str(&stdout_of(&all)).expect("trace JSON")
}

/// The reference numbers of the studies behind a trace hop (JSON), each once, in order.
pub fn refs_of(hop: &serde_json::Value) -> Vec<u64> {
    let mut numbers: Vec<u64> = hop["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .flat_map(|e| e["studies"].as_array().expect("studies").iter())
        .filter_map(|s| s["number"].as_u64())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}
