//! A remote SPARQL endpoint behind the store seam: Virtuoso, QLever, GraphDB, Fuseki, Neptune,
//! Oxigraph's server or another `stroma serve`, spoken to with the SPARQL 1.1 Protocol (queries
//! and updates as forms over POST) and the Graph Store HTTP Protocol (`push`).
//!
//! Every request has a timeout; answers of 429 and 5xx are retried with backoff (and
//! `Retry-After` heeded), nothing else is. Failures say which endpoint and what happened: it
//! could not be reached, it answered an HTTP error (its status and the start of its body), or it
//! answered something that is not SPARQL (an HTML page from a proxy). Credentials come from the
//! environment, go only into the `Authorization` header and are never printed; an endpoint URL
//! carrying a user and password is refused for that reason.

use crate::error::{Error, Result};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, QueryTripleIter};
use std::io::Read;
use std::time::Duration;

/// The most bytes read back from one answer.
const MAX_ANSWER_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// How much of an error answer's body a message quotes.
const QUOTED_CHARS: usize = 200;
/// The longest wait between two attempts (and the longest `Retry-After` heeded).
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Where a remote graph is and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The SPARQL query endpoint.
    pub url: String,
    /// Where updates go (default: `url`).
    pub update_url: Option<String>,
    /// Graphs sent as `default-graph-uri` with every query that names no dataset itself (on
    /// engines whose default graph is the union of all graphs, such as Virtuoso, this keeps
    /// their system graphs out of the answers).
    pub default_graphs: Vec<String>,
    /// How long one request may take, answer included.
    pub timeout: Duration,
    /// How many times an answer of 429 or 5xx is retried.
    pub retries: u32,
    pub auth: Option<Auth>,
}

/// Credentials for the endpoint, read from the environment by the front end.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    Basic { user: String, password: String },
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Basic { user, .. } => write!(f, "Basic({user}, <hidden>)"),
            Auth::Bearer(_) => write!(f, "Bearer(<hidden>)"),
        }
    }
}

impl Auth {
    fn header(&self) -> String {
        use base64::Engine as _;
        match self {
            Auth::Basic { user, password } => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            ),
            Auth::Bearer(token) => format!("Bearer {token}"),
        }
    }
}

impl Endpoint {
    /// An endpoint at `url` with the default timeout (60 s) and retries (3), no credentials.
    pub fn new(url: &str) -> Result<Self> {
        check_url(url, "--endpoint")?;
        Ok(Self {
            url: url.to_owned(),
            update_url: None,
            default_graphs: Vec::new(),
            timeout: Duration::from_secs(60),
            retries: 3,
            auth: None,
        })
    }
}

/// Checks that `url` is an http(s) URL without credentials in it.
pub fn check_url(url: &str, flag: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::Usage(format!("{flag} {}: {why}", redact(url))));
    let Some((scheme, rest)) = url.split_once("://") else {
        return bad("expected an http:// or https:// URL");
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return bad("expected an http:// or https:// URL");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() {
        return bad("the URL names no host");
    }
    if authority.contains('@') {
        return bad("credentials do not belong in the URL, where they would show in logs and the process list; set STROMA_ENDPOINT_USER and STROMA_ENDPOINT_PASSWORD (basic) or STROMA_ENDPOINT_TOKEN (bearer)");
    }
    if url.parse::<ureq::http::Uri>().is_err() {
        return bad("not a valid URL");
    }
    Ok(())
}

/// `url` with any user information replaced, for messages.
fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            match rest[..end].rfind('@') {
                Some(at) => format!("{scheme}://<credentials>@{}", &rest[at + 1..]),
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    }
}

/// A failure of the endpoint itself, carried through Oxigraph's result iterators when it
/// happens while an answer is being read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct EndpointFailure(pub String);

/// The HTTP client of one endpoint.
pub struct Remote {
    endpoint: Endpoint,
    agent: ureq::Agent,
}

