#!/usr/bin/env bash
# Issue 18's table in one run, every figure beside its reference:
#
#   measure                                      ours | deployed | nginx
#   GET 1 KiB, req/s (32 connections)
#   GET 64 MiB, req/s (4 connections)
#   PUT 1 KiB distinct names, 16 connections, req/s
#   PUT 1 KiB, one connection, sequential, /s
#   CLI cached `get name@v`, per call (and its ratio to `cp` of the same file)
#
# "ours": filetracker-server (fsynced) and the filetracker CLI, started here.
# "deployed": the Python filetracker server at --deployed-url (it cannot be
# installed by CI, so without the option the column says "-"), and with
# --deployed-src a checkout of its sources for the Python CLI. "nginx": static
# files (sendfile) when nginx is installed; it has no PUT or CLI figure.
# The ratio columns are how many times faster ours is (> 1: ours is faster).
# Run on demand (installer/setup.sh bench), not by CI.
#
# usage: tests/bench/run_issue18.sh [--deployed-url URL] [--deployed-src DIR]
#          [--server BIN] [--cli BIN] [--duration SECONDS] [--calls N]
#   --deployed-url URL   the deployed (Python) server, e.g. http://127.0.0.1:9999;
#                        files are written under /bench18-<random>/ there
#   --deployed-src DIR   a checkout of sio2project/filetracker: its CLI
#                        (python3 -m filetracker.client.shell) is timed too
#   --duration SECONDS   per wrk run (default 10, env BENCH_DURATION)
#   --calls N            CLI calls timed per command (default 50)
#   env: BENCH_WORKERS (--workers of our server, default 2), NGINX, PYTHON
#        (the Python of the deployed CLI, default /usr/bin/python3)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${FILETRACKER_SERVER_BIN:-$ROOT/build/bin/filetracker-server}
CLI=${FILETRACKER_CLI_BIN:-$ROOT/build/bin/filetracker}
DUR=${BENCH_DURATION:-10}
WORKERS=${BENCH_WORKERS:-2}
NGINX=${NGINX:-/usr/sbin/nginx}
PYTHON=${PYTHON:-/usr/bin/python3}
DEPLOYED="" DEPLOYED_SRC="" CALLS=50
usage() { sed -n '19,28p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
  case "$1" in
    --deployed-url) DEPLOYED=${2:?--deployed-url needs a URL}; shift 2 ;;
    --deployed-src) DEPLOYED_SRC=${2:?--deployed-src needs a directory}; shift 2 ;;
    --server) BIN=${2:?}; shift 2 ;;
    --cli) CLI=${2:?}; shift 2 ;;
    --duration) DUR=${2:?}; shift 2 ;;
    --calls) CALLS=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "run_issue18.sh: unknown argument $1" >&2; usage ;;
  esac
done
DEPLOYED=${DEPLOYED%/}
for tool in "$BIN" "$CLI" "$(command -v wrk)" "$(command -v python3)" "$(command -v curl)"; do
  [[ -x "$tool" ]] || { echo "run_issue18.sh: missing $tool (installer/setup.sh bench installs wrk)" >&2; exit 2; }
done
if [[ -n "$DEPLOYED" ]] && ! curl -s -o /dev/null "$DEPLOYED/version"; then
  echo "run_issue18.sh: no server answers at $DEPLOYED" >&2; exit 2
fi
if [[ -n "$DEPLOYED_SRC" && ! -f "$DEPLOYED_SRC/filetracker/client/shell.py" ]]; then
  echo "run_issue18.sh: $DEPLOYED_SRC is no checkout of sio2project/filetracker" >&2; exit 2
fi
HAVE_NGINX=0
[[ -x "$NGINX" ]] && HAVE_NGINX=1

WORK=$(mktemp -d /tmp/ft-bench18.XXXXXX)
# shellcheck source=server/bench_common.sh
source "$HERE/server/bench_common.sh"  # start_server, start_nginx, run_wrk, fetch_gzip; SPID, NPID
trap bench_cleanup EXIT

VERSION=1420070410  # the last_modified populate.py and put_distinct.lua send
NS="/bench18-$$-$RANDOM"  # on the deployed server: names of this run only

