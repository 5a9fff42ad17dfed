#!/usr/bin/env bash
# The web explorer's pages under load on loopback: for each page, oha's requests/s and p50/p99
# latency against a release `stroma serve` on the embedded graph. Pages that draw a diagram
# run Graphviz's `dot` per request, so `dot` alone on the same diagram (hyperfine) is the peer
# those pages are measured against: the ratio is what Stroma adds to the layout. A benchmark,
# never a test: the machine is shared and noisy.
#
#   bench/explorer.sh                 # 10 s per page, 1 connection (latency, not contention)
#   DURATION=30s CONNECTIONS=8 bench/explorer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/stroma-target}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-1}"
out="$CARGO_TARGET_DIR/bench-explorer"
mkdir -p "$out"

command -v oha >/dev/null || cargo install oha --locked
command -v hyperfine >/dev/null || cargo install hyperfine --locked
command -v dot >/dev/null || { echo "needs Graphviz's dot (apt-get install graphviz)" >&2; exit 1; }
cargo build -q --release
stroma="$CARGO_TARGET_DIR/release/stroma"

"$stroma" serve --bind 127.0.0.1:7893 2> "$out/stroma.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:7893/health >/dev/null && break; sleep 0.1; done

# The peers: dot alone on the diagrams the entity and trace pages draw.
"$stroma" render neighbourhood TSG-6 --depth 1 --format dot > "$out/entity.dot"
"$stroma" render trace TSG-6 "intestinal repair" --format dot > "$out/trace.dot"
dot_ms() {
  hyperfine -N --warmup 3 --runs 30 --export-json "$out/dot.json" "dot -Tsvg $1 -o /dev/null" >/dev/null
  python3 -c "import json; print(round(json.load(open('$out/dot.json'))['results'][0]['median'] * 1000, 1))"
}
entity_dot=$(dot_ms "$out/entity.dot")
trace_dot=$(dot_ms "$out/trace.dot")

printf '%-46s %9s %9s %9s %s\n' page "req/s" "p50 ms" "p99 ms" "dot alone (median ms)"
for page in \
  "/" "/search?q=tsg" "/api/suggest?q=ts" "/entity/sr:TSG6" "/study/111" \
  "/query?name=table-1" "/trace?from=TSG-6&to=intestinal%20repair" "/matrix" "/compare"; do
  url="http://127.0.0.1:7893$page"
  curl -sf -o /dev/null "$url" || { echo "failed before the clock: $url" >&2; exit 1; }
  oha -z "$duration" -c "$connections" --no-tui --output-format json "$url" > "$out/oha.json"
  peer=""
  case "$page" in
    /entity/*) peer="$entity_dot" ;;
    /trace*) peer="$trace_dot" ;;
  esac
  python3 - "$out/oha.json" "$page" "$peer" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s, p = d["summary"], d["latencyPercentiles"]
codes = d["statusCodeDistribution"]
bad = sum(n for c, n in codes.items() if c != "200")
peer = sys.argv[3]
ratio = f"{peer} (page p50 = {p['p50'] * 1000 / float(peer):.1f}x)" if peer else ""
print(f"{sys.argv[2]:<46} {s['requestsPerSec']:9.0f} {p['p50'] * 1000:9.1f} {p['p99'] * 1000:9.1f} {ratio}"
      + (f"  NON-200: {bad}" if bad else ""))
PY
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $duration per page, $connections connections"
