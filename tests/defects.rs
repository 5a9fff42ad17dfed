//! Regression tests for the defects a careful user hit (issue "Correctness and CLI"), each
//! named for the defect it guards. The SHACL ones live in `tests/shacl.rs`.

mod common;

use common::{stdout_of, stroma, Scratch};
use predicates::prelude::*;

/// Two claims about `ex:ant`, each a blank-node statement citing its own study.
const BLANK_STATEMENTS: &str = r#"
@prefix st: <https://w3id.org/stroma/vocab#> .
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
ex:ant rdfs:label "ant" ; ex:binds ex:bee ; ex:blocks ex:cat .
ex:bee rdfs:label "bee" .
ex:cat rdfs:label "cat" .
ex:binds rdfs:label "binds" .
ex:blocks rdfs:label "blocks" .
ex:one rdfs:label "Study One" .
ex:two rdfs:label "Study Two" .
[] a st:Statement ; rdf:subject ex:ant ; rdf:predicate ex:binds ; rdf:object ex:bee ;
   prov:wasDerivedFrom ex:one .
[] a st:Statement ; rdf:subject ex:ant ; rdf:predicate ex:blocks ; rdf:object ex:cat ;
   prov:wasDerivedFrom ex:two .
"#;

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_of(args)).expect("JSON output")
}

// --- Wrong answers ---------------------------------------------------------------------------

