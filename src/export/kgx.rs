//! KGX TSV (`nodes.tsv`, `edges.tsv`) in the Biolink model.
//!
//! A Stroma statement is a Biolink association: one edge per statement node, its subject,
//! mapped predicate and object from `rdf:subject`, `rdf:predicate`, `rdf:object`, its
//! `publications` from `prov:wasDerivedFrom`, `species_context_qualifier` from `st:organism`,
//! and `qualified_predicate` + `object_direction_qualifier` where the relation's mapping gives
//! a direction. A relation triple that no statement states (`rdfs:subClassOf`, `st:modelOf`, a
//! foreign graph's links) is an edge too. Categories and predicates come from the [`Mapping`];
//! an unmapped class takes its nearest mapped superclass's category, else
//! `biolink:NamedThing`; an unmapped relation is `biolink:related_to`. IDs are CURIEs with
//! Stroma's prefixes (and those of `--data` files); a blank node or an IRI no prefix fits has
//! no CURIE, so it and its edges are left out (the RDF exports keep everything).
//!
//! The columns, the values of the provenance slots and the list delimiter (`|`) are those the
//! KGX validator accepts; docs/exports.md has the tables.

use super::mapping::Mapping;
use super::{finish, Sink, Written};
use crate::error::Result;
use crate::vocab::{Prefixes, OWL, PROV, RDF, RDFS, SH, SKOS, ST, XSD};
use oxigraph::model::{Quad, Term};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::io::Write;

/// The knowledge source every edge names.
pub const KNOWLEDGE_SOURCE: &str = "infores:stroma";

/// The columns of `nodes.tsv`.
pub const NODE_COLUMNS: &[&str] = &[
    "id",
    "category",
    "name",
    "description",
    "synonym",
    "xref",
    "iri",
    "provided_by",
];

/// The columns of `edges.tsv`.
pub const EDGE_COLUMNS: &[&str] = &[
    "id",
    "subject",
    "predicate",
    "object",
    "qualified_predicate",
    "object_direction_qualifier",
    "species_context_qualifier",
    "publications",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
];

/// Writes `nodes.tsv` and `edges.tsv` into `sink`.
pub fn write(
    quads: &[Quad],
    mapping: &Mapping,
    prefixes: &Prefixes,
    sink: &mut dyn Sink,
) -> Result<Written> {
    let subjects: Vec<Term> = quads.iter().map(|q| q.subject.clone().into()).collect();
    let graph = Graph::index(quads, &subjects);
    let curie = |term: &Term| -> String {
        match term {
            Term::NamedNode(n) => prefixes
                .shorten(n.as_str())
                .unwrap_or_else(|| n.as_str().to_owned()),
            Term::BlankNode(b) => format!("_:{}", b.as_str()),
            other => other.to_string(),
        }
    };
    // KGX identifiers are CURIEs: a blank node, or an IRI no prefix fits, has none.
    let identified = |term: &Term| match term {
        Term::NamedNode(n) => prefixes.shorten(n.as_str()).is_some(),
        _ => false,
    };
    let mut edges = edges(&graph, mapping, &curie);
    edges.retain(|e| identified(e.subject) && identified(e.object));
    let mut unique: HashSet<&Term> = graph
        .subjects
        .iter()
        .copied()
        .filter(|s| !graph.statements.contains_key(*s) && identified(s))
        .collect();
    for edge in &edges {
        unique.insert(edge.subject);
        unique.insert(edge.object);
    }
    let mut ids: Vec<(String, &Term)> = unique.into_iter().map(|t| (curie(t), t)).collect();
    ids.sort_by(|a, b| a.0.cmp(&b.0));

    let mut out = sink.open("nodes.tsv")?;
    writeln!(out, "{}", NODE_COLUMNS.join("\t"))?;
    for (id, term) in &ids {
        let iri = match term {
            Term::NamedNode(n) => n.as_str().to_owned(),
            _ => String::new(),
        };
        let row = [
            id.clone(),
            list(categories(&graph, mapping, term)),
            graph
                .text(term, &format!("{RDFS}label"))
                .unwrap_or_default(),
            graph
                .text(term, &format!("{SKOS}definition"))
                .unwrap_or_default(),
            list(graph.texts(term, &format!("{SKOS}altLabel"))),
            list(graph.texts(term, &format!("{ST}xref"))),
            iri,
            KNOWLEDGE_SOURCE.to_owned(),
        ];
        writeln!(out, "{}", row.map(|f| clean(&f)).join("\t"))?;
    }
    finish(out, "nodes.tsv")?;

    let mut out = sink.open("edges.tsv")?;
    writeln!(out, "{}", EDGE_COLUMNS.join("\t"))?;
    for edge in &edges {
        let row = [
            edge.id.clone(),
            curie(edge.subject),
            edge.predicate.clone(),
            curie(edge.object),
            edge.qualified_predicate.clone().unwrap_or_default(),
            edge.direction.clone().unwrap_or_default(),
            edge.species.clone().unwrap_or_default(),
            list(edge.publications.clone()),
            "knowledge_assertion".to_owned(),
            "manual_agent".to_owned(),
            KNOWLEDGE_SOURCE.to_owned(),
        ];
        writeln!(out, "{}", row.map(|f| clean(&f)).join("\t"))?;
    }
    finish(out, "edges.tsv")?;
    Ok(Written {
        files: vec!["nodes.tsv".into(), "edges.tsv".into()],
        triples: quads.len(),
        nodes: Some(ids.len()),
        edges: Some(edges.len()),
    })
}

