//! `stroma validate --shapes`: every SHACL constraint kind the validator claims is seen failing
//! on a small graph of the user's own (and passing once the graph is fixed), pyshacl agrees with
//! each verdict, and shapes Stroma cannot evaluate are errors naming what is unsupported, never
//! a crash and never silently ignored.

mod common;

use common::{have_tool, stroma, Scratch};
use predicates::prelude::*;

const PREFIXES: &str = "\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
";

/// One constraint kind: shapes, a graph that violates them at `focus`, and a graph that does not.
struct Case {
    name: &'static str,
    shapes: &'static str,
    bad: &'static str,
    good: &'static str,
    /// The focus node the violation names.
    focus: &'static str,
    /// Part of the message printed for the violation.
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "target_class_with_min_count",
        shapes: "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        bad: "ex:a a ex:C .",
        good: "ex:a a ex:C ; ex:p 1 .",
        focus: "ex:a",
        message: "fewer than 1 values",
    },
    Case {
        name: "target_class_reaches_subclass_instances",
        shapes: "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        bad: "ex:D rdfs:subClassOf ex:C . ex:a a ex:D .",
        good: "ex:D rdfs:subClassOf ex:C . ex:a a ex:D ; ex:p 1 .",
        focus: "ex:a",
        message: "fewer than 1 values",
    },
    Case {
        name: "target_subjects_of_with_max_count",
        shapes: "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .",
        bad: "ex:a ex:p 1, 2 .",
        good: "ex:a ex:p 1 .",
        focus: "ex:a",
        message: "more than 1 values",
    },
    Case {
        name: "target_objects_of_with_datatype",
        shapes: "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:r ; sh:property [ sh:path ex:q ; sh:datatype xsd:integer ] .",
        bad: "ex:x ex:r ex:a . ex:a ex:q \"one\" .",
        good: "ex:x ex:r ex:a . ex:a ex:q 1 .",
        focus: "ex:a",
        message: "not of datatype",
    },
    Case {
        name: "target_node_with_class",
        shapes: "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:class ex:C ] .",
        bad: "ex:a ex:p ex:b .",
        good: "ex:a ex:p ex:b . ex:b a ex:C .",
        focus: "ex:a",
        message: "not an instance of",
    },
    Case {
        name: "node_kind_on_a_property",
        shapes: "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ] .",
        bad: "ex:a ex:p \"a literal\" .",
        good: "ex:a ex:p ex:b .",
        focus: "ex:a",
        message: "node kind",
    },
    Case {
        name: "min_inclusive_on_a_property",
        shapes: "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:minInclusive 1 ] .",
        bad: "ex:a ex:p 0 .",
        good: "ex:a ex:p 1 .",
        focus: "ex:a",
        message: "minInclusive",
    },
    Case {
        name: "max_inclusive_on_a_property",
        shapes: "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:maxInclusive 10 ] .",
        bad: "ex:a ex:p 11 .",
        good: "ex:a ex:p 10 .",
        focus: "ex:a",
        message: "maxInclusive",
    },
    Case {
        name: "pattern_with_flags_on_a_property",
        shapes: "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:pattern \"^ab\" ; sh:flags \"i\" ] .",
        bad: "ex:a ex:p \"xab\" .",
        good: "ex:a ex:p \"ABc\" .",
        focus: "ex:a",
        message: "does not match ^ab",
    },
    Case {
        name: "sparql_constraint",
        shapes: "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:sparql [ a sh:SPARQLConstraint ; sh:message \"negative p\" ; sh:select \"SELECT $this ?value WHERE { $this <http://example.org/p> ?value FILTER(?value < 0) }\" ] .",
        bad: "ex:a ex:p -1 .",
        good: "ex:a ex:p 1 .",
        focus: "ex:a",
        message: "negative p",
    },
    Case {
        name: "message_replaces_the_default",
        shapes: "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message \"every C needs a p\" ] .",
        bad: "ex:a a ex:C .",
        good: "ex:a a ex:C ; ex:p 1 .",
        focus: "ex:a",
        message: "every C needs a p",
    },
    Case {
        name: "datatype_on_a_node_shape",
        shapes: "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:datatype xsd:integer .",
        bad: "ex:a ex:p \"x\" .",
        good: "ex:a ex:p 1 .",
        focus: "x",
        message: "not of datatype",
    },
    Case {
        name: "class_on_a_node_shape",
        shapes: "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:class ex:C .",
        bad: "ex:a ex:p 1 .",
        good: "ex:a a ex:C ; ex:p 1 .",
        focus: "ex:a",
        message: "not an instance of",
    },
    Case {
        name: "node_kind_on_a_node_shape",
        shapes: "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:nodeKind sh:IRI .",
        bad: "ex:a ex:p \"lit\" .",
        good: "ex:a ex:p ex:b .",
        focus: "lit",
        message: "node kind",
    },
    Case {
        name: "min_inclusive_on_a_node_shape",
        shapes: "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:minInclusive 1 .",
        bad: "ex:a ex:p 0 .",
        good: "ex:a ex:p 1 .",
        focus: "0",
        message: "minInclusive",
    },
    Case {
        name: "max_inclusive_on_a_node_shape",
        shapes: "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:maxInclusive 1 .",
        bad: "ex:a ex:p 2 .",
        good: "ex:a ex:p 1 .",
        focus: "2",
        message: "maxInclusive",
    },
    Case {
        name: "pattern_on_a_node_shape",
        shapes: "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:pattern \"^ok\" .",
        bad: "ex:a ex:p \"no\" .",
        good: "ex:a ex:p \"okay\" .",
        focus: "no",
        message: "does not match ^ok",
    },
    Case {
        name: "closed_node_shape_with_ignored_properties",
        shapes: "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ; sh:property [ sh:path ex:p ] .",
        bad: "ex:a a ex:C ; ex:p 1 ; ex:q 2 .",
        good: "ex:a a ex:C ; ex:p 1 .",
        focus: "ex:a",
        message: "closed",
    },
];

