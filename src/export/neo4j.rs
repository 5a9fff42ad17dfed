//! The graph as a CSV pair for `neo4j-admin database import full`, in neosemantics (n10s)
//! style and lossless: read back, the files give the same triples.
//!
//! - `nodes.csv`: `:ID` (the IRI, or `_:id` for a blank node), `uri` (the same), `:LABEL`
//!   (`Resource`, plus one `prefix__Local` label per `rdf:type` IRI), and one `string[]`
//!   column per predicate with literal values, named `prefix__local`. One extra node,
//!   `_NsPrefDef`, holds each prefix's namespace in a column named by the prefix.
//! - `relationships.csv`: `:START_ID`, `:END_ID`, `:TYPE` (`prefix__local`) for every triple
//!   whose object is an IRI or a blank node (and `rdf:type` to a blank node).
//!
//! Literals keep their datatype and language: `"text"`, `"text@en"`, `"12^^<…#integer>"`; a
//! string that would read as one of the others (or is empty) is written with `^^<…#string>`.
//! Arrays are separated by U+001F (`--array-delimiter=U+001F`), which no literal may contain.
//! Named graphs are merged (Neo4j has none). docs/exports.md has the import command.

use super::{finish, Sink, Written};
use crate::error::{Error, Result};
use crate::vocab::{Prefixes, RDF, XSD};
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// The array delimiter of the CSV pair (`--array-delimiter=U+001F`).
pub const ARRAY_DELIMITER: char = '\u{1f}';
/// The label every node carries.
pub const RESOURCE: &str = "Resource";
/// The node that holds the prefixes' namespaces.
pub const PREFIXES_NODE: &str = "_NsPrefDef";

/// Writes `nodes.csv` and `relationships.csv` into `sink`.
pub fn write(quads: &[Quad], prefixes: &Prefixes, sink: &mut dyn Sink) -> Result<Written> {
    let mut names = Names::new(prefixes);
    let rdf_type = format!("{RDF}type");
    // Node ID → (labels, property → values).
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut relationships: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut triples = BTreeSet::new();
    for quad in quads {
        let key = (
            quad.subject.to_string(),
            quad.predicate.to_string(),
            quad.object.to_string(),
        );
        if !triples.insert(key) {
            continue;
        }
        let subject = id_of_subject(&quad.subject);
        let node = nodes.entry(subject.clone()).or_default();
        match &quad.object {
            Term::NamedNode(class) if quad.predicate.as_str() == rdf_type => {
                node.labels.insert(names.name(class.as_str()));
            }
            Term::Literal(literal) => {
                let value = encode(literal)?;
                let column = names.name(quad.predicate.as_str());
                node.properties.entry(column).or_default().push(value);
            }
            object => {
                let end = match object {
                    Term::NamedNode(n) => n.as_str().to_owned(),
                    Term::BlankNode(b) => format!("_:{}", b.as_str()),
                    #[allow(unreachable_patterns)]
                    other => {
                        return Err(Error::Usage(format!("{other} cannot be written for Neo4j")))
                    }
                };
                nodes.entry(end.clone()).or_default();
                relationships.insert((subject, end, names.name(quad.predicate.as_str())));
            }
        }
    }
    let columns: BTreeSet<String> = nodes
        .values()
        .flat_map(|n| n.properties.keys().cloned())
        .collect();
    let namespaces = names.used();

    let mut out = sink.open("nodes.csv")?;
    let mut header = vec![":ID".to_owned(), "uri".to_owned(), ":LABEL".to_owned()];
    header.extend(columns.iter().map(|c| format!("{c}:string[]")));
    header.extend(namespaces.iter().map(|(prefix, _)| prefix.clone()));
    writeln!(out, "{}", header.join(","))?;
    for (id, node) in &nodes {
        let mut labels = vec![RESOURCE.to_owned()];
        labels.extend(node.labels.iter().cloned());
        let mut row = vec![quote(id), quote(id), quote(&join(&labels))];
        for column in &columns {
            row.push(
                node.properties
                    .get(column)
                    .map_or_else(String::new, |values| quote(&join(values))),
            );
        }
        row.extend(namespaces.iter().map(|_| String::new()));
        writeln!(out, "{}", row.join(","))?;
    }
    let mut row = vec![quote(PREFIXES_NODE), String::new(), quote(PREFIXES_NODE)];
    row.extend(columns.iter().map(|_| String::new()));
    row.extend(namespaces.iter().map(|(_, namespace)| quote(namespace)));
    writeln!(out, "{}", row.join(","))?;
    finish(out, "nodes.csv")?;

    let mut out = sink.open("relationships.csv")?;
    writeln!(out, ":START_ID,:END_ID,:TYPE")?;
    for (start, end, kind) in &relationships {
        writeln!(out, "{},{},{}", quote(start), quote(end), quote(kind))?;
    }
    finish(out, "relationships.csv")?;
    Ok(Written {
        files: vec!["nodes.csv".into(), "relationships.csv".into()],
        triples: triples.len(),
        nodes: Some(nodes.len()),
        edges: Some(relationships.len()),
    })
}

#[derive(Default)]
struct Node {
    labels: BTreeSet<String>,
    properties: BTreeMap<String, Vec<String>>,
}

