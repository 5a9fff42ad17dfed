//! `stroma serve`'s limits, handler by handler and without sockets: the body cap, updates and
//! their token, LOAD, the deadline, a client that goes away, the row cap, SERVICE, CORS and
//! health.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::http::*;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;
use std::time::{Duration, Instant};
use stroma::server::{Config, Server};
use tower::ServiceExt;

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
    let form = authorized(
        "/update",
        "application/x-www-form-urlencoded",
        format!("update={}", encode("INSERT DATA { sr:Probe2 a st:Factor }")),
    );
    assert_eq!(send(&router, form).await.status, StatusCode::OK);
    assert!(
        send(&router, query_get("ASK { sr:Probe2 a st:Factor }", None))
            .await
            .boolean(QueryResultsFormat::Json)
    );
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

#[tokio::test]
async fn health_reports_what_runs() {
    let reply = send(&default_app(), get("/health", None)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let health: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["running"], 0);
    assert!(health["max_concurrent"].as_u64().is_some_and(|n| n >= 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graph_streams_in_chunks_and_stops_when_its_client_leaves() {
    let (server, router) = app(Config::default());
    let response = router
        .clone()
        .oneshot(get("/store?default", Some("application/n-triples")))
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let first =
        std::future::poll_fn(|cx| http_body::Body::poll_frame(std::pin::Pin::new(&mut body), cx))
            .await
            .expect("a first chunk")
            .expect("no error")
            .into_data()
            .expect("data");
    assert!(first.len() >= 64 * 1024, "{} bytes", first.len());
    // The rest waits for the client; the client leaves, and the work stops.
    assert_eq!(server.health().running, 1, "{:?}", server.health());
    drop(body);
    wait_until_idle(&server).await;
}

/// A request body that sends its first bytes and then nothing more, ever.
struct Stalled(bool);

impl http_body::Body for Stalled {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if self.0 {
            return std::task::Poll::Pending;
        }
        self.0 = true;
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(
            axum::body::Bytes::from_static(b"query=ASK%20"),
        ))))
    }
}

#[tokio::test]
async fn a_body_that_stops_arriving_gets_408_at_the_receive_timeout() {
    let (server, router) = app(Config {
        receive_timeout: Duration::from_millis(300),
        update_token: Some(TOKEN.into()),
        ..Config::default()
    });
    for uri in ["/sparql", "/update"] {
        let started = Instant::now();
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::new(Stalled(false)))
            .expect("a request");
        let reply = send(&router, request).await;
        assert_eq!(
            reply.status,
            StatusCode::REQUEST_TIMEOUT,
            "{uri}: {}",
            reply.text()
        );
        assert!(
            reply.text().contains("--receive-timeout"),
            "{}",
            reply.text()
        );
        assert_eq!(reply.header("connection"), Some("close"));
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    assert_eq!(server.health().running, 0, "no evaluation slot was taken");
}
