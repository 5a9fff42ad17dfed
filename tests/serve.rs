//! `stroma serve`, handler by handler and without sockets: one `Router` called with
//! `tower::ServiceExt::oneshot`. The SPARQL 1.1 Protocol (each results and RDF format, the
//! dataset parameters, the service description, the Graph Store Protocol's reads), every 4xx
//! it names, and the limits: the update token, the deadline, the row cap, the body cap,
//! SERVICE and LOAD refused, CORS. The end-to-end tests with real clients are in
//! `serve_e2e.rs`.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use std::sync::Arc;
use std::time::{Duration, Instant};
use stroma::engine::Engine;
use stroma::server::{self, Config, Server};
use stroma::store::Location;
use tower::ServiceExt;

const TOKEN: &str = "s3cret-token";

/// A server on a fresh copy of the embedded graph.
fn app(config: Config) -> (Arc<Server>, Router) {
    let engine = Arc::new(Engine::open(&Location::Embedded).expect("the embedded graph opens"));
    let server = Server::new(engine, config).expect("a valid configuration");
    let router = server::router(Arc::clone(&server)).expect("the router builds");
    (server, router)
}

fn default_app() -> Router {
    app(Config::default()).1
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The solutions of a results document, as rows of (variable, lexical value) pairs.
    fn solutions(&self, format: QueryResultsFormat) -> Vec<Vec<(String, String)>> {
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

    fn boolean(&self, format: QueryResultsFormat) -> bool {
        match QueryResultsParser::from_format(format)
            .for_reader(self.body.as_slice())
            .expect("a valid results document")
        {
            ReaderQueryResultsParserOutput::Boolean(value) => value,
            ReaderQueryResultsParserOutput::Solutions(_) => panic!("expected a boolean"),
        }
    }

    /// The number of triples of an RDF document.
    fn triples(&self, format: RdfFormat) -> usize {
        RdfParser::from_format(format)
            .for_slice(&self.body)
            .inspect(|q| assert!(q.is_ok(), "a valid RDF document: {q:?}"))
            .count()
    }
}

fn term_value(term: &oxigraph::model::Term) -> String {
    match term {
        oxigraph::model::Term::NamedNode(n) => n.as_str().to_owned(),
        oxigraph::model::Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}

async fn send(router: &Router, request: Request<Body>) -> Reply {
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

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn get(uri: &str, accept: Option<&str>) -> Request<Body> {
    let mut request = Request::get(uri);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    request.body(Body::empty()).expect("a request")
}

fn query_get(query: &str, accept: Option<&str>) -> Request<Body> {
    get(&format!("/sparql?query={}", encode(query)), accept)
}

fn post(uri: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::post(uri);
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    request.body(body.into()).expect("a request")
}

fn update_post(update: &str, token: Option<&str>) -> Request<Body> {
    let mut request =
        Request::post("/update").header(header::CONTENT_TYPE, "application/sparql-update");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request
        .body(Body::from(update.to_owned()))
        .expect("a request")
}

const LABELS: &str = "SELECT ?label WHERE { sr:TSG6 rdfs:label ?label }";
const MARKERS: &str = "SELECT ?m WHERE { ?m a st:Marker } ORDER BY ?m";

// ---- the protocol: formats --------------------------------------------------------------

#[tokio::test]
async fn a_select_answers_in_each_results_format_the_client_accepts() {
    let router = default_app();
    for (accept, format) in [
        (None, QueryResultsFormat::Json),
        (
            Some("application/sparql-results+json"),
            QueryResultsFormat::Json,
        ),
        (
            Some("application/sparql-results+xml"),
            QueryResultsFormat::Xml,
        ),
        (Some("text/csv"), QueryResultsFormat::Csv),
        (Some("text/tab-separated-values"), QueryResultsFormat::Tsv),
    ] {
        let reply = send(&router, query_get(LABELS, accept)).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept:?}: {}", reply.text());
        assert!(
            reply.content_type().starts_with(format.media_type()),
            "{accept:?}: {}",
            reply.content_type()
        );
        if format == QueryResultsFormat::Csv {
            // CSV results are lossy, so no parser reads them back: check the text.
            assert_eq!(reply.text().replace("\r\n", "\n"), "label\nTSG-6\n");
            continue;
        }
        let rows = reply.solutions(format);
        assert_eq!(
            rows,
            vec![vec![("label".to_owned(), "TSG-6".to_owned())]],
            "{accept:?}"
        );
        assert_eq!(reply.header("stroma-rows"), Some("1"));
        assert_eq!(reply.header("stroma-truncated"), None);
    }
}

#[tokio::test]
async fn an_ask_answers_in_json_and_xml() {
    let router = default_app();
    for format in [QueryResultsFormat::Json, QueryResultsFormat::Xml] {
        let reply = send(
            &router,
            query_get("ASK { sr:TSG6 a ?type }", Some(format.media_type())),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.boolean(format));
    }
}

#[tokio::test]
async fn a_construct_answers_in_each_rdf_format_the_client_accepts() {
    let router = default_app();
    let construct = "CONSTRUCT { sr:TSG6 ?p ?o } WHERE { sr:TSG6 ?p ?o }";
    let mut counts = Vec::new();
    for (accept, format) in [
        (None, RdfFormat::Turtle),
        (Some("text/turtle"), RdfFormat::Turtle),
        (Some("application/n-triples"), RdfFormat::NTriples),
        (Some("application/rdf+xml"), RdfFormat::RdfXml),
        (Some("application/n-quads"), RdfFormat::NQuads),
        (Some("application/trig"), RdfFormat::TriG),
        (
            Some("application/ld+json"),
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
    ] {
        let reply = send(&router, query_get(construct, accept)).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept:?}: {}", reply.text());
        assert!(
            reply.content_type().starts_with(format.media_type()),
            "{accept:?}"
        );
        counts.push(reply.triples(format));
    }
    assert!(
        counts[0] > 3,
        "TSG-6 has a type, labels and relations: {counts:?}"
    );
    assert!(
        counts.iter().all(|c| *c == counts[0]),
        "every format carries the same triples: {counts:?}"
    );
}

#[tokio::test]
async fn accept_quality_decides_between_formats() {
    let reply = send(
        &default_app(),
        query_get(
            LABELS,
            Some("application/sparql-results+json;q=0.5, text/csv"),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/csv"));
}

#[tokio::test]
async fn a_query_is_posted_as_a_form_or_directly() {
    let router = default_app();
    let form = post(
        "/sparql",
        Some("application/x-www-form-urlencoded"),
        format!("query={}", encode(MARKERS)),
    );
    let direct = post("/sparql", Some("application/sparql-query"), MARKERS);
    let by_form = send(&router, form).await;
    let by_body = send(&router, direct).await;
    assert_eq!(by_form.status, StatusCode::OK, "{}", by_form.text());
    assert_eq!(by_body.status, StatusCode::OK, "{}", by_body.text());
    let rows = by_form.solutions(QueryResultsFormat::Json);
    assert!(
        rows.len() >= 3,
        "the review names surface markers: {rows:?}"
    );
    assert_eq!(rows, by_body.solutions(QueryResultsFormat::Json));
}

#[tokio::test]
async fn the_endpoint_without_parameters_describes_itself() {
    let reply = send(&default_app(), get("/sparql", Some("text/turtle"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/turtle"));
    let text = reply.text();
    assert!(
        text.contains("sd:Service") && text.contains("sd:SPARQL11Query"),
        "{text}"
    );
    assert!(text.contains("SPARQL_Results_JSON"), "{text}");
    assert!(
        !text.contains("SPARQL11Update"),
        "a read-only endpoint offers no update: {text}"
    );
    assert!(reply.triples(RdfFormat::Turtle) > 5);
}

// ---- the protocol: malformed requests -----------------------------------------------------

#[tokio::test]
async fn each_malformed_request_gets_its_status_and_a_message() {
    let router = default_app();
    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "bad syntax",
            query_get("SELECT ?x WHERE { ?x ", None),
            StatusCode::BAD_REQUEST,
            "1:",
        ),
        (
            "wrong method",
            Request::put("/sparql").body(Body::empty()).unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "",
        ),
        (
            "repeated query",
            get(
                &format!("/sparql?query={0}&query={0}", encode(LABELS)),
                None,
            ),
            StatusCode::BAD_REQUEST,
            "more than once",
        ),
        (
            "missing query",
            get(
                "/sparql?default-graph-uri=http%3A%2F%2Fexample.org%2Fg",
                None,
            ),
            StatusCode::BAD_REQUEST,
            "missing the `query` parameter",
        ),
        (
            "query in the body and the URL",
            post(
                &format!("/sparql?query={}", encode(LABELS)),
                Some("application/sparql-query"),
                LABELS,
            ),
            StatusCode::BAD_REQUEST,
            "send one",
        ),
        (
            "unsupported media type",
            post("/sparql", Some("text/plain"), LABELS),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "text/plain",
        ),
        (
            "no media type",
            post("/sparql", None, LABELS),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type",
        ),
        (
            "not acceptable",
            query_get(LABELS, Some("image/png")),
            StatusCode::NOT_ACCEPTABLE,
            "application/sparql-results+json",
        ),
        (
            "a graph format for a SELECT",
            query_get(LABELS, Some("text/turtle")),
            StatusCode::NOT_ACCEPTABLE,
            "text/csv",
        ),
        (
            "a body that is not UTF-8",
            post(
                "/sparql",
                Some("application/sparql-query"),
                vec![b'S', 0xFF, 0xFE],
            ),
            StatusCode::BAD_REQUEST,
            "UTF-8",
        ),
        (
            "a parameter that is not UTF-8",
            get("/sparql?query=%FF", None),
            StatusCode::BAD_REQUEST,
            "UTF-8",
        ),
        (
            "a dataset IRI that is not an IRI",
            get(
                &format!(
                    "/sparql?query={}&default-graph-uri=not%20an%20iri",
                    encode(LABELS)
                ),
                None,
            ),
            StatusCode::BAD_REQUEST,
            "not an IRI",
        ),
        (
            "an update sent with GET",
            get("/sparql?update=CLEAR%20ALL", None),
            StatusCode::BAD_REQUEST,
            "POST it to /update",
        ),
        (
            "an update sent to the query endpoint",
            post(
                "/sparql",
                Some("application/x-www-form-urlencoded"),
                "update=CLEAR+ALL",
            ),
            StatusCode::BAD_REQUEST,
            "/update",
        ),
        (
            "an update fetched with GET",
            get("/update", None),
            StatusCode::METHOD_NOT_ALLOWED,
            "",
        ),
        (
            "an unknown path",
            get("/nowhere", None),
            StatusCode::NOT_FOUND,
            "/sparql",
        ),
    ];
    for (case, request, status, message) in cases {
        let reply = send(&router, request).await;
        assert_eq!(reply.status, status, "{case}: {}", reply.text());
        assert!(reply.text().contains(message), "{case}: {}", reply.text());
    }
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_with_413() {
    let (_, router) = app(Config {
        max_body: 64,
        ..Config::default()
    });
    let long = format!("SELECT * WHERE {{ ?s ?p ?o }} # {}", "x".repeat(100));
    let reply = send(
        &router,
        post("/sparql", Some("application/sparql-query"), long),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let short = send(
        &router,
        post("/sparql", Some("application/sparql-query"), "ASK {}"),
    )
    .await;
    assert_eq!(short.status, StatusCode::OK);
}

// ---- datasets, updates and the token ------------------------------------------------------

fn updatable() -> (Arc<Server>, Router) {
    app(Config {
        update_token: Some(TOKEN.into()),
        ..Config::default()
    })
}

#[tokio::test]
async fn updates_are_refused_unless_allowed_and_then_need_the_token() {
    let insert = "INSERT DATA { sr:Probe rdfs:label \"probe\" }";
    let closed = send(&default_app(), update_post(insert, Some(TOKEN))).await;
    assert_eq!(closed.status, StatusCode::FORBIDDEN, "{}", closed.text());
    assert!(closed.text().contains("--allow-update"));

    let (_, router) = updatable();
    for token in [None, Some("wrong"), Some("s3cret-tokenX"), Some("")] {
        let reply = send(&router, update_post(insert, token)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert!(reply
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer")));
    }
    let ask = "ASK { sr:Probe rdfs:label \"probe\" }";
    assert!(!send(&router, query_get(ask, None))
        .await
        .boolean(QueryResultsFormat::Json));
    let applied = send(&router, update_post(insert, Some(TOKEN))).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.text());
    let report: serde_json::Value = serde_json::from_slice(&applied.body).unwrap();
    assert_eq!(
        report["quads_after"].as_u64(),
        report["quads_before"].as_u64().map(|n| n + 1)
    );
    assert!(send(&router, query_get(ask, None))
        .await
        .boolean(QueryResultsFormat::Json));
}

#[tokio::test]
async fn an_update_is_also_accepted_as_a_form() {
    let (_, router) = updatable();
    let form = Request::post("/update")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::from(format!(
            "update={}",
            encode("INSERT DATA { sr:Probe2 a st:Factor }")
        )))
        .unwrap();
    assert_eq!(send(&router, form).await.status, StatusCode::OK);
    assert!(
        send(&router, query_get("ASK { sr:Probe2 a st:Factor }", None))
            .await
            .boolean(QueryResultsFormat::Json)
    );
}

#[tokio::test]
async fn dataset_parameters_choose_the_graphs_a_query_sees() {
    let (_, router) = updatable();
    let insert = "INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/a> <http://example.org/p> \"one\" } GRAPH <http://example.org/g2> { <http://example.org/b> <http://example.org/p> \"two\" } }";
    assert_eq!(
        send(&router, update_post(insert, Some(TOKEN))).await.status,
        StatusCode::OK
    );
    let values = "SELECT ?v WHERE { ?s <http://example.org/p> ?v }";
    let store_default = send(&router, query_get(values, None)).await;
    assert!(
        store_default.solutions(QueryResultsFormat::Json).is_empty(),
        "named graphs are not the default graph"
    );
    let g1 = send(
        &router,
        get(
            &format!(
                "/sparql?query={}&default-graph-uri={}",
                encode(values),
                encode("http://example.org/g1")
            ),
            None,
        ),
    )
    .await;
    assert_eq!(
        g1.solutions(QueryResultsFormat::Json),
        vec![vec![("v".into(), "one".into())]]
    );
    let named = "SELECT ?g ?v WHERE { GRAPH ?g { ?s <http://example.org/p> ?v } }";
    let only_g2 = send(
        &router,
        get(
            &format!(
                "/sparql?query={}&named-graph-uri={}",
                encode(named),
                encode("http://example.org/g2")
            ),
            None,
        ),
    )
    .await;
    assert_eq!(
        only_g2.solutions(QueryResultsFormat::Json),
        vec![vec![
            ("g".into(), "http://example.org/g2".into()),
            ("v".into(), "two".into())
        ]]
    );
    // using-graph-uri does for an update what default-graph-uri does for a query.
    let copy = Request::post(format!("/update?using-graph-uri={}", encode("http://example.org/g2")))
        .header(header::CONTENT_TYPE, "application/sparql-update")
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::from("INSERT { <http://example.org/copy> <http://example.org/p> ?v } WHERE { ?s <http://example.org/p> ?v }"))
        .unwrap();
    assert_eq!(send(&router, copy).await.status, StatusCode::OK);
    let copied = send(
        &router,
        query_get(
            "SELECT ?v WHERE { <http://example.org/copy> <http://example.org/p> ?v }",
            None,
        ),
    )
    .await;
    assert_eq!(
        copied.solutions(QueryResultsFormat::Json),
        vec![vec![("v".into(), "two".into())]]
    );
}

#[tokio::test]
async fn an_update_naming_its_dataset_twice_is_refused() {
    let (_, router) = updatable();
    let conflict = Request::post(format!(
        "/update?using-graph-uri={}",
        encode("http://example.org/g")
    ))
    .header(header::CONTENT_TYPE, "application/sparql-update")
    .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
    .body(Body::from(
        "DELETE { ?s ?p ?o } USING <http://example.org/h> WHERE { ?s ?p ?o }",
    ))
    .unwrap();
    let reply = send(&router, conflict).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert!(reply.text().contains("USING"));
}

#[tokio::test]
async fn load_is_refused_unless_allowed() {
    let (_, router) = updatable();
    let reply = send(
        &router,
        update_post("LOAD <http://example.org/data.ttl>", Some(TOKEN)),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
    assert!(reply.text().contains("--allow-load"));
    let (_, router) = app(Config {
        update_token: Some(TOKEN.into()),
        load_allow: vec!["http://127.0.0.1:9/allowed/".into()],
        ..Config::default()
    });
    let elsewhere = send(
        &router,
        update_post("LOAD <http://example.org/data.ttl>", Some(TOKEN)),
    )
    .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::FORBIDDEN,
        "{}",
        elsewhere.text()
    );
    assert!(elsewhere.text().contains("not on the --allow-load list"));
}

// ---- limits ---------------------------------------------------------------------------------

/// A query that would run for minutes: the cartesian product of every triple with every
/// triple (2.3 × 10⁸ rows). It reads the store every few thousand rows, where Oxigraph checks
/// for cancellation.
const ENDLESS: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_past_its_deadline_gets_503_at_the_deadline_and_stops() {
    let (server, router) = app(Config {
        timeout: Some(Duration::from_millis(800)),
        ..Config::default()
    });
    let started = Instant::now();
    let reply = send(&router, query_get(ENDLESS, None)).await;
    let elapsed = started.elapsed();
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.text()
    );
    assert!(reply.text().contains("deadline"), "{}", reply.text());
    assert!(
        elapsed < Duration::from_secs(5),
        "answered after {elapsed:?}"
    );
    wait_until_idle(&server).await;
}

/// Waits until no evaluation runs (a cancelled one has stopped), for at most 10 s.
async fn wait_until_idle(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.health().running > 0 {
        assert!(
            Instant::now() < deadline,
            "the evaluation still runs: {:?}",
            server.health()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_goes_away_cancels_its_query() {
    let (server, router) = app(Config {
        timeout: None,
        ..Config::default()
    });
    let request = router.clone().oneshot(query_get(ENDLESS, None));
    assert!(tokio::time::timeout(Duration::from_millis(500), request)
        .await
        .is_err());
    assert_eq!(
        server.health().running,
        1,
        "the query was still running when its client left"
    );
    // The request's future is gone: its evaluation stops without finishing the product.
    wait_until_idle(&server).await;
}

#[tokio::test]
async fn the_row_cap_cuts_answers_visibly() {
    let (_, router) = app(Config {
        max_rows: Some(3),
        ..Config::default()
    });
    let reply = send(&router, query_get(MARKERS, None)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("stroma-truncated"), Some("3"));
    assert_eq!(reply.header("stroma-rows"), Some("3"));
    let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(
        json["results"]["bindings"].as_array().map(Vec::len),
        Some(3)
    );
    assert!(
        json["head"]["link"][0]
            .as_str()
            .is_some_and(|l| l.ends_with("/sparql#max-rows")),
        "{json}"
    );
    // An answer exactly at the cap is whole, and says so.
    let exact = send(
        &router,
        query_get(
            &format!("{MARKERS} LIMIT 3"),
            Some("text/tab-separated-values"),
        ),
    )
    .await;
    assert_eq!(exact.header("stroma-truncated"), None);
    assert_eq!(exact.solutions(QueryResultsFormat::Tsv).len(), 3);
    // A graph is cut the same way.
    let graph = send(
        &router,
        query_get("CONSTRUCT WHERE { ?s a ?t }", Some("application/n-triples")),
    )
    .await;
    assert_eq!(graph.header("stroma-truncated"), Some("3"));
    assert_eq!(graph.triples(RdfFormat::NTriples), 3);
}

#[tokio::test]
async fn service_is_refused_unless_its_target_is_allowed() {
    let router = default_app();
    let federated = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }";
    let reply = send(&router, query_get(federated, None)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
    assert!(reply.text().contains("--service-allow"), "{}", reply.text());
    // SERVICE SILENT makes the refusal an empty answer, as the standard says.
    let silent = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }";
    assert_eq!(
        send(&router, query_get(silent, None)).await.status,
        StatusCode::OK
    );
    // A listed name that resolves to a loopback address is refused too.
    let (_, listed) = app(Config {
        service_allow: vec!["http://localhost.:9/sparql".into()],
        ..Config::default()
    });
    let by_name = send(
        &listed,
        query_get(
            "SELECT * WHERE { SERVICE <http://localhost.:9/sparql> { ?s ?p ?o } }",
            None,
        ),
    )
    .await;
    assert_eq!(by_name.status, StatusCode::FORBIDDEN, "{}", by_name.text());
}

#[tokio::test]
async fn cors_headers_only_when_asked_for() {
    let preflight = || {
        Request::builder()
            .method("OPTIONS")
            .uri("/sparql")
            .header(header::ORIGIN, "https://lab.example.org")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .body(Body::empty())
            .unwrap()
    };
    let closed = send(&default_app(), preflight()).await;
    assert!(closed.header("access-control-allow-origin").is_none());
    let (_, open) = app(Config {
        cors: vec!["https://lab.example.org".into()],
        ..Config::default()
    });
    let reply = send(&open, preflight()).await;
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://lab.example.org")
    );
}

// ---- the Graph Store Protocol, health ----------------------------------------------------

#[tokio::test]
async fn the_graph_store_reads_the_default_graph_and_named_graphs() {
    let (_, router) = updatable();
    let all = send(
        &router,
        get("/store?default", Some("application/n-triples")),
    )
    .await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(
        all.triples(RdfFormat::NTriples) > 10_000,
        "the whole curated graph, uncapped"
    );
    let missing = send(
        &router,
        get(
            &format!("/store?graph={}", encode("http://example.org/none")),
            None,
        ),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let insert = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/p> 1 } }";
    send(&router, update_post(insert, Some(TOKEN))).await;
    let named = send(
        &router,
        get(
            &format!("/store?graph={}", encode("http://example.org/g")),
            Some("text/turtle"),
        ),
    )
    .await;
    assert_eq!(named.status, StatusCode::OK);
    assert_eq!(named.triples(RdfFormat::Turtle), 1);
    for bad in [
        "/store",
        "/store?default&graph=http%3A%2F%2Fexample.org%2Fg",
    ] {
        assert_eq!(
            send(&router, get(bad, None)).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn health_reports_what_runs() {
    let reply = send(&default_app(), get("/health", None)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let health: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["running"], 0);
    assert!(health["max_concurrent"].as_u64().is_some_and(|n| n >= 1));
}
