#!/usr/bin/env bash
# containerd through `ctr run --runc-binary`, against the containerd that a
# private dockerd starts: a rule applied and visible in the container.
#
# containerd's runc options (BinaryName, --runc-binary) take no arguments, so
# the settings come from a config file. Seen on Debian 12 (containerd 1.6):
# the environment of the `ctr` client does NOT reach the runtime, but the
# environment of the daemon does (dockerd -> containerd -> shim -> runtime).
# So $OCI_INTERCEPTOR_CONFIG is set for the private dockerd, and
# /etc/oci-interceptor.conf is never touched.
source "$(dirname "$0")/lib.sh"

common_setup
require_tool dockerd docker ctr runc jq || skip_all "containerd/ctr missing"

CONF=$TEST_TMP/containerd.conf
write_conf "$CONF" \
    "# policy for the containerd suite" \
    "readonly-networking-mounts = yes" \
    "env = OI_CTR=from-config-file"
echo "127.0.0.1 localhost oi-test-hosts" >"$TEST_TMP/hosts"

# The runc state root ctr's shim uses for namespace $CTR_NS.
RUNC_NS_ROOT=/run/containerd/runc/$CTR_NS
[ -e "$RUNC_NS_ROOT" ] || on_exit "rmdir '$RUNC_NS_ROOT'; rmdir /run/containerd/runc /run/containerd"

export OCI_INTERCEPTOR_CONFIG=$CONF
if ! start_private_dockerd "$TEST_TMP/dockerd" '{}'; then
    prereq dockerd "the private dockerd did not start" false
    finish
fi
check "busybox image imported into docker" docker_import_busybox || finish
check "busybox image imported into containerd" ctr_import_busybox || finish

# crun ID ARGS...: ctr run --rm through the interceptor, /etc/hosts bound rw.
crun() {
    local id=$1; shift
    run_capture timeout 120 ctr -a "$(ctr_sock)" -n "$CTR_NS" run --rm --runc-binary "$OI_BINARY" \
        --mount "type=bind,src=$TEST_TMP/hosts,dst=/etc/hosts,options=rbind:rw" \
        "$CTR_IMAGE" "$id" "$@"
}

PROBE='echo "OI_CTR=${OI_CTR-<unset>}"; awk '\''$2 == "/etc/hosts" { split($4, o, ","); print "hosts " o[1] }'\'' /proc/mounts; if echo x >>/etc/hosts; then echo write:ok; fi'

crun oi-ctr-1 sh -c "$PROBE"
assert_contains "ctr: env from the config file visible in the container" "$OUT" "OI_CTR=from-config-file"
assert_contains "ctr: /etc/hosts bind mount is ro" "$OUT" "hosts ro"
assert_contains "ctr: writing /etc/hosts fails" "$OUT" "Read-only file system"
assert_not_contains "ctr: writing /etc/hosts did not succeed" "$OUT" "write:ok"

crun oi-ctr-2 echo hello
assert_eq "ctr: passthrough output" "hello" "$OUT"
assert_eq "ctr: exit 0" 0 "$RC"

crun oi-ctr-3 sh -c 'exit 42'
assert_eq "ctr: exit status 42 comes through" 42 "$RC"

# The client's environment does not reach the runtime: a config named only
# there is not used (documents the engine fact the suite relies on).
CONF2=$TEST_TMP/client-only.conf
write_conf "$CONF2" "env = OI_CLIENT=from-client-env"
OCI_INTERCEPTOR_CONFIG=$CONF2 crun oi-ctr-4 sh -c 'echo "OI_CLIENT=${OI_CLIENT-<unset>} OI_CTR=${OI_CTR-<unset>}"'
assert_eq "ctr: the runtime gets the daemon's environment, not ctr's" \
    "OI_CLIENT=<unset> OI_CTR=from-config-file" "$OUT"

run_capture cr container ls -q
assert_eq "ctr: no container left behind" "" "$OUT"

finish
