//! The web explorer's pages, called without sockets: each page's status and key content on
//! the embedded graph (checked against the review), stable shareable URLs, downloads, errors
//! that name the input, and labels with markup shown as text on every page that shows them
//! (HTML and the Graphviz SVG inside it).

mod common;

use axum::http::StatusCode;
use common::http::{app, default_app, encode, get, send, updatable, update_post, Reply, TOKEN};
use oxigraph::sparql::results::QueryResultsFormat;
use stroma::query;
use stroma::server::Config;

async fn page(uri: &str) -> Reply {
    send(&default_app(), get(uri, None)).await
}

fn assert_html(reply: &Reply, uri: &str) -> String {
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.text());
    assert!(
        reply.content_type().starts_with("text/html"),
        "{uri}: {}",
        reply.content_type()
    );
    reply.text()
}

/// Graphviz is needed for the diagrams; without it a page says why it has none.
fn have_dot() -> bool {
    common::have_tool("dot", &["-V"])
}

#[tokio::test]
async fn the_home_page_offers_search_and_every_section() {
    let text = assert_html(&page("/").await, "/");
    for needle in [
        "action=\"/search\"",
        "href=\"/trace",
        "href=\"/matrix\"",
        "href=\"/compare\"",
        "href=\"/query\"",
        "134 studies",
        "Liu TM",
        "/assets/stroma.js",
    ] {
        assert!(text.contains(needle), "home page lacks {needle}");
    }
}

#[tokio::test]
async fn search_lists_hits_best_first_with_links_to_their_pages() {
    let text = assert_html(&page("/search?q=TSG-6").await, "/search");
    let first = text.find("/entity/sr:TSG6").expect("TSG-6 is found");
    assert!(text.contains("Protein"), "hits show their type");
    // The resolver's ranking: the exact name comes before names that merely contain it.
    if let Some(other) = text.find("/entity/sr:") {
        assert!(first <= other, "TSG-6 is the first hit");
    }
}

#[tokio::test]
async fn a_search_that_finds_nothing_says_so_and_suggests() {
    let reply = page("/search?q=mesenchymol%20stm").await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "as a trace without a path"
    );
    let text = reply.text();
    assert!(
        text.contains("name=\"q\" value=\"mesenchymol stm\""),
        "the form keeps the text"
    );
    assert!(text.contains("no entity matches"), "{text}");
    assert!(
        text.contains("did you mean: mesenchymal gene expression, mesenchymal stem cell"),
        "{text}"
    );
}

#[tokio::test]
async fn suggestions_come_as_json_in_the_resolvers_order() {
    let reply = page("/api/suggest?q=exos").await;
    assert_eq!(reply.status, StatusCode::OK);
    let hits: serde_json::Value = serde_json::from_slice(&reply.body).expect("JSON");
    let first = &hits[0];
    assert_eq!(first["label"], "exosomes", "{hits}");
    assert_eq!(first["href"], "/entity/sr:Exosomes");
    assert!(hits.as_array().is_some_and(|h| h.len() <= 10));
    let none = page("/api/suggest?q=zzzzqqq").await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.text(), "[]");
}

#[tokio::test]
async fn an_entity_page_shows_its_card_grouped_by_predicate_with_studies() {
    let text = assert_html(&page("/entity/sr:TSG6").await, "/entity/sr:TSG6");
    assert!(text.contains("<h1>TSG-6</h1>"), "the label is the heading");
    assert!(text.contains("TNFAIP6"), "synonyms and the gene symbol");
    assert!(
        text.contains("→ mediates"),
        "relations out, grouped by predicate"
    );
    assert!(
        text.contains("← secretes"),
        "relations in, with their direction"
    );
    // Yang H 2019 (ref 111): TSG-6 from iPSC-MSCs drove intestinal repair in murine colitis.
    assert!(
        text.contains("href=\"/study/111\""),
        "studies link to their pages"
    );
    assert!(
        text.contains("[111] Yang H 2019"),
        "number, first author, year"
    );
    assert!(
        text.contains("experimental colitis"),
        "qualifiers are shown"
    );
    if have_dot() {
        assert!(text.contains("<svg"), "the neighbourhood is drawn inline");
        assert!(
            text.contains("xlink:href=\"/entity/sr:IntestinalRepair\""),
            "diagram nodes link to their pages"
        );
    }
}

