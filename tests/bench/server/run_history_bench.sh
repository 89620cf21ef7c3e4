#!/usr/bin/env bash
# Version history (issue 16): what --keep-versions 10 costs against
# --keep-versions 0 (no history), measured with wrk on loopback, the two
# configurations alternating (0, 10, 0, 10) so background load hits both:
#   PUT 1 KiB of new content over 16 names per wrk thread (every PUT
#     supersedes a version: with history on, a kept row, and a pruned one
#     once 10 are kept), req/s;
#   GET 1 KiB (gzip as stored), req/s;
#   GET 1 KiB of a kept version (/history/P?last_modified=) vs /files/P;
#   the index's size per kept version (SQLite dbstat of the history table
#   and its index, after the PUT run).
# Prints each figure and the ratio keep-10 / keep-0 (aim: >= 0.9).
#
# usage: run_history_bench.sh [path/to/filetracker-server]
#   env: BENCH_DURATION (seconds per wrk run, default 10), BENCH_WORKERS (default 2)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-${FILETRACKER_SERVER_BIN:-$HERE/../../../build/bin/filetracker-server}}
DUR=${BENCH_DURATION:-10}
WORKERS=${BENCH_WORKERS:-2}
for tool in "$BIN" "$(command -v wrk)" "$(command -v python3)" "$(command -v curl)"; do
  [[ -x "$tool" ]] || { echo "run_history_bench.sh: missing $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/ft-history-bench.XXXXXX)
SPID=""
stop_server() { [[ -n "$SPID" ]] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null || true; SPID=""; }
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

start_server() {  # start_server DATA_DIR ARGS... -> sets SPID, URL
  local dir=$1; shift
  : >"$WORK/server.out"
  "$BIN" -d "$dir" -p 0 --workers "$WORKERS" --log-level warning "$@" >"$WORK/server.out" 2>>"$WORK/server.log" &
  SPID=$!
  for _ in $(seq 100); do
    URL=$(sed -n 's/^filetracker-server: listening on //p' "$WORK/server.out")
    [[ -n "$URL" ]] && return 0
    sleep 0.1
  done
  echo "server did not start:"; cat "$WORK/server.log"; exit 1
}

run_wrk() {  # run_wrk CONNECTIONS URL [wrk args...] -> req/s
  local conns=$1 url=$2; shift 2
  local out
  out=$(wrk -t2 -c"$conns" -d"${DUR}s" "$@" "$url")
  echo "$out" >>"$WORK/wrk.log"
  if grep -q "Non-2xx\|non-2xx answers: [1-9]" <<<"$out"; then echo "WARNING: non-2xx answers" >&2; fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

DATE="Thu%2C+01+Jan+2015+00%3A00%3A10+GMT"
head -c 1024 /dev/urandom >"$WORK/small.bin"
head -c 1024 /dev/urandom >"$WORK/old.bin"
declare -A PUT GET OLD
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPU(s); wrk runs of ${DUR}s"
for round in 1 2; do
  for keep in 0 10; do
    dir="$WORK/data-$keep-$round"
    start_server "$dir" --keep-versions "$keep"
    curl -sf -T "$WORK/small.bin" "$URL/files/bench/small?last_modified=$DATE" >/dev/null
    # A kept version to read: the same name superseded once.
    curl -sf -T "$WORK/old.bin" "$URL/files/bench/small2?last_modified=$DATE" >/dev/null
    curl -sf -T "$WORK/small.bin" "$URL/files/bench/small2?last_modified=Thu%2C+01+Jan+2015+00%3A00%3A11+GMT" >/dev/null
    p=$(run_wrk 32 "$URL" -s "$HERE/put_versions.lua")
    g=$(run_wrk 32 "$URL/files/bench/small" -H "Accept-Encoding: gzip")
    if [[ $keep == 10 ]]; then
      o=$(run_wrk 32 "$URL/history/bench/small2?last_modified=$DATE" -H "Accept-Encoding: gzip")
      OLD[$round]=$o
    fi
    PUT[$keep]="${PUT[$keep]:-} $p"
    GET[$keep]="${GET[$keep]:-} $g"
    stop_server
    if [[ $keep == 10 && $round == 2 ]]; then
      python3 - "$dir/index.sqlite3" >"$WORK/index.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT count(*) FROM history").fetchone()[0]
size = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name IN ('history', 'history_by_age')").fetchone()[0] or 0
files = db.execute("SELECT count(*) FROM files").fetchone()[0]
fsize = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'files'").fetchone()[0] or 0
print("%d kept versions of %d names: history table + index %d bytes = %.0f bytes per kept version"
      " (files table: %.0f bytes per file)" % (rows, files, size, size / max(rows, 1), fsize / max(files, 1)))
PY
    fi
  done
done
mean() { python3 -c "import sys; v=[float(x) for x in sys.argv[1:]]; print('%.0f' % (sum(v)/len(v)))" $1; }
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
p0=$(mean "${PUT[0]}"); p10=$(mean "${PUT[10]}"); g0=$(mean "${GET[0]}"); g10=$(mean "${GET[10]}")
o10=$(mean "${OLD[1]} ${OLD[2]}")
printf '\n%-44s %14s %14s %7s\n' "benchmark (mean of 2 runs each)" "keep 0 req/s" "keep 10 req/s" "ratio"
printf '%-44s %14s %14s %7s\n' "PUT 1 KiB, superseding (fsync)" "$p0" "$p10" "$(ratio "$p10" "$p0")"
printf '%-44s %14s %14s %7s\n' "GET 1 KiB /files (gzip as stored)" "$g0" "$g10" "$(ratio "$g10" "$g0")"
printf '%-44s %14s %14s %7s\n' "GET 1 KiB kept version /history (keep 10)" "-" "$o10" "$(ratio "$o10" "$g10")"
echo "runs: PUT keep 0:${PUT[0]}; keep 10:${PUT[10]}; GET keep 0:${GET[0]}; keep 10:${GET[10]}"
cat "$WORK/index.txt"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "aim: keep 10 / keep 0 >= 0.9 for PUT and GET"
