//! `stroma serve` end to end: the real binary on a free loopback port, queried by the clients
//! researchers use (Python's SPARQLWrapper and rdflib's `SPARQLStore`, from the test venv),
//! a SERVICE call from one Stroma server to another, the request logs, and a clean stop on
//! SIGTERM. Without the venv these tests skip with a reason, and fail when
//! STROMA_REQUIRE_EXTERNAL=1 (as in CI, where `scripts/test` installs it).

mod common;

use common::served::Served;
use std::process::Command;
use std::time::{Duration, Instant};

/// The venv's Python when SPARQLWrapper and rdflib are installed in it.
fn python() -> Option<String> {
    common::venv_python(&["SPARQLWrapper", "rdflib"])
}

const CLIENTS: &str = r#"
import json, sys
from SPARQLWrapper import SPARQLWrapper, JSON, XML, CSV, RDFXML, POST
from rdflib import Graph, URIRef, Literal
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore

url = sys.argv[1]
TSG6 = "https://w3id.org/stroma/id/TSG6"
LABEL = f"SELECT ?label WHERE {{ <{TSG6}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
out = {}

client = SPARQLWrapper(url)
client.setQuery(LABEL)
client.setReturnFormat(JSON)
out["select_json"] = [b["label"]["value"] for b in client.query().convert()["results"]["bindings"]]

client.setReturnFormat(XML)
doc = client.query().convert()
out["select_xml"] = [n.firstChild.data for n in doc.getElementsByTagName("literal")]

client.setReturnFormat(CSV)
out["select_csv"] = client.query().convert().decode().split()

client.setMethod(POST)
client.setReturnFormat(JSON)
client.setQuery(f"ASK {{ <{TSG6}> a ?type }}")
out["ask_post"] = client.query().convert()["boolean"]

client.setQuery(f"CONSTRUCT {{ <{TSG6}> ?p ?o }} WHERE {{ <{TSG6}> ?p ?o }}")
client.setReturnFormat(RDFXML)
graph = client.query().convert()
out["construct_triples"] = len(graph)
out["construct_has_label"] = (URIRef(TSG6), RDFS.label, Literal("TSG-6", lang="en")) in graph or (URIRef(TSG6), RDFS.label, Literal("TSG-6")) in graph

store = SPARQLStore(url)
g = Graph(store=store)
out["rdflib_select"] = sorted(str(row[0]) for row in g.query(LABEL))
out["rdflib_triples"] = len(list(g.triples((URIRef(TSG6), RDFS.label, None))))
print(json.dumps(out))
"#;

#[test]
fn standard_python_clients_query_the_endpoint() {
    let Some(python) = python() else { return };
    let mut served = Served::start(&[]);
    let output = Command::new(python)
        .args(["-c", CLIENTS, &served.url])
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the clients failed:\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&output.stderr),
        served.log()
    );
    let out: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the script prints JSON");
    assert_eq!(out["select_json"], serde_json::json!(["TSG-6"]), "{out}");
    assert_eq!(out["select_xml"], serde_json::json!(["TSG-6"]), "{out}");
    assert_eq!(
        out["select_csv"],
        serde_json::json!(["label", "TSG-6"]),
        "{out}"
    );
    assert_eq!(out["ask_post"], true, "{out}");
    assert!(
        out["construct_triples"].as_u64().is_some_and(|n| n > 3),
        "{out}"
    );
    assert_eq!(out["construct_has_label"], true, "{out}");
    assert_eq!(out["rdflib_select"], serde_json::json!(["TSG-6"]), "{out}");
    assert_eq!(out["rdflib_triples"], 1, "{out}");
    // One structured log line per request: method, path, status, duration, rows.
    assert!(
        served.logged(&[
            "method=GET",
            "path=/sparql",
            "status=200",
            "duration_ms=",
            "rows=1"
        ]),
        "{}",
        served.log()
    );
    assert!(served.logged(&["method=POST"]), "{}", served.log());
    assert!(served.terminate(), "SIGTERM stops the server with exit 0");
    assert!(
        served.log().contains("stroma serve: stopped"),
        "{}",
        served.log()
    );
}

