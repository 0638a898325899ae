#!/usr/bin/env bash
# The journald log target against a real systemd-journald: entries and fields
# read back with journalctl -o json (fake runtime, real runc, a private
# dockerd); auto falls back to files without journald; a dead or stalled
# journald neither fails nor hangs a container, and never writes to stdout.
source "$(dirname "$0")/lib.sh"

common_setup
require_tool journalctl jq unshare perl || skip_all "tools missing"
if ! prereq journald "cannot start systemd-journald (see docs/environment.md)" \
    start_journald_if_missing; then
    skip_all "no journald"
fi

JSOCK_DIR=/run/systemd/journal
REC=$TEST_TMP/rec
CONF=$TEST_TMP/oi.conf
DEBUG_DIR=$TEST_TMP/debug
write_conf "$CONF" "runtime-path = $FAKE_RUNTIME" "debug-output-dir = $DEBUG_DIR"
export OCI_INTERCEPTOR_CONFIG=$CONF

N=0
new_id() { N=$((N + 1)); ID=oi-journald-$$-$N; }

# call CMD...: run CMD against the fake runtime; sets RC, SOUT, SERR, SECS.
call() {
    local t0 t1
    t0=$(date +%s%N)
    FAKE_RUNTIME_RECORD=$REC "$@" >"$TEST_TMP/stdout" 2>"$TEST_TMP/stderr" </dev/null
    RC=$?
    t1=$(date +%s%N)
    SECS=$(( (t1 - t0) / 1000000 ))
    SOUT=$(cat "$TEST_TMP/stdout")
    SERR=$(cat "$TEST_TMP/stderr")
}

oi() { "$OI_BINARY" "$@"; }

# A bundle for the fake runtime: only config.json, with a rw /etc/hosts bind.
fake_bundle() { # DIR
    mkdir -p "$1"
    cat >"$1/config.json" <<'EOF'
{"ociVersion": "1.0.2",
 "process": {"args": ["sh"], "env": ["PATH=/bin", "KEEP=1"], "cwd": "/"},
 "root": {"path": "rootfs"},
 "hostname": "journal-test",
 "mounts": [{"destination": "/etc/hosts", "type": "bind", "source": "/etc/hosts",
             "options": ["rbind", "rw"]}]}
EOF
}

# entries_min N ID [MATCH...]: the JSON entries (one per line) of container
# ID, waiting up to ~5 s for at least N of them to appear.
entries_min() {
    local n=$1 id=$2 i out; shift 2
    for i in $(seq 50); do
        out=$(journalctl -t oci-interceptor "OCI_CONTAINER_ID=$id" "$@" -o json --all 2>/dev/null)
        if [ "$(printf '%s' "$out" | grep -c .)" -ge "$n" ]; then break; fi
        sleep 0.1
    done
    printf '%s\n' "$out"
}

# entries ID [MATCH...]: entries_min 1 ID [MATCH...].
entries() { entries_min 1 "$@"; }

# entries_now ID: the entries of ID after journald had time to store them all
# (for checks that something is absent).
entries_now() {
    sleep 0.5
    journalctl -t oci-interceptor "OCI_CONTAINER_ID=$1" -o json --all 2>/dev/null
}

# forwarded_entries ID COMMAND: the debug entries of forwarded COMMAND calls
# whose OCI_ARGV names ID, waiting up to ~5 s for one.
forwarded_entries() {
    local id=$1 cmd=$2 i out
    for i in $(seq 50); do
        out=$(journalctl -t oci-interceptor PRIORITY=7 "OCI_COMMAND=$cmd" -o json --all 2>/dev/null |
            jq -c --arg id "$id" 'select((.OCI_ARGV // "") | split(" ") | index($id))')
        if [ -n "$out" ]; then printf '%s\n' "$out"; return 0; fi
        sleep 0.1
    done
}

