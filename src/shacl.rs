//! SHACL validation of a store: the SHACL Core constraints Stroma's shapes use, and SHACL-SPARQL
//! constraints. Each constraint becomes one SPARQL query that returns the violating focus nodes,
//! so validation runs inside Oxigraph at store speed.
//!
//! Supported: node shapes with `sh:targetClass`, `sh:targetSubjectsOf`, `sh:targetObjectsOf`,
//! `sh:targetNode`; property shapes with an IRI `sh:path` and `sh:minCount`, `sh:maxCount`,
//! `sh:datatype`, `sh:class`, `sh:nodeKind`, `sh:minInclusive`, `sh:maxInclusive`, `sh:pattern`
//! (with `sh:flags`); the same value constraints (`sh:datatype`, `sh:class`, `sh:nodeKind`,
//! `sh:minInclusive`, `sh:maxInclusive`, `sh:pattern`) on a node shape itself, where they test
//! the focus node; `sh:closed` with `sh:ignoredProperties`; `sh:sparql` constraints with
//! `sh:select`; `sh:message`, `sh:severity`, `sh:deactivated`. Any other SHACL term in a node
//! or property shape is an error naming it: nothing a shapes file asks for is silently ignored.
//!
//! Shape terms reach the shapes-graph queries as bound variables, never as query text (a blank
//! node shape written into SPARQL would be a fresh variable).

use crate::error::{Error, Result};
use crate::rdfs::Hierarchy;
use crate::store::{Db, Rows};
use crate::vocab::{RDF, SH};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Quad, Term};
use std::collections::BTreeMap;

/// How serious a result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Violation,
    Warning,
    Info,
}

/// One validation result.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub shape: Term,
    pub focus: Term,
    pub path: Option<Term>,
    pub value: Option<Term>,
    pub message: String,
}

/// A parsed shapes graph.
pub struct Shapes {
    graph: Db,
    /// Where the shapes came from, for error messages.
    origin: String,
}

/// Constraints on each value (of a path, or the focus node itself on a node shape).
const VALUE_TERMS: &[&str] = &[
    "datatype",
    "class",
    "nodeKind",
    "minInclusive",
    "maxInclusive",
    "pattern",
    "flags",
];

/// Terms that describe a shape or set how its results are reported.
const DESCRIPTIVE_TERMS: &[&str] = &[
    "message",
    "severity",
    "name",
    "description",
    "deactivated",
    "order",
    "group",
];

/// What only a property shape may say besides value constraints and descriptions.
const PROPERTY_TERMS: &[&str] = &["path", "minCount", "maxCount"];

/// What only a node shape may say besides value constraints and descriptions: targets, its
/// property and SPARQL constraints, closedness.
const NODE_TERMS: &[&str] = &[
    "targetClass",
    "targetSubjectsOf",
    "targetObjectsOf",
    "targetNode",
    "property",
    "sparql",
    "closed",
    "ignoredProperties",
];

/// The first `sh:` term of a shape that Stroma does not evaluate, if any.
fn unsupported<'a>(keys: &'a Keys, own: &[&str]) -> Option<&'a String> {
    keys.keys().find(|k| {
        ![own, VALUE_TERMS, DESCRIPTIVE_TERMS]
            .iter()
            .any(|terms| terms.contains(&k.as_str()))
    })
}

impl Shapes {
    /// Parses a shapes graph written in Turtle (or any RDF format).
    pub fn parse(text: &str, format: RdfFormat, origin: &str) -> Result<Self> {
        let mut quads: Vec<Quad> = Vec::new();
        let parser = oxigraph::io::RdfParser::from_format(format).for_slice(text.as_bytes());
        for quad in parser {
            quads.push(quad.map_err(|e| {
                crate::store::syntax_error(oxigraph::io::RdfParseError::Syntax(e), origin)
            })?);
        }
        Ok(Self {
            graph: Db::from_quads(quads)?,
            origin: origin.to_owned(),
        })
    }

    /// The shapes compiled into Stroma (`ontology/shapes.ttl`).
    pub fn embedded() -> Result<Self> {
        let (path, text) = crate::embedded::SHAPES
            .first()
            .ok_or_else(|| Error::Internal("no shapes were compiled into this binary".into()))?;
        Self::parse(text, RdfFormat::Turtle, path)
    }

