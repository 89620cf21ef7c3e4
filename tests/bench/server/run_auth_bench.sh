#!/usr/bin/env bash
# What access control and TLS cost: GET of a 1 KiB file (gzip, the hot path)
# in req/s, measured with wrk in one run against four servers on loopback:
#   plain HTTP, no --auth            (the reference)
#   plain HTTP, --auth, Basic on every request (verified once, then cached)
#   HTTPS, no --auth                 (keep-alive: one handshake per connection)
#   HTTPS, --auth
# Prints req/s and each ratio to the reference. Run on demand, not by CI.
#
# usage: run_auth_bench.sh [path/to/filetracker-server]
#   env: BENCH_DURATION (seconds per wrk run, default 10), BENCH_WORKERS
#        (--workers, default 2), BENCH_CONNECTIONS (default 32)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-${FILETRACKER_SERVER_BIN:-$HERE/../../../build/bin/filetracker-server}}
DUR=${BENCH_DURATION:-10}
WORKERS=${BENCH_WORKERS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
for tool in "$BIN" "$(command -v wrk)" "$(command -v openssl)" "$(command -v curl)"; do
  [[ -x "$tool" ]] || { echo "run_auth_bench.sh: missing $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/ft-auth-bench.XXXXXX)
SPID=""
stop_server() { if [[ -n "$SPID" ]]; then kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null || true; SPID=""; fi; }
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

start_server() {  # start_server ARGS... -> sets SPID, URL
  : >"$WORK/server.out"
  "$BIN" -d "$WORK/data" -p 0 --workers "$WORKERS" --log-level warning "$@" >"$WORK/server.out" 2>>"$WORK/server.log" &
  SPID=$!
  for _ in $(seq 100); do
    URL=$(sed -n 's/^filetracker-server: listening on //p' "$WORK/server.out")
    [[ -n "$URL" ]] && return 0
    sleep 0.1
  done
  echo "server did not start:"; cat "$WORK/server.log"; exit 1
}

# The principal, its secret, the certificate.
SECRET=bench-secret
printf '%s\n' "$SECRET" | "$BIN" passwd "$WORK/access" bench --access read 2>/dev/null
printf '%s\n' "$SECRET" | "$BIN" passwd "$WORK/access" loader --access write 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -days 1 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
AUTH="Authorization: Basic $(printf 'bench:%s' "$SECRET" | base64)"
TLS=(--tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem")

start_server
head -c 1024 /dev/urandom >"$WORK/small.bin"
curl -sf -T "$WORK/small.bin" "$URL/files/bench/small?last_modified=Thu%2C+01+Jan+2015+00%3A00%3A10+GMT" >/dev/null
stop_server

echo "filetracker-server (workers: $WORKERS), wrk -t2 -c$CONNS, ${DUR}s per run, GET /files/bench/small (1 KiB, gzip)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPU(s) (shared with wrk; other load skews every figure)"

run_wrk() {  # run_wrk URL [wrk args...] -> req/s
  local url=$1; shift
  local out
  out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" -H 'Accept-Encoding: gzip' "$@" "$url")
  echo "$out" >>"$WORK/wrk.log"
  if grep -q 'Non-2xx' <<<"$out"; then echo "run_auth_bench.sh: errors in the run:" >&2; echo "$out" >&2; exit 1; fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

declare -A R
start_server;                                   R[plain]=$(run_wrk "$URL/files/bench/small"); stop_server
start_server --auth "$WORK/access";             R[plain_auth]=$(run_wrk "$URL/files/bench/small" -H "$AUTH"); stop_server
start_server "${TLS[@]}";                       R[tls]=$(run_wrk "$URL/files/bench/small"); stop_server
start_server --auth "$WORK/access" "${TLS[@]}"; R[tls_auth]=$(run_wrk "$URL/files/bench/small" -H "$AUTH"); stop_server

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-28s %12s %10s\n' "configuration" "req/s" "ratio"
printf '%-28s %12.0f %10s\n' "plain, no auth (reference)" "${R[plain]}" "1.00"
printf '%-28s %12.0f %10s\n' "plain, --auth (Basic)" "${R[plain_auth]}" "$(ratio "${R[plain_auth]}" "${R[plain]}")"
printf '%-28s %12.0f %10s\n' "TLS, no auth" "${R[tls]}" "$(ratio "${R[tls]}" "${R[plain]}")"
printf '%-28s %12.0f %10s\n' "TLS, --auth (Basic)" "${R[tls_auth]}" "$(ratio "${R[tls_auth]}" "${R[plain]}")"
echo "auth on vs off: plain $(ratio "${R[plain_auth]}" "${R[plain]}"), TLS $(ratio "${R[tls_auth]}" "${R[tls]}")"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
