//! Reading only the part of the graph a trace can use (what a remote endpoint needs: batched
//! neighbour queries from both ends) gives the same paths, evidence, matrices and diagrams as
//! projecting the whole graph, checked on the embedded graph for many pairs and options.

use stroma::engine::diagram::DiagramRequest;
use stroma::engine::trace::{EvidenceFilter, MatrixRequest, TraceRequest};
use stroma::engine::Engine;
use stroma::store::Location;

fn engines() -> (Engine, Engine) {
    let whole = Engine::open(&Location::Embedded).expect("the embedded graph opens");
    let around = Engine::open(&Location::Embedded)
        .expect("the embedded graph opens")
        .read_around(true);
    (whole, around)
}

/// Both engines' answers to a trace, as JSON (or the error message).
fn both(whole: &Engine, around: &Engine, request: &TraceRequest) -> (String, String) {
    let answer = |engine: &Engine| match engine.trace(request) {
        Ok(report) => serde_json::to_string_pretty(&report).expect("reports serialise"),
        Err(e) => format!("error: {e}"),
    };
    (answer(whole), answer(around))
}

#[test]
fn traces_between_named_ends_are_the_same_read_around_or_whole() {
    let (whole, around) = engines();
    let pairs = [
        ("TSG-6", "intestinal repair"),
        ("iPSC-MSC", "intestinal repair"),
        ("iPSC-MSC", "angiogenesis"),
        ("IDO1", "amelioration of arthritis"),
        ("hESC-MSC", "IL-6"),
        ("iPSC-MSC", "collagen-induced arthritis"),
        ("iPSC-MSC", "hyaluronan"),
    ];
    let mut compared = 0;
    let mut found = 0;
    for (from, to) in pairs {
        for (max_hops, paths) in [(2, 50), (3, 50), (4, 50), (3, 2), (4, 3)] {
            for undirected in [false, true] {
                for coherent in [false, true] {
                    // Few paths asked for: the shortest walks alone may answer.
                    let request = TraceRequest {
                        from: Some(from.into()),
                        to: Some(to.into()),
                        max_hops,
                        undirected,
                        coherent,
                        paths,
                        ..TraceRequest::default()
                    };
                    let (a, b) = both(&whole, &around, &request);
                    assert_eq!(
                        a, b,
                        "{from} → {to}, {max_hops} hops, {paths} paths, undirected {undirected}, coherent {coherent}"
                    );
                    compared += 1;
                    found += usize::from(!a.starts_with("error"));
                }
            }
        }
    }
    assert!(
        found > compared / 2,
        "most traces find paths ({found} of {compared})"
    );
}

#[test]
fn filters_relations_and_comparisons_read_around_as_on_the_whole_graph() {
    let (whole, around) = engines();
    let requests = [
        TraceRequest {
            from: Some("iPSC-MSC".into()),
            to: Some("angiogenesis".into()),
            filter: EvidenceFilter {
                organisms: vec!["https://w3id.org/stroma/id/Rat".into()],
                ..Default::default()
            },
            ..TraceRequest::default()
        },
        TraceRequest {
            from: Some("iPSC-MSC".into()),
            to: Some("intestinal repair".into()),
            via: vec!["st:secretes".into(), "st:promotes".into()],
            ..TraceRequest::default()
        },
        TraceRequest {
            from: Some("iPSC-MSC".into()),
            to: Some("intestinal repair".into()),
            filter: EvidenceFilter {
                study: Some("111".into()),
                ..Default::default()
            },
            ..TraceRequest::default()
        },
        TraceRequest {
            from: Some("iPSC-MSC".into()),
            to: Some("hyaluronan".into()),
            comparisons: true,
            ..TraceRequest::default()
        },
        TraceRequest {
            from: Some("hESC-MSC".into()),
            to: Some("IL-6".into()),
            undirected: true,
            through_hubs: true,
            max_hops: 3,
            ..TraceRequest::default()
        },
        // Without TO: the best path to every therapeutic effect.
        TraceRequest {
            from: Some("TSG-6".into()),
            ..TraceRequest::default()
        },
        TraceRequest {
            from_class: Some("st:Factor".into()),
            to: Some("intestinal repair".into()),
            max_hops: 2,
            ..TraceRequest::default()
        },
    ];
    for request in &requests {
        let (a, b) = both(&whole, &around, request);
        assert!(!a.starts_with("error"), "{request:?}: {a}");
        assert_eq!(a, b, "{request:?}");
    }
}

