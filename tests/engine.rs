//! The engine behind every front end: every read crosses the store seam as SPARQL, a card costs
//! a constant number of queries whatever the entity's degree, what is built from the graph is
//! built once and rebuilt after a write, and the layers keep to their business.

use std::sync::Arc;
use stroma::engine::explore::ShowRequest;
use stroma::engine::trace::TraceRequest;
use stroma::engine::Engine;
use stroma::graph::EdgeSelection;
use stroma::query::QueryText;
use stroma::store::Location;

fn embedded() -> Engine {
    Engine::open(&Location::Embedded).expect("the embedded graph opens")
}

/// The IRIs of the most and of the least connected entities (triples in and out, statement
/// nodes and classes excluded), read through the seam.
fn extremes(engine: &Engine) -> (String, String) {
    let rows = engine
        .db()
        .select(
            "SELECT ?e (COUNT(*) AS ?n) WHERE {
               { ?e ?p ?o } UNION { ?s ?p ?e }
               ?e rdfs:label ?label
               FILTER(isIRI(?e))
               FILTER NOT EXISTS { ?e rdf:subject ?x }
               FILTER NOT EXISTS { ?e a owl:Class }
             } GROUP BY ?e ORDER BY DESC(?n) ?e",
            &[],
        )
        .expect("the degree query runs");
    let iri = |row: &Vec<Option<oxigraph::model::Term>>| match &row[0] {
        Some(oxigraph::model::Term::NamedNode(n)) => n.as_str().to_owned(),
        other => panic!("not an IRI: {other:?}"),
    };
    (
        iri(rows.first().expect("entities")),
        iri(rows.last().expect("entities")),
    )
}

/// Queries sent through the seam while `f` runs.
fn queries_for<T>(engine: &Engine, f: impl FnOnce() -> T) -> (u64, T) {
    let before = engine.db().requests();
    let value = f();
    (engine.db().requests() - before, value)
}

#[test]
fn a_card_costs_the_same_few_queries_whatever_the_entity_degree() {
    let engine = embedded();
    engine.index().expect("the name index builds");
    let (hub, leaf) = extremes(&engine);
    let show = |iri: &str| {
        engine
            .show(&ShowRequest {
                entity: format!("<{iri}>"),
            })
            .expect("the card builds")
    };
    let (hub_queries, hub_card) = queries_for(&engine, || show(&hub));
    let (leaf_queries, leaf_card) = queries_for(&engine, || show(&leaf));
    let size = |card: &stroma::card::Card| {
        card.outgoing.len() + card.incoming.len() + card.used_by.len() + card.supports.len()
    };
    let relations = size(&hub_card.card);
    assert!(
        relations > 100,
        "{hub} is the most connected entity: {relations} relations and statements on its card"
    );
    eprintln!("card of {hub}: {hub_queries} queries for {relations} relations and statements");
    assert!(
        hub_queries <= 5,
        "a card of {hub} sent {hub_queries} queries"
    );
    assert_eq!(
        hub_queries,
        leaf_queries,
        "{hub} ({relations} relations and statements) and {leaf} ({}) cost the same",
        size(&leaf_card.card)
    );
}

#[test]
fn the_index_and_the_projection_are_built_once_and_shared() {
    let engine = embedded();
    let request = TraceRequest {
        from: Some("TSG-6".into()),
        to: Some("intestinal repair".into()),
        ..TraceRequest::default()
    };
    let (first, report) = queries_for(&engine, || engine.trace(&request).expect("a trace"));
    assert!(!report.paths.is_empty());
    let (again, _) = queries_for(&engine, || engine.trace(&request).expect("a trace"));
    assert!(first > again, "the first trace builds ({first} queries)");
    assert!(
        again <= 2,
        "a second trace only resolves its names ({again} queries)"
    );
    let default = EdgeSelection::default();
    assert!(Arc::ptr_eq(
        &engine.projection(&default).unwrap(),
        &engine.projection(&default).unwrap()
    ));
    assert!(Arc::ptr_eq(
        &engine.index().unwrap(),
        &engine.index().unwrap()
    ));
}

#[test]
fn a_write_through_the_engine_rebuilds_what_was_built_from_the_graph() {
    let engine = embedded();
    let before = engine.projection(&EdgeSelection::default()).unwrap();
    assert!(engine.resolve("Zeta factor").is_err());
    engine
        .update(&QueryText {
            text: "INSERT DATA { sr:Zeta a st:Factor ; rdfs:label \"Zeta factor\" ; st:promotes sr:Angiogenesis }".into(),
            origin: "the test's update".into(),
        })
        .expect("the update applies");
    let after = engine.projection(&EdgeSelection::default()).unwrap();
    assert!(!Arc::ptr_eq(&before, &after), "the projection was rebuilt");
    assert_eq!(after.edge_count(), before.edge_count() + 1);
    let report = engine
        .trace(&TraceRequest {
            from: Some("Zeta factor".into()),
            to: Some("angiogenesis".into()),
            ..TraceRequest::default()
        })
        .expect("the new factor is traced");
    assert_eq!(report.paths[0].hops[0].subject.label, "Zeta factor");
}