# check_forwarded_id NAME JSON-LINES ID: the forwarded entries carry
# OCI_CONTAINER_ID. The interceptor's Invocation sets the container id only
# for create/run/restore so far: a skip, not a failure, until it does.
check_forwarded_id() {
    local ids
    ids=$(printf '%s\n' "$2" | jq -r '.OCI_CONTAINER_ID // "<absent>"' | sort -u)
    if [ "$ids" = "$3" ]; then pass "$1: forwarded entry has OCI_CONTAINER_ID"; return; fi
    skip "$1: forwarded entry has OCI_CONTAINER_ID" \
        "got '$ids': Invocation parses the container id of create/run/restore only"
}

# field JSON-LINES PRIORITY NAME: NAME of the first entry with PRIORITY.
field() {
    printf '%s\n' "$1" | jq -r --arg p "$2" --arg f "$3" \
        'select(.PRIORITY == $p) | .[$f] // "<absent>"' | head -n 1
}

count_priority() { # JSON-LINES PRIORITY
    printf '%s\n' "$1" | jq -r --arg p "$2" 'select(.PRIORITY == $p) | .MESSAGE' | grep -c .
}

# ---------------------------------------------------------------------------
log "== fake runtime: a change entry, no values, nothing for passthrough calls"

B=$TEST_TMP/b1
fake_bundle "$B"
new_id
call oi --oi-log-target journald --oi-readonly-networking-mounts --oi-env OI_SECRET=s3cr3t-value \
    --oi-env-force KEEP=2 --root /run/x create --bundle "$B" "$ID"
assert_eq "create: exit 0" 0 "$RC"
assert_eq "create: nothing on stdout" "" "$SOUT"
E=$(entries "$ID")
assert_eq "create: one info entry" 1 "$(count_priority "$E" 6)"
assert_eq "create: OCI_CHANGES" "readonly:/etc/hosts env:OI_SECRET env-force:KEEP" \
    "$(field "$E" 6 OCI_CHANGES)"
assert_eq "create: SYSLOG_IDENTIFIER" oci-interceptor "$(field "$E" 6 SYSLOG_IDENTIFIER)"
assert_eq "create: OCI_COMMAND" create "$(field "$E" 6 OCI_COMMAND)"
assert_eq "create: OCI_BUNDLE" "$B" "$(field "$E" 6 OCI_BUNDLE)"
# A bundle given relative (or as the cwd, as runc allows) is logged absolute.
REL_ID=$ID-relative
(cd "$TEST_TMP" && call oi --oi-log-target journald --oi-env A=1 create --bundle b1 "$REL_ID")
assert_eq "create -b b1 (relative): OCI_BUNDLE absolute" "$B" "$(field "$(entries "$REL_ID")" 6 OCI_BUNDLE)"
assert_eq "create: OCI_RUNTIME" "$FAKE_RUNTIME" "$(field "$E" 6 OCI_RUNTIME)"
assert_eq "create: OCI_HOSTNAME" journal-test "$(field "$E" 6 OCI_HOSTNAME)"
assert_contains "create: MESSAGE names the container" "$(field "$E" 6 MESSAGE)" "$ID"
assert_eq "create: no debug entries without write-debug-output" 0 "$(count_priority "$E" 7)"
# Our fields only: journald adds _CMDLINE itself when it can still read the
# sender's /proc entry, and that holds the --oi-env value given on our
# command line (as ps shows it); values in a config file never get there.
OURS=$(jq -c 'with_entries(select(.key | startswith("_") | not))' <<<"$E")
assert_not_contains "create: no env value in our fields" "$OURS" "s3cr3t-value"

call oi --oi-log-target journald --oi-readonly-networking-mounts state "$ID"
call oi --oi-log-target journald --oi-readonly-networking-mounts delete "$ID"
assert_eq "passthrough: exit 0" 0 "$RC"
E=$(entries_now "$ID")
assert_eq "passthrough: no entry for state/delete" "" \
    "$(printf '%s\n' "$E" | jq -r 'select(.OCI_COMMAND != "create") | .MESSAGE')"

# A create the rules leave unchanged logs nothing at info.
new_id
fake_bundle "$TEST_TMP/b2"
call oi --oi-log-target journald --oi-env KEEP=other create --bundle "$TEST_TMP/b2" "$ID"
assert_eq "unchanged create: exit 0" 0 "$RC"
assert_eq "unchanged create: no entry" "" "$(entries_now "$ID")"