#[tokio::test]
async fn an_entity_is_reached_by_curie_iri_or_name_and_the_depth_is_bounded() {
    for uri in [
        "/entity/sr:TSG6",
        &format!("/entity/{}", encode("<https://w3id.org/stroma/id/TSG6>")),
        "/entity/TSG-6",
        "/entity/sr:TSG6?depth=9",
    ] {
        let text = assert_html(&page(uri).await, uri);
        assert!(text.contains("<h1>TSG-6</h1>"), "{uri}");
    }
}

#[tokio::test]
async fn an_unknown_entity_is_a_404_that_names_it_and_suggests() {
    let reply = page("/entity/sr:TSG-66").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let text = reply.text();
    assert!(text.contains("sr:TSG-66"), "{text}");
    assert!(
        text.contains("did you mean: TSG-6"),
        "the nearest names are offered: {text}"
    );
}

#[tokio::test]
async fn a_study_page_shows_its_record_and_every_statement_it_supports() {
    let text = assert_html(&page("/study/111").await, "/study/111");
    assert!(text.contains("Yang H"), "first author");
    assert!(text.contains("2019"), "year");
    assert!(
        text.contains("Statements derived from this study"),
        "{text}"
    );
    assert!(
        text.contains("href=\"/entity/sr:TSG6\""),
        "its statements link entities"
    );
    let missing = page("/study/999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(page("/study/abc").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_query_page_lists_named_queries_and_runs_one_as_a_table() {
    let text = assert_html(&page("/query?name=table-1").await, "/query?name=table-1");
    assert!(
        text.contains("href=\"/query?name=factors-by-effect\""),
        "named queries"
    );
    assert!(text.contains("<textarea"), "an editor holding the query");
    assert!(
        text.contains("st:tableRow"),
        "the query's text is in the editor"
    );
    assert!(text.contains("10 rows"), "Table 1 has ten rows");
    assert!(text.contains("proliferation rate"));
    for format in ["csv", "tsv", "json", "xml"] {
        assert!(
            text.contains(&format!("/download?name=table-1&amp;format={format}")),
            "download as {format}"
        );
    }
}

#[tokio::test]
async fn the_query_page_runs_edited_text_and_shows_errors_with_line_and_column() {
    let query = "SELECT ?m WHERE { ?m a st:Marker } ORDER BY ?m LIMIT 3";
    let text = assert_html(
        &page(&format!("/query?query={}", encode(query))).await,
        "/query?query=",
    );
    assert!(text.contains("3 rows"), "{text}");
    let broken = page(&format!(
        "/query?query={}",
        encode("SELECT ?x WHERE {\n  ?x ?y\n}")
    ))
    .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    let text = broken.text();
    assert!(
        text.contains("at 3:2"),
        "the error names line and column: {text}"
    );
    assert!(text.contains("?x ?y"), "the editor keeps the text to fix");
    // A named query sent back from the form (a text box sends CR LF) keeps its name.
    let sent = query::named("table-1")
        .expect("table-1")
        .text
        .replace('\n', "\r\n");
    let reply = page(&format!("/query?name=table-1&query={}", encode(&sent))).await;
    let text = assert_html(&reply, "the form sent back");
    assert!(
        text.contains("<h1>Query: <code>table-1</code></h1>"),
        "{text}"
    );
    assert!(text.contains("/download?name=table-1&amp;format=csv"));
    let unknown = page("/query?name=tabel-1").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(unknown.text().contains("table-1"), "did you mean");
}

#[tokio::test]
async fn the_query_page_never_reads_a_file_named_as_a_query() {
    let reply = page("/query?name=/etc/passwd").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(!reply.text().contains("root:"), "no file is read");
    let reply = page("/query?name=../queries/table-1.rq").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn downloads_come_in_each_format_as_attachments() {
    let reply = page("/download?name=table-1&format=csv").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/csv"));
    assert_eq!(
        reply.header("content-disposition"),
        Some("attachment; filename=\"stroma-table-1.csv\"")
    );
    assert_eq!(
        reply.text().lines().count(),
        11,
        "a header and Table 1's ten rows"
    );
    let json = page("/download?name=table-1&format=json").await;
    assert_eq!(json.solutions(QueryResultsFormat::Json).len(), 10);
    let construct = "CONSTRUCT { sr:TSG6 ?p ?o } WHERE { sr:TSG6 ?p ?o }";
    let ttl = page(&format!("/download?query={}&format=ttl", encode(construct))).await;
    assert_eq!(ttl.status, StatusCode::OK);
    assert!(ttl.triples(oxigraph::io::RdfFormat::Turtle) > 3);
    let wrong = page("/download?name=table-1&format=ttl").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.text().contains("csv, tsv, json, xml"),
        "{}",
        wrong.text()
    );
}

#[tokio::test]
async fn the_comparison_page_is_table_1_with_directions_and_references() {
    let text = assert_html(&page("/compare").await, "/compare");
    // Table 1, row 2: hPSC-MSCs proliferate faster than primary MSCs (refs 36, 39, 42, 43, 48, 57).
    let row = text.find("proliferation rate").expect("row 2");
    let rest = &text[row..];
    let end = rest.find("</tr>").expect("the row ends");
    let row = &rest[..end];
    assert!(row.contains("▼ lower") && row.contains("▲ higher"), "{row}");
    for n in [36, 39, 42, 43, 48, 57] {
        assert!(
            row.contains(&format!("href=\"/study/{n}\"")),
            "ref {n}: {row}"
        );
    }
    // Row 6: hPSC-MSCs are less immunosuppressive (refs 38, 46).
    assert!(text.contains("immunosuppressive capacity"));
    let table_1 = &text[..text.find("Other comparisons").unwrap_or(text.len())];
    assert_eq!(table_1.matches("<tr>").count(), 11, "a header and ten rows");
}

#[tokio::test]
async fn the_comparison_page_compares_any_two_types_and_says_when_it_cannot() {
    let uri = "/compare?a=iPSC-MSC&b=BM-MSC";
    let text = assert_html(&page(uri).await, uri);
    assert!(
        text.contains("iPSC-derived MSC compared with bone marrow MSC"),
        "{text}"
    );
    // More iPSC-MSCs survived in mouse limb ischaemia than BM-MSCs [46].
    let row = text
        .find("immune privilege")
        .expect("a finding on iPSC-MSCs");
    let row = &text[row..row + text[row..].find("</tr>").expect("the row ends")];
    assert!(
        row.contains("▲ higher") && row.contains("href=\"/study/46\""),
        "{row}"
    );
    let unknown = page("/compare?a=no%20such%20cell&b=BM-MSC").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text());
    assert!(unknown
        .text()
        .contains("no entity is named 'no such cell'; did you mean"));
}

