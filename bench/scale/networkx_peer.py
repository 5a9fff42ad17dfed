"""networkx peer for bench/scale.sh: Stroma's `trace` and `render trace` done with networkx, one
fresh Python process each (bench/scale.sh also times the whole process with GNU time).

The graph is the generated file's relation triples: the four relations the generator marks
st:traversable (secretes, activates, mediates, inhibits), read from the N-Triples lines into a
DiGraph subject → object, since `stroma trace` follows relations in their direction. A DiGraph
keeps one edge per node pair, so two relations between the same pair count once here.

    python bench/scale/networkx_peer.py trace FILE.nt FROM_IRI TO_IRI [--max-hops 3] [--paths 5] [--reps 5]
        Loads the graph (timed: load_s), then collects up to --paths simple paths of at most
        --max-hops hops with nx.shortest_simple_paths, --reps times (trace_ms, in-process).
    python bench/scale/networkx_peer.py render FILE.nt FROM_IRI TO_IRI -o OUT.svg [--max-hops 3] [--paths 5]
        Loads the graph with the nodes' rdfs:labels, traces once, writes the subgraph of the
        paths as DOT (through nx.nx_pydot when pydot is installed, else by hand) and runs
        `dot -Tsvg` on it. The edges carry the relation's name only: no study numbers, which
        Stroma's diagram adds from the statement nodes (so the peer does less work).

Each prints one JSON object on stdout.
"""

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402

import networkx as nx  # noqa: E402

ST = "https://w3id.org/stroma/vocab#"
RELATIONS = {f"<{ST}{name}>": name for name in ("secretes", "activates", "mediates", "inhibits")}
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def load(path, labels=False):
    """The relation triples as a DiGraph (edge attribute `relation`), and the labels if asked.
    The generator writes one triple per line, `<s> <p> <o> .`, IRIs without spaces."""
    graph, names = nx.DiGraph(), {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            s, p, rest = line.split(" ", 2)
            relation = RELATIONS.get(p)
            if relation is not None:
                graph.add_edge(s[1:-1], rest.rsplit(" ", 1)[0][1:-1], relation=relation)
            elif labels and p == LABEL:
                literal = rest.rsplit(" ", 1)[0]
                text = literal[1 : literal.rindex('"')]
                names[s[1:-1]] = text.replace('\\"', '"').replace("\\\\", "\\")
    return graph, names


def trace(graph, source, target, max_hops, paths_wanted):
    """Up to paths_wanted simple paths of at most max_hops hops, shortest first."""
    paths = []
    if source not in graph or target not in graph:
        return paths
    try:
        for path in nx.shortest_simple_paths(graph, source, target):
            if len(path) - 1 > max_hops or len(paths) == paths_wanted:
                break
            paths.append(path)
    except nx.NetworkXNoPath:
        pass
    return paths


def dot_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_dot(sub, path):
    """Write the subgraph as DOT: with pydot through networkx when it is installed, else by hand."""
    try:
        import pydot  # noqa: F401

        nx.nx_pydot.write_dot(sub, path)
        return "nx.nx_pydot"
    except ImportError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write('digraph paths {\n  graph [rankdir="LR"];\n')
        for node, attrs in sub.nodes(data=True):
            f.write(f"  {node} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];\n")
        for a, b, attrs in sub.edges(data=True):
            f.write(f"  {a} -> {b} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];\n")
        f.write("}\n")
    return "by hand"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["trace", "render"])
    parser.add_argument("file")
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--max-hops", type=int, default=3)
    parser.add_argument("--paths", type=int, default=5)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("-o", "--output", help="the SVG to write (render)")
    args = parser.parse_args()

    graph, names = load(args.file, labels=args.mode == "render")
    load_s = time.perf_counter() - STARTED
    out = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "load_s": load_s}

    if args.mode == "trace":
        times = []
        for _ in range(args.reps):
            started = time.perf_counter()
            paths = trace(graph, args.source, args.target, args.max_hops, args.paths)
            times.append((time.perf_counter() - started) * 1e3)
        out.update(paths=len(paths), trace_ms=times, trace_median_ms=statistics.median(times))
    else:
        if not args.output:
            parser.error("render needs -o OUT.svg")
        paths = trace(graph, args.source, args.target, args.max_hops, args.paths)
        # Node names are n0, n1…: IRIs hold ':', which DOT (and pydot) read as a port.
        ids = {}
        sub = nx.DiGraph()
        for path in paths:
            for node in path:
                if node not in ids:
                    ids[node] = f"n{len(ids)}"
                    sub.add_node(ids[node], label=dot_quote(names.get(node, node)), URL=dot_quote(node))
            for a, b in zip(path, path[1:]):
                sub.add_edge(ids[a], ids[b], label=dot_quote(graph.edges[a, b]["relation"]))
        dot_file = os.path.splitext(args.output)[0] + ".dot"
        writer = write_dot(sub, dot_file)
        subprocess.run(["dot", "-Tsvg", dot_file, "-o", args.output], check=True)
        out.update(paths=len(paths), diagram_nodes=sub.number_of_nodes(),
                   diagram_edges=sub.number_of_edges(), dot_writer=writer)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
