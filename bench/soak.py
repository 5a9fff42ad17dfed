#!/usr/bin/env python3
"""Soak test of `stroma serve`: a bounded loopback run of mixed requests with memory sampled.

Starts the binary given (`--binary`) on a free loopback port with the embedded graph, then
for `--seconds` runs `--clients` threads, each sending a weighted mix of what researchers and
their tools do: every named query through the SPARQL protocol (GET and POST, JSON, XML, CSV),
a CONSTRUCT, the Graph Store read of the whole graph, searches, suggestions, entity cards,
trace pages between real entities, the evidence matrix, query pages, assets, a missing page;
and, rarely, a pathological query that must get 503 at the deadline. Every reply's status is
checked against what that request must get. Once a second the server's resident memory
(VmRSS) and threads are sampled from /proc.

Passes when: no request got an unexpected status or failed to connect; resident memory never
passed `--rss-limit-mib`; the peak of the last third of the run is within 10 % (plus 16 MiB)
of the first third's peak (no growth); nothing runs once the clients stop; and the server
stops on SIGTERM with exit code 0. Prints a Markdown summary and writes the samples as JSON
(`--out`). Only the standard library: it runs with any Python 3.
"""

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (from, to) pairs the review links, for trace pages.
TRACES = [
    ("iPSC-MSC", "intestinal repair"),
    ("TSG-6", "intestinal repair"),
    ("iPSC-MSC", "angiogenesis"),
    ("iPSC-MSC", "limb ischaemia"),
    ("iPSC-MSC", "Sjogren syndrome"),
]
SEARCHES = ["TSG-6", "tnfa", "exosome", "sjogren", "ischemia", "iMSC", "bone", "IFNg"]
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def named_queries():
    return [(p.stem, p.read_text()) for p in sorted((ROOT / "queries").glob("*.rq"))]


def requests_mix(entities):
    """Each entry: (kind, weight, make) where make() gives (method, path, body, headers, ok)."""
    queries = named_queries()
    q = urllib.parse.quote

    def sparql_get():
        name, text = random.choice(queries)
        accept = random.choice(
            ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]
        )
        return "GET", f"/sparql?query={q(text)}", None, {"Accept": accept}, {200}

    def sparql_post():
        name, text = random.choice(queries)
        return "POST", "/sparql", text.encode(), {"Content-Type": "application/sparql-query"}, {200}

    def construct():
        entity = random.choice(entities)
        text = f"CONSTRUCT {{ <{entity}> ?p ?o }} WHERE {{ <{entity}> ?p ?o }}"
        return "GET", f"/sparql?query={q(text)}", None, {"Accept": "text/turtle"}, {200}

    def whole_graph():
        return "GET", "/store?default", None, {"Accept": "application/n-triples"}, {200}

    def search():
        return "GET", f"/search?q={q(random.choice(SEARCHES))}", None, {}, {200}

    def suggest():
        return "GET", f"/api/suggest?q={q(random.choice(SEARCHES)[:3])}", None, {}, {200}

    def entity():
        return "GET", f"/entity/{q('<' + random.choice(entities) + '>', safe='')}", None, {}, {200}

    def trace():
        source, target = random.choice(TRACES)
        return "GET", f"/trace?from={q(source)}&to={q(target)}", None, {}, {200}

    def matrix():
        return "GET", "/matrix", None, {}, {200}

    def query_page():
        name, _ = random.choice(queries)
        return "GET", f"/query?name={q(name)}", None, {}, {200}

    def asset():
        return "GET", random.choice(["/assets/stroma.css", "/assets/stroma.js"]), None, {}, {200}

    def missing():
        return "GET", "/no/such/page", None, {}, {404}

    def no_hit():
        return "GET", "/search?q=zzz-no-such-thing", None, {}, {404}

    def pathological():
        return "GET", f"/sparql?query={q(PATHOLOGICAL)}", None, {}, {503}

    return [
        ("sparql GET", 30, sparql_get),
        ("sparql POST", 10, sparql_post),
        ("construct", 8, construct),
        ("graph store", 1, whole_graph),
        ("search page", 10, search),
        ("suggest", 10, suggest),
        ("entity page", 12, entity),
        ("trace page", 8, trace),
        ("matrix page", 1, matrix),
        ("query page", 4, query_page),
        ("asset", 4, asset),
        ("missing page", 1, missing),
        ("search, no hit", 1, no_hit),
        ("deadline", 1, pathological),
    ]


def send(base, method, path, body, headers, timeout=60):
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            reply.read()
            return reply.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code


