"""networkx peer for bench/trace.rs: the same graph and pairs, 10 simple paths of up to 4 hops
each with nx.shortest_simple_paths (paths come shortest first; stop past 4 hops)."""
import itertools, json, statistics, sys, time
import networkx as nx

out = sys.argv[1]
started = time.perf_counter()
graph = nx.DiGraph()
with open(f"{out}/trace-graph.tsv") as f:
    graph.add_edges_from((int(a), int(b)) for a, b in (line.split() for line in f))
load = time.perf_counter() - started
pairs = [tuple(int(x) for x in line.split()) for line in open(f"{out}/trace-pairs.tsv")]
times, found = [], 0
for s, t in pairs:
    started = time.perf_counter()
    paths = []
    for path in nx.shortest_simple_paths(graph, s, t):
        if len(path) - 1 > 4 or len(paths) == 10:
            break
        paths.append(path)
    times.append((time.perf_counter() - started) * 1e3)
    found += len(paths)
times.sort()
print(json.dumps({"edges": graph.number_of_edges(), "load_s": round(load, 3), "pairs": len(pairs),
                  "paths_found": found, "trace_median_ms": round(times[len(times) // 2], 3),
                  "trace_max_ms": round(times[-1], 3)}))
