//! Entity cards for `stroma show`: what an entity is (types, labels, synonyms,
//! cross-references), every relation in and out with its direction, and the evidence behind each
//! relation (statement qualifiers, study number, first author, year). A statement node's card
//! says what it states; an organism's, disease model's or product's card lists the statements
//! that use it. Works on any RDF; on Stroma's graph it adds the evidence.
//!
//! Terms reach the queries as bound variables ([`query::select_bound`]), never as query text: a
//! blank node written into SPARQL would be a fresh variable matching everything.

use crate::error::Result;
use crate::query;
use crate::table::display_term;
use crate::vocab::{Prefixes, PROV, RDF, RDFS, SKOS, ST};
use oxigraph::model::{NamedNode, Term};
use oxigraph::store::Store;
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
    pub subject: Named,
    pub predicate: Named,
    pub object: Named,
    /// positive, negative or neutral, from the ontology's st:polarity.
    pub polarity: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// A statement that uses the entity as the value of one of its qualifiers.
#[derive(Debug, Clone, Serialize)]
pub struct Use {
    /// The qualifier (organism, disease model, product, intervention…).
    pub qualifier: Named,
    /// What the statement states, with its evidence.
    pub relation: Relation,
}

/// A term with its short id and human label (the same shape trace reports use).
pub type Named = crate::report::Resource;

/// One statement behind a relation.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub statement: String,
    pub qualifiers: Vec<(String, String)>,
    pub comment: Option<String>,
    pub studies: Vec<StudyRef>,
}

/// A study as cited: number, first author, year.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct StudyRef {
    pub number: Option<i64>,
    pub first_author: String,
    pub year: Option<i64>,
    pub id: String,
}

impl StudyRef {
    /// "111; Yang H 2019", or "Liu TM 2021" for a source without a reference number.
    pub fn citation(&self) -> String {
        crate::report::cite(
            self.number,
            &self.first_author,
            self.year.and_then(|y| i32::try_from(y).ok()),
        )
    }
}

