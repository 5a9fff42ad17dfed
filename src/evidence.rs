//! Evidence: the statement nodes behind relations and the studies they cite, read from the
//! graph in one place and reported in one shape.
//!
//! [`read`] reads statements — every one in the graph (for the trace projection) or those that
//! mention one entity (for its card) — with their triple, qualifiers, studies and the labels
//! of everything they name, in one query whatever their number. [`Evidence`] and [`Citation`]
//! are the one evidence type and the one citation type of every report (cards, traces,
//! diagrams).

use crate::error::Result;
use crate::store::{Db, Table};
use crate::table::display_term;
use crate::vocab::{Prefixes, DCTERMS, PROV, PROV_WAS_DERIVED_FROM, RDF, RDFS, ST};
use oxigraph::model::Term;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A resource with its IRI, short id (CURIE) and label.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Resource {
    pub iri: String,
    pub id: String,
    pub label: String,
}

/// A study as cited: its reference number in the review, first author, year and IRI.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Citation {
    pub number: Option<u32>,
    pub first_author: Option<String>,
    pub year: Option<i32>,
    pub iri: String,
    /// The study's title (dcterms:title), when the graph records one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Citation {
    /// How a study is cited in Stroma's output: "111; Yang H 2019" with its reference number
    /// in the review, else "Liu TM 2021" (the review itself, or a source of the user's own).
    pub fn text(&self) -> String {
        let author = self.first_author.as_deref().unwrap_or("");
        let year = self.year.map(|y| format!(" {y}")).unwrap_or_default();
        match self.number {
            Some(number) => format!("{number}; {author}{year}"),
            None => format!("{author}{year}"),
        }
    }
}

/// "111; Yang H 2019 | 64; Liu X 2017": distinct citations, sorted.
pub fn citations<'a>(studies: impl IntoIterator<Item = &'a Citation>) -> String {
    let mut all: Vec<&Citation> = studies.into_iter().collect();
    all.sort();
    all.dedup();
    all.iter().map(|c| c.text()).collect::<Vec<_>>().join(" | ")
}

/// One statement behind a relation: its id, its studies, the qualifiers a trace filters on
/// and, on cards, every qualifier and the statement's comment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub statement: String,
    pub studies: Vec<Citation>,
    pub organisms: Vec<String>,
    pub products: Vec<String>,
    pub cell_types: Vec<String>,
    pub disease_models: Vec<String>,
    /// Every qualifier as (qualifier label, value), in the order of their IRIs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<(String, String)>,
    /// On trace hops: the comparison the statement states (cards list it among the qualifiers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A comparison: how the subject fared ("lower", "higher", …) against the comparators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub outcome: String,
    pub compared_with: Vec<String>,
}

impl Comparison {
    /// "lower than bone marrow MSC", "similar to …", "superior to …".
    pub fn text(&self) -> String {
        let against = if self.compared_with.is_empty() {
            String::from("the comparator")
        } else {
            self.compared_with.join(", ")
        };
        let link = match self.outcome.as_str() {
            "higher" | "lower" => "than",
            _ => "to",
        };
        format!("{} {link} {against}", self.outcome)
    }
}

/// A study's record as the statements cite it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudyRecord {
    pub number: Option<u32>,
    pub first_author: Option<String>,
    pub year: Option<i32>,
    pub title: Option<String>,
}

/// One statement node as read: what it states and its (qualifier, value) pairs (everything
/// but rdf:subject/predicate/object/type, in the order of their IRIs and values).
#[derive(Debug, Clone)]
pub struct Stated {
    pub node: Term,
    pub subject: Term,
    pub predicate: Term,
    pub object: Term,
    pub values: Vec<(Term, Term)>,
}

