//! Compiles the curated graph (`ontology/`, `data/`), the SHACL shapes and the named queries
//! (`queries/`) into the binary, so every command works with no files on disk.
//!
//! The graph is parsed here, at build time, and written as Rust statics — a table of terms and
//! a table of triples as indexes into it — so a command inserts it into its store without
//! parsing Turtle at start-up (`src/embedded.rs`). A file that does not parse fails the build
//! with its `file:line:column`.

use std::collections::HashMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use oxrdf::{NamedOrBlankNode, Term};
use oxttl::TurtleParser;

#[path = "src/hash.rs"]
mod hash;

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
    for dir in ["ontology", "data", "queries", "src"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    println!("cargo:rustc-env=STROMA_BUILD_ID={:016x}", build_id(&root));
    let shapes = root.join("ontology").join("shapes.ttl");
    let mut graph: Vec<PathBuf> = files(&root.join("ontology"), "ttl")
        .into_iter()
        .filter(|path| *path != shapes)
        .collect();
    graph.extend(files(&root.join("data"), "ttl"));
    let queries = files(&root.join("queries"), "rq");

    let mut out = String::new();
    compile_graph(&mut out, &graph, &root);
    table(&mut out, "QUERIES", &queries, &root);
    let shapes_list: Vec<PathBuf> = [shapes].into_iter().filter(|p| p.exists()).collect();
    table(&mut out, "SHAPES", &shapes_list, &root);
    let target = PathBuf::from(env::var("OUT_DIR").unwrap()).join("embedded.rs");
    fs::write(target, out).unwrap();
}

/// A hash of everything that decides what Stroma reads from a graph (its sources, the curated
/// graph, the named queries): part of the stamp of the files kept beside a store, so a build
/// that reads a graph differently never reuses what an older build kept.
fn build_id(root: &Path) -> u64 {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    for dir in ["src", "ontology", "data", "queries"] {
        walk(&root.join(dir), &mut paths);
    }
    paths.sort();
    let mut hash = hash::FNV_START;
    for path in paths {
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        hash = hash::fnv1a(hash, relative.as_bytes());
        hash = hash::fnv1a(hash, &fs::read(&path).unwrap_or_default());
    }
    hash
}

/// The terms of the graph, each written once, and the triples as indexes into them.
#[derive(Default)]
struct Compiled {
    terms: Vec<String>,
    index: HashMap<String, u32>,
    triples: Vec<[u32; 3]>,
}

impl Compiled {
    /// The index of `term` written as a Rust expression of `embedded::Term`.
    fn intern(&mut self, term: String) -> u32 {
        if let Some(&at) = self.index.get(&term) {
            return at;
        }
        let at = u32::try_from(self.terms.len()).expect("fewer than 2^32 terms");
        self.index.insert(term.clone(), at);
        self.terms.push(term);
        at
    }
}

/// A term as a Rust expression of `embedded::Term`. Blank nodes are numbered in the order they
/// appear (`blanks` holds one file's: labels are scoped to a document), so the build's output is
/// the same every time and no two files share a node.
fn term_code(term: &Term, file: usize, blanks: &mut HashMap<String, String>) -> String {
    match term {
        Term::NamedNode(n) => format!("Term::Iri({:?})", n.as_str()),
        Term::BlankNode(b) => {
            let next = blanks.len();
            let label = blanks
                .entry(b.as_str().to_owned())
                .or_insert_with(|| format!("stroma{file}b{next}"));
            format!("Term::Blank({label:?})")
        }
        Term::Literal(l) => match (l.language(), l.datatype().as_str()) {
            (Some(language), _) => format!("Term::Lang({:?}, {:?})", l.value(), language),
            (None, "http://www.w3.org/2001/XMLSchema#string") => {
                format!("Term::Simple({:?})", l.value())
            }
            (None, datatype) => format!("Term::Typed({:?}, {:?})", l.value(), datatype),
        },
        #[allow(unreachable_patterns)]
        other => panic!("a term the embedded graph cannot hold: {other}"),
    }
}

fn compile_graph(out: &mut String, paths: &[PathBuf], root: &Path) {
    let mut compiled = Compiled::default();
    for (file, path) in paths.iter().enumerate() {
        let relative = path.strip_prefix(root).unwrap().display().to_string();
        let text = fs::read(path).unwrap_or_else(|e| panic!("{relative}: {e}"));
        let mut blanks = HashMap::new();
        for triple in TurtleParser::new().for_slice(&text) {
            let triple = triple.unwrap_or_else(|e| {
                let at = e.location().start;
                panic!("{relative}:{}:{}: {e}", at.line + 1, at.column + 1)
            });
            let subject: Term = match triple.subject {
                NamedOrBlankNode::NamedNode(n) => n.into(),
                NamedOrBlankNode::BlankNode(b) => b.into(),
            };
            let s = compiled.intern(term_code(&subject, file, &mut blanks));
            let p = compiled.intern(term_code(&triple.predicate.into(), file, &mut blanks));
            let o = compiled.intern(term_code(&triple.object, file, &mut blanks));
            compiled.triples.push([s, p, o]);
        }
    }
    writeln!(out, "pub static TERMS: &[Term] = &[").unwrap();
    for term in &compiled.terms {
        writeln!(out, "    {term},").unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(out, "pub static TRIPLES: &[[u32; 3]] = &[").unwrap();
    for [s, p, o] in &compiled.triples {
        writeln!(out, "    [{s}, {p}, {o}],").unwrap();
    }
    writeln!(out, "];").unwrap();
}
