//! Names to IRIs: finds the entities a person means by an IRI, a CURIE, a label or a synonym,
//! ignoring case, accents, Greek-letter spelling and punctuation ("TSG-6" = "tsg6" = "TNFAIP6").
//! Ambiguity and misses are errors that list candidates.

use crate::error::{Error, Result};
use crate::store::{Db, Table};
use crate::text::{distance, fold};
use crate::vocab::Prefixes;
use oxigraph::model::{Literal, NamedNode, Term};
use std::collections::HashMap;

/// One entity found by a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub iri: NamedNode,
    pub label: String,
    /// The label or synonym that matched.
    pub matched: String,
    /// A short class name for display.
    pub kind: String,
    /// Higher is better.
    pub score: u32,
}

/// Every label and synonym in the store, folded for matching.
pub struct Index {
    entries: Vec<Entry>,
    /// The rdfs:label of each entity (its first).
    labels: HashMap<NamedNode, String>,
}

struct Entry {
    iri: NamedNode,
    label: String,
    name: String,
    folded: String,
    preferred: bool,
    kind: String,
}

const NAMES_QUERY: &str = r#"
SELECT ?s ?name ?preferred ?label ?kind WHERE {
  { ?s rdfs:label ?name BIND(true AS ?preferred) }
  UNION { ?s skos:prefLabel ?name BIND(true AS ?preferred) }
  UNION { ?s skos:altLabel ?name BIND(false AS ?preferred) }
  FILTER(isIRI(?s))
  OPTIONAL { ?s rdfs:label ?label }
  OPTIONAL { ?s a ?kind FILTER(?kind != owl:Class && ?kind != owl:NamedIndividual) }
}"#;

/// The most names a search on a remote endpoint reads back.
pub const MAX_CANDIDATES: usize = 2000;

/// Where a remote search found its candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidates {
    /// The endpoint's text index (Virtuoso's `bif:contains`).
    TextIndex,
    /// Names containing a fragment of the text, without a text index (bounded).
    Contains(String),
}

impl Index {
    /// An index without names.
    pub fn empty() -> Self {
        Self {
            entries: Vec::new(),
            labels: HashMap::new(),
        }
    }

    /// Reads every label and synonym of the graph (one query).
    pub fn build(db: &Db) -> Result<Self> {
        Self::from_rows(db, db.select(NAMES_QUERY, &[])?)
    }

    /// Reads only the names that may match `text`, for a graph too big to read every name of
    /// (a remote endpoint): through the endpoint's text index when it has one (Virtuoso's
    /// `bif:contains`), else names containing the start of the text's longest word, at most
    /// [`MAX_CANDIDATES`]. The candidates are then ranked as a whole index ranks them.
    pub fn build_matching(db: &Db, text: &str) -> Result<(Self, Candidates)> {
        let Some(fragment) = fragment(text) else {
            return Ok((Self::from_rows(db, Vec::new())?, Candidates::TextIndex));
        };
        // The entities one of whose names matches, with all their names (the best match may
        // be another name of theirs). The fragment is letters or digits only, so it cannot
        // change the query it is written into; Virtuoso wants its words as a constant.
        // One group per name property: Virtuoso wants a plain triple pattern binding the text
        // before its bif:contains, not a property path.
        let matching = |filter: &str| {
            let groups: Vec<String> = ["rdfs:label", "skos:prefLabel", "skos:altLabel"]
                .iter()
                .map(|p| format!("{{ ?s {p} ?matched {filter} }}"))
                .collect();
            NAMES_QUERY.replacen(
                "FILTER(isIRI(?s))",
                &format!(
                    "{{ SELECT DISTINCT ?s WHERE {{ {} }} LIMIT {MAX_CANDIDATES} }}\n  FILTER(isIRI(?s))",
                    groups.join(" UNION ")
                ),
                1,
            )
        };
        // Virtuoso's text index: a triple pattern with its magic predicate (a wildcard needs
        // four letters before it; a shorter fragment is looked up as a whole word). Elsewhere
        // it matches nothing (or is refused), and the bounded scan below answers.
        let words = if fragment.chars().count() >= 4 {
            format!("{fragment}*")
        } else {
            fragment.clone()
        };
        let indexed = db.select(
            &matching(&format!(". ?matched <bif:contains> '\"{words}\"'")),
            &[],
        );
        // Names equal to the text (case aside) whatever the cap: "IL-6" among thousands of
        // names containing "il".
        let exact = db.select_values(
            &NAMES_QUERY.replacen(
                "FILTER(isIRI(?s))",
                "FILTER(isIRI(?s) && LCASE(STR(?name)) = ?wanted)",
                1,
            ),
            &[Table::column(
                "wanted",
                [Term::Literal(Literal::new_simple_literal(
                    text.trim().to_lowercase(),
                ))],
            )],
        )?;
        if let Ok(mut rows) = indexed {
            if !rows.is_empty() {
                rows.extend(exact);
                return Ok((Self::from_rows(db, rows)?, Candidates::TextIndex));
            }
        }
        let mut rows = db.select(
            &matching(&format!(
                "FILTER(CONTAINS(LCASE(STR(?matched)), \"{fragment}\"))"
            )),
            &[],
        )?;
        rows.extend(exact);
        Ok((Self::from_rows(db, rows)?, Candidates::Contains(fragment)))
    }

