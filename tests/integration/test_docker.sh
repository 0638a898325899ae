#!/usr/bin/env bash
# A private dockerd whose daemon.json registers the interceptor under several
# runtime names with different runtimeArgs, and a busybox image imported from
# a rootfs: passthrough, exit status, stdin, the readonly rule, env and
# env-force against `docker run -e`, config file settings and precedence,
# debug output files, and a broken config file reported by `docker run`.
source "$(dirname "$0")/lib.sh"

common_setup
require_tool dockerd docker runc jq || skip_all "docker engine missing"

DEBUG_DIR=$TEST_TMP/debug            # must not exist: the interceptor creates it
DEBUG_RO_DIR=$TEST_TMP/debug-ro
CONF=$TEST_TMP/policy.conf
BROKEN=$TEST_TMP/broken.conf
LATER=$TEST_TMP/broken-later.conf  # good at docker run, broken before docker rm
write_conf "$CONF" \
    "# test policy" \
    "readonly-networking-mounts = yes" \
    "env = FROMCONF=file-value" \
    "env = SHARED=file"
write_conf "$BROKEN" \
    "# a typo in a policy must never be silently ignored" \
    "env = A=b" \
    "readonly-netwrking-mounts = yes"

# The dockerd (and through it containerd and its shims) passes its
# environment to the runtime: $OCI_INTERCEPTOR_CONFIG (empty file, from
# common_setup) keeps the host's /etc/oci-interceptor.conf out of the tests.
DAEMON_JSON=$(jq -n --arg b "$OI_BINARY" --arg dbg "$DEBUG_DIR" --arg dbgro "$DEBUG_RO_DIR" \
    --arg conf "$CONF" --arg broken "$BROKEN" --arg later "$LATER" '{
  "runtimes": {
    "oi-default":       {"path": $b},
    "oi-ro-net":        {"path": $b, "runtimeArgs": ["--oi-readonly-networking-mounts"]},
    "oi-ro-net-true":   {"path": $b, "runtimeArgs": ["--oi-readonly-networking-mounts", "true"]},
    "oi-env-foo":       {"path": $b, "runtimeArgs": ["--oi-env", "FOO=bar"]},
    "oi-env-eq-foo":    {"path": $b, "runtimeArgs": ["--oi-env=FOO=bar"]},
    "oi-env-force-foo": {"path": $b, "runtimeArgs": ["--oi-env-force", "FOO=forced"]},
    "oi-debug":         {"path": $b, "runtimeArgs": ["--oi-write-debug-output", "--oi-debug-output-dir", $dbg, "--oi-log-target", "file"]},
    "oi-debug-ro":      {"path": $b, "runtimeArgs": ["--oi-write-debug-output", "--oi-debug-output-dir", $dbgro, "--oi-log-target", "file", "--oi-readonly-networking-mounts"]},
    "oi-conf":          {"path": $b, "runtimeArgs": ["--oi-config", $conf]},
    "oi-conf-override": {"path": $b, "runtimeArgs": ["--oi-config", $conf, "--oi-env", "SHARED=flag"]},
    "oi-broken":        {"path": $b, "runtimeArgs": ["--oi-config", $broken]},
    "oi-broken-later":  {"path": $b, "runtimeArgs": ["--oi-config", $later]}
  }
}')

if ! start_private_dockerd "$TEST_TMP/dockerd" "$DAEMON_JSON"; then
    prereq dockerd "the private dockerd did not start" false
    finish
fi
check "busybox image imported" docker_import_busybox || finish

run_capture dk info --format '{{json .Runtimes}}'
for r in oi-default oi-ro-net oi-env-foo oi-env-force-foo oi-debug oi-conf oi-conf-override oi-broken; do
    assert_contains "docker info lists runtime $r" "$OUT" "\"$r\""
done

# drun RUNTIME ARGS...: docker run --rm through a runtime; OUT/RC set.
drun() {
    local rt=$1; shift
    run_capture timeout 120 "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" run --rm --network none --runtime "$rt" "$@"
}

NETFILES_AWK='$2 == "/etc/hosts" || $2 == "/etc/hostname" || $2 == "/etc/resolv.conf" { split($4, o, ","); print $2, o[1] }'

# ---------------------------------------------------------------------------
log "== passthrough, exit status, stdin"

drun oi-default "$BUSYBOX_IMAGE" echo hello
assert_eq "passthrough: echo hello" "hello" "$OUT"
assert_eq "passthrough: exit 0" 0 "$RC"

drun oi-default "$BUSYBOX_IMAGE" sh -c 'exit 42'
assert_eq "exit code 42 propagates" 42 "$RC"

drun oi-ro-net "$BUSYBOX_IMAGE" sh -c 'exit 42'
assert_eq "exit code 42 propagates with a rule on" 42 "$RC"

printf 'from stdin\nsecond line\n' >"$TEST_TMP/stdin"
CHECK_STDIN=$TEST_TMP/stdin drun oi-default -i "$BUSYBOX_IMAGE" cat
assert_eq "docker run -i reads stdin" "$(printf 'from stdin\nsecond line')" "$OUT"

