#!/usr/bin/env bash
# Faults, hostile input and load (issue 6). Every case asserts a clear error
# or the documented fallback, no crash (exit status < 128, no sanitizer or
# C++ runtime report), config.json byte-identical or completely new (it
# parses), and no temporary file left in the bundle. Then SIGKILL at random
# points of a create (the file is always one of its two complete versions)
# and hundreds of creates in parallel sharing one debug directory.
# Root only (mounts, chown); the runtime is the fake one or /bin/true.
# docs/reliability.md lists what this suite holds.
source "$(dirname "$0")/lib.sh"

common_setup
require_tool jq python3 setpriv || finish

FAKE_CONF=$TEST_TMP/fake.conf
write_conf "$FAKE_CONF" "runtime-path = $FAKE_RUNTIME"
export OCI_INTERCEPTOR_CONFIG=$FAKE_CONF

ID=fault-0123abcd
REC=""
SOUT=""
SERR=""
ERRF=$TEST_TMP/stderr

# Docker's own config.json (captured from a private dockerd), with bind
# mounts on the three networking files.
SAMPLE=$REPO_ROOT/fuzz/corpus/rules_fuzzer/docker-config.json
jq -e '.mounts | map(.destination) | index("/etc/hosts")' "$SAMPLE" >/dev/null ||
    { fail "sample config.json" "$SAMPLE is missing or has no /etc/hosts mount"; finish; }
RULES=(--oi-readonly-networking-mounts --oi-env A=b --oi-env-force TZ=UTC)

new_rec() { REC=$(mktemp -u "$TEST_TMP/rec.XXXXXX"); }

# new_bundle [CONFIG]: a bundle holding a copy of CONFIG (default: the
# sample); sets B, and ORIG to a pristine copy kept outside the bundle.
new_bundle() {
    B=$(mktemp -d "$TEST_TMP/bundle.XXXXXX")
    ORIG=$B.orig
    cp "${1:-$SAMPLE}" "$B/config.json"
    cp "$B/config.json" "$ORIG"
}

# oi_run COMMAND...: COMMAND (the interceptor, possibly behind setpriv),
# killed after 30 s; sets RC, SOUT, SERR.
oi_run() {
    FAKE_RUNTIME_RECORD=$REC timeout -s KILL 30 "$@" >"$TEST_TMP/stdout" 2>"$ERRF" </dev/null
    RC=$?
    SOUT=$(head -c 2000 "$TEST_TMP/stdout")
    SERR=$(head -c 4000 "$ERRF")
}

# oi ARGS...: the interceptor with ARGS, as oi_run.
oi() { oi_run "$OI_BINARY" "$@"; }

# no_crash NAME: the last oi call ended by itself, without a report of a
# sanitizer, an uncaught exception or a signal.
no_crash() {
    if [ "$RC" -ge 124 ]; then
        fail "$1: no crash" "exit status $RC (124: timeout, >= 128: killed by a signal)" "$SERR"
    elif grep -qE 'Sanitizer|runtime error:|terminate called|std::|Segmentation fault|core dumped' "$ERRF"; then
        fail "$1: no crash" "$SERR"
    else
        pass "$1: no crash"
    fi
}

no_temp() { # NAME DIR
    assert_eq "$1: no temporary file left" "" "$(ls -A "$2" 2>/dev/null | grep -F .oi-tmp)"
}

# parses_with_rules NAME FILE: a complete config.json with the rules applied.
parses_with_rules() {
    local got
    got=$(jq -r '[(.process.env | index("A=b") != null), (.process.env | index("TZ=UTC") != null),
        (.mounts[] | select(.destination == "/etc/hosts") | .options | index("ro") != null)] | all' "$2" 2>&1)
    assert_eq "$1: config.json complete, rules applied" true "$got"
}

# refused NAME NEEDLE: the last call failed with our error naming NEEDLE,
# config.json byte-identical to ORIG, no temporary file, runtime not called.
refused() {
    no_crash "$1"
    assert_ne "$1: non-zero exit" 0 "$RC"
    assert_contains "$1: error names '$2'" "$SERR" "$2"
    assert_contains "$1: message is ours" "$SERR" "oci-interceptor: error:"
    [ -z "${ORIG:-}" ] || assert_same_file "$1: config.json byte-identical" "$ORIG" "$B/config.json"
    no_temp "$1" "$B"
    assert_no_file "$1: runtime not called" "$REC/argv"
    assert_eq "$1: nothing on stdout" "" "$SOUT"
}

# accepted NAME: the last create succeeded with the rules applied.
accepted() {
    no_crash "$1"
    assert_eq "$1: exit 0" 0 "$RC"
    parses_with_rules "$1" "$B/config.json"
    no_temp "$1" "$B"
    assert_file_exists "$1: runtime called" "$REC/argv"
}

