#!/usr/bin/env bash
# The package lifecycle (issue 4): build the .deb and .rpm with CPack, lint
# them, then install the .deb on this machine and follow Docker's daemon.json
# through install, a container run by a private dockerd reading that file,
# reinstall, remove and purge. /etc/docker/daemon.json, /etc/oci-interceptor.conf
# and /var/log/oci-interceptor are saved and restored around it.
#
# Run as root by ctest with OI_BINARY=<build dir>/oci-interceptor.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DAEMON_JSON=/etc/docker/daemon.json
CONF=/etc/oci-interceptor.conf
LOG_DIR=/var/log/oci-interceptor
INSTALLED=/usr/bin/oci-interceptor

common_setup
unset OCI_INTERCEPTOR_CONFIG   # this suite tests the installed /etc/oci-interceptor.conf
BUILD_DIR=$(dirname "$OI_BINARY")
PKG_DIR=$TEST_TMP/packages
mkdir -p "$PKG_DIR"

# jq -S: the same JSON value prints the same, whatever the key order.
normalized() { jq -S . "$1"; }
without_ours() { jq -S 'del(.runtimes["oci-interceptor"])' "$1"; }

# --- Build and lint -----------------------------------------------------------

# build_package GENERATOR: cpack from the build tree into $PKG_DIR.
build_package() {
    check "cpack -G $1" cpack -G "$1" --config "$BUILD_DIR/CPackConfig.cmake" -B "$PKG_DIR"
}

check_rpm() {
    require_tool rpmbuild rpm || return 0
    build_package RPM || return 0
    local rpm_file
    rpm_file=$(ls "$PKG_DIR"/oci-interceptor-*.rpm 2>/dev/null | head -1)
    [ -n "$rpm_file" ] || { fail "rpm file produced" "$(ls "$PKG_DIR")"; return 0; }
    run_capture rpm -qp --scripts "$rpm_file"
    assert_contains "rpm %post registers" "$OUT" "docker-hook register"
    assert_contains "rpm %preun unregisters on erase only" "$OUT" 'if [ "$1" -eq 0 ]; then
    /usr/libexec/oci-interceptor/docker-hook unregister'
    assert_contains "rpm %postun removes the debug output dir" "$OUT" "rm -rf $LOG_DIR"
    run_capture rpm -qpl "$rpm_file"
    local f
    for f in "$INSTALLED" "$CONF" /usr/libexec/oci-interceptor/docker-hook \
        /usr/share/man/man8/oci-interceptor.8.gz /usr/share/man/man5/oci-interceptor.conf.5.gz \
        /usr/share/doc/oci-interceptor/copyright /usr/share/doc/oci-interceptor/LICENSE-MIT \
        /usr/share/doc/oci-interceptor/LICENSE-APACHE; do
        assert_contains "rpm holds $f" "$OUT" "$f"
    done
    assert_eq "rpm: $CONF is %config(noreplace)" "$CONF" "$(rpm -qpc "$rpm_file" 2>&1)"
    assert_contains "rpm requires libsystemd (dlopen)" "$(rpm -qpR "$rpm_file")" "libsystemd.so.0"
    assert_contains "rpm requires libjsoncpp (computed)" "$(rpm -qpR "$rpm_file")" "libjsoncpp.so"
    assert_contains "rpm recommends runc" "$(rpm -qp --recommends "$rpm_file" 2>&1)" "runc"
    if require_tool rpmlint; then
        run_capture rpmlint -c "$REPO_ROOT/rpm/rpmlint.toml" "$rpm_file"
        log "$OUT"
        assert_match "rpmlint: no errors" "$OUT" " 0 errors"
    fi
}

check_rpm