# libsystemd is loaded by a call that logs, never by one that does not
# (LD_DEBUG=files names every library the dynamic loader maps, dlopen too).
new_id
fake_bundle "$TEST_TMP/b3"
ld_files() { # NAME CMD...: the loader's trace of CMD into $TEST_TMP/NAME.PID
    local name=$1; shift
    FAKE_RUNTIME_RECORD=$REC LD_DEBUG=files LD_DEBUG_OUTPUT=$TEST_TMP/$name "$@" \
        >/dev/null 2>&1 </dev/null
    cat "$TEST_TMP/$name".* 2>/dev/null
}
TRACE=$(ld_files ld-state oi --oi-log-target journald state "$ID")
assert_contains "passthrough: loader trace recorded" "$TRACE" "libc.so"
assert_not_contains "passthrough: libsystemd not loaded" "$TRACE" "libsystemd"
TRACE=$(ld_files ld-create oi --oi-log-target journald --oi-env A=1 create --bundle "$TEST_TMP/b3" "$ID")
assert_contains "logged create: libsystemd loaded" "$TRACE" "libsystemd.so.0"

# ---------------------------------------------------------------------------
log "== write-debug-output: debug entries with full configs and argv"

B=$TEST_TMP/b4
fake_bundle "$B"
new_id
cp "$B/config.json" "$TEST_TMP/original.json"
call oi --oi-log-target journald --oi-write-debug-output --oi-env OI_DEBUG=1 \
    --root /run/x create --bundle "$B" "$ID"
assert_eq "debug create: exit 0" 0 "$RC"
assert_eq "debug create: nothing on stdout" "" "$SOUT"
E=$(entries_min 2 "$ID")
CONFIGS=$(printf '%s\n' "$E" | jq -c 'select(.PRIORITY == "7" and .OCI_CONFIG_ORIGINAL != null)' | head -n 1)
assert_ne "debug create: configs entry" "" "$CONFIGS"
assert_eq "debug create: OCI_CONFIG_ORIGINAL is the file as found" "$(cat "$TEST_TMP/original.json")" \
    "$(printf '%s\n' "$CONFIGS" | jq -j .OCI_CONFIG_ORIGINAL)"
assert_eq "debug create: OCI_CONFIG_MODIFIED has the rule applied" "OI_DEBUG=1" \
    "$(printf '%s\n' "$CONFIGS" | jq -r '.OCI_CONFIG_MODIFIED | fromjson | .process.env[] | select(startswith("OI_DEBUG="))')"
assert_eq "debug create: OCI_ARGV" "--root /run/x create --bundle $B $ID" \
    "$(printf '%s\n' "$CONFIGS" | jq -r .OCI_ARGV)"
FWD=$(printf '%s\n' "$E" | jq -c 'select(.PRIORITY == "7" and .OCI_CONFIG_ORIGINAL == null)' | head -n 1)
assert_eq "debug create: forwarded entry OCI_ARGV" "--root /run/x create --bundle $B $ID" \
    "$(printf '%s\n' "$FWD" | jq -r .OCI_ARGV)"

call oi --oi-log-target journald --oi-write-debug-output --root /run/x state "$ID"
E=$(forwarded_entries "$ID" state)
assert_eq "debug state: one forwarded entry" 1 "$(count_priority "$E" 7)"
assert_eq "debug state: OCI_ARGV" "--root /run/x state $ID" "$(field "$E" 7 OCI_ARGV)"
assert_eq "debug state: no info entry" 0 "$(count_priority "$E" 6)"
check_forwarded_id "debug state" "$E" "$ID"

# ---------------------------------------------------------------------------
log "== errors: an err entry for a broken config.json and a broken config file"