CHECK_STDIN=$TEST_TMP/stdin drun oi-env-foo -i "$BUSYBOX_IMAGE" sh -c 'cat; echo "FOO=$FOO"'
assert_eq "docker run -i reads stdin with a rule on" "$(printf 'from stdin\nsecond line\nFOO=bar')" "$OUT"

# ---------------------------------------------------------------------------
log "== readonly networking mounts"

drun oi-default "$BUSYBOX_IMAGE" awk "$NETFILES_AWK" /proc/mounts
for f in /etc/hosts /etc/hostname /etc/resolv.conf; do
    assert_contains "oi-default: $f is rw" "$OUT" "$f rw"
done

drun oi-ro-net-true "$BUSYBOX_IMAGE" awk "$NETFILES_AWK" /proc/mounts
assert_contains "runtimeArgs [\"--oi-readonly-networking-mounts\", \"true\"]: /etc/hosts is ro" "$OUT" "/etc/hosts ro"
drun oi-ro-net "$BUSYBOX_IMAGE" awk "$NETFILES_AWK" /proc/mounts
for f in /etc/hosts /etc/hostname /etc/resolv.conf; do
    assert_contains "oi-ro-net: $f is ro" "$OUT" "$f ro"
done

for f in /etc/hosts /etc/hostname /etc/resolv.conf; do
    drun oi-ro-net "$BUSYBOX_IMAGE" sh -c "echo x >> $f"
    assert_ne "oi-ro-net: writing $f fails" 0 "$RC"
    assert_contains "oi-ro-net: writing $f says Read-only file system" "$OUT" "Read-only file system"
    drun oi-default "$BUSYBOX_IMAGE" sh -c "echo x >> $f"
    assert_eq "oi-default: writing $f works" 0 "$RC"
done

# ---------------------------------------------------------------------------
log "== env and env-force"

PRINT_FOO='echo "FOO=${FOO-<unset>}"'
drun oi-default "$BUSYBOX_IMAGE" sh -c "$PRINT_FOO"
assert_eq "oi-default: FOO unset" "FOO=<unset>" "$OUT"
drun oi-env-foo "$BUSYBOX_IMAGE" sh -c "$PRINT_FOO"
assert_eq "--oi-env sets FOO=bar" "FOO=bar" "$OUT"
drun oi-env-eq-foo "$BUSYBOX_IMAGE" sh -c "$PRINT_FOO"
assert_eq "--oi-env=FOO=bar form sets FOO=bar" "FOO=bar" "$OUT"
drun oi-env-foo -e FOO=user "$BUSYBOX_IMAGE" sh -c "$PRINT_FOO"
assert_eq "--oi-env loses to docker run -e" "FOO=user" "$OUT"
drun oi-env-force-foo -e FOO=user "$BUSYBOX_IMAGE" sh -c "$PRINT_FOO"
assert_eq "--oi-env-force wins over docker run -e" "FOO=forced" "$OUT"
drun oi-env-force-foo "$BUSYBOX_IMAGE" sh -c "$PRINT_FOO"
assert_eq "--oi-env-force sets an unset variable" "FOO=forced" "$OUT"
drun oi-env-force-foo -e FOO=user -e OTHER=kept "$BUSYBOX_IMAGE" sh -c 'env | grep -c "^FOO="; echo "OTHER=$OTHER"'
assert_eq "--oi-env-force leaves one FOO and other variables alone" "$(printf '1\nOTHER=kept')" "$OUT"

# ---------------------------------------------------------------------------
log "== config file"

PRINT_CONF='echo "FROMCONF=${FROMCONF-<unset>} SHARED=${SHARED-<unset>}"; awk '\''$2 == "/etc/hosts" { split($4, o, ","); print "hosts " o[1] }'\'' /proc/mounts'
drun oi-conf "$BUSYBOX_IMAGE" sh -c "$PRINT_CONF"
assert_contains "config file: env applies" "$OUT" "FROMCONF=file-value SHARED=file"
assert_contains "config file: readonly-networking-mounts applies" "$OUT" "hosts ro"
drun oi-conf-override "$BUSYBOX_IMAGE" sh -c "$PRINT_CONF"
assert_contains "command line beats the config file (same NAME)" "$OUT" "FROMCONF=file-value SHARED=flag"
assert_contains "config file settings still apply beside the flag" "$OUT" "hosts ro"
drun oi-conf -e FROMCONF=user "$BUSYBOX_IMAGE" sh -c "$PRINT_CONF"
assert_contains "config file env loses to docker run -e" "$OUT" "FROMCONF=user"

drun oi-broken "$BUSYBOX_IMAGE" echo must-not-run
assert_ne "broken config file: docker run fails" 0 "$RC"
assert_not_contains "broken config file: the container did not run" "$OUT" "must-not-run"
assert_contains "broken config file: message is ours" "$OUT" "oci-interceptor"
assert_contains "broken config file: message names the file and line" "$OUT" "$BROKEN:3:"
run_capture dk ps -aq
assert_eq "broken config file: no container left" "" "$OUT"

