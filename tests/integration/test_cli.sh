#!/usr/bin/env bash
# The interceptor's command line against a fake runtime: argument forwarding
# in the shapes engines use, exec (same PID, exit status, signals), the bundle
# spellings, byte-identical config.json when nothing changes, bad input with
# clear errors and nothing lost, and error lines in the runtime's --log file.
# Needs no engine; runc is used only to produce a realistic config.json.
source "$(dirname "$0")/lib.sh"

common_setup

# The fake runtime comes from a config file, so argv tests need no flag.
FAKE_CONF=$TEST_TMP/fake.conf
write_conf "$FAKE_CONF" "runtime-path = $FAKE_RUNTIME"
export OCI_INTERCEPTOR_CONFIG=$FAKE_CONF

SOUT=""
SERR=""
REC=""

# new_rec: a fresh record directory for the fake runtime.
new_rec() { REC=$(mktemp -u "$TEST_TMP/rec.XXXXXX"); }

# call CMD...: run CMD with FAKE_RUNTIME_RECORD=$REC; sets RC, SOUT, SERR.
call() {
    FAKE_RUNTIME_RECORD=$REC "$@" >"$TEST_TMP/stdout" 2>"$TEST_TMP/stderr" <"${CHECK_STDIN:-/dev/null}"
    RC=$?
    SOUT=$(cat "$TEST_TMP/stdout")
    SERR=$(cat "$TEST_TMP/stderr")
}

# oi ARGS...: the interceptor under test.
oi() { "$OI_BINARY" "$@"; }

recorded_argv() { tail -n 1 "$REC/argv" 2>/dev/null; }

# A realistic config.json: runc's spec, bind mounts on the three networking
# files, fields the rules must not touch (64-bit integers, unicode, unknown).
SAMPLE=$TEST_TMP/sample.json
if command -v runc >/dev/null 2>&1; then
    (cd "$TEST_TMP" && runc spec && mv config.json "$SAMPLE")
else
    cat >"$SAMPLE" <<'EOF'
{"ociVersion":"1.0.2-dev","process":{"terminal":false,"user":{"uid":0,"gid":0},"args":["sh"],
 "env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm"],"cwd":"/"},
 "root":{"path":"rootfs","readonly":true},"hostname":"runc",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"}],"linux":{}}
EOF
fi
json_edit "$SAMPLE" '.mounts += [
  {"destination":"/etc/hosts","type":"bind","source":"/etc/hosts","options":["rbind","rw"]},
  {"destination":"/etc/resolv.conf","type":"bind","source":"/etc/resolv.conf","options":["rbind","rw"]},
  {"destination":"/etc/hostname","type":"bind","source":"/etc/hostname"}]'
# jq would round big integers: add them as text
sed -i '0,/{/s//{"x-oi-test":{"big":18446744073709551615,"neg":-9223372036854775808,"u":"h\\u00e9llo ☃ 𝄞"},/' "$SAMPLE"
jq -e . "$SAMPLE" >/dev/null || { fail "sample config.json is valid JSON" "$(cat "$SAMPLE")"; finish; }

# new_bundle [CONFIG-FILE]: a bundle directory holding a copy of CONFIG-FILE
# (default: the sample); sets BUNDLE.
new_bundle() {
    BUNDLE=$(mktemp -d "$TEST_TMP/bundle.XXXXXX")
    cp "${1:-$SAMPLE}" "$BUNDLE/config.json"
}

# env_of FILE: the process.env of a config.json, one entry a line.
env_of() { jq -r '.process.env[]?' "$1" 2>/dev/null; }

# ---------------------------------------------------------------------------
log "== argument forwarding"

new_bundle
B=$BUNDLE
ID=0123456789abcdef
LOGF=$B/log.json

# Docker (through containerd's runc shim): runtimeArgs first, then globals.
docker_create=(--root /var/run/docker/runtime-runc/moby --log "$LOGF" --log-format json
    create --bundle "$B" --pid-file "$B/init.pid" "$ID")
