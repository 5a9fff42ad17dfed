//! Evidence for a hop: which statements count under a [`Filter`] (organism, product, study),
//! and what the statements that count rest on ([`Support`]: sources, studies, disease models).

use crate::graph::{Projection, Sym};
use petgraph::graph::EdgeIndex;
use std::collections::BTreeSet;

/// Which statements count as evidence.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Keep statements observed in one of these organisms.
    pub organisms: Option<Vec<Sym>>,
    /// Keep statements about the cells themselves (`cells`) or one of these products.
    pub products: Option<ProductFilter>,
    /// Keep statements derived from this study.
    pub study: Option<Sym>,
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub cells: bool,
    pub products: Vec<Sym>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.organisms.is_none() && self.products.is_none() && self.study.is_none()
    }
}

/// What one hop rests on: the sources and disease models of the statements that support it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Support {
    /// Every source (studies and the review itself).
    pub sources: BTreeSet<Sym>,
    /// The studies among them: what hops must share to rest on one study.
    pub studies: BTreeSet<Sym>,
    pub models: BTreeSet<Sym>,
    /// False when no statement supports the hop.
    pub stated: bool,
}

/// True when a statement counts as evidence under the filter.
pub fn passes(statement: &crate::graph::Statement, filter: &Filter) -> bool {
    filter
        .organisms
        .as_ref()
        .is_none_or(|o| statement.organisms.iter().any(|x| o.contains(x)))
        && filter.products.as_ref().is_none_or(|f| {
            (f.cells && statement.products.is_empty())
                || statement.products.iter().any(|x| f.products.contains(x))
        })
        && filter.study.is_none_or(|s| statement.studies.contains(&s))
}

/// What supports an edge under the filter; `None` when the filter rejects the edge.
pub fn support(p: &Projection, edge: EdgeIndex<u32>, filter: &Filter) -> Option<Support> {
    let mut support = Support::default();
    for statement in p.evidence(edge).filter(|s| passes(s, filter)) {
        support.stated = true;
        support.sources.extend(statement.studies.iter().copied());
        support.studies.extend(
            statement
                .studies
                .iter()
                .filter(|s| !p.is_review(**s))
                .copied(),
        );
        support
            .models
            .extend(statement.disease_models.iter().copied());
    }
    (support.stated || filter.is_empty()).then_some(support)
}