/// Builds the card of `iri`.
pub fn card(store: &Store, prefixes: &Prefixes, iri: &NamedNode) -> Result<Card> {
    let this = Term::NamedNode(iri.clone());
    let mut labels = Labels::new(store, prefixes);
    let mut card = Card {
        iri: iri.as_str().to_owned(),
        id: labels.id(&this),
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
    let (mut subject, mut predicate, mut object, mut comment) = (None, None, None, None);
    for row in query::select_bound(
        store,
        prefixes,
        "SELECT ?p ?o ?this WHERE { ?this ?p ?o }",
        &[("this", &this)],
    )? {
        let (Some(Term::NamedNode(p)), Some(o)) = (&row[0], &row[1]) else {
            continue;
        };
        let value = display_term(o, prefixes);
        let iri = p.as_str();
        match iri.strip_prefix(RDF) {
            Some("type") => card.types.push(labels.named(o)?.label),
            Some("subject") => subject = Some(o.clone()),
            Some("predicate") => predicate = Some(o.clone()),
            Some("object") => object = Some(o.clone()),
            _ if iri == format!("{RDFS}label") => card.label = value,
            _ if iri == format!("{RDFS}comment") => comment = Some(value),
            _ if iri == format!("{SKOS}altLabel") => card.synonyms.push(value),
            _ if iri == format!("{SKOS}definition") => card.definition = Some(value),
            _ if iri == format!("{ST}xref") => card.cross_references.push(value),
            _ if matches!(o, Term::Literal(_)) => card
                .properties
                .push((labels.named(&Term::NamedNode(p.clone()))?.label, value)),
            _ => {}
        }
    }
    if card.label.is_empty() {
        card.label = card.id.clone();
    }
    card.types.sort();
    card.synonyms.sort();
    if let (Some(subject), Some(predicate), Some(object)) = (subject, predicate, object) {
        // A statement node: what it states, with its qualifiers, comment and studies. Its
        // qualifiers are its outgoing relations and literal properties, so they are not listed
        // again.
        card.properties.clear();
        card.statement = Some(stated(
            store,
            prefixes,
            &mut labels,
            &this,
            [&subject, &predicate, &object],
        )?);
    } else {
        if let Some(comment) = comment {
            card.properties.push(("comment".to_owned(), comment));
        }
        card.outgoing = relations(store, prefixes, &mut labels, &this, End::Subject)?;
    }
    card.properties = tidy(std::mem::take(&mut card.properties));
    card.incoming = relations(store, prefixes, &mut labels, &this, End::Object)?;
    card.used_by = used_by(store, prefixes, &mut labels, &this)?;
    card.supports = supported(store, prefixes, &mut labels, &this)?;
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

/// Which end of a relation the entity is.
#[derive(Clone, Copy)]
enum End {
    Subject,
    Object,
}

/// The entity's relations to other IRIs in one direction, with the evidence behind each.
/// Statement nodes pointing at the entity are not relations: [`used_by`] lists them.
fn relations(
    store: &Store,
    prefixes: &Prefixes,
    labels: &mut Labels<'_>,
    this: &Term,
    end: End,
) -> Result<Vec<Relation>> {
    let (s, o) = match end {
        End::Subject => ("?this", "?other"),
        End::Object => ("?other", "?this"),
    };
    let sparql = format!(
        "SELECT ?p ?other ?statement ?this WHERE {{
           {s} ?p {o} FILTER(isIRI(?other))
           FILTER(?p NOT IN (<{RDF}type>, <{RDF}subject>, <{RDF}object>, <{RDF}predicate>, <{PROV}wasDerivedFrom>))
           FILTER NOT EXISTS {{ ?other <{RDF}subject> ?stated }}
           OPTIONAL {{ ?statement <{RDF}subject> {s} ; <{RDF}predicate> ?p ; <{RDF}object> {o} }}
         }}"
    );
    let mut grouped: BTreeMap<(String, String), (Term, Term, Vec<Term>)> = BTreeMap::new();
    for row in query::select_bound(store, prefixes, &sparql, &[("this", this)])? {
        let (Some(p), Some(other)) = (&row[0], &row[1]) else {
            continue;
        };
        let entry = grouped
            .entry((p.to_string(), other.to_string()))
            .or_insert_with(|| (p.clone(), other.clone(), Vec::new()));
        if let Some(statement) = &row[2] {
            entry.2.push(statement.clone());
        }
    }
    let mut out = Vec::new();
    for (_, (p, other, statements)) in grouped {
        let mut evidence = Vec::new();
        for statement in statements {
            evidence.push(evidence_of(store, prefixes, labels, &statement)?);
        }
        let (subject, object) = match end {
            End::Subject => (this, &other),
            End::Object => (&other, this),
        };
        out.push(Relation {
            subject: labels.named(subject)?,
            polarity: polarity(store, prefixes, &p)?,
            predicate: labels.named(&p)?,
            object: labels.named(object)?,
            evidence,
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
/// product, intervention…), each with what it states and its evidence.
fn used_by(
    store: &Store,
    prefixes: &Prefixes,
    labels: &mut Labels<'_>,
    this: &Term,
) -> Result<Vec<Use>> {
    let sparql = format!(
        "SELECT ?statement ?q ?s ?p ?o ?this WHERE {{
           ?statement ?q ?this ; <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o
           FILTER(?q NOT IN (<{RDF}subject>, <{RDF}predicate>, <{RDF}object>))
         }}"
    );
    let mut out = Vec::new();
    for row in query::select_bound(store, prefixes, &sparql, &[("this", this)])? {
        let (Some(statement), Some(q), Some(s), Some(p), Some(o)) =
            (&row[0], &row[1], &row[2], &row[3], &row[4])
        else {
            continue;
        };
        out.push(Use {
            qualifier: labels.named(q)?,
            relation: stated(store, prefixes, labels, statement, [s, p, o])?,
        });
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
    Ok(out)
}

/// For a study: the relations whose statements it supports.
fn supported(
    store: &Store,
    prefixes: &Prefixes,
    labels: &mut Labels<'_>,
    this: &Term,
) -> Result<Vec<Relation>> {
    let sparql = format!(
        "SELECT ?statement ?s ?p ?o ?this WHERE {{
           ?statement <{PROV}wasDerivedFrom> ?this ; <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o
         }} ORDER BY ?statement"
    );
    let mut out = Vec::new();
    for row in query::select_bound(store, prefixes, &sparql, &[("this", this)])? {
        let (Some(statement), Some(s), Some(p), Some(o)) = (&row[0], &row[1], &row[2], &row[3])
        else {
            continue;
        };
        out.push(stated(store, prefixes, labels, statement, [s, p, o])?);
    }
    Ok(out)
}

/// What one statement node states (its subject, predicate and object), with its evidence.
fn stated(
    store: &Store,
    prefixes: &Prefixes,
    labels: &mut Labels<'_>,
    statement: &Term,
    [s, p, o]: [&Term; 3],
) -> Result<Relation> {
    Ok(Relation {
        subject: labels.named(s)?,
        polarity: polarity(store, prefixes, p)?,
        predicate: labels.named(p)?,
        object: labels.named(o)?,
        evidence: vec![evidence_of(store, prefixes, labels, statement)?],
    })
}

fn polarity(store: &Store, prefixes: &Prefixes, predicate: &Term) -> Result<Option<String>> {
    let rows = query::select_bound(
        store,
        prefixes,
        &format!(
            "SELECT ?l ?predicate WHERE {{ ?predicate <{ST}polarity> ?x . ?x <{RDFS}label> ?l }}"
        ),
        &[("predicate", predicate)],
    )?;
    Ok(rows
        .into_iter()
        .find_map(|r| r[0].as_ref().map(|t| display_term(t, prefixes))))
}

/// The qualifiers, comment and studies of one statement node.
pub fn evidence_of(
    store: &Store,
    prefixes: &Prefixes,
    labels: &mut Labels<'_>,
    statement: &Term,
) -> Result<Evidence> {
    let mut evidence = Evidence {
        statement: labels.id(statement),
        qualifiers: Vec::new(),
        comment: None,
        studies: Vec::new(),
    };
    let rows = query::select_bound(
        store,
        prefixes,
        "SELECT ?q ?v ?statement WHERE { ?statement ?q ?v } ORDER BY ?q ?v",
        &[("statement", statement)],
    )?;
    for row in rows {
        let (Some(Term::NamedNode(q)), Some(v)) = (&row[0], &row[1]) else {
            continue;
        };
        let q = q.as_str();
        if q == format!("{PROV}wasDerivedFrom") {
            evidence
                .studies
                .push(study_ref(store, prefixes, labels, v)?);
        } else if q == format!("{RDFS}comment") {
            evidence.comment = Some(display_term(v, prefixes));
        } else if !q.starts_with(RDF) {
            let name = labels.named(&Term::NamedNode(NamedNode::new_unchecked(q)))?;
            let value = match v {
                Term::Literal(_) => display_term(v, prefixes),
                _ => labels.named(v)?.label,
            };
            evidence.qualifiers.push((name.label, value));
        }
    }
    evidence.studies.sort();
    Ok(evidence)
}

fn study_ref(
    store: &Store,
    prefixes: &Prefixes,
    labels: &mut Labels<'_>,
    study: &Term,
) -> Result<StudyRef> {
    let rows = query::select_bound(
        store,
        prefixes,
        &format!(
            "SELECT ?n ?a ?y ?study WHERE {{ OPTIONAL {{ ?study <{ST}referenceNumber> ?n }}
               OPTIONAL {{ ?study <{ST}firstAuthor> ?a }} OPTIONAL {{ ?study <{ST}year> ?y }} }}"
        ),
        &[("study", study)],
    )?;
    let number = |t: &Option<Term>| match t {
        Some(Term::Literal(l)) => l.value().parse::<i64>().ok(),
        _ => None,
    };
    let row = rows.into_iter().next().unwrap_or_default();
    Ok(StudyRef {
        number: row.first().and_then(number),
        first_author: match row.get(1) {
            Some(Some(Term::Literal(l))) => l.value().to_owned(),
            _ => labels.named(study)?.label,
        },
        year: row.get(2).and_then(number),
        id: labels.id(study),
    })
}