create() { new_rec; oi "$@" create --bundle "$B" "$ID"; }

# ---------------------------------------------------------------------------
log "== the bundle directory: read-only, full"

new_bundle
if prereq "bind mount" "mount --bind is needed for a read-only bundle" mount --bind "$B" "$B"; then
    on_exit "umount -l '$B'"
    mount -o remount,ro,bind "$B"
    create "${RULES[@]}"
    refused "read-only bundle" "Read-only file system"
    create "${RULES[@]}" --oi-on-error passthrough
    no_crash "read-only bundle, on-error passthrough"
    assert_eq "read-only bundle, on-error passthrough: runs unmodified (exit 0)" 0 "$RC"
    assert_contains "read-only bundle, on-error passthrough: says so" "$SERR" "passthrough"
    assert_same_file "read-only bundle, on-error passthrough: config.json identical" "$ORIG" "$B/config.json"
    assert_file_exists "read-only bundle, on-error passthrough: runtime called" "$REC/argv"
    umount "$B"
fi

# A small tmpfs, filled up entirely, then with 4 KiB left (a short write).
B=$TEST_TMP/full
mkdir -p "$B"
if prereq "tmpfs" "mount -t tmpfs is needed for a full file system" mount -t tmpfs -o size=64k,mode=755 tmpfs "$B"; then
    on_exit "umount -l '$B'"
    cp "$SAMPLE" "$B/config.json"
    ORIG=$TEST_TMP/full.orig
    cp "$SAMPLE" "$ORIG"
    dd if=/dev/zero of="$B/fill" bs=1k count=1024 2>/dev/null
    create "${RULES[@]}"
    refused "file system full" "No space left on device"
    truncate -s -4096 "$B/fill"
    create "${RULES[@]}"
    refused "file system full after 4 KiB" "No space left on device"
    rm -f "$B/fill"
    create "${RULES[@]}"
    accepted "file system with room again"
    umount "$B"
fi

# ---------------------------------------------------------------------------
log "== config.json: missing, unreadable, not a file, a link, broken, huge"

new_bundle
rm "$B/config.json"
ORIG=""
create "${RULES[@]}"
refused "config.json missing" "No such file or directory"
assert_no_file "config.json missing: not created" "$B/config.json"

new_bundle
rm "$B/config.json"
mkfifo "$B/config.json"
ORIG=""
create "${RULES[@]}"
refused "config.json a FIFO" "not a regular file"

new_bundle
rm "$B/config.json"
mkdir "$B/config.json"
ORIG=""
create "${RULES[@]}"
refused "config.json a directory" "not a regular file"

# Unreadable: as root everything is readable, so the interceptor runs as nobody.
new_bundle
chmod 000 "$B/config.json"
NOBODY_CONF=$TEST_TMP/nobody.conf
printf 'runtime-path = /bin/true\n' >"$NOBODY_CONF"
chmod 644 "$NOBODY_CONF"
new_rec
OCI_INTERCEPTOR_CONFIG=$NOBODY_CONF oi_run setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$OI_BINARY" "${RULES[@]}" create --bundle "$B" "$ID"
refused "config.json unreadable" "Permission denied"

# A symlink to a file elsewhere: refused, the target never written.
new_bundle
VICTIM=$TEST_TMP/victim.json
cp "$SAMPLE" "$VICTIM"
cp "$SAMPLE" "$TEST_TMP/victim.orig"
rm "$B/config.json"
ln -s "$VICTIM" "$B/config.json"
ORIG=""
create "${RULES[@]}"
refused "config.json a symlink" "symlink"
assert_same_file "config.json a symlink: target untouched" "$TEST_TMP/victim.orig" "$VICTIM"
assert_eq "config.json a symlink: still the link" "$VICTIM" "$(readlink "$B/config.json")"

# A hard link to a file elsewhere: the rename replaces the bundle's name
# only, so the other file keeps its content.
new_bundle
rm "$B/config.json"
ln "$VICTIM" "$B/config.json"
create "${RULES[@]}"
accepted "config.json hard-linked elsewhere"
assert_same_file "config.json hard-linked elsewhere: other file untouched" "$TEST_TMP/victim.orig" "$VICTIM"

new_bundle
: >"$B/config.json"
cp "$B/config.json" "$ORIG"
create "${RULES[@]}"
refused "config.json empty" "config.json"

new_bundle
head -c 5000 "$SAMPLE" >"$B/config.json"
cp "$B/config.json" "$ORIG"
create "${RULES[@]}"
refused "config.json truncated" "config.json"

