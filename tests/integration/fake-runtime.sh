#!/usr/bin/env bash
# A fake OCI runtime for the interceptor's integration tests.
#
# It records how it was called into the directory named by $FAKE_RUNTIME_RECORD
# (the interceptor execv()s it, so the environment comes through):
#   argv      one line per call: the arguments, space separated
#   argv.q    one line per call: the arguments, shell-quoted (printf %q)
#   argv0     one line per call: $0, the path it was executed by (for a script
#             the kernel replaces argv[0] with the interpreter; $0 is the path
#             the caller passed to execv)
#   pid       one line per call: its PID (== the interceptor's PID after execv)
#   cwd       one line per call: its working directory
#   env.N     the environment of call N (NUL-free, one VAR=VALUE a line)
#   config.N.json / config.json
#             for create/run/restore: a copy of BUNDLE/config.json, BUNDLE
#             from -b/--bundle/-bundle (all spellings) or the cwd
#   stdin.N   when FAKE_RUNTIME_READ_STDIN=1: what it read from stdin
# It prints nothing to stdout, then:
#   FAKE_RUNTIME_SLEEP=S    sleeps S seconds first (for signal tests)
#   FAKE_RUNTIME_SIGNAL=SIG dies by signal SIG
#   FAKE_RUNTIME_EXIT=N     exits N (default 0)
rec=${FAKE_RUNTIME_RECORD:-}
if [ -z "$rec" ]; then
    echo "fake-runtime: FAKE_RUNTIME_RECORD is not set" >&2
    exit 99
fi
mkdir -p "$rec"

n=$(( $(cat "$rec/argv" 2>/dev/null | wc -l) + 1 ))
printf '%s\n' "$*" >>"$rec/argv"
q=""
for a in "$@"; do q+="$(printf '%q' "$a") "; done
printf '%s\n' "${q% }" >>"$rec/argv.q"
printf '%s\n' "$0" >>"$rec/argv0"
printf '%s\n' "$$" >>"$rec/pid"
printf '%s\n' "$PWD" >>"$rec/cwd"
env >"$rec/env.$n"

# Find the command (first argument that is not a global option or its value)
# and the bundle.
cmd=""
bundle=""
args=("$@")
i=0
while [ $i -lt ${#args[@]} ]; do
    a=${args[$i]}
    if [ -z "$cmd" ]; then
        case "$a" in
            --root|--log|--log-format|--log-level|--criu|--rootless|--cgroup-manager)
                i=$((i + 2)); continue ;;
            -*) ;;
            *) cmd=$a ;;
        esac
    else
        case "$a" in
            -b|--bundle|-bundle) bundle=${args[$((i + 1))]:-}; i=$((i + 2)); continue ;;
            -b=*|--bundle=*|-bundle=*) bundle=${a#*=} ;;
        esac
    fi
    i=$((i + 1))
done

case "$cmd" in
    create|run|restore)
        [ -n "$bundle" ] || bundle=$PWD
        if [ -f "$bundle/config.json" ]; then
            cp "$bundle/config.json" "$rec/config.$n.json"
            cp "$bundle/config.json" "$rec/config.json"
        fi
        ;;
esac

if [ "${FAKE_RUNTIME_READ_STDIN:-0}" = 1 ]; then
    cat >"$rec/stdin.$n"
fi
if [ -n "${FAKE_RUNTIME_SLEEP:-}" ]; then
    sleep "$FAKE_RUNTIME_SLEEP" &
    echo $! >"$rec/sleep.pid"   # so a test that kills us can end it too
    wait $!
fi
if [ -n "${FAKE_RUNTIME_SIGNAL:-}" ]; then
    trap - "$FAKE_RUNTIME_SIGNAL"
    kill -s "$FAKE_RUNTIME_SIGNAL" $$
fi
exit "${FAKE_RUNTIME_EXIT:-0}"
