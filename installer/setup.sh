#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root, or with sudo):
#   installer/setup.sh run    install what is missing, build, start the GUI
#   installer/setup.sh test   install what is missing, build, run the whole test suite
#   installer/setup.sh build  install what is missing, build
# Idempotent: when every package is present and the build is current it only
# checks and returns.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${FILETRACKER_BUILD_DIR:-$here/build}
mode=${1:-run}
shift || true

# Build and runtime packages. Keep in step with the top-level CMakeLists.txt.
packages=(
  build-essential cmake ninja-build pkg-config ccache git
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libqt6svg6
  libgl-dev
  libboost-dev libcurl4-openssl-dev libsqlite3-dev zlib1g-dev libssl-dev
  libarchive-dev libcli11-dev nlohmann-json3-dev
  # tests: a real display for screenshots, HTTP peers and tools
  xvfb xauth curl procps
  # tests/bench/server/run_bench.sh: the reference server and the load generator
  nginx wrk
)

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
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Share compiled objects between clones in different folders (CI builds a
  # fresh clone): hash paths relative to the source root, not the folder.
  export CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=true
fi
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
fi
jobs=$(nproc)
cmake --build "$build_dir" -j "$jobs"

case "$mode" in
  build) ;;
  run)
    if [ -x "$build_dir/bin/filetracker-gui" ]; then
      exec "$build_dir/bin/filetracker-gui" "$@"
    else
      exec "$build_dir/bin/filetracker" --help
    fi
    ;;
  test)
    cd "$build_dir"
    # Tests that need a display get QT_QPA_PLATFORM=offscreen from CTest.
    ctest --output-on-failure -j "$jobs" --timeout 600 "$@"
    ;;
  *)
    echo "usage: installer/setup.sh [run|test|build] [args...]" >&2
    exit 2
    ;;
esac
