//! Handler tests without sockets: a `Router` over a fresh copy of the embedded graph, called
//! with `tower::ServiceExt::oneshot`, and what its replies hold.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use std::sync::Arc;
use stroma::engine::Engine;
use stroma::server::{self, Config, Server};
use stroma::store::Location;
use tower::ServiceExt;

pub const TOKEN: &str = "s3cret-token";

/// A server on a fresh copy of the embedded graph.
pub fn app(config: Config) -> (Arc<Server>, Router) {
    let engine = Arc::new(Engine::open(&Location::Embedded).expect("the embedded graph opens"));
    let server = Server::new(engine, config).expect("a valid configuration");
    let router = server::router(Arc::clone(&server)).expect("the router builds");
    (server, router)
}

pub fn default_app() -> Router {
    app(Config::default()).1
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The solutions of a results document, as rows of (variable, lexical value) pairs.
    pub fn solutions(&self, format: QueryResultsFormat) -> Vec<Vec<(String, String)>> {
        match QueryResultsParser::from_format(format)
            .for_reader(self.body.as_slice())
            .expect("a valid results document")
        {
            ReaderQueryResultsParserOutput::Solutions(solutions) => solutions
                .map(|s| {
                    s.expect("a valid solution")
                        .iter()
                        .map(|(v, t)| (v.as_str().to_owned(), term_value(t)))
                        .collect()
                })
                .collect(),
            ReaderQueryResultsParserOutput::Boolean(_) => panic!("expected solutions"),
        }
    }

    pub fn boolean(&self, format: QueryResultsFormat) -> bool {
        match QueryResultsParser::from_format(format)
            .for_reader(self.body.as_slice())
            .expect("a valid results document")
        {
            ReaderQueryResultsParserOutput::Boolean(value) => value,
            ReaderQueryResultsParserOutput::Solutions(_) => panic!("expected a boolean"),
        }
    }

    /// The number of triples of an RDF document.
    pub fn triples(&self, format: RdfFormat) -> usize {
        RdfParser::from_format(format)
            .for_slice(&self.body)
            .inspect(|q| assert!(q.is_ok(), "a valid RDF document: {q:?}"))
            .count()
    }
}

pub fn term_value(term: &oxigraph::model::Term) -> String {
    match term {
        oxigraph::model::Term::NamedNode(n) => n.as_str().to_owned(),
        oxigraph::model::Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body")
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn get(uri: &str, accept: Option<&str>) -> Request<Body> {
    let mut request = Request::get(uri);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    request.body(Body::empty()).expect("a request")
}

pub fn query_get(query: &str, accept: Option<&str>) -> Request<Body> {
    get(&format!("/sparql?query={}", encode(query)), accept)
}

pub fn post(uri: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::post(uri);
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    request.body(body.into()).expect("a request")
}

pub fn update_post(update: &str, token: Option<&str>) -> Request<Body> {
    let mut request =
        Request::post("/update").header(header::CONTENT_TYPE, "application/sparql-update");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request
        .body(Body::from(update.to_owned()))
        .expect("a request")
}

/// An update request to `uri` (with its parameters) carrying the server's token.
pub fn authorized(uri: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(body.into())
        .expect("a request")
}

pub const LABELS: &str = "SELECT ?label WHERE { sr:TSG6 rdfs:label ?label }";
pub const MARKERS: &str = "SELECT ?m WHERE { ?m a st:Marker } ORDER BY ?m";

pub fn updatable() -> (Arc<Server>, Router) {
    app(Config {
        update_token: Some(TOKEN.into()),
        ..Config::default()
    })
}

/// The rows (JSON results) of `query` sent with GET.
pub async fn rows_of(router: &Router, query: &str) -> Vec<Vec<(String, String)>> {
    send(router, query_get(query, None))
        .await
        .solutions(QueryResultsFormat::Json)
}

/// The rows of `query` sent with GET and one dataset parameter (`default-graph-uri`,
/// `named-graph-uri`) set to `iri`.
pub async fn rows_with(
    router: &Router,
    query: &str,
    parameter: &str,
    iri: &str,
) -> Vec<Vec<(String, String)>> {
    let uri = format!(
        "/sparql?query={}&{parameter}={}",
        encode(query),
        encode(iri)
    );
    send(router, get(&uri, None))
        .await
        .solutions(QueryResultsFormat::Json)
}

/// An authorized update with one dataset parameter (`using-graph-uri`,
/// `using-named-graph-uri`) set to `iri`.
pub fn update_with(parameter: &str, iri: &str, update: &'static str) -> Request<Body> {
    authorized(
        &format!("/update?{parameter}={}", encode(iri)),
        "application/sparql-update",
        update,
    )
}
