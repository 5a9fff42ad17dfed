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
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolutionIter, QueryTripleIter};
use serde::Serialize;
use spargebra::algebra::QueryDataset;
use spargebra::{GraphUpdateOperation, Query, SparqlParser, Update};
use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

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
    find_as(arg, "the query")
}

/// Finds the update meant by `arg` as [`find`] does; SPARQL text is called "the update" in
/// messages.
pub fn find_update(arg: &str) -> Result<QueryText> {
    find_as(arg, "the update")
}

fn find_as(arg: &str, what: &str) -> Result<QueryText> {
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
    let looks_like_sparql = arg.contains(char::is_whitespace) || arg.contains('{');
    if looks_like_sparql {
        return Ok(QueryText {
            text: arg.to_owned(),
            origin: what.to_owned(),
        });
    }
    named(arg)
}

/// The named query `name` (never a file: for front ends that must not read the disk).
pub fn named(name: &str) -> Result<QueryText> {
    let all = named_queries();
    if let Some(named) = all.iter().find(|q| q.name == name) {
        return Ok(QueryText {
            text: named.text.to_owned(),
            origin: format!("named query '{}'", named.name),
        });
    }
    let names: Vec<&str> = all.iter().map(|q| q.name).collect();
    let suggestion = nearest(name, names.iter().copied())
        .map(|n| format!(" (did you mean '{n}'?)"))
        .unwrap_or_default();
    Err(Error::UnknownQuery {
        given: name.to_owned(),
        suggestion,
        valid: names.join(", "),
    })
}

/// Parses a query, adding the prefixes so that `sr:`, `st:`… work without declarations.
pub fn parse(query: &QueryText, prefixes: &Prefixes) -> Result<Query> {
    parse_based(query, prefixes, None)
}

