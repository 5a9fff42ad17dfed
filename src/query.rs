//! SPARQL text: finding the query the user means (text, `.rq` file or named query), parsing it
//! with Stroma's prefixes and line:column errors, and writing results in standard formats.
//! Evaluation happens behind the store layer's seam (`store::Db`), which this module does not
//! import.

use crate::embedded;
use crate::error::{Error, Result};
use crate::table;
use crate::text::nearest;
use crate::vocab::Prefixes;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::QueryResults;
use spargebra::{Query, SparqlParser, Update};
use std::io::Write;
use std::path::Path;

/// A query the user asked for, with where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct QueryText {
    pub text: String,
    pub origin: String,
}

/// A named query from `queries/`, compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct NamedQuery {
    pub name: &'static str,
    pub description: &'static str,
    pub text: &'static str,
}

/// Every named query, sorted by name.
pub fn named_queries() -> Vec<NamedQuery> {
    let mut all: Vec<NamedQuery> = embedded::QUERIES
        .iter()
        .map(|(path, text)| NamedQuery {
            name: Path::new(path)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(path),
            description: description(text),
            text,
        })
        .collect();
    all.sort_by_key(|q| q.name);
    all
}

/// The first comment line of a query file: its one-line description.
fn description(text: &'static str) -> &'static str {
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .unwrap_or("")
}

/// Finds the query meant by `arg`: a path to a file, the name of a named query, or SPARQL text.
pub fn find(arg: &str) -> Result<QueryText> {
    let path = Path::new(arg);
    if !arg.contains('\n') && (arg.ends_with(".rq") || arg.ends_with(".ru") || path.is_file()) {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        return Ok(QueryText {
            text,
            origin: arg.to_owned(),
        });
    }
    let all = named_queries();
    if let Some(named) = all.iter().find(|q| q.name == arg) {
        return Ok(QueryText {
            text: named.text.to_owned(),
            origin: format!("named query '{}'", named.name),
        });
    }
    let looks_like_sparql = arg.contains(char::is_whitespace) || arg.contains('{');
    if looks_like_sparql {
        return Ok(QueryText {
            text: arg.to_owned(),
            origin: "the query".to_owned(),
        });
    }
    let names: Vec<&str> = all.iter().map(|q| q.name).collect();
    let suggestion = nearest(arg, names.iter().copied())
        .map(|n| format!(" (did you mean '{n}'?)"))
        .unwrap_or_default();
    Err(Error::UnknownQuery {
        given: arg.to_owned(),
        suggestion,
        valid: names.join(", "),
    })
}

/// Parses a query, adding the prefixes so that `sr:`, `st:`… work without declarations.
pub fn parse(query: &QueryText, prefixes: &Prefixes) -> Result<Query> {
    parser(prefixes)?
        .parse_query(&query.text)
        .map_err(|e| Error::SparqlSyntax {
            origin: query.origin.clone(),
            message: e.to_string(),
        })
}

/// Parses one of the library's own queries (a syntax error there is a defect, not bad input).
pub fn parse_internal(sparql: &str, prefixes: &Prefixes) -> Result<Query> {
    parser(prefixes)?
        .parse_query(sparql)
        .map_err(|e| Error::Internal(format!("an internal query does not parse: {e}\n{sparql}")))
}

/// Parses a SPARQL update the same way as [`parse`].
pub fn parse_update(update: &QueryText, prefixes: &Prefixes) -> Result<Update> {
    parser(prefixes)?
        .parse_update(&update.text)
        .map_err(|e| Error::SparqlSyntax {
            origin: update.origin.clone(),
            message: e.to_string(),
        })
}

fn parser(prefixes: &Prefixes) -> Result<SparqlParser> {
    let mut parser = SparqlParser::new();
    for (name, iri) in prefixes.iter() {
        parser = parser
            .with_prefix(name, iri)
            .map_err(|e| Error::Usage(format!("cannot use the prefix {name}: <{iri}>: {e}")))?;
    }
    Ok(parser)
}

/// An output format for query results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutputFormat {
    /// Aligned text with shortened IRIs, for people.
    Table,
    /// A W3C SPARQL results format (CSV, TSV, JSON, XML) for solutions and booleans.
    Results(QueryResultsFormat),
    /// An RDF format for CONSTRUCT and DESCRIBE.
    Graph(RdfFormat),
}

/// Writes query results to `out` in `format`. `format` None picks the default for the kind of
/// result: `table_default` decides between a table and TSV for solutions, Turtle for graphs.
pub fn write(
    results: QueryResults<'static>,
    format: Option<OutputFormat>,
    table_default: bool,
    prefixes: &Prefixes,
    out: &mut dyn Write,
) -> Result<()> {
    match results {
        QueryResults::Graph(triples) => {
            let format = match format {
                None => RdfFormat::Turtle,
                Some(OutputFormat::Graph(f)) => f,
                Some(_) => {
                    return Err(Error::Usage(
                        "CONSTRUCT and DESCRIBE give a graph: use --format ttl, nt, nq, trig, jsonld or rdfxml".into(),
                    ))
                }
            };
            let mut serializer = RdfSerializer::from_format(format);
            if matches!(format, RdfFormat::Turtle | RdfFormat::TriG) {
                for (name, iri) in prefixes.iter() {
                    serializer = serializer
                        .with_prefix(name, iri)
                        .map_err(|e| Error::Usage(e.to_string()))?;
                }
            }
            let mut writer = serializer.for_writer(out);
            for triple in triples {
                writer.serialize_triple(&triple?)?;
            }
            writer.finish()?;
            Ok(())
        }
        results => {
            let format =
                match format {
                    None if table_default => OutputFormat::Table,
                    None => OutputFormat::Results(QueryResultsFormat::Tsv),
                    Some(OutputFormat::Graph(_)) => return Err(Error::Usage(
                        "SELECT and ASK give solutions: use --format table, csv, tsv, json or xml"
                            .into(),
                    )),
                    Some(format) => format,
                };
            match format {
                OutputFormat::Table => table::write_results(results, prefixes, out),
                OutputFormat::Results(format) => write_standard(results, format, out),
                OutputFormat::Graph(_) => unreachable!("graph formats are rejected above"),
            }
        }
    }
}

fn write_standard(
    results: QueryResults<'static>,
    format: QueryResultsFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let serializer = QueryResultsSerializer::from_format(format);
    match results {
        QueryResults::Boolean(value) => {
            serializer.serialize_boolean_to_writer(out, value)?;
        }
        QueryResults::Solutions(solutions) => {
            let mut writer =
                serializer.serialize_solutions_to_writer(out, solutions.variables().to_vec())?;
            for solution in solutions {
                let solution = solution?;
                writer.serialize(solution.iter().map(|(v, t)| (v.as_ref(), t.as_ref())))?;
            }
            writer.finish()?;
        }
        QueryResults::Graph(_) => unreachable!("graphs are written by write()"),
    }
    Ok(())
}