/// `show` pasted blank-node statements into SPARQL text, where `_:b` is a fresh variable: every
/// study was credited to every relation.
#[test]
fn blank_node_statements_credit_each_relation_with_its_own_study_only() {
    let scratch = Scratch::new();
    let data = scratch.file("blank.ttl", BLANK_STATEMENTS);
    let card = json(&[
        "show",
        "ant",
        "--no-embedded",
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let studies = |relation: &str| -> Vec<String> {
        let relation = card["outgoing"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["predicate"]["label"] == relation)
            .unwrap_or_else(|| panic!("a {relation} relation in {card}"));
        let evidence = relation["evidence"].as_array().unwrap();
        assert_eq!(evidence.len(), 1, "one statement behind {relation}");
        evidence[0]["studies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["first_author"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(studies("binds"), ["Study One"]);
    assert_eq!(studies("blocks"), ["Study Two"]);
    // A source of the user's own is cited by its name, not as "the review".
    let text = stdout_of(&[
        "show",
        "ant",
        "--no-embedded",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(text.contains("[refs Study One]"), "{text}");
}

// --- All-or-nothing writes -------------------------------------------------------------------

#[cfg(feature = "rocksdb")]
mod stores {
    use super::*;

    const COUNT: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";

    fn count(store: &std::path::Path) -> String {
        stdout_of(&[
            "query",
            COUNT,
            "--format",
            "csv",
            "--store",
            store.to_str().unwrap(),
        ])
        .replace('\r', "")
        .lines()
        .nth(1)
        .expect("a count")
        .to_owned()
    }

    /// `stroma load [--embedded] FILE… --store STORE`.
    fn load(
        embedded: bool,
        files: &[&std::path::Path],
        store: &std::path::Path,
    ) -> assert_cmd::assert::Assert {
        let mut command = stroma();
        command.arg("load");
        if embedded {
            command.arg("--embedded");
        }
        command.args(files).arg("--store").arg(store).assert()
    }

    /// A store in `scratch` holding one triple.
    fn store_with_one_triple(scratch: &Scratch, name: &str) -> std::path::PathBuf {
        let store = scratch.path().join(name);
        let one = scratch.file("one.nt", "<http://e/x> <http://e/y> <http://e/z> .\n");
        load(false, &[&one], &store).success();
        store
    }

    fn bad_file(scratch: &Scratch) -> std::path::PathBuf {
        scratch.file(
            "bad.ttl",
            "<http://e/a> <http://e/b> <http://e/c> .\n<http://e/d> .\n",
        )
    }

    /// `load --embedded BAD.ttl` committed the embedded graph before parsing BAD.ttl, then said
    /// nothing was written.
    #[test]
    fn load_embedded_with_a_bad_file_writes_nothing() {
        let scratch = Scratch::new();
        let bad = bad_file(&scratch);
        let fresh = scratch.path().join("fresh");
        load(true, &[&bad], &fresh)
            .code(2)
            .stderr(predicate::str::contains("bad.ttl:2:"))
            .stderr(predicate::str::contains("the store is as it was"));
        assert!(
            !fresh.exists(),
            "a store the failed load created is removed"
        );

        let existing = store_with_one_triple(&scratch, "existing");
        load(true, &[&bad], &existing).code(2);
        assert_eq!(count(&existing), "1");
    }

    /// Read commands with `--store DIR --data FILE` wrote FILE into the store for good, even
    /// when the query then failed to parse.
    #[test]
    fn read_commands_never_write_data_files_into_a_store() {
        let scratch = Scratch::new();
        let db = store_with_one_triple(&scratch, "db");
        let more = scratch.file("more.nt", "<http://e/m> <http://e/n> <http://e/o> .\n");
        for query in [COUNT, "SELEC nonsense"] {
            stroma()
                .args(["query", query, "--store"])
                .arg(&db)
                .arg("--data")
                .arg(&more)
                .assert()
                .code(2)
                .stderr(predicate::str::contains("stroma load"));
        }
        stroma()
            .args(["validate", "--store"])
            .arg(&db)
            .arg("--data")
            .arg(&more)
            .assert()
            .code(2);
        assert_eq!(count(&db), "1");
    }

    /// A read command on a store that does not exist created an empty one.
    #[test]
    fn a_read_command_on_a_missing_store_creates_nothing_and_exits_3() {
        let scratch = Scratch::new();
        let missing = scratch.path().join("typo");
        stroma()
            .args(["query", COUNT, "--store"])
            .arg(&missing)
            .assert()
            .code(3)
            .stderr(predicate::str::contains("there is no store there"));
        assert!(!missing.exists());
    }

    /// A malformed update must not leave a new, empty store behind.
    #[test]
    fn a_malformed_update_creates_no_store() {
        let scratch = Scratch::new();
        let fresh = scratch.path().join("fresh");
        stroma()
            .args(["update", "INSERT DATA { <http://e/a> }", "--store"])
            .arg(&fresh)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("SPARQL syntax error"));
        assert!(!fresh.exists());
    }
}

// --- Exit codes -------------------------------------------------------------------------------

/// `trace A B` with no path exited 1 while `render trace A B` exited 2.
#[test]
fn trace_and_render_trace_both_exit_1_when_there_is_no_path() {
    for command in [&["trace"][..], &["render", "trace"][..]] {
        stroma()
            .args(command)
            .args(["TSG-6", "tumour growth", "--max-hops", "1"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("no path"))
            .stderr(predicate::str::contains("error:").not());
    }
}

/// A missing Graphviz was reported as bad input (exit 2); it is a missing tool (exit 4).
#[test]
fn a_missing_graphviz_exits_4_with_how_to_install_it() {
    let scratch = Scratch::new();
    stroma()
        .env("PATH", scratch.path())
        .args(["render", "pathway", "--format", "svg"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("apt-get install graphviz"));
}

#[test]
fn help_documents_every_exit_code() {
    let help = stdout_of(&["--help"]);
    for line in [
        "0  success",
        "1  nothing found",
        "2  bad input",
        "3  the persistent store",
        "4  Graphviz",
        "5  internal error",
    ] {
        assert!(help.contains(line), "--help lacks '{line}':\n{help}");
    }
}

// --- The command line -------------------------------------------------------------------------

/// `--data` took many values and swallowed the positional after it.
#[test]
fn data_takes_one_file_and_leaves_the_entity_to_show() {
    let scratch = Scratch::new();
    let data = scratch.file("blank.ttl", BLANK_STATEMENTS);
    stroma()
        .args(["show", "--data"])
        .arg(&data)
        .args(["ant", "--no-embedded"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ex:ant — ant"));
}

/// `--via` took many values and swallowed FROM and TO.
#[test]
fn via_takes_one_relation_per_flag_or_a_comma_separated_list() {
    let repeated = stdout_of(&[
        "trace",
        "--via",
        "st:secretes",
        "--via",
        "st:promotes",
        "iPSC-MSC",
        "intestinal repair",
        "--format",
        "json",
    ]);
    let listed = stdout_of(&[
        "trace",
        "--via",
        "st:secretes,st:promotes",
        "iPSC-MSC",
        "intestinal repair",
        "--format",
        "json",
    ]);
    assert_eq!(repeated, listed);
    let report: serde_json::Value = serde_json::from_str(&repeated).unwrap();
    let hops: Vec<&str> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["hops"].as_array().unwrap())
        .map(|h| h["predicate"]["id"].as_str().unwrap())
        .collect();
    assert!(hops.contains(&"st:secretes"), "{hops:?}");
    assert!(hops
        .iter()
        .all(|h| ["st:secretes", "st:promotes"].contains(h)));
    stroma()
        .args([
            "trace",
            "--avoid",
            "st:promotes",
            "iPSC-MSC",
            "intestinal repair",
        ])
        .assert()
        .stdout(predicate::str::contains("—promotes").not());
}

/// Every command's `--help` ends with its examples, verbatim, one per line.
#[test]
fn every_command_shows_its_examples_one_per_line() {
    let commands: &[&[&str]] = &[
        &["query"],
        &["update"],
        &["load"],
        &["queries"],
        &["validate"],
        &["stats"],
        &["search"],
        &["show"],
        &["trace"],
        &["render"],
        &["render", "pathway"],
        &["render", "neighborhood"],
        &["render", "trace"],
        &["render", "query"],
    ];
    for command in commands {
        let help = stdout_of(&[command, &["--help"][..]].concat());
        let examples: Vec<&str> = help
            .lines()
            .skip_while(|l| !l.starts_with("Example"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .collect();
        assert!(!examples.is_empty(), "{command:?} --help has no examples");
        for example in examples {
            assert!(
                example.starts_with(&format!("  stroma {}", command[0])),
                "{command:?}: '{example}' is not one example on its own line"
            );
        }
    }
}

/// Every argument of every command says what it is for.
#[test]
fn every_argument_has_help_text() {
    use clap::CommandFactory;
    fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            let builtin = ["help", "version"].contains(&arg.get_id().as_str());
            if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&stroma::cli::Cli::command(), "stroma", &mut missing);
    assert!(missing.is_empty(), "arguments without help: {missing:?}");
}

/// Closed sets are listed by `--help` and refused with the valid values.
#[test]
fn organisms_products_and_formats_are_listed_and_checked() {
    let help = stdout_of(&["trace", "--help"]);
    for value in [
        "human",
        "mouse",
        "rat",
        "monkey",
        "exosomes",
        "conditioned-medium",
        "svg",
    ] {
        assert!(help.contains(value), "trace --help lacks {value}");
    }
    stroma()
        .args(["trace", "iPSC-MSC", "angiogenesis", "--organism", "hamster"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "possible values: human, mouse, rat, monkey",
        ));
    let by_flag = stdout_of(&[
        "trace",
        "iPSC-MSC",
        "angiogenesis",
        "--organism",
        "Rat",
        "--product",
        "exosomes",
    ]);
    assert!(by_flag.contains("refs 64; Liu X 2017"), "{by_flag}");
}

// --- Names ------------------------------------------------------------------------------------

fn shown(name: &str) -> String {
    stdout_of(&["show", name])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// `TNFa`, `IFNg`, `TGFb1` answered "no entity".
#[test]
fn greek_letters_match_their_ascii_spellings() {
    for (typed, id) in [
        ("TNFa", "sr:TNFa — TNFα"),
        ("TNF-alpha", "sr:TNFa — TNFα"),
        ("IFNg", "sr:IFNg — IFNγ"),
        ("IFN-gamma", "sr:IFNg — IFNγ"),
        ("TGFb1", "sr:TGFb1 — TGFβ1"),
        ("TGF-beta1", "sr:TGFb1 — TGFβ1"),
    ] {
        assert_eq!(shown(typed), id, "show {typed}");
    }
    // The review names no IL-1β, so a graph of the user's own has it.
    let scratch = Scratch::new();
    let data = scratch.file(
        "il1b.ttl",
        "<http://example.org/IL1B> <http://www.w3.org/2000/01/rdf-schema#label> \"IL-1β\" .\n",
    );
    stroma()
        .args(["show", "IL-1b", "--data"])
        .arg(&data)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "<http://example.org/IL1B> — IL-1β",
        ));
}

#[test]
fn singular_plural_and_us_uk_spellings_match() {
    assert_eq!(shown("exosome"), "sr:Exosomes — exosomes");
    assert_eq!(shown("iPSC-MSCs"), "sr:iPSC-MSC — iPSC-derived MSC");
    assert_eq!(shown("Notch-1 signaling"), "sr:Notch1 — Notch-1 signalling");
    let scratch = Scratch::new();
    let data = scratch.file(
        "spelling.ttl",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         <http://example.org/a> rdfs:label \"haematopoietic niche\" .\n\
         <http://example.org/b> rdfs:label \"ischaemic injury\" .\n\
         <http://example.org/c> rdfs:label \"tumor cells\" .\n",
    );
    for (typed, label) in [
        ("hematopoietic niche", "haematopoietic niche"),
        ("ischemic injury", "ischaemic injury"),
        ("tumour cell", "tumor cells"),
    ] {
        stroma()
            .args(["show", typed, "--no-embedded", "--data"])
            .arg(&data)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("— {label}")));
    }
}

/// `show Notch` answered "no entity" and suggested only "Notch-1 signalling".
#[test]
fn the_start_of_exactly_one_name_resolves_with_a_note() {
    stroma()
        .args(["show", "Notch"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "sr:Notch1 — Notch-1 signalling",
        ))
        .stderr(predicate::str::contains(
            "note: 'Notch' taken as Notch-1 signalling",
        ));
    stroma()
        .args(["show", "haematopoietic"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ambiguous"))
        .stderr(predicate::str::contains("sr:"));
}

// --- show of statements and qualifier values ----------------------------------------------

/// `show` of a statement node listed its qualifiers as bare relations, not what it states.
#[test]
fn show_of_a_statement_says_what_it_states_with_its_evidence() {
    let card = stdout_of(&["show", "stmt:immune-tsg6-intestinal-repair"]);
    for part in [
        "type: statement",
        "TSG-6 [sr:TSG6] —promotes→ intestinal repair [sr:IntestinalRepair] (positive)",
        "[refs 111; Yang H 2019]",
        "organism: mouse",
        "disease model: experimental colitis (mouse)",
        "“TSG-6 from iPSC-MSCs drove intestinal repair in murine colitis.”",
    ] {
        assert!(card.contains(part), "lacks '{part}':\n{card}");
    }
}

/// `show rat` listed bare statement IDs as relations in.
#[test]
fn show_of_an_organism_lists_the_statements_that_use_it_with_their_content() {
    let card = stdout_of(&["show", "rat"]);
    let incoming: Vec<&str> = card
        .lines()
        .skip_while(|l| !l.starts_with("relations in"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(
        incoming.iter().all(|l| !l.contains("[stmt:")),
        "statements listed as relations: {incoming:?}"
    );
    assert!(card.contains("statements that name it as a qualifier"));
    assert!(
        card.contains("as organism: hESC-derived MSC —ameliorates→ Alzheimer's disease (negative)")
    );
    assert!(card.contains("[refs 96; Kim DY 2020]"));
    let product = stdout_of(&["show", "conditioned medium"]);
    assert!(product.contains("as cell product used:"), "{product}");
}

/// An `-o` file whose extension is not a diagram format is refused, listing the valid ones.
#[test]
fn render_refuses_an_output_extension_it_cannot_write() {
    let scratch = Scratch::new();
    stroma()
        .args(["render", "neighborhood", "TSG-6", "-o"])
        .arg(scratch.path().join("tsg6.gif"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dot, gv, svg, png"));
    assert!(!scratch.path().join("tsg6.gif").exists());
}
