#!/bin/sh
# Registers oci-interceptor with every engine present besides Docker
# (containerd, podman, CRI-O), or removes what registration created, for the
# package scripts (debian/postinst, debian/prerm, rpm scriptlets). It never
# restarts an engine and never fails: a package operation must not fail
# because of an engine. containerd and CRI-O read the new handler when they
# are next restarted; podman on its next command.
#
# Usage: engines-hook register|unregister
# Opt-out (automation that manages engine configs): OCI_INTERCEPTOR_NO_REGISTER=1
set -u

BINARY=/usr/bin/oci-interceptor
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

say() { echo "oci-interceptor: $*"; }

present() {
    case "$1" in
    containerd) [ -d /etc/containerd ] || command -v containerd >/dev/null 2>&1 ;;
    podman) [ -d /etc/containers ] || command -v podman >/dev/null 2>&1 ;;
    crio) [ -d /etc/crio ] || command -v crio >/dev/null 2>&1 ;;
    esac
}

if [ "${OCI_INTERCEPTOR_NO_REGISTER:-0}" = 1 ]; then
    say "OCI_INTERCEPTOR_NO_REGISTER=1: leaving containerd, podman and CRI-O configs alone"
    exit 0
fi

case "${1:-}" in
register)
    for engine in containerd podman crio; do
        if present "$engine"; then
            "$BINARY" --oi-register "$engine" || say "warning: could not register with $engine"
        fi
    done
    ;;
unregister)
    # Each call changes only what is ours and nothing when nothing is.
    for engine in containerd podman crio; do
        "$BINARY" --oi-unregister "$engine" || true
    done
    # Profiles registered by the operator (--oi-register ENGINE --oi-profile
    # NAME): their handlers, then their symlink (removed with the last one).
    for link in "${BINARY}"-*; do
        [ -L "$link" ] || continue
        profile=${link#"$BINARY"-}
        for engine in docker containerd podman crio; do
            "$BINARY" --oi-unregister "$engine" --oi-profile "$profile" || true
        done
    done
    ;;
*)
    echo "usage: $0 register|unregister" >&2
    ;;
esac
exit 0
