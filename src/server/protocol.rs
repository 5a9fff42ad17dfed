//! The SPARQL 1.1 Protocol's request rules, as pure functions: which parameters a query or an
//! update request carries (in the URL, a form body or a direct body), what is malformed and
//! with which status, and which format answers a request's `Accept` header. No I/O: the
//! handlers pass in the method's parts and get a typed call or a [`Refusal`].

use crate::query::{OutputFormat, RequestDataset, ResultKind};
use axum::http::StatusCode;
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::QueryResultsFormat;
use percent_encoding::percent_decode;

/// A request the protocol refuses, with its status and a message for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl Refusal {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

/// What a request to the query endpoint asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryCall {
    /// A query, with the dataset the request names.
    Query {
        text: String,
        dataset: RequestDataset,
    },
    /// The endpoint itself, dereferenced without parameters: its service description.
    Description,
}

/// An update request: the update text and the dataset the request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateCall {
    pub text: String,
    pub dataset: RequestDataset,
}

const FORM: &str = "application/x-www-form-urlencoded";
const SPARQL_QUERY: &str = "application/sparql-query";
const SPARQL_UPDATE: &str = "application/sparql-update";

/// A query sent with GET: `query` once, and any `default-graph-uri` / `named-graph-uri`. No
/// parameter at all asks for the service description.
pub fn query_get(url_query: Option<&str>) -> Result<QueryCall, Refusal> {
    let params = params(url_query.unwrap_or(""))?;
    if params.is_empty() {
        return Ok(QueryCall::Description);
    }
    if params.iter().any(|(k, _)| k == "update") {
        return Err(Refusal::bad(
            "an update cannot be sent with GET: POST it to /update",
        ));
    }
    query_call(&params, None)
}

