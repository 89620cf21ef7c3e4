#!/usr/bin/env bash
# Real services on loopback for the scale-out backend's tests and benchmarks:
# a PostgreSQL 15 cluster (the index) and OpenStack Swift with its s3api
# middleware (a real S3 API, for the blobs), both from Debian's packages.
# No mock and no home-made S3: what the tests talk to is what production runs.
#
#   installer/services.sh start   install what is missing, start both, wait until they answer
#   installer/services.sh stop    stop both (also what a half-finished start left running)
#   installer/services.sh env     print the environment that points a test at them (eval-able)
#   installer/services.sh status  say what runs
#
# State lives in $FILETRACKER_SERVICES_DIR (default /tmp/filetracker-services);
# ports from FILETRACKER_PG_PORT (default 15432), FILETRACKER_S3_PORT (18080),
# moved to free ones (and recorded in $dir/ports) when another program holds
# a default one.
# Idempotent: start on running services only checks them; stop on stopped ones
# does nothing. Needs root (or sudo) for the first install only; PostgreSQL
# refuses to run as root, so the cluster runs as the `postgres` user.
set -euo pipefail

mode=${1:-}
dir=${FILETRACKER_SERVICES_DIR:-/tmp/filetracker-services}
# Ports: FILETRACKER_PG_PORT / FILETRACKER_S3_PORT when set, exactly those;
# otherwise the ones this state directory used last ($dir/ports), otherwise
# 15432 and 18080. A start that finds another program listening on a port it
# did not pin moves to free ones and records them, so `env` and `status`
# follow: a CI machine may well run something of its own on 18080 (Swift then
# retries its bind for 30 s and never answers).
ports_file=$dir/ports
pg_port=15432
s3_port=18080
if [ -f "$ports_file" ]; then
  saved_pg=$(sed -n 's/^pg_port=\([0-9]\+\)$/\1/p' "$ports_file")
  saved_s3=$(sed -n 's/^s3_port=\([0-9]\+\)$/\1/p' "$ports_file")
  [ -n "$saved_pg" ] && pg_port=$saved_pg
  [ -n "$saved_s3" ] && s3_port=$saved_s3
fi
pg_pinned=${FILETRACKER_PG_PORT:+1}
s3_pinned=${FILETRACKER_S3_PORT:+1}
pg_port=${FILETRACKER_PG_PORT:-$pg_port}
s3_port=${FILETRACKER_S3_PORT:-$s3_port}
set_s3_ports() {
  s3_port=$1
  # The storage servers and memcached sit on the ports just above the proxy's.
  account_port=$((s3_port + 1))
  container_port=$((s3_port + 2))
  object_port=$((s3_port + 3))
  memcached_port=$((s3_port + 4))
}
set_s3_ports "$s3_port"
bucket=filetracker
pg_bin=/usr/lib/postgresql/15/bin
# Swift's tools are Debian's Python scripts; a python3 earlier on PATH (pyenv)
# does not have Swift's modules.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

usage() {
  echo "usage: installer/services.sh start|stop|env|status" >&2
  exit 2
}

packages=(postgresql-15 swift swift-proxy swift-account swift-container swift-object memcached curl)

install_missing() {
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "services: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  # Nothing may start as a system service: the tests run their own instances
  # on their own ports. policy-rc.d exiting 101 is how Debian says "don't".
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    created_policy=1
  fi
  $sudo apt-get update -qq
  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ((created_policy)) && $sudo rm -f "$policy"
  return 0
}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -u postgres "$@"
  fi
}

# Our cluster runs: postmaster.pid names a live postgres whose command line
# holds this data directory (pg_ctl status alone believes any live pid). The
# data directory is the postgres user's alone (mode 700): read it as that user.
pg_running() {
  pid_runs "$(as_postgres head -1 "$dir/pg/data/postmaster.pid" 2>/dev/null)" "$dir/pg/data"
}

start_postgres() {
  mkdir -p "$dir/pg"
  chown postgres:postgres "$dir/pg" 2>/dev/null || true
  if [ ! -f "$dir/pg/data/PG_VERSION" ]; then
    rm -rf "$dir/pg/data"
    as_postgres "$pg_bin/initdb" -D "$dir/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1 ||
      { echo "services: initdb failed (see $dir/pg/initdb.log)" >&2; exit 1; }
  fi
  if ! pg_running; then
    # A postmaster.pid without its server (a run killed, a machine restored):
    # PostgreSQL refuses to start if that pid now belongs to another process.
    as_postgres rm -f "$dir/pg/data/postmaster.pid"
    choose_pg_port
    save_ports
    as_postgres "$pg_bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w -t 30 \
      -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null ||
      { echo "services: PostgreSQL did not start (see $dir/pg/log)" >&2; exit 1; }
  fi
  if ! as_postgres psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "select 1 from pg_database where datname = 'filetracker'" | grep -q 1; then
    as_postgres psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create database filetracker" >/dev/null
  fi
}

