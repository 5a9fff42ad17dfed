//! Compiles the curated graph (`ontology/`, `data/`), the SHACL shapes and the named queries
//! (`queries/`) into the binary, so every command works with no files on disk.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|e| e == extension))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn table(out: &mut String, name: &str, paths: &[PathBuf], root: &Path) {
    writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
    for path in paths {
        let relative = path.strip_prefix(root).unwrap().display().to_string();
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            path.display()
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    for dir in ["ontology", "data", "queries"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    let shapes = root.join("ontology").join("shapes.ttl");
    let mut graph: Vec<PathBuf> = files(&root.join("ontology"), "ttl")
        .into_iter()
        .filter(|path| *path != shapes)
        .collect();
    graph.extend(files(&root.join("data"), "ttl"));
    let queries = files(&root.join("queries"), "rq");

    let mut out = String::new();
    table(&mut out, "GRAPH", &graph, &root);
    table(&mut out, "QUERIES", &queries, &root);
    let shapes_list: Vec<PathBuf> = [shapes].into_iter().filter(|p| p.exists()).collect();
    table(&mut out, "SHAPES", &shapes_list, &root);
    let target = PathBuf::from(env::var("OUT_DIR").unwrap()).join("embedded.rs");
    fs::write(target, out).unwrap();
}