/// Parses a query as [`parse`] does, resolving relative IRIs against `base` (a protocol
/// endpoint's IRI) when the query declares no `BASE` of its own.
pub fn parse_based(query: &QueryText, prefixes: &Prefixes, base: Option<&str>) -> Result<Query> {
    based(parser(prefixes)?, base)?
        .parse_query(&query.text)
        .map_err(|e| {
            let (at, message) = syntax_message(&query.text, &e.to_string());
            Error::SparqlSyntax {
                origin: query.origin.clone(),
                at,
                message,
            }
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
    parse_update_based(update, prefixes, None)
}

/// Parses an update as [`parse_update`] does, with a base IRI for relative IRIs.
pub fn parse_update_based(
    update: &QueryText,
    prefixes: &Prefixes,
    base: Option<&str>,
) -> Result<Update> {
    based(parser(prefixes)?, base)?
        .parse_update(&update.text)
        .map_err(|e| {
            let (at, message) = syntax_message(&update.text, &e.to_string());
            Error::SparqlSyntax {
                origin: update.origin.clone(),
                at,
                message,
            }
        })
}

/// The most expected tokens a syntax error lists.
const MOST_EXPECTED: usize = 12;

/// A SPARQL parser's message made readable: its list of expected tokens cut to the first
/// [`MOST_EXPECTED`] (the grammar's character classes, dozens of Unicode ranges, become "a
/// name"), followed by the offending line with a caret under the column; and the line and
/// column apart.
fn syntax_message(text: &str, message: &str) -> (Option<(usize, usize)>, String) {
    let Some((line, column, rest)) = message
        .strip_prefix("error at ")
        .and_then(|m| m.split_once(": "))
        .and_then(|(at, rest)| {
            let (line, column) = at.split_once(':')?;
            Some((
                line.parse::<usize>().ok()?,
                column.parse::<usize>().ok()?,
                rest,
            ))
        })
    else {
        return (None, message.to_owned());
    };
    let rest = match rest.strip_prefix("expected one of ") {
        Some(list) => format!("expected one of {}", expected(list)),
        None => rest.to_owned(),
    };
    let shown = match text.lines().nth(line.saturating_sub(1)) {
        None => format!("{rest} (at the end of the text)"),
        Some(source) => {
            let source = source.replace('\t', " ");
            let gutter = line.to_string();
            format!(
                "{rest}\n  {gutter} | {source}\n  {} | {}^",
                " ".repeat(gutter.len()),
                " ".repeat(column.saturating_sub(1))
            )
        }
    };
    (Some((line, column)), shown)
}

/// A parser's list of expected tokens (`"(", "*", ABS, ['0'..='9'], …`), shortened.
fn expected(list: &str) -> String {
    let mut tokens = Vec::new();
    let mut classes = false;
    let mut chars = list.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ',' | ' ' | '\n' => {
                chars.next();
            }
            '"' => {
                let mut token = String::from(chars.next().unwrap_or('"'));
                while let Some(c) = chars.next() {
                    token.push(c);
                    match c {
                        '\\' => token.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
                tokens.push(token);
            }
            '[' => {
                // A character class: skip to its closing bracket, outside quoted characters.
                classes = true;
                let mut quoted = false;
                for c in chars.by_ref() {
                    match c {
                        '\'' => quoted = !quoted,
                        ']' if !quoted => break,
                        _ => {}
                    }
                }
            }
            _ => {
                let mut token = String::new();
                while let Some(&c) = chars.peek() {
                    if c == ',' {
                        break;
                    }
                    token.push(c);
                    chars.next();
                }
                tokens.push(token.trim().to_owned());
            }
        }
    }
    let more = tokens.len().saturating_sub(MOST_EXPECTED);
    tokens.truncate(MOST_EXPECTED);
    let mut shown = tokens.join(", ");
    if more > 0 {
        shown.push_str(&format!(" and {more} more"));
    }
    if classes {
        shown.push_str(if tokens.is_empty() {
            "a name or a number"
        } else {
            ", or a name or a number"
        });
    }
    shown
}

fn based(parser: SparqlParser, base: Option<&str>) -> Result<SparqlParser> {
    match base {
        None => Ok(parser),
        Some(base) => parser
            .with_base_iri(base)
            .map_err(|e| Error::Usage(format!("cannot use <{base}> as the base IRI: {e}"))),
    }
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

/// What a query gives back, known from its form before it is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// SELECT: solutions.
    Solutions,
    /// ASK: a boolean.
    Boolean,
    /// CONSTRUCT and DESCRIBE: a graph.
    Graph,
}

/// The kind of result `query` gives.
pub fn kind(query: &Query) -> ResultKind {
    match query {
        Query::Select { .. } => ResultKind::Solutions,
        Query::Ask { .. } => ResultKind::Boolean,
        Query::Construct { .. } | Query::Describe { .. } => ResultKind::Graph,
    }
}

/// The RDF dataset a request names apart from the query text: the SPARQL Protocol's
/// `default-graph-uri` and `named-graph-uri` (or `using-graph-uri` and `using-named-graph-uri`
/// for an update).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestDataset {
    pub default_graphs: Vec<NamedNode>,
    pub named_graphs: Vec<NamedNode>,
}

impl RequestDataset {
    /// True when the request names no graph (the query's own dataset, or the store's, applies).
    pub fn is_empty(&self) -> bool {
        self.default_graphs.is_empty() && self.named_graphs.is_empty()
    }

    fn algebra(&self) -> QueryDataset {
        QueryDataset {
            default: self.default_graphs.clone(),
            named: Some(self.named_graphs.clone()),
        }
    }
}

/// Makes `query` run on the dataset the request names: as the SPARQL Protocol says, a dataset
/// given with the request replaces the query's `FROM` and `FROM NAMED`, and is exactly the
/// graphs named (no named graphs when only default graphs are given, and the other way round).
pub fn set_dataset(query: &mut Query, dataset: &RequestDataset) {
    if dataset.is_empty() {
        return;
    }
    let slot = match query {
        Query::Select { dataset, .. }
        | Query::Construct { dataset, .. }
        | Query::Describe { dataset, .. }
        | Query::Ask { dataset, .. } => dataset,
    };
    *slot = Some(dataset.algebra());
}

/// Makes every DELETE/INSERT operation of `update` read from the dataset the request names
/// (`using-graph-uri`, `using-named-graph-uri`). An update that names its own with `USING` or
/// `WITH` conflicts with one given by the request, as the protocol says: that is an error.
pub fn set_using_dataset(update: &mut Update, dataset: &RequestDataset) -> Result<()> {
    if dataset.is_empty() {
        return Ok(());
    }
    for operation in &mut update.operations {
        if let GraphUpdateOperation::DeleteInsert { using, .. } = operation {
            if using.is_some() {
                return Err(Error::Usage(
                    "the update names its dataset with USING or WITH, and the request with using-graph-uri or using-named-graph-uri: give one of the two".into(),
                ));
            }
            *using = Some(dataset.algebra());
        }
    }
    Ok(())
}

/// Bounds on writing results: how many rows (solutions or triples) at most, and an instant
/// after which writing stops with [`Error::Cancelled`] (never a silently shortened answer).
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    pub max_rows: Option<usize>,
    pub deadline: Option<Instant>,
}

