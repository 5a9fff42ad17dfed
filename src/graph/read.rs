//! Reading a graph into a [`Projection`]: which triples become edges, and the statements,
//! studies and polarities that become their evidence. A handful of SELECTs through the store
//! seam (never a scan of the store), whose rows only feed the pure [`Builder`].

use super::{Builder, EdgeSelection, Polarity, Projection};
use crate::error::Result;
use crate::evidence::{self, Scope};
use crate::store::{Db, Rows};
use crate::vocab::{OWL, PROV, RDF, RDFS, SH, SKOS, ST};
use oxigraph::model::{NamedNode, Term};
use std::collections::HashSet;

/// Namespaces whose predicates are bookkeeping, never edges, on data without Stroma's ontology.
pub(super) const BOOKKEEPING: &[&str] = &[RDF, RDFS, OWL, SH, SKOS, PROV];

/// Reads a graph into a projection. Edges are the triples whose predicate the ontology marks
/// `st:traversable true` — or, when the graph has no such marks, every IRI-to-IRI triple
/// outside the RDF/RDFS/OWL/SHACL/SKOS/PROV vocabularies — between IRIs, never from a
/// statement node. `--via` walks exactly the predicates it names; `--avoid` drops some;
/// `comparisons` adds the relations marked `st:comparative true`.
pub fn read(db: &Db, selection: &EdgeSelection) -> Result<Projection> {
    let mut builder = Builder::new();
    // Between two IRIs, not out of a statement node.
    let edge =
        format!("FILTER(isIRI(?s) && isIRI(?o)) FILTER NOT EXISTS {{ ?s <{RDF}subject> ?stated }}");
    let rows = if !selection.via.is_empty() {
        let mut rows = Vec::new();
        for via in &selection.via {
            let Ok(predicate) = NamedNode::new(via) else {
                continue;
            };
            let predicate = Term::NamedNode(predicate);
            for row in db.select(
                &format!("SELECT ?s ?p ?o WHERE {{ ?s ?p ?o {edge} }}"),
                &[("p", &predicate)],
            )? {
                rows.push(row);
            }
        }
        rows
    } else {
        let marked = db.select(
            &format!("SELECT ?p WHERE {{ ?p <{ST}traversable> true }} LIMIT 1"),
            &[],
        )?;
        if marked.is_empty() {
            let outside: String = BOOKKEEPING
                .iter()
                .map(|ns| format!(" && !STRSTARTS(STR(?p), \"{ns}\")"))
                .collect();
            db.select(
                &format!("SELECT ?s ?p ?o WHERE {{ ?s ?p ?o {edge} FILTER(true{outside}) }}"),
                &[],
            )?
        } else {
            let walked = if selection.comparisons {
                format!("{{ ?p <{ST}traversable> true }} UNION {{ ?p <{ST}comparative> true }}")
            } else {
                format!("?p <{ST}traversable> true .")
            };
            db.select(
                &format!("SELECT ?s ?p ?o WHERE {{ {walked} ?s ?p ?o {edge} }}"),
                &[],
            )?
        }
    };
    let mut edges: Vec<[&str; 3]> = rows
        .iter()
        .filter_map(|row| match (&row[0], &row[1], &row[2]) {
            (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(Term::NamedNode(o))) => {
                Some([s.as_str(), p.as_str(), o.as_str()])
            }
            _ => None,
        })
        .filter(|[_, p, _]| !selection.avoid.iter().any(|a| a == p))
        .collect();
    // In IRI order, so the projection (and the choice among equally good paths) does not
    // depend on the order a backend returns rows in.
    edges.sort_unstable();
    for [s, p, o] in edges {
        builder.edge(s, p, o);
    }
    let pairs = |sparql: &str| -> Result<Vec<(String, String)>> {
        Ok(string_pairs(db.select(sparql, &[])?))
    };
    for (s, class) in pairs(&format!("SELECT ?s ?c WHERE {{ ?s <{RDF}type> ?c }}"))? {
        builder.typed(&s, &class);
    }
    for (class, superclass) in pairs(&format!(
        "SELECT ?c ?d WHERE {{ ?c <{RDFS}subClassOf> ?d }}"
    ))? {
        builder.subclass(&class, &superclass);
    }
    for (s, label) in pairs(&format!(
        "SELECT ?s ?l WHERE {{ ?s <{RDFS}label> ?l FILTER(isLiteral(?l)) }}"
    ))? {
        builder.label(&s, &label);
    }
    for hub in hubs(db)? {
        builder.hub(&hub);
    }
    read_marks(db, &mut builder)?;
    read_evidence(db, Scope::All, &mut builder)?;
    Ok(builder.finish())
}