new_bundle
python3 -c 'import sys; n = 100000; sys.stdout.write("{\"a\":" * n + "1" + "}" * n)' >"$B/config.json"
cp "$B/config.json" "$ORIG"
create "${RULES[@]}"
refused "config.json 100,000 objects deep" "config.json"
python3 -c 'import sys; n = 100000; sys.stdout.write("{\"process\":{\"env\":" + "[" * n + "]" * n + "}}")' >"$B/config.json"
cp "$B/config.json" "$ORIG"
create "${RULES[@]}"
refused "config.json 100,000 arrays deep" "config.json"

new_bundle
{ printf '{"x":"'; head -c 100000000 /dev/zero | tr '\0' a; printf '"}'; } >"$B/config.json"
sum=$(md5sum <"$B/config.json")
ORIG=""
create "${RULES[@]}"
refused "config.json of 100 MB" "larger than"
assert_eq "config.json of 100 MB: unchanged" "$sum" "$(md5sum <"$B/config.json")"
rm -f "$B/config.json"

# ---------------------------------------------------------------------------
log "== wrong JSON types at every path the rules read"

# Every rule on, so every path below is read by one of them.
ALL_RULES=("${RULES[@]}" --oi-env-unset LD_PRELOAD --oi-readonly-mount /etc/hosts
    --oi-mask-path /proc/kcore --oi-readonly-path /proc/sys --oi-drop-capability CAP_NET_RAW
    --oi-no-new-privileges --oi-pids-limit 100 --oi-bind-mount /srv/certs:/etc/ssl/certs:ro
    --oi-hook prestart:/usr/bin/true)
HOSTS=$(jq '.mounts | map(.destination) | index("/etc/hosts")' "$SAMPLE")
TYPE_PATHS=('["process"]' '["process","env"]' '["process","env",0]' '["mounts"]' "[\"mounts\",$HOSTS]"
    "[\"mounts\",$HOSTS,\"destination\"]" "[\"mounts\",$HOSTS,\"options\"]" "[\"mounts\",$HOSTS,\"options\",0]"
    '["process","capabilities"]' '["process","capabilities","bounding"]'
    '["process","capabilities","bounding",0]' '["process","noNewPrivileges"]' '["linux"]'
    '["linux","maskedPaths"]' '["linux","maskedPaths",0]' '["linux","readonlyPaths"]' '["linux","resources"]'
    '["linux","resources","pids"]' '["linux","resources","pids","limit"]' '["hooks"]' '["hooks","prestart"]'
    '["hostname"]')
TYPE_VALUES=(null 7 '"x"' '[]' '{}' true)
type_ok=0
type_refused=0
type_bad=()
for path in "${TYPE_PATHS[@]}"; do
    for value in "${TYPE_VALUES[@]}"; do
        new_bundle
        jq -c --argjson p "$path" --argjson v "$value" 'setpath($p; $v)' "$SAMPLE" >"$B/config.json"
        cp "$B/config.json" "$ORIG"
        create "${ALL_RULES[@]}"
        what="$path = $value"
        if [ "$RC" -ge 124 ] || grep -qE 'Sanitizer|runtime error:|terminate called' "$ERRF"; then
            type_bad+=("$what: crashed (exit $RC): $SERR")
        elif [ -n "$(ls -A "$B" | grep -F .oi-tmp)" ]; then
            type_bad+=("$what: temporary file left")
        elif [ "$RC" -eq 0 ] && jq -e 'type == "object"' "$B/config.json" >/dev/null 2>&1; then
            type_ok=$((type_ok + 1))
        elif [ "$RC" -ne 0 ] && cmp -s "$ORIG" "$B/config.json" &&
            [[ "$SERR" == *"oci-interceptor: error: "* ]] && [ ! -e "$REC/argv" ]; then
            type_refused=$((type_refused + 1))
        else
            type_bad+=("$what: exit $RC, config.json $(cmp -s "$ORIG" "$B/config.json" && echo same || echo changed): $SERR")
        fi
        rm -rf "$B" "$ORIG"
    done
done
log "wrong types: ${#TYPE_PATHS[@]} paths x ${#TYPE_VALUES[@]} values: $type_ok applied, $type_refused refused"
assert_none "wrong JSON types: each applied (new, parses) or refused (clear error, identical)" \
    "${type_bad[@]}"

# ---------------------------------------------------------------------------
log "== the debug directory: a symlink, another user's, planted links"

DEBUG_ARGS=(--oi-write-debug-output --oi-log-target file)
ELSEWHERE=$TEST_TMP/elsewhere
mkdir -p "$ELSEWHERE"

