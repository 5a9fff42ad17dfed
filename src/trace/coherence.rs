//! Coherence: whether a path's hops rest on one study, on one disease model, or on mixed
//! contexts, and the hops where the context changes. Built hop by hop from each hop's
//! [`Support`]; pure.

use super::Support;
use crate::graph::Sym;
use std::collections::BTreeSet;

/// How well a path's hops hold together, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// One study supports every hop.
    Study,
    /// No one study, but every hop was observed in one disease model.
    Context,
    /// The hops rest on different studies in different models: the context changes.
    Mixed,
    /// Some hop has no statement behind it (RDF without Stroma's evidence).
    Unsupported,
}

/// The coherence of a path: what its hops share, and the hops (0-based) where a new context
/// begins because the hop shares neither a study nor a disease model with the hops before it.
/// The review's own claims share no study: two of them chained are not one finding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coherence {
    /// The studies behind every hop since the last change.
    pub studies: BTreeSet<Sym>,
    /// The disease models behind every hop since the last change.
    pub models: BTreeSet<Sym>,
    pub changes: Vec<usize>,
    unsupported: bool,
    hops: usize,
}

impl Coherence {
    /// The coherence after one more hop resting on `support`.
    pub fn then(&self, support: &Support) -> Coherence {
        let mut next = self.clone();
        next.unsupported |= !support.stated;
        if self.hops == 0 {
            next.studies.clone_from(&support.studies);
            next.models.clone_from(&support.models);
        } else {
            next.studies = self
                .studies
                .intersection(&support.studies)
                .copied()
                .collect();
            next.models = self.models.intersection(&support.models).copied().collect();
            if next.studies.is_empty() && next.models.is_empty() {
                next.changes.push(self.hops);
                next.studies.clone_from(&support.studies);
                next.models.clone_from(&support.models);
            }
        }
        next.hops += 1;
        next
    }

    pub fn level(&self) -> Level {
        if self.unsupported {
            Level::Unsupported
        } else if !self.changes.is_empty() {
            Level::Mixed
        } else if !self.studies.is_empty() || self.hops <= 1 {
            Level::Study
        } else if !self.models.is_empty() {
            Level::Context
        } else {
            Level::Mixed
        }
    }

    /// True for paths on one study or one disease model.
    pub fn is_coherent(&self) -> bool {
        self.level() <= Level::Context
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn support(studies: &[Sym], models: &[Sym]) -> Support {
        Support {
            sources: studies.iter().copied().collect(),
            studies: studies.iter().copied().collect(),
            models: models.iter().copied().collect(),
            stated: true,
        }
    }

    #[test]
    fn coherence_is_one_study_then_one_model_then_mixed_with_the_hop_that_changes() {
        let walk = |hops: &[Support]| hops.iter().fold(Coherence::default(), |c, s| c.then(s));
        let one_study = walk(&[support(&[1], &[10]), support(&[1, 2], &[11])]);
        assert_eq!(one_study.level(), Level::Study);
        let one_model = walk(&[support(&[1], &[10]), support(&[2], &[10])]);
        assert_eq!(one_model.level(), Level::Context);
        let mixed = walk(&[
            support(&[1], &[10]),
            support(&[1], &[10]),
            support(&[3], &[12]),
            support(&[3], &[]),
        ]);
        assert_eq!(mixed.level(), Level::Mixed);
        assert_eq!(mixed.changes, [2], "the third hop starts a new context");
        assert!(!mixed.is_coherent());
        let unsupported = walk(&[support(&[1], &[]), Support::default()]);
        assert_eq!(unsupported.level(), Level::Unsupported);
    }
}
