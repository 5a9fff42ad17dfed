//! Trace results as data for people and programs: paths with the evidence of every hop, in a
//! stable JSON schema (documented in README), and as text lines
//! `subject —relation (direction)→ object  [refs 111; Yang H 2019]`. Pure: no I/O.

use crate::evidence::{Citation, Evidence, Resource};
use crate::graph::{Polarity, Projection, Sym};
use crate::trace::{Matrix, Path};
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
    pub evidence: Vec<Evidence>,
}

/// One ranked path.
#[derive(Debug, Clone, Serialize)]
pub struct PathReport {
    pub rank: usize,
    pub length: usize,
    /// Distinct studies behind the hops (after the evidence filter).
    pub studies: usize,
    pub hops: Vec<Hop>,
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
        }
    }

    /// The report of one path, with only the evidence that passes `filter`.
    pub fn path(&self, rank: usize, path: &Path, filter: &crate::trace::Filter) -> PathReport {
        let p = self.projection;
        let hops = path
            .steps
            .iter()
            .map(|step| {
                let (s, o) = p
                    .graph
                    .edge_endpoints(step.edge)
                    .expect("edge of the graph");
                let predicate = p.graph[step.edge].predicate;
                let evidence = p
                    .evidence(step.edge)
                    .filter(|st| crate::trace::passes(st, filter))
                    .map(|st| {
                        let mut studies: Vec<Citation> =
                            st.studies.iter().map(|s| self.citation(*s)).collect();
                        studies.sort();
                        Evidence {
                            statement: self.resource(st.id).id,
                            studies,
                            organisms: self.names(&st.organisms),
                            products: self.names(&st.products),
                            cell_types: self.names(&st.cell_types),
                            disease_models: self.names(&st.disease_models),
                            qualifiers: Vec::new(),
                            comment: None,
                        }
                    })
                    .collect();
                Hop {
                    subject: self.resource(p.graph[s]),
                    predicate: self.resource(predicate),
                    object: self.resource(p.graph[o]),
                    polarity: p.polarity(predicate),
                    reversed: !step.forward,
                    evidence,
                }
            })
            .collect();
        PathReport {
            rank,
            length: path.steps.len(),
            studies: path.studies.len(),
            hops,
        }
    }
}

/// "111; Yang H 2019 | 64; Liu X 2017" for a hop's evidence.
pub fn citations(hop: &Hop) -> String {
    crate::evidence::citations(hop.evidence.iter().flat_map(|e| &e.studies))
}

/// The path as text lines, one per hop.
pub fn path_text(path: &PathReport) -> String {
    let mut out = format!(
        "path {} ({} hop{}, {} stud{})\n",
        path.rank,
        path.length,
        if path.length == 1 { "" } else { "s" },
        path.studies,
        if path.studies == 1 { "y" } else { "ies" }
    );
    for hop in &path.hops {
        let polarity = match hop.polarity {
            Some(Polarity::Positive) => " (positive)",
            Some(Polarity::Negative) => " (negative)",
            _ => "",
        };
        let refs = citations(hop);
        let refs = if refs.is_empty() {
            String::from("[no evidence]")
        } else {
            format!("[refs {refs}]")
        };
        if hop.reversed {
            out.push_str(&format!(
                "  {} ←{}{}— {}  {refs}\n",
                hop.object.label, hop.predicate.label, polarity, hop.subject.label
            ));
        } else {
            out.push_str(&format!(
                "  {} —{}{}→ {}  {refs}\n",
                hop.subject.label, hop.predicate.label, polarity, hop.object.label
            ));
        }
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
            notes: Vec::new(),
        }
    }
}
