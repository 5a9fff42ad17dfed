#!/usr/bin/env bash
# Trace benchmark: Stroma against networkx on the same generated graph (~1M edges), in one run.
# Usage: bench/trace.sh [EDGES]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/stroma-target}"
venv="${STROMA_VENV:-/var/tmp/stroma-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import networkx' 2>/dev/null || "$venv/bin/pip" install -q networkx
stroma=$(cargo bench -q --bench trace -- "${1:-1000000}")
networkx=$("$venv/bin/python" bench/trace_networkx.py bench/out)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m)"
echo "stroma:   $stroma"
echo "networkx: $networkx"
python3 - "$stroma" "$networkx" <<'PY'
import json, sys
s, n = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"paths found: stroma {s['paths_found']}, networkx {n['paths_found']}")
print(f"trace median: stroma {s['trace_median_ms']:.2f} ms, networkx {n['trace_median_ms']:.2f} ms "
      f"-> stroma is {n['trace_median_ms'] / s['trace_median_ms']:.0f}x faster")
print(f"projection build (stroma) {s['build_s']:.2f} s; graph load (networkx) {n['load_s']:.2f} s")
PY