/// What writing results did: the rows written, and whether the row cap cut the answer short.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Written {
    pub rows: usize,
    pub truncated: bool,
}

/// Puts `limits` between evaluation and a writer: rows stop at the cap (one more row is asked
/// for, to know whether the answer was cut), and a row asked for after the deadline is an
/// error. `written` counts as rows pass.
fn limit(
    results: QueryResults<'static>,
    limits: Limits,
    written: &Rc<Cell<Written>>,
) -> QueryResults<'static> {
    fn gate<T: 'static>(
        mut rows: impl Iterator<Item = Result<T, QueryEvaluationError>> + 'static,
        limits: Limits,
        written: Rc<Cell<Written>>,
    ) -> impl Iterator<Item = Result<T, QueryEvaluationError>> + 'static {
        std::iter::from_fn(move || {
            if limits.deadline.is_some_and(|d| Instant::now() >= d) {
                return Some(Err(QueryEvaluationError::Cancelled));
            }
            let mut count = written.get();
            if limits.max_rows.is_some_and(|max| count.rows >= max) {
                if !count.truncated {
                    count.truncated = rows.next().is_some();
                    written.set(count);
                }
                return None;
            }
            let row = rows.next()?;
            if row.is_ok() {
                count.rows += 1;
                written.set(count);
            }
            Some(row)
        })
    }
    match results {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().into();
            QueryResults::Solutions(QuerySolutionIter::new(
                variables,
                gate(solutions, limits, Rc::clone(written)),
            ))
        }
        QueryResults::Graph(triples) => QueryResults::Graph(QueryTripleIter::new(gate(
            triples,
            limits,
            Rc::clone(written),
        ))),
        QueryResults::Boolean(value) => {
            written.set(Written {
                rows: 1,
                truncated: false,
            });
            QueryResults::Boolean(value)
        }
    }
}

/// Results held in memory as terms, for a front end that lays them out itself (the web
/// explorer's tables): the solutions of a SELECT, a graph's triples as `subject`, `predicate`,
/// `object` rows, or an ASK's boolean.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    pub variables: Vec<String>,
    pub rows: Vec<Vec<Option<Term>>>,
    pub boolean: Option<bool>,
    pub written: Written,
}

/// Collects results within `limits`, as [`write`] would write them.
pub fn collect(results: QueryResults<'static>, limits: Limits) -> Result<Collected> {
    let written = Rc::new(Cell::new(Written::default()));
    let mut collected = Collected::default();
    match limit(results, limits, &written) {
        QueryResults::Boolean(value) => collected.boolean = Some(value),
        QueryResults::Solutions(solutions) => {
            collected.variables = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect();
            for solution in solutions {
                let solution = solution?;
                collected.rows.push(
                    (0..collected.variables.len())
                        .map(|i| solution.get(i).cloned())
                        .collect(),
                );
            }
        }
        QueryResults::Graph(triples) => {
            collected.variables = ["subject", "predicate", "object"].map(String::from).into();
            for triple in triples {
                let triple = triple?;
                collected.rows.push(vec![
                    Some(triple.subject.into()),
                    Some(triple.predicate.into()),
                    Some(triple.object),
                ]);
            }
        }
    }
    collected.written = written.get();
    Ok(collected)
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
///
/// `limits` bound the rows written and the time taken; the rows written and whether the cap
/// cut the answer short come back.
pub fn write(
    results: QueryResults<'static>,
    format: Option<OutputFormat>,
    table_default: bool,
    prefixes: &Prefixes,
    limits: Limits,
    out: &mut dyn Write,
) -> Result<Written> {
    let written = Rc::new(Cell::new(Written::default()));
    write_all(
        limit(results, limits, &written),
        format,
        table_default,
        prefixes,
        out,
    )?;
    Ok(written.get())
}

fn write_all(
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
