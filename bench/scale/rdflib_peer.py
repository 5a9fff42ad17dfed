"""rdflib peer for bench/scale.sh: parse the N-Triples file into an in-memory Graph (rdflib has
no bulk loader; its Memory store is its fastest), then optionally run the SPARQL queries in the
same process, each REPS times. Prints one JSON object on stdout:

    {"triples": ..., "load_s": ..., "base_rss_kib": ..., "load_rss_kib": ...,
     "queries": {"QUERY.rq": {"rows": ..., "ms": [...]}, ...}}

load_s runs from the top of this script (imports included, interpreter start excluded) to the
end of the parse; load_rss_kib is the peak RSS at the end of the parse and base_rss_kib the peak
before it (interpreter and rdflib), so bench/scale.sh can extrapolate memory to bigger files.
Query times are in-process and exclude the load and rdflib's one-time SPARQL parser setup
(an untimed warm-up query).

A query still running after --timeout seconds (default 120) is stopped and recorded as
{"rows": null, "timeout_s": T}: rdflib evaluates joins one binding at a time, and at a million
triples one query can take longer than the rest of the benchmark.

    python bench/scale/rdflib_peer.py FILE.nt [--reps N] [--timeout S] [QUERY.rq ...]
"""

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402

from rdflib import Graph  # noqa: E402


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def peak_rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("queries", nargs="*")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=120)
    args = parser.parse_intermixed_args()

    base_rss = peak_rss_kib()
    graph = Graph()
    graph.parse(args.file, format="nt")
    out = {
        "triples": len(graph),
        "load_s": time.perf_counter() - STARTED,
        "base_rss_kib": base_rss,
        "load_rss_kib": peak_rss_kib(),
        "queries": {},
    }
    if args.queries:
        # rdflib builds its SPARQL parser on first use (~0.2 s); do that once, untimed, so the
        # figures are each query's own cost.
        graph.query("ASK { ?s ?p ?o }")
    for path in args.queries:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        times, rows = [], None
        signal.signal(signal.SIGALRM, on_alarm)
        try:
            for _ in range(args.reps):
                started = time.perf_counter()
                signal.alarm(args.timeout)
                # list() makes rdflib evaluate every row, as writing CSV would.
                rows = len(list(graph.query(text)))
                signal.alarm(0)
                times.append((time.perf_counter() - started) * 1e3)
        except Timeout:
            out["queries"][path] = {"rows": None, "timeout_s": args.timeout, "ms": [],
                                    "median_ms": None}
            continue
        out["queries"][path] = {"rows": rows, "ms": times, "median_ms": statistics.median(times)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