/// Every `.rs` file under `src/` with its path relative to the crate.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                let name = path
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .expect("under the crate")
                    .display()
                    .to_string();
                out.push((name, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut out,
    );
    out
}

#[test]
fn only_the_store_layer_knows_oxigraphs_store() {
    let outside: Vec<String> = sources()
        .into_iter()
        .filter(|(name, text)| !name.starts_with("src/store/") && text.contains("oxigraph::store"))
        .map(|(name, _)| name)
        .collect();
    assert!(outside.is_empty(), "oxigraph::store used in {outside:?}");
}

#[test]
fn the_front_ends_only_parse_call_the_engine_and_answer() {
    // What app/ may not reach: the graph, the trace and the card builders, the resolver, or
    // the seam's reads. It goes through the engine's requests.
    // The HTTP server is a front end too: the same rule holds for src/server/.
    let forbidden = [
        "crate::graph::",
        "crate::graph;",
        "crate::trace::",
        "crate::resolve",
        "card::card(",
        ".select(",
        "Db::",
        ".db()",
    ];
    for (name, text) in sources() {
        if !name.starts_with("src/app/") && !name.starts_with("src/server/") {
            continue;
        }
        for word in forbidden {
            assert!(!text.contains(word), "{name} uses {word}");
        }
    }
}

#[test]
fn lower_layers_do_not_import_higher_ones() {
    // (file or directory prefix, what it may not import): no cycles between the layers.
    let rules: &[(&str, &[&str])] = &[
        ("src/text.rs", &["crate::"]),
        (
            "src/query.rs",
            &["crate::resolve", "crate::store", "crate::engine"],
        ),
        (
            "src/store/",
            &[
                "crate::engine",
                "crate::resolve",
                "crate::card",
                "crate::graph",
                "crate::evidence",
            ],
        ),
        (
            "src/trace/",
            &["crate::store", "crate::engine", "crate::query"],
        ),
        (
            "src/render/",
            &["crate::store", "crate::engine", "crate::query"],
        ),
        ("src/graph/mod.rs", &["crate::store", "crate::engine"]),
        // The library never calls a front end; the server does not print.
        (
            "src/engine/",
            &["crate::server", "crate::app", "crate::cli"],
        ),
        (
            "src/server/",
            &["crate::app", "crate::cli", "println!", "eprintln!"],
        ),
    ];
    for (name, text) in sources() {
        for (prefix, forbidden) in rules {
            if name.starts_with(prefix) {
                for word in *forbidden {
                    assert!(!text.contains(word), "{name} imports {word}");
                }
            }
        }
    }
}

#[test]
fn one_engine_can_serve_many_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Engine>();
    let engine = Arc::new(embedded());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let engine = Arc::clone(&engine);
            std::thread::spawn(move || {
                engine
                    .show(&ShowRequest {
                        entity: "TSG-6".into(),
                    })
                    .expect("a card")
                    .card
                    .id
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().expect("no panic"), "sr:TSG6");
    }
}

#[test]
fn the_library_reads_every_graph_and_user_queries_the_default_one() {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let file = dir.path().join("extra.trig");
    std::fs::write(
        &file,
        "@prefix sr: <https://w3id.org/stroma/id/> .
         @prefix st: <https://w3id.org/stroma/vocab#> .
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
         <https://example.org/graph> {
           sr:Omega a st:Factor ; rdfs:label \"Omega factor\" ; st:promotes sr:Angiogenesis .
         }",
    )
    .expect("a TriG file");
    let mut engine = embedded();
    let edges = engine
        .projection(&EdgeSelection::default())
        .unwrap()
        .edge_count();
    engine.add_data(&[file], None).expect("the TriG file loads");
    let omega = engine
        .resolve("Omega factor")
        .expect("named graphs are searched");
    assert!(omega.iri.as_str().ends_with("/Omega"));
    assert_eq!(
        engine
            .projection(&EdgeSelection::default())
            .unwrap()
            .edge_count(),
        edges + 1,
        "named graphs are traced"
    );
    let ask = |sparql: &str| {
        let query = stroma::query::parse(
            &QueryText {
                text: sparql.into(),
                origin: "a test query".into(),
            },
            engine.prefixes(),
        )
        .expect("the query parses");
        match engine.db().query(query).expect("the query runs") {
            oxigraph::sparql::QueryResults::Boolean(answer) => answer,
            _ => panic!("not an ASK"),
        }
    };
    assert!(
        !ask("ASK { sr:Omega ?p ?o }"),
        "the default graph is standard"
    );
    assert!(ask("ASK { GRAPH ?g { sr:Omega ?p ?o } }"));
}
