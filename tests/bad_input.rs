//! The bad-input matrix: every kind of wrong input a user can hand Stroma — malformed RDF in
//! each syntax, invalid IRIs and UTF-8, empty files, directories, huge literals, malformed
//! SPARQL, unknown names and formats, stores that cannot be written or are in use — gets a
//! message naming the input (with `file:line:column` where there is one), its documented exit
//! code (2 for bad input, 3 for a store that cannot be used), and leaves nothing written: no
//! partial answer on stdout, and a store exactly as it was.

mod common;

use common::*;
use std::path::PathBuf;

/// A malformed file: its name, its bytes, and what the error must say (its position first).
struct Malformed {
    name: &'static str,
    bytes: &'static [u8],
    says: &'static [&'static str],
}

/// One malformed file per RDF syntax and per kind of damage.
const MALFORMED: &[Malformed] = &[
    Malformed {
        name: "unterminated.ttl",
        bytes: b"@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n",
        says: &["unterminated.ttl:3:11:"],
    },
    Malformed {
        name: "undeclared.ttl",
        bytes: b"ex:a ex:b ex:c .\n",
        says: &["undeclared.ttl:1:1:", "ex:"],
    },
    Malformed {
        name: "short.nt",
        bytes: b"<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .\n<http://ex.org/a> <http://ex.org/b> .\n",
        says: &["short.nt:2:37:", "object"],
    },
    Malformed {
        name: "unbound.rdf",
        bytes: b"<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description rdf:about=\"http://ex.org/a\">\n    <foo>\n  </rdf:Description>\n</rdf:RDF>\n",
        says: &["unbound.rdf:4:10:", "namespace"],
    },
    Malformed {
        name: "unclosed.rdf",
        bytes: b"<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description rdf:about=\"http://ex.org/a\">\n</rdf:RDF>\n",
        says: &["unclosed.rdf:4:"],
    },
    Malformed {
        name: "comma.jsonld",
        bytes: b"{\n  \"@id\": \"http://ex.org/a\",\n  \"http://ex.org/b\": [1, 2,\n}\n",
        says: &["comma.jsonld:4:1:"],
    },
    Malformed {
        name: "space-in-iri.nt",
        bytes: b"<http://ex.org/a> <http://ex.org/b> <not an iri> .\n",
        says: &["space-in-iri.nt:1:37:", "IRI"],
    },
    Malformed {
        name: "space-in-iri.ttl",
        bytes: b"@prefix ex: <http://ex.org/> .\nex:a ex:b <http://ex.org/a b> .\n",
        says: &["space-in-iri.ttl:2:11:", "IRI"],
    },
    Malformed {
        name: "latin1.nt",
        bytes: b"<http://ex.org/a> <http://ex.org/b> \"caf\xe9\" .\n",
        says: &["latin1.nt:1:", "UTF-8"],
    },
    Malformed {
        name: "latin1.ttl",
        bytes: b"@prefix ex: <http://ex.org/> .\nex:a ex:b \"na\xefve\" .\n",
        says: &["latin1.ttl:2:", "UTF-8"],
    },
];

/// Asserts a failed run: `code`, nothing on stdout, and stderr saying each of `says` with
/// the cause said once.
fn refused(assert: assert_cmd::assert::Assert, code: i32, says: &[&str]) -> String {
    let output = assert.code(code).get_output().clone();
    assert!(
        output.stdout.is_empty(),
        "a failed command printed a partial answer: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    for needle in says {
        assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    }
    // No cause repeated ("… Is a directory: Is a directory").
    let last = stderr.trim_end().rsplit(": ").next().unwrap_or("");
    assert_eq!(
        stderr.matches(last).count(),
        1,
        "the cause is said twice: {stderr}"
    );
    stderr
}

#[test]
fn each_malformed_file_given_with_data_names_its_position_and_answers_nothing() {
    let scratch = Scratch::new();
    for case in MALFORMED {
        let path = scratch.path().join(case.name);
        std::fs::write(&path, case.bytes).expect("write");
        refused(
            stroma()
                .args(["query", "SELECT * WHERE { ?s ?p ?o }", "--data"])
                .arg(&path)
                .assert(),
            2,
            case.says,
        );
    }
}