#[test]
fn a_service_call_reaches_an_allowed_endpoint_and_no_other() {
    let remote = Served::start(&[]);
    let local = Served::start(&["--service-allow", &remote.url]);
    let federated = format!(
        "SELECT ?label WHERE {{ SERVICE <{}> {{ <https://w3id.org/stroma/id/TSG6> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}",
        remote.url
    );
    let mut answer = ureq::post(&local.url)
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "text/tab-separated-values")
        .send(federated.as_bytes())
        .expect("the federated query is answered");
    let body = answer.body_mut().read_to_string().expect("a body");
    assert_eq!(
        body.lines().collect::<Vec<_>>(),
        ["?label", "\"TSG-6\"@en"],
        "{body}"
    );
    assert!(
        remote.logged(&["method=POST", "path=/sparql", "status=200"]),
        "the remote server answered the SERVICE call: {}",
        remote.log()
    );
    // The same call from a server that does not list the target is refused.
    let closed = Served::start(&[]);
    let refused = ureq::post(&closed.url)
        .header("Content-Type", "application/sparql-query")
        .config()
        .http_status_as_error(false)
        .build()
        .send(federated.as_bytes())
        .expect("an answer");
    assert_eq!(refused.status().as_u16(), 403);
}

#[test]
fn json_logs_are_one_object_per_line() {
    let served = Served::start(&["--log", "json"]);
    let mut health = ureq::get(&served.url.replace("/sparql", "/health"))
        .call()
        .expect("health answers");
    let body = health.body_mut().read_to_string().expect("a body");
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let log = served.log();
        let request = log
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["fields"]["path"] == "/health");
        if let Some(event) = request {
            assert_eq!(event["fields"]["status"], 200, "{event}");
            assert_eq!(event["fields"]["method"], "GET", "{event}");
            break;
        }
        assert!(Instant::now() < deadline, "no JSON request log: {log}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_refuses_an_update_permission_without_a_token() {
    common::stroma()
        .args(["serve", "--allow-update", "--bind", "127.0.0.1:0"])
        .env_remove("STROMA_TOKEN")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("STROMA_TOKEN"));
}

#[cfg(feature = "rocksdb")]
#[test]
fn updates_through_the_server_are_kept_in_the_store() {
    let scratch = common::Scratch::new();
    let db = scratch.path().join("db");
    let db = db.to_str().expect("a UTF-8 path");
    common::stroma()
        .args(["load", "--embedded", "--store", db])
        .assert()
        .success();
    let mut served = Served::start_with(
        &["--store", db, "--allow-update"],
        &[("STROMA_TOKEN", "t0ken")],
    );
    let update = served.url.replace("/sparql", "/update");
    let applied = ureq::post(&update)
        .header("Content-Type", "application/sparql-update")
        .header("Authorization", "Bearer t0ken")
        .send("INSERT DATA { sr:Persisted rdfs:label \"kept\" }".as_bytes())
        .expect("the update is applied");
    assert_eq!(applied.status().as_u16(), 200);
    assert!(served.terminate(), "SIGTERM stops the server with exit 0");
    // The store is closed cleanly and holds the update.
    let answer = common::stdout_of(&[
        "query",
        "--store",
        db,
        "ASK { sr:Persisted rdfs:label \"kept\" }",
        "--format",
        "tsv",
    ]);
    assert_eq!(answer.trim(), "true");
}

#[test]
fn load_fetches_an_allowed_source_into_a_graph_in_one_update() {
    let source = Served::start(&[]);
    let origin = source.url.replace("/sparql", "/");
    let mut target = Served::start_with(
        &["--no-embedded", "--allow-update", "--allow-load", &origin],
        &[("STROMA_TOKEN", "t0ken")],
    );
    let update = |text: &str| {
        ureq::post(&target.url.replace("/sparql", "/update"))
            .header("Content-Type", "application/sparql-update")
            .header("Authorization", "Bearer t0ken")
            .config()
            .http_status_as_error(false)
            .build()
            .send(text.as_bytes())
            .expect("an answer")
    };
    let whole = source.url.replace("/sparql", "/store?default");
    let loaded = update(&format!(
        "LOAD <{whole}> INTO GRAPH <http://example.org/copy>"
    ));
    assert_eq!(loaded.status().as_u16(), 200);
    let count = |url: &str, query: &str| -> u64 {
        let mut answer = ureq::post(url)
            .header("Content-Type", "application/sparql-query")
            .header("Accept", "text/tab-separated-values")
            .send(query.as_bytes())
            .expect("a count");
        let body = answer.body_mut().read_to_string().expect("a body");
        let value = body.lines().nth(1).unwrap_or("");
        value
            .trim_matches('"')
            .split('"')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("a count: {body}"))
    };
    let there = count(&source.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    let here = count(
        &target.url,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/copy> { ?s ?p ?o } }",
    );
    assert!(there > 10_000);
    assert_eq!(here, there, "the whole graph arrived");
    // A source outside the allowed prefix is refused, and nothing is written.
    let refused = update("LOAD <http://192.0.2.1/data.ttl> INTO GRAPH <http://example.org/other>");
    assert_eq!(refused.status().as_u16(), 403);
    assert!(target.terminate());
}