#[tokio::test]
async fn the_trace_page_ranks_paths_with_evidence_and_coherence() {
    let uri = "/trace?from=TSG-6&to=intestinal%20repair";
    let text = assert_html(&page(uri).await, uri);
    assert!(text.contains("Path 1"), "{text}");
    assert!(
        text.contains("coherent: one study"),
        "coherence of each path"
    );
    assert!(text.contains("[111] Yang H 2019"), "evidence per hop");
    assert!(
        text.contains("value=\"TSG-6\""),
        "the form keeps what was asked"
    );
    if have_dot() {
        assert!(text.contains("<svg"), "the paths are drawn");
    }
    // Filters: a study that does not support the path leaves no path.
    let filtered = page("/trace?from=TSG-6&to=intestinal%20repair&study=119").await;
    assert_eq!(filtered.status, StatusCode::NOT_FOUND);
    assert!(filtered.text().contains("no path"), "{}", filtered.text());
    let coherent = page("/trace?from=TSG-6&to=intestinal%20repair&coherent=1&organism=https%3A%2F%2Fw3id.org%2Fstroma%2Fid%2FMouse").await;
    let text = assert_html(&coherent, "coherent, in mice");
    assert!(text.contains("coherent only"));
    assert!(
        text.contains("name=\"coherent\" value=\"1\" checked"),
        "the checkbox stays checked"
    );
    assert!(
        !text.contains("name=\"undirected\" value=\"1\" checked"),
        "only the boxes asked for"
    );
    assert!(
        text.contains("selected>mouse<"),
        "the organism stays chosen: {text}"
    );
}