# debug_fallback NAME DIR: the container runs (a logging failure never
# fails it) with a warning, and nothing is written into ELSEWHERE.
debug_fallback() {
    new_bundle
    create "${RULES[@]}" "${DEBUG_ARGS[@]}" --oi-debug-output-dir "$2"
    accepted "$1"
    assert_contains "$1: warns" "$SERR" "warning"
    assert_eq "$1: nothing written elsewhere" "" "$(ls -A "$ELSEWHERE")"
}

ln -s "$ELSEWHERE" "$TEST_TMP/debug-link"
debug_fallback "debug directory a symlink" "$TEST_TMP/debug-link"
ln -s "$ELSEWHERE/not-yet" "$TEST_TMP/debug-dangling"
debug_fallback "debug directory a dangling symlink" "$TEST_TMP/debug-dangling"
mkdir -m 700 "$TEST_TMP/debug-nobody"
chown nobody "$TEST_TMP/debug-nobody"
debug_fallback "debug directory owned by nobody" "$TEST_TMP/debug-nobody"
assert_eq "debug directory owned by nobody: nothing written in it" "" "$(ls -A "$TEST_TMP/debug-nobody")"
: >"$TEST_TMP/debug-file"
debug_fallback "debug directory a regular file" "$TEST_TMP/debug-file"

# Links planted inside a good debug directory are never written through.
D=$TEST_TMP/debug-planted
mkdir -m 700 "$D"
echo "victim" >"$TEST_TMP/victim.log"
ln -s "$TEST_TMP/victim.log" "$D/runtime_calls.log"
HOST=$(jq -r .hostname "$SAMPLE")
ln "$TEST_TMP/victim.log" "$D/${HOST}_original.json"
debug_fallback "planted symlink and hard link in the debug directory" "$D"
assert_eq "planted links: victim untouched" "victim" "$(cat "$TEST_TMP/victim.log")"
assert_file_exists "planted links: the other debug files written" "$D/${HOST}_parsed.json"

# ---------------------------------------------------------------------------
log "== hostnames: ../../etc/x, empty, 10,000 characters, not a string"