/// A query sent with POST: either a form (`query` and the dataset in the body) or the query
/// itself as an `application/sparql-query` body (the dataset in the URL).
pub fn query_post(
    url_query: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<QueryCall, Refusal> {
    let (params, direct) = posted(url_query, content_type, body, &QUERY)?;
    query_call(&params, direct)
}

/// An update sent with POST: a form (`update` and the dataset in the body) or the update
/// itself as an `application/sparql-update` body (the dataset in the URL).
pub fn update_post(
    url_query: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<UpdateCall, Refusal> {
    let (params, direct) = posted(url_query, content_type, body, &UPDATE)?;
    Ok(UpdateCall {
        text: operation(&params, direct, &UPDATE)?,
        dataset: dataset(&params, "using-graph-uri", "using-named-graph-uri")?,
    })
}

/// Decoded parameters, in the order sent.
type Params = Vec<(String, String)>;

/// What tells a query request from an update request.
struct Operation {
    /// The parameter that carries the text.
    parameter: &'static str,
    /// The media type of the text sent directly as the body.
    media_type: &'static str,
    /// The other operation's parameter, refused here with `elsewhere`.
    other: &'static str,
    elsewhere: &'static str,
}

const QUERY: Operation = Operation {
    parameter: "query",
    media_type: SPARQL_QUERY,
    other: "update",
    elsewhere: "this is the query endpoint: POST updates to /update",
};

const UPDATE: Operation = Operation {
    parameter: "update",
    media_type: SPARQL_UPDATE,
    other: "query",
    elsewhere: "this is the update endpoint: send queries to /sparql",
};

/// The parameters of a POST and the operation's text when it is the body: a form's fields
/// (then the URL's), or the URL's parameters and the body.
fn posted(
    url_query: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
    operation: &Operation,
) -> Result<(Params, Option<String>), Refusal> {
    let url = params(url_query.unwrap_or(""))?;
    match media_type(content_type)?.as_str() {
        FORM => {
            let mut form = params(utf8(body)?)?;
            if form.iter().any(|(k, _)| k == operation.other) {
                return Err(Refusal::bad(operation.elsewhere));
            }
            form.extend(url);
            Ok((form, None))
        }
        direct if direct == operation.media_type => Ok((url, Some(utf8(body)?.to_owned()))),
        other => Err(unsupported(other, &[FORM, operation.media_type])),
    }
}

/// The operation's text: the body, or its parameter given once (not both).
fn operation(
    params: &[(String, String)],
    direct: Option<String>,
    operation: &Operation,
) -> Result<String, Refusal> {
    let name = operation.parameter;
    match direct {
        Some(_) if params.iter().any(|(k, _)| k == name) => Err(Refusal::bad(format!(
            "the {name} is both the request body and a `{name}` parameter: send one"
        ))),
        Some(text) => Ok(text),
        None => one(params, name),
    }
}

fn query_call(params: &[(String, String)], direct: Option<String>) -> Result<QueryCall, Refusal> {
    Ok(QueryCall::Query {
        text: operation(params, direct, &QUERY)?,
        dataset: dataset(params, "default-graph-uri", "named-graph-uri")?,
    })
}

/// A Graph Store Protocol read: `?default` for the default graph, or `?graph=IRI` for a named
/// one (None for the default graph); anything else names no single graph.
pub fn graph_get(url_query: Option<&str>) -> Result<Option<NamedNode>, Refusal> {
    let params = params(url_query.unwrap_or(""))?;
    let default = params.iter().any(|(k, _)| k == "default");
    let graphs: Vec<&String> = params
        .iter()
        .filter(|(k, _)| k == "graph")
        .map(|(_, v)| v)
        .collect();
    match (default, graphs.as_slice()) {
        (true, []) => Ok(None),
        (false, [iri]) => NamedNode::new(iri.as_str())
            .map(Some)
            .map_err(|e| Refusal::bad(format!("`graph` is not an IRI: '{iri}': {e}"))),
        _ => Err(Refusal::bad(
            "name one graph: /store?default or /store?graph=IRI",
        )),
    }
}

/// The one value of a parameter that must occur exactly once.
fn one(params: &[(String, String)], name: &str) -> Result<String, Refusal> {
    let mut values = params.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
    match (values.next(), values.next()) {
        (Some(value), None) => Ok(value.clone()),
        (None, _) => Err(Refusal::bad(format!("missing the `{name}` parameter"))),
        (Some(_), Some(_)) => Err(Refusal::bad(format!(
            "the `{name}` parameter is given more than once: send one"
        ))),
    }
}

fn dataset(
    params: &[(String, String)],
    default_name: &str,
    named_name: &str,
) -> Result<RequestDataset, Refusal> {
    let iris = |name: &str| -> Result<Vec<NamedNode>, Refusal> {
        params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| {
                NamedNode::new(v.as_str())
                    .map_err(|e| Refusal::bad(format!("`{name}` is not an IRI: '{v}': {e}")))
            })
            .collect()
    };
    Ok(RequestDataset {
        default_graphs: iris(default_name)?,
        named_graphs: iris(named_name)?,
    })
}

/// Splits `a=1&b=2` into decoded pairs; a value that is not UTF-8 once decoded is refused (a
/// lossy decoding would run a different query from the one sent).
pub fn params(raw: &str) -> Result<Params, Refusal> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

fn decode(part: &str) -> Result<String, Refusal> {
    let spaced = part.replace('+', " ");
    percent_decode(spaced.as_bytes())
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| Refusal::bad("a parameter is not UTF-8 once percent-decoded"))
}

