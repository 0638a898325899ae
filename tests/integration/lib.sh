# Shared helpers for the real-engine integration tests of oci-interceptor.
# Sourced by tests/integration/test_*.sh; bash only.
#
# Environment:
#   OI_BINARY  absolute path of the oci-interceptor binary under test (required)
#   CI=true    a missing prerequisite (runc, dockerd, ctr, podman, journald)
#              is a failure instead of a skip
#   OI_TEST_KEEP=1  keep the temporary directory (for debugging)
#
# Output: one line per check (PASS/FAIL/SKIP), details of failures, and last
# a summary line exactly "N passed, N failed". Exit status: 0 if nothing
# failed (77 if everything was skipped), 1 otherwise.

set -u
set -o pipefail

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LIB_DIR/../.." && pwd)
FAKE_RUNTIME=$LIB_DIR/fake-runtime.sh
TEST_NAME=$(basename "${0%.sh}")
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

PASSED=0
FAILED=0
SKIPPED=0

# ---------------------------------------------------------------------------
# Cleanup stack: on_exit CMD registers CMD (a string run with eval); all run
# in reverse order at exit, whatever the reason (failure, Ctrl-C, TERM).
CLEANUP=()
on_exit() { CLEANUP+=("$1"); }
_run_cleanup() {
    local rc=$? i
    trap - EXIT INT TERM
    for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do
        eval "${CLEANUP[$i]}" >/dev/null 2>&1 || true
    done
    exit $rc
}
trap _run_cleanup EXIT
trap 'echo "interrupted" >&2; FAILED=$((FAILED + 1)); exit 130' INT TERM

# ---------------------------------------------------------------------------
# Test framework
log()  { printf '%s\n' "$*" >&2; }
pass() { PASSED=$((PASSED + 1)); printf 'PASS: %s\n' "$1"; }
fail() {
    FAILED=$((FAILED + 1))
    printf 'FAIL: %s\n' "$1"
    shift
    [ $# -eq 0 ] || printf '%s\n' "$@" | sed 's/^/    | /'
}
skip() { SKIPPED=$((SKIPPED + 1)); printf 'SKIP: %s (%s)\n' "$1" "${2:-}"; }

# Last command output of check/check_fails/run_capture.
OUT=""
RC=0

# run_capture CMD...: run CMD, stdout+stderr into $OUT, status into $RC.
# Its stdin is $CHECK_STDIN (default /dev/null), so nothing waits on a tty.
run_capture() {
    OUT=$("$@" 2>&1 <"${CHECK_STDIN:-/dev/null}")
    RC=$?
}

# check NAME CMD...: passes when CMD exits 0.
check() {
    local name=$1; shift
    run_capture "$@"
    if [ "$RC" -eq 0 ]; then pass "$name"; return 0; fi
    fail "$name" "command: $*" "exit status: $RC" "$OUT"
    return 1
}

# check_fails NAME CMD...: passes when CMD exits non-zero.
check_fails() {
    local name=$1; shift
    run_capture "$@"
    if [ "$RC" -ne 0 ]; then pass "$name"; return 0; fi
    fail "$name" "command (expected to fail): $*" "$OUT"
    return 1
}

assert_eq() { # NAME EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then pass "$1"; return 0; fi
    fail "$1" "expected: $(printf '%q' "$2")" "actual:   $(printf '%q' "$3")"
    return 1
}

assert_none() { # NAME PROBLEM...: passes when no problem is given
    local name=$1; shift
    if [ $# -eq 0 ]; then pass "$name"; return 0; fi
    fail "$name" "$@"
    return 1
}

assert_ne() { # NAME UNEXPECTED ACTUAL
    if [ "$2" != "$3" ]; then pass "$1"; return 0; fi
    fail "$1" "unexpected value: $(printf '%q' "$3")"
    return 1
}

assert_contains() { # NAME HAYSTACK NEEDLE
    case "$2" in
        *"$3"*) pass "$1"; return 0 ;;
    esac
    fail "$1" "expected to contain: $3" "in:" "$2"
    return 1
}

assert_not_contains() { # NAME HAYSTACK NEEDLE
    case "$2" in
        *"$3"*) fail "$1" "expected NOT to contain: $3" "in:" "$2"; return 1 ;;
    esac
    pass "$1"
    return 0
}

