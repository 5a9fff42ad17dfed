//! Scale on one machine: the projection and the name index kept beside a persistent store and
//! reused while it is unchanged; bulk loads split across parsers give exactly the triples of
//! one parser, blank nodes included; a failed load leaves the store as it was.

mod common;

#[cfg(feature = "rocksdb")]
mod persistent {
    use super::common::{stroma, Scratch};
    use predicates::prelude::*;

    const CHAIN: &str = r#"@prefix st: <https://w3id.org/stroma/vocab#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix e: <http://example.org/> .
st:secretes st:traversable true ; rdfs:label "secretes" .
st:mediates st:traversable true ; rdfs:label "mediates" .
e:cell rdfs:label "a cell" .
e:factor rdfs:label "a factor" .
e:pathway rdfs:label "a pathway" .
e:effect rdfs:label "an effect" .
e:cell st:secretes e:factor .
e:factor st:mediates e:pathway .
e:pathway st:mediates e:effect .
"#;

    /// Runs `trace --verbose` and returns (stdout, stderr).
    fn trace(store: &str, from: &str, to: &str) -> (String, String) {
        let output = stroma()
            .args(["trace", from, to, "--store", store, "--verbose"])
            .output()
            .expect("stroma runs");
        assert!(output.status.success(), "{output:?}");
        (
            String::from_utf8(output.stdout).expect("UTF-8"),
            String::from_utf8(output.stderr).expect("UTF-8"),
        )
    }

    fn loaded(scratch: &Scratch) -> String {
        let file = scratch.file("chain.ttl", CHAIN);
        let store = scratch.path().join("store");
        stroma()
            .args(["load", file.to_str().unwrap(), "--store"])
            .arg(&store)
            .assert()
            .success();
        store.to_str().unwrap().to_owned()
    }

    #[test]
    fn a_second_trace_on_an_unchanged_store_reads_the_projection_kept_beside_it() {
        let scratch = Scratch::new();
        let store = loaded(&scratch);

        let (first, log) = trace(&store, "a cell", "an effect");
        assert!(first.contains("a cell —secretes→ a factor"), "{first}");
        assert!(log.contains("projection built from the graph"), "{log}");
        let log = reads_back(&store, &first);
        assert!(log.contains("names read from the cache"), "{log}");
    }

    /// Traces until one reads the projection back from the cache (RocksDB may compact in the
    /// background after a load or a write, and a build that saw the files change is not kept:
    /// allow two builds), checking every answer is `expected`; returns that trace's log.
    fn reads_back(store: &str, expected: &str) -> String {
        let mut logs = Vec::new();
        for _ in 0..3 {
            let (again, log) = trace(store, "a cell", "an effect");
            assert_eq!(again, expected, "the cache does not change the answer");
            if log.contains("projection read from the cache beside the store") {
                return log;
            }
            logs.push(log);
        }
        panic!("the projection was never read back from the cache: {logs:#?}");
    }

    /// The next trace rebuilds the projection and finds the hop a write added.
    fn rebuilt_with(store: &str, hop: &str) -> String {
        let (after, log) = trace(store, "a cell", "an effect");
        assert!(log.contains("projection built from the graph"), "{log}");
        assert!(after.contains(hop), "{after}");
        after
    }

    #[test]
    fn a_write_by_another_program_makes_the_next_trace_rebuild() {
        let scratch = Scratch::new();
        let store = loaded(&scratch);
        let (before, _) = trace(&store, "a cell", "an effect");
        reads_back(&store, &before);
        {
            // Oxigraph itself, as another tool would: Stroma's cache is not told.
            let writer = oxigraph::store::Store::open(&store).expect("the store opens");
            let node = |iri: &str| oxigraph::model::NamedNode::new(iri).expect("an IRI");
            writer
                .insert(oxigraph::model::QuadRef::new(
                    &node("http://example.org/cell"),
                    &node("https://w3id.org/stroma/vocab#mediates"),
                    &node("http://example.org/effect"),
                    oxigraph::model::GraphNameRef::DefaultGraph,
                ))
                .expect("inserted");
        }
        rebuilt_with(&store, "a cell —mediates→ an effect");
    }

