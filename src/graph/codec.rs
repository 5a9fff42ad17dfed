//! A [`Projection`] as bytes and back, for the cache beside a persistent store: what the graph
//! read gathered (names, nodes, edges, statements, studies, classes, marks), not what is
//! derived from it (the name lookup, the node map, the adjacency), which decoding rebuilds.
//! Pure: no I/O.

use super::{Csr, Edge, Polarity, Projection, Statement, Study, Sym};
use crate::codec::{DecodeError, Reader, Writer};
use petgraph::graph::NodeIndex;
use std::collections::{HashMap, HashSet};

impl Projection {
    /// The projection as bytes ([`Projection::decode`] reads them back).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.count(self.names.strings.len());
        for name in &self.names.strings {
            w.str(name);
        }
        w.u32s(
            self.graph
                .node_weights()
                .copied()
                .collect::<Vec<_>>()
                .as_slice(),
        );
        w.count(self.graph.edge_count());
        for edge in self.graph.raw_edges() {
            w.u32(edge.source().index() as u32);
            w.u32(edge.target().index() as u32);
            w.u32(edge.weight.predicate);
            w.u32(edge.weight.evidence_start);
            w.u32(edge.weight.evidence_len);
        }
        w.count(self.labels.len());
        for (sym, label) in &self.labels {
            w.u32(*sym);
            w.u32(*label);
        }
        for map in [&self.types, self.classes.parents()] {
            w.count(map.len());
            for (sym, classes) in map {
                w.u32(*sym);
                w.u32s(classes);
            }
        }
        w.count(self.polarity.len());
        for (predicate, polarity) in &self.polarity {
            w.u32(*predicate);
            w.u8(match polarity {
                Polarity::Positive => 0,
                Polarity::Negative => 1,
                Polarity::Neutral => 2,
            });
        }
        for set in [&self.hubs, &self.comparative, &self.reviews] {
            w.u32s(set.iter().copied().collect::<Vec<_>>().as_slice());
        }
        w.count(self.statements.len());
        for s in &self.statements {
            w.u32(s.id);
            for list in [
                &s.studies,
                &s.organisms,
                &s.products,
                &s.cell_types,
                &s.disease_models,
                &s.parts,
                &s.compared_with,
                &s.comparison,
            ] {
                w.u32s(list);
            }
        }
        w.u32s(&self.evidence);
        w.count(self.studies.len());
        for (sym, study) in &self.studies {
            w.u32(*sym);
            w.option_u32(study.number);
            w.option_u32(study.first_author);
            w.option_u32(study.year.map(|y| y as u32));
            w.option_u32(study.title);
        }
        w.into_bytes()
    }

    /// Reads back what [`Projection::encode`] wrote; every symbol, node and statement index is
    /// checked, so a damaged file is an error rather than a projection that panics later.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let mut p = Projection::default();
        let names = r.count(4)?;
        for at in 0..names {
            let sym = p.names.intern(r.str()?);
            if sym as usize != at {
                return Err(DecodeError(format!("the name at {at} is written twice")));
            }
        }
        let sym = |value: u32| -> Result<Sym, DecodeError> {
            if (value as usize) < names {
                Ok(value)
            } else {
                Err(DecodeError(format!("symbol {value} of {names}")))
            }
        };
        let syms = |values: Vec<u32>| -> Result<Vec<Sym>, DecodeError> {
            values.into_iter().map(sym).collect()
        };
        for node in r.u32s()? {
            let node_sym = sym(node)?;
            let index = p.graph.add_node(node_sym);
            p.nodes.insert(node_sym, index);
        }
        let nodes = p.graph.node_count();
        let node = |value: u32| -> Result<NodeIndex<u32>, DecodeError> {
            if (value as usize) < nodes {
                Ok(NodeIndex::new(value as usize))
            } else {
                Err(DecodeError(format!("node {value} of {nodes}")))
            }
        };
        let edges = r.count(20)?;
        let mut evidence_end = 0u64;
        for _ in 0..edges {
            let (source, target) = (node(r.u32()?)?, node(r.u32()?)?);
            let edge = Edge {
                predicate: sym(r.u32()?)?,
                evidence_start: r.u32()?,
                evidence_len: r.u32()?,
            };
            evidence_end =
                evidence_end.max(u64::from(edge.evidence_start) + u64::from(edge.evidence_len));
            p.graph.add_edge(source, target, edge);
        }
        for _ in 0..r.count(8)? {
            let key = sym(r.u32()?)?;
            p.labels.insert(key, sym(r.u32()?)?);
        }
        for _ in 0..r.count(8)? {
            let key = sym(r.u32()?)?;
            p.types.insert(key, syms(r.u32s()?)?);
        }
        for _ in 0..r.count(8)? {
            let class = sym(r.u32()?)?;
            for superclass in syms(r.u32s()?)? {
                p.classes.add(class, superclass);
            }
        }
        for _ in 0..r.count(5)? {
            let predicate = sym(r.u32()?)?;
            let polarity = match r.u8()? {
                0 => Polarity::Positive,
                1 => Polarity::Negative,
                2 => Polarity::Neutral,
                tag => return Err(DecodeError(format!("a polarity tagged {tag}"))),
            };
            p.polarity.insert(predicate, polarity);
        }
        for set in [&mut p.hubs, &mut p.comparative, &mut p.reviews] {
            *set = syms(r.u32s()?)?.into_iter().collect::<HashSet<_>>();
        }
        let statements = r.count(36)?;
        p.statements.reserve(statements);
        for _ in 0..statements {
            let mut s = Statement {
                id: sym(r.u32()?)?,
                ..Statement::default()
            };
            for list in [
                &mut s.studies,
                &mut s.organisms,
                &mut s.products,
                &mut s.cell_types,
                &mut s.disease_models,
                &mut s.parts,
                &mut s.compared_with,
                &mut s.comparison,
            ] {
                *list = syms(r.u32s()?)?;
            }
            p.statements.push(s);
        }
        p.evidence = r.u32s()?;
        if evidence_end > p.evidence.len() as u64
            || p.evidence.iter().any(|i| *i as usize >= p.statements.len())
        {
            return Err(DecodeError("evidence out of range".into()));
        }
        let studies = r.count(5)?;
        p.studies = HashMap::with_capacity(studies);
        for _ in 0..studies {
            let key = sym(r.u32()?)?;
            let study = Study {
                number: r.option_u32()?,
                first_author: r.option_u32()?.map(sym).transpose()?,
                year: r.option_u32()?.map(|y| y as i32),
                title: r.option_u32()?.map(sym).transpose()?,
            };
            p.studies.insert(key, study);
        }
        r.finish()?;
        p.adjacency = [Csr::build(&p.graph, false), Csr::build(&p.graph, true)];
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Builder;
    use super::*;

    fn sample() -> Projection {
        let mut b = Builder::new();
        b.edge("cell", "secretes", "tsg6");
        b.edge("tsg6", "mediates", "repair");
        b.label("tsg6", "TSG-6");
        b.typed("tsg6", "Factor");
        b.subclass("Factor", "Thing");
        b.hub("repair");
        b.comparative("higherIn");
        b.polarity("mediates", Polarity::Positive);
        b.study("ref1", Some(111), Some("Yang H"), Some(2019), None);
        b.statement(
            "stmt1",
            ("tsg6", "mediates", "repair"),
            [(crate::vocab::PROV_WAS_DERIVED_FROM, "ref1")],
        );
        b.finish()
    }

    #[test]
    fn a_projection_comes_back_whole() {
        let p = sample();
        let back = Projection::decode(&p.encode()).expect("decodes");
        assert_eq!(back.encode().len(), p.encode().len());
        assert_eq!(
            (back.node_count(), back.edge_count()),
            (p.node_count(), p.edge_count())
        );
        let tsg6 = back.node("tsg6").expect("a node");
        assert_eq!(back.node_label(tsg6), "TSG-6");
        let out: Vec<_> = back.neighbours(tsg6, false).collect();
        assert_eq!(out.len(), 1);
        let evidence: Vec<_> = back.evidence(out[0].0).collect();
        assert_eq!(evidence.len(), 1);
        assert_eq!(back.names.resolve(evidence[0].studies[0]), "ref1");
        assert_eq!(
            back.studies[&back.names.get("ref1").unwrap()].number,
            Some(111)
        );
        assert!(back.is_hub(back.node("repair").expect("a node")));
        let factor = back.names.get("Factor").expect("a class");
        assert!(back.is_instance(tsg6, factor));
    }

    #[test]
    fn damaged_bytes_are_an_error() {
        let bytes = sample().encode();
        for cut in (0..bytes.len()).step_by(7) {
            assert!(Projection::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        // Either an error or a projection: never a panic.
        let _ = Projection::decode(&flipped);
    }
}