    fn select(&self, sparql: &str, shape: &Term) -> Result<Rows> {
        self.graph.select(sparql, &[("shape", shape)])
    }

    fn error(&self, message: String) -> Error {
        Error::Shacl {
            origin: self.origin.clone(),
            message,
        }
    }

    /// Validates `data` against these shapes; findings sorted by severity, shape and focus.
    pub fn validate(&self, data: &Db) -> Result<Vec<Finding>> {
        let mut findings = Vec::new();
        // SHACL's instances of a class are the nodes typed with it or one of its subclasses in
        // the data graph (rdf:type/rdfs:subClassOf*): the hierarchy is read once and each class
        // expanded into its subclasses, so no query walks a path (some engines, Virtuoso 7,
        // answer a transitive path inside NOT EXISTS wrongly).
        let classes = data.class_hierarchy()?;
        for shape in self.node_shapes()? {
            let Some(target) = self.targets(&shape, &classes)? else {
                continue;
            };
            for constraint in self.constraints(&shape)? {
                let sparql = constraint.query(&target, &classes);
                let rows = data.select(&sparql, &[]).map_err(|e| {
                    self.error(format!(
                        "cannot evaluate a constraint of {}: {e}",
                        self.name(&shape)
                    ))
                })?;
                for row in rows {
                    let Some(focus) = row[0].clone() else {
                        continue;
                    };
                    findings.push(Finding {
                        severity: constraint.severity,
                        shape: shape.clone(),
                        focus,
                        path: row.get(2).cloned().flatten().or(constraint.path.clone()),
                        value: row.get(1).cloned().flatten(),
                        message: constraint.message.clone(),
                    });
                }
            }
        }
        findings.sort_by(|a, b| {
            (a.severity, a.shape.to_string(), a.focus.to_string()).cmp(&(
                b.severity,
                b.shape.to_string(),
                b.focus.to_string(),
            ))
        });
        findings.dedup();
        Ok(findings)
    }

    /// A shape as people can find it in their file: its IRI, or its label for a blank node.
    fn name(&self, shape: &Term) -> String {
        match shape {
            Term::NamedNode(n) => format!("<{}>", n.as_str()),
            _ => "a blank-node shape".to_owned(),
        }
    }

