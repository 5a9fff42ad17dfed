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

/// Folds a name for matching: lower case; accents, punctuation and possessive "'s" removed;
/// Greek letters and their spelled names reduced to one Latin letter (TNFα = TNF-alpha = TNFa);
/// plurals made singular (MSCs = MSC, vesicles = vesicle); UK spellings made US (tumour =
/// tumor, ischaemia = ischemia, haematopoietic = hematopoietic, signalling = signaling).
/// Both sides of a comparison are folded the same way, so each rule only has to map the
/// variants of a word to one form.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut word = String::new();
    let mut chars = text.nfd().filter(|c| !is_combining_mark(*c)).peekable();
    while let Some(c) = chars.next() {
        if let Some(latin) = greek_letter(c) {
            word.push(latin);
        } else if c.is_alphanumeric() {
            word.push(c);
        } else {
            fold_word(&word, &mut folded);
            word.clear();
            // A possessive "'s" is dropped; an "s" that begins a word after an apostrophe stays.
            if matches!(c, '\'' | '’') {
                if let Some(s) = chars.next_if(|n| matches!(n, 's' | 'S')) {
                    if chars.peek().is_some_and(|n| n.is_alphanumeric()) {
                        word.push(s);
                    }
                }
            }
        }
    }
    fold_word(&word, &mut folded);
    folded
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// The Latin letter a Greek letter is matched as.
fn greek_letter(c: char) -> Option<char> {
    match c {
        'α' | 'Α' => Some('a'),
        'β' | 'Β' => Some('b'),
        'γ' | 'Γ' => Some('g'),
        'δ' | 'Δ' => Some('d'),
        'κ' | 'Κ' => Some('k'),
        _ => None,
    }
}

/// Appends one word in its canonical form: lower case, Greek names as one letter, singular, US
/// spelling. Case tells an acronym's plural (MSCs, EVs, iPSCs: capitals, then a final s).
fn fold_word(word: &str, out: &mut String) {
    if word.is_empty() {
        return;
    }
    let acronym_plural = word.len() >= 3
        && word.ends_with('s')
        && word[..word.len() - 1]
            .chars()
            .filter(char::is_ascii_uppercase)
            .count()
            >= 2;
    let mut w = word.to_lowercase();
    if acronym_plural {
        w.pop();
    }
    replace_all(
        &mut w,
        &[
            ("alpha", "a"),
            ("beta", "b"),
            ("gamma", "g"),
            ("delta", "d"),
            ("kappa", "k"),
        ],
    );
    if !acronym_plural && w.bytes().all(|b| b.is_ascii_alphabetic()) {
        singular(&mut w);
    }
    us_spelling(&mut w);
    out.push_str(&w);
}

/// Replaces every occurrence of each `from` with its `to`, allocating only on a match.
fn replace_all(w: &mut String, pairs: &[(&str, &str)]) {
    for (from, to) in pairs {
        if w.contains(from) {
            *w = w.replace(from, to);
        }
    }
}

/// Replaces the first of the suffixes `w` ends with, when what precedes it is at least
/// `min_stem` bytes long; says whether it did.
fn replace_suffix(w: &mut String, pairs: &[(&str, &str)], min_stem: usize) -> bool {
    for (from, to) in pairs {
        if w.len() >= from.len() + min_stem && w.ends_with(from) {
            w.truncate(w.len() - from.len());
            w.push_str(to);
            return true;
        }
    }
    false
}

/// Makes a regular English plural (and "mice") singular; other words are left as they are.
fn singular(w: &mut String) {
    if w == "mice" {
        *w = "mouse".to_owned();
    } else if w.len() >= 4 {
        let irregular = [
            ("ies", "y"),
            ("sses", "ss"),
            ("ches", "ch"),
            ("shes", "sh"),
            ("xes", "x"),
        ];
        if !replace_suffix(w, &irregular, 0)
            && w.ends_with('s')
            && !["ss", "us", "is"].iter().any(|e| w.ends_with(e))
        {
            w.pop();
        }
    }
}

