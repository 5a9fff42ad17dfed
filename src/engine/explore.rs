//! Exploring and checking the graph: search by name, entity cards, counts, SHACL validation.

use super::Engine;
use crate::card::{self, Card};
use crate::error::{Error, Result};
use crate::evidence::{self, Resource};
use crate::shacl::{Severity, Shapes};
use crate::stats::{self, Stats};
use crate::store::Table;
use crate::table::display_term;
use oxigraph::model::Term;
use serde::Serialize;

/// Entities whose names match some text.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub limit: usize,
}

/// One entity found, best first.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub iri: String,
    /// The CURIE (or `<iri>`) people can type back.
    #[serde(skip)]
    pub id: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The label or synonym that matched.
    pub matched: String,
    pub score: u32,
}

/// The entities a search found.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct SearchReport {
    pub hits: Vec<SearchHit>,
    /// How the candidates were found, when that limits the answer (a remote endpoint without
    /// a text index).
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// The card of one entity, named as a person would.
#[derive(Debug, Clone)]
pub struct ShowRequest {
    pub entity: String,
}

/// An entity's card and how its name was understood.
#[derive(Debug, Clone, Serialize)]
pub struct CardReport {
    #[serde(flatten)]
    pub card: Card,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Which shapes to validate against.
pub struct ValidateRequest {
    /// The shapes compiled into Stroma when None.
    pub shapes: Option<Shapes>,
}

/// One validation result, for people and programs.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: String,
    /// The focus node's id, with its label when it has one: "sr:X (X)".
    pub focus: String,
    pub path: String,
    pub value: String,
    pub message: String,
}

/// What validation found.
#[derive(Debug, Clone, Serialize)]
pub struct ValidationReport {
    pub conforms: bool,
    pub triples: u64,
    pub results: Vec<Finding>,
    #[serde(skip)]
    pub violations: usize,
}

impl Engine {
    /// Entities whose label or synonym matches, best first; `NothingFound` with "did you mean"
    /// when none does.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchReport> {
        let (index, note) = self.names_for(&request.text)?;
        let hits = index.search(&request.text, request.limit);
        if hits.is_empty() {
            let suggestions = index.suggest(&request.text, 5);
            let hint = if suggestions.is_empty() {
                String::new()
            } else {
                format!("; did you mean: {}?", suggestions.join(", "))
            };
            let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
            return Err(Error::NothingFound(format!(
                "no entity matches '{}'{hint}{note}",
                request.text
            )));
        }
        let prefixes = self.prefixes();
        Ok(SearchReport {
            hits: hits
                .into_iter()
                .map(|h| SearchHit {
                    id: prefixes.curie(h.iri.as_str()),
                    iri: h.iri.into_string(),
                    label: h.label,
                    kind: h.kind,
                    matched: h.matched,
                    score: h.score,
                })
                .collect(),
            notes: note.into_iter().collect(),
        })
    }

    /// The card of the entity a name resolves to.
    pub fn show(&self, request: &ShowRequest) -> Result<CardReport> {
        let mut notes = Vec::new();
        let iri = self.resolve_noted(&request.entity, &mut notes)?;
        Ok(CardReport {
            card: card::card(self.db(), &iri)?,
            notes,
        })
    }

    /// The named members of a class and its subclasses, sorted by label: the choices a form
    /// offers (organisms, products).
    pub fn members(&self, class: &str) -> Result<Vec<Resource>> {
        let class = oxigraph::model::NamedNode::new(class)
            .map_err(|e| Error::Usage(format!("<{class}> is not an IRI: {e}")))?;
        let classes = self.db().class_hierarchy()?.descendants(&class);
        let rows = self.db().select_values(
            "SELECT DISTINCT ?x ?label WHERE {
               ?x a ?class FILTER(isIRI(?x)) OPTIONAL { ?x rdfs:label ?label }
             }",
            &[Table::column(
                "class",
                classes.into_iter().map(Term::NamedNode),
            )],
        )?;
        let mut members: Vec<Resource> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for row in rows {
            let Some(Term::NamedNode(x)) = &row[0] else {
                continue;
            };
            if !seen.insert(x.clone()) {
                continue; // another label of the same member
            }
            let label = match &row[1] {
                Some(Term::Literal(l)) => Some(l.value()),
                _ => None,
            };
            members.push(Resource::named(x.as_str(), label, self.prefixes()));
        }
        members.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.iri.cmp(&b.iri)));
        Ok(members)
    }

    /// Counts of what the graph holds.
    pub fn stats(&self) -> Result<Stats> {
        let stats = super::cached::obtain(
            self.db(),
            super::cached::Item {
                name: "stats",
                build: &|| stats::stats(self.db()),
                encode: Stats::encode,
                decode: Stats::decode,
            },
        )?;
        Ok(stats)
    }

    /// Validates the graph against SHACL shapes.
    pub fn validate(&self, request: &ValidateRequest) -> Result<ValidationReport> {
        let embedded;
        let shapes = match &request.shapes {
            Some(shapes) => shapes,
            None => {
                embedded = Shapes::embedded()?;
                &embedded
            }
        };
        let findings = shapes.validate(self.db())?;
        let index = self.index()?;
        let prefixes = self.prefixes();
        let term = |t: &Option<Term>| {
            t.as_ref()
                .map(|t| display_term(t, prefixes))
                .unwrap_or_default()
        };
        let results: Vec<Finding> = findings
            .iter()
            .map(|finding| {
                let label = match &finding.focus {
                    Term::NamedNode(n) => index.label(n),
                    _ => None,
                };
                let focus: Resource = evidence::resource(&finding.focus, label, prefixes);
                Finding {
                    severity: format!("{:?}", finding.severity).to_lowercase(),
                    focus: if focus.label == focus.id {
                        focus.id
                    } else {
                        format!("{} ({})", focus.id, focus.label)
                    },
                    path: term(&finding.path),
                    value: term(&finding.value),
                    message: finding.message.clone(),
                }
            })
            .collect();
        let violations = findings
            .iter()
            .filter(|f| f.severity == Severity::Violation)
            .count();
        Ok(ValidationReport {
            conforms: violations == 0,
            triples: self.db().quad_count()?,
            results,
            violations,
        })
    }
}