B=$TEST_TMP/b5
mkdir -p "$B"
echo '{"process": {' >"$B/config.json"
new_id
call oi --oi-log-target journald --oi-env A=1 create --bundle "$B" "$ID"
assert_ne "broken config.json: exit non-zero" 0 "$RC"
assert_eq "broken config.json: nothing on stdout" "" "$SOUT"
E=$(entries "$ID" PRIORITY=3)
assert_eq "broken config.json: one err entry" 1 "$(count_priority "$E" 3)"
assert_contains "broken config.json: MESSAGE names config.json" "$(field "$E" 3 MESSAGE)" "config.json"
assert_eq "broken config.json: OCI_COMMAND" create "$(field "$E" 3 OCI_COMMAND)"

BAD_CONF=$TEST_TMP/broken-$$.conf
write_conf "$BAD_CONF" "runtime-path = $FAKE_RUNTIME" "log-target = journald" "no-such-key = 1"
# journald_error_naming TEXT: the err entries whose MESSAGE holds TEXT.
journald_error_naming() {
    local i e=""
    for i in $(seq 50); do
        e=$(journalctl -t oci-interceptor PRIORITY=3 -o json --all | jq -c --arg f "$1" \
            'select(.MESSAGE | contains($f))')
        [ -n "$e" ] && break
        sleep 0.1
    done
    printf '%s' "$e"
}
new_id
B=$TEST_TMP/b-broken-conf
fake_bundle "$B"
OCI_INTERCEPTOR_CONFIG=$BAD_CONF call oi create --bundle "$B" "$ID"
assert_ne "broken config file: create refused" 0 "$RC"
assert_contains "broken config file: err entry names PATH:LINE" "$(journald_error_naming "$BAD_CONF")" "$BAD_CONF:3"
# A state/kill/delete of an existing container still goes through, to the
# runtime the file's valid lines name, with the error in the journal.
new_id
new_rec
OCI_INTERCEPTOR_CONFIG=$BAD_CONF call oi state "$ID"
assert_eq "broken config file, state: goes through" 0 "$RC"
assert_file_exists "broken config file, state: the file's runtime called" "$REC/argv"
assert_eq "broken config file, state: nothing on stdout" "" "$SOUT"
assert_eq "broken config file, state: nothing on stderr" "" "$SERR"
E=$(journald_error_naming "passed through")
assert_contains "broken config file, state: err entry says it passed through" "$E" "$BAD_CONF:3"
assert_contains "broken config file, state: err entry names the container" "$E" "\"OCI_CONTAINER_ID\":\"$ID\""

# A typo among our options is logged too, not only printed.
new_id
call oi --oi-evn A=1 create --bundle "$B" "$ID"
assert_ne "unknown option: refused" 0 "$RC"
E=$(journald_error_naming "unknown option '--oi-evn'")
assert_contains "unknown option: err entry names the container" "$E" "\"OCI_CONTAINER_ID\":\"$ID\""

# ---------------------------------------------------------------------------
log "== journald absent: auto falls back to files"

# in_private_journal_dir SCRIPT: run SCRIPT (bash) in a private mount
# namespace where an empty tmpfs hides the real journald socket directory.
in_private_journal_dir() {
    unshare -m --propagation private bash -c "mount -t tmpfs oi-test '$JSOCK_DIR' && $1"
}

B=$TEST_TMP/b6
fake_bundle "$B"
new_id
rm -rf "$DEBUG_DIR"
export B ID REC OI_BINARY DEBUG_DIR TEST_TMP
in_private_journal_dir '[ ! -e /run/systemd/journal/socket ] &&
    FAKE_RUNTIME_RECORD=$REC "$OI_BINARY" --oi-write-debug-output --oi-env A=1 \
        create --bundle "$B" "$ID" >"$TEST_TMP/stdout" 2>"$TEST_TMP/stderr" </dev/null' 
RC=$?
assert_eq "no journald: create exit 0" 0 "$RC"
assert_eq "no journald: nothing on stdout" "" "$(cat "$TEST_TMP/stdout")"
assert_eq "no journald: the runtime ran" "$ID" "$(tail -n 1 "$REC/argv" | awk '{print $NF}')"
assert_file_exists "no journald: debug files written instead" "$DEBUG_DIR/journal-test_modified.json"
assert_eq "no journald: no journal entry" "" "$(entries_now "$ID")"