/// What a query asks the endpoint to answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Solutions,
    Graph,
}

impl Remote {
    pub fn new(endpoint: Endpoint) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(endpoint.timeout))
            .max_redirects(3)
            .http_status_as_error(false)
            .user_agent(concat!("Stroma/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Self { endpoint, agent }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Sends a query; the answer is parsed as it is read. `default_graphs` go with it as
    /// `default-graph-uri` (none when the query names its own dataset).
    pub fn query(
        &self,
        query: &spargebra::Query,
        cancel: Option<&CancellationToken>,
    ) -> Result<QueryResults<'static>> {
        use spargebra::Query as Q;
        let (form, names_dataset) = match query {
            Q::Select { dataset, .. } | Q::Ask { dataset, .. } => {
                (Form::Solutions, dataset.is_some())
            }
            Q::Construct { dataset, .. } | Q::Describe { dataset, .. } => {
                (Form::Graph, dataset.is_some())
            }
        };
        let text = super::portable::without_blank_nodes(query.clone()).to_string();
        let mut params: Vec<(&str, &str)> = vec![("query", &text)];
        if !names_dataset {
            for graph in &self.endpoint.default_graphs {
                params.push(("default-graph-uri", graph));
            }
        }
        let accept = match form {
            // XML first: Virtuoso's JSON writes booleans as "1" and "0".
            Form::Solutions => {
                "application/sparql-results+xml, application/sparql-results+json;q=0.9"
            }
            Form::Graph => {
                "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.5"
            }
        };
        if cancel.is_some_and(CancellationToken::is_cancelled) {
            return Err(Error::Cancelled("the query was cancelled".into()));
        }
        let url = self.endpoint.url.clone();
        let response = self.post(&url, &params, Some(accept), Writes::No)?;
        // An answer the endpoint cut at its row cap is not the answer: say so rather than
        // reason on part of it (`stroma serve` sets Stroma-Truncated, Virtuoso
        // X-SPARQL-MaxRows).
        for header in ["Stroma-Truncated", "X-SPARQL-MaxRows"] {
            if let Some(value) = response.headers().get(header) {
                return Err(Error::Endpoint(format!(
                    "the endpoint {} cut its answer short at its row cap ({header}: {}); raise the cap there (stroma serve --max-rows 0, Virtuoso's ResultSetMaxRows) or ask for less",
                    redact(&url),
                    value.to_str().unwrap_or("?")
                )));
            }
        }
        let media = response
            .body()
            .mime_type()
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut body = response.into_body();
        match form {
            Form::Solutions => {
                let Some(format) = QueryResultsFormat::from_media_type(&media) else {
                    return Err(not_sparql(&url, &media, &mut body, "SPARQL results"));
                };
                let reader = body.into_with_config().limit(MAX_ANSWER_BYTES).reader();
                let parsed = QueryResultsParser::from_format(format)
                    .for_reader(reader)
                    .map_err(|e| broken(&url, &e))?;
                Ok(match parsed {
                    ReaderQueryResultsParserOutput::Solutions(solutions) => {
                        let variables: std::sync::Arc<[_]> = solutions.variables().into();
                        let cancel = cancel.cloned();
                        QueryResults::Solutions(oxigraph::sparql::QuerySolutionIter::new(
                            variables,
                            solutions.map(move |s| {
                                if cancel.as_ref().is_some_and(CancellationToken::is_cancelled) {
                                    return Err(QueryEvaluationError::Cancelled);
                                }
                                s.map_err(|e| unexpected(&url, &e))
                            }),
                        ))
                    }
                    ReaderQueryResultsParserOutput::Boolean(b) => QueryResults::Boolean(b),
                })
            }
            Form::Graph => {
                let format = RdfFormat::from_media_type(&media).or(match media.as_str() {
                    "text/plain" | "text/ntriples" => Some(RdfFormat::NTriples),
                    _ => None,
                });
                let Some(format) = format else {
                    return Err(not_sparql(&url, &media, &mut body, "RDF"));
                };
                let reader = body.into_with_config().limit(MAX_ANSWER_BYTES).reader();
                let cancel = cancel.cloned();
                let triples = RdfParser::from_format(format)
                    .for_reader(reader)
                    .map(move |quad| {
                        if cancel.as_ref().is_some_and(CancellationToken::is_cancelled) {
                            return Err(QueryEvaluationError::Cancelled);
                        }
                        quad.map(Into::into).map_err(|e| unexpected(&url, &e))
                    });
                Ok(QueryResults::Graph(QueryTripleIter::new(triples)))
            }
        }
    }

    /// Sends an update to the update endpoint.
    pub fn update(&self, update: &spargebra::Update) -> Result<()> {
        self.update_text(&update.to_string())
    }

    /// Sends update text as it is (`push`'s `INSERT DATA` batches, written by the library).
    pub fn update_text(&self, text: &str) -> Result<()> {
        let url = self
            .endpoint
            .update_url
            .clone()
            .unwrap_or_else(|| self.endpoint.url.clone());
        self.post(&url, &[("update", text)], None, Writes::Yes)?;
        Ok(())
    }

    /// Posts RDF to a Graph Store Protocol endpoint (`?graph=` or `?default`). Returns the
    /// status when the endpoint does not take it (404, 405, 415, 501: no Graph Store there).
    pub fn graph_store_post(
        &self,
        url: &str,
        graph: Option<&str>,
        content_type: &str,
        body: &[u8],
    ) -> Result<Option<u16>> {
        let target = match graph {
            Some(graph) => format!(
                "{url}{}graph={}",
                if url.contains('?') { '&' } else { '?' },
                percent_encoding::utf8_percent_encode(graph, percent_encoding::NON_ALPHANUMERIC)
            ),
            None => format!("{url}{}default", if url.contains('?') { '&' } else { '?' }),
        };
        match self.send_with_retries(&target, Writes::Yes, |request| {
            request.header("Content-Type", content_type).send(body)
        }) {
            Ok(_) => Ok(None),
            Err(Sent::Status(status, _)) if matches!(status, 404 | 405 | 415 | 501) => {
                Ok(Some(status))
            }
            Err(failure) => Err(failure.into_error(url)),
        }
    }

    /// Posts a form, with retries; a response that is not a success is an error.
    fn post(
        &self,
        url: &str,
        params: &[(&str, &str)],
        accept: Option<&str>,
        writes: Writes,
    ) -> Result<ureq::http::Response<ureq::Body>> {
        self.send_with_retries(url, writes, |request| {
            let request = match accept {
                Some(accept) => request.header("Accept", accept),
                None => request,
            };
            request.send_form(params.iter().copied())
        })
        .map_err(|failure| failure.into_error(url))
    }

    /// Sends, retrying with backoff what the endpoint answered with 429 or a 5xx status. A
    /// request that writes is retried only on 429 and 503, which say it was not taken: after
    /// another 5xx (a proxy's 502 or 504) it may have been applied, and applying it twice
    /// could add a blank node twice.
    fn send_with_retries(
        &self,
        url: &str,
        writes: Writes,
        send: impl Fn(
            ureq::RequestBuilder<ureq::typestate::WithBody>,
        ) -> std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> std::result::Result<ureq::http::Response<ureq::Body>, Sent> {
        let mut attempt = 0;
        loop {
            let mut request = self.agent.post(url);
            if let Some(auth) = &self.endpoint.auth {
                request = request.header("Authorization", auth.header());
            }
            let mut response = send(request).map_err(Sent::Unreachable)?;
            let status = response.status().as_u16();
            if response.status().is_success() {
                return Ok(response);
            }
            let retryable = match writes {
                Writes::No => status == 429 || (500..600).contains(&status),
                Writes::Yes => status == 429 || status == 503,
            };
            if !retryable || attempt >= self.endpoint.retries {
                return Err(Sent::Status(status, body_start(response.body_mut())));
            }
            let wait = response
                .headers()
                .get("Retry-After")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs)
                .unwrap_or_else(|| Duration::from_millis(250) * 2u32.pow(attempt.min(7)))
                .min(MAX_BACKOFF);
            attempt += 1;
            std::thread::sleep(wait);
        }
    }
}