new_rec
call oi --oi-env FOO=bar "${docker_create[@]}"
assert_eq "docker create: exit 0" 0 "$RC"
assert_eq "docker create: argv forwarded minus --oi-*" "${docker_create[*]}" "$(recorded_argv)"
assert_eq "docker create: argv[0] is the runtime path" "$FAKE_RUNTIME" "$(tail -n 1 "$REC/argv0" 2>/dev/null)"
assert_eq "docker create: nothing on stdout" "" "$SOUT"
assert_contains "docker create: --oi-env applied" "$(env_of "$B/config.json")" "FOO=bar"

for shape in \
    "--root /var/run/docker/runtime-runc/moby --log $LOGF --log-format json start $ID" \
    "--root /var/run/docker/runtime-runc/moby --log $LOGF --log-format json delete $ID" \
    "--root /var/run/docker/runtime-runc/moby --log $LOGF --log-format json delete --force $ID" \
    "--root /run/containerd/runc/k8s.io --log $LOGF --log-format json create --bundle $B --pid-file $B/init.pid $ID" \
    "create --bundle $B --pid-file $B/userdata/pidfile $ID" \
    "start $ID" \
    "delete --force $ID" \
    "--version" \
    "features" \
    "state $ID" \
    "run -b $B $ID"; do
    new_rec
    # shellcheck disable=SC2086 # the shapes are word lists
    call oi --oi-readonly-networking-mounts --oi-env=A=1 $shape
    assert_eq "forwarded unchanged: $shape" "$shape" "$(recorded_argv)"
    assert_eq "nothing on stdout: $shape" "" "$SOUT"
done

# Our options among the runtime's global options, before the command.
new_rec
call oi --root /r --oi-env FOO=bar --log "$LOGF" --oi-readonly-networking-mounts --log-format json --oi-env=X=y create --bundle "$B" "$ID"
assert_eq "--oi-* between global options are removed" "--root /r --log $LOGF --log-format json create --bundle $B $ID" "$(recorded_argv)"
assert_contains "--oi-env=NAME=VALUE form applied" "$(env_of "$B/config.json")" "X=y"

# From the command on nothing is ours.
new_rec
call oi --root /r exec "$ID" --oi-env Z=1 --oi-version sh
assert_eq "after the command --oi-* are forwarded untouched" "--root /r exec $ID --oi-env Z=1 --oi-version sh" "$(recorded_argv)"
new_bundle
cp "$B/config.json" "$TEST_TMP/before.json"
new_rec
call oi create --bundle "$BUNDLE" --oi-env Z=1 "$ID"
assert_eq "create: --oi-env after the command is forwarded" "create --bundle $BUNDLE --oi-env Z=1 $ID" "$(recorded_argv)"
assert_same_file "create: --oi-env after the command is not applied" "$SAMPLE" "$BUNDLE/config.json"

# Arguments with spaces and odd characters survive.
new_rec
call oi exec "$ID" sh -c 'echo "a  b" $HOME *'
assert_eq "arguments with spaces/quotes survive" "exec $ID sh -c echo\\ \\\"a\\ \\ b\\\"\\ \\\$HOME\\ \\*" "$(tail -n 1 "$REC/argv.q" 2>/dev/null)"

# --oi-runtime-path on the command line beats the config file.
new_rec
call oi --oi-runtime-path "$FAKE_RUNTIME" state "$ID"
assert_eq "--oi-runtime-path: runtime called" "state $ID" "$(recorded_argv)"

# ---------------------------------------------------------------------------
log "== exec: PID, exit status, signals, stdin"

# (the binary itself in the background: a shell function would add a fork)
new_rec
FAKE_RUNTIME_RECORD=$REC "$OI_BINARY" state "$ID" >/dev/null 2>&1 </dev/null &
pid=$!
wait $pid
assert_eq "exec keeps the PID (runtime PID == interceptor PID)" "$pid" "$(tail -n 1 "$REC/pid" 2>/dev/null)"