#[test]
fn a_directory_or_a_missing_file_given_as_data_is_named() {
    let scratch = Scratch::new();
    let directory = scratch.path().join("papers.ttl");
    std::fs::create_dir(&directory).expect("mkdir");
    refused(
        stroma()
            .args(["query", "ASK {}", "--data"])
            .arg(&directory)
            .assert(),
        2,
        &["papers.ttl is a directory, not an RDF file"],
    );
    refused(
        stroma()
            .args(["query", "ASK {}", "--data"])
            .arg(scratch.path().join("missing.ttl"))
            .assert(),
        2,
        &["cannot read", "missing.ttl", "No such file"],
    );
    refused(
        stroma()
            .args(["query", "ASK {}", "--data"])
            .arg(scratch.file("notes.docx", "x"))
            .assert(),
        2,
        &[
            "cannot tell the RDF format of",
            "notes.docx",
            "--data-format",
        ],
    );
}

#[test]
fn an_empty_file_is_an_empty_graph() {
    let scratch = Scratch::new();
    let empty = scratch.file("empty.ttl", "");
    stroma()
        .args(["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"])
        .args(["--no-embedded", "--format", "csv", "--data"])
        .arg(&empty)
        .assert()
        .success()
        .stdout("n\r\n0\r\n");
}

/// An N-Triples file whose second triple carries a literal of `length` bytes.
fn with_literal(scratch: &Scratch, name: &str, length: usize) -> PathBuf {
    let mut text = String::from("<http://ex.org/a> <http://ex.org/small> \"s\" .\n");
    text.push_str("<http://ex.org/a> <http://ex.org/big> \"");
    text.push_str(&"x".repeat(length));
    text.push_str("\" .\n<http://ex.org/a> <http://ex.org/small> \"t\" .\n");
    let path = scratch.path().join(name);
    std::fs::write(&path, text).expect("write");
    path
}

const BIG_LENGTH: &str =
    "SELECT (STRLEN(?big) AS ?n) WHERE { <http://ex.org/a> <http://ex.org/big> ?big }";

#[test]
fn a_huge_literal_given_with_data_is_read_whole() {
    let scratch = Scratch::new();
    let file = with_literal(&scratch, "huge.nt", 20 << 20);
    stroma()
        .args([
            "query",
            BIG_LENGTH,
            "--no-embedded",
            "--format",
            "csv",
            "--data",
        ])
        .arg(&file)
        .assert()
        .success()
        .stdout(format!("n\r\n{}\r\n", 20 << 20));
}

#[test]
fn malformed_sparql_points_at_its_line_and_column() {
    let stderr = refused(
        stroma()
            .args(["query", "SELECT ?x WHERE {\n  ?x st:foo\n}"])
            .assert(),
        2,
        &["SPARQL syntax error in the query at 3:1: expected one of"],
    );
    assert!(
        stderr.contains("  3 | }\n    | ^"),
        "the line with a caret: {stderr}"
    );
    assert!(
        !stderr.contains("\\u{"),
        "no Unicode ranges from the grammar: {stderr}"
    );
    let scratch = Scratch::new();
    let file = scratch.file("broken.rq", "SELECT ?x WHERE {\n  ?x ?y\n}\n");
    refused(
        stroma().arg("query").arg(&file).assert(),
        2,
        &["broken.rq at 4:1:", "(at the end of the text)"],
    );
    refused(
        stroma()
            .args(["query", "SELECT * WHERE { ?s ?p <not an iri> }"])
            .assert(),
        2,
        &["at 1:", "IRI"],
    );
}

#[test]
fn unknown_names_and_formats_list_the_candidates() {
    refused(
        stroma().args(["query", "factors-by-efect"]).assert(),
        2,
        &["'factors-by-efect'", "did you mean 'factors-by-effect'"],
    );
    refused(
        stroma().args(["show", "TSG-7"]).assert(),
        2,
        &["no entity is named 'TSG-7'", "did you mean"],
    );
    refused(
        stroma().args(["trace", "TSG-6", "Atlantis"]).assert(),
        2,
        &["'Atlantis'"],
    );
    refused(
        stroma()
            .args(["query", "table-1", "--format", "yaml"])
            .assert(),
        2,
        &["'yaml'", "possible values", "csv"],
    );
    refused(
        stroma()
            .args([
                "query",
                "ASK {}",
                "--data",
                "x.ttl",
                "--data-format",
                "yaml",
            ])
            .assert(),
        2,
        &["'yaml'", "possible values", "jsonld"],
    );
}

