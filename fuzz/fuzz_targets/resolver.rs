//! Fuzzes name resolution: `Index::search`, `Index::suggest` and `resolve` (src/resolve.rs)
//! against the name index of the embedded graph (built once), and the text matching under them
//! (`fold`, `distance`, `nearest` in src/text.rs), on arbitrary UTF-8.
//!
//! Input: the first byte is the limit (0..=31), the rest the text typed (not UTF-8: skipped);
//! `distance` also gets the text split at its first `|`.
//!
//! Checks, beyond "no panic": a search returns at most `limit` hits, one per entity, best
//! first, each with a score a match can have, and none for a text that folds to nothing;
//! `suggest` returns at most `limit` distinct labels; a folded text is lower-case letters and
//! digits only; `distance` is a metric on the two halves (zero on itself, symmetric, at least
//! the difference of lengths, at most the longer length); `resolve` either names an entity
//! or fails as an unknown entity, never with another kind of error.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;
use std::sync::OnceLock;
use stroma::error::Error;
use stroma::resolve::{resolve, Index};
use stroma::store::{Db, Location};
use stroma::text::{distance, fold, nearest};

/// The embedded graph and its name index, built on the first input.
fn graph() -> &'static (Db, Index) {
    static GRAPH: OnceLock<(Db, Index)> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let db = Db::open(&Location::Embedded).expect("the embedded graph opens");
        let index = Index::build(&db).expect("the name index builds");
        (db, index)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let limit = usize::from(first % 32);
    let (db, index) = graph();

    let folded = fold(text);
    assert!(
        folded
            .chars()
            .all(|c| c.is_alphanumeric() && !c.is_uppercase()),
        "fold({text:?}) = {folded:?} keeps a separator or a capital"
    );

    let hits = index.search(text, limit);
    assert!(hits.len() <= limit, "{} hits for limit {limit}", hits.len());
    if folded.is_empty() {
        assert!(hits.is_empty(), "hits for {text:?}, which folds to nothing");
    }
    let mut entities = HashSet::new();
    for hit in &hits {
        assert!(entities.insert(&hit.iri), "{} twice", hit.iri);
        assert!(hit.score <= 100, "score {}", hit.score);
    }
    assert!(
        hits.windows(2).all(|w| w[0].score >= w[1].score),
        "hits not best first: {:?}",
        hits.iter().map(|h| h.score).collect::<Vec<_>>()
    );

    let suggestions = index.suggest(text, limit);
    assert!(
        suggestions.len() <= limit,
        "{} suggestions for limit {limit}",
        suggestions.len()
    );
    let distinct: HashSet<&String> = suggestions.iter().collect();
    assert_eq!(distinct.len(), suggestions.len(), "a suggestion twice");

    let (a, b) = text.split_once('|').unwrap_or((text, ""));
    let (la, lb) = (a.chars().count(), b.chars().count());
    let d = distance(a, b);
    assert_eq!(d, distance(b, a), "distance not symmetric");
    assert_eq!(distance(a, a), 0);
    assert!(
        d >= la.abs_diff(lb) && d <= la.max(lb),
        "distance {d} of {la} and {lb} chars"
    );
    let _ = nearest(a, ["factors-by-effect", "studies-by-year", b].into_iter());

    match resolve(text, index, db) {
        Ok(_) | Err(Error::UnknownEntity(_)) => {}
        Err(other) => panic!("resolve({text:?}) failed with {other:?}"),
    }
});
