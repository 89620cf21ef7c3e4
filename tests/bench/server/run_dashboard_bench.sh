#!/usr/bin/env bash
# What the GUI's server dashboard costs the server (issue 20: sampling
# /metrics once a second must cost < 1% of the server's CPU at 10,000 req/s).
# In one run, on loopback, with --auth (the dashboard samples as an admin):
#   1. server CPU time (utime + stime from /proc/PID/stat) per GET /metrics,
#      from BENCH_METRICS_CALLS calls on an idle server (one keep-alive
#      connection, like the GUI's);
#   2. GET 1 KiB (gzip) req/s with wrk, dashboard closed: no /metrics;
#   3. the same with the dashboard open: GET /metrics once a second meanwhile.
# Prints req/s both ways and their ratio, the server's CPU per second under
# load, and the sampler's share of it (CPU per /metrics call x 1/s divided by
# the server's CPU per second). Run on demand, not by CI.
#
# usage: run_dashboard_bench.sh [path/to/filetracker-server]
#   env: BENCH_DURATION (seconds per wrk run, default 10), BENCH_WORKERS
#        (--workers, default 2), BENCH_CONNECTIONS (default 32),
#        BENCH_METRICS_CALLS (default 2000)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-${FILETRACKER_SERVER_BIN:-$HERE/../../../build/bin/filetracker-server}}
DUR=${BENCH_DURATION:-10}
WORKERS=${BENCH_WORKERS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
CALLS=${BENCH_METRICS_CALLS:-2000}
for tool in "$BIN" "$(command -v wrk)" "$(command -v curl)"; do
  [[ -x "$tool" ]] || { echo "run_dashboard_bench.sh: missing $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/ft-dashboard-bench.XXXXXX)
# shellcheck source=bench_common.sh
source "$HERE/bench_common.sh"  # start_server, stop_server, bench_cleanup (stops the server, removes WORK)
SAMPLER=""
stop_sampler() { if [[ -n "$SAMPLER" ]]; then kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""; fi; }
trap 'stop_sampler; bench_cleanup' EXIT

# utime + stime of the server, in clock ticks (fields 14 and 15; the name in
# field 2 has no spaces here).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SPID/stat"; }
TICK=$(getconf CLK_TCK)

SECRET=bench-secret
printf '%s\n' "$SECRET" | "$BIN" passwd "$WORK/access" reader --access read 2>/dev/null
printf '%s\n' "$SECRET" | "$BIN" passwd "$WORK/access" dash --access admin 2>/dev/null
READ="Authorization: Basic $(printf 'reader:%s' "$SECRET" | base64)"
ADMIN="Authorization: Basic $(printf 'dash:%s' "$SECRET" | base64)"

start_server "$WORK/data" --auth "$WORK/access"
head -c 1024 /dev/urandom >"$WORK/small.bin"
curl -sf -H "$ADMIN" -T "$WORK/small.bin" \
  "$URL/files/bench/small?last_modified=Thu%2C+01+Jan+2015+00%3A00%3A10+GMT" >/dev/null
curl -sf -H "$ADMIN" "$URL/metrics" >/dev/null  # the admin's secret verified (Argon2id) once, before measuring

echo "filetracker-server (workers: $WORKERS, --auth), wrk -t2 -c$CONNS, ${DUR}s per run, GET /files/bench/small (1 KiB, gzip)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPU(s) (shared with wrk; other load skews every figure)"

# 1. CPU per /metrics call: CALLS calls on one connection (curl reuses it).
printf 'url = "%s/metrics"\noutput = "/dev/null"\n' "$URL" >"$WORK/one.cfg"
for _ in $(seq "$CALLS"); do cat "$WORK/one.cfg"; done >"$WORK/metrics.cfg"
METRICS_BYTES=$(curl -sf -H "$ADMIN" "$URL/metrics" | wc -c)
sleep 1
before=$(cpu_ticks)
start_ns=$(date +%s%N)
curl -sf -H "$ADMIN" -K "$WORK/metrics.cfg"
end_ns=$(date +%s%N)
after=$(cpu_ticks)
PER_CALL_US=$(awk -v t=$((after - before)) -v hz="$TICK" -v n="$CALLS" 'BEGIN { printf "%.1f", t / hz / n * 1e6 }')
WALL_US=$(awk -v d=$((end_ns - start_ns)) -v n="$CALLS" 'BEGIN { printf "%.1f", d / 1000 / n }')
echo "GET /metrics ($METRICS_BYTES bytes): server CPU ${PER_CALL_US} us per call ($CALLS calls, $((after - before)) ticks); ${WALL_US} us wall per call"

run_wrk() {  # -> req/s; writes the server's CPU seconds per second of the run to $WORK/cpu
  local out before after
  before=$(cpu_ticks)
  out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" -H 'Accept-Encoding: gzip' -H "$READ" "$URL/files/bench/small")
  after=$(cpu_ticks)
  echo "$out" >>"$WORK/wrk.log"
  if grep -q 'Non-2xx' <<<"$out"; then echo "run_dashboard_bench.sh: errors in the run:" >&2; echo "$out" >&2; exit 1; fi
  awk -v t=$((after - before)) -v hz="$TICK" -v d="$DUR" 'BEGIN { printf "%.3f", t / hz / d }' >"$WORK/cpu"
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

# 2. Dashboard closed.
CLOSED=$(run_wrk); CLOSED_CPU=$(cat "$WORK/cpu")
# 3. Dashboard open: a sampler as the GUI's, once a second.
: >"$WORK/samples"
( while :; do curl -sf -H "$ADMIN" "$URL/metrics" -o /dev/null && echo ok >>"$WORK/samples"; sleep 1; done ) &
SAMPLER=$!
OPEN=$(run_wrk); OPEN_CPU=$(cat "$WORK/cpu")
stop_sampler
SAMPLES=$(wc -l <"$WORK/samples")

printf '%-34s %12s %14s\n' "dashboard" "req/s" "server CPU/s"
printf '%-34s %12.0f %14s\n' "closed (reference)" "$CLOSED" "$CLOSED_CPU"
printf '%-34s %12.0f %14s\n' "open (/metrics 1/s, $SAMPLES samples)" "$OPEN" "$OPEN_CPU"
awk -v o="$OPEN" -v c="$CLOSED" 'BEGIN { printf "req/s open / closed: %.3f\n", o / c }'
awk -v us="$PER_CALL_US" -v cpu="$CLOSED_CPU" -v rps="$CLOSED" 'BEGIN {
  share = us / 1e6 / cpu * 100
  printf "sampling cost: %.1f us of server CPU per second = %.4f%% of the server CPU at %.0f req/s (%.3f CPU-s/s)\n", us, share, rps, cpu
  printf "at 10,000 req/s the server uses about %.3f CPU-s/s: the sampler costs %.4f%% of that (target: < 1%%)\n", cpu * 10000 / rps, us / 1e6 / (cpu * 10000 / rps) * 100
}'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
