#!/usr/bin/env bash
# Registration with containerd and podman, through a profile: what
# --oi-register produced is what the engines load, and a container started
# through the profile's handler gets that profile's rules.
#
# containerd: a private daemon (own config, root, state, socket) started from
# a config that `--oi-register containerd --oi-containerd-config` edited;
# `containerd config dump` shows the handler, `ctr run --runc-binary` runs
# through the profile symlink. podman: the drop-in `--oi-register podman`
# wrote in the real /etc/containers/containers.conf.d (podman 4.3 has no
# CONTAINERS_CONF_OVERRIDE), removed at exit.
#
# The profile's policy is /etc/oci-interceptor.d/NAME.conf (backed up and
# restored at exit); $OCI_INTERCEPTOR_CONFIG is unset, since it would win
# over the profile (and podman would not pass it on anyway).
source "$(dirname "$0")/lib.sh"

common_setup
require_tool containerd ctr podman runc jq || skip_all "containerd, ctr or podman missing"
unset OCI_INTERCEPTOR_CONFIG

PROFILE=oi-test-$$
HANDLER=oci-interceptor-$PROFILE
LINK_DIR=$TEST_TMP/bin
LINK=$LINK_DIR/$HANDLER
mkdir -p "$LINK_DIR"

# The profile's policy.
if [ ! -d /etc/oci-interceptor.d ]; then
    mkdir -p /etc/oci-interceptor.d
    on_exit "rmdir /etc/oci-interceptor.d"
fi
write_conf "$TEST_TMP/profile.conf" \
    "# policy of profile $PROFILE" \
    "readonly-networking-mounts = yes" \
    "env = OI_PROFILE=$PROFILE"
replace_etc_file "/etc/oci-interceptor.d/$PROFILE.conf" "$TEST_TMP/profile.conf"

PROBE='echo "OI_PROFILE=${OI_PROFILE-<unset>}"; awk '\''$2 == "/etc/hosts" { split($4, o, ","); print "hosts " o[1] }'\'' /proc/mounts; if echo x >>/etc/hosts; then echo write:ok; fi'
echo "127.0.0.1 localhost oi-test-hosts" >"$TEST_TMP/hosts"

# check_probe WHAT: the probe's output in $OUT shows the profile's rules.
check_probe() {
    assert_eq "$1: exit 0" 0 "$RC"
    assert_contains "$1: the profile's env is visible" "$OUT" "OI_PROFILE=$PROFILE"
    assert_contains "$1: /etc/hosts is ro" "$OUT" "hosts ro"
    assert_not_contains "$1: writing /etc/hosts did not succeed" "$OUT" "write:ok"
}

# --------------------------------------------------------------------------
# containerd
CTRD=$TEST_TMP/containerd
CTRD_CONFIG=$CTRD/config.toml
CTRD_SOCK=$CTRD/containerd.sock
mkdir -p "$CTRD"
cat >"$CTRD_CONFIG" <<TOML
# a private containerd for the engines suite
version = 2
root = "$CTRD/root"
state = "$CTRD/state"

[grpc]
  address = "$CTRD_SOCK"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = false
TOML
cp "$CTRD_CONFIG" "$TEST_TMP/config.toml.orig"
DROPIN=$CTRD/conf.d/$HANDLER.toml

register_containerd() {
    "$OI_BINARY" "$1" containerd --oi-containerd-config "$CTRD_CONFIG" --oi-profile "$PROFILE" \
        --oi-link-dir "$LINK_DIR" "${@:2}"
}

check "containerd: --oi-dry-run succeeds" register_containerd --oi-register --oi-dry-run
assert_contains "containerd: --oi-dry-run prints the handler" "$OUT" "BinaryName = \"$LINK\""
assert_same_file "containerd: --oi-dry-run leaves the config alone" "$TEST_TMP/config.toml.orig" "$CTRD_CONFIG"
assert_no_file "containerd: --oi-dry-run creates no symlink" "$LINK"

# A version 2 config gets the handler in config.toml itself, no drop-in:
# containerd 1.x lets an imported file's CRI table replace the main one's.
check "containerd: register" register_containerd --oi-register
assert_eq "containerd: the profile symlink points at the binary" "$OI_BINARY" "$(readlink "$LINK")"
assert_no_file "containerd: no drop-in for a version 2 config" "$DROPIN"
assert_contains "containerd: the config keeps its text" "$(cat "$CTRD_CONFIG")" "$(cat "$TEST_TMP/config.toml.orig")"
check "containerd: register again (idempotent)" register_containerd --oi-register
assert_contains "containerd: register again changes nothing" "$OUT" "nothing changed"

