#!/usr/bin/env bash
# The main job, end to end, on a fresh Debian 12 as root:
#   install the dependencies, build, make a busybox bundle, and run a
#   container through build/oci-interceptor with runc (the built-in default
#   runtime: no --oi-runtime-path needed) and two rules:
#     --oi-readonly-networking-mounts   /etc/hosts, /etc/hostname and
#                                       /etc/resolv.conf become read-only
#     --oi-env GREETING=hello           a default environment variable
# The container prints what it sees and checks it; the script exits with the
# container's status. Everything it creates is removed at exit.
#
# Environment: OI_BUILD_DIR (default: build), OI_SKIP_DEPS=1 and
# OI_SKIP_BUILD=1 to reuse what is there.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${OI_BUILD_DIR:-build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR=$REPO/$BUILD_DIR ;; esac

say() { printf '\n==> %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "demo.sh: run as root (it installs packages and runs containers)" >&2
    exit 1
fi

if [ "${OI_SKIP_DEPS:-0}" != 1 ]; then
    say "Installing dependencies"
    "$REPO/scripts/install-deps.sh"
fi

if [ "${OI_SKIP_BUILD:-0}" != 1 ]; then
    say "Building"
    cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
    cmake --build "$BUILD_DIR" -j2
fi
BIN=$BUILD_DIR/oci-interceptor
[ -x "$BIN" ] || { echo "demo.sh: $BIN was not built" >&2; exit 1; }

WORK=$(mktemp -d /tmp/oi-demo.XXXXXX)
ID=oi-demo-$$
RUNC_ROOT=$WORK/runc-root
cleanup() {
    runc --root "$RUNC_ROOT" delete -f "$ID" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

say "Making a busybox bundle in $WORK/bundle"
BUNDLE=$WORK/bundle
ROOTFS=$BUNDLE/rootfs
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || BUSYBOX=$(command -v busybox)
mkdir -p "$ROOTFS/bin" "$ROOTFS/etc" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev" "$ROOTFS/tmp"
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
chroot "$ROOTFS" /bin/busybox --install -s /bin
(cd "$BUNDLE" && runc spec)

# What the container runs: print the variable and the mount lines, then
# check them (so the demo's exit status says whether the rules worked).
PROBE='echo "GREETING=${GREETING-<unset>}"
grep -E " /etc/(hosts|hostname|resolv.conf) " /proc/mounts
[ "$GREETING" = hello ] || { echo "GREETING is not set"; exit 1; }
for f in /etc/hosts /etc/hostname /etc/resolv.conf; do
    awk -v f="$f" '\''$2 == f { split($4, o, ","); exit o[1] == "ro" ? 0 : 1 }'\'' /proc/mounts || { echo "$f is not ro"; exit 1; }
    if { echo x >>"$f"; } 2>/dev/null; then echo "$f is writable"; exit 1; fi
done
echo "OK: the rules are visible inside the container"'

# Host files bound onto the networking files, read-write as an engine would
# (the rule is what makes them read-only). Copies, so the host's stay safe.
for f in hosts hostname resolv.conf; do
    cp "/etc/$f" "$WORK/$f" 2>/dev/null || echo "demo" >"$WORK/$f"
done
jq --arg w "$WORK" --arg probe "$PROBE" '
    .process.terminal = false
  | .process.args = ["sh", "-c", $probe]
  | .mounts += [
      {"destination": "/etc/hosts",       "type": "bind", "source": ($w + "/hosts"),       "options": ["rbind", "rw"]},
      {"destination": "/etc/hostname",    "type": "bind", "source": ($w + "/hostname"),    "options": ["rbind", "rw"]},
      {"destination": "/etc/resolv.conf", "type": "bind", "source": ($w + "/resolv.conf"), "options": ["rbind", "rw"]}]
' "$BUNDLE/config.json" >"$WORK/config.json"
mv "$WORK/config.json" "$BUNDLE/config.json"

say "Running: $BIN --oi-readonly-networking-mounts --oi-env GREETING=hello run --bundle $BUNDLE $ID"
set +e
"$BIN" --oi-readonly-networking-mounts --oi-env GREETING=hello \
    --root "$RUNC_ROOT" run --bundle "$BUNDLE" "$ID" </dev/null
status=$?
set -e

say "Container exit status: $status"
exit "$status"
