//! Trace results as data for people and programs: paths with the evidence of every hop, in a
//! stable JSON schema (documented in README), and as text lines
//! `subject —relation (direction)→ object  [refs 111; Yang H 2019]`. Pure: no I/O.

use crate::evidence::{Citation, Comparison, Evidence, Resource};
/// A hop's polarity, as reports carry it.
pub use crate::graph::Polarity;
use crate::graph::{Projection, Sym};
/// A path's coherence level, as reports carry it.
pub use crate::trace::Level;
use crate::trace::{Coherence, Matrix, Path, Step};
use crate::vocab::Prefixes;
use serde::Serialize;

/// One hop: `subject —predicate→ object`, walked forwards or (undirected) backwards.
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    pub subject: Resource,
    pub predicate: Resource,
    pub object: Resource,
    pub polarity: Option<Polarity>,
    /// True when an undirected trace walked this edge from object to subject.
    pub reversed: bool,
    /// On a comparative relation (`trace --comparisons`): how the subject fared, against what.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    pub evidence: Vec<Evidence>,
}

/// One ranked path.
#[derive(Debug, Clone, Serialize)]
pub struct PathReport {
    pub rank: usize,
    pub length: usize,
    /// Distinct studies behind the hops (after the evidence filter).
    pub studies: usize,
    pub coherence: CoherenceReport,
    pub hops: Vec<Hop>,
}

/// Whether a path's hops hold together: on one study, on one disease model, or on mixed
/// contexts, and where the context changes.
#[derive(Debug, Clone, Serialize)]
pub struct CoherenceReport {
    pub level: Level,
    /// The context every hop shares (level study or context), or the last hops' context.
    pub context: Context,
    /// Each hop (numbered from 1) that shares neither a study nor a disease model with the
    /// hops before it, with the context before and after.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ContextChange>,
}

/// The studies and disease models a run of hops shares.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Context {
    pub studies: Vec<Citation>,
    pub disease_models: Vec<String>,
}

/// Where a path's context changes.
#[derive(Debug, Clone, Serialize)]
pub struct ContextChange {
    /// The hop (from 1) that starts the new context.
    pub hop: usize,
    pub before: Context,
    pub after: Context,
}

/// Builds reports on a projection.
pub struct Reporter<'a> {
    pub projection: &'a Projection,
    pub prefixes: &'a Prefixes,
}