/// Looks up and caches human labels.
pub struct Labels<'a> {
    store: &'a Store,
    prefixes: &'a Prefixes,
    cache: HashMap<Term, Named>,
}

impl<'a> Labels<'a> {
    pub fn new(store: &'a Store, prefixes: &'a Prefixes) -> Self {
        Self {
            store,
            prefixes,
            cache: HashMap::new(),
        }
    }

    /// The short id of a term: a CURIE, `<iri>` or a literal.
    pub fn id(&self, term: &Term) -> String {
        display_term(term, self.prefixes)
    }

    /// The term with its rdfs:label (or its id when it has none).
    pub fn named(&mut self, term: &Term) -> Result<Named> {
        if let Some(named) = self.cache.get(term) {
            return Ok(named.clone());
        }
        let id = self.id(term);
        let label = match term {
            Term::NamedNode(_) | Term::BlankNode(_) => query::select_bound(
                self.store,
                self.prefixes,
                &format!("SELECT ?l ?term WHERE {{ ?term <{RDFS}label> ?l }} LIMIT 1"),
                &[("term", term)],
            )?
            .into_iter()
            .find_map(|r| r[0].as_ref().map(|l| display_term(l, self.prefixes)))
            .unwrap_or_else(|| id.clone()),
            _ => id.clone(),
        };
        let iri = match term {
            Term::NamedNode(n) => n.as_str().to_owned(),
            other => other.to_string(),
        };
        let named = Named { iri, id, label };
        self.cache.insert(term.clone(), named.clone());
        Ok(named)
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
        let refs: Vec<String> = evidence.studies.iter().map(StudyRef::citation).collect();
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
