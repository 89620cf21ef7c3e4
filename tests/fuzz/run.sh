#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 60) on a build with
# AddressSanitizer and UndefinedBehaviorSanitizer (clang), in a build tree
# of its own, and prints each target's executions per second and findings.
# Exit status 1 when any target finds a crash, a leak, a sanitizer report
# or a timeout; the input that did it is kept under the work directory.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#   env: FUZZ_BUILD_DIR (default build/fuzz), FUZZ_JOBS (build jobs, default nproc)
#
# CI (installer/setup.sh test) runs it for a few seconds per target; the
# benchmark (installer/setup.sh bench) for 10 minutes per target. The seed
# corpus is corpus/<target>/ (committed); what a run adds goes to the work
# directory, never into the source tree.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}
all=(fuzz_request_target fuzz_name fuzz_date fuzz_upload_body fuzz_listing fuzz_file_headers fuzz_archive_entries)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

clangxx=$(command -v clang++ || command -v clang++-15 || command -v clang++-14 || true)
if [[ -z "$clangxx" ]]; then
  echo "fuzz: clang++ is missing (installer/setup.sh installs clang)" >&2
  exit 2
fi
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
fi
# Sanitizers on everything the targets link; coverage for libFuzzer on our
# code. Leaks are findings too (ASan's LeakSanitizer, on by default).
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link -fno-omit-frame-pointer -g -O1"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$clangxx" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DFILETRACKER_FUZZ=ON -DFILETRACKER_BUILD_GUI=OFF -DBUILD_TESTING=OFF "${launcher[@]}" >/dev/null
fi
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

work="$build/runs"
mkdir -p "$work"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
printf '%-22s %10s %12s %8s  %s\n' target seconds exec/s corpus result
for t in "${targets[@]}"; do
  corpus="$work/$t/corpus"
  artifacts="$work/$t/findings/"
  mkdir -p "$corpus" "$artifacts"
  log="$work/$t/log"
  status=0
  # corpus/<target> seeds the run; new inputs go to the work corpus.
  "$build/bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$corpus" "$here/corpus/$t" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(find "$corpus" -type f | wc -l)
  if ((status == 0)); then
    result="ok"
  else
    result="FOUND (exit $status): $(grep -m1 -E 'ERROR|runtime error|SUMMARY|Timeout|leak' "$log" || echo "see $log")"
    failed=1
  fi
  printf '%-22s %10s %12s %8s  %s\n' "$t" "$seconds" "${execs:-?}" "$units" "$result"
done
if ((failed)); then
  echo "fuzz: findings above; inputs in $work/<target>/findings/, logs in $work/<target>/log" >&2
fi
exit "$failed"
