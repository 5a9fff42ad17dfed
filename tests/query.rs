//! `stroma query`, `stroma queries` and the SPARQL results formats, on the embedded graph and on
//! data the user brings.

mod common;

use common::{stdout_of, stroma, Scratch};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use predicates::prelude::*;

const FIRST_STUDIES: &str = "SELECT ?n ?author WHERE { ?s st:referenceNumber ?n ; st:firstAuthor ?author } ORDER BY ?n LIMIT 3";

/// Parses standard SPARQL results with sparesults and returns the lexical values row by row.
/// sparesults refuses to read CSV (the format is lossy), so CSV is split by RFC 4180 rules here:
/// CRLF line ends and a header row; the values used in these tests contain no quotes or commas.
fn parse_results(format: QueryResultsFormat, bytes: &[u8]) -> Vec<Vec<String>> {
    if format == QueryResultsFormat::Csv {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        assert!(text.ends_with("\r\n"), "CSV lines end in CRLF");
        return text
            .split("\r\n")
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
    }
    let parser = QueryResultsParser::from_format(format);
    match parser.for_slice(bytes).expect("results parse") {
        SliceQueryResultsParserOutput::Solutions(solutions) => solutions
            .map(|s| {
                s.expect("a solution")
                    .iter()
                    .map(|(_, term)| match term {
                        oxigraph::model::Term::Literal(l) => l.value().to_owned(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect(),
        SliceQueryResultsParserOutput::Boolean(b) => vec![vec![b.to_string()]],
    }
}

#[test]
fn every_results_format_parses_back_to_the_same_rows() {
    let expected = vec![
        vec!["1".to_owned(), "Pittenger MF".to_owned()],
        vec!["2".to_owned(), "Liu TM".to_owned()],
        vec!["3".to_owned(), "Pountos I".to_owned()],
    ];
    for (name, format) in [
        ("csv", QueryResultsFormat::Csv),
        ("tsv", QueryResultsFormat::Tsv),
        ("json", QueryResultsFormat::Json),
        ("xml", QueryResultsFormat::Xml),
    ] {
        let output = stdout_of(&["query", FIRST_STUDIES, "--format", name]);
        assert_eq!(
            parse_results(format, output.as_bytes()),
            expected,
            "format {name}"
        );
    }
}

#[test]
fn ask_answers_in_json_and_table() {
    let ask = "ASK { ref:111 st:firstAuthor \"Yang H\" }";
    let json = stdout_of(&["query", ask, "--format", "json"]);
    assert_eq!(
        parse_results(QueryResultsFormat::Json, json.as_bytes()),
        vec![vec!["true"]]
    );
    assert_eq!(
        stdout_of(&["query", ask, "--format", "table"]).trim(),
        "yes"
    );
}

#[test]
fn table_shortens_iris_with_the_graph_prefixes() {
    stroma()
        .args([
            "query",
            "SELECT ?s WHERE { ?s st:referenceNumber 111 }",
            "--format",
            "table",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("ref:111"))
        .stdout(predicate::str::contains("(1 row)"));
}

#[test]
fn construct_writes_rdf_in_the_chosen_format() {
    let construct = "CONSTRUCT { ref:111 st:firstAuthor ?a } WHERE { ref:111 st:firstAuthor ?a }";
    let nt = stdout_of(&["query", construct, "--format", "nt"]);
    assert_eq!(
        nt.trim(),
        "<https://w3id.org/stroma/ref/111> <https://w3id.org/stroma/vocab#firstAuthor> \"Yang H\" ."
    );
    let ttl = stdout_of(&["query", construct]);
    assert!(ttl.contains("ref:111"), "Turtle uses prefixes: {ttl}");
    for format in ["nq", "trig", "jsonld", "rdfxml"] {
        let out = stdout_of(&["query", construct, "--format", format]);
        assert!(out.contains("Yang H"), "{format}: {out}");
    }
}

#[test]
fn a_query_file_and_a_named_query_both_run() {
    let scratch = Scratch::new();
    let file = scratch.file(
        "q.rq",
        "# count studies\nSELECT (COUNT(?s) AS ?n) WHERE { ?s a st:Study }",
    );
    let out = stdout_of(&["query", file.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(out.replace('\r', ""), "n\n134\n");
    let listed = stdout_of(&["queries"]);
    let first = listed.lines().next().expect("at least one named query");
    let (name, description) = first.split_once('\t').expect("name<TAB>description");
    assert!(!description.is_empty(), "{name} has a description");
    stdout_of(&["query", name, "--format", "csv"]);
}

#[test]
fn unknown_named_query_suggests_and_lists() {
    let listed = stdout_of(&["queries"]);
    let name = listed
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_owned();
    let typo = format!("{}x", &name[..name.len() - 1]);
    stroma()
        .args(["query", &typo])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("did you mean '{name}'")))
        .stderr(predicate::str::contains("named queries:"));
}

#[test]
fn malformed_sparql_reports_line_and_column_and_exits_2() {
    stroma()
        .args(["query", "SELECT ?s\nWHERE { ?s ?p }"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SPARQL syntax error"))
        .stderr(predicate::str::contains("2:"));
}

#[test]
fn unknown_output_format_lists_the_valid_ones() {
    stroma()
        .args(["query", FIRST_STUDIES, "--format", "yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'yaml'"))
        .stderr(predicate::str::contains("csv, tsv, json, xml"));
}

#[test]
fn data_files_are_added_to_the_embedded_graph_or_replace_it() {
    let scratch = Scratch::new();
    let file = scratch.file(
        "mine.ttl",
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n",
    );
    let ask = "ASK { <http://example.org/a> <http://example.org/b> <http://example.org/c> }";
    let path = file.to_str().unwrap();
    assert_eq!(
        stdout_of(&["query", ask, "--format", "table", "--data", path]).trim(),
        "yes"
    );
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let only = stdout_of(&[
        "query",
        count,
        "--format",
        "csv",
        "--no-embedded",
        "--data",
        path,
    ]);
    assert_eq!(only.replace('\r', ""), "n\n1\n");
}

#[test]
fn data_format_override_reads_a_file_without_extension() {
    let scratch = Scratch::new();
    let file = scratch.file(
        "triples",
        "<http://example.org/a> <http://example.org/b> \"x\" .\n",
    );
    let out = stdout_of(&[
        "query",
        "SELECT ?o WHERE { <http://example.org/a> ?p ?o }",
        "--format",
        "csv",
        "--data",
        file.to_str().unwrap(),
        "--data-format",
        "nt",
    ]);
    assert_eq!(out.replace('\r', ""), "o\nx\n");
    stroma()
        .args(["query", "ASK {}", "--data", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot tell the RDF format"));
}

#[test]
fn malformed_rdf_names_file_line_and_column_and_adds_nothing() {
    let scratch = Scratch::new();
    let good = scratch.file(
        "good.ttl",
        "<http://example.org/g> <http://example.org/p> 1 .\n",
    );
    let bad = scratch.file("bad.ttl", "<http://example.org/a> <http://example.org/b> 1 .\n<http://example.org/c> <http://example.org/d> .\n");
    let bad_path = bad.to_str().unwrap();
    stroma()
        .args([
            "query",
            "ASK {}",
            "--data",
            good.to_str().unwrap(),
            "--data",
            bad_path,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{bad_path}:2:")));
}

#[test]
fn broken_pipe_exits_zero_silently() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("stroma"))
        .args(["query", "SELECT * WHERE { ?s ?p ?o }", "--format", "tsv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stroma starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("stroma ends");
    assert!(output.status.success(), "exit status {:?}", output.status);
    assert!(
        output.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_named_query_runs_and_answers_its_question() {
    let listed = stdout_of(&["queries"]);
    let names: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert!(
        names.len() >= 25,
        "at least 25 competency queries: {names:?}"
    );
    for line in listed.lines() {
        let (name, question) = line.split_once('\t').unwrap();
        assert!(
            question.ends_with('?'),
            "{name}: the description states a question"
        );
        let csv = stdout_of(&["query", name, "--format", "csv"]);
        assert!(csv.lines().count() >= 2, "{name} returns at least one row");
    }
}

#[test]
fn colitis_repair_mediator_names_tsg6_and_reference_111() {
    let csv = stdout_of(&["query", "colitis-repair-mediator", "--format", "csv"]);
    assert!(csv.contains("TSG-6"), "{csv}");
    assert!(csv.contains("111"), "{csv}");
}
