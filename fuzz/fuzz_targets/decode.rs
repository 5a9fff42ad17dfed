//! Fuzzes the cache decoders on arbitrary bytes: a projection (src/graph/codec.rs:
//! `Projection::decode`), the name index (src/resolve.rs: `Index::decode`) and the stats
//! report (src/stats.rs: `Stats::decode`), over the reader in src/codec.rs.
//!
//! The first byte picks the decoder (and, for a projection, the trace options); the rest is
//! the file. Checks, beyond "no panic": damaged bytes are an `Err`, never a huge allocation (a
//! count claiming 2^32 items must not allocate for them up front: libFuzzer's
//! `-rss_limit_mb`/`-malloc_limit_mb` catch it); what decodes re-encodes to bytes that decode
//! again to the same counts; and a projection that decodes is safe to use: every edge's
//! evidence, every node's label and class, and traces between its nodes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use petgraph::graph::NodeIndex;
use stroma::graph::Projection;
use stroma::render::kind_of;
use stroma::resolve::Index;
use stroma::stats::Stats;
use stroma::trace::{paths, reachable, Filter, Options};

fn projection(selector: u8, bytes: &[u8]) {
    let Ok(p) = Projection::decode(bytes) else {
        return;
    };
    let back = Projection::decode(&p.encode()).expect("a decoded projection re-encodes");
    assert_eq!(
        (back.node_count(), back.edge_count(), back.statements.len()),
        (p.node_count(), p.edge_count(), p.statements.len())
    );
    for edge in p.graph.edge_indices() {
        let predicate = p.graph[edge].predicate;
        let _ = (p.names.resolve(predicate), p.polarity(predicate));
        for statement in p.evidence(edge) {
            let _ = p.names.resolve(statement.id);
        }
    }
    let nodes: Vec<NodeIndex<u32>> = p.graph.node_indices().take(8).collect();
    for node in &nodes {
        let _ = (p.iri(*node), p.node_label(*node), kind_of(&p, *node));
        assert_eq!(
            p.neighbours(*node, false).count(),
            p.graph.edges(*node).count()
        );
    }
    let options = Options {
        max_hops: usize::from(selector >> 4) % 4 + 1,
        paths: 4,
        undirected: selector & 0x08 != 0,
        filter: Filter::default(),
        coherent: selector & 0x04 != 0,
        through_hubs: false,
    };
    for from in &nodes {
        for to in &nodes {
            for path in paths(&p, *from, *to, &options) {
                assert_eq!((path.start, path.end(&p)), (*from, *to));
            }
        }
        let _ = reachable(&p, *from, |_| true, &options);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    match selector % 3 {
        0 => projection(selector, bytes),
        1 => {
            if let Ok(index) = Index::decode(bytes) {
                let back = Index::decode(&index.encode()).expect("a decoded index re-encodes");
                assert_eq!(back.encode().len(), index.encode().len());
                let _ = (index.search("tsg6", 5), index.suggest("colitis", 5));
            }
        }
        _ => {
            if let Ok(stats) = Stats::decode(bytes) {
                let encoded = stats.encode();
                let back = Stats::decode(&encoded).expect("decoded stats re-encode");
                assert_eq!(back.encode(), encoded);
            }
        }
    }
});