for code in 0 1 7 42 255; do
    new_rec
    FAKE_RUNTIME_EXIT=$code call oi state "$ID"
    assert_eq "exit status $code propagates" "$code" "$RC"
done
new_bundle
new_rec
FAKE_RUNTIME_EXIT=3 call oi --oi-env A=b create --bundle "$BUNDLE" "$ID"
assert_eq "exit status propagates on an intercepted create" 3 "$RC"

new_rec
FAKE_RUNTIME_SIGNAL=TERM call oi state "$ID"
assert_eq "death by signal propagates (128+SIGTERM)" 143 "$RC"

new_rec
FAKE_RUNTIME_RECORD=$REC FAKE_RUNTIME_SLEEP=30 "$OI_BINARY" state "$ID" >/dev/null 2>&1 </dev/null &
pid=$!
for _ in $(seq 50); do [ -s "$REC/sleep.pid" ] && break; sleep 0.1; done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rc=$?
kill "$(cat "$REC/sleep.pid" 2>/dev/null)" 2>/dev/null
assert_eq "a signal sent to the interceptor's PID reaches the runtime (SIGKILL)" 137 "$rc"

new_rec
printf 'line1\nline2\n' >"$TEST_TMP/stdin.txt"
CHECK_STDIN=$TEST_TMP/stdin.txt FAKE_RUNTIME_READ_STDIN=1 call oi exec "$ID" cat
assert_eq "stdin reaches the runtime" "$(printf 'line1\nline2')" "$(cat "$REC/stdin.1" 2>/dev/null)"

# ---------------------------------------------------------------------------
log "== version, help, missing runtime"

new_rec
call oi --oi-version
assert_eq "--oi-version exits 0" 0 "$RC"
assert_ne "--oi-version prints on stdout" "" "$SOUT"
assert_no_file "--oi-version calls no runtime" "$REC/argv"

new_rec
call oi --oi-help
assert_eq "--oi-help exits 0" 0 "$RC"
assert_contains "--oi-help lists --oi-env on stdout" "$SOUT" "--oi-env"
assert_no_file "--oi-help calls no runtime" "$REC/argv"

call oi --oi-runtime-path /nonexistent/oi-test/runtime state "$ID"
assert_ne "missing runtime: non-zero exit" 0 "$RC"
assert_contains "missing runtime: message names the path" "$SERR" "/nonexistent/oi-test/runtime"
assert_contains "missing runtime: message is ours" "$SERR" "oci-interceptor: error:"
assert_eq "missing runtime: nothing on stdout" "" "$SOUT"

# ---------------------------------------------------------------------------
log "== bundle spellings and the cwd default"

spell() { # SPELLING-TEMPLATE (with @ for the directory)
    local t=$1
    new_bundle
    new_rec
    # shellcheck disable=SC2046
    call oi --oi-env OI_SPELLING=yes create $(printf '%s' "$t" | sed "s|@|$BUNDLE|g") "$ID"
    assert_eq "bundle '$t': exit 0" 0 "$RC"
    assert_contains "bundle '$t': config.json rewritten" "$(env_of "$BUNDLE/config.json")" "OI_SPELLING=yes"
    assert_contains "bundle '$t': the runtime saw the rewritten file" "$(env_of "$REC/config.json")" "OI_SPELLING=yes"
}
spell "-b @"
spell "-b=@"
spell "--bundle @"
spell "--bundle=@"
spell "-bundle @"
spell "-bundle=@"
spell "--pid-file @/pid -b @"

new_bundle
new_rec
(cd "$BUNDLE" && FAKE_RUNTIME_RECORD=$REC oi --oi-env OI_SPELLING=cwd create "$ID" >/dev/null 2>&1)
assert_contains "no bundle option: the cwd's config.json rewritten" "$(env_of "$BUNDLE/config.json")" "OI_SPELLING=cwd"

