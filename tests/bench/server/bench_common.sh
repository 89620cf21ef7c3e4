# Shared by run_bench.sh and ../run_issue18.sh (sourced, not run): our server,
# nginx and wrk on loopback.
#
# The caller sets BIN (filetracker-server), WORKERS (its --workers), DUR
# (seconds per wrk run), NGINX (the nginx binary) and WORK (a scratch
# directory of its own), and runs bench_cleanup from its EXIT trap: it stops
# every process started here and removes WORK.

SPID="" NPID=""
bench_cleanup() {
  [[ -n "$SPID" ]] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null || true
  [[ -n "$NPID" ]] && kill "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null || true
  rm -rf "$WORK"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() {  # start_server DATA_DIR [server args...] -> sets SPID, URL
  local data=$1; shift
  : >"$WORK/server.out"
  "$BIN" -d "$data" -p 0 --workers "$WORKERS" --log-level warning "$@" >"$WORK/server.out" 2>>"$WORK/server.log" &
  SPID=$!
  for _ in $(seq 100); do
    URL=$(sed -n 's/^filetracker-server: listening on //p' "$WORK/server.out")
    [[ -n "$URL" ]] && return 0
    sleep 0.1
  done
  echo "server did not start:"; cat "$WORK/server.log"; exit 1
}

stop_server() { if [[ -n "$SPID" ]]; then kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null || true; SPID=""; fi; }

# The stored gzip form of NAME on the server at BASE_URL, as GET sends it
# (wherever the server keeps it: a blob file or the index), into FILE.
fetch_gzip() { curl -s -f -H 'Accept-Encoding: gzip' "$1/files$2" -o "$3"; }

# start_nginx ROOT -> sets NPID, NURL. Static files under ROOT with sendfile,
# access log off; autoindex under /bench/listdir/, WebDAV PUT under /put/.
start_nginx() {
  local root=$1
  mkdir -p "$root/put" "$WORK/nginx-tmp"
  NPORT=$(free_port)
  NURL="http://127.0.0.1:$NPORT"
  cat >"$WORK/nginx.conf" <<CONF
user root;
worker_processes 2;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  default_type application/octet-stream;
  client_body_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$NPORT;
    root $root;
    location /bench/listdir/ { autoindex on; }
    location /put/ { dav_methods PUT; create_full_put_path on; client_max_body_size 10m; }
  }
}
CONF
  "$NGINX" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
  NPID=$!
  for _ in $(seq 50); do curl -s -o /dev/null "$NURL/" && return 0; sleep 0.1; done
  echo "nginx did not start:"; cat "$WORK/nginx-error.log"; exit 1
}

# run_wrk CONNECTIONS URL [wrk args...] -> "REQS MBPS" (two threads, one
# with one connection).
run_wrk() {
  local conns=$1 url=$2; shift 2
  local threads=$((conns < 2 ? conns : 2))
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"${DUR}s" "$@" "$url")
  echo "$out" >>"$WORK/wrk.log"
  if grep -q "Non-2xx" <<<"$out"; then echo "WARNING: non-2xx answers: $(grep Non-2xx <<<"$out")" >&2; fi
  local reqs transfer
  reqs=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  transfer=$(awk '/Transfer\/sec/ {print $2}' <<<"$out")
  echo "$reqs $(python3 -c "
import re,sys
m=re.match(r'([0-9.]+)([KMG]?B)','$transfer')
v,u=float(m.group(1)),m.group(2)
print('%.1f' % (v*{'B':1/2**20,'KB':1/1024,'MB':1,'GB':1024}[u]))")"
}
