//! Regression tests for the crashes the cargo-fuzz targets in fuzz/ found (fuzz/README.md):
//! each calls the library function the target called with the input that crashed it, and
//! checks the behaviour the target asserts.

use stroma::error::Error;
use stroma::render::{print, to_dot, Box_, Diagram, Kind};
use stroma::resolve::{resolve, Index};
use stroma::store::{Db, Location};

/// fuzz/fuzz_targets/resolver.rs, input `\x00Sjögren's syndrome` (limit 0): `suggest` checked
/// the limit only after adding a label, so a limit of 0 returned every close label.
#[test]
fn suggest_returns_no_more_than_the_limit() {
    let db = Db::open(&Location::Embedded).expect("the embedded graph opens");
    let index = Index::build(&db).expect("the name index builds");
    assert_eq!(index.suggest("Sjögren's syndrome", 0), Vec::<String>::new());
    assert!(index.suggest("Sjögren's syndrome", 1).len() <= 1);
    assert!(!index.suggest("Sjögren's syndrome", 5).is_empty());
}

/// fuzz/fuzz_targets/resolver.rs ran at 5 inputs a second: `search` and `suggest` took the
/// edit distance from the text to every name, so a name of n characters cost n times the
/// length of every name in the graph (20 000 characters: 5 s a search, 11 s a `resolve`,
/// which searches and suggests, in a release build). Names of too different a length are
/// now skipped before the distance is taken.
#[test]
fn a_long_name_is_not_compared_with_every_name() {
    let db = Db::open(&Location::Embedded).expect("the embedded graph opens");
    let index = Index::build(&db).expect("the name index builds");
    let text = "q".repeat(20_000);
    assert!(index.search(&text, 10).is_empty());
    assert!(index.suggest(&text, 5).is_empty());
    assert!(matches!(
        resolve(&text, &index, &db),
        Err(Error::UnknownEntity(_))
    ));
    // What the shortcut skips was never close: a typo of "colitis" still finds its entity.
    assert_eq!(index.suggest("colitsi", 1), ["inflammatory bowel disease"]);
}

/// fuzz/fuzz_targets/dot.rs, a title of `"\u{1a}/"`: control characters went into the DOT as
/// they were (Graphviz refuses a NUL, and writes the others into SVG, where XML forbids them).
#[test]
fn dot_holds_no_control_characters() {
    let mut diagram = Diagram {
        title: "\u{1a}/".into(),
        ..Diagram::default()
    };
    diagram.add_node(Box_ {
        iri: String::new(),
        label: "a\u{0}b\u{1}c\u{7f}d\u{9f}e\u{ffff}".into(),
        kind: Kind::Cell,
        rank: None,
    });
    let dot = print(to_dot(&diagram));
    let forbidden =
        |c: &char| *c != '\n' && (c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'));
    assert_eq!(dot.chars().find(forbidden), None, "{dot}");
    assert!(dot.contains("label=\"/\""), "{dot}");
    assert!(dot.contains("label=\"abcde\""), "{dot}");
    graphviz_rust::parse(&dot).expect("the DOT parses back");
}