    fn from_rows(db: &Db, rows: crate::store::Rows) -> Result<Self> {
        let prefixes = db.prefixes();
        let mut entries = Vec::new();
        let mut labels = HashMap::new();
        for row in rows {
            let (Some(Term::NamedNode(iri)), Some(Term::Literal(name))) = (&row[0], &row[1]) else {
                continue;
            };
            // Virtuoso writes a true boolean as "1" in some result formats.
            let preferred =
                matches!(&row[2], Some(Term::Literal(l)) if matches!(l.value(), "true" | "1"));
            let label = match &row[3] {
                Some(Term::Literal(l)) => {
                    labels
                        .entry(iri.clone())
                        .or_insert_with(|| l.value().to_owned());
                    l.value().to_owned()
                }
                _ => name.value().to_owned(),
            };
            let kind = match &row[4] {
                Some(Term::NamedNode(k)) => prefixes
                    .shorten(k.as_str())
                    .map(|s| s.split_once(':').map_or(s.clone(), |(_, l)| l.to_owned()))
                    .unwrap_or_else(|| k.as_str().to_owned()),
                _ => String::new(),
            };
            entries.push(Entry {
                iri: iri.clone(),
                label,
                name: name.value().to_owned(),
                folded: fold(name.value()),
                preferred,
                kind,
            });
        }
        Ok(Self { entries, labels })
    }

