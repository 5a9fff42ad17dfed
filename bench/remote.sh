#!/usr/bin/env bash
# A 3-hop trace on a generated graph of TRIPLES triples (default 1 000 000): locally on a
# persistent store (the whole traced graph projected), and remotely on Virtuoso and on
# `stroma serve --store` (only the part around the ends read, in batches). Prints each run's
# queries, rows and wall time as `trace --verbose` reports them, and checks that the three
# give the same paths. Needs the rocksdb build (scripts/test makes it) and Virtuoso
# (scripts/test installs it). Not a test: the numbers go into docs/benchmarks.md.
#
#   bench/remote.sh [TRIPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
TRIPLES="${1:-1000000}"
TARGET="${CARGO_TARGET_DIR:-/var/tmp/stroma-target}"
BIN="${STROMA_BIN:-$TARGET/debug/stroma}"
WORK="$TARGET/bench/remote"
mkdir -p "$WORK"
[ -x "$BIN" ] || cargo build --all-features

FILE="$WORK/g$TRIPLES.nt"
[ -s "$FILE" ] || python3 bench/generate.py --triples "$TRIPLES" --seed 1 -o "$FILE"
STORE="$WORK/store$TRIPLES"
[ -d "$STORE" ] || "$BIN" load "$FILE" --store "$STORE"

VT="$WORK/virtuoso"
HTTP_PORT=18990 SQL_PORT=11990
bash tests/virtuoso/start.sh "$VT" "$HTTP_PORT" "$SQL_PORT" >/dev/null
SERVE_PID=
cleanup() {
  bash tests/virtuoso/stop.sh "$VT" >/dev/null 2>&1 || true
  [ -z "$SERVE_PID" ] || kill "$SERVE_PID" 2>/dev/null || true
}
trap cleanup EXIT
GRAPH="urn:stroma:bench:$TRIPLES"
VT_URL="http://127.0.0.1:$HTTP_PORT/sparql"
count() {
  curl -s --data-urlencode "query=SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }" \
    --data-urlencode "default-graph-uri=$GRAPH" -H 'Accept: text/csv' "$VT_URL" | tail -1
}
if [ "$(count)" = 0 ]; then
  cp "$FILE" "$VT/"
  printf "ld_dir ('%s', '%s', '%s');\nrdf_loader_run ();\ncheckpoint;\n" \
    "$VT" "$(basename "$FILE")" "$GRAPH" |
    isql-vt "127.0.0.1:$SQL_PORT" dba dba VERBOSE=OFF BANNER=OFF PROMPT=OFF ERRORS=STDOUT >/dev/null
fi
echo "Virtuoso holds $(count) triples in $GRAPH"

G='https://w3id.org/stroma/gen/'
TRACE=(trace "<${G}cell0>" "<${G}effect3>" --max-hops 3 --paths 5 --verbose)
run() { # name, then the source options
  local name=$1; shift
  for i in 1 2 3; do
    "$BIN" "${TRACE[@]}" "$@" 2>"$WORK/$name.err" >"$WORK/$name.out"
    printf '%-24s run %d: %s\n' "$name" "$i" "$(grep '^trace: .*queries' "$WORK/$name.err")"
  done
  grep '^trace: expanded' "$WORK/$name.err" | sed "s/^/$(printf '%-24s' "$name")        /" || true
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); binary: $BIN"
run local-store --store "$STORE"
# The store is locked by the process that opens it: the server opens it after the local runs.
"$BIN" serve --store "$STORE" --bind 127.0.0.1:18991 --timeout 600 --max-rows 0 2>/dev/null &
SERVE_PID=$!
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:18991/health && break; sleep 0.2; done
run virtuoso --endpoint "$VT_URL" --default-graph "$GRAPH"
run stroma-serve-store --endpoint http://127.0.0.1:18991/sparql
cmp "$WORK/local-store.out" "$WORK/virtuoso.out"
cmp "$WORK/local-store.out" "$WORK/stroma-serve-store.out"
echo "the three give the same paths"