/// Which statements to read.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every statement in the graph, with the qualifiers a trace filters on (organism, product,
    /// cell type, disease model, part of the review, source) and no labels: what the projection
    /// needs.
    All,
    /// The statements that mention `term` (as subject, object, qualifier value or source),
    /// and `term` itself when it is a statement.
    About(&'a Term),
    /// The statements of these (subject, predicate, object) triples, read as [`Scope::All`]
    /// reads them: a remote trace's evidence for the hops it may report.
    Triples(&'a [[Term; 3]]),
    /// These statement nodes, read as [`Scope::About`] reads them (every qualifier, with
    /// labels): the evidence a shareable diagram shows in full.
    Statements(&'a [Term]),
}

/// Statements with the labels, studies and polarities of what they name.
#[derive(Debug, Default)]
pub struct Statements {
    pub statements: Vec<Stated>,
    /// rdfs:label of each term named by a statement (first seen).
    pub labels: HashMap<Term, String>,
    pub studies: HashMap<Term, StudyRecord>,
    /// The label of each predicate's st:polarity (positive, negative, neutral).
    pub polarity: HashMap<Term, String>,
}

/// How many nodes one request asks the statements of.
const NODES_PER_REQUEST: usize = 250;

/// Reads the statements of `scope` with one query through the seam (for triples: one query per
/// 250 of their ends).
pub fn read(db: &Db, scope: Scope<'_>) -> Result<Statements> {
    // The statements of the scope. A bound ?this is seen by the triple patterns of each group,
    // so the statement itself is matched through one of its own triples.
    let (head, bindings): (&str, Vec<(&str, &Term)>) = match scope {
        Scope::All | Scope::Triples(_) | Scope::Statements(_) => ("", Vec::new()),
        Scope::About(term) => (
            "{ ?st ?link ?this FILTER(?link != rdf:predicate) }
             UNION { ?this rdf:subject ?itself BIND(?this AS ?st) }",
            vec![("this", term)],
        ),
    };
    let this = if bindings.is_empty() { "" } else { " ?this" };
    // A card shows labels and polarities; the projection reads those on its own.
    let label = |term: &str, var: &str| match scope {
        Scope::All | Scope::Triples(_) => String::new(),
        Scope::About(_) | Scope::Statements(_) => {
            format!("OPTIONAL {{ {term} <{RDFS}label> {var} }}")
        }
    };
    let polarity = match scope {
        Scope::All | Scope::Triples(_) => String::new(),
        Scope::About(_) | Scope::Statements(_) => {
            format!("OPTIONAL {{ ?p <{ST}polarity> ?polarity . ?polarity <{RDFS}label> ?pol }}")
        }
    };
    // A card shows every qualifier; the projection needs only those a trace filters on or shows.
    let qualifiers = match scope {
        Scope::All | Scope::Triples(_) => format!(
            "FILTER(isIRI(?v) && ?q IN (<{ST}organism>, <{ST}product>, <{ST}cellType>, <{ST}diseaseModel>, <{ST}reportedIn>, <{ST}comparedWith>, <{ST}comparison>, <{PROV}wasDerivedFrom>))"
        ),
        Scope::About(_) | Scope::Statements(_) => format!(
            "FILTER(?q NOT IN (<{RDF}subject>, <{RDF}predicate>, <{RDF}object>, <{RDF}type>))"
        ),
    };
    let sparql = format!(
        "SELECT ?st ?s ?p ?o ?q ?v ?sl ?pl ?ol ?ql ?vl ?pol ?n ?a ?y ?t{this} WHERE {{
           {head}
           ?st <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o .
           OPTIONAL {{
             ?st ?q ?v {qualifiers}
             {} {}
             OPTIONAL {{ ?v <{ST}referenceNumber> ?n }}
             OPTIONAL {{ ?v <{ST}firstAuthor> ?a }}
             OPTIONAL {{ ?v <{ST}year> ?y }}
             OPTIONAL {{ ?v <{DCTERMS}title> ?t }}
           }}
           {} {} {} {polarity}
         }}",
        label("?q", "?ql"),
        label("?v", "?vl"),
        label("?s", "?sl"),
        label("?p", "?pl"),
        label("?o", "?ol"),
    );
    let mut read = Statements::default();
    let mut index: HashMap<Term, usize> = HashMap::new();
    let rows = match scope {
        // The statements about each triple's less connected end, kept for the triples asked
        // about: engines look one bound node up in an index, where a table of whole triples
        // may make them scan every statement (Oxigraph does), and a hub's every statement
        // would be read for nothing.
        Scope::Triples(triples) => {
            let wanted: HashSet<(&Term, &Term, &Term)> =
                triples.iter().map(|[s, p, o]| (s, p, o)).collect();
            let mut uses: HashMap<&Term, usize> = HashMap::new();
            for [s, _, o] in triples {
                *uses.entry(s).or_default() += 1;
                *uses.entry(o).or_default() += 1;
            }
            let (mut subjects, mut objects): (Vec<&Term>, Vec<&Term>) = (Vec::new(), Vec::new());
            for [s, _, o] in triples {
                if uses[s] <= uses[o] {
                    subjects.push(s);
                } else {
                    objects.push(o);
                }
            }
            let mut rows = Vec::new();
            for (variable, mut nodes) in [("s", subjects), ("o", objects)] {
                nodes.sort_unstable_by_key(|n| n.to_string());
                nodes.dedup();
                for batch in nodes.chunks(NODES_PER_REQUEST) {
                    let table = Table::column(variable, batch.iter().map(|n| (*n).clone()));
                    rows.extend(db.select_values(&sparql, &[table])?.into_iter().filter(
                        |row| match (&row[1], &row[2], &row[3]) {
                            (Some(s), Some(p), Some(o)) => wanted.contains(&(s, p, o)),
                            _ => false,
                        },
                    ));
                }
            }
            rows
        }
        // The entity as a one-row table joined into the query rather than a substituted
        // variable: Oxigraph then starts from it (a substituted ?this made it read every
        // statement of a million-triple store first: 2.7 s for a card, now milliseconds).
        Scope::About(_) => db.select_values(&sparql, &[Table::row(&bindings)])?,
        Scope::Statements(nodes) => {
            let mut rows = Vec::new();
            for batch in nodes.chunks(NODES_PER_REQUEST) {
                let table = Table::column("st", batch.iter().cloned());
                rows.extend(db.select_values(&sparql, &[table])?);
            }
            rows
        }
        Scope::All => db.select(&sparql, &[])?,
    };
    for row in rows {
        let (Some(st), Some(s), Some(p), Some(o)) = (&row[0], &row[1], &row[2], &row[3]) else {
            continue;
        };
        for (term, label) in [(s, &row[6]), (p, &row[7]), (o, &row[8])] {
            read.label(term, label);
        }
        if let Some(Term::Literal(polarity)) = &row[11] {
            read.polarity
                .entry(p.clone())
                .or_insert_with(|| polarity.value().to_owned());
        }
        let at = *index.entry(st.clone()).or_insert_with(|| {
            read.statements.push(Stated {
                node: st.clone(),
                subject: s.clone(),
                predicate: p.clone(),
                object: o.clone(),
                values: Vec::new(),
            });
            read.statements.len() - 1
        });
        let (Some(q), Some(v)) = (&row[4], &row[5]) else {
            continue;
        };
        read.label(q, &row[9]);
        read.label(v, &row[10]);
        let values = &mut read.statements[at].values;
        if !values.iter().any(|(a, b)| a == q && b == v) {
            values.push((q.clone(), v.clone()));
        }
        if is_iri(q, PROV_WAS_DERIVED_FROM) {
            let literal = |t: &Option<Term>| match t {
                Some(Term::Literal(l)) => Some(l.value().to_owned()),
                _ => None,
            };
            read.studies.entry(v.clone()).or_insert(StudyRecord {
                number: literal(&row[12]).and_then(|n| n.parse().ok()),
                first_author: literal(&row[13]),
                year: literal(&row[14]).and_then(|y| y.parse().ok()),
                title: literal(&row[15]),
            });
        }
    }
    for stated in &mut read.statements {
        stated
            .values
            .sort_by_cached_key(|(q, v)| (q.to_string(), v.to_string()));
    }
    Ok(read)
}

