#!/usr/bin/env bash
# podman through `podman --runtime`: a rule applied and visible in the
# container, with the runtime given as a path and as a name declared in a
# containers.conf drop-in.
#
# podman passes the runtime no extra arguments, and (seen on Debian 12,
# podman 4.3 + conmon 2.1) it does not pass its environment to the runtime
# either: $OCI_INTERCEPTOR_CONFIG cannot reach it. So this suite installs its
# policy as /etc/oci-interceptor.conf for its duration, and restores the
# previous file (or its absence) at exit. podman uses private storage under
# the suite's temporary directory.
source "$(dirname "$0")/lib.sh"

common_setup
require_tool podman runc jq || skip_all "podman missing"
unset OCI_INTERCEPTOR_CONFIG   # podman would not pass it on anyway

POLICY=$TEST_TMP/policy.conf
write_conf "$POLICY" \
    "# policy for the podman suite (installed as /etc/oci-interceptor.conf)" \
    "readonly-networking-mounts = yes" \
    "env = OI_PODMAN=from-etc-conf"
replace_etc_file /etc/oci-interceptor.conf "$POLICY"

if ! podman_setup "$TEST_TMP/podman"; then
    prereq podman "podman could not import the busybox image" false
    finish
fi
RT_NAME=oi-test-$$
podman_dropin "$RT_NAME" "$OI_BINARY"

PROBE='echo "OI_PODMAN=${OI_PODMAN-<unset>}"; awk '\''$2 == "/etc/hosts" { split($4, o, ","); print "hosts " o[1] }'\'' /proc/mounts; if echo x >>/etc/hosts; then echo write:ok; fi'

for rt in "$OI_BINARY" "$RT_NAME"; do
    what=path
    [ "$rt" = "$RT_NAME" ] && what="drop-in name"
    run_capture podman_run "$rt" "$PODMAN_IMAGE" sh -c "$PROBE"
    assert_eq "podman ($what): exit 0" 0 "$RC"
    assert_contains "podman ($what): env from the config file visible" "$OUT" "OI_PODMAN=from-etc-conf"
    assert_contains "podman ($what): /etc/hosts is ro" "$OUT" "hosts ro"
    assert_contains "podman ($what): writing /etc/hosts fails" "$OUT" "Read-only file system"
    assert_not_contains "podman ($what): writing /etc/hosts did not succeed" "$OUT" "write:ok"
done

run_capture podman_run "$OI_BINARY" -e OI_PODMAN=user "$PODMAN_IMAGE" sh -c 'echo "OI_PODMAN=$OI_PODMAN"'
assert_eq "podman: the config file's env loses to podman run -e" "OI_PODMAN=user" "$OUT"

run_capture podman_run "$OI_BINARY" "$PODMAN_IMAGE" sh -c 'exit 42'
assert_eq "podman: exit status 42 comes through" 42 "$RC"

printf 'via stdin\n' >"$TEST_TMP/stdin"
CHECK_STDIN=$TEST_TMP/stdin run_capture podman_run "$OI_BINARY" -i "$PODMAN_IMAGE" cat
assert_eq "podman: run -i reads stdin" "via stdin" "$OUT"

run_capture pm ps -aq
assert_eq "podman: no container left behind" "" "$OUT"

finish