/// Maps UK spellings to US ones, so either finds the other.
fn us_spelling(w: &mut String) {
    replace_all(
        w,
        &[
            ("ae", "e"),
            ("oedem", "edem"),
            ("oesophag", "esophag"),
            ("oestr", "estr"),
            ("foet", "fet"),
            ("coeli", "celi"),
            ("tumour", "tumor"),
            ("colour", "color"),
            ("behaviour", "behavior"),
            ("favour", "favor"),
            ("labour", "labor"),
            ("odour", "odor"),
            ("humour", "humor"),
            ("sulph", "sulf"),
            ("grey", "gray"),
            ("ageing", "aging"),
            ("programme", "program"),
        ],
    );
    // -ise/-isation → -ize/-ization, -yse → -yze: mobilised, characterisation, analyse.
    let _ = replace_suffix(
        w,
        &[
            ("isation", "ization"),
            ("ising", "izing"),
            ("ised", "ized"),
            ("ises", "izes"),
            ("iser", "izer"),
            ("ise", "ize"),
            ("ysing", "yzing"),
            ("ysed", "yzed"),
            ("yse", "yze"),
        ],
        4,
    );
    // Doubled l before -ing/-ed/-er: signalling, labelled, modelling.
    let _ = replace_suffix(w, &[("lling", "ling"), ("lled", "led"), ("ller", "ler")], 3);
    // -re → -er: centre, fibre, litre.
    let _ = replace_suffix(w, &[("tre", "ter"), ("bre", "ber")], 2);
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
    let d = distance(wanted, folded);
    (wanted.len() >= 4 && d <= 2).then(|| 30 - 5 * d as u32)
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
pub fn resolve(text: &str, index: &Index, store: &Store, prefixes: &Prefixes) -> Result<Resolved> {
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
                short(&one.iri, prefixes)
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

fn short(iri: &NamedNode, prefixes: &Prefixes) -> String {
    prefixes
        .shorten(iri.as_str())
        .unwrap_or_else(|| format!("<{}>", iri.as_str()))
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
        let id = short(&h.iri, prefixes);
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
        assert_eq!(fold("Sjögren"), fold("Sjogren"));
        assert_eq!(fold("Sjögren's syndrome"), fold("Sjogren syndrome"));
    }

    #[test]
    fn greek_letters_match_their_ascii_spellings() {
        for (greek, ascii) in [
            ("TNFα", "TNFa"),
            ("TNFα", "TNF-alpha"),
            ("IFNγ", "IFNg"),
            ("IFN-γ", "IFN-gamma"),
            ("TGF-β1", "TGFb1"),
            ("TGF-β1", "TGF-beta1"),
            ("IL-1β", "IL-1b"),
            ("NF-κB", "NF-kappaB"),
        ] {
            assert_eq!(fold(greek), fold(ascii), "{greek} vs {ascii}");
        }
    }

    #[test]
    fn singular_and_plural_match() {
        for (one, many) in [
            ("exosome", "exosomes"),
            ("MSC", "MSCs"),
            ("iPSC-MSC", "iPSC-MSCs"),
            ("EV", "EVs"),
            ("therapy", "therapies"),
            ("mouse", "mice"),
            ("rat", "rats"),
        ] {
            assert_eq!(fold(one), fold(many), "{one} vs {many}");
        }
        assert_ne!(fold("process"), fold("proces"));
        assert_eq!(fold("analysis"), "analysis");
    }

    #[test]
    fn us_and_uk_spellings_match() {
        for (us, uk) in [
            ("tumor growth", "tumour growth"),
            ("ischemia", "ischaemia"),
            ("ischemic stroke", "ischaemic stroke"),
            ("hematopoietic", "haematopoietic"),
            ("signaling", "signalling"),
            ("edema", "oedema"),
            ("characterization", "characterisation"),
            ("mobilized", "mobilised"),
            ("fiber", "fibre"),
        ] {
            assert_eq!(fold(us), fold(uk), "{us} vs {uk}");
        }
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