impl Statements {
    /// Records a term's label; of several, the first in code-point order (not the first row).
    fn label(&mut self, term: &Term, label: &Option<Term>) {
        if let Some(Term::Literal(l)) = label {
            self.labels
                .entry(term.clone())
                .and_modify(|old| {
                    if l.value() < old.as_str() {
                        l.value().clone_into(old);
                    }
                })
                .or_insert_with(|| l.value().to_owned());
        }
    }

    /// The term as a [`Resource`]: its IRI, CURIE and label (its id when it has none).
    pub fn resource(&self, term: &Term, prefixes: &Prefixes) -> Resource {
        resource(term, self.labels.get(term).map(String::as_str), prefixes)
    }

    /// How a study is cited: its record, and its label when it names no first author.
    pub fn citation(&self, study: &Term, prefixes: &Prefixes) -> Citation {
        let record = self.studies.get(study).cloned().unwrap_or_default();
        Citation {
            number: record.number,
            first_author: record
                .first_author
                .or_else(|| Some(self.resource(study, prefixes).label)),
            year: record.year,
            iri: term_iri(study),
            title: record.title,
        }
    }

    /// The evidence one statement gives.
    pub fn evidence(&self, stated: &Stated, prefixes: &Prefixes) -> Evidence {
        let mut evidence = Evidence {
            statement: display_term(&stated.node, prefixes),
            studies: Vec::new(),
            organisms: Vec::new(),
            products: Vec::new(),
            cell_types: Vec::new(),
            disease_models: Vec::new(),
            qualifiers: Vec::new(),
            comparison: None,
            comment: None,
        };
        for (q, v) in &stated.values {
            let Term::NamedNode(property) = q else {
                continue;
            };
            let property = property.as_str();
            if property == PROV_WAS_DERIVED_FROM {
                evidence.studies.push(self.citation(v, prefixes));
                continue;
            }
            if property.strip_prefix(RDFS) == Some("comment") {
                evidence.comment = Some(display_term(v, prefixes));
                continue;
            }
            if property.starts_with(RDF) {
                continue;
            }
            let value = match v {
                Term::Literal(_) => display_term(v, prefixes),
                _ => self.resource(v, prefixes).label,
            };
            let typed = match property.strip_prefix(ST) {
                Some("organism") => Some(&mut evidence.organisms),
                Some("product") => Some(&mut evidence.products),
                Some("cellType") => Some(&mut evidence.cell_types),
                Some("diseaseModel") => Some(&mut evidence.disease_models),
                _ => None,
            };
            if let Some(list) = typed {
                list.push(value.clone());
            }
            evidence
                .qualifiers
                .push((self.resource(q, prefixes).label, value));
        }
        evidence.studies.sort();
        evidence
    }
}

impl Resource {
    /// An IRI with its CURIE (`<iri>` when no prefix fits) and its label (the id when None).
    pub fn named(iri: &str, label: Option<&str>, prefixes: &Prefixes) -> Self {
        let id = prefixes.curie(iri);
        Self {
            iri: iri.to_owned(),
            label: label.map_or_else(|| id.clone(), str::to_owned),
            id,
        }
    }
}

/// A term as a [`Resource`] with the label given (its id when None).
pub fn resource(term: &Term, label: Option<&str>, prefixes: &Prefixes) -> Resource {
    if let Term::NamedNode(node) = term {
        return Resource::named(node.as_str(), label, prefixes);
    }
    let id = display_term(term, prefixes);
    Resource {
        iri: term_iri(term),
        label: label.map_or_else(|| id.clone(), str::to_owned),
        id,
    }
}

/// True when `term` is the IRI `iri`.
pub fn is_iri(term: &Term, iri: &str) -> bool {
    matches!(term, Term::NamedNode(n) if n.as_str() == iri)
}

/// The IRI of a named node, or the N-Triples form of any other term.
pub fn term_iri(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    }
}