fn utf8(body: &[u8]) -> Result<&str, Refusal> {
    std::str::from_utf8(body).map_err(|e| {
        Refusal::bad(format!(
            "the request body is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// The media type of a `Content-Type` header, lower case and without parameters.
fn media_type(content_type: Option<&str>) -> Result<String, Refusal> {
    let Some(content_type) = content_type else {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the request has no Content-Type: send application/x-www-form-urlencoded or the SPARQL text with its media type",
        ));
    };
    let mut parts = content_type.split(';');
    let media_type = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    for parameter in parts {
        if let Some((name, value)) = parameter.split_once('=') {
            let value = value.trim().trim_matches('"');
            if name.trim().eq_ignore_ascii_case("charset") && !value.eq_ignore_ascii_case("utf-8") {
                return Err(Refusal::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!("charset {value} is not supported: send the request in UTF-8"),
                ));
            }
        }
    }
    Ok(media_type)
}

fn unsupported(given: &str, expected: &[&str]) -> Refusal {
    Refusal::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!(
            "unsupported Content-Type '{given}': expected {}",
            expected.join(" or ")
        ),
    )
}

/// The formats that answer each kind of result, the first being the default.
const RESULTS: [QueryResultsFormat; 4] = [
    QueryResultsFormat::Json,
    QueryResultsFormat::Xml,
    QueryResultsFormat::Csv,
    QueryResultsFormat::Tsv,
];
const GRAPHS: [RdfFormat; 6] = [
    RdfFormat::Turtle,
    RdfFormat::NTriples,
    RdfFormat::RdfXml,
    RdfFormat::NQuads,
    RdfFormat::TriG,
    RdfFormat::N3,
];

/// The format that answers a query of `kind` for a client sending `accept`: the acceptable
/// media range with the highest quality that Stroma writes; no header (or `*/*`) gets JSON
/// for solutions and booleans, Turtle for graphs. Nothing acceptable is a 406 that lists what
/// is on offer.
pub fn negotiate(accept: Option<&str>, kind: ResultKind) -> Result<OutputFormat, Refusal> {
    let ranges = ranges(accept.unwrap_or("*/*"));
    for (range, _) in &ranges {
        let found = match kind {
            ResultKind::Graph => graph_format(range).map(OutputFormat::Graph),
            ResultKind::Solutions | ResultKind::Boolean => {
                results_format(range).map(OutputFormat::Results)
            }
        };
        if let Some(format) = found {
            return Ok(format);
        }
    }
    let offered: Vec<&str> = match kind {
        ResultKind::Graph => GRAPHS.iter().map(|f| f.media_type()).collect(),
        _ => RESULTS.iter().map(|f| f.media_type()).collect(),
    };
    Err(Refusal::new(
        StatusCode::NOT_ACCEPTABLE,
        format!(
            "no format in Accept: {} answers this query; Stroma writes {}",
            accept.unwrap_or(""),
            offered.join(", ")
        ),
    ))
}

/// The RDF format for a graph (the Graph Store Protocol, the service description).
pub fn negotiate_graph(accept: Option<&str>) -> Result<RdfFormat, Refusal> {
    match negotiate(accept, ResultKind::Graph)? {
        OutputFormat::Graph(format) => Ok(format),
        _ => Err(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "a graph negotiated a results format",
        )),
    }
}

fn results_format(range: &str) -> Option<QueryResultsFormat> {
    match range {
        "*/*" | "application/*" => Some(RESULTS[0]),
        "text/*" => Some(QueryResultsFormat::Csv),
        _ => QueryResultsFormat::from_media_type(range).filter(|f| RESULTS.contains(f)),
    }
}

fn graph_format(range: &str) -> Option<RdfFormat> {
    match range {
        "*/*" | "text/*" => Some(GRAPHS[0]),
        "application/*" => Some(RdfFormat::NTriples),
        _ => RdfFormat::from_media_type(range)
            .filter(|f| GRAPHS.contains(f) || matches!(f, RdfFormat::JsonLd { .. })),
    }
}

/// The media ranges of an `Accept` header with their quality, best first (ties keep the
/// client's order); ranges with q=0 are dropped.
fn ranges(accept: &str) -> Vec<(String, f32)> {
    let mut ranges: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim().to_ascii_lowercase();
            if range.is_empty() {
                return None;
            }
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((range, q))
        })
        .collect();
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_decides_and_ties_keep_the_clients_order() {
        let accept = "text/csv;q=0.5, application/sparql-results+xml, application/json";
        assert_eq!(
            negotiate(Some(accept), ResultKind::Solutions),
            Ok(OutputFormat::Results(QueryResultsFormat::Xml))
        );
        assert_eq!(
            negotiate(
                Some("text/turtle;q=0.1, application/n-triples"),
                ResultKind::Graph
            ),
            Ok(OutputFormat::Graph(RdfFormat::NTriples))
        );
    }

    #[test]
    fn nothing_acceptable_is_406() {
        let refused = negotiate(Some("image/png"), ResultKind::Solutions).unwrap_err();
        assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE);
        assert!(refused.message.contains("application/sparql-results+json"));
    }

    #[test]
    fn parameters_decode_strictly() {
        assert_eq!(
            params("query=SELECT+*+%7B%7D&x").unwrap(),
            vec![
                ("query".into(), "SELECT * {}".into()),
                ("x".into(), String::new())
            ]
        );
        assert_eq!(
            params("query=%FF").unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }
}
