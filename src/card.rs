//! Entity cards for `stroma show`: what an entity is (types, labels, synonyms,
//! cross-references), every relation in and out with its direction, and the evidence behind each
//! relation (statement qualifiers, study number, first author, year). A statement node's card
//! says what it states; an organism's, disease model's or product's card lists the statements
//! that use it; a study's, the statements derived from it. Works on any RDF; on Stroma's graph
//! it adds the evidence.
//!
//! A card costs four queries through the seam whatever the entity's degree: its own triples,
//! its relations out, its relations in (each with labels and polarity), and every statement
//! that mentions it ([`evidence::read`]). Terms reach the queries as bound variables, never as
//! query text: a blank node written into SPARQL would be a fresh variable matching everything.

use crate::error::Result;
use crate::evidence::{self, is_iri, Citation, Evidence, Resource, Scope, Stated, Statements};
use crate::store::Db;
use crate::table::display_term;
use crate::vocab::{Prefixes, PROV, PROV_WAS_DERIVED_FROM, RDF, RDFS, SKOS, ST};
use oxigraph::model::{NamedNode, Term};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Everything `show` prints about one entity.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub iri: String,
    pub id: String,
    pub label: String,
    pub types: Vec<String>,
    pub synonyms: Vec<String>,
    pub definition: Option<String>,
    pub cross_references: Vec<String>,
    /// Other literal properties: (property, value).
    pub properties: Vec<(String, String)>,
    /// For a statement node: what it states, with its qualifiers, comment and studies.
    pub statement: Option<Relation>,
    pub outgoing: Vec<Relation>,
    pub incoming: Vec<Relation>,
    /// The statements that use the entity as a qualifier value.
    pub used_by: Vec<Use>,
    /// For a study: the statements derived from it.
    pub supports: Vec<Relation>,
}

/// One relation of the entity, seen from the entity.
#[derive(Debug, Clone, Serialize)]
pub struct Relation {
    pub subject: Resource,
    pub predicate: Resource,
    pub object: Resource,
    /// positive, negative or neutral, from the ontology's st:polarity.
    pub polarity: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// A statement that uses the entity as the value of one of its qualifiers.
#[derive(Debug, Clone, Serialize)]
pub struct Use {
    /// The qualifier (organism, disease model, product, intervention…).
    pub qualifier: Resource,
    /// What the statement states, with its evidence.
    pub relation: Relation,
}

/// Builds the card of `iri`.
pub fn card(db: &Db, iri: &NamedNode) -> Result<Card> {
    let prefixes = db.prefixes();
    let this = Term::NamedNode(iri.clone());
    let mut names = Names::new(prefixes);
    let mut card = Card {
        iri: iri.as_str().to_owned(),
        id: display_term(&this, prefixes),
        label: String::new(),
        types: Vec::new(),
        synonyms: Vec::new(),
        definition: None,
        cross_references: Vec::new(),
        properties: Vec::new(),
        statement: None,
        outgoing: Vec::new(),
        incoming: Vec::new(),
        used_by: Vec::new(),
        supports: Vec::new(),
    };
    let own = db.select(
        &format!(
            "SELECT ?p ?o ?pl ?ol ?this WHERE {{ ?this ?p ?o
               OPTIONAL {{ ?p <{RDFS}label> ?pl }} OPTIONAL {{ ?o <{RDFS}label> ?ol }} }}"
        ),
        &[("this", &this)],
    )?;
    let mut comment = None;
    let mut seen = std::collections::HashSet::new();
    for row in own {
        let (Some(Term::NamedNode(p)), Some(o)) = (&row[0], &row[1]) else {
            continue;
        };
        let p_term = Term::NamedNode(p.clone());
        names.learn(&p_term, &row[2]);
        names.learn(o, &row[3]);
        if !seen.insert((p.clone(), o.clone())) {
            continue; // the same triple again, for another label
        }
        let value = display_term(o, prefixes);
        let iri = p.as_str();
        match iri.strip_prefix(RDF) {
            Some("type") => card.types.push(names.get(o).label),
            Some("subject" | "predicate" | "object") => {}
            _ if iri == format!("{RDFS}label") => card.label = value,
            _ if iri == format!("{RDFS}comment") => comment = Some(value),
            _ if iri == format!("{SKOS}altLabel") => card.synonyms.push(value),
            _ if iri == format!("{SKOS}definition") => card.definition = Some(value),
            _ if iri == format!("{ST}xref") => card.cross_references.push(value),
            _ if matches!(o, Term::Literal(_)) => {
                card.properties.push((names.get(&p_term).label, value))
            }
            _ => {}
        }
    }
    if card.label.is_empty() {
        card.label = card.id.clone();
    }
    card.types.sort();
    card.synonyms.sort();
    let statements = evidence::read(db, Scope::About(&this))?;
    names.absorb(&statements);
    let by_triple = behind(&statements);
    if let Some(stated) = statements.statements.iter().find(|s| s.node == this) {
        // A statement node: what it states, with its qualifiers, comment and studies. Its
        // qualifiers are its outgoing relations and literal properties, so they are not listed
        // again.
        card.properties.clear();
        card.statement = Some(names.stated(&statements, stated));
    } else {
        if let Some(comment) = comment {
            card.properties.push(("comment".to_owned(), comment));
        }
        card.outgoing = relations(db, &mut names, &statements, &by_triple, &this, End::Subject)?;
    }
    card.properties = tidy(std::mem::take(&mut card.properties));
    card.incoming = relations(db, &mut names, &statements, &by_triple, &this, End::Object)?;
    card.used_by = used_by(&names, &statements, &this);
    card.supports = supported(&names, &statements, &this);
    Ok(card)
}

