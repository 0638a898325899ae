#!/usr/bin/env bash
# The sanitizer job: builds build-asan/ with ASan + UBSan (-DOI_SANITIZE=ON)
# and runs the unit tests, then the fake-runtime suites (test_cli.sh,
# test_faults.sh) against the instrumented binary. Any sanitizer report fails
# it. Run as root on Debian 12 (the suites mount and chown); ~6 minutes on 2
# cores, most of it the build.
#   scripts/sanitize.sh            everything
#   OI_SANITIZE_SUITES="test_cli" scripts/sanitize.sh   fewer suites
set -euo pipefail
cd "$(dirname "$0")/.."

build=${OI_SANITIZE_BUILD_DIR:-build-asan}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOI_SANITIZE=ON >/dev/null
cmake --build "$build" -j"$(nproc)"

# detect_leaks: the core frees what it allocates; abort_on_error makes a
# report a crash the suites see (exit status >= 128). The launcher dlopen()s
# the instrumented core, so ASan must come first in the load order: it is
# linked into both, which the runtime accepts.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

status=0
(cd "$build" && ctest --output-on-failure -j"$(nproc)" -LE integration) || status=1
for suite in ${OI_SANITIZE_SUITES:-test_cli test_faults}; do
  echo "== $suite (ASan + UBSan)"
  OI_BINARY=$PWD/$build/oci-interceptor bash "tests/integration/$suite.sh" || status=1
done
exit $status
