#!/usr/bin/env bash
# Benchmark of the scale-out backend (issue 19): filetracker-server over
# PostgreSQL + S3 (installer/services.sh: PostgreSQL 15 and Swift's s3api on
# loopback) against the same server on its local backend (SQLite + files),
# measured with wrk: GET of a 1 KiB file, GET of a 64 MiB file, PUT of 1 KiB
# files under distinct names. The S3 server runs twice: with its hot-blob
# disk cache (--blob-cache-size 1G, the default) and without it (0: every GET
# is a GET from S3). Small blobs (--inline-max-size, 64 KiB by default) live
# inside PostgreSQL, so the 1 KiB file never reaches S3; two more runs on a
# store of their own with --inline-max-size 0 send every blob through S3
# (cache on and off). Prints req/s, MB/s and the ratio to the local backend.
# Run on demand, not by CI. Starts the services when they are not running
# and stops them again at the end.
#
# usage: run_scaleout_bench.sh [path/to/filetracker-server]
#   env: BENCH_DURATION (seconds per wrk run, default 10), BENCH_WORKERS (default 2)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
BIN=${1:-${FILETRACKER_SERVER_BIN:-$ROOT/build/bin/filetracker-server}}
DUR=${BENCH_DURATION:-10}
WORKERS=${BENCH_WORKERS:-2}
for tool in "$BIN" "$(command -v wrk)" "$(command -v curl)" "$(command -v python3)"; do
  [[ -x "$tool" ]] || { echo "run_scaleout_bench.sh: missing $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/ft-scaleout-bench.XXXXXX)
PIDS=()
STARTED_SERVICES=0
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
  ((STARTED_SERVICES)) && bash "$ROOT/installer/services.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

state=$(bash "$ROOT/installer/services.sh" status)
if [[ "$state" != *"s3 (swift): running"* || "$state" != *"postgresql: running"* ]]; then
  bash "$ROOT/installer/services.sh" start >/dev/null
  STARTED_SERVICES=1
fi
eval "$(bash "$ROOT/installer/services.sh" env)"
STORE="bench$(date +%s)$$"
S3_BASE=${FILETRACKER_TEST_S3%%\?*}
S3_QUERY=${FILETRACKER_TEST_S3#*\?}
SCALEOUT=(--index "$FILETRACKER_TEST_POSTGRESQL?schema=$STORE" --blobs "$S3_BASE/$STORE?$S3_QUERY")
ALL_S3=(--index "$FILETRACKER_TEST_POSTGRESQL?schema=${STORE}s3" --blobs "$S3_BASE/${STORE}s3?$S3_QUERY"
        --inline-max-size 0)

start_server() {  # start_server NAME ARGS... -> sets URL
  local name=$1; shift
  "$BIN" -d "$WORK/$name" -p 0 --workers "$WORKERS" --log-level warning "$@" >"$WORK/$name.out" 2>>"$WORK/$name.log" &
  PIDS+=($!)
  for _ in $(seq 200); do
    URL=$(sed -n 's/^filetracker-server: listening on //p' "$WORK/$name.out")
    [[ -n "$URL" ]] && return 0
    sleep 0.1
  done
  echo "server $name did not start:"; cat "$WORK/$name.log"; exit 1
}

head -c 1024 /dev/urandom >"$WORK/small.bin"
head -c $((64 << 20)) /dev/urandom >"$WORK/big.bin"
populate() {  # populate URL
  for f in small big; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -T "$WORK/$f.bin" "$1/files/bench/$f?last_modified=Thu%2C+01+Jan+2015+00%3A00%3A10+GMT")
    [[ "$code" = 200 ]] || { echo "PUT /bench/$f to $1 answered $code" >&2; exit 1; }
  done
}

run_wrk() {  # run_wrk CONNECTIONS URL [wrk args...] -> "REQS MBPS"
  local conns=$1 url=$2; shift 2
  local out
  out=$(wrk -t2 -c"$conns" -d"${DUR}s" "$@" "$url")
  echo "$out" >>"$WORK/wrk.log"
  if grep -q "Non-2xx" <<<"$out"; then echo "WARNING: non-2xx answers: $(grep Non-2xx <<<"$out")" >&2; fi
  local reqs transfer
  reqs=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  transfer=$(awk '/Transfer\/sec/ {print $2}' <<<"$out")
  echo "$reqs $(python3 -c "
import re
m=re.match(r'([0-9.]+)([KMG]?B)','$transfer')
v,u=float(m.group(1)),m.group(2)
print('%.1f' % (v*{'B':1/2**20,'KB':1/1024,'MB':1,'GB':1024}[u]))")"
}

declare -A R
GZ=(-H "Accept-Encoding: gzip")
measure() {  # measure KEY URL
  read -r R[$1_get1k_r] R[$1_get1k_m] < <(run_wrk 32 "$2/files/bench/small" "${GZ[@]}")
  read -r R[$1_get64m_r] R[$1_get64m_m] < <(run_wrk 4 "$2/files/bench/big" "${GZ[@]}")
  read -r R[$1_put_r] R[$1_put_m] < <(run_wrk 32 "$2" -s "$HERE/put_distinct.lua")
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPU(s); wrk runs of ${DUR}s"
start_server local; populate "$URL"; measure local "$URL"
start_server s3cache "${SCALEOUT[@]}"; populate "$URL"; measure s3cache "$URL"
# A second server on the same store, without the cache: every GET goes to S3.
start_server s3nocache "${SCALEOUT[@]}" --blob-cache-size 0; measure s3nocache "$URL"
start_server alls3cache "${ALL_S3[@]}"; populate "$URL"; measure alls3cache "$URL"
start_server alls3nocache "${ALL_S3[@]}" --blob-cache-size 0; measure alls3nocache "$URL"

ratio() { python3 -c "print('%.2f' % ($1 / $2) if $2 else 'n/a')"; }
COLUMNS_=(s3cache s3nocache alls3cache alls3nocache)
printf '\n%-26s %10s %7s' "benchmark" "local r/s" "MB/s"
printf ' | %-22s' "S3+cache" "S3 no cache" "all in S3, cache" "all in S3, no cache"
printf '\n'
row() {
  printf '%-26s %10s %7s' "$1" "${R[local_${2}_r]}" "${R[local_${2}_m]}"
  local c
  for c in "${COLUMNS_[@]}"; do
    printf ' | %9s %5s %5sx' "${R[${c}_${2}_r]}" "${R[${c}_${2}_m]}" "$(ratio "${R[${c}_${2}_r]}" "${R[local_${2}_r]}")"
  done
  printf '\n'
}
row "GET 1 KiB" get1k
row "GET 64 MiB" get64m
row "PUT 1 KiB, distinct names" put
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