/// One line per property (repeated values joined), bibliographic fields first, and the
/// unordered dcterms:creator values dropped when the ordered author list is there.
fn tidy(properties: Vec<(String, String)>) -> Vec<(String, String)> {
    const FIRST: &[&str] = &[
        "dcterms:title",
        "authors",
        "first author",
        "journal",
        "year",
    ];
    let mut grouped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (property, value) in properties {
        grouped.entry(property).or_default().push(value);
    }
    if grouped.contains_key("authors") {
        grouped.remove("dcterms:creator");
    }
    let mut lines: Vec<(String, String)> = grouped
        .into_iter()
        .map(|(property, mut values)| {
            values.sort();
            (property, values.join("; "))
        })
        .collect();
    lines.sort_by_key(|(property, _)| {
        FIRST
            .iter()
            .position(|f| f == property)
            .unwrap_or(FIRST.len())
    });
    lines
}

/// The statements behind each (subject, predicate, object), in statement order.
type Behind<'a> = HashMap<(&'a Term, &'a Term, &'a Term), Vec<&'a Stated>>;

fn behind(statements: &Statements) -> Behind<'_> {
    let mut behind: Behind<'_> = HashMap::new();
    for stated in &statements.statements {
        behind
            .entry((&stated.subject, &stated.predicate, &stated.object))
            .or_default()
            .push(stated);
    }
    for list in behind.values_mut() {
        list.sort_by_cached_key(|st| st.node.to_string());
    }
    behind
}

/// Which end of a relation the entity is.
#[derive(Clone, Copy)]
enum End {
    Subject,
    Object,
}

