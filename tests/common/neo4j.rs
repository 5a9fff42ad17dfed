//! Reads the Neo4j export (`stroma export --format neo4j`) back into triples, independently
//! of Stroma's writer: an RFC 4180 reader and neo4j-admin's header rules.

use oxigraph::model::{BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::HashMap;
use std::path::Path;

/// RFC 4180 records (quoted fields may hold commas, doubled quotes and line breaks); each field
/// is None when empty and unquoted (null for neo4j-admin).
pub fn csv_records(text: &str) -> Vec<Vec<Option<String>>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut field = String::new();
        let mut quoted = false;
        if chars.peek() == Some(&'"') {
            quoted = true;
            chars.next();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        break;
                    }
                } else {
                    field.push(c);
                }
            }
        }
        while let Some(&c) = chars.peek() {
            if c == ',' || c == '\n' {
                break;
            }
            field.push(c);
            chars.next();
        }
        record.push((quoted || !field.is_empty()).then_some(field));
        match chars.next() {
            Some(',') => continue,
            Some('\n') => records.push(std::mem::take(&mut record)),
            _ => {
                if record.iter().any(Option::is_some) {
                    records.push(record);
                }
                return records;
            }
        }
    }
}

/// The triples a neo4j-admin CSV pair stands for, read by the header rules of `neo4j-admin
/// database import`: `:ID`, `:LABEL` and `name:type` columns, `string[]` split on the array
/// delimiter, and the prefixes of the `_NsPrefDef` node.
pub fn triples(dir: &Path) -> Graph {
    let read =
        |name: &str| csv_records(&std::fs::read_to_string(dir.join(name)).expect("a CSV file"));
    let nodes = read("nodes.csv");
    let header: Vec<String> = nodes[0]
        .iter()
        .map(|h| h.clone().expect("a header"))
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (id, labels) = (column(":ID"), column(":LABEL"));
    let delimiter = '\u{1f}';
    let definitions = nodes
        .iter()
        .find(|r| r[id].as_deref() == Some("_NsPrefDef"))
        .expect("the prefixes node");
    let prefixes: HashMap<String, String> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.contains(':') && *h != "uri")
        .filter_map(|(i, h)| Some((h.clone(), definitions[i].clone()?)))
        .collect();
    let iri = |name: &str| -> NamedNode {
        let (prefix, local) = name.split_once("__").expect("prefix__local");
        NamedNode::new(format!("{}{local}", prefixes[prefix])).expect("an IRI")
    };
    let node = |id: &str| -> NamedOrBlankNode {
        match id.strip_prefix("_:") {
            Some(b) => BlankNode::new(b).expect("a blank node").into(),
            None => NamedNode::new(id).expect("an IRI").into(),
        }
    };
    let rdf_type = NamedNode::new("http://www.w3.org/1999/02/22-rdf-syntax-ns#type").unwrap();
    let mut graph = Graph::new();
    for record in &nodes[1..] {
        let subject_id = record[id].clone().expect("an ID");
        if subject_id == "_NsPrefDef" {
            continue;
        }
        let subject = node(&subject_id);
        for label in record[labels].as_deref().unwrap_or("").split(delimiter) {
            if label != "Resource" {
                graph.insert(&Triple::new(subject.clone(), rdf_type.clone(), iri(label)));
            }
        }
        for (i, name) in header.iter().enumerate() {
            let Some(property) = name.strip_suffix(":string[]") else {
                continue;
            };
            let Some(values) = &record[i] else { continue };
            for element in values.split(delimiter) {
                graph.insert(&Triple::new(
                    subject.clone(),
                    iri(property),
                    literal(element),
                ));
            }
        }
    }
    let relationships = read("relationships.csv");
    assert_eq!(
        relationships[0],
        [":START_ID", ":END_ID", ":TYPE"].map(|h| Some(h.to_owned()))
    );
    for record in &relationships[1..] {
        let [Some(start), Some(end), Some(kind)] = &record[..] else {
            panic!("a relationship {record:?}");
        };
        let object: Term = match node(end) {
            NamedOrBlankNode::NamedNode(n) => n.into(),
            NamedOrBlankNode::BlankNode(b) => b.into(),
        };
        graph.insert(&Triple::new(node(start), iri(kind), object));
    }
    graph
}

/// A literal as docs/exports.md says the Neo4j export writes it.
pub fn literal(element: &str) -> Literal {
    if let Some((value, datatype)) = element
        .strip_suffix('>')
        .and_then(|body| body.rsplit_once("^^<"))
    {
        return Literal::new_typed_literal(value, NamedNode::new(datatype).expect("a datatype"));
    }
    if let Some((value, tag)) = element.rsplit_once('@') {
        if !tag.is_empty()
            && tag
                .split('-')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
            && tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        {
            return Literal::new_language_tagged_literal(value, tag).expect("a language tag");
        }
    }
    Literal::new_simple_literal(element)
}