assert_match() { # NAME STRING EXTENDED-REGEX
    if printf '%s' "$2" | grep -Eq -- "$3"; then pass "$1"; return 0; fi
    fail "$1" "expected to match: $3" "in:" "$2"
    return 1
}

assert_file_exists() { # NAME PATH
    if [ -e "$2" ]; then pass "$1"; return 0; fi
    fail "$1" "missing file: $2" "$(ls -la "$(dirname "$2")" 2>&1)"
    return 1
}

assert_no_file() { # NAME PATH
    if [ ! -e "$2" ]; then pass "$1"; return 0; fi
    fail "$1" "unexpected file: $2"
    return 1
}

assert_same_file() { # NAME EXPECTED ACTUAL (byte-identical)
    if cmp -s "$2" "$3"; then pass "$1"; return 0; fi
    fail "$1" "files differ: $2 $3" "$(diff "$2" "$3" 2>&1 | head -20)"
    return 1
}

assert_mode() { # NAME OCTAL PATH
    local m
    m=$(stat -c '%a' "$3" 2>&1)
    assert_eq "$1" "$2" "$m"
}

# prereq NAME REASON CMD...: if CMD fails, the prerequisite is missing: a
# failure when CI=true, else a skip. Returns CMD's success.
prereq() {
    local name=$1 reason=$2; shift 2
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ "${CI:-}" = true ]; then
        fail "prerequisite: $name" "$reason (CI=true: a missing prerequisite is a failure)"
    else
        skip "prerequisite: $name" "$reason"
    fi
    return 1
}

# require_tool TOOL...: prereq that each TOOL is on PATH.
require_tool() {
    local t ok=0
    for t in "$@"; do
        prereq "$t" "$t not found on PATH" command -v "$t" || ok=1
    done
    return $ok
}

# finish: print the summary and exit (1 if anything failed, 77 if everything
# was skipped, else 0).
finish() {
    [ "$SKIPPED" -eq 0 ] || printf '%s skipped\n' "$SKIPPED"
    printf '%s passed, %s failed\n' "$PASSED" "$FAILED"
    if [ "$FAILED" -ne 0 ]; then exit 1; fi
    if [ "$PASSED" -eq 0 ] && [ "$SKIPPED" -ne 0 ]; then exit 77; fi
    exit 0
}

# skip_all REASON: a prerequisite of the whole suite is missing.
skip_all() {
    log "$TEST_NAME: $1"
    finish
}

# ---------------------------------------------------------------------------
# Set-up common to every suite.