for cmd in run restore; do
    new_bundle
    new_rec
    call oi --oi-env OI_CMD=$cmd "$cmd" --bundle "$BUNDLE" "$ID"
    assert_contains "'$cmd' is intercepted" "$(env_of "$BUNDLE/config.json")" "OI_CMD=$cmd"
done

# Calls that are not create/run/restore never read config.json.
new_bundle
echo '{ this is not json' >"$BUNDLE/config.json"
for cmd in start "delete --force" state kill exec pause; do
    new_rec
    # shellcheck disable=SC2086
    (cd "$BUNDLE" && FAKE_RUNTIME_RECORD=$REC oi --oi-env A=b --oi-readonly-networking-mounts $cmd "$ID" >/dev/null 2>&1)
    assert_eq "'$cmd' with rules on never reads config.json" "$cmd $ID" "$(recorded_argv)"
done

# ---------------------------------------------------------------------------
log "== the rules on the sample, and what must be preserved"

new_bundle
new_rec
call oi --oi-readonly-networking-mounts --oi-env GREETING=hello --oi-env-force TERM=dumb create --bundle "$BUNDLE" "$ID"
C=$BUNDLE/config.json
for f in /etc/hosts /etc/resolv.conf /etc/hostname; do
    opts=$(jq -c --arg d "$f" '[.mounts[] | select(.destination == $d) | .options]' "$C")
    assert_contains "readonly: $f has ro" "$opts" '"ro"'
    assert_not_contains "readonly: $f has no rw" "$opts" '"rw"'
done
assert_eq "readonly: other fields of the mount unchanged" '["rbind","ro"]' \
    "$(jq -c '.mounts[] | select(.destination == "/etc/hosts") | .options | sort' "$C")"
assert_eq "readonly: other mounts unchanged" \
    "$(jq -cS '[.mounts[] | select(.destination | test("^/etc/(hosts|resolv.conf|hostname)$") | not)]' "$SAMPLE")" \
    "$(jq -cS '[.mounts[] | select(.destination | test("^/etc/(hosts|resolv.conf|hostname)$") | not)]' "$C")"
assert_contains "env: GREETING=hello added" "$(env_of "$C")" "GREETING=hello"
assert_eq "env-force: TERM replaced" "TERM=dumb" "$(env_of "$C" | grep '^TERM=')"
assert_contains "64-bit unsigned integer preserved" "$(tr -d ' \n' <"$C")" '"big":18446744073709551615'
assert_contains "64-bit negative integer preserved" "$(tr -d ' \n' <"$C")" '"neg":-9223372036854775808'
assert_eq "unicode preserved" "héllo ☃ 𝄞" "$(jq -r '."x-oi-test".u' "$C")"
assert_eq "everything else preserved" \
    "$(jq -S 'del(.mounts, .process.env)' "$SAMPLE")" "$(jq -S 'del(.mounts, .process.env)' "$C")"
assert_eq "no temporary file left after a rewrite" "config.json" "$(ls -A "$BUNDLE")"

new_bundle
chmod 640 "$BUNDLE/config.json"
new_rec
call oi --oi-env A=b create --bundle "$BUNDLE" "$ID"
assert_mode "rewrite keeps the file's mode" 640 "$BUNDLE/config.json"

new_bundle
json_edit "$BUNDLE/config.json" '.process.env = ["FOO=user"]'
new_rec
call oi --oi-env FOO=bar create --bundle "$BUNDLE" "$ID"
assert_eq "--oi-env loses to the container's own value" "FOO=user" "$(env_of "$BUNDLE/config.json")"
new_rec
call oi --oi-env-force FOO=forced create --bundle "$BUNDLE" "$ID"
assert_eq "--oi-env-force wins over the container's value" "FOO=forced" "$(env_of "$BUNDLE/config.json")"

