//! The query page (an editor with the named queries one click away, results as a table,
//! downloads in every results format, errors with line:column), downloads, and the comparison
//! page (the review's Table 1, from the named query `table-1`). Queries run through the same
//! engine calls as `/sparql` and `stroma query`: `parse_query`, then `tabulate` for the page or
//! `answer` for a download, within the server's deadline and row cap.

use super::layout::{self, Section};
use super::{engine, entity_href, failed, href_with, Shared};
use crate::error::{Error, Result};
use crate::query::{self, Collected, Limits, OutputFormat, QueryText, RequestDataset, ResultKind};
use crate::table::display_term;
use crate::vocab::Prefixes;
use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use oxigraph::io::RdfFormat;
use oxigraph::model::Term;
use oxigraph::sparql::results::QueryResultsFormat;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct QueryParams {
    /// A named query (`queries/NAME.rq`).
    #[serde(default)]
    name: String,
    /// SPARQL text; it wins over `name` (the named query, edited).
    #[serde(default)]
    query: String,
    /// For a download: a file extension of a results or RDF format.
    #[serde(default)]
    format: String,
}

/// The query a request names: its text, and the named query it came from.
fn requested(params: &QueryParams) -> Result<Option<(QueryText, Option<&str>)>> {
    if !params.query.trim().is_empty() {
        // A form sends a text box's line breaks as CR LF.
        let sparql = params.query.replace("\r\n", "\n");
        let named = query::named_queries()
            .into_iter()
            .find(|q| q.name == params.name && q.text == sparql)
            .map(|q| q.name);
        let text = QueryText {
            text: sparql,
            origin: "the query".into(),
        };
        return Ok(Some((text, named)));
    }
    if params.name.is_empty() {
        return Ok(None);
    }
    let text = query::named(&params.name)?;
    Ok(Some((text, Some(params.name.as_str()))))
}

/// The most rows a results page shows (the server's row cap, if lower, wins).
const PAGE_ROWS: usize = 1000;

const EXAMPLE: &str = "SELECT ?factor ?label WHERE {\n  ?factor a st:Protein ; rdfs:label ?label .\n}\nORDER BY ?label";

/// What a query gave, for the page.
struct Ran {
    kind: ResultKind,
    collected: Collected,
    prefixes: Prefixes,
}

pub async fn page(state: Shared, Query(params): Query<QueryParams>) -> Response {
    let asked = match requested(&params) {
        Ok(asked) => asked,
        Err(error) => return failed("Query", Section::Query, &error),
    };
    let Some((text, name)) = asked else {
        return editor(EXAMPLE, None, None, StatusCode::OK);
    };
    let sparql = text.text.clone();
    let ran = engine(&state.0, move |engine, evaluation, limits| {
        let query = engine.parse_query(&text, None)?;
        let kind = query::kind(&query);
        // A page shows at most PAGE_ROWS rows; downloads carry the rest.
        let limits = Limits {
            max_rows: Some(limits.max_rows.map_or(PAGE_ROWS, |cap| cap.min(PAGE_ROWS))),
            ..limits
        };
        let collected = engine.tabulate(query, limits, &evaluation)?;
        Ok(Ran {
            kind,
            collected,
            prefixes: engine.prefixes().clone(),
        })
    })
    .await;
    match ran {
        Ok(ran) => editor(&sparql, name, Some(Ok(&ran)), StatusCode::OK),
        Err(error) => {
            let status = super::status_of(&error);
            editor(&sparql, name, Some(Err(&error)), status)
        }
    }
}

/// The editor, the named queries, and what the query gave (results or its error).
fn editor(
    sparql: &str,
    name: Option<&str>,
    outcome: Option<std::result::Result<&Ran, &Error>>,
    status: StatusCode,
) -> Response {
    let named = query::named_queries();
    let body = html! {
        div.query-layout {
            aside.named {
                h2 { "Named queries" }
                ul {
                    @for q in &named {
                        li {
                            a href=(href_with("/query", &[("name", q.name)]))
                                class=[(Some(q.name) == name).then_some("active")]
                                title=(q.description) { (q.name) }
                        }
                    }
                }
            }
            div.query-main {
                h1 { "Query" @if let Some(name) = name { ": " code { (name) } } }
                @if let Some(q) = named.iter().find(|q| Some(q.name) == name) {
                    p.muted { (q.description) }
                }
                form.editor action="/query" method="get" {
                    @if let Some(name) = name { input type="hidden" name="name" value=(name); }
                    textarea #sparql name="query" rows="14" spellcheck="false"
                        aria-label="SPARQL query" data-editor { (sparql) }
                    div.actions {
                        button type="submit" { "Run" }
                        span.muted { "Ctrl+Enter runs · prefixes sr:, st:, ref:, rdfs:, skos:, prov:, dcterms: … are declared" }
                    }
                }
                @match outcome {
                    Some(Ok(ran)) => (results(ran, sparql, name)),
                    Some(Err(error)) => div.error role="alert" {
                        p { strong { "The query failed" } }
                        pre { (error.to_string()) }
                    },
                    None => {},
                }
            }
        }
    };
    let title = name.map_or_else(|| "Query".to_owned(), |n| format!("Query: {n}"));
    let page = layout::page_with(&title, Section::Query, layout::editor_assets(), body);
    (status, page).into_response()
}