swift_conf() {
  local kind=$1 port=$2
  cat <<EOF
[DEFAULT]
devices = $dir/swift/devices
mount_check = false
bind_ip = 127.0.0.1
bind_port = $port
workers = 0
user = $(id -un)
swift_dir = $dir/swift
recon_cache_path = $dir/swift/recon
log_name = $kind-server

[pipeline:main]
pipeline = healthcheck $kind-server

[filter:healthcheck]
use = egg:swift#healthcheck

[app:$kind-server]
use = egg:swift#$kind

[$kind-replicator]
[$kind-updater]
[$kind-auditor]
EOF
}

proxy_conf() {
  cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $s3_port
workers = 0
user = $(id -un)
swift_dir = $dir/swift
log_name = proxy-server

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$memcached_port
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
}

healthy() { curl -fsS -m 2 "http://127.0.0.1:$1/healthcheck" >/dev/null 2>&1; }

# Something accepts connections on 127.0.0.1:PORT (bash's /dev/tcp: no tool needed).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_runs PID WORD: process PID runs and its command line holds WORD. A pid
# file left by a run that was killed (a machine restored from a snapshot, a
# CI job cut short) may name a pid that some other process has now: kill -0
# alone would take that one for ours and never start the server.
pid_runs() {
  [[ "$1" =~ ^[0-9]+$ ]] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"
}

# alive PIDFILE WORD: pid_runs for the pid in PIDFILE.
alive() { [ -f "$1" ] && pid_runs "$(cat "$1")" "$2"; }

save_ports() {
  printf 'pg_port=%s\ns3_port=%s\n' "$pg_port" "$s3_port" >"$ports_file.tmp"
  mv -f "$ports_file.tmp" "$ports_file"
}

# Moves pg_port to a free port unless it is pinned (then a busy one is an error).
choose_pg_port() {
  listening "$pg_port" || return 0
  [ -z "$pg_pinned" ] || { echo "services: port $pg_port (FILETRACKER_PG_PORT) is in use by another program" >&2; exit 1; }
  local p
  for ((p = pg_port + 1; p < pg_port + 200; p++)); do
    if ! listening "$p"; then
      echo "services: port $pg_port is in use by another program; PostgreSQL takes $p" >&2
      pg_port=$p
      return 0
    fi
  done
  echo "services: no free port for PostgreSQL near $pg_port" >&2
  exit 1
}

# Moves the five Swift ports (proxy, account, container, object, memcached) to
# five free ones unless FILETRACKER_S3_PORT pins them.
choose_s3_ports() {
  local base p busy first_busy=""
  for ((base = s3_port; base < s3_port + 400; base += 10)); do
    busy=""
    for ((p = base; p < base + 5; p++)); do listening "$p" && busy="$busy $p"; done
    if [ -z "$busy" ]; then
      ((base == s3_port)) || echo "services: port(s)$first_busy in use by another program; Swift takes $base-$((base + 4))" >&2
      set_s3_ports "$base"
      return 0
    fi
    [ -z "$s3_pinned" ] || { echo "services: port(s)$busy (FILETRACKER_S3_PORT and the four above it) in use by another program" >&2; exit 1; }
    [ -n "$first_busy" ] || first_busy=$busy
  done
  echo "services: no five free ports for Swift near $s3_port" >&2
  exit 1
}

# The port of a Swift server (account, container, object, proxy).
port_of() {
  case $1 in
    account) echo "$account_port" ;;
    container) echo "$container_port" ;;
    object) echo "$object_port" ;;
    proxy) echo "$s3_port" ;;
  esac
}

swift_running() {
  local server
  for server in account container object proxy; do
    alive "$dir/swift/run/$server.pid" "$dir/swift/$server-server.conf" || return 1
  done
  healthy "$s3_port"
}