new_bundle
json_edit "$BUNDLE/config.json" 'del(.process.env) | .mounts |= map(if .destination == "/etc/hosts" then del(.options) else . end)'
new_rec
call oi --oi-env EMPTY= --oi-readonly-networking-mounts create --bundle "$BUNDLE" "$ID"
assert_eq "env created when absent; empty VALUE is valid" "EMPTY=" "$(env_of "$BUNDLE/config.json")"
assert_eq "options created when absent" '["ro"]' \
    "$(jq -c '.mounts[] | select(.destination == "/etc/hosts") | .options' "$BUNDLE/config.json")"

# Nothing changed: byte-identical and not rewritten at all (same inode).
nochange() { # NAME OI-ARGS...
    local name=$1 ino; shift
    new_bundle
    json_edit "$BUNDLE/config.json" '.process.env += ["FOO=user"]'
    cp "$BUNDLE/config.json" "$TEST_TMP/orig.json"
    ino=$(stat -c %i "$BUNDLE/config.json")
    new_rec
    call oi "$@" create --bundle "$BUNDLE" "$ID"
    assert_eq "$name: exit 0" 0 "$RC"
    assert_same_file "$name: config.json byte-identical" "$TEST_TMP/orig.json" "$BUNDLE/config.json"
    assert_eq "$name: config.json not rewritten (same inode)" "$ino" "$(stat -c %i "$BUNDLE/config.json")"
}
nochange "no rule enabled"
nochange "--oi-env of a name the container has" --oi-env FOO=bar
nochange "--oi-env-force of the same value" --oi-env-force FOO=user
new_bundle "$SAMPLE"
json_edit "$BUNDLE/config.json" '.mounts |= map(select(.destination | startswith("/etc/") | not))'
cp "$BUNDLE/config.json" "$TEST_TMP/orig.json"
new_rec
call oi --oi-readonly-networking-mounts create --bundle "$BUNDLE" "$ID"
assert_same_file "readonly with no networking mount: byte-identical" "$TEST_TMP/orig.json" "$BUNDLE/config.json"

# ---------------------------------------------------------------------------
log "== bad input: clear error, nothing lost"

# bad_case NAME EXPECTED-IN-MESSAGE CONFIG-JSON-TEXT OI-ARGS... (then create)
bad_case() {
    local name=$1 expect=$2 text=$3; shift 3
    new_bundle
    printf '%s' "$text" >"$BUNDLE/config.json"
    cp "$BUNDLE/config.json" "$TEST_TMP/orig.json"
    new_rec
    call timeout 20 "$OI_BINARY" "$@" --log "$BUNDLE/log.json" --log-format json create --bundle "$BUNDLE" "$ID"
    assert_ne "$name: non-zero exit" 0 "$RC"
    assert_contains "$name: message names '$expect'" "$SERR" "$expect"
    assert_contains "$name: message is ours" "$SERR" "oci-interceptor: error:"
    assert_same_file "$name: config.json untouched" "$TEST_TMP/orig.json" "$BUNDLE/config.json"
    assert_eq "$name: no temporary file in the bundle" "" "$(ls -A "$BUNDLE" | grep -vx -e config.json -e log.json)"
    assert_contains "$name: error line in the --log file" "$(tail -n 1 "$BUNDLE/log.json" 2>&1)" '"msg":"oci-interceptor: '
    assert_no_file "$name: runtime not called" "$REC/argv"
    assert_eq "$name: nothing on stdout" "" "$SOUT"
}
RULES=(--oi-readonly-networking-mounts --oi-env A=b)
bad_case "malformed config.json" "config.json" '{"process": {"env": ["A=1"' "${RULES[@]}"
bad_case "truncated config.json" "config.json" "$(head -c 200 "$SAMPLE")" "${RULES[@]}"
bad_case "empty config.json" "config.json" '' "${RULES[@]}"
bad_case "config.json not an object" "config.json" '[1, 2, 3]' "${RULES[@]}"
bad_case "process of the wrong type" "process" '{"process": 5, "mounts": []}' "${RULES[@]}"
bad_case "env of the wrong type" "env" '{"process": {"env": "A=1"}, "mounts": []}' "${RULES[@]}"
bad_case "env entry of the wrong type" "env" '{"process": {"env": [1]}, "mounts": []}' "${RULES[@]}"
bad_case "mounts of the wrong type" "mounts" '{"process": {"env": []}, "mounts": {"a": 1}}' "${RULES[@]}"
bad_case "options of the wrong type" "options" \
    '{"process": {"env": []}, "mounts": [{"destination": "/etc/hosts", "type": "bind", "source": "/etc/hosts", "options": "rw"}]}' "${RULES[@]}"