#[test]
fn reading_around_asks_in_batches_and_reads_far_less_than_the_whole_graph() {
    let (_, around) = engines();
    let report = around
        .trace(&TraceRequest {
            from: Some("TSG-6".into()),
            to: Some("intestinal repair".into()),
            ..TraceRequest::default()
        })
        .expect("a path");
    let fetched = report.fetched.expect("reading around reports what it cost");
    assert!(fetched.requests < 30, "{fetched:?}");
    assert!(fetched.edges_kept <= fetched.edges_read, "{fetched:?}");
    assert!(fetched.edges_kept < 100, "{fetched:?}");
}

#[test]
fn the_matrix_and_a_neighbourhood_are_the_same_read_around_or_whole() {
    let (whole, around) = engines();
    let request = MatrixRequest {
        from_class: None,
        to_class: None,
        trace: TraceRequest {
            max_hops: 2,
            coherent: true,
            ..TraceRequest::default()
        },
    };
    let matrix = |engine: &Engine| {
        // The reached cells: rows that reach nothing may be listed by one and not the other.
        let report = engine.matrix(&request).expect("the matrix");
        let mut cells = Vec::new();
        for (r, row) in report.rows.iter().enumerate() {
            for (c, column) in report.columns.iter().enumerate() {
                if let Some(studies) = report.cells[r][c] {
                    cells.push(format!(
                        "{} → {}: {studies} {:?}",
                        row.iri, column.iri, report.coherence[r][c]
                    ));
                }
            }
        }
        cells.sort();
        cells
    };
    let cells = matrix(&whole);
    assert!(!cells.is_empty());
    assert_eq!(cells, matrix(&around));

    let diagram = |engine: &Engine| {
        let report = engine
            .diagram(
                &DiagramRequest::Neighbourhood {
                    entity: "TSG-6".into(),
                    depth: 2,
                },
                300,
            )
            .expect("the neighbourhood");
        serde_json::to_string_pretty(&report.diagram).expect("diagrams serialise")
    };
    assert_eq!(diagram(&whole), diagram(&around));
}

#[test]
fn undirected_shortest_walks_do_not_stand_in_for_longer_paths_of_the_whole_graph() {
    // s reaches t in 3 hops three ways (s-a-x-t, s-b-y-t, s-a-y-t); in 4 hops through c, d,
    // e, whose edges lie on no 3-hop walk; and, walking the 3-hop edges back and forth, in 5
    // (s-b-y-a-x-t). Asked for 4 paths, the answer is the three 3-hop paths and the 4-hop one.
    let dir = tempfile::tempdir().expect("a scratch directory");
    let file = dir.path().join("walks.ttl");
    std::fs::write(
        &file,
        "@prefix e: <http://example.org/> .
         @prefix st: <https://w3id.org/stroma/vocab#> .
         e:r st:traversable true .
         e:s e:r e:a , e:b , e:c . e:a e:r e:x , e:y . e:x e:r e:t . e:b e:r e:y . e:y e:r e:t .
         e:c e:r e:d . e:d e:r e:e . e:e e:r e:t .",
    )
    .expect("the file is written");
    let open = |around: bool| {
        let mut engine = Engine::open(&Location::Empty)
            .expect("an empty graph")
            .read_around(around);
        engine
            .add_data(std::slice::from_ref(&file), None)
            .expect("the file loads");
        engine
    };
    let request = TraceRequest {
        from: Some("<http://example.org/s>".into()),
        to: Some("<http://example.org/t>".into()),
        undirected: true,
        max_hops: 5,
        paths: 4,
        ..TraceRequest::default()
    };
    let lengths = |engine: &Engine| -> Vec<usize> {
        let report = engine.trace(&request).expect("paths");
        report.paths.iter().map(|p| p.length).collect()
    };
    assert_eq!(lengths(&open(false)), vec![3, 3, 3, 4]);
    assert_eq!(lengths(&open(true)), vec![3, 3, 3, 4]);
}
