//! Reading a store into a [`Projection`]: which triples become edges, and the statements,
//! studies and polarities that become their evidence. The only I/O of the graph stage; it does
//! nothing but feed the pure [`Builder`].

use super::{Builder, EdgeSelection, Polarity, Projection};
use crate::error::Result;
use crate::vocab::{OWL, PROV, RDF, RDFS, SH, SKOS, ST};
use oxigraph::model::{NamedNodeRef, Term};
use oxigraph::store::Store;
use std::collections::HashSet;

/// Namespaces whose predicates are bookkeeping, never edges, on data without Stroma's ontology.
const BOOKKEEPING: &[&str] = &[RDF, RDFS, OWL, SH, SKOS, PROV];

/// Reads a store into a projection. Edges are the triples whose predicate the ontology marks
/// `st:traversable true` — or, when the store has no such marks, every IRI-to-IRI triple
/// outside the RDF/RDFS/OWL/SHACL/SKOS/PROV vocabularies and off statement nodes.
pub fn read_store(store: &Store, selection: &EdgeSelection) -> Result<Projection> {
    let mut builder = Builder::new();
    let traversable_iri = format!("{ST}traversable");
    let traversable = NamedNodeRef::new_unchecked(&traversable_iri);
    let mut marked: HashSet<String> = HashSet::new();
    for quad in store.quads_for_pattern(None, Some(traversable), None, None) {
        let quad = quad?;
        if matches!(&quad.object, Term::Literal(l) if l.value() == "true") {
            marked.insert(quad.subject.to_string().trim_matches(['<', '>']).to_owned());
        }
    }
    let statement_nodes = statement_nodes(store)?;
    let is_edge = |p: &str| -> bool {
        if !selection.via.is_empty() {
            return selection.via.iter().any(|v| v == p);
        }
        if selection.avoid.iter().any(|a| a == p) {
            return false;
        }
        if marked.is_empty() {
            !BOOKKEEPING.iter().any(|ns| p.starts_with(ns))
        } else {
            marked.contains(p)
        }
    };
    let rdf_type = format!("{RDF}type");
    let subclass = format!("{RDFS}subClassOf");
    let label = format!("{RDFS}label");
    for quad in store.iter() {
        let quad = quad?;
        let oxigraph::model::NamedOrBlankNode::NamedNode(s) = &quad.subject else {
            continue;
        };
        let p = quad.predicate.as_str();
        match &quad.object {
            Term::NamedNode(o) => {
                if p == rdf_type {
                    builder.typed(s.as_str(), o.as_str());
                } else if p == subclass {
                    builder.subclass(s.as_str(), o.as_str());
                } else if is_edge(p) && !statement_nodes.contains(s.as_str()) {
                    builder.edge(s.as_str(), p, o.as_str());
                }
            }
            Term::Literal(l) if p == label => builder.label(s.as_str(), l.value()),
            _ => {}
        }
    }
    read_evidence(store, &mut builder)?;
    Ok(builder.finish())
}

fn statement_nodes(store: &Store) -> Result<HashSet<String>> {
    let subject_iri = format!("{RDF}subject");
    let subject = NamedNodeRef::new_unchecked(&subject_iri);
    let mut nodes = HashSet::new();
    for quad in store.quads_for_pattern(None, Some(subject), None, None) {
        if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = quad?.subject {
            nodes.insert(n.into_string());
        }
    }
    Ok(nodes)
}

fn read_evidence(store: &Store, builder: &mut Builder) -> Result<()> {
    use crate::query::select;
    use crate::vocab::Prefixes;
    let prefixes = Prefixes::default();
    let rows = select(
        store,
        &prefixes,
        &format!(
            "SELECT ?st ?s ?p ?o ?q ?v WHERE {{
               ?st <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o .
               OPTIONAL {{ ?st ?q ?v FILTER(isIRI(?v) && ?q IN (<{ST}organism>, <{ST}product>, <{ST}cellType>, <{ST}diseaseModel>, <{ST}reportedIn>, <{PROV}wasDerivedFrom>)) }}
             }} ORDER BY ?st"
        ),
    )?;
    let iri = |t: &Option<Term>| match t {
        Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
        _ => None,
    };
    /// A statement being read: its IRI, its triple and its (qualifier, value) pairs.
    struct Pending {
        id: String,
        triple: [String; 3],
        qualifiers: Vec<(String, String)>,
    }
    let flush = |builder: &mut Builder, pending: Pending| {
        let [s, p, o] = &pending.triple;
        builder.statement(
            &pending.id,
            (s, p, o),
            pending
                .qualifiers
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str())),
        );
    };
    let mut current: Option<Pending> = None;
    for row in rows {
        let (Some(st), Some(s), Some(p), Some(o)) =
            (iri(&row[0]), iri(&row[1]), iri(&row[2]), iri(&row[3]))
        else {
            continue;
        };
        if current.as_ref().is_some_and(|c| c.id != st) {
            if let Some(done) = current.take() {
                flush(builder, done);
            }
        }
        let entry = current.get_or_insert_with(|| Pending {
            id: st.clone(),
            triple: [s, p, o],
            qualifiers: Vec::new(),
        });
        if let (Some(q), Some(v)) = (iri(&row[4]), iri(&row[5])) {
            entry.qualifiers.push((q, v));
        }
    }
    if let Some(done) = current.take() {
        flush(builder, done);
    }
    let studies = select(
        store,
        &prefixes,
        &format!(
            "SELECT ?s ?n ?a ?y WHERE {{ ?x <{PROV}wasDerivedFrom> ?s
               OPTIONAL {{ ?s <{ST}referenceNumber> ?n }} OPTIONAL {{ ?s <{ST}firstAuthor> ?a }}
               OPTIONAL {{ ?s <{ST}year> ?y }} }}"
        ),
    )?;
    for row in studies {
        let Some(study) = iri(&row[0]) else { continue };
        let literal = |t: &Option<Term>| match t {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            _ => None,
        };
        builder.study(
            &study,
            literal(&row[1]).and_then(|n| n.parse().ok()),
            literal(&row[2]).as_deref(),
            literal(&row[3]).and_then(|y| y.parse().ok()),
        );
    }
    let polarity_iri = format!("{ST}polarity");
    let polarity = NamedNodeRef::new_unchecked(&polarity_iri);
    for quad in store.quads_for_pattern(None, Some(polarity), None, None) {
        let quad = quad?;
        let (oxigraph::model::NamedOrBlankNode::NamedNode(p), Term::NamedNode(v)) =
            (&quad.subject, &quad.object)
        else {
            continue;
        };
        let value = match v.as_str().strip_prefix(ST) {
            Some("Positive") => Polarity::Positive,
            Some("Negative") => Polarity::Negative,
            _ => Polarity::Neutral,
        };
        builder.polarity(p.as_str(), value);
    }
    Ok(())
}
