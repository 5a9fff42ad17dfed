//! Trace benchmark (not a test): builds the projection of a seeded random graph of about one
//! million edges, then times `trace::paths` (10 paths of up to 4 hops) between random connected
//! pairs. Writes the graph and the pairs to bench/out/ so `bench/trace.sh` can time networkx's
//! `shortest_simple_paths` on the same input in the same run.
//!
//! Run: `bench/trace.sh` (or `cargo bench --bench trace -- EDGES`).

use std::io::Write;
use std::time::Instant;
use stroma::graph::Builder;
use stroma::trace::{paths, Options};

/// SplitMix64: a small seeded generator, so every run uses the same graph.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() -> std::io::Result<()> {
    let edges: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    // Average out-degree 10, so that pairs within 4 hops are joined by many paths.
    let nodes = edges / 10;
    let pairs_wanted = 20;
    let out_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/out");
    std::fs::create_dir_all(&out_dir)?;

    let mut rng = Rng(42);
    let names: Vec<String> = (0..nodes)
        .map(|i| format!("http://bench.example/n{i}"))
        .collect();
    let mut list = Vec::with_capacity(edges);
    while list.len() < edges {
        let (s, o) = (rng.below(nodes), rng.below(nodes));
        if s != o {
            list.push((s, o));
        }
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(out_dir.join("trace-graph.tsv"))?);
    for (s, o) in &list {
        writeln!(file, "{s}\t{o}")?;
    }
    file.flush()?;

    let started = Instant::now();
    let mut builder = Builder::new();
    for (s, o) in &list {
        builder.edge(&names[*s], "http://bench.example/p", &names[*o]);
    }
    let projection = builder.finish();
    let build = started.elapsed();

    // Connected pairs: a random start and a random node 2 to 4 hops downstream of it.
    let options = Options::default();
    let mut pairs = Vec::new();
    while pairs.len() < pairs_wanted {
        let start = projection.node(&names[rng.below(nodes)]).expect("node");
        let mut frontier = vec![start];
        let mut seen = std::collections::HashSet::from([start]);
        let mut candidates = Vec::new();
        for depth in 1..=options.max_hops {
            let mut next = Vec::new();
            for n in frontier {
                for m in projection.graph.neighbors(n) {
                    if seen.insert(m) {
                        next.push(m);
                        if depth >= 2 {
                            candidates.push(m);
                        }
                    }
                }
            }
            frontier = next;
        }
        if !candidates.is_empty() {
            pairs.push((start, candidates[rng.below(candidates.len())]));
        }
    }
    let mut pair_file = std::fs::File::create(out_dir.join("trace-pairs.tsv"))?;
    let number = |n| {
        projection
            .iri(n)
            .rsplit('n')
            .next()
            .unwrap_or("")
            .to_owned()
    };
    for (s, t) in &pairs {
        writeln!(pair_file, "{}\t{}", number(*s), number(*t))?;
    }

    let mut times = Vec::new();
    let mut found = 0;
    for (s, t) in &pairs {
        let started = Instant::now();
        found += paths(&projection, *s, *t, &options).len();
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"edges\": {}, \"nodes\": {}, \"build_s\": {:.3}, \"pairs\": {}, \"paths_found\": {found}, \"trace_median_ms\": {:.3}, \"trace_max_ms\": {:.3}}}",
        projection.edge_count(),
        projection.node_count(),
        build.as_secs_f64(),
        pairs.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    );
    Ok(())
}