#[tokio::test]
async fn a_cleared_number_field_falls_back_to_its_default() {
    // A form sends `max_hops=` for a cleared field: the page uses the default (4 hops).
    let uri = "/trace?from=TSG-6&to=intestinal%20repair&max_hops=&paths=";
    let text = assert_html(&page(uri).await, uri);
    assert!(text.contains("within 4 hops"), "{text}");
    assert!(text.contains("name=\"max_hops\" min=\"1\" max=\"6\" value=\"4\""));
    let text = assert_html(&page("/entity/sr:TSG6?depth=").await, "depth=");
    assert!(text.contains("Within 1 relation"));
    let one = "/trace?from=TSG-6&to=intestinal%20repair&max_hops=1";
    assert!(
        assert_html(&page(one).await, one).contains("within 1 hop<"),
        "no “1 hops”"
    );
}

#[tokio::test]
async fn a_trace_that_asks_wrongly_is_a_400_with_the_form() {
    let both = page("/trace?from=TSG-6&from_class=protein").await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    assert!(both.text().contains("not both"), "{}", both.text());
    assert!(
        both.text().contains("form class=\"trace\""),
        "the form stays to fix it"
    );
}

#[tokio::test]
async fn the_trace_form_offers_the_graphs_organisms_and_products() {
    let text = assert_html(&page("/trace").await, "/trace");
    assert!(
        text.contains(">mouse<") || text.contains(">Mouse<"),
        "{text}"
    );
    assert!(text.contains("exosomes"), "products are offered");
    assert!(!text.contains("Path 1"), "nothing is traced before asking");
    let unknown = page("/trace?from=TSG-66").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.text().contains("TSG-66"));
}

#[tokio::test]
async fn the_matrix_links_every_cell_to_its_trace() {
    let text = assert_html(&page("/matrix").await, "/matrix");
    assert!(text.contains("TSG-6"), "factors are rows");
    assert!(text.contains("intestinal repair"), "effects are columns");
    assert!(
        text.contains("href=\"/trace?from=sr:TSG6&amp;to=sr:IntestinalRepair\""),
        "a cell opens its trace"
    );
    let coherent = assert_html(&page("/matrix?coherent=1").await, "coherent");
    assert!(coherent.contains("coherent=1"), "cells keep the filter");
    // Other classes for rows and columns, named as a person would.
    let processes = "/matrix?from_class=signalling%20pathway&to_class=therapeutic%20effect";
    let text = assert_html(&page(processes).await, processes);
    assert!(
        text.contains("<h1>signalling pathway × therapeutic effect</h1>"),
        "{text}"
    );
    assert!(
        text.contains("PI3K/Akt signalling"),
        "pathways are the rows"
    );
    let unknown = page("/matrix?from_class=nonsense%20class").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(
        unknown.text().contains("nonsense class"),
        "the error names the input"
    );
    assert!(
        unknown.text().contains("name=\"from_class\""),
        "the form stays to fix it"
    );
}