/// Whether a request changes the endpoint's graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writes {
    No,
    Yes,
}

/// How a request failed.
enum Sent {
    Unreachable(ureq::Error),
    Status(u16, String),
}

impl Sent {
    fn into_error(self, url: &str) -> Error {
        match self {
            Sent::Unreachable(ureq::Error::Timeout(_)) => Error::Endpoint(format!(
                "the endpoint {} did not answer in time (raise --endpoint-timeout)",
                redact(url)
            )),
            Sent::Unreachable(ureq::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
                ) =>
            {
                Error::Endpoint(format!(
                    "the endpoint {} closed the connection while the request was being sent ({e}); if the request was large, it may take smaller ones (push --chunk)",
                    redact(url)
                ))
            }
            Sent::Unreachable(e) => {
                Error::Endpoint(format!("cannot reach the endpoint {}: {e}", redact(url)))
            }
            Sent::Status(status, body) => {
                let reason = ureq::http::StatusCode::from_u16(status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("");
                Error::Endpoint(format!(
                    "the endpoint {} answered {status} {reason}{}",
                    redact(url),
                    colon_then(&body)
                ))
            }
        }
    }
}

/// ": text" to follow a message, or nothing when there is no text.
fn colon_then(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

/// The start of a body, on one line.
fn body_start(body: &mut ureq::Body) -> String {
    let mut bytes = Vec::new();
    let _ = body
        .with_config()
        .limit(64 * 1024)
        .reader()
        .take(16 * 1024)
        .read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let words: Vec<&str> = text.split_whitespace().collect();
    let line = words.join(" ");
    match line.char_indices().nth(QUOTED_CHARS) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

/// An answer that is not what a SPARQL endpoint sends.
fn not_sparql(url: &str, media: &str, body: &mut ureq::Body, wanted: &str) -> Error {
    let media = if media.is_empty() {
        "no Content-Type"
    } else {
        media
    };
    let start = body_start(body);
    Error::Endpoint(format!(
        "the endpoint {} did not answer with {wanted} but with {media}{} (is it a SPARQL endpoint?)",
        redact(url),
        colon_then(&start)
    ))
}

fn broken(url: &str, error: &dyn std::fmt::Display) -> Error {
    Error::Endpoint(format!(
        "the answer of the endpoint {} cannot be read: {error}",
        redact(url)
    ))
}

fn unexpected(url: &str, error: &dyn std::fmt::Display) -> QueryEvaluationError {
    QueryEvaluationError::Unexpected(Box::new(EndpointFailure(format!(
        "the answer of the endpoint {} broke off: {error}",
        redact(url)
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_the_url_are_refused_and_never_repeated() {
        let error = check_url("http://ann:secret@example.org/sparql", "--endpoint").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("STROMA_ENDPOINT_USER"), "{message}");
        assert!(!message.contains("secret"), "{message}");
        assert!(check_url("ftp://example.org/sparql", "--endpoint").is_err());
        assert!(check_url("http:///sparql", "--endpoint").is_err());
        assert!(check_url("https://example.org:8890/sparql?x=1", "--endpoint").is_ok());
    }

    #[test]
    fn credentials_do_not_show_in_debug_output() {
        let auth = Auth::Basic {
            user: "ann".into(),
            password: "secret".into(),
        };
        assert!(!format!("{auth:?}").contains("secret"));
        assert!(!format!("{:?}", Auth::Bearer("tok".into())).contains("tok"));
        assert_eq!(
            Auth::Basic {
                user: "Aladdin".into(),
                password: "open sesame".into()
            }
            .header(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }
}
