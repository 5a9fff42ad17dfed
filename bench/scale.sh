#!/usr/bin/env bash
# Scale benchmark: Stroma against pyoxigraph, rdflib and networkx on the same generated graphs
# (bench/generate.py, seed 1), side by side in one run: load (wall time, triples/s, peak RSS),
# four SPARQL queries (bench/scale/queries/*.rq, row counts checked across the tools), a 3-hop
# trace cell0 → effect3 (first run and warm) and its SVG rendering. Prints a Markdown table of
# medians and ratios (peer / stroma: > 1 means Stroma is faster) per size, with the machine
# described, and writes each to $TARGET/bench/scale/results-N.md. Not a test.
#
#   bench/scale.sh [TRIPLES...]                 # default: 1000000 10000000
#   RUNS=5 bench/scale.sh 1000000               # repetitions (default 3); loads run once at ≥ 5M
#   STROMA_BIN=/path/to/stroma bench/scale.sh   # default $TARGET/release/stroma, built if missing
#   RDFLIB_TIMEOUT=60 bench/scale.sh            # stop each rdflib query after this (default 120 s)
#   STEPS="trace render" bench/scale.sh 1000000 # only these steps (load queries trace render),
#                                               # on the stores an earlier full run loaded
#
# The binary needs the rocksdb feature (persistent stores). Files, stores and outputs go under
# $TARGET/bench/scale (TARGET=${CARGO_TARGET_DIR:-/var/tmp/stroma-target}); each size's N-Triples
# file is generated once and reused. The Python peers run in ${STROMA_VENV:-/var/tmp/stroma-venv}
# (created, and pyoxigraph rdflib networkx pydot installed, when missing). Exits 1 after
# printing everything when a step failed or the tools disagree on a query's row count.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-/var/tmp/stroma-target}"
BIN="${STROMA_BIN:-$TARGET/release/stroma}"
VENV="${STROMA_VENV:-/var/tmp/stroma-venv}"
PY="$VENV/bin/python"
RUNS="${RUNS:-3}"
STEPS="${STEPS:-load queries trace render}"
step() { [[ " $STEPS " == *" $1 "* ]]; }
# A partial run keeps its own directory and table, beside the full run's.
TAG=""
[ "$STEPS" = "load queries trace render" ] || TAG="-${STEPS// /-}"
WORK="$TARGET/bench/scale"
SIZES=("$@")
[ "${#SIZES[@]}" -gt 0 ] || SIZES=(1000000 10000000)
for n in "${SIZES[@]}" "$RUNS"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench/scale.sh: not a positive integer: $n" >&2; exit 2; }
done
QUERIES=(bench/scale/queries/*.rq)
G='https://w3id.org/stroma/gen/'
FROM="${G}cell0" TO="${G}effect3" MAX_HOPS=3 PATHS=5
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in bench/scale

say() { echo "bench/scale.sh: $*" >&2; }

# --- tools ---------------------------------------------------------------------------------
if [ ! -x "$BIN" ]; then
  [ -z "${STROMA_BIN:-}" ] || { say "STROMA_BIN=$BIN is not an executable"; exit 2; }
  cargo build --release --features rocksdb
fi
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
command -v dot >/dev/null || { say "Graphviz's dot is missing (apt-get install graphviz)"; exit 2; }
[ -x "$PY" ] || python3 -m venv "$VENV"
"$PY" -c 'import pyoxigraph, rdflib, networkx' 2>/dev/null ||
  "$VENV/bin/pip" install -q pyoxigraph rdflib networkx
# The peers use the pyoxigraph >= 0.4 API (RdfFormat, QueryResultsFormat).
"$PY" -c 'from pyoxigraph import RdfFormat, QueryResultsFormat' 2>/dev/null ||
  "$VENV/bin/pip" install -q --upgrade pyoxigraph
"$PY" -c 'import pydot' 2>/dev/null || "$VENV/bin/pip" install -q pydot ||
  say "pydot is not installable: the networkx render peer writes DOT by hand"

mkdir -p "$WORK"
TMP_FILES=()
cleanup() { [ "${#TMP_FILES[@]}" -eq 0 ] || rm -rf "${TMP_FILES[@]}"; }
trap cleanup EXIT

# The binary must open persistent stores (a build without the rocksdb feature cannot).
PROBE="$WORK/probe"
TMP_FILES+=("$PROBE")
rm -rf "$PROBE" && mkdir -p "$PROBE"
printf '<urn:stroma:a> <urn:stroma:b> <urn:stroma:c> .\n' >"$PROBE/probe.nt"
if ! "$BIN" load "$PROBE/probe.nt" --store "$PROBE/store" >/dev/null 2>"$PROBE/err"; then
  say "$BIN cannot load into a persistent store (built without the rocksdb feature?):"
  cat "$PROBE/err" >&2
  exit 2
fi

# --- the machine ---------------------------------------------------------------------------
MACHINE="$WORK/machine.md"
pyversion() { "$PY" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || echo missing; }
git_rev="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD 2>/dev/null || git_rev="$git_rev with uncommitted changes"
{
  echo "## Machine"
  echo
  echo "- CPU: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo); nproc $(nproc)"
  echo "- MemTotal: $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); $(uname -sr)"
  echo "- stroma: $("$BIN" --version) ($BIN; tree at $git_rev)"
  echo "- $("$PY" --version 2>&1); pyoxigraph $(pyversion pyoxigraph); rdflib $(pyversion rdflib);" \
    "networkx $(pyversion networkx); pydot $(pyversion pydot)"
  echo "- $(dot -V 2>&1)"
  echo "- $(date -u '+%Y-%m-%d %H:%M UTC'); RUNS=$RUNS"
} >"$MACHINE"
cat "$MACHINE"
echo

# --- measuring -----------------------------------------------------------------------------
micros() { local t=${1//[.,]/}; echo $((10#$t)); } # $EPOCHREALTIME → µs
# timed STEP TOOL RUN OUT CMD...: runs CMD with stdout to OUT and stderr to OUT.err; appends
# its wall time (bash's clock, µs resolution), peak RSS (GNU time, KiB) and exit status to the
# size's measurements.tsv. A failing command is recorded, not fatal.
timed() {
  local step=$1 tool=$2 run=$3 out=$4 rc=0 t0 t1 us rss
  shift 4
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$out.rss" "$@" >"$out" 2>"$out.err" || rc=$?
  t1=$EPOCHREALTIME
  us=$(($(micros "$t1") - $(micros "$t0")))
  rss=$(tail -n 1 "$out.rss")
  printf '%s\t%s\t%s\t%d.%06d\t%s\t%s\t%s\n' "$step" "$tool" "$run" $((us / 1000000)) \
    $((us % 1000000)) "$rss" "$rc" "$out" >>"$TSV"
  if [ "$rc" != 0 ]; then
    say "$step / $tool run $run exited $rc:"
    tail -n 5 "$out.err" >&2 || true
  fi
}
skipped() { printf '%s\t%s\t-\t-\t%s\tskip\t-\n' "$1" "$2" "$3" >>"$TSV"; }

MEM_KIB=$(awk '/^MemTotal/ {print $2}' /proc/meminfo)
RD_LINES='' RD_BASE='' RD_PEAK='' # the last rdflib load measured (or estimated)
status=0

for N in "${SIZES[@]}"; do
  FILE="$WORK/g$N.nt"
  if [ ! -s "$FILE" ]; then
    say "generating $FILE"
    TMP_FILES+=("$FILE.tmp")
    python3 bench/generate.py --triples "$N" --seed 1 -o "$FILE.tmp"
    mv "$FILE.tmp" "$FILE"
  fi
  LINES=$(wc -l <"$FILE")
  BYTES=$(stat -c %s "$FILE")
  RUN_DIR="$WORK/run-$N$TAG"
  rm -rf "$RUN_DIR" && mkdir -p "$RUN_DIR"
  TSV="$RUN_DIR/measurements.tsv"
  : >"$TSV"
  LOAD_RUNS=$RUNS
  [ "$N" -lt 5000000 ] || LOAD_RUNS=1
  S_STORE="$WORK/stores/stroma-$N" O_STORE="$WORK/stores/pyoxigraph-$N"
  mkdir -p "$WORK/stores"

  # rdflib holds the graph in memory: skip it when the last size's peak RSS, scaled to this
  # file, would pass 60% of MemTotal (first size: ~1.5 KiB a triple over a 40 MiB base; rdflib
  # 7 measured ~1.3 KiB a triple).
  if [ -n "$RD_LINES" ]; then
    RD_EST=$((RD_BASE + (RD_PEAK - RD_BASE) * LINES / RD_LINES))
  else
    RD_EST=$((40960 + LINES * 3 / 2))
  fi
  RDFLIB=1
  if step load && [ $((RD_EST * 10)) -gt $((MEM_KIB * 6)) ]; then
    RDFLIB=0
    say "rdflib skipped at $N: it would need ~$(awk -v k="$RD_EST" 'BEGIN {printf "%.1f", k / 1048576}') GiB"
    skipped load rdflib "$RD_EST"
    RD_LINES=$LINES RD_BASE=${RD_BASE:-40960} RD_PEAK=$RD_EST
  fi

  if ! step load; then
    [ -d "$S_STORE" ] && [ -d "$O_STORE" ] ||
      { say "STEPS=$STEPS needs the stores of a full run at $N"; exit 2; }
    RDFLIB=0
  fi
  # 1. load, the tools interleaved run by run, each into a fresh store. rdflib's first process
  # also runs the queries in-process (step 2).
  for ((run = 1; run <= LOAD_RUNS; run++)); do
    step load || break
    say "$N: load run $run/$LOAD_RUNS"
    rm -rf "$S_STORE" "$O_STORE"
    timed load stroma "$run" "$RUN_DIR/load-stroma-$run.out" \
      "$BIN" load "$FILE" --store "$S_STORE"
    timed load pyoxigraph "$run" "$RUN_DIR/load-pyoxigraph-$run.out" \
      "$PY" bench/scale/pyoxigraph_peer.py load "$FILE" "$O_STORE"
    if [ "$RDFLIB" = 1 ]; then
      rd_queries=()
      # rdflib's queries run in the first load's process, at sizes below 5M only (one of them
      # can take minutes at 1M; each is stopped after RDFLIB_TIMEOUT seconds).
      [ "$run" != 1 ] || [ "$N" -ge 5000000 ] ||
        rd_queries=(--reps "$RUNS" --timeout "${RDFLIB_TIMEOUT:-120}" "${QUERIES[@]}")
      timed load rdflib "$run" "$RUN_DIR/load-rdflib-$run.json" \
        "$PY" bench/scale/rdflib_peer.py "$FILE" "${rd_queries[@]}"
    fi
  done
  if [ "$RDFLIB" = 1 ]; then
    base='' peak=''
    read -r base peak < <("$PY" bench/scale/report.py rdflib-rss "$RUN_DIR/load-rdflib-1.json") || true
    [ -z "${peak:-}" ] || { RD_LINES=$LINES RD_BASE=$base RD_PEAK=$peak; }
  fi

  # 2. queries: a fresh process each, on the stores of the last load.
  for ((run = 1; run <= RUNS; run++)); do
    step queries || break
    say "$N: queries run $run/$RUNS"
    for q in "${QUERIES[@]}"; do
      name=$(basename "$q" .rq)
      timed "query:$name" stroma "$run" "$RUN_DIR/query-$name-stroma.csv" \
        "$BIN" query "$q" --store "$S_STORE" --format csv
      timed "query:$name" pyoxigraph "$run" "$RUN_DIR/query-$name-pyoxigraph.csv" \
        "$PY" bench/scale/pyoxigraph_peer.py query "$O_STORE" "$q"
    done
  done

  # 3. trace: Stroma's first run after the load (builds the projection and keeps it beside the
  # store), then RUNS warm runs (read it back); `--verbose` reports the path search alone, to
  # set against networkx's in-process search. networkx loads the relations and traces
  # max(RUNS, 5) times in-process.
  TRACE=(trace "<$FROM>" "<$TO>" --max-hops "$MAX_HOPS" --paths "$PATHS" --store "$S_STORE" --verbose)
  if step trace; then
    say "$N: trace"
    timed trace-first stroma 1 "$RUN_DIR/trace-first-stroma.out" "$BIN" "${TRACE[@]}"
    for ((run = 1; run <= RUNS; run++)); do
      timed trace-warm stroma "$run" "$RUN_DIR/trace-warm-stroma-$run.out" "$BIN" "${TRACE[@]}"
    done
    for ((run = 1; run <= LOAD_RUNS; run++)); do
      timed trace networkx "$run" "$RUN_DIR/trace-networkx-$run.json" \
        "$PY" bench/scale/networkx_peer.py trace "$FILE" "$FROM" "$TO" \
        --max-hops "$MAX_HOPS" --paths "$PATHS" --reps $((RUNS > 5 ? RUNS : 5))
    done
  fi

  # 4. render the trace as SVG.
  step render && say "$N: render"
  for ((run = 1; run <= RUNS; run++)); do
    step render || break
    timed render stroma "$run" "$RUN_DIR/render-stroma-$run.out" \
      "$BIN" render trace "<$FROM>" "<$TO>" --max-hops "$MAX_HOPS" --paths "$PATHS" \
      --store "$S_STORE" --format svg -o "$RUN_DIR/trace-stroma.svg"
  done
  for ((run = 1; run <= LOAD_RUNS; run++)); do
    step render || break
    timed render networkx "$run" "$RUN_DIR/render-networkx-$run.json" \
      "$PY" bench/scale/networkx_peer.py render "$FILE" "$FROM" "$TO" \
      --max-hops "$MAX_HOPS" --paths "$PATHS" -o "$RUN_DIR/trace-networkx.svg"
  done

  query_args=()
  for q in "${QUERIES[@]}"; do query_args+=(--query "$q"); done
  rc=0
  "$PY" bench/scale/report.py table "$RUN_DIR" --triples "$N" --lines "$LINES" --bytes "$BYTES" \
    --runs "$RUNS" --load-runs "$LOAD_RUNS" --machine "$MACHINE" --output "$WORK/results-$N$TAG.md" \
    "${query_args[@]}" || rc=$?
  [ "$rc" = 0 ] || { status=1; [ "$rc" = 10 ] || say "report.py failed (exit $rc)"; }
done
say "results in $WORK/results-*.md"
exit "$status"
