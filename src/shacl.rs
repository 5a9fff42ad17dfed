//! SHACL validation of a store: the SHACL Core constraints Stroma's shapes use, and SHACL-SPARQL
//! constraints. Each constraint becomes one SPARQL query that returns the violating focus nodes,
//! so validation runs inside Oxigraph at store speed.
//!
//! Supported: node shapes with `sh:targetClass`, `sh:targetSubjectsOf`, `sh:targetObjectsOf`,
//! `sh:targetNode`; property shapes with an IRI `sh:path` and `sh:minCount`, `sh:maxCount`,
//! `sh:datatype`, `sh:class`, `sh:nodeKind`, `sh:minInclusive`, `sh:maxInclusive`, `sh:pattern`,
//! `sh:sparql` constraints with `sh:select`; `sh:message`, `sh:severity`,
//! `sh:deactivated`. Any other constraint in a shapes graph is reported as unsupported rather
//! than silently ignored.

use crate::error::{Error, Result};
use crate::query;
use crate::vocab::{Prefixes, SH};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Quad, Term};
use oxigraph::store::Store;
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
    store: Store,
    prefixes: Prefixes,
}

/// The constraint components Stroma evaluates; anything else in a property shape is refused.
const SUPPORTED: &[&str] = &[
    "path",
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "nodeKind",
    "minInclusive",
    "maxInclusive",
    "pattern",
    "flags",
    "message",
    "severity",
    "name",
    "description",
    "deactivated",
    "order",
    "group",
];

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
        let store = Store::new()?;
        store.extend(quads)?;
        Ok(Self {
            store,
            prefixes: Prefixes::stroma(),
        })
    }

    /// The shapes compiled into Stroma (`ontology/shapes.ttl`).
    pub fn embedded() -> Result<Self> {
        let (path, text) = crate::store::embedded::SHAPES
            .first()
            .ok_or_else(|| Error::Usage("no shapes were compiled into this binary".into()))?;
        Self::parse(text, RdfFormat::Turtle, path)
    }

    fn select(&self, sparql: &str) -> Result<Vec<Vec<Option<Term>>>> {
        query::select(&self.store, &self.prefixes, sparql)
    }

    /// Validates `data` against these shapes; findings sorted by severity, shape and focus.
    pub fn validate(&self, data: &Store, prefixes: &Prefixes) -> Result<Vec<Finding>> {
        let mut findings = Vec::new();
        for shape in self.node_shapes()? {
            let target = match self.targets(&shape)? {
                Some(target) => target,
                None => continue,
            };
            for constraint in self.constraints(&shape)? {
                let sparql = constraint.query(&target);
                let rows = query::select(data, prefixes, &sparql).map_err(|e| {
                    Error::Usage(format!("cannot evaluate a constraint of {shape}: {e}"))
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

    fn node_shapes(&self) -> Result<Vec<Term>> {
        let rows = self.select(
            "SELECT DISTINCT ?shape WHERE {
               ?shape sh:targetClass|sh:targetSubjectsOf|sh:targetObjectsOf|sh:targetNode ?t
               FILTER NOT EXISTS { ?shape sh:deactivated true }
             } ORDER BY ?shape",
        )?;
        Ok(rows.into_iter().filter_map(|r| r[0].clone()).collect())
    }

    /// The SPARQL pattern that binds `?this` to the focus nodes of `shape`.
    fn targets(&self, shape: &Term) -> Result<Option<String>> {
        let rows = self.select(&format!(
            "SELECT ?kind ?t WHERE {{
               VALUES ?kind {{ sh:targetClass sh:targetSubjectsOf sh:targetObjectsOf sh:targetNode }}
               {shape} ?kind ?t }}"
        ))?;
        let mut patterns = Vec::new();
        for row in rows {
            let (Some(Term::NamedNode(kind)), Some(target)) = (&row[0], &row[1]) else {
                continue;
            };
            let local = &kind.as_str()[SH.len()..];
            patterns.push(match local {
                "targetClass" => format!(
                    "?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {target} ."
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

    fn constraints(&self, shape: &Term) -> Result<Vec<Constraint>> {
        let mut constraints = Vec::new();
        // Property shapes.
        let rows = self.select(&format!(
            "SELECT ?ps ?key ?value WHERE {{
               {shape} sh:property ?ps . ?ps ?key ?value
               FILTER(STRSTARTS(STR(?key), STR(sh:)))
               FILTER NOT EXISTS {{ ?ps sh:deactivated true }}
             }}"
        ))?;
        let mut by_shape: BTreeMap<String, BTreeMap<String, Term>> = BTreeMap::new();
        for row in rows {
            let (Some(ps), Some(Term::NamedNode(key)), Some(value)) = (&row[0], &row[1], &row[2])
            else {
                continue;
            };
            by_shape
                .entry(ps.to_string())
                .or_default()
                .insert(key.as_str()[SH.len()..].to_owned(), value.clone());
        }
        for (ps, keys) in by_shape {
            for key in keys.keys() {
                if !SUPPORTED.contains(&key.as_str()) {
                    return Err(Error::Usage(format!(
                        "unsupported SHACL feature sh:{key} in property shape {ps} of {shape}"
                    )));
                }
            }
            let Some(Term::NamedNode(path)) = keys.get("path") else {
                return Err(Error::Usage(format!(
                    "property shape {ps} of {shape}: only IRI paths are supported"
                )));
            };
            constraints.extend(property_constraints(path, &keys));
        }
        // SPARQL constraints.
        let rows = self.select(&format!(
            "SELECT ?select ?message ?severity ?prefixes WHERE {{
               {shape} sh:sparql ?c . ?c sh:select ?select
               OPTIONAL {{ ?c sh:message ?message }}
               OPTIONAL {{ ?c sh:severity ?severity }}
               OPTIONAL {{ ?c sh:prefixes ?prefixes }}
               FILTER NOT EXISTS {{ ?c sh:deactivated true }}
             }}"
        ))?;
        for row in rows {
            if row[3].is_some() {
                return Err(Error::Usage(format!(
                    "unsupported SHACL feature sh:prefixes in {shape}: write full IRIs in sh:select"
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
}

enum Pattern {
    /// Focus nodes with fewer than n values.
    MinCount(String, u64),
    /// Focus nodes with more than n values.
    MaxCount(String, u64),
    /// Focus nodes with a value failing the filter expression over `?value`.
    ValueFilter(String, String),
    /// A SHACL-SPARQL `sh:select` query.
    Sparql(String),
}

struct Constraint {
    pattern: Pattern,
    path: Option<Term>,
    severity: Severity,
    message: String,
}

impl Constraint {
    /// A query returning `?this ?value ?path` for every violation.
    fn query(&self, target: &str) -> String {
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
            Pattern::Sparql(select) => {
                format!("SELECT ?this ?value ?path WHERE {{ {target} {{ {select} }} }}")
            }
        }
    }
}

fn property_constraints(path: &NamedNode, keys: &BTreeMap<String, Term>) -> Vec<Constraint> {
    let p = format!("<{}>", path.as_str());
    let severity = severity(keys.get("severity"));
    let user_message = keys.get("message");
    let make = |pattern: Pattern, default: String| Constraint {
        pattern,
        path: Some(Term::NamedNode(path.clone())),
        severity,
        message: message(user_message, &default),
    };
    let mut out = Vec::new();
    let number = |key: &str| match keys.get(key) {
        Some(Term::Literal(l)) => l.value().parse::<u64>().ok(),
        _ => None,
    };
    if let Some(n) = number("minCount") {
        out.push(make(
            Pattern::MinCount(p.clone(), n),
            format!("fewer than {n} values"),
        ));
    }
    if let Some(n) = number("maxCount") {
        out.push(make(
            Pattern::MaxCount(p.clone(), n),
            format!("more than {n} values"),
        ));
    }
    if let Some(datatype) = keys.get("datatype") {
        out.push(make(
            Pattern::ValueFilter(
                p.clone(),
                format!("!isLiteral(?value) || DATATYPE(?value) != {datatype}"),
            ),
            format!("a value is not of datatype {datatype}"),
        ));
    }
    if let Some(class) = keys.get("class") {
        out.push(make(
            Pattern::ValueFilter(
                p.clone(),
                format!(
                    "NOT EXISTS {{ ?value <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {class} }}"
                ),
            ),
            format!("a value is not an instance of {class}"),
        ));
    }
    if let Some(Term::NamedNode(kind)) = keys.get("nodeKind") {
        let failing = match &kind.as_str()[SH.len()..] {
            "IRI" => "!isIRI(?value)",
            "Literal" => "!isLiteral(?value)",
            "BlankNode" => "!isBlank(?value)",
            "BlankNodeOrIRI" => "isLiteral(?value)",
            "IRIOrLiteral" => "isBlank(?value)",
            _ => "isIRI(?value)",
        };
        out.push(make(
            Pattern::ValueFilter(p.clone(), failing.to_owned()),
            format!("a value is not of node kind {kind}"),
        ));
    }
    for (key, holds) in [("minInclusive", ">="), ("maxInclusive", "<=")] {
        if let Some(bound) = keys.get(key) {
            out.push(make(
                Pattern::ValueFilter(p.clone(), format!("!(?value {holds} {bound})")),
                format!("a value is out of range ({key} {bound})"),
            ));
        }
    }
    if let Some(Term::Literal(pattern)) = keys.get("pattern") {
        let flags = match keys.get("flags") {
            Some(Term::Literal(f)) => f.to_string(),
            _ => "\"\"".to_owned(),
        };
        out.push(make(
            Pattern::ValueFilter(
                p,
                format!(
                    "isBlank(?value) || !REGEX(STR(?value), {}, {flags})",
                    Term::Literal(pattern.clone())
                ),
            ),
            format!("a value does not match {}", pattern.value()),
        ));
    }
    out
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
