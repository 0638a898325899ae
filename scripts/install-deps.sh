#!/usr/bin/env bash
# Install everything needed to build oci-interceptor and run its tests
# (unit, benchmark and real-engine integration) on Debian 12.
# Idempotent and fast when everything is present: it asks dpkg first and
# only runs apt-get (update, then install) for what is missing.
set -euo pipefail

PACKAGES=(
    # build
    cmake g++ pkg-config libjsoncpp-dev libsystemd-dev libtomlplusplus-dev
    # unit tests and benchmarks
    googletest libgtest-dev libgmock-dev libbenchmark-dev
    # real engines for the integration tests and the demo
    runc docker.io containerd podman busybox-static
    # used by the integration tests and the demo (JSON edits, journald, ps,
    # mount, cmp, tar)
    jq systemd procps util-linux diffutils tar
)

# Further lists kept beside this script (packaging tools, ...), one name a line.
for list in "$(dirname "$0")"/*-deps.txt; do
    [ -f "$list" ] || continue
    while read -r p; do
        case "$p" in ''|'#'*) ;; *) PACKAGES+=("$p") ;; esac
    done <"$list"
done

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: must run as root" >&2
    exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps.sh: all ${#PACKAGES[@]} packages already installed"
    exit 0
fi

echo "install-deps.sh: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Update the package lists only when an install from the current lists fails
# (fresh machines have empty lists; warm ones should not hit the network).
if ! apt-get install -y "${missing[@]}"; then
    apt-get update
    apt-get install -y "${missing[@]}"
fi