# A config file broken while a container runs: that container can still be
# stopped and removed (kill and delete go through), nothing is left behind.
cp "$CONF" "$LATER"
run_capture dk run -d --network none --runtime oi-broken-later "$BUSYBOX_IMAGE" sleep 300
assert_eq "broken later: the container starts" 0 "$RC"
CID=$OUT
cp "$BROKEN" "$LATER"
run_capture timeout 60 "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" rm -f "$CID"
assert_eq "broken later: docker rm -f works" 0 "$RC"
run_capture dk ps -aq
assert_eq "broken later: no container left" "" "$OUT"
assert_eq "broken later: no shim left for it" "" "$(pgrep -f "containerd-shim.*$CID" || true)"
drun oi-broken-later "$BUSYBOX_IMAGE" echo must-not-run
assert_not_contains "broken later: a new container is refused" "$OUT" "must-not-run"

# ---------------------------------------------------------------------------
log "== debug output"

rm -f "$TEST_TMP/cid"
drun oi-debug --hostname oi-dbg-host --cidfile "$TEST_TMP/cid" "$BUSYBOX_IMAGE" echo debug
assert_eq "oi-debug: container runs" "debug" "$OUT"
CID=$(cat "$TEST_TMP/cid" 2>/dev/null)
assert_file_exists "debug dir created" "$DEBUG_DIR"
assert_mode "debug dir mode 0700" 700 "$DEBUG_DIR"
assert_file_exists "debug: oi-dbg-host_original.json" "$DEBUG_DIR/oi-dbg-host_original.json"
assert_file_exists "debug: oi-dbg-host_parsed.json" "$DEBUG_DIR/oi-dbg-host_parsed.json"
assert_no_file "debug: no _modified.json when nothing changed" "$DEBUG_DIR/oi-dbg-host_modified.json"
assert_file_exists "debug: runtime_calls.log" "$DEBUG_DIR/runtime_calls.log"
for f in oi-dbg-host_original.json oi-dbg-host_parsed.json runtime_calls.log; do
    [ -e "$DEBUG_DIR/$f" ] && assert_mode "debug: $f mode 0600" 600 "$DEBUG_DIR/$f"
done
assert_contains "debug: _parsed.json contains the hostname" "$(cat "$DEBUG_DIR/oi-dbg-host_parsed.json" 2>&1)" "oi-dbg-host"
assert_contains "debug: _original.json is the engine's config" "$(jq -r .hostname "$DEBUG_DIR/oi-dbg-host_original.json" 2>&1)" "oi-dbg-host"
calls=$(grep -F -- "$CID" "$DEBUG_DIR/runtime_calls.log" 2>/dev/null)
assert_ne "debug: runtime_calls.log has the container's calls" "" "$calls"
bad=$(printf '%s\n' "$calls" | grep -v '^runc ')
assert_eq "debug: each call line starts with the runtime-path value 'runc '" "" "$bad"
for c in create start delete; do
    assert_match "debug: runtime_calls.log has the $c call" "$calls" "^runc .* $c( |$)"
done

drun oi-debug-ro --hostname oi-dbg-ro "$BUSYBOX_IMAGE" true
assert_file_exists "debug + rule: _modified.json written" "$DEBUG_RO_DIR/oi-dbg-ro_modified.json"
assert_mode "debug + rule: _modified.json mode 0600" 600 "$DEBUG_RO_DIR/oi-dbg-ro_modified.json"
assert_eq "debug + rule: _modified.json has /etc/hosts ro" "true" \
    "$(jq '[.mounts[] | select(.destination == "/etc/hosts") | .options | index("ro") != null] | all' \
        "$DEBUG_RO_DIR/oi-dbg-ro_modified.json" 2>&1)"


# Registration against this live dockerd: register, reload, the runtime runs
# containers; unregister its only runtime, reload, dockerd has dropped it
# (it replaces its runtimes on SIGHUP only when "runtimes" is in the file).
LIVE_JSON=$TEST_TMP/dockerd/daemon.json
echo '{}' >"$LIVE_JSON"
check "register into the daemon.json dockerd reads" \
    "$OI_BINARY" --oi-register docker --oi-docker-config "$LIVE_JSON"
reload_private_dockerd
assert_contains "reload loads the registered runtime" "$(dk info --format '{{json .Runtimes}}')" \
    '"oci-interceptor"'
drun oci-interceptor "$BUSYBOX_IMAGE" echo registered
assert_eq "registered runtime runs a container" "registered" "$OUT"
check "unregister from it" "$OI_BINARY" --oi-unregister docker --oi-docker-config "$LIVE_JSON"
reload_private_dockerd
assert_not_contains "reload drops the unregistered runtime" \
    "$(dk info --format '{{json .Runtimes}}')" '"oci-interceptor"'

finish
