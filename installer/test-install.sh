#!/usr/bin/env bash
# installer/test-install.sh [PACKAGES_DIR]: installs the Debian packages on a
# clean Debian 12 and uses them the way an admin and an operator would.
#
#   1. debootstrap a minimal bookworm (--variant=minbase) into a directory,
#      from the Debian mirror that this machine's apt uses;
#   2. `apt-get install ./filetracker-server_….deb ./filetracker_….deb
#      ./filetracker-gui_….deb` in it, nothing else, and check that every
#      program and the Qt plugins the GUI loads find their libraries;
#   3. in private network, PID and mount namespaces (the package defaults,
#      port 9999 included, cannot collide with anything on this machine):
#      start filetracker-server the way filetracker-server.service does (as its
#      user, its ExecStart with the settings of /etc/default/filetracker-server,
#      its StateDirectory), put and get files with the CLI as a normal user,
#      run the cache cleaner the way its unit does, stop the server with
#      SIGTERM and check its store;
#   4. start filetracker-gui under Xvfb against that server and take a
#      screenshot (PACKAGES_DIR/install-test-screenshot.png);
#   5. install systemd and man-db and run `systemd-analyze verify` on the
#      installed units (programs and manual pages found);
#   6. purge the packages: the store's data stays.
#
# Not part of CI: it downloads a base system and the packages' dependencies.
# Run as root, after `installer/setup.sh package`. PACKAGES_DIR defaults to
# build/packages. FILETRACKER_DEBIAN_MIRROR overrides the mirror;
# FILETRACKER_INSTALL_TEST_KEEP=1 keeps the directory (build/install-test).
#
# Limits: without a running systemd, the unit's sandboxing (ProtectSystem=,
# SystemCallFilter=, ...) is not applied here; `systemd-analyze verify` and
# `systemd-analyze security` (installer/build-packages.sh) check those lines.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
packages_dir=$(cd "${1:-$here/build/packages}" && pwd)
work=${FILETRACKER_INSTALL_TEST_DIR:-$here/build/install-test}
root=$work/root
step() { printf '\n== %s\n' "$*"; }
fail() {
  echo "test-install: FAILED: $*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and chroot need it)"
debs=()
for p in filetracker-server filetracker filetracker-gui; do
  deb=$(ls "$packages_dir"/${p}_*.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || fail "no ${p}_*.deb in $packages_dir: run installer/setup.sh package first"
  debs+=("$deb")
done
if ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
for tool in unshare chroot ip findmnt; do
  command -v "$tool" >/dev/null || fail "$tool is missing (util-linux, coreutils, iproute2)"
done

# The mirror apt uses here (deb822 .sources or one-line .list), and its
# security archive when there is one.
apt_uris() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -E '^[[:space:]]*(URIs:|deb )' | grep -oE 'https?://[^[:space:]]+' || true
}
mirror=${FILETRACKER_DEBIAN_MIRROR:-$(apt_uris | grep -E '/debian/?$' | head -n 1)}
security=$(apt_uris | grep -E '/debian-security/?$' | head -n 1)
[ -n "$mirror" ] || fail "no Debian mirror in /etc/apt/sources.list*: set FILETRACKER_DEBIAN_MIRROR"

# Mounts are made only inside mount namespaces (they vanish with them), so
# removing the directory can never reach through a mount into the host.
remove_root() {
  if [ -d "$root" ]; then
    if findmnt -rno TARGET | grep -qF "$root"; then fail "$root has something mounted: not removing it"; fi
    rm -rf "$root"
  fi
}
cleanup() {
  if [ -f "$root/root/screenshot.png" ]; then
    cp "$root/root/screenshot.png" "$packages_dir/install-test-screenshot.png"
    echo "test-install: the GUI's screenshot is $packages_dir/install-test-screenshot.png"
  fi
  if [ "${FILETRACKER_INSTALL_TEST_KEEP:-0}" != 1 ]; then remove_root; fi
}
trap cleanup EXIT

step "debootstrap bookworm (minbase) from $mirror into $root"
remove_root
mkdir -p "$work"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  fail "debootstrap failed (log: $work/debootstrap.log)"
{
  echo "deb $mirror bookworm main"
  echo "deb $mirror bookworm-updates main"
  if [ -n "$security" ]; then echo "deb $security bookworm-security main"; fi
} >"$root/etc/apt/sources.list"
cat "$root/etc/apt/sources.list"
mkdir -p "$root/packages"
cp "${debs[@]}" "$root/packages/"

# in_root [unshare options] -- COMMAND...: COMMAND in the chroot, with /proc,
# in its own mount namespace (and the namespaces asked for).
in_root() {
  local opts=()
  while [ "$1" != -- ]; do
    opts+=("$1")
    shift
  done
  shift
  unshare --mount --fork "${opts[@]}" bash -c '
    root=$1; shift
    mount --make-rprivate /
    mount -t proc proc "$root/proc"
    if ip link show lo >/dev/null 2>&1; then ip link set lo up; fi
    exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
  ' in_root "$root" "$@"
}
apt_in_root() {
  in_root -- env DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Use-Pty=0 -o APT::Color=0 "$@"
}

step "apt-get install ./filetracker-server_….deb ./filetracker_….deb ./filetracker-gui_….deb"
apt_in_root update -qq
(cd "$root/packages" && ls -1 ./*.deb)
apt_in_root install -y $(cd "$root/packages" && printf '/packages/%s ' *.deb) >"$work/apt-install.log" 2>&1 ||
  { tail -n 30 "$work/apt-install.log"; fail "apt-get install of the packages failed"; }
grep -E '^(Setting up filetracker|The following NEW packages|[0-9]+ upgraded)' "$work/apt-install.log"
in_root -- dpkg-query -W -f='${Package} ${Version} ${Status}\n' filetracker-server filetracker filetracker-gui

# Checks on the system as the packages left it, before any test tool is added.
cat >"$root/root/install-test-check.sh" <<'CHECK'
set -euo pipefail
step() { printf '\n== %s\n' "$*"; }
fail() { echo "test-install: FAILED: $*" >&2; exit 1; }
step "libraries: programs and the Qt plugins the GUI loads"
qtplugins=/usr/lib/x86_64-linux-gnu/qt6/plugins
for f in /usr/bin/filetracker /usr/bin/filetracker-server /usr/bin/filetracker-gui \
  $qtplugins/platforms/libqxcb.so $qtplugins/iconengines/libqsvgicon.so $qtplugins/imageformats/libqsvg.so; do
  [ -e "$f" ] || fail "$f is not installed"
  if ldd "$f" | grep -q 'not found'; then ldd "$f" | grep 'not found'; fail "$f: missing libraries"; fi
  echo "$f: all libraries found"
done
echo "filetracker-server links: $(ldd /usr/bin/filetracker-server | awk '{print $1}' | tr '\n' ' ')"
if ldd /usr/bin/filetracker-server | grep -qi qt; then fail "filetracker-server links Qt"; fi

step "what the packages set up"
id filetracker
ls -ld /var/lib/filetracker
ls -l /etc/systemd/system/multi-user.target.wants/filetracker-server.service
if [ -e /etc/systemd/system/timers.target.wants/filetracker-cache-cleaner.timer ]; then
  fail "the cache cleaner's timer is enabled on installation"
fi
echo "filetracker-cache-cleaner.timer: not enabled (as intended)"
cat /etc/default/filetracker-server | grep -v '^#' | grep .

CHECK
in_root -- bash /root/install-test-check.sh

step "test tools for the GUI step: xvfb x11-apps x11-utils netpbm"
apt_in_root install -y --no-install-recommends xvfb x11-apps x11-utils netpbm >"$work/apt-tools.log" 2>&1 ||
  { tail -n 30 "$work/apt-tools.log"; fail "apt-get install of the test tools failed"; }

# Steps 3-4 inside the chroot, in its own PID and network namespaces: every
# process it starts ends with it, and it reaches nothing outside.
cat >"$root/root/install-test-inner.sh" <<'INNER'
set -euo pipefail
step() { printf '\n== %s\n' "$*"; }
fail() { echo "test-install: FAILED: $*" >&2; exit 1; }
export LANG=C.UTF-8

# unit_command UNIT: sets unit_user, unit_group, unit_env (array), unit_cmd
# (array) from the installed unit, the way systemd reads them: Environment=
# assignments, then EnvironmentFile= overriding them, then ExecStart= with
# ${VAR} as one word and $VAR split at white space. It also creates the
# unit's StateDirectory= and CacheDirectory= for its user, as systemd does.
unit_command() {
  local file=/lib/systemd/system/$1 line key value mode
  [ -f "$file" ] || fail "no $file"
  unit_user=root unit_group=root unit_env=() unit_cmd=()
  local envfiles=() exec="" statedir="" cachedir="" statemode=0755 cachemode=0755
  while IFS= read -r line; do
    [[ $line =~ ^([A-Za-z]+)=(.*)$ ]] || continue
    key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
    case $key in
      User) unit_user=$value ;;
      Group) unit_group=$value ;;
      Environment) eval "unit_env+=($value)" ;;
      EnvironmentFile) envfiles+=("$value") ;;
      ExecStart) exec=$value ;;
      StateDirectory) statedir=$value ;;
      StateDirectoryMode) statemode=$value ;;
      CacheDirectory) cachedir=$value ;;
      CacheDirectoryMode) cachemode=$value ;;
    esac
  done <"$file"
  local f optional
  for f in "${envfiles[@]}"; do
    optional=0
    if [ "${f:0:1}" = - ]; then optional=1 f=${f:1}; fi
    if [ ! -f "$f" ]; then
      [ "$optional" = 1 ] || fail "$1: $f is missing"
      continue
    fi
    while IFS= read -r line; do
      [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
      eval "value=${BASH_REMATCH[2]}"
      unit_env+=("${BASH_REMATCH[1]}=$value")
    done <"$f"
  done
  local assignment
  for assignment in "${unit_env[@]}"; do export "${assignment?}"; done
  # ${VAR}: one word; $VAR: split at white space (systemd.service(5)).
  eval "unit_cmd=($(sed -E 's/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/"${\1}"/g' <<<"$exec"))"
  for assignment in "${unit_env[@]}"; do unset "${assignment%%=*}"; done
  if [ -n "$statedir" ]; then install -d -o "$unit_user" -g "$unit_group" -m "$statemode" "/var/lib/$statedir"; fi
  if [ -n "$cachedir" ]; then install -d -o "$unit_user" -g "$unit_group" -m "$cachemode" "/var/cache/$cachedir"; fi
}
# run_unit UNIT: becomes (exec) its ExecStart as its user, with only its
# environment, in / with its UMask=. Call it in a subshell: `(run_unit U)`,
# or `run_unit U &` where $! is then the service's own process.
run_unit() {
  unit_command "$1"
  echo "$1: as $unit_user:$unit_group: ${unit_cmd[*]}"
  local home
  home=$(getent passwd "$unit_user" | cut -d: -f6)
  cd / && umask 0027 && exec setpriv --reuid="$unit_user" --regid="$unit_group" --init-groups --no-new-privs -- \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    USER="$unit_user" LOGNAME="$unit_user" HOME="$home" "${unit_env[@]}" "${unit_cmd[@]}"
}

step "filetracker-server, started as filetracker-server.service starts it"
run_unit filetracker-server.service >/tmp/server.out 2>/tmp/server.err &
server_pid=$!
for _ in $(seq 100); do
  grep -q 'listening on' /tmp/server.out 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat /tmp/server.out /tmp/server.err; fail "the server exited"; }
  sleep 0.1
done
cat /tmp/server.out
grep -q 'listening on http://127.0.0.1:9999' /tmp/server.out || fail "the server is not listening on 127.0.0.1:9999"
ps -o user=,pid=,args= -p "$(pgrep -f '^/usr/bin/filetracker-server')"
url=http://127.0.0.1:9999

step "put and get with the CLI, as a normal user"
useradd --create-home --shell /bin/bash judge
as_judge() { runuser -u judge -- env HOME=/home/judge FILETRACKER_URL=$url "$@"; }
as_judge bash -c 'head -c 10240 /dev/urandom > /home/judge/1.in; printf "42\n" > /home/judge/1.out;
  printf "Filetracker install test\n" > /home/judge/hello.txt; seq 1 100000 > /home/judge/big.in'
versioned=$(as_judge filetracker put /home/judge/1.in /tests/a/1.in)
echo "put /tests/a/1.in -> $versioned"
as_judge filetracker put /home/judge/1.out /tests/a/1.out
as_judge filetracker put /home/judge/big.in /tests/b/big.in
as_judge filetracker put /home/judge/hello.txt /hello.txt
as_judge bash -c 'printf "{\"contest\": \"install-test\"}\n" > /home/judge/config.json; tar -C /home/judge -cf /home/judge/sum.tar 1.in 1.out'
as_judge filetracker put /home/judge/config.json /config.json
as_judge filetracker put /home/judge/sum.tar /packages/sum.tar
as_judge filetracker get --no-cache /tests/a/1.in /home/judge/got-from-server.in
cmp /home/judge/1.in /home/judge/got-from-server.in && echo "get --no-cache /tests/a/1.in: same bytes as uploaded"
as_judge filetracker get "$versioned" /home/judge/got-again.in
cmp /home/judge/1.in /home/judge/got-again.in && echo "get $versioned: same bytes"
as_judge filetracker cat /hello.txt
echo "ls -r /:"
as_judge filetracker ls -r /
echo "size /tests/b/big.in: $(as_judge filetracker size /tests/b/big.in) bytes (local: $(stat -c %s /home/judge/big.in))"
echo "cache of judge:"
as_judge filetracker cache size

step "filetracker-cache-cleaner.service, run as the timer would run it"
# A cache in the unit's CacheDirectory, filled by its user.
as_filetracker() { runuser -u filetracker -- env HOME=/var/lib/filetracker "$@"; }
install -d -o filetracker -g filetracker -m 0755 /var/cache/filetracker
as_filetracker filetracker -r $url -c /var/cache/filetracker get /tests/a/1.in /tmp/x.in
as_filetracker filetracker -r $url -c /var/cache/filetracker get /tests/b/big.in /tmp/y.in
as_filetracker filetracker -c /var/cache/filetracker cache ls
(run_unit filetracker-cache-cleaner.service)
echo "with FILETRACKER_CACHE_SIZE_LIMIT=100K in /etc/default/filetracker-cache-cleaner:"
sed -i 's/^FILETRACKER_CACHE_SIZE_LIMIT=.*/FILETRACKER_CACHE_SIZE_LIMIT=100K/' /etc/default/filetracker-cache-cleaner
(run_unit filetracker-cache-cleaner.service)
as_filetracker filetracker -c /var/cache/filetracker cache size

step "filetracker-gui under Xvfb"
Xvfb :99 -screen 0 1280x800x24 -nolisten tcp >/tmp/xvfb.log 2>&1 &
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X99 ] && break; sleep 0.1; done
install -d -o judge -g judge -m 0700 /tmp/runtime-judge
as_judge env DISPLAY=:99 XDG_RUNTIME_DIR=/tmp/runtime-judge filetracker-gui --server $url --no-first-run >/tmp/gui.log 2>&1 &
gui_pid=$!
sleep 8
kill -0 "$gui_pid" 2>/dev/null || { cat /tmp/gui.log; fail "filetracker-gui exited"; }
echo "filetracker-gui is running (pid $gui_pid); its output:"
cat /tmp/gui.log
xwininfo -display :99 -root -tree | grep -i filetracker | head -n 3
# The main window (WM_CLASS filetracker-gui), as its own picture.
window=$(xwininfo -display :99 -root -tree | awk '/\("filetracker-gui" "filetracker-gui"\)/ {print $1; exit}')
[ -n "$window" ] || fail "no filetracker-gui window on the display"
xwd -display :99 -id "$window" -silent | xwdtopnm 2>/dev/null | pnmtopng >/root/screenshot.png
echo "screenshot of window $window: $(stat -c %s /root/screenshot.png) bytes"
kill "$gui_pid"

step "stop the server with SIGTERM (as systemctl stop does) and check its store"
[ "$(cat /proc/$server_pid/comm)" = filetracker-ser ] || fail "pid $server_pid is not the server"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
tail -n 3 /tmp/server.err
[ "$status" = 0 ] || fail "filetracker-server exited with status $status on SIGTERM"
echo "filetracker-server exited with status 0"
runuser -u filetracker -- filetracker-server --check -d /var/lib/filetracker
INNER
in_root --net --pid -- bash /root/install-test-inner.sh || fail "see above"

step "systemd-analyze verify on the installed units (with systemd and man-db installed)"
apt_in_root install -y --no-install-recommends systemd man-db >"$work/apt-systemd.log" 2>&1 ||
  { tail -n 30 "$work/apt-systemd.log"; fail "apt-get install systemd man-db failed"; }
in_root -- systemd-analyze verify /lib/systemd/system/filetracker-server.service \
  /lib/systemd/system/filetracker-cache-cleaner.service /lib/systemd/system/filetracker-cache-cleaner.timer
echo "systemd-analyze verify: no complaint"
in_root -- man -w filetracker-server filetracker filetracker-gui

step "apt-get purge the three packages"
apt_in_root purge -y filetracker-gui filetracker filetracker-server >"$work/apt-purge.log" 2>&1 ||
  { tail -n 30 "$work/apt-purge.log"; fail "apt-get purge failed"; }
grep -E '^(Removing|Purging) ' "$work/apt-purge.log"
if in_root -- sh -c 'ls /usr/bin/filetracker* 2>/dev/null'; then fail "programs left after purge"; fi
in_root -- sh -c 'echo "left on purge: $(ls -d /var/lib/filetracker) ($(find /var/lib/filetracker -type f | wc -l) files: the store), user $(id -un filetracker)"'

printf '\ntest-install: PASSED\n'

