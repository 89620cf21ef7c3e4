#!/usr/bin/env bash
# build-packages.sh OUT_DIR [--check-only]: the Debian packages of debian/ (filetracker-server,
# filetracker, filetracker-gui and their -dbgsym), built by dpkg-buildpackage
# from a fresh copy of the sources, then checked. Run by
# `installer/setup.sh package`, which installs the tools first.
#
# Checks (any failure fails the script): lintian (no error, no warning), the
# server depends on no Qt library, every program is stripped with its debug
# info in a -dbgsym package, appstreamcli validate, desktop-file-validate,
# systemd-analyze verify of every unit (and its security exposure, shown).
#
# --check-only: check the packages already in OUT_DIR, build nothing.
# DEB_BUILD_OPTIONS from the environment is added to "nocheck" (the test
# suites run in `installer/setup.sh test`, not here).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: build-packages.sh OUT_DIR [--check-only]}
check_only=0
if [ "${2:-}" = --check-only ]; then check_only=1; fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(dirname "$out")/package-build

fail() {
  echo "package: $*" >&2
  exit 1
}

version=$(dpkg-parsechangelog -l "$here/debian/changelog" -S Version)
cmake_version=$(sed -n 's/^project(Filetracker VERSION \([0-9.]*\).*/\1/p' "$here/CMakeLists.txt")
[ "$version" = "$cmake_version" ] ||
  fail "debian/changelog says $version, CMakeLists.txt says $cmake_version: add a changelog entry (dch -v $cmake_version)"

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
changes=filetracker_${version}_${arch}.changes

build_packages() {
  # A copy of the sources, so that dpkg-buildpackage (which writes next to
  # the source directory and cleans it) never touches the checkout: the files
  # git knows, committed or not; outside git everything but build directories.
  local src=$work/filetracker-$version
  rm -rf "$work" "$out"
  mkdir -p "$src" "$out"
  if git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$here" && git ls-files -z --cached --others --exclude-standard |
      tar --null --ignore-failed-read -T - -cf -) 2>/dev/null | tar -C "$src" -xf -
  else
    tar -C "$here" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$src" -xf -
  fi

  # ccache keeps rebuilds fast; the copy's path is the same every time.
  if command -v ccache >/dev/null; then
    export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$src" CCACHE_NOHASHDIR=true
  fi
  echo "package: building filetracker $version in $src (log: $out/build.log)" >&2
  if ! (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" \
    dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
    tail -n 40 "$out/build.log" >&2
    fail "dpkg-buildpackage failed (whole log: $out/build.log)"
  fi
  mv "$work"/*.deb "$work"/*.buildinfo "$work/$changes" "$out"/
}

if [ "$check_only" = 1 ]; then
  [ -f "$out/$changes" ] || fail "no $out/$changes to check"
  rm -rf "$work/root"
else
  build_packages
fi

echo "== lintian" >&2
if ! lintian --display-info --fail-on error,warning "$out/$changes" | tee "$out/lintian.txt"; then
  fail "lintian found errors or warnings ($out/lintian.txt)"
fi
echo "lintian: $(grep -c '^E:' "$out/lintian.txt" || true) errors, $(grep -c '^W:' "$out/lintian.txt" || true) warnings" \
  "($(grep -c '^I:' "$out/lintian.txt" || true) infos)"

# The packages unpacked into one tree, for the checks below.
root=$work/root
mkdir -p "$root"
for deb in "$out"/*.deb; do dpkg-deb -x "$deb" "$root"; done

echo "== dependencies and debug info" >&2
server_depends=$(dpkg-deb -f "$out/filetracker-server_${version}_${arch}.deb" Depends)
if grep -qi 'qt' <<<"$server_depends"; then fail "filetracker-server depends on Qt: $server_depends"; fi
for program in filetracker filetracker-server filetracker-gui; do
  binary=$root/usr/bin/$program
  if readelf -S "$binary" | grep -F .debug_info >/dev/null; then fail "$program is not stripped"; fi
  build_id=$(readelf -n "$binary" | sed -n 's/^ *Build ID: *//p')
  dbgsym=$out/${program}-dbgsym_${version}_${arch}.deb
  debug_file=./usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug
  dpkg-deb -c "$dbgsym" | grep -F "$debug_file" >/dev/null || fail "$program: no $debug_file in $(basename "$dbgsym")"
  echo "$program: stripped, debug info in $(basename "$dbgsym") (build-id $build_id)"
done

echo "== appstreamcli validate, desktop-file-validate" >&2
# --no-net: this machine reaches no web server, so the screenshot's address is
# checked for its form (an https URL), not fetched.
appstreamcli validate --no-net "$root"/usr/share/metainfo/*.metainfo.xml
desktop-file-validate "$root"/usr/share/applications/filetracker-gui.desktop
echo "desktop-file-validate: filetracker-gui.desktop OK"
for size in 16 22 24 32 48 64 128 256; do
  [ -s "$root/usr/share/icons/hicolor/${size}x${size}/apps/filetracker.png" ] || fail "no ${size}x${size} icon"
done
[ -s "$root/usr/share/icons/hicolor/scalable/apps/filetracker.svg" ] || fail "no scalable icon"

echo "== systemd-analyze verify" >&2
# The units are verified inside the unpacked tree (their programs are there),
# with the system's own units beside them for the targets they refer to.
# Manual pages are checked by installer/test-install.sh, on an installed system.
units=()
for unit in "$root"/lib/systemd/system/*; do units+=("${unit#"$root"/}"); done
mkdir -p "$root/lib/systemd/system"
cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
(cd "$root" && systemd-analyze verify --root="$root" --man=no "${units[@]}")
echo "systemd-analyze verify: ${units[*]##*/} OK"
for unit in "${units[@]}"; do
  if [[ $unit == *.service ]]; then
    (cd "$root" && systemd-analyze security --offline=true --root="$root" "$unit" | tail -n 1)
  fi
done

echo "== packages in $out" >&2
for deb in "$out"/*.deb; do
  printf '%-50s %6s KiB  Installed-Size %6s KiB\n' "$(basename "$deb")" "$(($(stat -c %s "$deb") / 1024))" \
    "$(dpkg-deb -f "$deb" Installed-Size)"
done
for deb in "$out"/*.deb; do
  [[ $deb == *-dbgsym_* ]] && continue
  echo "$(dpkg-deb -f "$deb" Package): Depends: $(dpkg-deb -f "$deb" Depends)"
done
