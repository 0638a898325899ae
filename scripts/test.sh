#!/usr/bin/env bash
# Builds oci-interceptor and runs every test: unit tests, then the suites
# against a fake runtime and the real engines (runc, dockerd, containerd,
# podman, journald). Run as root on Debian 12; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# shellcheck disable=SC2086 # OI_CMAKE_FLAGS is a list of flags on purpose
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo ${OI_CMAKE_FLAGS:-}
cmake --build build -j"$(nproc)"
cd build
# Unit tests run in parallel; the integration suites are RUN_SERIAL.
ctest --output-on-failure -j"$(nproc)"