fn case(name: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.name == name)
        .expect("a case of that name")
}

/// Runs `validate` on `data` alone with `shapes`.
fn validate(scratch: &Scratch, shapes: &str, data: &str) -> assert_cmd::assert::Assert {
    let shapes = scratch.file("shapes.ttl", &format!("{PREFIXES}{shapes}"));
    let data = scratch.file("data.ttl", &format!("{PREFIXES}{data}"));
    stroma()
        .args(["validate", "--no-embedded", "--data"])
        .arg(&data)
        .arg("--shapes")
        .arg(&shapes)
        .assert()
}

fn fails_then_passes(name: &str) {
    let case = case(name);
    let scratch = Scratch::new();
    validate(&scratch, case.shapes, case.bad)
        .code(1)
        .stdout(predicate::str::contains(case.focus))
        .stdout(predicate::str::contains(case.message))
        .stdout(predicate::str::contains("1 violation(s)"));
    validate(&scratch, case.shapes, case.good)
        .success()
        .stdout(predicate::str::starts_with("valid:"));
}

macro_rules! constraint_kinds {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                fails_then_passes(stringify!($name));
            }
        )*
        /// Every case above has a test: a new case without one fails here.
        #[test]
        fn every_case_has_a_test() {
            let tested = [$(stringify!($name)),*];
            for case in CASES {
                assert!(tested.contains(&case.name), "{} has no test", case.name);
            }
        }
    };
}

constraint_kinds!(
    target_class_with_min_count,
    target_class_reaches_subclass_instances,
    target_subjects_of_with_max_count,
    target_objects_of_with_datatype,
    target_node_with_class,
    node_kind_on_a_property,
    min_inclusive_on_a_property,
    max_inclusive_on_a_property,
    pattern_with_flags_on_a_property,
    sparql_constraint,
    message_replaces_the_default,
    datatype_on_a_node_shape,
    class_on_a_node_shape,
    node_kind_on_a_node_shape,
    min_inclusive_on_a_node_shape,
    max_inclusive_on_a_node_shape,
    pattern_on_a_node_shape,
    closed_node_shape_with_ignored_properties,
);

#[test]
fn a_warning_is_reported_but_does_not_fail_validation() {
    let scratch = Scratch::new();
    validate(
        &scratch,
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning ] .",
        "ex:a a ex:C .",
    )
    .success()
    .stdout(predicate::str::contains("warning"))
    .stdout(predicate::str::contains("0 violation(s), 1 other finding(s)"));
}

#[test]
fn a_deactivated_shape_is_not_checked() {
    let scratch = Scratch::new();
    validate(
        &scratch,
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated true ] .",
        "ex:a a ex:C .",
    )
    .success();
    validate(
        &scratch,
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        "ex:a a ex:C .",
    )
    .success();
}