# ---------------------------------------------------------------------------
log "== journald stopped (socket file, nobody listening): no failure, no hang"

# A socket file left by a stopped journald: sends fail with ECONNREFUSED.
DEAD_SOCKET='perl -MSocket -e '\''socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die $!;
    bind($s, pack_sockaddr_un("/run/systemd/journal/socket")) or die $!'\'
# A journald that stopped reading: its queue is filled until a send would block.
STALLED_SOCKET='perl -MSocket -MFcntl -e '\''my $p = "/run/systemd/journal/socket";
    socket(my $r, PF_UNIX, SOCK_DGRAM, 0) or die $!; bind($r, pack_sockaddr_un($p)) or die $!;
    socket(my $w, PF_UNIX, SOCK_DGRAM, 0) or die $!;
    fcntl($w, F_SETFL, O_NONBLOCK); my $n = 0;
    while (send($w, "MESSAGE=filler\n", 0, pack_sockaddr_un($p))) { $n++ }
    open(my $f, ">", $ENV{TEST_TMP} . "/stalled.ready"); close($f); sleep 60'\'

for mode in dead stalled; do
    for target in journald auto; do
        name="$mode journald, log-target $target"
        B=$TEST_TMP/b-$mode-$target
        fake_bundle "$B"
        new_id
        rm -f "$TEST_TMP/stalled.ready"
        export B ID TEST_TMP target
        if [ $mode = dead ]; then
            setup="$DEAD_SOCKET"
        else
            setup="{ $STALLED_SOCKET & SP=\$!; } && for i in \$(seq 50); do [ -e \"\$TEST_TMP/stalled.ready\" ] && break; sleep 0.1; done"
        fi
        t0=$(date +%s%N)
        timeout 20 unshare -m --propagation private bash -c "mount -t tmpfs oi-test '$JSOCK_DIR' && $setup &&
            [ -S /run/systemd/journal/socket ] &&
            FAKE_RUNTIME_RECORD=\$REC \"\$OI_BINARY\" --oi-log-target \$target --oi-write-debug-output \
                --oi-env A=1 create --bundle \"\$B\" \"\$ID\" >\"\$TEST_TMP/stdout\" 2>\"\$TEST_TMP/stderr\" </dev/null
            rc=\$?; [ -z \"\${SP:-}\" ] || kill \$SP; exit \$rc"
        RC=$?
        ms=$(( ($(date +%s%N) - t0) / 1000000 ))
        assert_eq "$name: create exit 0" 0 "$RC"
        assert_eq "$name: nothing on stdout" "" "$(cat "$TEST_TMP/stdout")"
        assert_eq "$name: the runtime ran" "$ID" "$(tail -n 1 "$REC/argv" | awk '{print $NF}')"
        assert_contains "$name: warning on stderr" "$(cat "$TEST_TMP/stderr")" "oci-interceptor: warning: journald"
        # Bounded: one send times out (250 ms), then the target gives up.
        if [ "$ms" -lt 3000 ]; then pass "$name: no hang (${ms} ms with set-up)"; else
            fail "$name: no hang" "took $ms ms"; fi
    done
done

# ---------------------------------------------------------------------------
log "== real runc: the change entry of a container it ran"

if require_tool runc; then
    RUNC_ROOT=$TEST_TMP/runc-root
    mkdir -p "$RUNC_ROOT"
    on_exit "for c in \$(runc --root '$RUNC_ROOT' list -q); do runc --root '$RUNC_ROOT' delete -f \$c; done"
    write_conf "$TEST_TMP/runc.conf" "log-target = journald" "readonly-networking-mounts = yes" \
        "env = OI_RUNC=1"
    B=$TEST_TMP/b-runc
    B2=$TEST_TMP/b-runc-2
    if make_bundle "$B" sh -c 'echo "OI_RUNC=$OI_RUNC"' && add_bind_mount "$B" /etc/hosts /etc/hosts &&
        cp -a "$B" "$B2"; then
        new_id
        OUT=$(OCI_INTERCEPTOR_CONFIG=$TEST_TMP/runc.conf "$OI_BINARY" --root "$RUNC_ROOT" run --bundle "$B" "$ID" 2>&1 </dev/null)
        assert_eq "runc run: container output" "OI_RUNC=1" "$OUT"
        E=$(entries "$ID")
        assert_eq "runc run: OCI_CHANGES" "readonly:/etc/hosts env:OI_RUNC" "$(field "$E" 6 OCI_CHANGES)"
        assert_eq "runc run: OCI_COMMAND" run "$(field "$E" 6 OCI_COMMAND)"
        assert_eq "runc run: OCI_RUNTIME" runc "$(field "$E" 6 OCI_RUNTIME)"

        # journald stopped: the container still runs (a fresh bundle, so
        # that the rules change something and an entry is sent).
        new_id
        B=$B2
        export RUNC_ROOT ID B
        OUT=$(OCI_INTERCEPTOR_CONFIG=$TEST_TMP/runc.conf timeout 20 unshare -m --propagation private bash -c \
            "mount -t tmpfs oi-test '$JSOCK_DIR' && $DEAD_SOCKET &&
             \"\$OI_BINARY\" --root \"\$RUNC_ROOT\" run --bundle \"\$B\" \"\$ID\" 2>\"\$TEST_TMP/stderr\" </dev/null")
        assert_eq "runc run, journald stopped: container output" "OI_RUNC=1" "$OUT"
        assert_contains "runc run, journald stopped: warning on stderr" "$(cat "$TEST_TMP/stderr")" \
            "warning: journald"
    else
        fail "runc: bundle"
    fi
fi

# ---------------------------------------------------------------------------
log "== private dockerd: docker run through the interceptor"

if require_tool dockerd runc; then
    write_conf "$TEST_TMP/docker.conf" "log-target = journald" "readonly-networking-mounts = yes" \
        "env = OI_DOCKER=1" "write-debug-output = yes"
    DJSON=$(jq -n --arg p "$OI_BINARY" --arg c "$TEST_TMP/docker.conf" \
        '{runtimes: {"oi-journal": {path: $p, runtimeArgs: ["--oi-config", $c]}}}')
    if start_private_dockerd "$TEST_TMP/dockerd" "$DJSON" && docker_import_busybox; then
        CID_FILE=$TEST_TMP/cid
        OUT=$(dk run --rm --network none --runtime oi-journal --cidfile "$CID_FILE" "$BUSYBOX_IMAGE" \
            sh -c 'echo "OI_DOCKER=$OI_DOCKER"' 2>&1)
        assert_eq "docker run: container output" "OI_DOCKER=1" "$OUT"
        CID=$(cat "$CID_FILE" 2>/dev/null)
        assert_ne "docker run: container id" "" "$CID"
        # create: the change, its configs, the forwarded call.
        E=$(entries_min 3 "$CID")
        assert_eq "docker run: one info entry" 1 "$(count_priority "$E" 6)"
        assert_contains "docker run: OCI_CHANGES" "$(field "$E" 6 OCI_CHANGES)" "env:OI_DOCKER"
        assert_contains "docker run: OCI_CHANGES names /etc/hosts" "$(field "$E" 6 OCI_CHANGES)" \
            "readonly:/etc/hosts"
        assert_eq "docker run: OCI_COMMAND" create "$(field "$E" 6 OCI_COMMAND)"
        assert_contains "docker run: debug entry with the original config" \
            "$(printf '%s\n' "$E" | jq -r 'select(.PRIORITY == "7") | .OCI_CONFIG_ORIGINAL // empty' | head -n 1)" \
            '"ociVersion"'
        for cmd in start delete; do
            F=$(forwarded_entries "$CID" $cmd)
            assert_ne "docker run: forwarded $cmd logged" "" "$F"
            check_forwarded_id "docker run: $cmd" "$F" "$CID"
        done
    else
        fail "private dockerd"
    fi
fi

finish