    /// The index as bytes, for the cache beside a persistent store.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = crate::codec::Writer::new();
        w.count(self.entries.len());
        for e in &self.entries {
            w.str(e.iri.as_str());
            w.str(&e.label);
            w.str(&e.name);
            w.str(&e.folded);
            w.u8(u8::from(e.preferred));
            w.str(&e.kind);
        }
        w.count(self.labels.len());
        for (iri, label) in &self.labels {
            w.str(iri.as_str());
            w.str(label);
        }
        w.into_bytes()
    }

    /// Reads back what [`Index::encode`] wrote.
    pub fn decode(bytes: &[u8]) -> Result<Self, crate::codec::DecodeError> {
        use crate::codec::DecodeError;
        let mut r = crate::codec::Reader::new(bytes);
        let iri =
            |text: &str| NamedNode::new(text).map_err(|e| DecodeError(format!("an IRI: {e}")));
        let entries = r.count(21)?;
        let mut index = Self {
            entries: Vec::with_capacity(entries),
            labels: HashMap::new(),
        };
        for _ in 0..entries {
            index.entries.push(Entry {
                iri: iri(r.str()?)?,
                label: r.str()?.to_owned(),
                name: r.str()?.to_owned(),
                folded: r.str()?.to_owned(),
                preferred: r.u8()? != 0,
                kind: r.str()?.to_owned(),
            });
        }
        for _ in 0..r.count(8)? {
            let key = iri(r.str()?)?;
            index.labels.insert(key, r.str()?.to_owned());
        }
        r.finish()?;
        Ok(index)
    }

    /// The label of an entity, when it has one.
    pub fn label(&self, iri: &NamedNode) -> Option<&str> {
        self.labels.get(iri).map(String::as_str)
    }

    /// Entities whose label or synonym matches `text`, best first, one hit per entity.
    pub fn search(&self, text: &str, limit: usize) -> Vec<Hit> {
        let wanted = fold(text);
        if wanted.is_empty() {
            return Vec::new();
        }
        let mut best: HashMap<&NamedNode, Hit> = HashMap::new();
        for entry in &self.entries {
            let Some(score) = score(&wanted, entry) else {
                continue;
            };
            let hit = Hit {
                iri: entry.iri.clone(),
                label: entry.label.clone(),
                matched: entry.name.clone(),
                kind: entry.kind.clone(),
                score,
            };
            best.entry(&entry.iri)
                .and_modify(|h| {
                    if score > h.score {
                        *h = hit.clone();
                    } else if score == h.score && h.kind.is_empty() {
                        h.kind = hit.kind.clone();
                    }
                })
                .or_insert(hit);
        }
        let mut hits: Vec<Hit> = best.into_values().collect();
        hits.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.label.len().cmp(&b.label.len()))
                .then_with(|| a.label.cmp(&b.label))
        });
        hits.truncate(limit);
        hits
    }

    /// Labels close to `text`, for "did you mean" when nothing matches.
    pub fn suggest(&self, text: &str, limit: usize) -> Vec<String> {
        let wanted = fold(text);
        let length = wanted.chars().count();
        let most = length.max(3) / 2 + 1;
        // Names whose lengths differ by more than `most` are farther than that: skipping them
        // keeps a long text from costing its length times every name's.
        let mut scored: Vec<(usize, &str)> = self
            .entries
            .iter()
            .filter(|e| e.folded.chars().count().abs_diff(length) <= most)
            .map(|e| (distance(&wanted, &e.folded), e.label.as_str()))
            .filter(|(d, _)| *d <= most)
            .collect();
        scored.sort();
        let mut labels: Vec<String> = Vec::new();
        for (_, label) in scored {
            if labels.len() >= limit {
                break;
            }
            if !labels.iter().any(|l| l == label) {
                labels.push(label.to_owned());
            }
        }
        labels
    }
}

const EXACT_LABEL: u32 = 100;
const EXACT_SYNONYM: u32 = 90;
/// The lowest score of a name that starts with what was typed.
const PREFIX: u32 = 70;

fn score(wanted: &str, entry: &Entry) -> Option<u32> {
    let folded = entry.folded.as_str();
    if folded == wanted {
        return Some(if entry.preferred {
            EXACT_LABEL
        } else {
            EXACT_SYNONYM
        });
    }
    if folded.starts_with(wanted) {
        return Some(PREFIX + u32::from(entry.preferred) * 5);
    }
    if folded.contains(wanted) {
        return Some(50 + u32::from(entry.preferred) * 5);
    }
    // One edit changes a UTF-8 length by at most 4 bytes, so lengths more than 8 bytes apart
    // are more than 2 edits apart (and a long text costs no distance to every name).
    if wanted.len() < 4 || wanted.len().abs_diff(folded.len()) > 8 {
        return None;
    }
    let d = distance(wanted, folded);
    (d <= 2).then(|| 30 - 5 * d as u32)
}

/// What a remote search looks for: the first four letters of the text's longest run of
/// letters (so "tsg6" finds "TSG-6", "tumour" finds "tumor", "cells" finds "cell"), lower-cased;
/// or its longest run of digits when it has no letters.
fn fragment(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let longest = |f: fn(&char) -> bool| {
        let mut best = String::new();
        let mut run = String::new();
        for c in lower.chars().chain([' ']) {
            if f(&c) {
                run.push(c);
            } else {
                if run.chars().count() > best.chars().count() {
                    best = std::mem::take(&mut run);
                }
                run.clear();
            }
        }
        best
    };
    let letters = longest(|c| c.is_alphabetic());
    let chosen = if letters.is_empty() {
        longest(|c| c.is_alphanumeric())
    } else {
        letters
    };
    let fragment: String = chosen.chars().take(4).collect();
    (!fragment.is_empty()).then_some(fragment)
}