# ---- the servers, holding the same two files ---------------------------------------
start_server "$WORK/data"
echo "ours: $URL (workers $WORKERS); deployed: ${DEPLOYED:-none}; nginx: $([[ $HAVE_NGINX = 1 ]] && echo "$NGINX" || echo none)"
echo "wrk runs of ${DUR}s; load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPU(s) (shared with wrk and the clients)"
head -c 1024 /dev/urandom >"$WORK/small.bin"
head -c $((64 << 20)) /dev/urandom >"$WORK/big.bin"
python3 "$HERE/server/populate.py" "$URL" /bench/small "$WORK/small.bin"
python3 "$HERE/server/populate.py" "$URL" /bench/big "$WORK/big.bin"
if [[ -n "$DEPLOYED" ]]; then
  python3 "$HERE/server/populate.py" "$DEPLOYED" "$NS/small" "$WORK/small.bin"
  python3 "$HERE/server/populate.py" "$DEPLOYED" "$NS/big" "$WORK/big.bin"
fi
rm -f "$WORK/big.bin"
if [[ $HAVE_NGINX = 1 ]]; then
  mkdir -p "$WORK/www/bench"
  fetch_gzip "$URL" /bench/small "$WORK/www/bench/small"
  fetch_gzip "$URL" /bench/big "$WORK/www/bench/big"
  start_nginx "$WORK/www"
fi

# ---- wrk ----------------------------------------------------------------------------
declare -A R  # R[row,column] = figure
GZ=(-H "Accept-Encoding: gzip")
wrk_row() {  # wrk_row ROW CONNECTIONS PATH_OURS PATH_DEPLOYED PATH_NGINX [wrk args...]
  local row=$1 conns=$2 ours=$3 deployed=$4 nginx=$5; shift 5
  read -r "R[$row,ours]" _ < <(run_wrk "$conns" "$URL$ours" "$@")
  if [[ -n "$DEPLOYED" ]]; then read -r "R[$row,deployed]" _ < <(run_wrk "$conns" "$DEPLOYED$deployed" "$@"); fi
  if [[ $HAVE_NGINX = 1 && -n "$nginx" ]]; then read -r "R[$row,nginx]" _ < <(run_wrk "$conns" "$NURL$nginx" "$@"); fi
}
wrk_row get1k 32 /files/bench/small "/files$NS/small" /bench/small "${GZ[@]}"
wrk_row get64m 4 /files/bench/big "/files$NS/big" /bench/big "${GZ[@]}"
put_row() {  # put_row ROW CONNECTIONS: distinct names and contents (put_distinct.lua)
  local row=$1 conns=$2
  read -r "R[$row,ours]" _ < <(PUT_PREFIX="/files/put-$row" run_wrk "$conns" "$URL" -s "$HERE/server/put_distinct.lua")
  if [[ -n "$DEPLOYED" ]]; then
    read -r "R[$row,deployed]" _ < <(PUT_PREFIX="/files$NS/put-$row" run_wrk "$conns" "$DEPLOYED" -s "$HERE/server/put_distinct.lua")
  fi
}
put_row put16 16
put_row put1 1

# ---- the disk's floor for a sequential fsynced PUT ------------------------------------
# A 200 to a PUT means durable, so one PUT on one connection costs at least one
# fdatasync of the index's WAL. This times that alone (append 1 KiB, fdatasync)
# in the server's data directory: 1 / its median is the most sequential fsynced
# PUTs per second this disk allows, whatever the server does.
read -r FSYNC_US FSYNC_RATE < <(python3 - "$WORK/data" <<'PY'
import os, statistics, sys, time
path = os.path.join(sys.argv[1], "fsync-floor.tmp")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
block, times = os.urandom(1024), []
for _ in range(400):
    t = time.perf_counter(); os.write(fd, block); os.fdatasync(fd); times.append(time.perf_counter() - t)
os.close(fd); os.unlink(path)
m = statistics.median(times)
print("%.0f %.0f" % (m * 1e6, 1 / m))
PY
)