#[test]
fn a_full_disk_under_standard_output_is_named_with_exit_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipping: this system has no /dev/full");
        return;
    };
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_stroma"))
        .args(["query", "table-1", "--format", "csv"])
        .stdout(full)
        .output()
        .expect("stroma runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write to standard output: No space left on device"),
        "{stderr}"
    );
}

#[cfg(feature = "rocksdb")]
mod stores {
    use super::*;
    use common::served::Served;
    use predicates::prelude::*;
    use std::path::Path;

    /// Every quad of the store at `dir`, sorted: what "unchanged" is checked against.
    fn content(dir: &Path) -> String {
        let text = stdout_of(&[
            "query",
            "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
            "--format",
            "tsv",
            "--store",
            dir.to_str().expect("utf-8 path"),
        ]);
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort_unstable();
        lines.join("\n")
    }

    fn store(scratch: &Scratch) -> PathBuf {
        let dir = scratch.path().join("store");
        let seed = scratch.file(
            "seed.ttl",
            "<http://ex.org/s> <http://ex.org/p> \"kept\" .\n",
        );
        stroma()
            .arg("load")
            .arg(&seed)
            .arg("--store")
            .arg(&dir)
            .assert()
            .success();
        dir
    }

    #[test]
    fn each_malformed_file_loaded_names_its_position_and_leaves_the_store_as_it_was() {
        let scratch = Scratch::new();
        let dir = store(&scratch);
        let before = content(&dir);
        let good = scratch.file("good.nt", "<http://ex.org/s> <http://ex.org/p> \"new\" .\n");
        for case in MALFORMED {
            let path = scratch.path().join(case.name);
            std::fs::write(&path, case.bytes).expect("write");
            let stderr = refused(
                // A good file before the bad one: all or nothing.
                stroma()
                    .arg("load")
                    .arg(&good)
                    .arg(&path)
                    .arg("--store")
                    .arg(&dir)
                    .assert(),
                2,
                case.says,
            );
            assert!(stderr.contains("the store is as it was"), "{stderr}");
            assert_eq!(content(&dir), before, "after loading {}", case.name);
        }
        let directory = scratch.path().join("dump.nt");
        std::fs::create_dir(&directory).expect("mkdir");
        refused(
            stroma()
                .arg("load")
                .arg(&directory)
                .arg("--store")
                .arg(&dir)
                .assert(),
            2,
            &["dump.nt is a directory, not an RDF file"],
        );
        refused(
            stroma()
                .args(["load", "--embedded", "--graph", "not an iri", "--store"])
                .arg(&dir)
                .assert(),
            2,
            &["--graph", "'not an iri'"],
        );
        refused(
            stroma()
                .args(["update", "INSERT DATA { <a> <b> }", "--store"])
                .arg(&dir)
                .assert(),
            2,
            &["SPARQL syntax error in the update at 1:"],
        );
        assert_eq!(content(&dir), before);
    }

    #[test]
    fn an_empty_file_loads_nothing_and_says_so() {
        let scratch = Scratch::new();
        let dir = store(&scratch);
        let before = content(&dir);
        stroma()
            .arg("load")
            .arg(scratch.file("empty.nt", ""))
            .arg("--store")
            .arg(&dir)
            .assert()
            .success()
            .stdout(predicate::str::contains("loaded 0 triples"));
        assert_eq!(content(&dir), before);
    }