require_tool dpkg-deb dpkg || finish
build_package DEB || finish
DEB=$(ls "$PKG_DIR"/oci-interceptor_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || { fail "deb file produced" "$(ls "$PKG_DIR")"; finish; }

run_capture dpkg-deb -f "$DEB" Depends
assert_contains "deb depends on libsystemd0 (dlopen)" "$OUT" "libsystemd0"
assert_contains "deb depends on libjsoncpp (computed)" "$OUT" "libjsoncpp"
assert_eq "deb recommends runc" "runc" "$(dpkg-deb -f "$DEB" Recommends)"
assert_eq "deb: $CONF is a conffile" "$CONF" "$(dpkg-deb -I "$DEB" conffiles)"
if require_tool lintian; then
    run_capture lintian "$DEB"
    log "$OUT"
    assert_not_contains "lintian: no errors" "$OUT" "E: "
fi

# --- Install on this machine ----------------------------------------------------

prereq "oci-interceptor not installed" "the package is installed on this machine: this suite would replace it" \
    bash -c '! dpkg -s oci-interceptor >/dev/null 2>&1' || finish
prereq "no dockerd running" "a dockerd runs here; the package scripts would make it reload: stop it first" \
    bash -c '! pidof dockerd' || finish
require_tool dockerd jq || finish

# save_path PATH: move PATH aside now, put it back at exit.
save_path() {
    local path=$1 saved=$TEST_TMP/saved$(echo "$1" | tr / _)
    if [ -e "$path" ]; then
        mv "$path" "$saved"
        on_exit "rm -rf '$path'; mv '$saved' '$path'"
    else
        on_exit "rm -rf '$path'"
    fi
}
[ -d /etc/docker ] || { mkdir /etc/docker; on_exit "rmdir /etc/docker"; }
save_path "$DAEMON_JSON"
save_path "$CONF"
save_path "$LOG_DIR"
# Whatever happens, leave nothing of the package behind (runs before the restores).
on_exit "OCI_INTERCEPTOR_NO_REGISTER=1 dpkg -P oci-interceptor"

cat >"$DAEMON_JSON" <<'EOF'
{
  "log-level": "info",
  "log-opts": {"max-size": "10m", "max-file": "3"},
  "runtimes": {"other": {"path": "/usr/sbin/runc", "runtimeArgs": ["--debug"]}},
  "default-shm-size": "128M"
}
EOF
cp "$DAEMON_JSON" "$TEST_TMP/original.json"

check "dpkg -i" dpkg -i "$DEB" || finish
log "$OUT"
assert_eq "entry points at the installed binary" "$INSTALLED" \
    "$(jq -r '.runtimes["oci-interceptor"].path' "$DAEMON_JSON")"
assert_eq "entry has no runtimeArgs" "null" "$(jq -c '.runtimes["oci-interceptor"].runtimeArgs' "$DAEMON_JSON")"
assert_eq "other settings unchanged after install" "$(normalized "$TEST_TMP/original.json")" \
    "$(without_ours "$DAEMON_JSON")"
assert_mode "daemon.json mode kept" 644 "$DAEMON_JSON"
assert_file_exists "man page installed" /usr/share/man/man8/oci-interceptor.8.gz

# A rule from the installed config file, seen inside a container run by a
# private dockerd that reads the daemon.json under test.
printf '%s\n' '# test_package.sh' 'env = FOO=bar' >"$CONF"
chmod 644 "$CONF"
cp "$CONF" "$TEST_TMP/conf.edited"

# runtimes_of_dockerd: the runtimes and default runtime dockerd has loaded.
runtimes_of_dockerd() {
    dk info --format '{{range $name, $r := .Runtimes}}{{$name}} {{end}}default={{.DefaultRuntime}}'
}

DOCKER_OK=0
# Not through check: its subshell would lose DOCKERD_PID.
# dockerd reads the daemon.json under test in place, not a copy.
if launch_dockerd "$TEST_TMP/dockerd" "$DAEMON_JSON"; then
    pass "private dockerd starts on $DAEMON_JSON"
else
    fail "private dockerd starts on $DAEMON_JSON" "see its log above"
fi
if check "busybox image imported" docker_import_busybox; then
    DOCKER_OK=1
    assert_contains "dockerd knows the runtime" "$(runtimes_of_dockerd)" "oci-interceptor"
    run_capture dk run --rm --network none --runtime oci-interceptor "$BUSYBOX_IMAGE" sh -c 'echo "FOO=$FOO"'
    assert_eq "rule of $CONF visible in the container" "FOO=bar" "$OUT"
fi

# Reinstall (the upgrade path): nothing changes, dockerd is not restarted.
cp "$DAEMON_JSON" "$TEST_TMP/after-install.json"
check "dpkg -i again" dpkg -i "$DEB"
assert_same_file "reinstall leaves daemon.json byte-identical" "$TEST_TMP/after-install.json" "$DAEMON_JSON"
assert_same_file "reinstall keeps the edited conffile" "$TEST_TMP/conf.edited" "$CONF"
if [ $DOCKER_OK = 1 ]; then
    check "dockerd still running (never restarted)" kill -0 "$DOCKERD_PID"
fi

# Make ours the default, as an operator would; removal must reset it.
check "register as default-runtime" "$INSTALLED" --oi-register docker --oi-set-default
assert_eq "default-runtime is ours" "oci-interceptor" "$(jq -r '."default-runtime"' "$DAEMON_JSON")"
if [ $DOCKER_OK = 1 ]; then
    reload_private_dockerd
    assert_contains "dockerd reloaded the default" "$(runtimes_of_dockerd)" "default=oci-interceptor"
fi
mkdir -p "$LOG_DIR" && echo '{}' >"$LOG_DIR/host_original.json"   # debug output of ours

check "dpkg -r" dpkg -r oci-interceptor
log "$OUT"
assert_eq "entry removed" "null" "$(jq -c '.runtimes["oci-interceptor"]' "$DAEMON_JSON")"
# Reset to runc, not removed: on SIGHUP dockerd keeps its old default when the
# key is missing, and crashes on the runtime that is gone (seen with 20.10).
assert_eq "default-runtime reset to runc" '"runc"' "$(jq -c '."default-runtime"' "$DAEMON_JSON")"
assert_eq "other settings unchanged after removal" "$(normalized "$TEST_TMP/original.json")" \
    "$(jq -S 'del(."default-runtime")' "$DAEMON_JSON")"
assert_file_exists "remove keeps the conffile" "$CONF"
if [ $DOCKER_OK = 1 ]; then
    sleep 1
    check "dockerd still running after removal" kill -0 "$DOCKERD_PID"
    run_capture runtimes_of_dockerd
    assert_not_contains "dockerd reloaded: runtime gone" "$OUT" "oci-interceptor"
    assert_contains "dockerd reloaded: default back to runc" "$OUT" "default=runc"
fi

check "dpkg -P" dpkg -P oci-interceptor
assert_no_file "purge removes $CONF" "$CONF"
assert_no_file "purge removes $LOG_DIR" "$LOG_DIR"
assert_no_file "purge removes the binary" "$INSTALLED"
assert_no_file "purge removes the hook" /usr/libexec/oci-interceptor
assert_not_contains "nothing of ours in daemon.json" "$(cat "$DAEMON_JSON")" "oci-interceptor"
check_fails "dpkg knows nothing of the package" dpkg -s oci-interceptor
assert_not_contains "dpkg keeps no conffile of ours" "$(dpkg-query -W -f='${Conffiles}' 2>/dev/null)" "$CONF"

# The opt-out for automation that manages daemon.json.
cp "$TEST_TMP/original.json" "$DAEMON_JSON"
check "OCI_INTERCEPTOR_NO_REGISTER=1 dpkg -i" env OCI_INTERCEPTOR_NO_REGISTER=1 dpkg -i "$DEB"
assert_same_file "opt-out: daemon.json untouched" "$TEST_TMP/original.json" "$DAEMON_JSON"
"$INSTALLED" --oi-register docker >/dev/null
check "OCI_INTERCEPTOR_NO_REGISTER=1 dpkg -P" env OCI_INTERCEPTOR_NO_REGISTER=1 dpkg -P oci-interceptor
assert_contains "opt-out: removal leaves the entry" "$(cat "$DAEMON_JSON")" "oci-interceptor"

finish