# host_case NAME HOSTNAME-JSON: the debug files stay inside the directory.
host_case() {
    local name=$1 dir
    dir=$(mktemp -d "$TEST_TMP/hosts.XXXXXX")
    mkdir -p "$dir/a/b"
    new_bundle
    jq --argjson h "$2" '.hostname = $h' "$SAMPLE" >"$B/config.json"
    create "${RULES[@]}" "${DEBUG_ARGS[@]}" --oi-debug-output-dir "$dir/a/b/debug"
    accepted "$name"
    assert_eq "$name: debug files only inside the directory" "" \
        "$(cd "$dir" && find . -type f | grep -v '^\./a/b/debug/[^/]*$')"
    assert_eq "$name: original, parsed and modified written" 3 "$(ls "$dir/a/b/debug" | grep -c '_\(original\|parsed\|modified\)\.json$')"
    local longest
    longest=$(ls "$dir/a/b/debug" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
    [ "$longest" -le 255 ] && pass "$name: file names fit NAME_MAX" || fail "$name: file names fit NAME_MAX" "$longest"
}
host_case "hostname ../../etc/x" '"../../etc/x"'
host_case "hostname empty" '""'
host_case "hostname of 10,000 characters" "\"$(head -c 10000 /dev/zero | tr '\0' h)\""
host_case "hostname with a newline and a NUL" '"a\nb\u0000c/.."'
host_case "hostname not a string" '{"x": 1}'

# ---------------------------------------------------------------------------
log "== the runtime: missing, not executable, ourselves"

# call_runtime RUNTIME [COMMAND]: a create with the rules (or COMMAND ID) on
# a new bundle, through RUNTIME.
call_runtime() {
    new_bundle
    new_rec
    if [ "${2:-create}" = create ]; then
        oi "${RULES[@]}" --oi-runtime-path "$1" create --bundle "$B" "$ID"
    else
        oi --oi-runtime-path "$1" "$2" "$ID"
    fi
}

# runtime_case NAME NEEDLE RUNTIME [COMMAND]: refused before config.json is read.
runtime_case() {
    call_runtime "$3" "${4:-create}"
    refused "$1" "$2"
}
runtime_case "runtime missing (path)" "/nonexistent/oi-fault/runc" /nonexistent/oi-fault/runc
runtime_case "runtime missing (name)" "oi-fault-no-such-runtime" oi-fault-no-such-runtime
runtime_case "runtime missing on a passthrough call" "oi-fault-no-such-runtime" oi-fault-no-such-runtime state
printf '#!/bin/sh\nexit 0\n' >"$TEST_TMP/not-exec"
chmod 644 "$TEST_TMP/not-exec"
runtime_case "runtime not executable" "not-exec" "$TEST_TMP/not-exec"
runtime_case "runtime not executable on a passthrough call" "not-exec" "$TEST_TMP/not-exec" state
mkdir -p "$TEST_TMP/rt-dir"
runtime_case "runtime a directory" "rt-dir" "$TEST_TMP/rt-dir"
runtime_case "runtime is ourselves" "itself" "$OI_BINARY"
ln -s "$OI_BINARY" "$TEST_TMP/rt-link"
runtime_case "runtime a symlink to ourselves" "itself" "$TEST_TMP/rt-link"
runtime_case "runtime a symlink to ourselves, passthrough" "itself" "$TEST_TMP/rt-link" state
cp "$OI_BINARY" "$TEST_TMP/rt-copy"
runtime_case "runtime a copy of ourselves" "itself" "$TEST_TMP/rt-copy"
mkdir -p "$TEST_TMP/self-bin"
ln -s "$OI_BINARY" "$TEST_TMP/self-bin/oi-fault-rt"
PATH="$TEST_TMP/self-bin:$PATH" runtime_case "runtime name found only as ourselves" "itself" oi-fault-rt

# A runtime whose exec fails (bad interpreter) after the rewrite: the error
# is reported; config.json is identical or the complete new version.
printf '#!/nonexistent/interpreter\n' >"$TEST_TMP/bad-interp"
chmod 755 "$TEST_TMP/bad-interp"
new_bundle
create "${RULES[@]}" --oi-runtime-path "$TEST_TMP/bad-interp"
no_crash "runtime exec fails"
assert_ne "runtime exec fails: non-zero exit" 0 "$RC"
assert_contains "runtime exec fails: says so" "$SERR" "cannot execute runtime"
cmp -s "$ORIG" "$B/config.json" || parses_with_rules "runtime exec fails" "$B/config.json"
no_temp "runtime exec fails" "$B"

# A runtime that leads back to us (a wrapper script that calls
# oci-interceptor, by exec or as a child) is refused on the way back, once,
# instead of looping until the engine's timeout.
loop_case() { # NAME WRAPPER-BODY [COMMAND]
    local wrapper=$TEST_TMP/loop-runtime
    printf '#!/bin/sh\n%s\n' "$2" >"$wrapper"
    chmod 755 "$wrapper"
    call_runtime "$wrapper" "${3:-create}"
    no_crash "$1"
    assert_ne "$1: non-zero exit" 0 "$RC"
    assert_contains "$1: says it loops" "$SERR" "refusing to loop"
    assert_contains "$1: names the runtime" "$SERR" "$wrapper"
    assert_eq "$1: refused once, not once per round" 1 "$(grep -c 'refusing to loop' "$ERRF")"
    no_temp "$1" "$B"
}
loop_case "runtime a wrapper that execs us" "exec '$OI_BINARY' --oi-runtime-path \"\$0\" \"\$@\""
loop_case "runtime a wrapper that runs us as a child" "'$OI_BINARY' --oi-runtime-path \"\$0\" \"\$@\""
loop_case "runtime a wrapper that execs us, passthrough" \
    "exec '$OI_BINARY' --oi-runtime-path \"\$0\" \"\$@\"" state
# Our options unreadable (a typo in Docker's runtimeArgs): a create is
# refused, a call on an existing container goes through to the config
# file's runtime, quietly (containerd mixes stderr into `state` output).
new_bundle
create --oi-evn X=1
refused "an unknown option on a create" "unknown option '--oi-evn'"
new_rec
oi --oi-evn X=1 state "$ID"
assert_eq "an unknown option on a passthrough call: goes through" 0 "$RC"
assert_file_exists "an unknown option on a passthrough call: the file's runtime called" "$REC/argv"
assert_eq "an unknown option on a passthrough call: nothing on stderr" "" "$SERR"

# A marker naming another process (inherited through a hook, say) stops
# nothing.
new_rec
_OCI_INTERCEPTOR_EXEC_PID=999999999 oi --oi-runtime-path "$FAKE_RUNTIME" state "$ID"
assert_eq "a marker naming another process: the runtime runs" 0 "$RC"
assert_file_exists "a marker naming another process: runtime called" "$REC/argv"

# ---------------------------------------------------------------------------
log "== the config file: NUL bytes, CRLF, a 1 MB line, unsafe modes, not a file"

CF=$TEST_TMP/faults.conf
# A create is refused; a passthrough call still goes through, so existing
# containers stay stoppable and removable, and says nothing on stderr
# (containerd reads `state` output with stderr mixed in).
conf_refused() { # NAME NEEDLE
    new_bundle
    create --oi-config "$CF" "${RULES[@]}"
    refused "$1" "$2"
    new_rec
    oi --oi-config "$CF" --oi-runtime-path "$FAKE_RUNTIME" state "$ID"
    no_crash "$1, passthrough call"
    assert_eq "$1, passthrough call: goes through" 0 "$RC"
    assert_file_exists "$1, passthrough call: runtime called" "$REC/argv"
    assert_eq "$1, passthrough call: nothing on stderr" "" "$SERR"
}

printf 'runtime-path = %s\nenv = A=b\0c\n' "$FAKE_RUNTIME" >"$CF"
chmod 600 "$CF"
conf_refused "config file with a NUL byte" "$CF:2:"

printf 'runtime-path = %s\r\nenv = CR=lf\r\n# comment\r\n\r\n' "$FAKE_RUNTIME" >"$CF"
new_bundle
create --oi-config "$CF" "${RULES[@]}"
accepted "config file with CRLF line ends"
assert_eq "config file with CRLF: no CR in values" "CR=lf" "$(jq -r '.process.env[] | select(startswith("CR="))' "$B/config.json")"

{ printf 'runtime-path = %s\nenv = BIG=' "$FAKE_RUNTIME"; head -c 1048576 /dev/zero | tr '\0' x; printf '\n'; } >"$CF"
new_bundle
create --oi-config "$CF" "${RULES[@]}"
accepted "config file with a 1 MB line"
assert_eq "config file with a 1 MB line: the value whole" 1048580 "$(jq -r '.process.env[] | select(startswith("BIG="))' "$B/config.json" | tr -d '\n' | wc -c)"

{ printf 'runtime-path = %s\n' "$FAKE_RUNTIME"; head -c 1048576 /dev/zero | tr '\0' x; printf '\n'; } >"$CF"
conf_refused "config file with a 1 MB malformed line" "$CF:2:"
[ "$(wc -c <"$ERRF")" -lt 4096 ] && pass "1 MB malformed line: the message stays short" ||
    fail "1 MB malformed line: the message stays short" "$(wc -c <"$ERRF") bytes on stderr"

write_conf "$CF" "runtime-path = $FAKE_RUNTIME" "env = A=b"
chmod 666 "$CF"
conf_refused "world-writable config file" "writable by group or others"
# An unsafe file names no runtime, not even for a passthrough call.
new_rec
oi --oi-config "$CF" state "$ID"
assert_no_file "world-writable config file: its runtime-path is not run" "$REC/argv"
chmod 620 "$CF"
conf_refused "group-writable config file" "writable by group or others"
chmod 600 "$CF"
chown nobody "$CF"
conf_refused "config file owned by nobody" "not root"
chown root "$CF"

# Rootless Podman runs us as uid 0 of a user namespace that maps an
# unprivileged user: root's files show there as the overflow uid. Our own
# file under /etc is accepted; a file elsewhere showing that uid could be any
# unmapped user's, so it is refused.
ROOTLESS=(setpriv --reuid=nobody --regid=nogroup --clear-groups unshare --user --map-root-user)
if prereq "user namespaces" "setpriv + unshare --user --map-root-user run the rootless case" \
    "${ROOTLESS[@]}" true; then
    write_conf "$TEST_TMP/rootless.conf" "runtime-path = $FAKE_RUNTIME" "env = ROOTLESS=1"
    replace_etc_file /etc/oci-interceptor.conf "$TEST_TMP/rootless.conf"
    chmod 644 /etc/oci-interceptor.conf
    new_bundle
    chown -R nobody:nogroup "$B"  # the user's own bundle, as rootless Podman's
    REC=$TEST_TMP/rec-rootless
    mkdir -p "$REC"
    chown nobody "$REC"
    oi_run env -u OCI_INTERCEPTOR_CONFIG "${ROOTLESS[@]}" "$OI_BINARY" create --bundle "$B" "$ID"
    no_crash "rootless: /etc/oci-interceptor.conf in a user namespace"
    assert_eq "rootless: /etc/oci-interceptor.conf in a user namespace: accepted" 0 "$RC"
    assert_eq "rootless: the rule applied" '"ROOTLESS=1"' \
        "$(jq -c '.process.env | map(select(startswith("ROOTLESS="))) | .[0]' "$B/config.json")"
    chmod 664 /etc/oci-interceptor.conf
    oi_run env -u OCI_INTERCEPTOR_CONFIG "${ROOTLESS[@]}" "$OI_BINARY" create --bundle "$B" "$ID"
    assert_ne "rootless: a group-writable file is still refused" 0 "$RC"
    assert_contains "rootless: a group-writable file: says why" "$SERR" "writable by group or others"
    rm -f /etc/oci-interceptor.conf
    cp "$TEST_TMP/rootless.conf" "$CF"
    chmod 644 "$CF"
    oi_run "${ROOTLESS[@]}" "$OI_BINARY" --oi-config "$CF" create --bundle "$B" "$ID"
    assert_ne "rootless: a root file outside /etc shows as nobody's: refused" 0 "$RC"
    assert_contains "rootless: a root file outside /etc: says whose" "$SERR" "owned by uid 65534"
fi

# The default file a dangling symlink: a broken install, refused, never
# read as "no file, no policy".
replace_etc_with_symlink /etc/oci-interceptor.conf "$TEST_TMP/no-such-target.conf"
ORIG=""
new_rec
new_bundle
oi_run env -u OCI_INTERCEPTOR_CONFIG "$OI_BINARY" --oi-runtime-path "$FAKE_RUNTIME" "${RULES[@]}" \
    create --bundle "$B" "$ID"
assert_ne "default config file a dangling symlink: refused" 0 "$RC"
assert_contains "default config file a dangling symlink: says so" "$SERR" \
    "/etc/oci-interceptor.conf: a symbolic link to a missing file"
assert_no_file "default config file a dangling symlink: runtime not called" "$REC/argv"
rm -f /etc/oci-interceptor.conf
rm -f "$CF"
mkfifo -m 600 "$CF"
conf_refused "config file a FIFO" "not a regular file"
rm -f "$CF"
mkdir -m 700 "$CF"
conf_refused "config file a directory" "not a regular file"
rmdir "$CF"

# ---------------------------------------------------------------------------
log "== SIGKILL at random points of a create"

# A large config.json (20,000 env entries, ~1 MB) widens the write window.
BIG=$TEST_TMP/big-config.json
jq -c '.process.env += [range(20000) | "VAR\(.)=\("v" * 40)"]' "$SAMPLE" >"$BIG"
KILL_ROUNDS=${OI_FAULT_KILL_ROUNDS:-300}
for config in "$SAMPLE" "$BIG"; do
    new_bundle "$config"
    create --oi-runtime-path /bin/true "${RULES[@]}"
    cp "$B/config.json" "$B.new"
    name="SIGKILL during create ($(basename "$config"), $KILL_ROUNDS rounds)"
    result=$(python3 - "$OI_BINARY" "$B" "$ORIG" "$B.new" "$KILL_ROUNDS" "${RULES[@]}" <<'EOF'
import glob, os, random, shutil, subprocess, sys, time
binary, bundle, orig, new, rounds, rules = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6:]
old_bytes, new_bytes = open(orig, "rb").read(), open(new, "rb").read()
cmd = [binary, "--oi-runtime-path", "/bin/true", *rules, "create", "--bundle", bundle, "kill-id"]
# How long a create takes, so the kills spread over all of it.
start = time.monotonic()
for _ in range(5):
    shutil.copyfile(orig, bundle + "/config.json")
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
span = (time.monotonic() - start) / 5 * 1.3
seen = {"old": 0, "new": 0}
bad, temps = [], 0
for i in range(rounds):
    shutil.copyfile(orig, bundle + "/config.json")
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0, span))
    p.kill()
    p.wait()
    data = open(bundle + "/config.json", "rb").read()
    if data == old_bytes:
        seen["old"] += 1
    elif data == new_bytes:
        seen["new"] += 1
    else:
        bad.append(f"round {i}: {len(data)} bytes, neither version")
    for temp in glob.glob(bundle + "/.config.json.oi-tmp-*"):
        temps += 1
        os.unlink(temp)