# ---- where a 1 GiB PUT's time goes ----------------------------------------------------
# A plain (uncompressed) 1 GiB body, as curl -T sends it: the server hashes and
# deflates it (--big-gzip-level 1), once on the connection's thread alone
# (--deflate-threads 1) and once with the deflate pool (the default), from its
# debug log line per upload (SHA-256, gzip, writing, receiving) and the batch
# line with the blob's fsync + index commit.
base64 -w 0 < <(head -c $((768 << 20)) /dev/urandom) >"$WORK/giant.txt"  # exactly 1 GiB, compresses ~3:4
giant_put() {  # giant_put LABEL [server args]: wall seconds and the server's breakdown
  local label=$1; shift
  "$BIN" -d "$WORK/giant-$label" -p 0 --workers "$WORKERS" --log-level debug "$@" >"$WORK/giant.out" 2>"$WORK/giant-$label.log" &
  SPID=$!
  for _ in $(seq 100); do
    URL=$(sed -n 's/^filetracker-server: listening on //p' "$WORK/giant.out"); [[ -n "$URL" ]] && break; sleep 0.1
  done
  local t0 t1
  t0=$(date +%s.%N)
  curl -s -f -o /dev/null -T "$WORK/giant.txt" "$URL/files/giant?last_modified=Thu%2C+01+Jan+2015+00%3A00%3A10+GMT"
  t1=$(date +%s.%N)
  stop_server
  rm -rf "$WORK/giant-$label"
  local line
  line=$(grep -o 'upload /giant: .*' "$WORK/giant-$label.log" | head -1)
  local commit
  commit=$(grep -o 'blob fsync .* ms, index [0-9.]*' "$WORK/giant-$label.log" | tail -1)
  printf '  %-34s %6.1f s   (%s%s)\n' "$label" "$(python3 -c "print($t1 - $t0)")" "${line#upload /giant: }" \
    "${commit:+; then $commit ms}"
}

# ---- CLI: a cached versioned get, per call, paired with cp of the same file ---------
# time_pairs N CMD_A... -- CMD_B... -> "A_MS B_MS WALL_RATIO A_CPU_MS B_CPU_MS CPU_RATIO":
# A and B run in turn N times; medians of A's and B's wall times, of their
# CPU times (user + system, the kernel's account of the child: steady on a
# busy machine) and of the pair-by-pair ratios A/B.
time_pairs() {
  python3 - "$@" <<'PY'
import os, statistics, subprocess, sys, time
n = int(sys.argv[1]); args = sys.argv[2:]; cut = args.index("--")
a, b = args[:cut], args[cut + 1:]
def once(cmd):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0: sys.exit("time_pairs: %s exited with %d" % (cmd[0], p.returncode))
    return wall, usage.ru_utime + usage.ru_stime
for _ in range(3): once(a); once(b)  # warm-up: page cache
ra, rb = [], []
for _ in range(n): ra.append(once(a)); rb.append(once(b))
med = statistics.median
ratio = lambda i: med(x[i] / y[i] for x, y in zip(ra, rb) if y[i] > 0)
print("%.2f %.2f %.2f %.2f %.2f %.2f" % (med(x[0] for x in ra) * 1e3, med(x[0] for x in rb) * 1e3, ratio(0),
                                         med(x[1] for x in ra) * 1e3, med(x[1] for x in rb) * 1e3, ratio(1)))
PY
}
cache="$WORK/cli-cache"
"$CLI" -r "$URL" -c "$cache" get "/bench/small@$VERSION" "$WORK/first.bin"
cmp -s "$WORK/first.bin" "$WORK/small.bin" || { echo "run_issue18.sh: our CLI got other bytes" >&2; exit 1; }
read -r 'R[cli,ours]' 'R[cli,ours_cp]' 'R[cli,ours_ratio]' 'R[cli,ours_cpu]' 'R[cli,ours_cp_cpu]' 'R[cli,ours_cpu_ratio]' \
  < <(time_pairs "$CALLS" \
  "$CLI" -r "$URL" -c "$cache" get "/bench/small@$VERSION" "$WORK/out.bin" -- \
  cp "$cache/files/bench/small" "$WORK/cp.bin")