/// The entity's relations to other IRIs in one direction (one query), with the evidence
/// behind each from the statements already read. Statement nodes pointing at the entity are
/// not relations: [`used_by`] lists them.
fn relations(
    db: &Db,
    names: &mut Names<'_>,
    statements: &Statements,
    behind: &Behind<'_>,
    this: &Term,
    end: End,
) -> Result<Vec<Relation>> {
    let (s, o) = match end {
        End::Subject => ("?this", "?other"),
        End::Object => ("?other", "?this"),
    };
    let sparql = format!(
        "SELECT ?p ?other ?pl ?ol ?pol ?this WHERE {{
           {s} ?p {o} FILTER(isIRI(?other))
           FILTER(?p NOT IN (<{RDF}type>, <{RDF}subject>, <{RDF}object>, <{RDF}predicate>, <{PROV}wasDerivedFrom>))
           FILTER NOT EXISTS {{ ?other <{RDF}subject> ?stated }}
           OPTIONAL {{ ?p <{RDFS}label> ?pl }}
           OPTIONAL {{ ?other <{RDFS}label> ?ol }}
           OPTIONAL {{ ?p <{ST}polarity> ?polarity . ?polarity <{RDFS}label> ?pol }}
         }}"
    );
    let mut grouped: BTreeMap<(String, String), (Term, Term, Option<String>)> = BTreeMap::new();
    for row in db.select(&sparql, &[("this", this)])? {
        let (Some(p), Some(other)) = (&row[0], &row[1]) else {
            continue;
        };
        names.learn(p, &row[2]);
        names.learn(other, &row[3]);
        let polarity = match &row[4] {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            _ => None,
        };
        let entry = grouped
            .entry((p.to_string(), other.to_string()))
            .or_insert_with(|| (p.clone(), other.clone(), None));
        if entry.2.is_none() {
            entry.2 = polarity;
        }
    }
    let mut out = Vec::new();
    for (_, (p, other, polarity)) in grouped {
        let (subject, object) = match end {
            End::Subject => (this, &other),
            End::Object => (&other, this),
        };
        let behind = behind
            .get(&(subject, &p, object))
            .map_or(&[][..], Vec::as_slice);
        out.push(Relation {
            subject: names.get(subject),
            predicate: names.get(&p),
            object: names.get(object),
            polarity,
            evidence: behind
                .iter()
                .map(|st| statements.evidence(st, names.prefixes))
                .collect(),
        });
    }
    out.sort_by(|a, b| {
        (&a.predicate.label, &a.object.label, &a.subject.label).cmp(&(
            &b.predicate.label,
            &b.object.label,
            &b.subject.label,
        ))
    });
    Ok(out)
}

/// The statements that use the entity as a qualifier value (an organism, disease model,
/// product, intervention…), each with what it states and its evidence. Being a statement's
/// source is not a qualifier: [`supported`] lists those.
fn used_by(names: &Names<'_>, statements: &Statements, this: &Term) -> Vec<Use> {
    let mut out = Vec::new();
    for stated in &statements.statements {
        for (q, v) in &stated.values {
            if v == this && !is_iri(q, PROV_WAS_DERIVED_FROM) {
                out.push(Use {
                    qualifier: names.get(q),
                    relation: names.stated(statements, stated),
                });
            }
        }
    }
    out.sort_by_cached_key(|u| {
        (
            u.qualifier.label.clone(),
            u.relation.subject.label.clone(),
            u.relation.predicate.label.clone(),
            u.relation.object.label.clone(),
            u.relation.evidence.first().map(|e| e.statement.clone()),
        )
    });
    out
}

/// For a study: the relations whose statements it supports, in the order of the statements.
fn supported(names: &Names<'_>, statements: &Statements, this: &Term) -> Vec<Relation> {
    let mut supported: Vec<&Stated> = statements
        .statements
        .iter()
        .filter(|st| {
            st.values
                .iter()
                .any(|(q, v)| v == this && is_iri(q, PROV_WAS_DERIVED_FROM))
        })
        .collect();
    supported.sort_by_cached_key(|st| st.node.to_string());
    supported
        .into_iter()
        .map(|st| names.stated(statements, st))
        .collect()
}

/// Labels learned from the card's queries.
struct Names<'a> {
    prefixes: &'a Prefixes,
    labels: HashMap<Term, String>,
}

impl<'a> Names<'a> {
    fn new(prefixes: &'a Prefixes) -> Self {
        Self {
            prefixes,
            labels: HashMap::new(),
        }
    }

    /// Remembers the first label a query gave for `term`.
    fn learn(&mut self, term: &Term, label: &Option<Term>) {
        if let Some(Term::Literal(l)) = label {
            self.labels
                .entry(term.clone())
                .or_insert_with(|| l.value().to_owned());
        }
    }