    #[test]
    fn an_update_makes_the_next_trace_rebuild_and_see_the_change() {
        let scratch = Scratch::new();
        let store = loaded(&scratch);
        trace(&store, "a cell", "an effect");

        stroma()
            .args([
                "update",
                "INSERT DATA { <http://example.org/cell> st:mediates <http://example.org/effect> }",
                "--store",
                &store,
            ])
            .assert()
            .success();
        let after = rebuilt_with(&store, "a cell —mediates→ an effect");
        reads_back(&store, &after);
    }

    #[test]
    fn a_load_into_the_store_invalidates_the_cache_too() {
        let scratch = Scratch::new();
        let store = loaded(&scratch);
        trace(&store, "a cell", "an effect");
        let more = scratch.file(
            "more.nt",
            "<http://example.org/cell> <https://w3id.org/stroma/vocab#secretes> <http://example.org/effect> .\n",
        );
        stroma()
            .args(["load", more.to_str().unwrap(), "--store", &store])
            .assert()
            .success();
        rebuilt_with(&store, "a cell —secretes→ an effect");
    }

    #[test]
    fn a_damaged_cache_file_is_rebuilt_not_trusted() {
        let scratch = Scratch::new();
        let store = loaded(&scratch);
        let (first, _) = trace(&store, "a cell", "an effect");
        let cached = std::path::Path::new(&store).join("stroma-cache/projection.bin");
        let mut bytes = std::fs::read(&cached).expect("the projection is cached");
        bytes.truncate(bytes.len() - 9);
        std::fs::write(&cached, bytes).expect("damaged");

        let (second, log) = trace(&store, "a cell", "an effect");
        assert_eq!(second, first);
        assert!(log.contains("projection built from the graph"), "{log}");
    }

    #[test]
    fn stats_kept_beside_the_store_follow_an_update() {
        let scratch = Scratch::new();
        let store = loaded(&scratch);
        let triples = |store: &str| -> u64 {
            let output = stroma()
                .args(["stats", "--format", "json", "--store", store])
                .output()
                .expect("stroma runs");
            assert!(output.status.success(), "{output:?}");
            let report: serde_json::Value =
                serde_json::from_slice(&output.stdout).expect("JSON stats");
            report["triples"].as_u64().expect("a triple count")
        };
        let before = triples(&store);
        assert_eq!(triples(&store), before, "the kept stats are the same");
        assert!(std::path::Path::new(&store)
            .join("stroma-cache/stats.bin")
            .is_file());
        stroma()
            .args([
                "update",
                "INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }",
                "--store",
                &store,
            ])
            .assert()
            .success();
        assert_eq!(triples(&store), before + 1);
    }

    /// An N-Triples file big enough to be split (over 16 MiB): `uses` lines each pointing at
    /// one of `blanks` blank nodes, spread over the whole file, and the blank nodes' names at
    /// its end, so every piece but the last uses blank nodes named only in another piece.
    fn blank_heavy(scratch: &Scratch, name: &str, uses: usize, blanks: usize) -> String {
        let mut text = String::with_capacity(uses * 110);
        for i in 0..uses {
            text.push_str(&format!(
                "<http://example.org/s{i}> <http://example.org/uses> _:b{} .\n<http://example.org/s{i}> <http://example.org/filler> \"{i:0>40}\" .\n",
                i % blanks
            ));
        }
        for b in 0..blanks {
            text.push_str(&format!("_:b{b} <http://example.org/name> \"{b}\" .\n"));
        }
        let path = scratch.file(name, &text);
        path.to_str().unwrap().to_owned()
    }

