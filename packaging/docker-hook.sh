#!/bin/sh
# Registers oci-interceptor with Docker, or removes the registration, for the
# package scripts (debian/postinst, debian/prerm, rpm scriptlets), then asks a
# running dockerd to reload daemon.json. It never restarts dockerd and never
# fails: a package operation must not fail because of Docker.
#
# Usage: docker-hook register|unregister
# Opt-out (automation that manages daemon.json): OCI_INTERCEPTOR_NO_REGISTER=1
set -u

BINARY=/usr/bin/oci-interceptor
DAEMON_JSON=/etc/docker/daemon.json
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

say() { echo "oci-interceptor: $*"; }

docker_present() {
    [ -d /etc/docker ] || command -v dockerd >/dev/null 2>&1
}

checksum() {
    cksum "$DAEMON_JSON" 2>/dev/null || echo missing
}

# Reload, never restart: runtimes and default-runtime are re-read on SIGHUP.
reload_dockerd() {
    if [ -d /run/systemd/system ]; then   # systemd is PID 1
        if systemctl is-active --quiet docker 2>/dev/null; then
            if systemctl reload docker; then
                say "reloaded dockerd (systemctl reload docker): no need to reload it again"
            else
                say "warning: 'systemctl reload docker' failed"
            fi
        fi
        return 0
    fi
    pids=""
    if [ -r /var/run/docker.pid ]; then
        pid=$(cat /var/run/docker.pid 2>/dev/null)
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then pids=$pid; fi
    fi
    [ -n "$pids" ] || pids=$(pidof dockerd 2>/dev/null || true)
    for pid in $pids; do
        kill -HUP "$pid" 2>/dev/null &&
            say "asked dockerd (pid $pid) to reload $DAEMON_JSON: no need to reload it again"
    done
    return 0
}

# Runs the binary and reloads dockerd when daemon.json changed.
update() {
    before=$(checksum)
    "$BINARY" "$@" --oi-docker-config "$DAEMON_JSON" || return 0
    [ "$(checksum)" = "$before" ] || reload_dockerd
}

case "${1:-}" in
register)
    if [ "${OCI_INTERCEPTOR_NO_REGISTER:-0}" = 1 ]; then
        say "OCI_INTERCEPTOR_NO_REGISTER=1: not registering with Docker"
    elif docker_present; then
        update --oi-register docker
    else
        say "Docker not found; to use oci-interceptor with Docker later, run:"
        say "  oci-interceptor --oi-register docker && systemctl reload docker"
    fi
    ;;
unregister)
    if [ "${OCI_INTERCEPTOR_NO_REGISTER:-0}" = 1 ]; then
        say "OCI_INTERCEPTOR_NO_REGISTER=1: leaving $DAEMON_JSON alone"
    elif [ -e "$DAEMON_JSON" ]; then
        # Our entry and every profile's (--oi-register docker --oi-profile
        # NAME, a symlink oci-interceptor-NAME), then one reload: a
        # default-runtime left on a removed profile would break docker run.
        before=$(checksum)
        "$BINARY" --oi-unregister docker --oi-docker-config "$DAEMON_JSON" || true
        for link in "${BINARY}"-*; do
            [ -L "$link" ] || continue
            "$BINARY" --oi-unregister docker --oi-profile "${link#"$BINARY"-}" \
                --oi-docker-config "$DAEMON_JSON" || true
        done
        [ "$(checksum)" = "$before" ] || reload_dockerd
    fi
    ;;
*)
    echo "usage: $0 register|unregister" >&2
    ;;
esac
exit 0