/// What a name resolved to, with a note for the user when the match was not exact.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub iri: NamedNode,
    /// Set when the name was only the start of the entity's label or synonym.
    pub note: Option<String>,
}

/// Resolves what a person typed to one IRI: `<iri>`, a full IRI, a CURIE, a label or synonym
/// that matches exactly one entity, or the start of the names of exactly one entity (with a
/// note saying so). Otherwise an error listing the candidates.
pub fn resolve(text: &str, index: &Index, db: &Db) -> Result<Resolved> {
    let prefixes = db.prefixes();
    let trimmed = text.trim();
    if let Some(iri) = prefixes.iri_of(trimmed) {
        if let Ok(node) = NamedNode::new(&iri) {
            if is_described(db, &node)? {
                return Ok(Resolved {
                    iri: node,
                    note: None,
                });
            }
        }
    }
    let hits = index.search(trimmed, usize::MAX);
    let exact: Vec<&Hit> = hits.iter().filter(|h| h.score >= EXACT_SYNONYM).collect();
    let top = exact.first().map(|h| h.score);
    let best: Vec<&Hit> = exact.into_iter().filter(|h| Some(h.score) == top).collect();
    match best.as_slice() {
        [one] => {
            return Ok(Resolved {
                iri: one.iri.clone(),
                note: None,
            })
        }
        [] => {}
        many => {
            return Err(Error::UnknownEntity(format!(
                "'{trimmed}' is ambiguous; it names {} entities:\n{}\nuse the IRI or CURIE to choose one",
                many.len(),
                candidates(many.iter().copied(), prefixes)
            )))
        }
    }
    // No exact name: the entities one of whose names starts with what was typed.
    let starting: Vec<&Hit> = if fold(trimmed).chars().count() >= 3 {
        hits.iter().filter(|h| h.score >= PREFIX).collect()
    } else {
        Vec::new()
    };
    match starting.as_slice() {
        [one] => Ok(Resolved {
            iri: one.iri.clone(),
            note: Some(format!(
                "'{trimmed}' taken as {} ({}), the only entity with a name starting so",
                one.label,
                prefixes.curie(one.iri.as_str())
            )),
        }),
        [] => Err(Error::UnknownEntity(unknown_message(
            trimmed, &hits, index, prefixes,
        ))),
        many => Err(Error::UnknownEntity(format!(
            "'{trimmed}' is ambiguous; it starts the names of {} entities:\n{}\nuse more of the name, the IRI or the CURIE to choose one",
            many.len(),
            candidates(many.iter().copied().take(12), prefixes)
        ))),
    }
}

fn unknown_message(text: &str, hits: &[Hit], index: &Index, prefixes: &Prefixes) -> String {
    if !hits.is_empty() {
        return format!(
            "no entity is named '{text}'; did you mean one of:\n{}",
            candidates(hits.iter().take(8), prefixes)
        );
    }
    let suggestions = index.suggest(text, 5);
    if suggestions.is_empty() {
        format!("no entity is named '{text}' (try `stroma search`)")
    } else {
        format!(
            "no entity is named '{text}'; did you mean: {}?",
            suggestions.join(", ")
        )
    }
}

fn candidates<'a>(hits: impl Iterator<Item = &'a Hit>, prefixes: &Prefixes) -> String {
    hits.map(|h| {
        let id = prefixes.curie(h.iri.as_str());
        if h.kind.is_empty() {
            format!("  {id}  {}", h.label)
        } else {
            format!("  {id}  {} ({})", h.label, h.kind)
        }
    })
    .collect::<Vec<_>>()
    .join("\n")
}

/// True when the graph has a triple about `node` or pointing to it (its card then lists the
/// relations in).
fn is_described(db: &Db, node: &NamedNode) -> Result<bool> {
    let node = Term::NamedNode(node.clone());
    let rows = db.select(
        "SELECT ?this WHERE { { ?this ?p ?o } UNION { ?s ?p ?this } } LIMIT 1",
        &[("this", &node)],
    )?;
    Ok(!rows.is_empty())
}