print(f"old={seen['old']} new={seen['new']} torn={len(bad)} temps_left={temps} span_ms={span * 1000:.1f}")
for line in bad[:5]:
    print(line)
EOF
)
    log "$name: $result"
    assert_match "$name: always one of the two complete versions" "$result" ' torn=0 '
    rm -rf "$B" "$B.new" "$ORIG"
done

# ---------------------------------------------------------------------------
log "== hundreds of creates in parallel, one shared debug directory"

PARALLEL=${OI_FAULT_PARALLEL:-300}
CONC=$TEST_TMP/conc
DBG=$CONC/debug
mkdir -p "$CONC"
for i in $(seq "$PARALLEL"); do
    mkdir "$CONC/b$i"
    jq -c --arg h "host$i" '.hostname = $h' "$SAMPLE" >"$CONC/b$i/config.json"
done
export OI_BINARY CONC DBG
oi_conc_one() {
    "$OI_BINARY" --oi-runtime-path /bin/true --oi-write-debug-output --oi-log-target file \
        --oi-debug-output-dir "$DBG" --oi-readonly-networking-mounts --oi-env A=b --oi-env-force TZ=UTC \
        --root /run/oi-conc --log "$CONC/b$1/log.json" --log-format json \
        create --bundle "$CONC/b$1" --pid-file "$CONC/b$1/init.pid" "conc-$1" 2>"$CONC/b$1/stderr"
    echo "$1 $?" >"$CONC/b$1/status"
}
export -f oi_conc_one
start=$(date +%s%N)
seq "$PARALLEL" | xargs -P 64 -I{} bash -c 'oi_conc_one {}'
log "$PARALLEL parallel creates in $(( ($(date +%s%N) - start) / 1000000 )) ms"
conc_result=$(python3 - "$CONC" "$PARALLEL" <<'EOF'
import json, os, sys
conc, n = sys.argv[1], int(sys.argv[2])
problems = []
for i in range(1, n + 1):
    b = f"{conc}/b{i}"
    status = open(f"{b}/status").read().split()
    if status != [str(i), "0"]:
        problems.append(f"b{i}: exit {status}: {open(b + '/stderr').read()[:200]}")
        continue
    spec = json.load(open(f"{b}/config.json"))
    env = spec["process"]["env"]
    hosts = [m for m in spec["mounts"] if m["destination"] == "/etc/hosts"]
    if "A=b" not in env or "TZ=UTC" not in env or spec["hostname"] != f"host{i}" or \
            any("ro" not in m.get("options", []) for m in hosts):
        problems.append(f"b{i}: config.json without the rules")
    for kind in ("original", "parsed", "modified"):
        path = f"{conc}/debug/host{i}_{kind}.json"
        try:
            json.load(open(path))
        except Exception as e:
            problems.append(f"{path}: {e}")
    if any(name.startswith(".config.json.oi-tmp") for name in os.listdir(b)):
        problems.append(f"b{i}: temporary file left")
lines = open(f"{conc}/debug/runtime_calls.log").read().split("\n")
if lines[-1] != "":
    problems.append("runtime_calls.log does not end with a newline")
lines = lines[:-1]
expected = {f"/bin/true --root /run/oi-conc --log {conc}/b{i}/log.json --log-format json create "
            f"--bundle {conc}/b{i} --pid-file {conc}/b{i}/init.pid conc-{i}" for i in range(1, n + 1)}
if len(lines) != n:
    problems.append(f"runtime_calls.log: {len(lines)} lines for {n} calls")
if set(lines) != expected:
    odd = [l for l in lines if l not in expected][:3]
    problems.append(f"runtime_calls.log: {len(set(lines) & expected)} intact lines of {n}; odd: {odd}")
print("ok" if not problems else "\n".join(problems[:10]))
EOF
)
assert_eq "$PARALLEL parallel creates: every config, debug file and call line intact" ok "$conc_result"