run_capture containerd --config "$CTRD_CONFIG" config dump
DUMP=$OUT
SECTION=$(printf '%s\n' "$DUMP" | awk -v h="runtimes.$HANDLER" '
    /^[[:space:]]*\[/ { on = index($0, h "]") || index($0, h ".options]"); next }
    on')
assert_contains "containerd config dump: handler declared" "$DUMP" "containerd.runtimes.$HANDLER]"
assert_contains "containerd config dump: runtime_type" "$SECTION" 'runtime_type = "io.containerd.runc.v2"'
assert_contains "containerd config dump: BinaryName is the profile symlink" "$SECTION" "BinaryName = \"$LINK\""
assert_contains "containerd config dump: SystemdCgroup copied from runc" "$SECTION" "SystemdCgroup = false"
RUNC_SECTION=$(printf '%s\n' "$DUMP" | awk '
    /^[[:space:]]*\[/ { on = index($0, "runtimes.runc]") || index($0, "runtimes.runc.options]"); next }
    on')
assert_contains "containerd config dump: runc keeps its own options" "$RUNC_SECTION" "SystemdCgroup = false"

RUNC_NS_ROOT=/run/containerd/runc/$CTR_NS
[ -e "$RUNC_NS_ROOT" ] || on_exit "rmdir '$RUNC_NS_ROOT' /run/containerd/runc /run/containerd"

stop_private_containerd() {
    local pid
    for t in $(pc task ls -q 2>/dev/null); do pc task kill -s KILL "$t"; sleep 0.2; pc task rm -f "$t"; done
    for c in $(pc container ls -q 2>/dev/null); do pc container rm "$c"; done
    [ -n "${CTRD_PID:-}" ] && kill "$CTRD_PID" 2>/dev/null && wait "$CTRD_PID" 2>/dev/null
    for pid in $(pgrep -f "containerd-shim.*$CTRD" 2>/dev/null); do kill -9 "$pid"; done
    unmount_under "$CTRD"
}
pc() { ctr -a "$CTRD_SOCK" -n "$CTR_NS" "$@"; }

containerd --config "$CTRD_CONFIG" >"$CTRD/log" 2>&1 &
CTRD_PID=$!
on_exit stop_private_containerd
for _ in $(seq 100); do
    pc version >/dev/null 2>&1 && break
    kill -0 "$CTRD_PID" 2>/dev/null || break
    sleep 0.1
done
if ! prereq "private containerd" "it did not start: $(tail -5 "$CTRD/log")" pc version; then
    finish
fi
# The CRI plugin (Kubernetes') still loads with our handler registered.
run_capture pc plugins ls
assert_match "containerd: the CRI plugin loads with the handler" "$OUT" 'io\.containerd\.grpc\.v1[[:space:]]+cri[[:space:]]+[^[:space:]]+[[:space:]]+ok'

# An image: a busybox rootfs through podman (private storage) into containerd.
if ! podman_setup "$TEST_TMP/podman"; then
    prereq podman "podman could not import the busybox image" false
    finish
fi
check "image saved by podman" pm save --format docker-archive -o "$TEST_TMP/bb.tar" "$PODMAN_IMAGE"
check "image imported into the private containerd" pc image import "$TEST_TMP/bb.tar"
IMAGE=$(pc image ls -q | head -1)

run_capture timeout 120 ctr -a "$CTRD_SOCK" -n "$CTR_NS" run --rm --runc-binary "$LINK" \
    --mount "type=bind,src=$TEST_TMP/hosts,dst=/etc/hosts,options=rbind:rw" \
    "$IMAGE" oi-engines-1 sh -c "$PROBE"
check_probe "ctr run --runc-binary $HANDLER"

# --------------------------------------------------------------------------
# podman
PODMAN_DROPIN_DIR=/etc/containers/containers.conf.d
PODMAN_DROPIN=$PODMAN_DROPIN_DIR/$HANDLER.conf
[ -d "$PODMAN_DROPIN_DIR" ] || on_exit "rmdir '$PODMAN_DROPIN_DIR'"
on_exit "rm -f '$PODMAN_DROPIN'"
# (--oi-containerd-config: unregister looks there for other users of the symlink)
register_podman() {
    "$OI_BINARY" "$1" podman --oi-profile "$PROFILE" --oi-link-dir "$LINK_DIR" \
        --oi-containerd-config "$CTRD_CONFIG"
}
check "podman: register" register_podman --oi-register
assert_file_exists "podman: drop-in written" "$PODMAN_DROPIN"
run_capture podman_run "$HANDLER" -v "$TEST_TMP/hosts:/etc/hosts" "$PODMAN_IMAGE" sh -c "$PROBE"
check_probe "podman --runtime $HANDLER"

check "podman: unregister" register_podman --oi-unregister
assert_no_file "podman: drop-in removed" "$PODMAN_DROPIN"
assert_contains "podman: the symlink stays while containerd uses it" "$OUT" "kept $LINK"
assert_file_exists "podman: symlink kept" "$LINK"

# --------------------------------------------------------------------------
# containerd unregister: everything register did is undone.
check "containerd: unregister" register_containerd --oi-unregister
assert_no_file "containerd: symlink removed" "$LINK"
assert_same_file "containerd: config restored byte for byte" "$TEST_TMP/config.toml.orig" "$CTRD_CONFIG"

finish