    fn node_shapes(&self) -> Result<Vec<Term>> {
        let rows = self.graph.select(
            "SELECT DISTINCT ?shape WHERE {
               ?shape sh:targetClass|sh:targetSubjectsOf|sh:targetObjectsOf|sh:targetNode ?t
               FILTER NOT EXISTS { ?shape sh:deactivated true }
             } ORDER BY ?shape",
            &[],
        )?;
        Ok(rows.into_iter().filter_map(|r| r[0].clone()).collect())
    }

    /// The SPARQL pattern that binds `?this` to the focus nodes of `shape`.
    fn targets(&self, shape: &Term, classes: &Hierarchy<NamedNode>) -> Result<Option<String>> {
        let rows = self.select(
            "SELECT ?kind ?t ?shape WHERE {
               VALUES ?kind { sh:targetClass sh:targetSubjectsOf sh:targetObjectsOf sh:targetNode }
               ?shape ?kind ?t }",
            shape,
        )?;
        let mut patterns = Vec::new();
        for row in rows {
            let (Some(Term::NamedNode(kind)), Some(target)) = (&row[0], &row[1]) else {
                continue;
            };
            let local = kind.as_str().strip_prefix(SH).unwrap_or_default();
            let types = classes.in_sparql(target);
            let target = self.term(target, shape, local)?;
            patterns.push(match local {
                "targetClass" => format!(
                    "?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?targetType FILTER(?targetType IN ({types}))"
                ),
                "targetSubjectsOf" => format!("?this {target} ?targetValue ."),
                "targetObjectsOf" => format!("?targetSubject {target} ?this ."),
                _ => format!("VALUES ?this {{ {target} }}"),
            });
        }
        if patterns.is_empty() {
            return Ok(None);
        }
        let union = patterns
            .iter()
            .map(|p| format!("{{ {p} }}"))
            .collect::<Vec<_>>()
            .join(" UNION ");
        Ok(Some(format!(
            "{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"
        )))
    }

    /// A term of the shapes graph as SPARQL text for a query on the data. IRIs and literals
    /// carry the same meaning in both graphs; a blank node of the shapes graph names nothing in
    /// the data, so it is refused.
    fn term(&self, term: &Term, shape: &Term, key: &str) -> Result<String> {
        match term {
            Term::BlankNode(_) => Err(self.error(format!(
                "sh:{key} of {} is a blank node; it needs an IRI or a literal",
                self.name(shape)
            ))),
            other => Ok(other.to_string()),
        }
    }

    /// The `sh:` terms a node or property shape says, by local name, each with all its values.
    fn keys(&self, node: &Term) -> Result<Keys> {
        let mut keys = Keys::new();
        for row in self.select(
            "SELECT ?key ?value ?shape WHERE { ?shape ?key ?value }",
            node,
        )? {
            let (Some(Term::NamedNode(key)), Some(value)) = (&row[0], &row[1]) else {
                continue;
            };
            if let Some(local) = key.as_str().strip_prefix(SH) {
                keys.entry(local.to_owned())
                    .or_default()
                    .push(value.clone());
            }
        }
        Ok(keys)
    }

    fn constraints(&self, shape: &Term) -> Result<Vec<Constraint>> {
        let mut constraints = Vec::new();
        // Constraints on the focus node itself.
        let keys = self.keys(shape)?;
        if let Some(key) = unsupported(&keys, NODE_TERMS) {
            return Err(self.error(format!(
                "unsupported SHACL feature sh:{key} on node shape {}",
                self.name(shape)
            )));
        }
        constraints.extend(self.value_constraints(shape, &keys, None)?);
        if matches!(first(&keys, "closed"), Some(Term::Literal(l)) if l.value() == "true") {
            constraints.push(self.closed(shape, &keys)?);
        }
        // Property shapes.
        let rows = self.select(
            "SELECT DISTINCT ?ps ?shape WHERE {
               ?shape sh:property ?ps FILTER NOT EXISTS { ?ps sh:deactivated true } }",
            shape,
        )?;
        for row in rows {
            let Some(ps) = &row[0] else { continue };
            let keys = self.keys(ps)?;
            let Some(Term::NamedNode(path)) = first(&keys, "path") else {
                return Err(self.error(format!(
                    "a property shape of {} has no IRI sh:path (only IRI paths are supported)",
                    self.name(shape)
                )));
            };
            if let Some(key) = unsupported(&keys, PROPERTY_TERMS) {
                return Err(self.error(format!(
                    "unsupported SHACL feature sh:{key} in the property shape for <{}> of {}",
                    path.as_str(),
                    self.name(shape)
                )));
            }
            constraints.extend(self.property_constraints(shape, path, &keys)?);
        }
        // SPARQL constraints.
        let rows = self.select(
            "SELECT ?select ?message ?severity ?prefixes ?shape WHERE {
               ?shape sh:sparql ?c . ?c sh:select ?select
               OPTIONAL { ?c sh:message ?message }
               OPTIONAL { ?c sh:severity ?severity }
               OPTIONAL { ?c sh:prefixes ?prefixes }
               FILTER NOT EXISTS { ?c sh:deactivated true }
             }",
            shape,
        )?;
        for row in rows {
            if row[3].is_some() {
                return Err(self.error(format!(
                    "unsupported SHACL feature sh:prefixes in {}: write full IRIs in sh:select",
                    self.name(shape)
                )));
            }
            let Some(Term::Literal(select)) = &row[0] else {
                continue;
            };
            constraints.push(Constraint {
                pattern: Pattern::Sparql(select.value().to_owned()),
                path: None,
                severity: severity(row[2].as_ref()),
                message: message(row[1].as_ref(), "SPARQL constraint violated"),
            });
        }
        Ok(constraints)
    }

    /// `sh:closed true`: the focus node has no property other than the paths of the shape's
    /// property shapes and `sh:ignoredProperties`.
    fn closed(&self, shape: &Term, keys: &Keys) -> Result<Constraint> {
        let rows = self.select(
            &format!(
                "SELECT DISTINCT ?p ?shape WHERE {{
                   {{ ?shape sh:property/sh:path ?p }}
                   UNION {{ ?shape sh:ignoredProperties/<{RDF}rest>*/<{RDF}first> ?p }} }}"
            ),
            shape,
        )?;
        let mut allowed = Vec::new();
        for row in rows {
            if let Some(p) = &row[0] {
                allowed.push(self.term(p, shape, "ignoredProperties")?);
            }
        }
        let failing = if allowed.is_empty() {
            "true".to_owned()
        } else {
            format!("?path NOT IN ({})", allowed.join(", "))
        };
        Ok(Constraint {
            pattern: Pattern::Closed(failing),
            path: None,
            severity: severity(first(keys, "severity")),
            message: message(
                first(keys, "message"),
                "a property outside the closed shape's properties",
            ),
        })
    }

    fn property_constraints(
        &self,
        shape: &Term,
        path: &NamedNode,
        keys: &Keys,
    ) -> Result<Vec<Constraint>> {
        let p = format!("<{}>", path.as_str());
        let make = |pattern: Pattern, default: String| Constraint {
            pattern,
            path: Some(Term::NamedNode(path.clone())),
            severity: severity(first(keys, "severity")),
            message: message(first(keys, "message"), &default),
        };
        let mut out = Vec::new();
        for (key, at_least) in [("minCount", true), ("maxCount", false)] {
            for value in values(keys, key) {
                let n = match value {
                    Term::Literal(l) => l.value().parse::<u64>().ok(),
                    _ => None,
                }
                .ok_or_else(|| {
                    self.error(format!(
                    "sh:{key} of the property shape for {p} of {} is not a non-negative integer",
                    self.name(shape)
                ))
                })?;
                out.push(if at_least {
                    make(
                        Pattern::MinCount(p.clone(), n),
                        format!("fewer than {n} values"),
                    )
                } else {
                    make(
                        Pattern::MaxCount(p.clone(), n),
                        format!("more than {n} values"),
                    )
                });
            }
        }
        for constraint in self.value_constraints(shape, keys, Some(path))? {
            out.push(constraint);
        }
        Ok(out)
    }

    /// The constraints on each value: the values of `path`, or the focus node itself when
    /// `path` is None (constraints written on a node shape).
    fn value_constraints(
        &self,
        shape: &Term,
        keys: &Keys,
        path: Option<&NamedNode>,
    ) -> Result<Vec<Constraint>> {
        let make = |failing: String, default: String| Constraint {
            pattern: match path {
                Some(path) => Pattern::ValueFilter(format!("<{}>", path.as_str()), failing),
                None => Pattern::FocusFilter(failing),
            },
            path: path.map(|p| Term::NamedNode(p.clone())),
            severity: severity(first(keys, "severity")),
            message: message(first(keys, "message"), &default),
        };
        let mut out = Vec::new();
        for datatype in values(keys, "datatype") {
            let datatype = self.term(datatype, shape, "datatype")?;
            out.push(make(
                format!("!isLiteral(?value) || DATATYPE(?value) != {datatype}"),
                format!("a value is not of datatype {datatype}"),
            ));
        }
        for class in values(keys, "class") {
            let name = self.term(class, shape, "class")?;
            let mut constraint = make(
                String::new(),
                format!("a value is not an instance of {name}"),
            );
            constraint.pattern =
                Pattern::Class(path.map(|p| format!("<{}>", p.as_str())), class.clone());
            out.push(constraint);
        }
        for kind in values(keys, "nodeKind") {
            let local = match kind {
                Term::NamedNode(n) => n.as_str().strip_prefix(SH),
                _ => None,
            };
            let failing = match local {
                Some("IRI") => "!isIRI(?value)",
                Some("Literal") => "!isLiteral(?value)",
                Some("BlankNode") => "!isBlank(?value)",
                Some("BlankNodeOrIRI") => "isLiteral(?value)",
                Some("IRIOrLiteral") => "isBlank(?value)",
                Some("BlankNodeOrLiteral") => "isIRI(?value)",
                _ => {
                    return Err(self.error(format!(
                        "sh:nodeKind {kind} of {} is not a SHACL node kind (sh:IRI, sh:Literal, sh:BlankNode, sh:BlankNodeOrIRI, sh:IRIOrLiteral, sh:BlankNodeOrLiteral)",
                        self.name(shape)
                    )))
                }
            };
            out.push(make(
                failing.to_owned(),
                format!("a value is not of node kind {kind}"),
            ));
        }
        for (key, holds) in [("minInclusive", ">="), ("maxInclusive", "<=")] {
            for bound in values(keys, key) {
                let bound = self.term(bound, shape, key)?;
                out.push(make(
                    format!("!(?value {holds} {bound})"),
                    format!("a value is out of range ({key} {bound})"),
                ));
            }
        }
        for pattern in values(keys, "pattern") {
            let Term::Literal(pattern) = pattern else {
                return Err(self.error(format!(
                    "sh:pattern of {} is not a string",
                    self.name(shape)
                )));
            };
            let flags = match first(keys, "flags") {
                Some(Term::Literal(f)) => Term::Literal(f.clone()).to_string(),
                _ => "\"\"".to_owned(),
            };
            out.push(make(
                format!(
                    "isBlank(?value) || !REGEX(STR(?value), {}, {flags})",
                    Term::Literal(pattern.clone())
                ),
                format!("a value does not match {}", pattern.value()),
            ));
        }
        Ok(out)
    }
}

