#!/usr/bin/env bash
# Loopback load test of `stroma serve` against Oxigraph's own server, in the same run, on the
# same data (the embedded graph as N-Triples, in memory in both) and the same mix of requests
# (every named query in queries/, as GET URLs with the prefixes declared, picked at random by
# oha). Prints requests/s, p50/p99 latency and errors for each, and the ratios. A benchmark,
# never a test: the machine is shared and noisy, so only the ratio of the two is reported.
#
#   bench/serve.sh                 # 30 s per server, 8 connections
#   DURATION=10s CONNECTIONS=16 bench/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/stroma-target}"
duration="${DURATION:-30s}"
connections="${CONNECTIONS:-8}"
out="$CARGO_TARGET_DIR/bench-serve"
mkdir -p "$out"

command -v oha >/dev/null || cargo install oha --locked
# Oxigraph's server (compiles RocksDB's C++ once: ~20 min on two cores).
command -v oxigraph >/dev/null || cargo install oxigraph-cli --locked
cargo build -q --release
stroma="$CARGO_TARGET_DIR/release/stroma"

# The data and the mix.
"$stroma" query 'CONSTRUCT WHERE { ?s ?p ?o }' --format nt > "$out/graph.nt"
"$stroma" query 'CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1' --format ttl \
  | sed -n 's/^@prefix \(.*\) \.$/PREFIX \1/p' > "$out/prefixes.rq"
python3 - "$out" queries/*.rq <<'PY'
import pathlib, sys, urllib.parse
out = pathlib.Path(sys.argv[1])
prefixes = (out / "prefixes.rq").read_text()
queries = [prefixes + pathlib.Path(p).read_text() for p in sys.argv[2:]]
for name, path in [("stroma", "/sparql"), ("oxigraph", "/query")]:
    port = 7891 if name == "stroma" else 7892
    with open(out / f"urls-{name}.txt", "w") as f:
        for q in queries:
            f.write(f"http://127.0.0.1:{port}{path}?query={urllib.parse.quote(q)}\n")
print(f"{len(queries)} named queries, {sum(1 for _ in open(out / 'graph.nt'))} triples")
PY

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_for() { for _ in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

"$stroma" serve --no-embedded --data "$out/graph.nt" --bind 127.0.0.1:7891 --max-rows 0 \
  2> "$out/stroma.log" &
pids+=($!)
oxigraph serve --bind 127.0.0.1:7892 > "$out/oxigraph.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:7891/health
wait_for 'http://127.0.0.1:7892/query?query=ASK%7B%7D'
curl -sf -X POST -H 'Content-Type: application/n-triples' --data-binary @"$out/graph.nt" \
  'http://127.0.0.1:7892/store?default'

# Every query answers on both before the clock starts (a failing query would count as load).
while read -r url; do
  curl -sf -o /dev/null -H 'Accept: application/sparql-results+json' "$url" || { echo "stroma failed: $url" >&2; exit 1; }
done < "$out/urls-stroma.txt"
while read -r url; do
  curl -sf -o /dev/null -H 'Accept: application/sparql-results+json' "$url" || { echo "oxigraph failed: $url" >&2; exit 1; }
done < "$out/urls-oxigraph.txt"

for name in stroma oxigraph; do
  oha --no-tui --output-format json -z "$duration" -w -c "$connections" \
    -H 'Accept: application/sparql-results+json' \
    --urls-from-file "$out/urls-$name.txt" > "$out/$name.json"
done

python3 - "$out" "$duration" "$connections" <<'PY'
import json, os, pathlib, sys
out, duration, connections = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
rows = {}
for name in ["stroma", "oxigraph"]:
    r = json.loads((out / f"{name}.json").read_text())
    codes = r.get("statusCodeDistribution", {})
    errors = sum(r.get("errorDistribution", {}).values()) + sum(v for k, v in codes.items() if not k.startswith("2"))
    rows[name] = (r["summary"]["requestsPerSec"], r["latencyPercentiles"]["p50"] * 1000, r["latencyPercentiles"]["p99"] * 1000, errors)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"machine: {os.cpu_count()} cores ({cpu}); {duration} per server, {connections} connections, loopback")
print(f"{'server':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
for name, (rps, p50, p99, errors) in rows.items():
    print(f"{name:<10} {rps:>9.0f} {p50:>8.2f} {p99:>8.2f} {errors:>7}")
s, o = rows["stroma"], rows["oxigraph"]
print(f"ratio stroma/oxigraph: throughput {s[0] / o[0]:.2f}x, p50 {s[1] / o[1]:.2f}x, p99 {s[2] / o[2]:.2f}x")
PY
