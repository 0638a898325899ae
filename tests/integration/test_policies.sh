#!/usr/bin/env bash
# The policy rules of issue 7, each proven inside a real container through a
# private dockerd: a read-only mount refuses writes, a masked path reads
# empty, a dropped capability is gone from /proc/self/status, NoNewPrivs is 1
# whatever docker run asked, a fork loop stops at the pids limit, a bind mount
# is visible, a prestart hook leaves a file on the host, env-unset removes a
# variable, and with exec-env `docker exec` sees a forced variable. Each has a
# control through the interceptor without rules, so the check can fail.
# Also: a bad value fails `docker run` with the value and PATH:LINE, and
# --oi-explain on a live bundle reports and writes nothing, and every rule is
# named in the journal's OCI_CHANGES (create and docker exec).
source "$(dirname "$0")/lib.sh"

common_setup
require_tool dockerd docker runc jq || skip_all "docker engine missing"
prereq "pids cgroup controller" "neither /sys/fs/cgroup/pids (v1) nor a v2 pids controller" \
    sh -c '[ -d /sys/fs/cgroup/pids ] || grep -qw pids /sys/fs/cgroup/cgroup.controllers' ||
    finish

PIDS_LIMIT=20
FORKS=60
DEBUG_DIR=$TEST_TMP/debug
HOOK_OUT=$TEST_TMP/hook-out
mkdir -p "$TEST_TMP/data" "$TEST_TMP/bind" "$TEST_TMP/other" "$HOOK_OUT"
echo "bound by oci-interceptor" >"$TEST_TMP/bind/oi-bound.txt"
echo "the user's own" >"$TEST_TMP/other/oi-bound.txt"

# The prestart hook runs on the host, in the runtime's namespaces, with the
# container state on stdin. Its args are given verbatim, argv[0] first:
# /bin/sh with args [sh, -c, SCRIPT, oi-zero, oi-one] runs SCRIPT with
# $0=oi-zero (had PATH been put first, sh would look for a script named "sh").
HOOK_SCRIPT="cat >$HOOK_OUT/state.json; echo \"\$0 \$1\" >$HOOK_OUT/ran"

POLICY_LINES=(
    "# every policy rule at once"
    "readonly-mount = /data"
    "mask-path = /proc/cpuinfo"
    "readonly-path = /dev/shm"
    "drop-capability = net_raw"
    "drop-capability = CAP_MKNOD"
    "no-new-privileges = true"
    "pids-limit = $PIDS_LIMIT"
    "bind-mount = $TEST_TMP/bind/oi-bound.txt:/etc/oi-bound.txt:ro"
    "hook = prestart:/bin/sh:sh:-c:$HOOK_SCRIPT:oi-zero:oi-one"
    "env-unset = OI_SECRET"
    "env-force = OI_FORCED=yes"
)
POLICY=$TEST_TMP/policy.conf
write_conf "$POLICY" "${POLICY_LINES[@]}" "exec-env = true" \
    "write-debug-output = true" "debug-output-dir = $DEBUG_DIR" "log-target = file"
NOEXEC=$TEST_TMP/noexec.conf
write_conf "$NOEXEC" "${POLICY_LINES[@]}"
JOURNAL=$TEST_TMP/journal.conf
write_conf "$JOURNAL" "${POLICY_LINES[@]}" "exec-env = true" "log-target = journald"
BADCAP=$TEST_TMP/badcap.conf
write_conf "$BADCAP" "# a typo" "drop-capability = CAP_NET_RAWW"

DAEMON_JSON=$(jq -n --arg b "$OI_BINARY" --arg p "$POLICY" --arg n "$NOEXEC" --arg j "$JOURNAL" \
    --arg bad "$BADCAP" '{
  "runtimes": {
    "oi-default": {"path": $b},
    "oi-policy":  {"path": $b, "runtimeArgs": ["--oi-config", $p]},
    "oi-noexec":  {"path": $b, "runtimeArgs": ["--oi-config", $n]},
    "oi-journal": {"path": $b, "runtimeArgs": ["--oi-config", $j]},
    "oi-badcap":  {"path": $b, "runtimeArgs": ["--oi-config", $bad]}
  }
}')

if ! start_private_dockerd "$TEST_TMP/dockerd" "$DAEMON_JSON"; then
    prereq dockerd "the private dockerd did not start" false
    finish
fi
check "busybox image imported" docker_import_busybox || finish

