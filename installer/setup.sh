#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root, or with sudo):
#   installer/setup.sh run    install what is missing, build, start the GUI
#   installer/setup.sh test   install what is missing, build, run the whole test suite
#                             and a few seconds of each fuzz target (tests/fuzz/run.sh)
#   installer/setup.sh build  install what is missing, build
#   installer/setup.sh bench  also install nginx, wrk and python3, build, run every benchmark
#   installer/setup.sh package  also install the Debian packaging tools, build the
#                             .deb packages from debian/ into build/packages/ and check
#                             them (lintian, appstreamcli, desktop-file-validate,
#                             systemd-analyze verify)
# Idempotent: when every package is present and the build is current it only
# checks and returns.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${FILETRACKER_BUILD_DIR:-$here/build}
mode=${1:-run}
shift || true
case "$mode" in
  run | test | build | bench | package) ;;
  *)
    echo "usage: installer/setup.sh [run|test|build|bench|package] [args...]" >&2
    exit 2
    ;;
esac

# Build and runtime packages. Keep in step with the top-level CMakeLists.txt.
packages=(
  build-essential cmake ninja-build pkg-config ccache git
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libqt6svg6
  # the GUI's server dashboard (issue 20): Qt Charts
  qt6-charts-dev libqt6opengl6-dev  # (Qt6Charts.cmake needs Qt6OpenGL; Debian 12 does not pull it in)
  libgl-dev
  libboost-dev libcurl4-openssl-dev libsqlite3-dev zlib1g-dev libssl-dev
  libarchive-dev libcli11-dev nlohmann-json3-dev
  # access control: Argon2id password hashes (server), the desktop keyring (GUI)
  libsodium-dev qtkeychain-qt6-dev
  # scale-out (issue 19): the PostgreSQL index (libpqxx; libcurl above signs S3 requests)
  libpqxx-dev
  # filetracker mount (FUSE): the library, and fusermount3 to unmount
  libfuse3-dev fuse3
  # tests: a real display for screenshots, HTTP peers and tools
  xvfb xauth curl procps
  # tests/cli/test_cli_archive (an independent reader of the zips get --archive
  # writes) and tests/bench/cli/bench_cli_archive (unzip, then one put per file)
  unzip
  # tests/ui/test_ui_auth: a private session bus and Secret Service for the keyring
  dbus-daemon gnome-keyring
  # tests/fuzz: libFuzzer and the sanitizers come with clang
  clang libclang-rt-14-dev
)
if [ "$mode" = bench ]; then
  # tests/bench/server/run_bench.sh and tests/bench/run_issue18.sh: the
  # reference server, the load generator, and the script that fills a
  # directory of 10,000 files.
  packages+=(nginx wrk python3)
fi
if [ "$mode" = package ]; then
  # debian/rules (debhelper), the icons it renders, and the checks of the result.
  packages+=(dpkg-dev debhelper librsvg2-bin lintian appstream desktop-file-utils systemd)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  # RUNLEVEL=1: packages with a service (nginx) must not start it here.
  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Share compiled objects between clones in different folders (CI builds a
  # fresh clone): hash paths relative to the source root, not the folder.
  export CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=true
fi
jobs=$(nproc)
if [ "$mode" = package ]; then
  # The packages are built from a copy of the sources by debian/rules, with
  # Debian's flags, not from the development build.
  exec bash "$here/installer/build-packages.sh" "$build_dir/packages" "$@"
fi
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
fi
cmake --build "$build_dir" -j "$jobs"

case "$mode" in
  build) ;;
  run)
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ]; then
      echo "setup: no display (DISPLAY is not set), so here is the command line instead of the GUI." >&2
      echo "setup: on a desktop, run $build_dir/bin/filetracker-gui" >&2
      exec "$build_dir/bin/filetracker" --help
    elif [ -x "$build_dir/bin/filetracker-gui" ]; then
      exec "$build_dir/bin/filetracker-gui" "$@"
    else
      exec "$build_dir/bin/filetracker" --help
    fi
    ;;
  test)
    cd "$build_dir"
    # The scale-out tests (CTest label "services", issue 19) run against a real
    # PostgreSQL and S3 on loopback (installer/services.sh): started here when
    # not running, stopped again when the tests end (also on failure).
    # FILETRACKER_TEST_SERVICES=0 skips them (they QSKIP without the services).
    if [ "${FILETRACKER_TEST_SERVICES:-1}" != 0 ] && [ -z "${FILETRACKER_TEST_POSTGRESQL:-}" ]; then
      services_state=$(bash "$here/installer/services.sh" status)
      if [[ "$services_state" != *"s3 (swift): running"* || "$services_state" != *"postgresql: running"* ]]; then
        trap 'bash "$here/installer/services.sh" stop >/dev/null 2>&1 || true' EXIT
        bash "$here/installer/services.sh" start >/dev/null
      fi
      eval "$(bash "$here/installer/services.sh" env)"
    fi
    # Tests that need a display get QT_QPA_PLATFORM=offscreen from CTest.
    ctest --output-on-failure -j "$jobs" --timeout 600 "$@"
    # A smoke run of every fuzz target (ASan + UBSan build of its own).
    FUZZ_BUILD_DIR="$build_dir/fuzz" bash "$here/tests/fuzz/run.sh" "${FILETRACKER_FUZZ_SECONDS:-5}"
    ;;
  bench)
    export FILETRACKER_SERVER_BIN="$build_dir/bin/filetracker-server" FILETRACKER_CLI_BIN="$build_dir/bin/filetracker"
    "$build_dir/bin/bench_core_cached_get"
    "$build_dir/bin/bench_cli"
    "$build_dir/bin/bench_cli_archive"
    "$build_dir/bin/bench_find_sync"
    "$build_dir/bin/bench_mount"
    QT_QPA_PLATFORM=offscreen "$build_dir/bin/bench_gui"
    bash "$here/tests/bench/server/run_bench.sh" "$build_dir/bin/filetracker-server"
    bash "$here/tests/bench/server/run_history_bench.sh" "$build_dir/bin/filetracker-server"
    # Issue 18's table; FILETRACKER_DEPLOYED_URL (and _SRC, a checkout of the
    # Python filetracker for its CLI) add the deployed server's column.
    bash "$here/tests/bench/run_issue18.sh" ${FILETRACKER_DEPLOYED_URL:+--deployed-url "$FILETRACKER_DEPLOYED_URL"} \
      ${FILETRACKER_DEPLOYED_SRC:+--deployed-src "$FILETRACKER_DEPLOYED_SRC"}
    "$build_dir/bin/bench_stalled_uploads"
    "$build_dir/bin/bench_migration"
    FUZZ_BUILD_DIR="$build_dir/fuzz" bash "$here/tests/fuzz/run.sh" 600
    ;;
esac