SAMPLE_TEXT=$(cat "$SAMPLE")
bad_case "--oi-env with no '='" "NOEQUALS" "$SAMPLE_TEXT" --oi-env NOEQUALS
bad_case "--oi-env with an empty name" "=value" "$SAMPLE_TEXT" --oi-env =value
bad_case "--oi-env-force with an empty name" "=value" "$SAMPLE_TEXT" --oi-env-force =value
bad_case "runtime path that does not exist" "/nonexistent/oi-test/runc" "$SAMPLE_TEXT" \
    --oi-env A=b --oi-runtime-path /nonexistent/oi-test/runc
bad_case "runtime path is ourselves" "$OI_BINARY" "$SAMPLE_TEXT" --oi-env A=b --oi-runtime-path "$OI_BINARY"
ln -sf "$OI_BINARY" "$TEST_TMP/runc-symlink"
bad_case "runtime path is a symlink to ourselves" "runc-symlink" "$SAMPLE_TEXT" --oi-env A=b --oi-runtime-path "$TEST_TMP/runc-symlink"
cp "$OI_BINARY" "$TEST_TMP/runc-copy"
bad_case "runtime path is a renamed copy of ourselves" "runc-copy" "$SAMPLE_TEXT" --oi-env A=b --oi-runtime-path "$TEST_TMP/runc-copy"

# Config file problems.
CF=$TEST_TMP/bad.conf
write_conf "$CF" "# policy" "env = A=b" "no-such-key = 1"
bad_case "unknown key in the config file" "$CF:3:" "$SAMPLE_TEXT" --oi-config "$CF"
write_conf "$CF" "readonly-networking-mounts = maybe"
bad_case "bad boolean in the config file" "$CF:1:" "$SAMPLE_TEXT" --oi-config "$CF"
write_conf "$CF" "" "this line has no equals sign"
bad_case "malformed line in the config file" "$CF:2:" "$SAMPLE_TEXT" --oi-config "$CF"
write_conf "$CF" "env = A=b"
chmod 666 "$CF"
bad_case "world-writable config file" "$CF" "$SAMPLE_TEXT" --oi-config "$CF"
chmod 620 "$CF"
bad_case "group-writable config file" "$CF" "$SAMPLE_TEXT" --oi-config "$CF"
bad_case "missing config file named by --oi-config" "/nonexistent/oi-test.conf" "$SAMPLE_TEXT" --oi-config /nonexistent/oi-test.conf
mkdir -p "$TEST_TMP/conf-is-a-dir"
bad_case "unreadable config file (a directory)" "$TEST_TMP/conf-is-a-dir" "$SAMPLE_TEXT" --oi-config "$TEST_TMP/conf-is-a-dir"
OCI_INTERCEPTOR_CONFIG=/nonexistent/oi-test-env.conf
bad_case "missing config file named by \$OCI_INTERCEPTOR_CONFIG" "/nonexistent/oi-test-env.conf" "$SAMPLE_TEXT" \
    --oi-runtime-path "$FAKE_RUNTIME" --oi-env A=b