#[tokio::test]
async fn assets_are_compiled_in_and_unknown_ones_are_404() {
    let css = page("/assets/stroma.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type().starts_with("text/css"));
    let js = page("/assets/stroma.js").await;
    assert!(js.content_type().starts_with("text/javascript"));
    // The query editor: vendored CodeMirror with its SPARQL mode, loaded by the query page only.
    let editor = page("/assets/codemirror.js").await;
    assert!(
        editor.text().contains("application/sparql-query"),
        "the SPARQL mode is bundled"
    );
    assert!(page("/assets/codemirror.css").await.status.is_success());
    assert!(page("/query")
        .await
        .text()
        .contains("/assets/codemirror.js"));
    assert!(
        !page("/").await.text().contains("codemirror"),
        "only where there is an editor"
    );
    assert_eq!(
        page("/assets/%2E%2E%2FCargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page("/assets/..%2F..%2F..%2FCargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(page("/assets/nope.js").await.status, StatusCode::NOT_FOUND);
}

/// A label with markup, linked into the graph so it appears in searches, cards, traces and
/// diagrams.
const EVIL: &str = r#"INSERT DATA {
  sr:Evil a st:Protein ; rdfs:label "<script>alert('x')</script> & <b>bold</b>"@en .
  sr:Evil st:mediates sr:IntestinalRepair .
  sr:EvilStatement a st:Statement ; rdf:subject sr:Evil ; rdf:predicate st:mediates ;
    rdf:object sr:IntestinalRepair ; prov:wasDerivedFrom ref:111 .
}"#;

#[tokio::test]
async fn labels_with_markup_show_as_text_on_every_page() {
    let (_, router) = updatable();
    let inserted = send(&router, update_post(EVIL, Some(TOKEN))).await;
    assert!(inserted.status.is_success(), "{}", inserted.text());
    let uris = [
        "/search?q=alert".to_owned(),
        "/api/suggest?q=alert".to_owned(),
        "/entity/sr:Evil".to_owned(),
        "/entity/sr:IntestinalRepair".to_owned(),
        "/study/111".to_owned(),
        format!("/trace?from={}&to=intestinal%20repair", encode("sr:Evil")),
        "/matrix".to_owned(),
        format!(
            "/query?query={}",
            encode("SELECT ?l WHERE { sr:Evil rdfs:label ?l }")
        ),
    ];
    for uri in &uris {
        let reply = send(&router, get(uri, None)).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.text());
        if uri.starts_with("/api/") {
            // JSON, never HTML: the script puts labels into the page as text (option.value).
            assert_eq!(reply.content_type(), "application/json");
            let hits: serde_json::Value = serde_json::from_slice(&reply.body).expect("JSON");
            assert_eq!(
                hits[0]["label"],
                "<script>alert('x')</script> & <b>bold</b>"
            );
            continue;
        }
        let text = reply.text();
        assert!(!text.contains("<script>alert"), "{uri} lets markup through");
        assert!(!text.contains("<b>bold"), "{uri} lets markup through");
        assert!(
            text.contains("&lt;script&gt;alert"),
            "{uri} shows the label as text"
        );
    }
}

#[tokio::test]
async fn pages_are_sent_with_a_policy_that_allows_only_the_servers_own_scripts() {
    for uri in ["/", "/entity/sr:TSG6", "/query", "/api/suggest?q=tsg"] {
        let reply = page(uri).await;
        let policy = reply.header("content-security-policy").unwrap_or("");
        assert!(policy.contains("default-src 'self'"), "{uri}: {policy}");
        assert!(
            !policy.contains("script-src"),
            "scripts fall under default-src"
        );
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    let home = page("/").await.text();
    assert!(!home.contains("<script>"), "no inline script");
}

#[tokio::test]
async fn pages_run_within_the_servers_deadline() {
    let (_, router) = app(Config {
        timeout: Some(std::time::Duration::from_millis(300)),
        ..Config::default()
    });
    // Every triple against every triple: minutes of work, read from the store as it goes, so
    // the cancelled query stops (see tests/serve_limits.rs).
    let cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }";
    let reply = send(
        &router,
        get(&format!("/query?query={}", encode(cross)), None),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.text()
    );
    assert!(
        reply.text().contains("<textarea"),
        "the editor stays to fix the query"
    );
}