# drun RUNTIME ARGS...: docker run --rm through a runtime; OUT/RC set.
drun() {
    local rt=$1; shift
    run_capture timeout 120 "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" run --rm --network none \
        --runtime "$rt" "$@"
}

# both NAME ARGS...: run ARGS through oi-policy (OUT_POLICY) and oi-default
# (OUT_DEFAULT), the latter as the control.
both() {
    drun oi-policy "$@"; OUT_POLICY=$OUT; RC_POLICY=$RC
    drun oi-default "$@"; OUT_DEFAULT=$OUT; RC_DEFAULT=$RC
}

# cap_bit HEX BIT: 1 when capability BIT is set in the hex mask HEX.
cap_bit() { echo $(( (0x$1 >> $2) & 1 )); }

# ---------------------------------------------------------------------------
log "== readonly-mount"
WRITE='if { echo x >/data/f; } 2>/dev/null; then echo write:ok; else echo write:denied; fi'
both -v "$TEST_TMP/data:/data" "$BUSYBOX_IMAGE" sh -c "$WRITE"
assert_eq "readonly-mount: writing /data fails" "write:denied" "$OUT_POLICY"
assert_eq "readonly-mount control: writing /data works without the rule" "write:ok" "$OUT_DEFAULT"

log "== mask-path"
MASK='wc -c </proc/cpuinfo'
both "$BUSYBOX_IMAGE" sh -c "$MASK"
assert_eq "mask-path: /proc/cpuinfo reads empty" "0" "$(echo $OUT_POLICY)"
assert_ne "mask-path control: /proc/cpuinfo has content without the rule" "0" "$(echo $OUT_DEFAULT)"
drun oi-policy --security-opt systempaths=unconfined "$BUSYBOX_IMAGE" sh -c "$MASK"
assert_eq "mask-path: still empty with --security-opt systempaths=unconfined" "0" "$(echo $OUT)"

log "== readonly-path"
SHM='if { echo x >/dev/shm/f; } 2>/dev/null; then echo write:ok; else echo write:denied; fi'
both "$BUSYBOX_IMAGE" sh -c "$SHM"
assert_eq "readonly-path: writing /dev/shm fails" "write:denied" "$OUT_POLICY"
assert_eq "readonly-path control: /dev/shm writable without the rule" "write:ok" "$OUT_DEFAULT"

log "== drop-capability"
CAPS='grep Cap /proc/self/status'
both --cap-add NET_RAW --cap-add MKNOD "$BUSYBOX_IMAGE" sh -c "$CAPS"
assert_contains "drop-capability: grep Cap /proc/self/status runs" "$OUT_POLICY" "CapBnd:"
for set in CapBnd CapEff CapPrm; do
    hex=$(printf '%s\n' "$OUT_POLICY" | awk -v s="$set:" '$1 == s { print $2 }')
    ctl=$(printf '%s\n' "$OUT_DEFAULT" | awk -v s="$set:" '$1 == s { print $2 }')
    assert_eq "drop-capability: $set lacks CAP_NET_RAW (bit 13) despite --cap-add" 0 "$(cap_bit "${hex:-0}" 13)"
    assert_eq "drop-capability: $set lacks CAP_MKNOD (bit 27) despite --cap-add" 0 "$(cap_bit "${hex:-0}" 27)"
    assert_eq "drop-capability control: $set has CAP_NET_RAW without the rule" 1 "$(cap_bit "${ctl:-0}" 13)"
done
hex=$(printf '%s\n' "$OUT_POLICY" | awk '$1 == "CapBnd:" { print $2 }')
assert_eq "drop-capability: other capabilities kept (CAP_CHOWN, bit 0)" 1 "$(cap_bit "${hex:-0}" 0)"

log "== no-new-privileges"
both --security-opt no-new-privileges=false "$BUSYBOX_IMAGE" grep NoNewPrivs /proc/self/status
assert_match "no-new-privileges: NoNewPrivs 1 despite no-new-privileges=false" "$OUT_POLICY" 'NoNewPrivs:[[:space:]]+1$'
assert_match "no-new-privileges control: NoNewPrivs 0 without the rule" "$OUT_DEFAULT" 'NoNewPrivs:[[:space:]]+0$'

