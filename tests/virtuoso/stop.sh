#!/usr/bin/env bash
# Stop the Virtuoso instance started by start.sh DIR ... and wait for it to exit.
#
# usage: stop.sh DIR
#
# Does nothing (exit 0) if no instance recorded in DIR is running.
# The database files stay in DIR; delete DIR yourself to throw them away.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
DIR=$1
PIDFILE="$DIR/virtuoso.pid"

if [ ! -f "$PIDFILE" ]; then
    echo "no $PIDFILE; nothing to stop"
    exit 0
fi
PID=$(cat "$PIDFILE")

# Only signal the pid if it is still our virtuoso-t (guards against pid reuse).
is_ours() {
    kill -0 "$PID" 2>/dev/null &&
        tr '\0' ' ' < "/proc/$PID/cmdline" 2>/dev/null | grep -q -- "$DIR/virtuoso.ini"
}

if is_ours; then
    # Preferred: isql "shutdown;" (checkpoints, then exits). Fallback:
    # SIGTERM, which virtuoso-t handles as a "quick shutdown" without a
    # checkpoint (the transaction log is replayed at the next start).
    ISQL_BIN=${ISQL_BIN:-$(command -v isql-vt || echo /usr/bin/isql-vt)}
    SQL_PORT=$(sed -n 's/^ServerPort *= *127\.0\.0\.1:\([0-9]*\).*/\1/p' "$DIR/virtuoso.ini" | head -n 1)
    if [ -n "$SQL_PORT" ] && [ -x "$ISQL_BIN" ]; then
        echo "shutdown;" | timeout 30 "$ISQL_BIN" "127.0.0.1:$SQL_PORT" dba dba \
            VERBOSE=OFF BANNER=OFF PROMPT=OFF > /dev/null 2>&1 || true
    fi
    for _ in $(seq 50); do is_ours || break; sleep 0.2; done
    if is_ours; then kill -TERM "$PID" 2>/dev/null || true; fi
    deadline=$((SECONDS + 60))
    while is_ours; do
        if [ $SECONDS -ge $deadline ]; then
            echo "stop.sh: pid $PID did not exit after 60 s; sending SIGKILL" >&2
            kill -KILL "$PID" 2>/dev/null || true
            sleep 1
            break
        fi
        sleep 0.2
    done
fi

rm -f "$PIDFILE" "$DIR/virtuoso.lck"
echo "virtuoso in $DIR stopped"
