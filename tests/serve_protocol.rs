//! `stroma serve` speaks the SPARQL 1.1 Protocol, handler by handler and without sockets: each
//! results and RDF format, content negotiation, the dataset parameters, the service
//! description, the Graph Store Protocol's reads, and the status of every malformed request
//! (the W3C protocol tests' cases, named after them where they match one). Limits are in
//! `serve_limits.rs`, real clients in `serve_e2e.rs`.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::http::*;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

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
async fn dataset_parameters_choose_the_graphs_a_query_sees() {
    let router = two_graphs().await;
    let values = "SELECT ?v WHERE { ?s <http://example.org/p> ?v }";
    assert!(
        rows_of(&router, values).await.is_empty(),
        "named graphs are not the default graph"
    );
    assert_eq!(
        rows_with(
            &router,
            values,
            "default-graph-uri",
            "http://example.org/g1"
        )
        .await,
        vec![vec![("v".into(), "one".into())]]
    );
    let named = "SELECT ?g ?v WHERE { GRAPH ?g { ?s <http://example.org/p> ?v } }";
    assert_eq!(
        rows_with(&router, named, "named-graph-uri", "http://example.org/g2").await,
        vec![vec![
            ("g".into(), "http://example.org/g2".into()),
            ("v".into(), "two".into())
        ]]
    );
    // using-graph-uri does for an update what default-graph-uri does for a query.
    let copy = update_with(
        "using-graph-uri",
        "http://example.org/g2",
        "INSERT { <http://example.org/copy> <http://example.org/p> ?v } WHERE { ?s <http://example.org/p> ?v }",
    );
    assert_eq!(send(&router, copy).await.status, StatusCode::OK);
    assert_eq!(
        rows_of(
            &router,
            "SELECT ?v WHERE { <http://example.org/copy> <http://example.org/p> ?v }"
        )
        .await,
        vec![vec![("v".into(), "two".into())]]
    );
}

#[tokio::test]
async fn an_update_naming_its_dataset_twice_is_refused() {
    let (_, router) = updatable();
    let conflict = update_with(
        "using-graph-uri",
        "http://example.org/g",
        "DELETE { ?s ?p ?o } USING <http://example.org/h> WHERE { ?s ?p ?o }",
    );
    let reply = send(&router, conflict).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert!(reply.text().contains("USING"));
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

// ---- cases of the W3C SPARQL 1.1 Protocol tests not covered above ---------------------------

/// Two named graphs with one value each, and a router that accepts updates.
async fn two_graphs() -> axum::Router {
    let (_, router) = updatable();
    let insert = "INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/a> <http://example.org/p> \"one\" } GRAPH <http://example.org/g2> { <http://example.org/b> <http://example.org/p> \"two\" } }";
    let reply = send(&router, update_post(insert, Some(TOKEN))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    router
}

/// W3C `query_specifying_dataset_in_both_query_string_and_protocol`: the protocol's dataset
/// wins over the query's FROM.
#[tokio::test]
async fn the_protocol_dataset_replaces_the_querys_from() {
    let router = two_graphs().await;
    let query = "SELECT ?v FROM <http://example.org/g1> WHERE { ?s <http://example.org/p> ?v }";
    assert_eq!(
        rows_of(&router, query).await,
        vec![vec![("v".into(), "one".into())]]
    );
    assert_eq!(
        rows_with(&router, query, "default-graph-uri", "http://example.org/g2").await,
        vec![vec![("v".into(), "two".into())]]
    );
}

/// W3C `update_dataset_named_graphs`: using-named-graph-uri names the graphs GRAPH sees.
#[tokio::test]
async fn using_named_graph_uri_names_the_graphs_an_update_reads() {
    let router = two_graphs().await;
    let copy = update_with(
        "using-named-graph-uri",
        "http://example.org/g1",
        "INSERT { <http://example.org/seen> <http://example.org/p> ?v } WHERE { GRAPH ?g { ?s <http://example.org/p> ?v } }",
    );
    assert_eq!(send(&router, copy).await.status, StatusCode::OK);
    assert_eq!(
        rows_of(
            &router,
            "SELECT ?v WHERE { <http://example.org/seen> <http://example.org/p> ?v }"
        )
        .await,
        vec![vec![("v".into(), "one".into())]]
    );
}

/// W3C `base_uri`: a relative IRI resolves against the endpoint.
#[tokio::test]
async fn relative_iris_resolve_against_the_endpoint() {
    let (_, router) = updatable();
    let insert = "INSERT DATA { <http://example.org/s> <http://example.org/p> <test> }";
    let mut request = authorized("/update", "application/sparql-update", insert);
    request.headers_mut().insert(
        header::HOST,
        header::HeaderValue::from_static("stroma.example:7878"),
    );
    let reply = send(&router, request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(
        rows_of(
            &router,
            "SELECT ?o WHERE { <http://example.org/s> <http://example.org/p> ?o }"
        )
        .await,
        vec![vec![("o".into(), "http://stroma.example:7878/test".into())]]
    );
}

/// W3C `bad_query_non_utf8`, `bad_update_non_utf8`, `bad_multiple_updates`,
/// `bad_update_wrong_media_type`, `bad_update_missing_form_type`: refused with 4xx.
#[tokio::test]
async fn malformed_updates_and_other_charsets_are_refused() {
    let (_, router) = updatable();
    let utf16: Vec<u8> = "ASK {}".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let cases = vec![
        (
            "a query in UTF-16",
            post(
                "/sparql",
                Some("application/sparql-query; charset=UTF-16"),
                utf16.clone(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "an update in UTF-16",
            authorized(
                "/update",
                "application/sparql-update; charset=UTF-16",
                utf16,
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "two update strings",
            authorized(
                "/update",
                "application/x-www-form-urlencoded",
                b"update=CLEAR+DEFAULT&update=CLEAR+DEFAULT".to_vec(),
            ),
            StatusCode::BAD_REQUEST,
        ),
        (
            "an update with another media type",
            authorized("/update", "text/plain", b"CLEAR DEFAULT".to_vec()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "a form body sent as a direct update",
            authorized(
                "/update",
                "application/sparql-update",
                b"update=CLEAR+DEFAULT".to_vec(),
            ),
            StatusCode::BAD_REQUEST,
        ),
        (
            "an update with a syntax error",
            authorized(
                "/update",
                "application/sparql-update",
                b"INSERT DATA { <a> }".to_vec(),
            ),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (case, request, status) in cases {
        let reply = send(&router, request).await;
        assert_eq!(reply.status, status, "{case}: {}", reply.text());
    }
}