/// Regression: `sh:nodeKind <urn:x>` sliced the IRI by the SHACL namespace's length and
/// crashed (exit 101); a shorter foreign IRI silently became `isIRI`.
#[test]
fn a_node_kind_outside_shacl_is_an_error_naming_it_not_a_crash() {
    let scratch = Scratch::new();
    validate(
        &scratch,
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:nodeKind <urn:x> ] .",
        "ex:a ex:p 1 .",
    )
    .code(2)
    .stderr(predicate::str::contains("shapes.ttl"))
    .stderr(predicate::str::contains("urn:x"))
    .stderr(predicate::str::contains("not a SHACL node kind"));
    validate(
        &scratch,
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:nodeKind <http://example.org/a-much-longer-iri-than-the-shacl-namespace> ] .",
        "ex:a ex:p 1 .",
    )
    .code(2)
    .stderr(predicate::str::contains("not a SHACL node kind"));
}

/// Regression: constraints written on a node shape itself were silently ignored.
#[test]
fn unsupported_constraints_are_errors_on_node_and_property_shapes() {
    let scratch = Scratch::new();
    validate(
        &scratch,
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:in ( ex:a ex:b ) .",
        "ex:a ex:p 1 .",
    )
    .code(2)
    .stderr(predicate::str::contains("unsupported SHACL feature sh:in"))
    .stderr(predicate::str::contains(
        "node shape <http://example.org/S>",
    ));
    validate(
        &scratch,
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:hasValue 1 ] .",
        "ex:a ex:p 1 .",
    )
    .code(2)
    .stderr(predicate::str::contains("unsupported SHACL feature sh:hasValue"))
    .stderr(predicate::str::contains("<http://example.org/p>"));
}

/// Regression: a blank focus node was labelled by pasting `_:b` into a query, which matched
/// every label in the store.
#[test]
fn a_blank_focus_node_is_not_given_another_nodes_label() {
    let scratch = Scratch::new();
    validate(
        &scratch,
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        "[] a ex:C . ex:other rdfs:label \"Somebody Else\" .",
    )
    .code(1)
    .stdout(predicate::str::contains("Somebody Else").not());
}

/// pyshacl, an independent SHACL implementation, gives the same verdict on every case.
#[test]
fn pyshacl_agrees_on_every_constraint_kind() {
    let venv = std::env::var("STROMA_VENV").unwrap_or_else(|_| "/var/tmp/stroma-venv".into());
    let python = format!("{venv}/bin/python");
    if !have_tool(&python, &["-c", "import pyshacl"]) {
        return;
    }
    let scratch = Scratch::new();
    let mut pairs = Vec::new();
    for case in CASES {
        let shapes = scratch.file(
            &format!("{}.shapes.ttl", case.name),
            &format!("{PREFIXES}{}", case.shapes),
        );
        for (verdict, data) in [("bad", case.bad), ("good", case.good)] {
            let data = scratch.file(
                &format!("{}.{verdict}.ttl", case.name),
                &format!("{PREFIXES}{data}"),
            );
            pairs.push(format!(
                "{}\t{}\t{}\t{}",
                case.name,
                verdict,
                data.display(),
                shapes.display()
            ));
        }
    }
    let list = scratch.file("pairs.tsv", &pairs.join("\n"));
    let script = "import sys, pyshacl\n\
        for line in open(sys.argv[1]):\n    \
            name, verdict, data, shapes = line.rstrip('\\n').split('\\t')\n    \
            conforms = pyshacl.validate(data, shacl_graph=shapes, data_graph_format='turtle', shacl_graph_format='turtle', advanced=True)[0]\n    \
            print(name, verdict, conforms)\n";
    let output = std::process::Command::new(&python)
        .args(["-c", script])
        .arg(&list)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "pyshacl failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verdicts = String::from_utf8(output.stdout).expect("utf-8");
    for case in CASES {
        for (verdict, conforms) in [("bad", "False"), ("good", "True")] {
            let line = format!("{} {verdict} {conforms}", case.name);
            assert!(
                verdicts.lines().any(|l| l == line),
                "pyshacl disagrees on {} ({verdict}): {verdicts}",
                case.name
            );
        }
    }
}