OCI_INTERCEPTOR_CONFIG=$FAKE_CONF

# A missing bundle.
new_rec
call oi --oi-env A=b create --bundle /nonexistent/oi-test-bundle "$ID"
assert_ne "missing bundle: non-zero exit" 0 "$RC"
assert_contains "missing bundle: message names the bundle" "$SERR" "/nonexistent/oi-test-bundle"
assert_no_file "missing bundle: runtime not called" "$REC/argv"

# ---------------------------------------------------------------------------
log "== errors in the runtime's --log file"

new_bundle
echo '{ broken' >"$BUNDLE/config.json"
echo '{"level":"info","msg":"earlier line","time":"2024-01-01T00:00:00Z"}' >"$BUNDLE/log.json"
new_rec
call oi --oi-env A=b --root /r --log "$BUNDLE/log.json" --log-format json create --bundle "$BUNDLE" "$ID"
assert_ne "json --log: non-zero exit" 0 "$RC"
assert_eq "json --log: earlier lines kept, one line appended" 2 "$(wc -l <"$BUNDLE/log.json")"
last=$(tail -n 1 "$BUNDLE/log.json")
assert_match "json --log: line shape" "$last" '^\{"level":"error","msg":"oci-interceptor: .+","time":"[^"]+"\}$'
assert_eq "json --log: valid JSON, level error" "error" "$(printf '%s' "$last" | jq -r .level 2>&1)"
assert_match "json --log: msg names config.json" "$(printf '%s' "$last" | jq -r .msg 2>&1)" '^oci-interceptor: .*config\.json'
assert_match "json --log: time is RFC 3339" "$(printf '%s' "$last" | jq -r .time 2>&1)" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

rm -f "$BUNDLE/log.json"
new_rec
call oi --oi-env A=b --log "$BUNDLE/log.txt" --log-format text create --bundle "$BUNDLE" "$ID"
assert_ne "text --log: non-zero exit" 0 "$RC"
assert_match "text --log: logrus line" "$(tail -n 1 "$BUNDLE/log.txt" 2>&1)" \
    '^time="[^"]+" level=error msg="oci-interceptor: .*config\.json.*"$'

new_rec
call oi --oi-env A=b --log="$BUNDLE/log2.json" --log-format=json create --bundle "$BUNDLE" "$ID"
assert_match "--log=FILE --log-format=json spelling" "$(tail -n 1 "$BUNDLE/log2.json" 2>&1)" '^\{"level":"error","msg":"oci-interceptor: '

# ---------------------------------------------------------------------------
log "== --oi-check-config"

CF=$TEST_TMP/good.conf
write_conf "$CF" "# a policy" "env = FROM_FILE=1" "readonly-networking-mounts = yes" "runtime-path = $FAKE_RUNTIME"
call oi --oi-config "$CF" --oi-check-config
assert_eq "--oi-check-config: valid file exits 0" 0 "$RC"
assert_contains "--oi-check-config: shows file:line origins" "$SOUT$SERR" "$CF:2"
assert_contains "--oi-check-config: shows the runtime it resolves to" "$SOUT" "# runtime-path resolves to $FAKE_RUNTIME"
assert_match "--oi-check-config: shows the log target in use" "$SOUT" "# log-target in use: (journald|file)"
write_conf "$CF" "runtime-path = /nonexistent/oi-runc"
call oi --oi-config "$CF" --oi-check-config
assert_eq "--oi-check-config: a runtime that cannot be found exits 1" 1 "$RC"
assert_contains "--oi-check-config: names the missing runtime" "$SERR" "/nonexistent/oi-runc"
write_conf "$CF" "no-such-key = 1"
call oi --oi-config "$CF" --oi-check-config
assert_eq "--oi-check-config: bad file exits 1" 1 "$RC"
assert_contains "--oi-check-config: bad file named with its line" "$SOUT$SERR" "$CF:1:"

finish