/// A KGX edge before it is written.
struct Edge<'a> {
    id: String,
    subject: &'a Term,
    predicate: String,
    object: &'a Term,
    qualified_predicate: Option<String>,
    direction: Option<String>,
    species: Option<String>,
    publications: Vec<String>,
}

/// The statements' edges, then the edges of relation triples no statement states, in the
/// graph's order of subjects.
fn edges<'a>(
    graph: &'a Graph<'a>,
    mapping: &Mapping,
    curie: &dyn Fn(&Term) -> String,
) -> Vec<Edge<'a>> {
    let predicate_of = |iri: &str| match mapping.get(iri) {
        Some(target) => (target.curie.clone(), target.direction.clone()),
        None => ("biolink:related_to".to_owned(), None),
    };
    let mut stated: HashSet<(&Term, &str, &Term)> = HashSet::new();
    let mut edges = Vec::new();
    let mut statements: Vec<(String, &Statement<'_>)> = graph
        .statements
        .iter()
        .map(|(node, statement)| (curie(node), statement))
        .collect();
    statements.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, statement) in statements {
        let (Some(subject), Some(Term::NamedNode(relation)), Some(object)) =
            (statement.subject, statement.predicate, statement.object)
        else {
            continue;
        };
        if matches!(object, Term::Literal(_)) || matches!(subject, Term::Literal(_)) {
            continue;
        }
        stated.insert((subject, relation.as_str(), object));
        let (predicate, direction) = predicate_of(relation.as_str());
        let species = match statement.organisms.as_slice() {
            [organism] => Some(
                graph
                    .texts(organism, &format!("{ST}xref"))
                    .into_iter()
                    .find(|x| x.starts_with("NCBITaxon:"))
                    .unwrap_or_else(|| curie(organism)),
            ),
            _ => None,
        };
        let mut publications: Vec<String> = statement.sources.iter().map(|s| curie(s)).collect();
        publications.sort();
        publications.dedup();
        edges.push(Edge {
            id,
            subject,
            qualified_predicate: direction.as_ref().map(|_| "biolink:causes".to_owned()),
            predicate,
            object,
            direction,
            species,
            publications,
        });
    }
    let mut relations: Vec<(String, &(&Term, &str, &Term))> = graph
        .relations
        .iter()
        .map(|r| (format!("{} {} {}", curie(r.0), r.1, curie(r.2)), r))
        .collect();
    relations.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, (subject, predicate, object)) in relations {
        if stated.contains(&(*subject, *predicate, *object))
            || graph.statements.contains_key(*subject)
        {
            continue;
        }
        let (biolink, direction) = predicate_of(predicate);
        let id = format!(
            "{}-{}-{}",
            curie(subject),
            prefixes_free(predicate),
            curie(object)
        );
        edges.push(Edge {
            id,
            subject,
            qualified_predicate: direction.as_ref().map(|_| "biolink:causes".to_owned()),
            predicate: biolink,
            object,
            direction,
            species: None,
            publications: Vec::new(),
        });
    }
    edges
}

fn prefixes_free(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// A node's categories: the mapping of each of its types, or of the type's nearest mapped
/// superclass; `biolink:NamedThing` when none is mapped.
fn categories(graph: &Graph<'_>, mapping: &Mapping, term: &Term) -> Vec<String> {
    let mut found = BTreeSet::new();
    for class in graph.types.get(term).into_iter().flatten() {
        let mut queue = VecDeque::from([(*class, 0usize)]);
        let mut seen = HashSet::from([*class]);
        let mut depth_found = None;
        while let Some((class, depth)) = queue.pop_front() {
            if depth_found.is_some_and(|d| depth > d) {
                break;
            }
            if let Term::NamedNode(iri) = class {
                if let Some(target) = mapping.get(iri.as_str()) {
                    found.insert(target.curie.clone());
                    depth_found = Some(depth);
                    continue;
                }
            }
            for parent in graph.superclasses.get(class).into_iter().flatten() {
                if seen.insert(*parent) {
                    queue.push_back((*parent, depth + 1));
                }
            }
        }
    }
    if found.is_empty() {
        found.insert("biolink:NamedThing".to_owned());
    }
    found.into_iter().collect()
}

/// A KGX list: values joined with `|` (a `|` inside a value becomes `/`).
fn list(values: Vec<String>) -> String {
    values
        .iter()
        .map(|v| v.replace('|', "/"))
        .collect::<Vec<_>>()
        .join("|")
}

/// A TSV field: tabs and line breaks become spaces.
fn clean(field: &str) -> String {
    field.replace(['\t', '\n', '\r'], " ")
}

/// The statement model's parts of a statement node.
#[derive(Default)]
struct Statement<'a> {
    subject: Option<&'a Term>,
    predicate: Option<&'a Term>,
    object: Option<&'a Term>,
    sources: Vec<&'a Term>,
    organisms: Vec<&'a Term>,
}

