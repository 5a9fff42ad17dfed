//! The ends of a walk as IRIs, for reading only the part of a graph around them (a remote
//! endpoint): the starts (FROM, or the members of a class), the ends (TO and the outcomes of a
//! condition, the members of a class, or none), and the other resources a trace names; and
//! the ball a neighbourhood diagram draws.

use super::trace::{study_name, TraceRequest};
use super::Engine;
use crate::error::Result;
use crate::graph::{self, Around, EdgeSelection, Projection};
use crate::vocab::ST;
use std::sync::Arc;

/// Where a walk starts and ends, as a person named them: for reading only the part of the
/// graph around them.
pub(super) struct Ends<'a> {
    pub from: Option<&'a str>,
    pub from_class: Option<&'a str>,
    pub to: Option<&'a str>,
    pub to_class: Option<&'a str>,
    /// For the matrix: TO is every member of the column class.
    pub to_members: bool,
}

impl Engine {
    /// The projection a neighbourhood of `depth` relations around `entity` is drawn from: the
    /// whole graph's, or, when the engine reads around, only that ball (and the edges between
    /// its outermost nodes).
    pub(super) fn neighbourhood_projection(
        &self,
        entity: &str,
        depth: usize,
        notes: &mut Vec<String>,
    ) -> Result<Arc<Projection>> {
        if !self.reads_around() {
            return self.projection(&EdgeSelection::default());
        }
        let around = Around {
            starts: vec![self.resolve_noted(entity, notes)?.into_string()],
            max_hops: depth,
            undirected: true,
            through_hubs: true,
            closed: true,
            ..Default::default()
        };
        let (p, _) = graph::read_around(self.db(), &EdgeSelection::default(), &around)?;
        Ok(Arc::new(p))
    }

    /// The part of the graph a walk between `ends` can use, as IRIs: what to read around.
    pub(super) fn around(
        &self,
        request: &TraceRequest,
        ends: &Ends<'_>,
        notes: &mut Vec<String>,
    ) -> Result<Around> {
        let mut named = Vec::new();
        let mut members = |class: &str, notes: &mut Vec<String>| -> Result<Vec<String>> {
            let class = self.resolve_noted(class, notes)?;
            named.push(class.as_str().to_owned());
            Ok(self
                .members(class.as_str())?
                .into_iter()
                .map(|m| m.iri)
                .collect())
        };
        let starts = match (ends.from, ends.from_class) {
            (Some(from), _) => vec![self.resolve_noted(from, notes)?.into_string()],
            (None, Some(class)) => members(class, notes)?,
            (None, None) => Vec::new(),
        };
        let targets = match (ends.to, ends.to_class) {
            (Some(to), _) => {
                let (iri, mut outcomes) = self.target_iris(to, notes)?;
                outcomes.push(iri);
                Some(outcomes)
            }
            (None, Some(class)) if ends.to_members => Some(members(class, notes)?),
            (None, Some(class)) => {
                named.push(self.resolve_noted(class, notes)?.into_string());
                None
            }
            (None, None) => {
                named.push(format!("{ST}TherapeuticEffect"));
                None
            }
        };
        named.extend(request.filter.organisms.iter().cloned());
        named.extend(request.filter.products.iter().flatten().cloned());
        if let Some(study) = &request.filter.study {
            named.push(self.resolve_noted(&study_name(study), notes)?.into_string());
        }
        Ok(Around {
            starts,
            targets,
            max_hops: request.max_hops,
            undirected: request.undirected,
            through_hubs: request.through_hubs,
            named,
            closed: false,
        })
    }
}
