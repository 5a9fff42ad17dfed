#!/usr/bin/env bash
# Cold-start benchmark: wall time of one `stroma query` on the embedded graph (insert the
# ~15k triples build.rs compiled in into a fresh store, run a named query, print), against
# pyoxigraph loading the same Turtle and running the same query in one Python process,
# measured by hyperfine in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/stroma-target}"
venv="${STROMA_VENV:-/var/tmp/stroma-venv}"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import pyoxigraph' 2>/dev/null || "$venv/bin/pip" install -q pyoxigraph
cargo build -q --release
stroma="$CARGO_TARGET_DIR/release/stroma"
query=queries/factors-by-effect.rq
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
hyperfine -N --warmup 3 --runs 30 \
  -n stroma "$stroma query $query --format csv" \
  -n pyoxigraph "$venv/bin/python bench/cold_start_pyoxigraph.py $query"