/// Results as a table (a graph's triples as subject, predicate, object), with downloads.
fn results(ran: &Ran, sparql: &str, name: Option<&str>) -> Markup {
    let collected = &ran.collected;
    let formats: &[&str] = match ran.kind {
        ResultKind::Graph => &["ttl", "nt", "jsonld", "rdf"],
        _ => &["csv", "tsv", "json", "xml"],
    };
    let source = match name {
        Some(name) => ("name", name),
        None => ("query", sparql),
    };
    html! {
        div.results {
            p.downloads {
                @if let Some(value) = collected.boolean {
                    strong.answer { (if value { "yes" } else { "no" }) } " · "
                } @else {
                    (collected.written.rows) " row" @if collected.written.rows != 1 { "s" } " · "
                }
                "download: "
                @for f in formats {
                    a.download href=(href_with("/download", &[source, ("format", f)])) { (f) } " "
                }
            }
            @if collected.written.truncated {
                p.note {
                    "Only the first " (collected.written.rows)
                    " rows are shown; download the results for the rest (within the server's row cap), or narrow the query."
                }
            }
            @if collected.boolean.is_none() {
                div.table-wrap {
                    table.results {
                        thead { tr { @for v in &collected.variables { th { (v) } } } }
                        tbody {
                            @for row in &collected.rows {
                                tr { @for cell in row { td { (term(cell.as_ref(), &ran.prefixes)) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A term in a results cell: an IRI links to its page, a literal shows its value.
fn term(term: Option<&Term>, prefixes: &Prefixes) -> Markup {
    html! {
        @match term {
            Some(t @ Term::NamedNode(_)) => {
                @let id = display_term(t, prefixes);
                a.entity href=(entity_href(&id)) { (id) }
            },
            Some(t) => (display_term(t, prefixes)),
            None => {},
        }
    }
}

/// `GET /download?name=|query=&format=EXT`: the answer as a file in a standard format.
pub async fn download(state: Shared, Query(params): Query<QueryParams>) -> Response {
    let asked = match requested(&params) {
        Ok(Some((text, name))) => (text, name.unwrap_or("results").to_owned()),
        Ok(None) => {
            let error = Error::Usage("/download needs name= or query=".into());
            return failed("Download", Section::Query, &error);
        }
        Err(error) => return failed("Download", Section::Query, &error),
    };
    let (text, stem) = asked;
    let extension = params.format.clone();
    let max_rows = state.0.config.max_rows;
    let answered = engine(&state.0, move |engine, evaluation, limits| {
        let query = engine.parse_query(&text, None)?;
        let format = download_format(&extension, query::kind(&query))?;
        let answer = engine.answer(crate::engine::sparql::AnswerRequest {
            query,
            dataset: RequestDataset::default(),
            format,
            limits,
            evaluation,
        })?;
        Ok((answer, format))
    })
    .await;
    match answered {
        Ok((answer, format)) => {
            let mut response = super::super::handlers::answered_with(answer, format, max_rows);
            let disposition = format!("attachment; filename=\"stroma-{stem}.{}\"", params.format);
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => failed("Download", Section::Query, &error),
    }
}

/// The format a file extension names, if it fits what the query gives.
fn download_format(extension: &str, kind: ResultKind) -> Result<OutputFormat> {
    let fits = match kind {
        ResultKind::Graph => RdfFormat::from_extension(extension).map(OutputFormat::Graph),
        _ => QueryResultsFormat::from_extension(extension).map(OutputFormat::Results),
    };
    fits.ok_or_else(|| {
        let offered = match kind {
            ResultKind::Graph => "ttl, nt, nq, trig, jsonld, rdf",
            _ => "csv, tsv, json, xml",
        };
        Error::Usage(format!(
            "format '{extension}' does not fit this query's answer: use one of {offered}"
        ))
    })
}
