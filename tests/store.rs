//! Persistent stores: `--store`, `stroma load`, `stroma update`, and all-or-nothing loading.

mod common;

use common::{stroma, Scratch};
use predicates::prelude::*;

#[cfg(not(feature = "rocksdb"))]
#[test]
fn without_the_rocksdb_feature_store_says_how_to_rebuild() {
    let scratch = Scratch::new();
    stroma()
        .args([
            "query",
            "ASK {}",
            "--store",
            scratch.path().to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--features rocksdb"));
}

#[test]
fn update_needs_a_persistent_store() {
    stroma()
        .args(["update", "INSERT DATA { <http://e/a> <http://e/b> 1 }"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--store"));
}

#[cfg(feature = "rocksdb")]
mod persistent {
    use super::*;
    use common::stdout_of;

    const COUNT: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";

    fn count(store: &str) -> String {
        stdout_of(&["query", COUNT, "--format", "csv", "--store", store])
            .replace('\r', "")
            .lines()
            .nth(1)
            .expect("a count")
            .to_owned()
    }

    #[test]
    fn loaded_data_survives_the_process_and_is_queried_on_reopen() {
        let scratch = Scratch::new();
        let db = scratch.path().join("db");
        let db = db.to_str().unwrap();
        let file = scratch.file(
            "a.ttl",
            "<http://e/a> <http://e/b> \"kept\" .\n<http://e/a> <http://e/c> 2 .\n",
        );
        stroma()
            .args(["load", file.to_str().unwrap(), "--store", db])
            .assert()
            .success()
            .stdout(predicate::str::contains("loaded 2 triples"));
        let out = stdout_of(&[
            "query",
            "SELECT ?o WHERE { <http://e/a> <http://e/b> ?o }",
            "--format",
            "csv",
            "--store",
            db,
        ]);
        assert_eq!(out.replace('\r', ""), "o\nkept\n");
        assert_eq!(count(db), "2");
    }

    #[test]
    fn embedded_graph_can_be_written_to_a_store() {
        let scratch = Scratch::new();
        let db = scratch.path().join("db");
        let db = db.to_str().unwrap();
        stroma()
            .args(["load", "--embedded", "--store", db])
            .assert()
            .success();
        let out = stdout_of(&[
            "query",
            "SELECT (COUNT(?s) AS ?n) WHERE { ?s a st:Study }",
            "--format",
            "csv",
            "--store",
            db,
        ]);
        assert_eq!(out.replace('\r', ""), "n\n134\n");
    }

    #[test]
    fn a_bad_file_in_a_load_leaves_the_store_unchanged() {
        let scratch = Scratch::new();
        let db = scratch.path().join("db");
        let db = db.to_str().unwrap();
        let good = scratch.file("good.nt", "<http://e/a> <http://e/b> <http://e/c> .\n");
        stroma()
            .args(["load", good.to_str().unwrap(), "--store", db])
            .assert()
            .success();
        let more = scratch.file("more.nt", "<http://e/x> <http://e/y> <http://e/z> .\n");
        let bad = scratch.file(
            "bad.nt",
            "<http://e/1> <http://e/2> <http://e/3> .\n<http://e/4> <http://e/5> .\n",
        );
        stroma()
            .args([
                "load",
                more.to_str().unwrap(),
                bad.to_str().unwrap(),
                "--store",
                db,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("bad.nt:2:"))
            .stderr(predicate::str::contains("the store is as it was"));
        assert_eq!(count(db), "1");
        stroma()
            .args([
                "query",
                "ASK {}",
                "--store",
                db,
                "--data",
                more.to_str().unwrap(),
                "--data",
                bad.to_str().unwrap(),
            ])
            .assert()
            .code(2);
        assert_eq!(count(db), "1");
    }

    #[test]
    fn update_changes_the_store_and_named_graph_loads_land_in_their_graph() {
        let scratch = Scratch::new();
        let db = scratch.path().join("db");
        let db = db.to_str().unwrap();
        stroma()
            .args([
                "update",
                "INSERT DATA { <http://e/a> <http://e/b> 1 }",
                "--store",
                db,
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("0 → 1"));
        let file = scratch.file("g.ttl", "<http://e/s> <http://e/p> <http://e/o> .\n");
        stroma()
            .args([
                "load",
                file.to_str().unwrap(),
                "--store",
                db,
                "--graph",
                "http://e/graph",
            ])
            .assert()
            .success();
        let out = stdout_of(&[
            "query",
            "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "--format",
            "csv",
            "--store",
            db,
        ]);
        assert_eq!(out.replace('\r', ""), "g\nhttp://e/graph\n");
    }
}