/// The resources marked `st:hub true`.
pub(super) fn hubs(db: &Db) -> Result<HashSet<String>> {
    Ok(first_iris(&db.select(
        &format!("SELECT ?s WHERE {{ ?s <{ST}hub> true }}"),
        &[],
    )?))
}

/// The relations' marks: comparative ones (`st:comparative true`) and polarities.
pub(super) fn read_marks(db: &Db, builder: &mut Builder) -> Result<()> {
    for predicate in first_iris(&db.select(
        &format!("SELECT ?p WHERE {{ ?p <{ST}comparative> true }}"),
        &[],
    )?) {
        builder.comparative(&predicate);
    }
    for (predicate, value) in string_pairs(db.select(
        &format!("SELECT ?p ?v WHERE {{ ?p <{ST}polarity> ?v }}"),
        &[],
    )?) {
        builder.polarity(&predicate, polarity(&value));
    }
    Ok(())
}

/// The (IRI, IRI or literal value) pairs of two-column rows.
pub(super) fn string_pairs(rows: Rows) -> Vec<(String, String)> {
    rows.into_iter()
        .filter_map(|row| match (&row[0], &row[1]) {
            (Some(Term::NamedNode(a)), Some(Term::NamedNode(b))) => {
                Some((a.as_str().to_owned(), b.as_str().to_owned()))
            }
            (Some(Term::NamedNode(a)), Some(Term::Literal(b))) => {
                Some((a.as_str().to_owned(), b.value().to_owned()))
            }
            _ => None,
        })
        .collect()
}

/// The IRIs in the first column of rows.
fn first_iris(rows: &Rows) -> HashSet<String> {
    rows.iter()
        .filter_map(|row| match row.first() {
            Some(Some(Term::NamedNode(n))) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// The polarity an `st:polarity` value names.
fn polarity(value: &str) -> Polarity {
    match value.strip_prefix(ST) {
        Some("Positive") => Polarity::Positive,
        Some("Negative") => Polarity::Negative,
        _ => Polarity::Neutral,
    }
}

/// The statements of `scope` between IRIs, with their IRI-valued qualifiers and their
/// studies' records.
pub(super) fn read_evidence(db: &Db, scope: Scope<'_>, builder: &mut Builder) -> Result<()> {
    let read = evidence::read(db, scope)?;
    fn iri(t: &Term) -> Option<&str> {
        match t {
            Term::NamedNode(n) => Some(n.as_str()),
            _ => None,
        }
    }
    for stated in &read.statements {
        let (Some(id), Some(s), Some(p), Some(o)) = (
            iri(&stated.node),
            iri(&stated.subject),
            iri(&stated.predicate),
            iri(&stated.object),
        ) else {
            continue;
        };
        builder.statement(
            id,
            (s, p, o),
            stated
                .values
                .iter()
                .filter_map(|(q, v)| Some((iri(q)?, iri(v)?))),
        );
    }
    for (study, record) in &read.studies {
        if let Some(study) = iri(study) {
            builder.study(
                study,
                record.number,
                record.first_author.as_deref(),
                record.year,
                record.title.as_deref(),
            );
        }
    }
    Ok(())
}