    #[test]
    fn a_literal_too_long_to_stream_names_its_line_and_a_long_one_loads() {
        let scratch = Scratch::new();
        let dir = store(&scratch);
        let before = content(&dir);
        let huge = with_literal(&scratch, "huge.nt", 20 << 20);
        refused(
            stroma()
                .arg("load")
                .arg(&huge)
                .args(["--threads", "2", "--store"])
                .arg(&dir)
                .assert(),
            2,
            &["huge.nt:2: a term", "longer than 16 MiB", "--data"],
        );
        assert_eq!(content(&dir), before);
        let long = with_literal(&scratch, "long.nt", 4 << 20);
        stroma()
            .arg("load")
            .arg(&long)
            .arg("--store")
            .arg(&dir)
            .assert()
            .success();
        let length = stdout_of(&[
            "query",
            BIG_LENGTH,
            "--format",
            "csv",
            "--store",
            dir.to_str().expect("utf-8"),
        ]);
        assert_eq!(length, format!("n\r\n{}\r\n", 4 << 20));
    }

    #[test]
    fn a_store_another_process_holds_is_refused_with_exit_3_and_left_alone() {
        let scratch = Scratch::new();
        let dir = store(&scratch);
        let before = content(&dir);
        let path = dir.to_str().expect("utf-8");
        let mut server = Served::start(&["--store", path]);
        let holding = &["cannot use the store", "another process has it open"];
        refused(
            stroma().args(["query", "ASK {}", "--store", path]).assert(),
            3,
            holding,
        );
        refused(
            stroma()
                .args(["load", "--embedded", "--store", path])
                .assert(),
            3,
            holding,
        );
        assert!(server.terminate(), "the server stops cleanly");
        assert_eq!(content(&dir), before, "the refused load wrote nothing");
    }

    /// Makes `dir` unwritable even for root (`chattr +i`; `chmod` for anyone else) until
    /// dropped. None when that is impossible here (skipped, or a failure in CI).
    struct ReadOnly(PathBuf);

    impl ReadOnly {
        fn new(dir: &Path) -> Option<Self> {
            let root = std::process::Command::new("id")
                .arg("-u")
                .output()
                .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
            if root {
                if !have_tool("lsattr", &["-V"]) {
                    return None;
                }
                let done = std::process::Command::new("chattr")
                    .arg("+i")
                    .arg(dir)
                    .status()
                    .is_ok_and(|s| s.success());
                if !done {
                    assert!(
                        std::env::var_os("STROMA_REQUIRE_EXTERNAL").is_none(),
                        "chattr +i failed on {}",
                        dir.display()
                    );
                    eprintln!("skipping: this file system has no immutable attribute");
                    return None;
                }
            } else {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555))
                    .expect("chmod");
            }
            Some(Self(dir.to_path_buf()))
        }
    }

    impl Drop for ReadOnly {
        fn drop(&mut self) {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.0)
                .status();
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }

    #[test]
    fn an_unwritable_place_for_a_store_is_refused_with_exit_3_naming_it() {
        let scratch = Scratch::new();
        let parent = scratch.path().join("shelf");
        std::fs::create_dir(&parent).expect("mkdir");
        let file = scratch.file("plain-file", "x");
        refused(
            stroma()
                .arg("load")
                .arg("--embedded")
                .arg("--store")
                .arg(file.join("store"))
                .assert(),
            3,
            &[
                "cannot use the store",
                "plain-file/store",
                "Not a directory",
            ],
        );
        let Some(_guard) = ReadOnly::new(&parent) else {
            return;
        };
        let store = parent.join("store");
        refused(
            stroma()
                .arg("load")
                .arg("--embedded")
                .arg("--store")
                .arg(&store)
                .assert(),
            3,
            &["cannot use the store", "shelf/store"],
        );
        assert!(!store.exists(), "nothing was created");
    }

    #[test]
    fn a_store_whose_files_cannot_be_written_is_refused_with_exit_3() {
        let scratch = Scratch::new();
        let dir = store(&scratch);
        let before = content(&dir);
        let Some(guard) = ReadOnly::new(&dir) else {
            return;
        };
        refused(
            stroma()
                .arg("load")
                .arg(scratch.file(
                    "more.nt",
                    "<http://ex.org/s> <http://ex.org/p> \"more\" .\n",
                ))
                .arg("--store")
                .arg(&dir)
                .assert(),
            3,
            &["cannot use the store", "store"],
        );
        drop(guard);
        assert_eq!(content(&dir), before);
    }
}
