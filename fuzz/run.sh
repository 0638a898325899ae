#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each one for
# a bounded time, starting from its seed corpus in fuzz/corpus/<target>/.
#
#   fuzz/run.sh [SECONDS]      each target for SECONDS (default 60)
#   fuzz/run.sh --smoke        each target for 30 s (the CI job)
#   FUZZ_TARGETS="rules_fuzzer" fuzz/run.sh 600   only some targets
#
# Build directory: build-fuzz/ (override with FUZZ_BUILD_DIR). New inputs go to
# FUZZ_WORK_DIR (default build-fuzz/work/<target>/), never into the seed
# corpus; a crash leaves its input as FUZZ_WORK_DIR/crash-* (or leak-*,
# timeout-*): to keep it as a regression, copy it to fuzz/corpus/<target>/.
# Exit status: non-zero if a target crashed, reported a sanitizer error or
# violated an invariant. Needs clang-14 (Debian: apt-get install clang-14).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
case "${1:-}" in
  --smoke) seconds=30 ;;
  '') ;;
  *[!0-9]*) echo "usage: $0 [SECONDS|--smoke]" >&2; exit 2 ;;
  *) seconds=$1 ;;
esac

build=${FUZZ_BUILD_DIR:-build-fuzz}
work=${FUZZ_WORK_DIR:-$build/work}
targets=${FUZZ_TARGETS:-config_file_fuzzer command_line_fuzzer rules_fuzzer daemon_json_fuzzer}
cc=${FUZZ_CC:-clang-14}
cxx=${FUZZ_CXX:-clang++-14}
command -v "$cxx" >/dev/null || { echo "$0: $cxx not found (apt-get install clang-14)" >&2; exit 2; }

CC=$cc CXX=$cxx cmake -S . -B "$build" -DOI_FUZZ=ON -DOI_SANITIZE=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086 # targets is a list
cmake --build "$build" -j"$(nproc)" --target $targets

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
summary=()
for target in $targets; do
  mkdir -p "$work/$target"
  log=$work/$target.log
  echo "== $target: ${seconds}s"
  # The work directory comes first: libFuzzer adds new inputs to it; the seed
  # directory is only read. -rss_limit_mb bounds a runaway input.
  if "$build/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      -max_len=65536 -artifact_prefix="$work/$target/" -print_final_stats=1 \
      "$work/$target" "fuzz/corpus/$target" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log)"
    status=1
    grep -E 'ERROR|invariant violated|Test unit written|SUMMARY' "$log" | head -20 >&2 || true
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  summary+=("$target: ${runs:-?} executions in ${seconds}s: $result")
done
printf '%s\n' "${summary[@]}"
exit $status