log "== pids-limit"
# Start up to $FORKS background sleeps, one line per success; ash exits at
# the first failed fork, and the container's end takes the sleeps with it.
FORK="i=0; while [ \$i -lt $FORKS ]; do sleep 60 & i=\$((i + 1)); echo \$i; done"
both --pids-limit 1000 "$BUSYBOX_IMAGE" sh -c "$FORK"
started=$(printf '%s\n' "$OUT_POLICY" | grep -c '^[0-9]*$')
started_default=$(printf '%s\n' "$OUT_DEFAULT" | grep -c '^[0-9]*$')
if [ "$started" -gt 0 ] && [ "$started" -lt "$PIDS_LIMIT" ]; then
    pass "pids-limit: fork loop stopped at $started processes (limit $PIDS_LIMIT) despite --pids-limit 1000"
else
    fail "pids-limit: fork loop stopped below $PIDS_LIMIT" "started: $started" "$OUT_POLICY"
fi
assert_eq "pids-limit control: all $FORKS forks succeed with --pids-limit 1000 alone" "$FORKS" "$started_default"
drun oi-policy --pids-limit 1000 "$BUSYBOX_IMAGE" cat /sys/fs/cgroup/pids/pids.max
assert_eq "pids-limit: the container's pids.max is $PIDS_LIMIT" "$PIDS_LIMIT" "$OUT"
drun oi-policy --pids-limit 5 "$BUSYBOX_IMAGE" cat /sys/fs/cgroup/pids/pids.max
assert_eq "pids-limit: a lower --pids-limit is kept" "5" "$OUT"

log "== bind-mount"
BOUND='cat /etc/oi-bound.txt; if { echo x >>/etc/oi-bound.txt; } 2>/dev/null; then echo write:ok; else echo write:denied; fi'
both "$BUSYBOX_IMAGE" sh -c "$BOUND"
assert_eq "bind-mount: the file is visible, read-only" \
    "$(printf 'bound by oci-interceptor\nwrite:denied')" "$OUT_POLICY"
assert_not_contains "bind-mount control: no file without the rule" "$OUT_DEFAULT" "bound by"
drun oi-policy -v "$TEST_TMP/other/oi-bound.txt:/etc/oi-bound.txt:ro" "$BUSYBOX_IMAGE" cat /etc/oi-bound.txt
assert_eq "bind-mount: a container's own mount on DST wins" "the user's own" "$OUT"

