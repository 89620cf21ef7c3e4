#!/usr/bin/env bash
# Load benchmark of filetracker-server against nginx (static files, sendfile
# on, access log off), both on loopback, measured with wrk in one run:
#   GET of a 1 KiB file, GET of a 64 MiB file (req/s, MB/s), PUT of 1 KiB
#   files under distinct names (nginx: WebDAV PUT), /list of a directory of
#   10,000 files (nginx: autoindex), plus the server's peak RSS while a 1 GiB
#   file goes up and comes back.
# Prints our figures and the ratio to nginx. Run on demand, not by CI.
#
# usage: run_bench.sh [path/to/filetracker-server]
#   env: BENCH_DURATION (seconds per wrk run, default 10), BENCH_WORKERS
#        (--workers of our server, default 2), BENCH_SKIP_RSS=1
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-${FILETRACKER_SERVER_BIN:-$HERE/../../../build/bin/filetracker-server}}
DUR=${BENCH_DURATION:-10}
WORKERS=${BENCH_WORKERS:-2}
NGINX=${NGINX:-/usr/sbin/nginx}
for tool in "$BIN" "$NGINX" "$(command -v wrk)" "$(command -v python3)" "$(command -v curl)"; do
  [[ -x "$tool" ]] || { echo "run_bench.sh: missing $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/ft-bench.XXXXXX)
# shellcheck source=bench_common.sh
source "$HERE/bench_common.sh"  # start_server, start_nginx, run_wrk, fetch_gzip
trap bench_cleanup EXIT

# ---- our server, populated ------------------------------------------------------
start_server "$WORK/data"
echo "filetracker-server: $URL (workers: $WORKERS); nginx: $NGINX; wrk runs of ${DUR}s"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPU(s) (shared with wrk; other load skews every figure)"
head -c 1024 /dev/urandom >"$WORK/small.bin"
head -c $((64 << 20)) /dev/urandom >"$WORK/big.bin"
python3 "$HERE/populate.py" "$URL" /bench/small "$WORK/small.bin"
python3 "$HERE/populate.py" "$URL" /bench/big "$WORK/big.bin"
python3 "$HERE/populate.py" "$URL" /bench/listdir 10000 100
rm -f "$WORK/big.bin"

# ---- nginx serving the same bytes (our stored gzip blobs) -----------------------
mkdir -p "$WORK/www/bench/listdir"
fetch_gzip "$URL" /bench/small "$WORK/www/bench/small"
fetch_gzip "$URL" /bench/big "$WORK/www/bench/big"
python3 - "$WORK/www/bench/listdir" <<'PY'
import sys
for i in range(10000):
    with open("%s/%d" % (sys.argv[1], i), "w") as f:
        f.write(("%d " % i) * 100)
PY
start_nginx "$WORK/www"

# ---- wrk ------------------------------------------------------------------------
declare -A OURS NG
GZ=(-H "Accept-Encoding: gzip")
read -r OURS[get1k_r] OURS[get1k_m] < <(run_wrk 32 "$URL/files/bench/small" "${GZ[@]}")
read -r NG[get1k_r] NG[get1k_m] < <(run_wrk 32 "$NURL/bench/small" "${GZ[@]}")
read -r OURS[get64m_r] OURS[get64m_m] < <(run_wrk 4 "$URL/files/bench/big" "${GZ[@]}")
read -r NG[get64m_r] NG[get64m_m] < <(run_wrk 4 "$NURL/bench/big" "${GZ[@]}")
read -r OURS[put_r] OURS[put_m] < <(run_wrk 32 "$URL" -s "$HERE/put_distinct.lua")
read -r NG[put_r] NG[put_m] < <(PUT_PREFIX=/put PUT_SUFFIX="" run_wrk 32 "$NURL" -s "$HERE/put_distinct.lua")
read -r OURS[list_r] OURS[list_m] < <(run_wrk 8 "$URL/list/bench/listdir")
read -r NG[list_r] NG[list_m] < <(run_wrk 8 "$NURL/bench/listdir/")

ratio() { python3 -c "print('%.2f' % ($1 / $2) if $2 else 'n/a')"; }
printf '\n%-34s %12s %12s %12s %12s %7s\n' "benchmark" "ours req/s" "ours MB/s" "nginx req/s" "nginx MB/s" "ratio"
row() { printf '%-34s %12s %12s %12s %12s %7s\n' "$1" "${OURS[${2}_r]}" "${OURS[${2}_m]}" "${NG[${2}_r]}" "${NG[${2}_m]}" "$(ratio "${OURS[${2}_r]}" "${NG[${2}_r]}")"; }
row "GET 1 KiB (gzip blob as is)" get1k
row "GET 64 MiB (gzip blob as is)" get64m
row "PUT 1 KiB, distinct names (fsync)" put
row "/list of 10,000 files" list
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "aims: GET 1 KiB >= 0.6 x nginx, GET 64 MiB >= 0.8 x nginx, PUT >= 2000/s (nginx PUT: WebDAV, no fsync)"

# ---- memory while 1 GiB goes up and comes back ------------------------------------
if [[ "${BENCH_SKIP_RSS:-0}" != 1 ]]; then
  kill "$SPID"; wait "$SPID" 2>/dev/null || true
  start_server "$WORK/data-rss"
  head -c $((1 << 30)) /dev/urandom >"$WORK/giga.bin"
  base=$(awk '/VmRSS/ {print $2}' /proc/$SPID/status)
  t0=$(date +%s.%N)
  curl -s -f -T "$WORK/giga.bin" "$URL/files/rss/giga?last_modified=Thu%2C+01+Jan+2015+00%3A00%3A10+GMT" >/dev/null
  t1=$(date +%s.%N)
  curl -s -f -H 'Accept-Encoding: gzip' "$URL/files/rss/giga" -o /dev/null
  t2=$(date +%s.%N)
  curl -s -f "$URL/files/rss/giga" | cmp - "$WORK/giga.bin"
  t3=$(date +%s.%N)
  peak=$(awk '/VmHWM/ {print $2}' /proc/$SPID/status)
  python3 -c "
print('1 GiB random: PUT %.0f MB/s, GET gzip %.0f MB/s, GET plain (decompressing) %.0f MB/s' % (
  1024/($t1-$t0), 1024/($t2-$t1), 1024/($t3-$t2)))
print('server RSS: %.1f MiB at start, peak %.1f MiB (aim: < 64 MiB)' % ($base/1024, $peak/1024))"
  rm -f "$WORK/giga.bin"
fi