fn id_of_subject(subject: &NamedOrBlankNode) -> String {
    match subject {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// One CSV field, always quoted (RFC 4180: a quote inside is doubled).
fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

fn join(values: &[String]) -> String {
    values.join(&ARRAY_DELIMITER.to_string())
}

/// A literal as one array element: the lexical form, with `@lang` or `^^<datatype>` unless
/// it is a string that cannot be mistaken for either.
pub fn encode(literal: &oxigraph::model::Literal) -> Result<String> {
    let value = literal.value();
    if value.contains(ARRAY_DELIMITER) {
        return Err(Error::Usage(format!(
            "the literal {literal} contains U+001F, the array delimiter of the Neo4j export, so it cannot be written losslessly"
        )));
    }
    Ok(match literal.language() {
        Some(language) => format!("{value}@{language}"),
        None => {
            let datatype = literal.datatype().as_str();
            if datatype == format!("{XSD}string") && !value.is_empty() && decode(value).2 {
                value.to_owned()
            } else {
                format!("{value}^^<{datatype}>")
            }
        }
    })
}

/// Reads an array element back: (lexical form, language or datatype, true when it was a
/// plain string). The inverse of [`encode`].
pub fn decode(element: &str) -> (&str, Option<Suffix<'_>>, bool) {
    if let Some(body) = element.strip_suffix('>') {
        if let Some((value, datatype)) = body.rsplit_once("^^<") {
            if !datatype.contains(['<', '>', ' ']) && !datatype.is_empty() {
                return (value, Some(Suffix::Datatype(datatype)), false);
            }
        }
    }
    if let Some((value, tag)) = element.rsplit_once('@') {
        if is_language_tag(tag) {
            return (value, Some(Suffix::Language(tag)), false);
        }
    }
    (element, None, true)
}

/// What follows a literal's lexical form in an array element.
#[derive(Debug, PartialEq, Eq)]
pub enum Suffix<'a> {
    Language(&'a str),
    Datatype(&'a str),
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    !first.is_empty()
        && first.len() <= 8
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `prefix__local` names for IRIs (labels, relationship types, property columns), with a new
/// `nsN` prefix for each namespace Stroma has no prefix for.
struct Names {
    known: Vec<(String, String)>,
    made: Vec<(String, String)>,
    used: BTreeMap<String, String>,
}

impl Names {
    fn new(prefixes: &Prefixes) -> Self {
        let known = prefixes
            .iter()
            .filter(|(name, _)| usable_prefix(name))
            .map(|(n, i)| (n.to_owned(), i.to_owned()))
            .collect();
        Self {
            known,
            made: Vec::new(),
            used: BTreeMap::new(),
        }
    }

    fn name(&mut self, iri: &str) -> String {
        let known = self
            .known
            .iter()
            .filter(|(_, ns)| iri.starts_with(ns.as_str()) && is_local(&iri[ns.len()..]))
            .max_by_key(|(_, ns)| ns.len())
            .cloned();
        let (prefix, namespace) = match known {
            Some(found) => found,
            None => {
                let cut = iri
                    .rfind(['#', '/', ':'])
                    .map(|at| at + 1)
                    .filter(|&at| is_local(&iri[at..]))
                    .unwrap_or(iri.len());
                let namespace = &iri[..cut];
                match self.made.iter().find(|(_, ns)| ns == namespace) {
                    Some(found) => found.clone(),
                    None => {
                        let prefix = format!("ns{}", self.made.len());
                        self.made.push((prefix.clone(), namespace.to_owned()));
                        (prefix, namespace.to_owned())
                    }
                }
            }
        };
        let local = &iri[namespace.len()..];
        self.used.insert(prefix.clone(), namespace);
        format!("{prefix}__{local}")
    }

    /// The prefixes used, with their namespaces, by name.
    fn used(&self) -> Vec<(String, String)> {
        self.used
            .iter()
            .map(|(p, n)| (p.clone(), n.clone()))
            .collect()
    }
}

/// A prefix that can head a column: letters and digits, starting with a letter, and not a name
/// the files already use.
fn usable_prefix(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && !name.starts_with("ns")
        && name != "uri"
}

/// A local name that fits in a header, a label and a relationship type.
fn is_local(local: &str) -> bool {
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn literals_read_back_to_their_lexical_form_language_and_datatype() {
        let integer = NamedNode::new_unchecked(format!("{XSD}integer"));
        for literal in [
            Literal::new_simple_literal("plain"),
            Literal::new_simple_literal(""),
            Literal::new_simple_literal("looks tagged@en"),
            Literal::new_simple_literal("x^^<http://example.org/t>"),
            Literal::new_simple_literal("mail@example.org"),
            Literal::new_language_tagged_literal_unchecked("Sjögren", "en-gb"),
            Literal::new_typed_literal("012", integer),
        ] {
            let encoded = encode(&literal).expect("encodable");
            let (value, suffix, plain) = decode(&encoded);
            let back = match suffix {
                Some(Suffix::Language(tag)) => {
                    Literal::new_language_tagged_literal_unchecked(value, tag)
                }
                Some(Suffix::Datatype(datatype)) => {
                    Literal::new_typed_literal(value, NamedNode::new_unchecked(datatype))
                }
                None => {
                    assert!(plain);
                    Literal::new_simple_literal(value)
                }
            };
            assert_eq!(back, literal, "{encoded}");
        }
        assert_eq!(
            encode(&Literal::new_simple_literal("mail@example.org"))
                .ok()
                .as_deref(),
            Some("mail@example.org")
        );
    }

    #[test]
    fn names_use_stroma_prefixes_and_make_new_ones() {
        let mut names = Names::new(&Prefixes::stroma());
        assert_eq!(
            names.name("https://w3id.org/stroma/vocab#promotes"),
            "st__promotes"
        );
        assert_eq!(names.name("http://example.org/x/y"), "ns0__y");
        assert_eq!(names.name("http://example.org/x/a b"), "ns1__");
        assert_eq!(names.used().len(), 3);
    }
}