    fn absorb(&mut self, statements: &Statements) {
        for (term, label) in &statements.labels {
            self.labels
                .entry(term.clone())
                .or_insert_with(|| label.clone());
        }
    }

    fn get(&self, term: &Term) -> Resource {
        evidence::resource(
            term,
            self.labels.get(term).map(String::as_str),
            self.prefixes,
        )
    }

    /// What one statement node states, with its evidence.
    fn stated(&self, statements: &Statements, stated: &Stated) -> Relation {
        Relation {
            subject: self.get(&stated.subject),
            predicate: self.get(&stated.predicate),
            object: self.get(&stated.object),
            polarity: statements.polarity.get(&stated.predicate).cloned(),
            evidence: vec![statements.evidence(stated, self.prefixes)],
        }
    }
}

/// The card as text for a terminal.
pub fn render_text(card: &Card) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", card.id, card.label);
    if !card.types.is_empty() {
        let _ = writeln!(out, "type: {}", card.types.join(", "));
    }
    if !card.synonyms.is_empty() {
        let _ = writeln!(out, "synonyms: {}", card.synonyms.join("; "));
    }
    if let Some(definition) = &card.definition {
        let _ = writeln!(out, "definition: {definition}");
    }
    if !card.cross_references.is_empty() {
        let _ = writeln!(
            out,
            "cross-references: {}",
            card.cross_references.join(", ")
        );
    }
    for (property, value) in &card.properties {
        let _ = writeln!(out, "{property}: {value}");
    }
    if let Some(statement) = &card.statement {
        section(&mut out, "states", std::slice::from_ref(statement), |r| {
            format!(
                "{} [{}] —{}→ {} [{}]",
                r.subject.label, r.subject.id, r.predicate.label, r.object.label, r.object.id
            )
        });
    }
    section(&mut out, "relations out", &card.outgoing, |r| {
        format!(
            "—{}→ {} [{}]",
            r.predicate.label, r.object.label, r.object.id
        )
    });
    section(&mut out, "relations in", &card.incoming, |r| {
        format!(
            "{} [{}] —{}→",
            r.subject.label, r.subject.id, r.predicate.label
        )
    });
    if !card.used_by.is_empty() {
        let _ = writeln!(
            out,
            "\nstatements that name it as a qualifier ({}):",
            card.used_by.len()
        );
        for used in &card.used_by {
            let r = &used.relation;
            let head = format!(
                "as {}: {} —{}→ {}",
                used.qualifier.label, r.subject.label, r.predicate.label, r.object.label
            );
            write_relation(&mut out, r, &head);
        }
    }
    section(
        &mut out,
        "statements derived from this source",
        &card.supports,
        |r| {
            format!(
                "{} —{}→ {}",
                r.subject.label, r.predicate.label, r.object.label
            )
        },
    );
    out
}

fn section(
    out: &mut String,
    title: &str,
    relations: &[Relation],
    head: impl Fn(&Relation) -> String,
) {
    use std::fmt::Write as _;
    if relations.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({}):", relations.len());
    for relation in relations {
        write_relation(out, relation, &head(relation));
    }
}

/// One relation: its head line with polarity, then one line per statement behind it.
fn write_relation(out: &mut String, relation: &Relation, head: &str) {
    use std::fmt::Write as _;
    let polarity = relation
        .polarity
        .as_deref()
        .filter(|p| *p != "neutral")
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    let _ = writeln!(out, "  {head}{polarity}");
    for evidence in &relation.evidence {
        let qualifiers: Vec<String> = evidence
            .qualifiers
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        let refs: Vec<String> = evidence.studies.iter().map(Citation::text).collect();
        let _ = writeln!(
            out,
            "      [refs {}]  {}  ({})",
            refs.join(" | "),
            qualifiers.join("; "),
            evidence.statement
        );
        if let Some(comment) = &evidence.comment {
            let _ = writeln!(out, "      “{comment}”");
        }
    }
}