# require_root_and_binary: the binary under test must be given (absolute).
require_binary() {
    if [ -z "${OI_BINARY:-}" ]; then
        fail "OI_BINARY" "OI_BINARY is not set: give the absolute path of the oci-interceptor binary," \
            "e.g. OI_BINARY=\$PWD/build/oci-interceptor bash $0"
        finish
    fi
    case "$OI_BINARY" in
        /*) ;;
        *) fail "OI_BINARY" "OI_BINARY must be an absolute path, got: $OI_BINARY"; finish ;;
    esac
    if [ ! -x "$OI_BINARY" ]; then
        fail "OI_BINARY" "OI_BINARY is not an executable file: $OI_BINARY"
        finish
    fi
}

require_root() {
    if [ "$(id -u)" -ne 0 ]; then
        prereq root "these tests run as root" false || skip_all "not root"
    fi
}

# TEST_TMP: a private temporary directory, removed at exit (mounts under it
# are unmounted first).
make_test_tmp() {
    TEST_TMP=$(mktemp -d "/tmp/oi-${TEST_NAME#test_}.XXXXXX")
    chmod 755 "$TEST_TMP"
    if [ "${OI_TEST_KEEP:-0}" = 1 ]; then
        log "keeping $TEST_TMP"
    else
        on_exit "unmount_under '$TEST_TMP'; rm -rf '$TEST_TMP'"
    fi
}

# Isolate the suites from the host's /etc/oci-interceptor.conf: unless a
# suite says otherwise, the interceptor reads an empty config file.
isolate_config() {
    OI_EMPTY_CONF=$TEST_TMP/empty.conf
    : >"$OI_EMPTY_CONF"
    chmod 600 "$OI_EMPTY_CONF"
    export OCI_INTERCEPTOR_CONFIG=$OI_EMPTY_CONF
}

# common_setup: binary, root, temp dir, config isolation.
common_setup() {
    require_binary
    require_root
    make_test_tmp
    isolate_config
}

# unmount_under DIR: lazily unmount every mount point at or below DIR,
# deepest first.
unmount_under() {
    local dir=$1 m
    [ -n "$dir" ] || return 0
    awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts |
        sort -r | while read -r m; do
            umount -l "$m" 2>/dev/null || true
        done
}

# write_conf FILE LINE...: write a config file (mode 0600: the interceptor
# refuses group/world-writable config files when running as root).
write_conf() {
    local f=$1; shift
    printf '%s\n' "$@" >"$f"
    chmod 600 "$f"
}

# ---------------------------------------------------------------------------
# Root file systems and bundles

busybox_path() {
    local b
    for b in /bin/busybox /usr/bin/busybox; do
        [ -x "$b" ] && { echo "$b"; return 0; }
    done
    command -v busybox
}

# make_busybox_rootfs DIR: a minimal root file system with busybox applets.
make_busybox_rootfs() {
    local dir=$1 bb
    bb=$(busybox_path) || { log "busybox not found"; return 1; }
    mkdir -p "$dir/bin" "$dir/etc" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/tmp" "$dir/root"
    cp "$bb" "$dir/bin/busybox"
    chroot "$dir" /bin/busybox --install -s /bin
    chmod 1777 "$dir/tmp"
    echo "root:x:0:0:root:/root:/bin/sh" >"$dir/etc/passwd"
    echo "root:x:0:" >"$dir/etc/group"
}

# Rootfs shared by the bundles of one suite (built once, copied).
_ROOTFS_TEMPLATE=""

# make_bundle DIR [ARG...]: an OCI bundle (runc spec + busybox rootfs) whose
# process runs ARG... (default: sh -c 'echo hello'), terminal false.
make_bundle() {
    local dir=$1; shift
    [ $# -gt 0 ] || set -- sh -c 'echo hello'
    mkdir -p "$dir"
    if [ -z "$_ROOTFS_TEMPLATE" ]; then
        _ROOTFS_TEMPLATE=${TEST_TMP:-$(mktemp -d)}/rootfs-template
        make_busybox_rootfs "$_ROOTFS_TEMPLATE" || return 1
    fi
    cp -a "$_ROOTFS_TEMPLATE" "$dir/rootfs"
    (cd "$dir" && rm -f config.json && runc spec) || return 1
    set_bundle_args "$dir" "$@"
    json_edit "$dir/config.json" '.process.terminal = false'
}

# json_edit FILE JQ-FILTER [jq args...]: edit a JSON file in place with jq.
json_edit() {
    local f=$1 filter=$2; shift 2
    jq "$@" "$filter" "$f" >"$f.tmp.edit" && mv "$f.tmp.edit" "$f"
}

# set_bundle_args DIR ARG...: the process arguments of a bundle.
set_bundle_args() {
    local dir=$1; shift
    local args
    # (as named arguments: jq would take an argument like -c as its own
    # option, and jq 1.6 cuts raw input at NUL)
    local i=0 named=()
    for a in "$@"; do named+=(--arg "a$i" "$a"); i=$((i + 1)); done
    args=$(jq -n "${named[@]}" --argjson n "$i" '[range(0; $n) as $i | $ARGS.named["a\($i)"]]') || return 1
    json_edit "$dir/config.json" '.process.args = $a' --argjson a "$args"
}

# add_bind_mount DIR HOST-FILE DEST [OPTIONS-JSON]: add a bind mount to the
# bundle (default options ["rbind","rw"]).
add_bind_mount() {
    local dir=$1 src=$2 dst=$3 opts=${4:-'["rbind","rw"]'}
    json_edit "$dir/config.json" \
        '.mounts += [{"destination": $dst, "type": "bind", "source": $src, "options": $opts}]' \
        --arg dst "$dst" --arg src "$src" --argjson opts "$opts"
}

# ---------------------------------------------------------------------------
# journald

# start_journald_if_missing: start systemd-journald by hand when its socket is
# missing (no systemd as PID 1 here); stopped at exit if we started it.
start_journald_if_missing() {
    [ -S /run/systemd/journal/socket ] && return 0
    local jd=/lib/systemd/systemd-journald
    [ -x "$jd" ] || { log "no $jd"; return 1; }
    mkdir -p /run/systemd/journal
    "$jd" >/dev/null 2>&1 &
    local pid=$!
    on_exit "kill $pid; wait $pid; rm -f /run/systemd/journal/socket /run/systemd/journal/stdout /run/systemd/journal/dev-log"
    local i
    for i in $(seq 50); do
        [ -S /run/systemd/journal/socket ] && return 0
        sleep 0.1
    done
    log "systemd-journald did not create its socket"
    return 1
}

# ---------------------------------------------------------------------------
# Private dockerd (never the system one)

DOCKER_CLI=docker
[ -x /usr/bin/docker ] && DOCKER_CLI=/usr/bin/docker   # matches docker.io's dockerd

DOCKERD_DIR=""
DOCKER_SOCK=""
DOCKERD_PID=""

# dk ARGS...: the docker CLI against the private dockerd.
dk() { "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" "$@"; }

# start_private_dockerd DIR DAEMON_JSON: DAEMON_JSON is a file path or JSON
# text. Waits until the daemon answers; stopped and removed at exit.
start_private_dockerd() {
    local dir=$1 cfg=$2
    mkdir -p "$dir"
    if [ -f "$cfg" ]; then
        cp "$cfg" "$dir/daemon.json"
    else
        printf '%s\n' "$cfg" >"$dir/daemon.json"
    fi
    launch_dockerd "$dir" "$dir/daemon.json"
}

# launch_dockerd DIR CONFIG_FILE: a private dockerd reading CONFIG_FILE in
# place (its data, exec root, pid file, socket and log under DIR); waits until
# it answers, and stops it on exit.
launch_dockerd() {
    DOCKERD_DIR=$1
    local config_file=$2
    mkdir -p "$DOCKERD_DIR"
    DOCKER_SOCK=$DOCKERD_DIR/sock
    dockerd --config-file "$config_file" --iptables=false --ip-masq=false --bridge=none \
        --data-root "$DOCKERD_DIR/data" --exec-root "$DOCKERD_DIR/exec" --pidfile "$DOCKERD_DIR/pid" \
        -H "unix://$DOCKER_SOCK" >"$DOCKERD_DIR/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    on_exit "stop_private_dockerd"
    local i
    for i in $(seq 150); do
        if dk info >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then break; fi
        sleep 0.2
    done
    log "private dockerd did not start; its log:"
    tail -30 "$DOCKERD_DIR/dockerd.log" >&2
    return 1
}

stop_private_dockerd() {
    [ -n "$DOCKERD_PID" ] || return 0
    local ids i cpid
    ids=$(dk ps -aq 2>/dev/null)
    [ -z "$ids" ] || dk rm -f $ids >/dev/null 2>&1
    # dockerd's own containerd, to make sure it goes too
    cpid=$(cat "$DOCKERD_DIR/exec/containerd/containerd.pid" 2>/dev/null)
    kill "$DOCKERD_PID" 2>/dev/null
    for i in $(seq 100); do
        kill -0 "$DOCKERD_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$DOCKERD_PID" 2>/dev/null
    wait "$DOCKERD_PID" 2>/dev/null
    if [ -n "$cpid" ] && kill -0 "$cpid" 2>/dev/null; then
        kill "$cpid" 2>/dev/null; sleep 0.5; kill -9 "$cpid" 2>/dev/null
    fi
    # shims of containers that were left behind
    for cpid in $(pgrep -f "containerd-shim.*$DOCKERD_DIR" 2>/dev/null); do
        kill -9 "$cpid" 2>/dev/null
    done
    unmount_under "$DOCKERD_DIR"
    DOCKERD_PID=""
    [ "${OI_TEST_KEEP:-0}" = 1 ] || rm -rf "$DOCKERD_DIR"
}

# reload_private_dockerd: SIGHUP makes dockerd re-read daemon.json's runtimes.
reload_private_dockerd() {
    kill -HUP "$DOCKERD_PID"
    sleep 1
}

BUSYBOX_IMAGE=test/busybox:1

# docker_import_busybox [IMAGE]: import a busybox rootfs as an image.
docker_import_busybox() {
    local image=${1:-$BUSYBOX_IMAGE} root
    root=$(mktemp -d "${TEST_TMP:-/tmp}/bbimg.XXXXXX")
    make_busybox_rootfs "$root" || return 1
    tar -C "$root" -c . | dk import - "$image" >/dev/null
}

# ---------------------------------------------------------------------------
# containerd through ctr, against the private dockerd's containerd

CTR_NS=oi-test
CTR_IMAGE=docker.io/test/busybox:1   # the name docker save recorded

ctr_sock() { echo "$DOCKERD_DIR/exec/containerd/containerd.sock"; }

# cr ARGS...: ctr against the private dockerd's containerd, namespace $CTR_NS.
cr() { ctr -a "$(ctr_sock)" -n "$CTR_NS" "$@"; }

# ctr_import_busybox: docker save the busybox image into containerd.
ctr_import_busybox() {
    dk save "$BUSYBOX_IMAGE" -o "$DOCKERD_DIR/img.tar" || return 1
    cr image import "$DOCKERD_DIR/img.tar" >/dev/null || return 1
    on_exit "cr_cleanup"
}

# cr_cleanup: remove what the tests left in the containerd namespace.
cr_cleanup() {
    local t c
    for t in $(cr task ls -q 2>/dev/null); do cr task kill -s KILL "$t"; sleep 0.2; cr task rm -f "$t"; done
    for c in $(cr container ls -q 2>/dev/null); do cr container rm "$c"; done
}

# ctr_run ID ARGS...: ctr run --rm through the interceptor.
ctr_run() {
    local id=$1; shift
    cr run --rm --runc-binary "$OI_BINARY" "$CTR_IMAGE" "$id" "$@"
}

# ---------------------------------------------------------------------------
# podman, with private storage so nothing of the host's is touched

PODMAN_DIR=""
PODMAN_GLOBAL=()
PODMAN_IMAGE=localhost/bb:1
PODMAN_ULIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# pm ARGS...: podman with the private storage.
pm() { podman "${PODMAN_GLOBAL[@]}" "$@"; }

# podman_setup DIR: private root/runroot, busybox image imported.
podman_setup() {
    PODMAN_DIR=$1
    mkdir -p "$PODMAN_DIR"
    PODMAN_GLOBAL=(--root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/runroot"
        --tmpdir "$PODMAN_DIR/tmp" --cgroup-manager cgroupfs --events-backend file)
    on_exit "podman_cleanup"
    local root
    root=$(mktemp -d "${TEST_TMP:-/tmp}/bbimg.XXXXXX")
    make_busybox_rootfs "$root" || return 1
    tar -C "$root" -c . | pm import - "$PODMAN_IMAGE" >/dev/null
}

podman_cleanup() {
    [ -n "$PODMAN_DIR" ] || return 0
    pm rm -af >/dev/null 2>&1
    pm rmi -af >/dev/null 2>&1
    # (no "podman system reset": it would also touch host-wide network config)
    unmount_under "$PODMAN_DIR"
    rm -rf "$PODMAN_DIR"
}

# podman_dropin NAME PATH: declare runtime NAME=PATH in a containers.conf
# drop-in (removed at exit).
podman_dropin() {
    local name=$1 path=$2 d=/etc/containers/containers.conf.d
    local created_dir=0
    [ -d "$d" ] || { mkdir -p "$d"; created_dir=1; }
    printf '[engine.runtimes]\n%s = ["%s"]\n' "$name" "$path" >"$d/$name.conf"
    if [ $created_dir = 1 ]; then
        on_exit "rm -f '$d/$name.conf'; rmdir '$d'"
    else
        on_exit "rm -f '$d/$name.conf'"
    fi
}

# podman_run RUNTIME ARGS...: podman run --rm through RUNTIME (a path or a
# drop-in name) with the flags runc needs here.
podman_run() {
    local rt=$1; shift
    timeout 120 podman "${PODMAN_GLOBAL[@]}" --runtime "$rt" run --rm --network none "${PODMAN_ULIMITS[@]}" "$@"
}

# ---------------------------------------------------------------------------
# /etc files a suite must replace (e.g. /etc/oci-interceptor.conf): backed up
# and restored at exit, or removed if they did not exist.
backup_etc_file() { # PATH
    local path=$1 bak
    if [ -e "$path" ] || [ -L "$path" ]; then
        bak=$(mktemp "${path}.oi-test-backup.XXXXXX")
        cp -a "$path" "$bak"
        on_exit "rm -f '$path'; mv -f '$bak' '$path'"
    else
        on_exit "rm -f '$path'"
    fi
}
replace_etc_file() { # PATH CONTENT-FILE
    backup_etc_file "$1"
    rm -f "$1"
    cp "$2" "$1"
    chmod 600 "$1"
}
replace_etc_with_symlink() { # PATH TARGET
    backup_etc_file "$1"
    ln -sfn "$2" "$1"
}