/// The `sh:` terms of one shape by local name, each with every value it has.
type Keys = BTreeMap<String, Vec<Term>>;

fn values<'a>(keys: &'a Keys, key: &str) -> impl Iterator<Item = &'a Term> {
    keys.get(key).into_iter().flatten()
}

fn first<'a>(keys: &'a Keys, key: &str) -> Option<&'a Term> {
    values(keys, key).next()
}

enum Pattern {
    /// Focus nodes with fewer than n values.
    MinCount(String, u64),
    /// Focus nodes with more than n values.
    MaxCount(String, u64),
    /// Focus nodes with a value of the path failing the filter expression over `?value`.
    ValueFilter(String, String),
    /// Focus nodes that themselves fail the filter expression over `?value`.
    FocusFilter(String),
    /// Focus nodes with a property (`?path`) failing the filter: a closed shape.
    Closed(String),
    /// A SHACL-SPARQL `sh:select` query.
    Sparql(String),
    /// Values (of the path, or the focus node itself) that are not instances of the class:
    /// the values' types are compared with the class and its subclasses in the data.
    Class(Option<String>, Term),
}

struct Constraint {
    pattern: Pattern,
    path: Option<Term>,
    severity: Severity,
    message: String,
}

impl Constraint {
    /// A query returning `?this ?value ?path` for every violation; `classes` is the data's
    /// class hierarchy (a class constraint accepts instances of subclasses).
    fn query(&self, target: &str, classes: &Hierarchy<NamedNode>) -> String {
        match &self.pattern {
            Pattern::MinCount(path, n) => format!(
                "SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }}
                 GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})"
            ),
            Pattern::MaxCount(path, n) => format!(
                "SELECT ?this WHERE {{ {target} ?this {path} ?value }}
                 GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
            ),
            Pattern::ValueFilter(path, failing) => format!(
                "SELECT ?this ?value WHERE {{ {target} ?this {path} ?value FILTER({failing}) }}"
            ),
            Pattern::FocusFilter(failing) => format!(
                "SELECT ?this ?value WHERE {{ {target} BIND(?this AS ?value) FILTER({failing}) }}"
            ),
            Pattern::Closed(failing) => format!(
                "SELECT ?this ?value ?path WHERE {{ {target} ?this ?path ?value FILTER({failing}) }}"
            ),
            Pattern::Sparql(select) => {
                format!("SELECT ?this ?value ?path WHERE {{ {target} {{ {select} }} }}")
            }
            Pattern::Class(path, class) => {
                let types = classes.in_sparql(class);
                let failing = format!(
                    "NOT EXISTS {{ ?value <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?type FILTER(?type IN ({types})) }}"
                );
                match path {
                    Some(path) => format!(
                        "SELECT ?this ?value WHERE {{ {target} ?this {path} ?value FILTER({failing}) }}"
                    ),
                    None => format!(
                        "SELECT ?this ?value WHERE {{ {target} BIND(?this AS ?value) FILTER({failing}) }}"
                    ),
                }
            }
        }
    }
}

fn severity(term: Option<&Term>) -> Severity {
    match term {
        Some(Term::NamedNode(n)) if n.as_str() == format!("{SH}Warning") => Severity::Warning,
        Some(Term::NamedNode(n)) if n.as_str() == format!("{SH}Info") => Severity::Info,
        _ => Severity::Violation,
    }
}

fn message(term: Option<&Term>, default: &str) -> String {
    match term {
        Some(Term::Literal(l)) => l.value().to_owned(),
        _ => default.to_owned(),
    }
}