log "== hook"
rm -f "$HOOK_OUT"/*
drun oi-policy --cidfile "$TEST_TMP/hook.cid" "$BUSYBOX_IMAGE" true
assert_eq "hook: container runs" 0 "$RC"
assert_file_exists "hook: the prestart hook left a file on the host" "$HOOK_OUT/ran"
assert_eq "hook: args verbatim, argv[0] first" "oi-zero oi-one" "$(cat "$HOOK_OUT/ran" 2>&1)"
assert_eq "hook: got the container state on stdin" "$(cat "$TEST_TMP/hook.cid" 2>&1)" \
    "$(jq -r .id "$HOOK_OUT/state.json" 2>&1)"
rm -f "$HOOK_OUT"/*
drun oi-default "$BUSYBOX_IMAGE" true
assert_no_file "hook control: no hook without the rule" "$HOOK_OUT/ran"

log "== env-unset, env-force"
both -e OI_SECRET=leak -e OI_FORCED=no "$BUSYBOX_IMAGE" sh -c 'echo "secret=${OI_SECRET-unset} forced=$OI_FORCED"'
assert_eq "env-unset / env-force in docker run" "secret=unset forced=yes" "$OUT_POLICY"
assert_eq "env control: without rules" "secret=leak forced=no" "$OUT_DEFAULT"

log "== exec-env"
# exec_probe RUNTIME NAME: a detached container, then docker exec in it.
exec_probe() {
    local rt=$1 name=$2
    run_capture timeout 120 "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" run -d --name "$name" \
        --network none --runtime "$rt" -e OI_SECRET=leak "$BUSYBOX_IMAGE" sleep 300
    [ "$RC" -eq 0 ] || { fail "exec-env: $rt container started" "$OUT"; return 1; }
    run_capture timeout 60 "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" exec -e OI_FORCED=no \
        "$name" sh -c 'echo "secret=${OI_SECRET-unset} forced=${OI_FORCED-unset}"'
    EXEC_OUT=$OUT
    run_capture dk rm -f "$name"
}
exec_probe oi-policy oi-exec-on
assert_eq "exec-env: docker exec sees the forced variable and not the unset one" \
    "secret=unset forced=yes" "$EXEC_OUT"
exec_probe oi-noexec oi-exec-off
assert_eq "exec-env control: without exec-env, docker exec keeps its own env" \
    "secret=leak forced=no" "$EXEC_OUT"
calls=$(cat "$DEBUG_DIR/runtime_calls.log" 2>&1)
assert_match "exec-env: docker exec called the runtime with exec --process FILE" "$calls" \
    ' exec .*--process /'

log "== every rule named in OCI_CHANGES"
# journal_changes ID COMMAND: OCI_CHANGES of ID's COMMAND entry (waits ~5 s).
journal_changes() {
    local i out
    for i in $(seq 50); do
        out=$(journalctl -t oci-interceptor "OCI_CONTAINER_ID=$1" "OCI_COMMAND=$2" -o json --all \
            2>/dev/null | jq -r .OCI_CHANGES | tail -1)
        [ -n "$out" ] && break
        sleep 0.1
    done
    printf '%s\n' "$out"
}
if require_tool journalctl && prereq journald "systemd-journald did not start" start_journald_if_missing; then
    run_capture timeout 120 "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" run -d --name oi-journal \
        --network none --runtime oi-journal -e OI_SECRET=leak -v "$TEST_TMP/data:/data" \
        "$BUSYBOX_IMAGE" sleep 300
    cid=$(dk inspect -f '{{.Id}}' oi-journal 2>/dev/null)
    run_capture timeout 60 "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" exec oi-journal true
    changes=$(journal_changes "$cid" create)
    for name in readonly:/data bind:/etc/oi-bound.txt mask:/proc/cpuinfo \
        readonly-path:/dev/shm cap-drop:CAP_NET_RAW cap-drop:CAP_MKNOD no-new-privileges \
        pids-limit hook:prestart env-unset:OI_SECRET env-force:OI_FORCED; do
        assert_contains "OCI_CHANGES of create names $name" " $changes " " $name "
    done
    assert_contains "OCI_CHANGES of docker exec names env-force:OI_FORCED" \
        " $(journal_changes "$cid" exec) " " env-force:OI_FORCED "
    # Health checks are execs: their entries are debug, not info.
    exec_entry=$(journalctl -t oci-interceptor "OCI_CONTAINER_ID=$cid" OCI_COMMAND=exec -o json --all |
        tail -1)
    assert_eq "docker exec entry: PRIORITY debug" 7 "$(jq -r .PRIORITY <<<"$exec_entry")"
    assert_contains "docker exec entry: says the process file changed" \
        "$(jq -r .MESSAGE <<<"$exec_entry")" "changed the process file"
    run_capture dk rm -f oi-journal
fi

log "== a bad value stops docker run, naming the value and the line"
drun oi-badcap "$BUSYBOX_IMAGE" true
assert_ne "bad capability: docker run fails" 0 "$RC"
assert_contains "bad capability: message names the value" "$OUT" "'CAP_NET_RAWW' is not a capability name"
assert_contains "bad capability: message names PATH:LINE" "$OUT" "$BADCAP:2:"

log "== --oi-explain on a live bundle"
run_capture timeout 120 "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" run -d --name oi-explain \
    --network none --runtime oi-policy "$BUSYBOX_IMAGE" sleep 300
cid=$(dk inspect -f '{{.Id}}' oi-explain 2>/dev/null)
bundle=$(dirname "$(find "$DOCKERD_DIR/exec" -path "*/$cid/config.json" 2>/dev/null | head -1)")
if [ -n "$cid" ] && [ -f "$bundle/config.json" ]; then
    before=$(sha256sum "$bundle/config.json")
    run_capture "$OI_BINARY" --oi-config "$POLICY" --oi-explain "$bundle"
    assert_eq "explain: exit 0" 0 "$RC"
    assert_contains "explain: lists a rule step" "$OUT" "drop-capability CAP_NET_RAW => no change"
    assert_contains "explain: a rewritten bundle needs nothing more" "$OUT" "# 0 of "
    run_capture "$OI_BINARY" --oi-config "$POLICY" --oi-mask-path /proc/oi-extra --oi-explain "$bundle"
    assert_contains "explain: an extra rule is shown as a diff" "$OUT" '+ linux.maskedPaths['
    assert_eq "explain: config.json left byte-identical" "$before" "$(sha256sum "$bundle/config.json")"
else
    fail "explain: found the running container's bundle" "cid=$cid bundle=$bundle"
fi
run_capture dk rm -f oi-explain

finish