impl Reporter<'_> {
    pub fn resource(&self, sym: Sym) -> Resource {
        let iri = self.projection.names.resolve(sym);
        // The projection gives the IRI itself for a resource without a label.
        let label = Some(self.projection.label(sym)).filter(|label| *label != iri);
        Resource::named(iri, label, self.prefixes)
    }

    fn names(&self, syms: &[Sym]) -> Vec<String> {
        syms.iter()
            .map(|s| self.projection.label(*s).to_owned())
            .collect()
    }

    pub fn citation(&self, study: Sym) -> Citation {
        let record = self.projection.studies.get(&study);
        Citation {
            number: record.and_then(|r| r.number),
            first_author: record
                .and_then(|r| r.first_author)
                .map(|a| self.projection.names.resolve(a).to_owned()),
            year: record.and_then(|r| r.year),
            iri: self.projection.names.resolve(study).to_owned(),
            title: record
                .and_then(|r| r.title)
                .map(|t| self.projection.names.resolve(t).to_owned()),
        }
    }

    fn context(
        &self,
        studies: &std::collections::BTreeSet<Sym>,
        models: &std::collections::BTreeSet<Sym>,
    ) -> Context {
        let mut citations: Vec<Citation> = studies.iter().map(|s| self.citation(*s)).collect();
        citations.sort();
        // By label, not by symbol: symbols number resources in the order a graph was read.
        let mut disease_models: Vec<String> = models
            .iter()
            .map(|m| self.projection.label(*m).to_owned())
            .collect();
        disease_models.sort();
        Context {
            studies: citations,
            disease_models,
        }
    }

    /// The coherence of a path, with the context before and after each change.
    fn coherence(&self, path: &Path, filter: &crate::trace::Filter) -> CoherenceReport {
        let p = self.projection;
        let mut running = Coherence::default();
        let mut changes = Vec::new();
        for (i, step) in path.steps.iter().enumerate() {
            let support = crate::trace::support(p, step.edge, filter).unwrap_or_default();
            let next = running.then(&support);
            if next.changes.len() > running.changes.len() {
                changes.push(ContextChange {
                    hop: i + 1,
                    before: self.context(&running.studies, &running.models),
                    after: self.context(&support.studies, &support.models),
                });
            }
            running = next;
        }
        CoherenceReport {
            level: path.coherence.level(),
            context: self.context(&path.coherence.studies, &path.coherence.models),
            changes,
        }
    }

    /// The report of one path, with only the evidence that passes `filter`.
    pub fn path(&self, rank: usize, path: &Path, filter: &crate::trace::Filter) -> PathReport {
        PathReport {
            rank,
            length: path.steps.len(),
            studies: path.studies.len(),
            coherence: self.coherence(path, filter),
            hops: path
                .steps
                .iter()
                .map(|step| self.hop(*step, filter))
                .collect(),
        }
    }

    /// The report of one hop, with only the evidence that passes `filter`.
    pub fn hop(&self, step: Step, filter: &crate::trace::Filter) -> Hop {
        let p = self.projection;
        let (s, o) = p
            .graph
            .edge_endpoints(step.edge)
            .expect("edge of the graph");
        let predicate = p.graph[step.edge].predicate;
        let evidence: Vec<Evidence> = p
            .evidence(step.edge)
            .filter(|st| crate::trace::passes(st, filter))
            .map(|st| self.evidence(st))
            .collect();
        let comparison = if p.is_comparative(predicate) {
            evidence.iter().find_map(|e| e.comparison.clone())
        } else {
            None
        };
        Hop {
            subject: self.resource(p.graph[s]),
            predicate: self.resource(predicate),
            object: self.resource(p.graph[o]),
            polarity: p.polarity(predicate),
            reversed: !step.forward,
            comparison,
            evidence,
        }
    }

    /// The evidence one statement of the projection gives: its studies and the qualifiers a
    /// trace filters on.
    pub fn evidence(&self, st: &crate::graph::Statement) -> Evidence {
        let mut studies: Vec<Citation> = st.studies.iter().map(|s| self.citation(*s)).collect();
        studies.sort();
        Evidence {
            statement: self.resource(st.id).id,
            studies,
            organisms: self.names(&st.organisms),
            products: self.names(&st.products),
            cell_types: self.names(&st.cell_types),
            disease_models: self.names(&st.disease_models),
            qualifiers: Vec::new(),
            comparison: self.comparison(st),
            comment: None,
        }
    }

    /// The comparison a statement states (st:comparison against st:comparedWith), if any.
    fn comparison(&self, statement: &crate::graph::Statement) -> Option<Comparison> {
        let outcome = statement.comparison.first()?;
        Some(Comparison {
            outcome: self.projection.label(*outcome).to_owned(),
            compared_with: self.names(&statement.compared_with),
        })
    }
}

/// "111; Yang H 2019 | 64; Liu X 2017" for a hop's evidence.
pub fn citations(hop: &Hop) -> String {
    crate::evidence::citations(hop.evidence.iter().flat_map(|e| &e.studies))
}

/// How a path's hops hold together, as `stroma trace` says it: "every hop on ref 111", "every
/// hop in experimental colitis (mouse)", "mixed contexts: changes at hop 2", "a claim of the
/// review"; empty on RDF without statements.
pub fn coherence_text(coherence: &CoherenceReport) -> String {
    match coherence.level {
        Level::Study => {
            let refs: Vec<String> = coherence
                .context
                .studies
                .iter()
                .map(|c| c.number.map_or_else(|| c.text(), |n| n.to_string()))
                .collect();
            let plural = if refs.len() == 1 { "" } else { "s" };
            if refs.is_empty() {
                // One hop that only the review itself supports.
                String::from("a claim of the review")
            } else {
                format!("every hop on ref{plural} {}", refs.join(", "))
            }
        }
        Level::Context => format!(
            "every hop in {}",
            coherence.context.disease_models.join(", ")
        ),
        Level::Mixed => {
            let hops: Vec<String> = coherence
                .changes
                .iter()
                .map(|c| c.hop.to_string())
                .collect();
            format!("mixed contexts: changes at hop {}", hops.join(", "))
        }
        Level::Unsupported => String::new(),
    }
}