    fn count(store: &str, sparql: &str) -> u64 {
        let output = stroma()
            .args(["query", sparql, "--format", "csv", "--store", store])
            .output()
            .expect("stroma runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout)
            .expect("UTF-8")
            .lines()
            .nth(1)
            .and_then(|n| n.trim().parse().ok())
            .expect("a count")
    }

    const TRIPLES: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    const BLANKS: &str =
        "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?s <http://example.org/uses> ?b }";
    const NAMED_USES: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/uses> ?b . ?b <http://example.org/name> ?name }";

    #[test]
    fn a_load_split_across_parsers_gives_the_triples_and_blank_nodes_of_one_parser() {
        let scratch = Scratch::new();
        let (uses, blanks) = (170_000, 5_000);
        let file = blank_heavy(&scratch, "big.nt", uses, blanks);
        assert!(
            std::fs::metadata(&file).unwrap().len() > 17 << 20,
            "big enough to split"
        );
        let mut views = Vec::new();
        for threads in ["1", "4"] {
            let store = scratch.path().join(format!("store{threads}"));
            let store = store.to_str().unwrap();
            stroma()
                .args(["load", &file, "--store", store, "--threads", threads])
                .assert()
                .success();
            let view = (
                count(store, TRIPLES),
                count(store, BLANKS),
                count(store, NAMED_USES),
            );
            assert_eq!(
                view,
                ((2 * uses + blanks) as u64, blanks as u64, uses as u64),
                "--threads {threads}: every use reaches its one named blank node"
            );
            views.push(view);
        }
        assert_eq!(views[0], views[1]);

        // A second load of the same file brings fresh blank nodes, as any RDF load does.
        let store = scratch.path().join("store4");
        let store = store.to_str().unwrap();
        stroma()
            .args(["load", &file, "--store", store])
            .assert()
            .success();
        assert_eq!(count(store, BLANKS), 2 * blanks as u64);
    }

    #[test]
    fn a_syntax_error_deep_in_a_split_file_names_its_line_and_changes_nothing() {
        let scratch = Scratch::new();
        let store = loaded(&scratch);
        let before = count(&store, TRIPLES);
        let (uses, blanks) = (170_000, 10);
        let mut text = std::fs::read_to_string(blank_heavy(&scratch, "big.nt", uses, blanks))
            .expect("the file");
        text.push_str("<http://example.org/broken> <http://example.org/p> \"unterminated .\n");
        let bad_line = 2 * uses + blanks + 1;
        let file = scratch.file("bad.nt", &text);
        stroma()
            .args([
                "load",
                file.to_str().unwrap(),
                "--store",
                &store,
                "--threads",
                "4",
            ])
            .assert()
            .failure()
            .stderr(predicates::str::contains(format!("bad.nt:{bad_line}:")))
            .stderr(predicates::str::contains("the store is as it was"))
            // No other line number: the parser's own counts from the start of its piece.
            .stderr(predicates::str::is_match(r"line \d").unwrap().not());
        assert_eq!(count(&store, TRIPLES), before);
    }

    #[test]
    fn a_load_killed_part_way_leaves_the_store_as_it_was_and_a_rerun_completes() {
        let scratch = Scratch::new();
        let store = loaded(&scratch);
        let before = count(&store, TRIPLES);
        let (uses, blanks) = (400_000, 100);
        let file = blank_heavy(&scratch, "big.nt", uses, blanks);
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("stroma"))
            .args(["load", &file, "--store", &store])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("stroma starts");
        // Kill it once it has written tables it has not yet handed to the store.
        let pending = || {
            std::fs::read_dir(&store)
                .expect("the store")
                .flatten()
                .any(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with("bulk-") && name.ends_with(".sst")
                })
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !pending() {
            assert!(
                child.try_wait().expect("a status").is_none(),
                "the load ended before it could be interrupted"
            );
            assert!(std::time::Instant::now() < deadline, "no table was written");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().expect("killed");
        child.wait().expect("reaped");

        assert_eq!(count(&store, TRIPLES), before, "nothing of the killed load");
        stroma()
            .args(["load", &file, "--store", &store])
            .assert()
            .success();
        assert_eq!(count(&store, TRIPLES), before + (2 * uses + blanks) as u64);
        assert!(!pending(), "the killed load's tables are cleared away");
    }
}
