//! Names to IRIs: finds the entities a person means by an IRI, a CURIE, a label or a synonym,
//! ignoring case, accents, Greek-letter spelling and punctuation ("TSG-6" = "tsg6" = "TNFAIP6").
//! Ambiguity and misses are errors that list candidates.

use crate::error::{Error, Result};
use crate::query;
use crate::vocab::Prefixes;
use oxigraph::model::{NamedNode, Term};
use oxigraph::store::Store;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Folds a name for matching: lower case, accents and punctuation removed, Greek letters spelled.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'α' | 'Α' => folded.push_str("alpha"),
            'β' | 'Β' => folded.push_str("beta"),
            'γ' | 'Γ' => folded.push_str("gamma"),
            'κ' | 'Κ' => folded.push_str("kappa"),
            'δ' | 'Δ' => folded.push_str("delta"),
            c if c.is_alphanumeric() => folded.extend(c.to_lowercase()),
            _ => {}
        }
    }
    folded
}

/// Levenshtein distance in characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidate closest to `given`, if any is close enough to be a plausible typo.
pub fn nearest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let given = fold(given);
    candidates
        .map(|c| (distance(&given, &fold(c)), c))
        .filter(|(d, c)| *d <= (fold(c).len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

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

impl Index {
    /// Reads every label and synonym from the store.
    pub fn build(store: &Store, prefixes: &Prefixes) -> Result<Self> {
        let mut entries = Vec::new();
        for row in query::select(store, prefixes, NAMES_QUERY)? {
            let (Some(Term::NamedNode(iri)), Some(Term::Literal(name))) = (&row[0], &row[1]) else {
                continue;
            };
            let preferred = matches!(&row[2], Some(Term::Literal(l)) if l.value() == "true");
            let label = match &row[3] {
                Some(Term::Literal(l)) => l.value().to_owned(),
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
        Ok(Self { entries })
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
        let mut scored: Vec<(usize, &str)> = self
            .entries
            .iter()
            .map(|e| (distance(&wanted, &e.folded), e.label.as_str()))
            .filter(|(d, _)| *d <= wanted.chars().count().max(3) / 2 + 1)
            .collect();
        scored.sort();
        let mut labels: Vec<String> = Vec::new();
        for (_, label) in scored {
            if !labels.iter().any(|l| l == label) {
                labels.push(label.to_owned());
            }
            if labels.len() == limit {
                break;
            }
        }
        labels
    }
}

const EXACT_LABEL: u32 = 100;
const EXACT_SYNONYM: u32 = 90;

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
        return Some(70 + u32::from(entry.preferred) * 5);
    }
    if folded.contains(wanted) {
        return Some(50 + u32::from(entry.preferred) * 5);
    }
    let d = distance(wanted, folded);
    (wanted.len() >= 4 && d <= 2).then(|| 30 - 5 * d as u32)
}

/// Resolves what a person typed to one IRI: `<iri>`, a full IRI, a CURIE, or a label/synonym
/// that matches exactly one entity. Otherwise an error listing the candidates.
pub fn resolve(text: &str, index: &Index, store: &Store, prefixes: &Prefixes) -> Result<NamedNode> {
    let trimmed = text.trim();
    let iri = trimmed
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .map(str::to_owned)
        .or_else(|| {
            (trimmed.starts_with("http://") || trimmed.starts_with("https://"))
                .then(|| trimmed.to_owned())
        })
        .or_else(|| prefixes.expand(trimmed));
    if let Some(iri) = iri {
        if let Ok(node) = NamedNode::new(&iri) {
            if is_described(store, &node)? {
                return Ok(node);
            }
        }
    }
    let hits = index.search(trimmed, 50);
    let exact: Vec<&Hit> = hits.iter().filter(|h| h.score >= EXACT_SYNONYM).collect();
    let top = exact.first().map(|h| h.score);
    let best: Vec<&Hit> = exact.into_iter().filter(|h| Some(h.score) == top).collect();
    match best.as_slice() {
        [one] => Ok(one.iri.clone()),
        [] => Err(Error::UnknownEntity(unknown_message(trimmed, &hits, index, prefixes))),
        many => Err(Error::UnknownEntity(format!(
            "'{trimmed}' is ambiguous; it names {} entities:\n{}\nuse the IRI or CURIE to choose one",
            many.len(),
            candidates(many.iter().copied(), prefixes)
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
        let id = prefixes
            .shorten(h.iri.as_str())
            .unwrap_or_else(|| format!("<{}>", h.iri.as_str()));
        if h.kind.is_empty() {
            format!("  {id}  {}", h.label)
        } else {
            format!("  {id}  {} ({})", h.label, h.kind)
        }
    })
    .collect::<Vec<_>>()
    .join("\n")
}

fn is_described(store: &Store, node: &NamedNode) -> Result<bool> {
    Ok(store
        .quads_for_pattern(Some(node.as_ref().into()), None, None, None)
        .next()
        .transpose()?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_greek_and_punctuation() {
        assert_eq!(fold("TSG-6"), fold("tsg6"));
        assert_eq!(fold("TNFα"), "tnfalpha");
        assert_eq!(fold("TNF-alpha"), "tnfalpha");
        assert_eq!(fold("Sjögren"), fold("Sjogren"));
    }

    #[test]
    fn nearest_finds_typos_only() {
        let names = ["factors-by-effect", "studies-by-year"];
        assert_eq!(
            nearest("factor-by-effect", names.iter().copied()),
            Some("factors-by-effect")
        );
        assert_eq!(nearest("zzz", names.iter().copied()), None);
    }
}