start_swift() {
  local s="$dir/swift"
  mkdir -p "$s/devices/sdb1" "$s/recon" "$s/run" "$s/log"
  swift_running && return 0
  # Whatever of an earlier start still runs goes first (only processes whose
  # command line names this directory's configuration), then the ports are
  # checked: a busy one moves all five.
  stop_swift
  choose_s3_ports
  # Rings once per port set: one device, one replica, 2^8 partitions. The ring
  # holds the storage servers' ports, so new ports mean new rings.
  local ring port
  if [ "$(cat "$s/ring-ports" 2>/dev/null)" != "$s3_port" ]; then
    rm -f "$s"/*.ring.gz "$s"/*.builder
    rm -rf "$s/backups"
  fi
  for ring in account container object; do
    port=$(port_of "$ring")
    if [ ! -f "$s/$ring.ring.gz" ]; then
      (cd "$s" && swift-ring-builder "$ring.builder" create 8 1 1 >/dev/null &&
        swift-ring-builder "$ring.builder" add "r1z1-127.0.0.1:$port/sdb1" 100 >/dev/null &&
        swift-ring-builder "$ring.builder" rebalance >/dev/null) ||
        { echo "services: swift-ring-builder $ring failed" >&2; exit 1; }
    fi
    swift_conf "$ring" "$port" >"$s/$ring-server.conf"
  done
  echo "$s3_port" >"$s/ring-ports"
  proxy_conf >"$s/proxy-server.conf"
  save_ports
  # swift.conf names the hash path prefix/suffix; Debian ships one.
  [ -f "$s/swift.conf" ] || cp /etc/swift/swift.conf "$s/swift.conf" 2>/dev/null ||
    printf '[swift-hash]\nswift_hash_path_suffix = filetracker-tests\nswift_hash_path_prefix = filetracker\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n' >"$s/swift.conf"

  memcached -l 127.0.0.1 -p "$memcached_port" -U 0 -m 32 -u "$(id -un)" >"$s/log/memcached.log" 2>&1 &
  echo $! >"$s/run/memcached.pid"
  local server
  for server in account container object proxy; do
    # SWIFT_DIR is where the servers look for swift.conf.
    SWIFT_DIR="$s" setsid "swift-$server-server" "$s/$server-server.conf" -v >"$s/log/$server.log" 2>&1 &
    echo $! >"$s/run/$server.pid"
  done
  # Every server has a /healthcheck; 60 s is far more than a start takes (2 s
  # on a quiet machine) and less than Swift's own 30 s bind retry twice over.
  local i
  for ((i = 0; i < 300; i++)); do
    if healthy "$account_port" && healthy "$container_port" && healthy "$object_port" && healthy "$s3_port"; then
      break
    fi
    for server in account container object proxy; do
      alive "$s/run/$server.pid" "$s/$server-server.conf" ||
        { echo "services: swift-$server-server exited (see $s/log/$server.log):" >&2; tail -5 "$s/log/$server.log" >&2; exit 1; }
    done
    sleep 0.2
  done
  for server in account container object proxy; do
    port=$(port_of "$server")
    healthy "$port" ||
      { echo "services: swift-$server-server does not answer on 127.0.0.1:$port after 60 s (see $s/log/$server.log):" >&2; tail -5 "$s/log/$server.log" >&2; exit 1; }
  done
  # The bucket: a Swift container is an S3 bucket. Swift's own API with a
  # tempauth token avoids signing here (the tests sign with libcurl's SigV4).
  local token
  token=$(curl -fsS -m 10 -D - -o /dev/null -H "X-Auth-User: test:tester" -H "X-Auth-Key: testing" \
    "http://127.0.0.1:$s3_port/auth/v1.0" | tr -d '\r' | sed -n 's/^[Xx]-[Aa]uth-[Tt]oken: //p')
  [ -n "$token" ] || { echo "services: tempauth gave no token" >&2; exit 1; }
  curl -fsS -m 10 -X PUT -H "X-Auth-Token: $token" "http://127.0.0.1:$s3_port/v1/AUTH_test/$bucket" >/dev/null ||
    { echo "services: could not create the bucket $bucket" >&2; exit 1; }
}

stop_swift() {
  local s="$dir/swift" server pid
  for server in proxy object container account memcached; do
    local word="$s/$server-server.conf"
    [ "$server" = memcached ] && word=memcached
    if alive "$s/run/$server.pid" "$word"; then
      pid=$(cat "$s/run/$server.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$s/run/$server.pid"
  done
}

print_env() {
  cat <<EOF
export FILETRACKER_TEST_POSTGRESQL='postgresql://postgres@127.0.0.1:$pg_port/filetracker'
export FILETRACKER_TEST_S3='s3://$bucket?endpoint=http://127.0.0.1:$s3_port&region=us-east-1'
export AWS_ACCESS_KEY_ID='test:tester'
export AWS_SECRET_ACCESS_KEY='testing'
EOF
}

case "$mode" in
  start)
    install_missing
    mkdir -p "$dir"
    chmod 755 "$dir"
    start_postgres
    start_swift
    echo "services: PostgreSQL 15 on 127.0.0.1:$pg_port, Swift s3api on 127.0.0.1:$s3_port (bucket $bucket); state in $dir" >&2
    print_env
    ;;
  stop)
    stop_swift
    if pg_running; then as_postgres "$pg_bin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null; fi
    ;;
  env) print_env ;;
  status)
    if pg_running; then echo "postgresql: running on 127.0.0.1:$pg_port"; else echo "postgresql: stopped"; fi
    if swift_running; then echo "s3 (swift): running on 127.0.0.1:$s3_port"; else echo "s3 (swift): stopped"; fi
    ;;
  *) usage ;;
esac