/// The path as text lines, one per hop. The header says how the hops hold together; a hop
/// that starts a new context is marked `!` and followed by what it rests on.
pub fn path_text(path: &PathReport) -> String {
    let coherence = &path.coherence;
    let how = match coherence_text(coherence) {
        how if how.is_empty() => how,
        how => format!("; {how}"),
    };
    let mut out = format!(
        "path {} ({} hop{}, {} stud{}{how})\n",
        path.rank,
        path.length,
        if path.length == 1 { "" } else { "s" },
        path.studies,
        if path.studies == 1 { "y" } else { "ies" }
    );
    for (i, hop) in path.hops.iter().enumerate() {
        let polarity = match hop.polarity {
            Some(Polarity::Positive) => " (positive)",
            Some(Polarity::Negative) => " (negative)",
            _ => "",
        };
        // A comparison says how the subject fared; its polarity adds nothing.
        let relation = match &hop.comparison {
            Some(c) => format!("{} ({})", hop.predicate.label, c.text()),
            None => format!("{}{polarity}", hop.predicate.label),
        };
        let refs = citations(hop);
        let refs = if refs.is_empty() {
            String::from("[no evidence]")
        } else {
            format!("[refs {refs}]")
        };
        let change = coherence.changes.iter().find(|c| c.hop == i + 1);
        out.push_str(if change.is_some() { "! " } else { "  " });
        if hop.reversed {
            out.push_str(&format!(
                "{} ←{relation}— {}  {refs}",
                hop.object.label, hop.subject.label
            ));
        } else {
            out.push_str(&format!(
                "{} —{relation}→ {}  {refs}",
                hop.subject.label, hop.object.label
            ));
        }
        if let Some(change) = change {
            let models = if change.after.disease_models.is_empty() {
                String::from("no disease model")
            } else {
                change.after.disease_models.join(", ")
            };
            out.push_str(&format!("  (new context: {models})"));
        }
        out.push('\n');
    }
    out
}

/// A matrix as rows of cells: the number of distinct studies on the best path, or None when
/// the column is out of reach.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixReport {
    pub rows: Vec<Resource>,
    pub columns: Vec<Resource>,
    pub cells: Vec<Vec<Option<usize>>>,
    /// How the best path of each cell holds together (None when out of reach).
    pub coherence: Vec<Vec<Option<Level>>>,
    /// True when only coherent paths were counted (`--coherent`).
    pub coherent_only: bool,
    /// How names were understood, when a name was only the start of an entity's names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl MatrixReport {
    /// The rows that reach some column, and the columns some row reaches (indices).
    pub fn reached(&self) -> (Vec<usize>, Vec<usize>) {
        let rows: Vec<usize> = (0..self.rows.len())
            .filter(|r| self.cells[*r].iter().any(Option::is_some))
            .collect();
        let columns: Vec<usize> = (0..self.columns.len())
            .filter(|c| rows.iter().any(|r| self.cells[*r][*c].is_some()))
            .collect();
        (rows, columns)
    }
}

impl Reporter<'_> {
    pub fn matrix(&self, matrix: &Matrix) -> MatrixReport {
        let p = self.projection;
        MatrixReport {
            rows: matrix
                .rows
                .iter()
                .map(|n| self.resource(p.graph[*n]))
                .collect(),
            columns: matrix
                .columns
                .iter()
                .map(|n| self.resource(p.graph[*n]))
                .collect(),
            cells: matrix
                .cells
                .iter()
                .map(|line| {
                    line.iter()
                        .map(|c| c.as_ref().map(|path| path.studies.len()))
                        .collect()
                })
                .collect(),
            coherence: matrix
                .cells
                .iter()
                .map(|line| {
                    line.iter()
                        .map(|c| c.as_ref().map(|path| path.coherence.level()))
                        .collect()
                })
                .collect(),
            coherent_only: false,
            notes: Vec::new(),
        }
    }
}
