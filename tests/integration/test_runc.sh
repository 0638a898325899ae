#!/usr/bin/env bash
# Real runc through the interceptor: create/start/delete and foreground run
# with every bundle spelling and the cwd default; exit status and stdin come
# through; the rules are visible inside the container.
source "$(dirname "$0")/lib.sh"

common_setup
require_tool runc jq || skip_all "runc missing"

RUNC_ROOT=$TEST_TMP/runc-root
mkdir -p "$RUNC_ROOT"
on_exit "for c in \$(runc --root '$RUNC_ROOT' list -q); do runc --root '$RUNC_ROOT' delete -f \$c; done"

# oi ARGS...: the interceptor (runtime-path left to its default: runc), with a
# private runc state root.
oi() { "$OI_BINARY" "$@"; }

# A host file to bind on /etc/hosts (rw in the bundle: the rule makes it ro).
echo "127.0.0.1 localhost oi-test-hosts" >"$TEST_TMP/hosts"

# The probe the container runs: the variable, the /etc/hosts mount options,
# whether /etc/hosts can be written.
PROBE='echo "OI_VAR=$OI_VAR"; awk '\''$2 == "/etc/hosts" { print "hosts:" $4 }'\'' /proc/mounts; if echo x >>/etc/hosts 2>/dev/null; then echo write:ok; else echo write:denied; fi'

new_runc_bundle() { # DIR ARG...
    local dir=$1; shift
    make_bundle "$dir" "$@" || return 1
    add_bind_mount "$dir" "$TEST_TMP/hosts" /etc/hosts
}

N=0
new_id() { N=$((N + 1)); ID=oi-runc-$$-$N; }

# wait_stopped ID: until runc says the container stopped (max ~10 s).
wait_stopped() {
    local i
    for i in $(seq 100); do
        [ "$(runc --root "$RUNC_ROOT" state "$1" 2>/dev/null | jq -r .status)" = stopped ] && return 0
        sleep 0.1
    done
    return 1
}

RULES=(--oi-readonly-networking-mounts --oi-env OI_VAR=from-interceptor)

check_probe_output() { # NAME OUTPUT
    assert_contains "$1: --oi-env visible in the container" "$2" "OI_VAR=from-interceptor"
    assert_match "$1: /etc/hosts mounted ro" "$2" 'hosts:ro(,|$)'
    assert_contains "$1: writing /etc/hosts fails" "$2" "write:denied"
}

# ---------------------------------------------------------------------------
log "== create / start / delete with each bundle spelling"

# spelling TEMPLATE: @ stands for the bundle directory; "" means the cwd.
for t in "-b @" "-b=@" "--bundle @" "--bundle=@" "-bundle @" "-bundle=@" ""; do
    name="create ${t:-(cwd)}"
    B=$TEST_TMP/b-create-$N
    new_id
    new_runc_bundle "$B" sh -c "$PROBE" || { fail "$name: bundle"; continue; }
    # shellcheck disable=SC2046
    (cd "$B" && oi "${RULES[@]}" --root "$RUNC_ROOT" create $(printf '%s' "$t" | sed "s|@|$B|g") "$ID" \
        >"$TEST_TMP/out-$ID" 2>"$TEST_TMP/err-$ID" </dev/null)
    rc=$?
    assert_eq "$name: create exit 0" 0 "$rc" || { cat "$TEST_TMP/err-$ID"; continue; }
    assert_eq "$name: state created" created "$(runc --root "$RUNC_ROOT" state "$ID" | jq -r .status)"
    check "$name: start through the interceptor" oi --root "$RUNC_ROOT" start "$ID"
    wait_stopped "$ID"
    check_probe_output "$name" "$(cat "$TEST_TMP/out-$ID")"
    check "$name: delete through the interceptor" oi --root "$RUNC_ROOT" delete "$ID"
    check_fails "$name: container is gone" runc --root "$RUNC_ROOT" state "$ID"
done

# delete --force of a running container.
B=$TEST_TMP/b-force
new_id
new_runc_bundle "$B" sleep 60
oi --root "$RUNC_ROOT" create --bundle "$B" "$ID" >/dev/null 2>&1 </dev/null
oi --root "$RUNC_ROOT" start "$ID" >/dev/null 2>&1
assert_eq "running container" running "$(runc --root "$RUNC_ROOT" state "$ID" 2>/dev/null | jq -r .status)"
check "delete --force through the interceptor" oi --root "$RUNC_ROOT" delete --force "$ID"

# ---------------------------------------------------------------------------
log "== foreground run"

for t in "-b @" "-b=@" "--bundle @" "--bundle=@" "-bundle @" "-bundle=@" ""; do
    name="run ${t:-(cwd)}"
    B=$TEST_TMP/b-run-$N
    new_id
    new_runc_bundle "$B" sh -c "$PROBE" || { fail "$name: bundle"; continue; }
    # shellcheck disable=SC2046
    out=$(cd "$B" && oi "${RULES[@]}" --root "$RUNC_ROOT" run $(printf '%s' "$t" | sed "s|@|$B|g") "$ID" 2>&1 </dev/null)
    rc=$?
    assert_eq "$name: exit 0" 0 "$rc"
    check_probe_output "$name" "$out"
done

# runc reads "-- run" as "run": the rules apply there too.
B=$TEST_TMP/b-dashdash
new_id
new_runc_bundle "$B" sh -c "$PROBE"
run_capture oi "${RULES[@]}" --root "$RUNC_ROOT" -- run --bundle "$B" "$ID"
assert_eq "run after '--': exit 0" 0 "$RC"
check_probe_output "run after '--'" "$OUT"

B=$TEST_TMP/b-exit
new_id
new_runc_bundle "$B" sh -c 'exit 42'
run_capture oi --root "$RUNC_ROOT" run --bundle "$B" "$ID"
assert_eq "run: the container's exit status 42 comes through" 42 "$RC"

B=$TEST_TMP/b-exit-rule
new_id
new_runc_bundle "$B" sh -c 'exit 7'
run_capture oi "${RULES[@]}" --root "$RUNC_ROOT" run --bundle "$B" "$ID"
assert_eq "run with rules: exit status 7 comes through" 7 "$RC"

B=$TEST_TMP/b-stdin
new_id
new_runc_bundle "$B" sh -c 'read a; read b; echo "got:$a:$b"'
printf 'one\ntwo\n' >"$TEST_TMP/stdin"
CHECK_STDIN=$TEST_TMP/stdin run_capture oi "${RULES[@]}" --root "$RUNC_ROOT" run --bundle "$B" "$ID"
assert_eq "run: stdin reaches the container" "got:one:two" "$OUT"

# Without rules the container sees its bundle unmodified.
B=$TEST_TMP/b-plain
new_id
new_runc_bundle "$B" sh -c "$PROBE"
cp "$B/config.json" "$TEST_TMP/plain.json"
run_capture oi --root "$RUNC_ROOT" run --bundle "$B" "$ID"
assert_match "run without rules: /etc/hosts stays rw" "$OUT" 'hosts:rw(,|$)'
assert_contains "run without rules: no variable" "$OUT" "OI_VAR="$'\n'
assert_same_file "run without rules: config.json byte-identical" "$TEST_TMP/plain.json" "$B/config.json"

# A runtime error comes back from runc itself through the interceptor.
run_capture oi --root "$RUNC_ROOT" state oi-runc-no-such-container
assert_ne "runc's own error status comes through" 0 "$RC"
assert_contains "runc's own error message comes through" "$OUT" "does not exist"

finish
