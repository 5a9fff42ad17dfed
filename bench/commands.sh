#!/usr/bin/env bash
# Whole-command wall times of two Stroma builds side by side on the embedded graph: `show` of
# the most connected entities, `trace` (paths, every effect, the matrix) and `render pathway`
# (DOT), measured by hyperfine in one run so the machine's noise hits both alike. Prints each
# command's median wall time for both builds and their ratio, and the ratio of instructions
# executed (valgrind's callgrind: repeatable whatever else the machine is doing).
#
#   bench/commands.sh                 # HEAD against the release build of REV (default HEAD~1)
#   bench/commands.sh OLD_BIN NEW_BIN # two binaries you built
#
# Builds go to the target dir (a git worktree of REV under it); nothing is written to the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/stroma-target}"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
if [ $# -eq 2 ]; then
  old="$1" new="$2"
else
  rev="${1:-HEAD~1}"
  tree="$CARGO_TARGET_DIR/bench-worktree"
  rm -rf "$tree" && git worktree prune
  git worktree add -q --detach "$tree" "$rev"
  (cd "$tree" && cargo build -q --release)
  cp "$CARGO_TARGET_DIR/release/stroma" "$CARGO_TARGET_DIR/stroma-bench-old"
  git worktree remove --force "$tree"
  cargo build -q --release
  old="$CARGO_TARGET_DIR/stroma-bench-old" new="$CARGO_TARGET_DIR/release/stroma"
fi
results="$CARGO_TARGET_DIR/bench-commands"
mkdir -p "$results"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; old: $old; new: $new"
printf '%-40s %10s %10s %8s %12s %12s %8s\n' command "old (ms)" "new (ms)" new/old "old (Minstr)" "new (Minstr)" new/old
while IFS= read -r args; do
  [ -z "$args" ] && continue
  json="$results/$(echo "$args" | tr -c 'a-zA-Z0-9' _).json"
  hyperfine -N --warmup 2 --runs 15 --export-json "$json" \
    -n old "$old $args" -n new "$new $args" >/dev/null 2>&1
  instructions=()
  for bin in "$old" "$new"; do
    eval "valgrind --tool=callgrind --callgrind-out-file=$results/callgrind.out $bin $args" \
      >/dev/null 2>"$results/callgrind.err"
    instructions+=("$(grep -o 'Collected : [0-9]*' "$results/callgrind.err" | grep -o '[0-9]*$')")
  done
  python3 - "$json" "$args" "${instructions[@]}" <<'PY'
import json, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
old, new = runs["old"]["median"] * 1000, runs["new"]["median"] * 1000
io, inew = int(sys.argv[3]) / 1e6, int(sys.argv[4]) / 1e6
print(f"{sys.argv[2]:<40} {old:10.1f} {new:10.1f} {new / old:8.2f} {io:12.1f} {inew:12.1f} {inew / io:8.2f}")
PY
done <<'CMDS'
show st:InVivo
show sr:iPSC-MSC
show ref:111
trace TSG-6
trace iPSC-MSC 'intestinal repair'
trace --matrix
render pathway --format dot
CMDS