# The same load with the journald target. An entry journald does not take
# within 250 ms is dropped by design (a logging failure never delays or fails
# a container), but never silently: the call then warns on stderr. Entries
# are whole datagrams, so they cannot interleave.
if require_tool journalctl && prereq journald "systemd-journald did not start" start_journald_if_missing; then
    TAG=conc-j-$$
    journald_one() {
        "$OI_BINARY" --oi-runtime-path /bin/true --oi-log-target journald --oi-write-debug-output \
            --oi-env A=b create --bundle "$CONC/b$1" "$TAG-$1" 2>"$CONC/b$1/jstderr"
    }
    export -f journald_one
    export TAG
    for i in $(seq "$PARALLEL"); do jq -c --arg h "host$i" '.hostname = $h' "$SAMPLE" >"$CONC/b$i/config.json"; done
    seq "$PARALLEL" | xargs -P "${OI_FAULT_JOURNALD_P:-16}" -I{} bash -c 'journald_one {}'
    sleep 1
    journalctl -t oci-interceptor -o json --no-pager 2>/dev/null |
        jq -r --arg t "$TAG-" 'select(.OCI_CONTAINER_ID // "" | startswith($t)) |
            "\(.PRIORITY) \(.OCI_CONTAINER_ID | ltrimstr($t))"' >"$CONC/journal"
    silent=()
    lost=0
    for i in $(seq "$PARALLEL"); do
        n=$(grep -c " $i\$" "$CONC/journal")
        [ "$n" -eq 3 ] && continue
        lost=$((lost + 1))
        grep -q "journald" "$CONC/b$i/jstderr" || silent+=("call $i: $n of 3 entries, no warning")
    done
    log "journald: $PARALLEL calls, $lost with entries dropped (each warned)"
    assert_none "$PARALLEL parallel creates, journald: three entries each, or a warning" \
        "${silent[@]:0:10}"
    assert_eq "$PARALLEL parallel creates, journald: no duplicate entries" 0 \
        "$(sort "$CONC/journal" | uniq -d | grep -vc '^7 ' || true)"
fi
finish