/// The quads indexed for the export.
struct Graph<'a> {
    subjects: HashSet<&'a Term>,
    types: HashMap<&'a Term, Vec<&'a Term>>,
    superclasses: HashMap<&'a Term, Vec<&'a Term>>,
    literals: HashMap<(&'a Term, &'a str), Vec<&'a oxigraph::model::Literal>>,
    statements: HashMap<&'a Term, Statement<'a>>,
    /// IRI-to-node triples outside the RDF, RDFS, OWL, SKOS, PROV and SHACL vocabularies
    /// (but `rdfs:subClassOf`), in order.
    relations: HashSet<(&'a Term, &'a str, &'a Term)>,
}

impl<'a> Graph<'a> {
    /// Indexes `quads`, whose subjects as terms are `subjects` (in the same order).
    fn index(quads: &'a [Quad], subjects: &'a [Term]) -> Self {
        let mut graph = Graph {
            subjects: HashSet::new(),
            types: HashMap::new(),
            superclasses: HashMap::new(),
            literals: HashMap::new(),
            statements: HashMap::new(),
            relations: HashSet::new(),
        };
        let subclass = format!("{RDFS}subClassOf");
        let vocabularies = [RDF, RDFS, OWL, SKOS, PROV, SH, XSD];
        for (quad, subject) in quads.iter().zip(subjects) {
            graph.subjects.insert(subject);
            let predicate = quad.predicate.as_str();
            let object = &quad.object;
            match (predicate.strip_prefix(RDF), object) {
                (Some("type"), Term::Literal(_)) => {}
                (Some("type"), _) => graph.types.entry(subject).or_default().push(object),
                (Some("subject"), _) => {
                    graph.statements.entry(subject).or_default().subject = Some(object)
                }
                (Some("predicate"), _) => {
                    graph.statements.entry(subject).or_default().predicate = Some(object)
                }
                (Some("object"), _) => {
                    graph.statements.entry(subject).or_default().object = Some(object)
                }
                _ => {}
            }
            if predicate == crate::vocab::PROV_WAS_DERIVED_FROM && !object.is_literal() {
                graph
                    .statements
                    .entry(subject)
                    .or_default()
                    .sources
                    .push(object);
            }
            if predicate == format!("{ST}organism") && !object.is_literal() {
                graph
                    .statements
                    .entry(subject)
                    .or_default()
                    .organisms
                    .push(object);
            }
            match object {
                Term::Literal(literal) => graph
                    .literals
                    .entry((subject, predicate))
                    .or_default()
                    .push(literal),
                _ => {
                    if predicate == subclass {
                        graph.superclasses.entry(subject).or_default().push(object);
                    }
                    if predicate == subclass
                        || !vocabularies.iter().any(|v| predicate.starts_with(v))
                    {
                        graph.relations.insert((subject, predicate, object));
                    }
                }
            }
        }
        // Annotations (st:polarity, st:traversable) describe the ontology; they are not edges.
        let annotation = Term::NamedNode(oxigraph::model::NamedNode::new_unchecked(format!(
            "{OWL}AnnotationProperty"
        )));
        let annotations: HashSet<&str> = graph
            .types
            .iter()
            .filter(|(_, types)| types.iter().any(|t| **t == annotation))
            .filter_map(|(term, _)| match term {
                Term::NamedNode(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        graph.relations.retain(|(_, p, _)| !annotations.contains(p));
        // Only nodes with the three parts of the statement model are statements.
        graph
            .statements
            .retain(|_, s| s.subject.is_some() && s.predicate.is_some() && s.object.is_some());
        graph
    }

    /// The values of a literal property, English or untagged first, then by value.
    fn texts(&self, term: &Term, predicate: &str) -> Vec<String> {
        let Some(literals) = self.literals.get(&(term, predicate)) else {
            return Vec::new();
        };
        let mut sorted: Vec<_> = literals
            .iter()
            .map(|l| {
                let rank = match l.language() {
                    None => 0,
                    Some(tag) if tag == "en" || tag.starts_with("en-") => 0,
                    Some(_) => 1,
                };
                (rank, l.value().to_owned())
            })
            .collect();
        sorted.sort();
        sorted.dedup();
        sorted.into_iter().map(|(_, v)| v).collect()
    }

    fn text(&self, term: &Term, predicate: &str) -> Option<String> {
        self.texts(term, predicate).into_iter().next()
    }
}