if [[ -n "$DEPLOYED" && -n "$DEPLOYED_SRC" ]]; then
  pycache="$WORK/py-cache"
  pyft=(env PYTHONPATH="$DEPLOYED_SRC" FILETRACKER_URL="$DEPLOYED" FILETRACKER_DIR="$pycache" "$PYTHON" -m filetracker.client.shell)
  "${pyft[@]}" get "$NS/small@$VERSION" "$WORK/py-first.bin"
  cmp -s "$WORK/py-first.bin" "$WORK/small.bin" || { echo "run_issue18.sh: the deployed CLI got other bytes" >&2; exit 1; }
  read -r 'R[cli,deployed]' 'R[cli,deployed_cp]' 'R[cli,deployed_ratio]' 'R[cli,deployed_cpu]' 'R[cli,deployed_cp_cpu]' \
    'R[cli,deployed_cpu_ratio]' < <(time_pairs "$CALLS" \
    "${pyft[@]}" get "$NS/small@$VERSION" "$WORK/py-out.bin" -- \
    cp "$WORK/py-first.bin" "$WORK/py-cp.bin")
fi

# ---- the table ----------------------------------------------------------------------
faster() {  # faster OURS REF [time]: how many times faster ours is
  [[ -n "$1" && -n "$2" ]] || { echo "-"; return; }
  python3 -c "
import sys
o, r = float(sys.argv[1]), float(sys.argv[2])
print('-' if o <= 0 or r <= 0 else '%.2f' % ((r / o) if sys.argv[3:] else (o / r)))" "$@"
}
show() { echo "${1:--}"; }
printf '\n%-46s %24s %24s %12s %13s %10s\n' "measure" "ours" "deployed" "nginx" "vs deployed" "vs nginx"
rate_row() {  # rate_row LABEL ROW [ours note] [deployed note]
  local o=${R[$2,ours]:-} d=${R[$2,deployed]:-} n=${R[$2,nginx]:-}
  printf '%-46s %24s %24s %12s %13s %10s\n' "$1" "$(show "$o")${3:+ $3}" "$(show "$d")${d:+${4:+ $4}}" "$(show "$n")" \
    "$(faster "$o" "$d")" "$(faster "$o" "$n")"
}
rate_row "GET 1 KiB, req/s" get1k
rate_row "GET 64 MiB, req/s" get64m
rate_row "PUT 1 KiB distinct names, 16 conns, req/s" put16 "(fsync)" "(no fsync)"
rate_row "PUT 1 KiB, one connection, sequential, /s" put1 "(fsync)" "(no fsync)"
cli_cell() { [[ -n "${R[cli,$1]:-}" ]] && echo "${R[cli,$1]} ms (${R[cli,${1}_ratio]}x cp)" || echo "-"; }
printf '%-46s %24s %24s %12s %13s %10s\n' "CLI cached get name@v, per call" "$(cli_cell ours)" "$(cli_cell deployed)" "-" \
  "$(faster "${R[cli,ours]}" "${R[cli,deployed]:-}" time)" "-"
echo
echo "CLI row: median wall time per call, and in brackets the median of the pair-by-pair ratios to cp of the"
echo "same 1 KiB file run in turn with it. CPU time (user + system) per call, steadier when the machine is busy:"
echo "  ours ${R[cli,ours_cpu]} ms, ${R[cli,ours_cpu_ratio]}x cp (cp: ${R[cli,ours_cp_cpu]} ms; cp wall ${R[cli,ours_cp]} ms)"
if [[ -n "${R[cli,deployed_cpu]:-}" ]]; then
  echo "  deployed ${R[cli,deployed_cpu]} ms, ${R[cli,deployed_cpu_ratio]}x cp (cp: ${R[cli,deployed_cp_cpu]} ms; cp wall ${R[cli,deployed_cp]} ms)"
fi
echo "disk floor: one 1 KiB append + fdatasync here takes $FSYNC_US us (median of 400): at most $FSYNC_RATE fsynced"
echo "  sequential PUTs/s on this disk; ours reaches $(faster "${R[put1,ours]}" "$FSYNC_RATE") of that floor"
echo
echo "1 GiB plain PUT (curl -T, base64 content; wall time, then the server's own account):"
stop_server  # the table's server is done; each run below starts its own (SPID: stopped on exit too)
giant_put "deflate on the connection thread" --deflate-threads 1
giant_put "deflate pool (default)"
rm -f "$WORK/giant.txt"
echo
echo "aims (issue 18): sequential PUT >= 3x deployed (fsynced); cached CLI get <= 1.5x cp"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