def proc_status(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rss-limit-mib", type=float, default=256)
    parser.add_argument("--timeout", default="2", help="the server's --timeout")
    parser.add_argument("--out", default="/var/tmp/stroma-target/bench/soak.json")
    args = parser.parse_args()

    server = subprocess.Popen(
        [args.binary, "serve", "--bind", "127.0.0.1:0", "--timeout", args.timeout, "--log", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = None
    log_lines = []
    for line in server.stderr:
        match = re.search(r"SPARQL endpoint at (http://\S+)/sparql", line)
        if match:
            base = match.group(1)
            break
    if base is None:
        sys.exit("stroma serve did not start")
    statuses_5xx = Counter()

    def read_log():
        for line in server.stderr:
            log_lines.append(line)
            try:
                event = json.loads(line)
            except ValueError:
                continue
            status = event.get("fields", {}).get("status")
            if isinstance(status, int) and status >= 500:
                statuses_5xx[status] += 1

    threading.Thread(target=read_log, daemon=True).start()

    found = json.loads(
        urllib.request.urlopen(
            base
            + "/sparql?query="
            + urllib.parse.quote("SELECT DISTINCT ?e WHERE { ?e rdfs:label ?l FILTER(isIRI(?e)) }"),
            timeout=60,
        ).read()
    )
    entities = [b["e"]["value"] for b in found["results"]["bindings"]]
    mix = requests_mix(entities)
    kinds = [k for k, _, _ in mix]
    weights = [w for _, w, _ in mix]
    makers = {k: m for k, _, m in mix}

    stop_at = time.monotonic() + args.seconds
    lock = threading.Lock()
    counts = Counter()
    unexpected = []
    latencies = defaultdict(list)

    def client(seed):
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            method, path, body, headers, ok = makers[kind]()
            started = time.monotonic()
            try:
                status = send(base, method, path, body, headers)
            except Exception as error:  # connection refused, reset, timeout
                status = f"{type(error).__name__}: {error}"
            took = time.monotonic() - started
            with lock:
                counts[kind] += 1
                latencies[kind].append(took)
                if status not in ok:
                    unexpected.append({"kind": kind, "path": path[:200], "status": str(status)})

    samples = []
    started = time.monotonic()

    def sampler():
        while time.monotonic() < stop_at + 1:
            samples.append(
                {
                    "t": round(time.monotonic() - started, 1),
                    "rss_kib": proc_status(server.pid, "VmRSS"),
                    "threads": proc_status(server.pid, "Threads"),
                }
            )
            time.sleep(1)

    sampling = threading.Thread(target=sampler)
    sampling.start()
    clients = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    sampling.join()

    time.sleep(3)
    health = json.loads(urllib.request.urlopen(base + "/health", timeout=10).read())
    server.send_signal(signal.SIGTERM)
    code = server.wait(timeout=30)

    rss = [s["rss_kib"] for s in samples]
    third = max(1, len(rss) // 3)
    first_peak, last_peak, peak = max(rss[:third]), max(rss[-third:]), max(rss)
    limit_kib = args.rss_limit_mib * 1024
    checks = {
        "no unexpected status": not unexpected,
        f"resident memory under {args.rss_limit_mib:.0f} MiB": peak <= limit_kib,
        "no growth (last third's peak <= first third's + 10 % + 16 MiB)": last_peak
        <= first_peak * 1.10 + 16 * 1024,
        "nothing running after the clients stop": health["running"] == 0,
        "SIGTERM stops it with exit code 0": code == 0,
    }
    total = sum(counts.values())
    summary = {
        "seconds": args.seconds,
        "clients": args.clients,
        "requests": total,
        "per_second": round(total / args.seconds, 1),
        "counts": dict(counts),
        "p50_ms": {k: round(1000 * sorted(v)[len(v) // 2], 1) for k, v in latencies.items()},
        "p99_ms": {k: round(1000 * sorted(v)[int(len(v) * 0.99)], 1) for k, v in latencies.items()},
        "rss_mib": {
            "first_sample": round(rss[0] / 1024, 1),
            "first_third_peak": round(first_peak / 1024, 1),
            "last_third_peak": round(last_peak / 1024, 1),
            "peak": round(peak / 1024, 1),
            "last": round(rss[-1] / 1024, 1),
        },
        "threads_peak": max(s["threads"] for s in samples),
        "server_5xx": dict(statuses_5xx),
        "unexpected": unexpected[:20],
        "unexpected_total": len(unexpected),
        "checks": checks,
        "samples": samples,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as out:
        json.dump(summary, out, indent=1)

    print(f"## Soak: {args.seconds:.0f} s, {args.clients} clients, {total} requests ({summary['per_second']}/s)\n")
    print("| request | count | p50 ms | p99 ms |\n|---|---:|---:|---:|")
    for kind in kinds:
        if counts[kind]:
            print(f"| {kind} | {counts[kind]} | {summary['p50_ms'][kind]} | {summary['p99_ms'][kind]} |")
    r = summary["rss_mib"]
    print(
        f"\nresident memory (MiB): first sample {r['first_sample']}, first third's peak "
        f"{r['first_third_peak']}, last third's peak {r['last_third_peak']}, peak {r['peak']}, "
        f"last {r['last']}; threads at most {summary['threads_peak']}; 5xx in the log: "
        f"{dict(statuses_5xx) or 'none'} (503s are the deadline requests)\n"
    )
    for check, passed in checks.items():
        print(f"- [{'x' if passed else ' '}] {check}")
    for u in unexpected[:10]:
        print(f"  unexpected: {u}")
    print(f"\nsamples: {args.out}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
