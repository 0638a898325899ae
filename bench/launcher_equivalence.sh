#!/usr/bin/env bash
# The launcher must behave exactly as the C++ core alone: same exit status,
# stdout, stderr, runtime argv and config.json, for every config file and
# command line below (fast path, delegation and errors alike).
#   launcher_equivalence.sh LAUNCHER MONOLITHIC
set -u
LAUNCHER=$1
MONO=$2
TMP=$(mktemp -d /tmp/oi-equiv.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAKE=$TMP/fake-runtime
printf '#!/bin/sh\nprintf "%%s\\n" "$0" "$@" >"$REC"\n' >"$FAKE"
chmod 755 "$FAKE"
printf '{"ociVersion":"1.0.2","process":{"env":["A=1"],"args":["sh"]},"mounts":[{"destination":"/etc/hosts","type":"bind","source":"/h","options":["rw"]}]}' >"$TMP/config.json"

CONFIGS=(
  ""
  "runtime-path = $FAKE"
  "runtime-path = $FAKE|readonly-networking-mounts = yes|env = HTTP_PROXY=x|env-force = NO_PROXY=y"
  "runtime-path = $FAKE|readonly-networking-mounts = false|write-debug-output = off|log-target = file|on-error = passthrough"
  "runtime-path = $FAKE|readonly-networking-mounts = maybe"
  "runtime-path = $FAKE|no-such-key = 1"
  "runtime-path = $FAKE|drop-capability = net_raw|mask-path = /proc/x|pids-limit = 100|hook = prestart:/bin/true:a|bind-mount = /a:/b:ro|env-unset = X|readonly-path = /sys/y|readonly-mount = /etc/z|no-new-privileges = 1"
  "runtime-path = $FAKE|mask-path = /proc/../x"
  "runtime-path = $FAKE|mask-path = /"
  "runtime-path = $FAKE|drop-capability = CAP_NOPE"
  "runtime-path = $FAKE|pids-limit = 0"
  "runtime-path = $FAKE|pids-limit = 99999999999999999999"
  "runtime-path = $FAKE|hook = poststart:/x::a"
  "runtime-path = $FAKE|hook = PostStart:/x:a"
  "runtime-path = $FAKE|bind-mount = /a:/b:rx"
  "runtime-path = $FAKE|env = =x"
  "runtime-path = $FAKE|env-unset = A=B"
  "runtime-path = $FAKE|exec-env = true|env = A=2"
  "runtime-path = $FAKE|exec-env = true"
  "runtime-path = $FAKE|just words"
  "runtime-path = $FAKE|  # comment|| = x"
  "runtime-path = /nonexistent/runc"
  "runtime-path = no-such-runtime-anywhere"
  "runtime-path = SELF"
  "runtime-path = $FAKE|debug-output-dir ="
  "MODE666|runtime-path = $FAKE"
)
ARGS=(
  "state id"
  "--root /r --log $TMP/log.json --log-format json state id"
  "create --bundle BUNDLE id"
  "--oi-env FOO=bar create --bundle BUNDLE id"
  "--oi-readonly-networking-mounts=false create --bundle BUNDLE id"
  "--oi-bogus state id"
  "--oi-runtime-path=$FAKE --log $TMP/log.txt state id"
  "exec --process BUNDLE/config.json id"
  "--oi-config /nonexistent state id"
  "--oi-config= state id"
  "--oi-readonly-networking-mounts false create --bundle BUNDLE id"
  "--platform ptrace --oi-env Z=1 create --bundle BUNDLE id"
  "--platform ptrace state id"
  "--rootless create --bundle BUNDLE id"
  "--rootless auto --oi-env A=1 create --bundle BUNDLE id"
  "--root /r -- state id"
  "--oi-exec-env TRUE --oi-env A=1 exec --process BUNDLE/config.json id"
  "--oi-check-config"
  "--root --oi-env=X state id"
  "--oi-no-new-privileges --oi-bind-mount /a:/b state id"
  "--oi-exec-env=TRUE --oi-pids-limit 0 create --bundle BUNDLE id"
  "--oi-drop-capability CAP_NET_RAW --oi-mask-path /proc/kcore create --bundle BUNDLE id"
)

run() { # BINARY CONF ARGS -> $TMP/out.BINNAME.{rc,out,err,argv,config,log}
  local bin=$1 conf=$2 args=$3 tag=$4 dir=$TMP/$4
  rm -rf "$dir" "$TMP/log.json" "$TMP/log.txt"
  mkdir -p "$dir/bundle"
  cp "$TMP/config.json" "$dir/bundle/config.json"
  local text=${conf//SELF/$bin}
  local mode=600
  [[ $text == MODE666* ]] && { mode=666; text=${text#MODE666|}; }
  printf '%s\n' "${text//|/$'\n'}" >"$dir/conf"
  chmod $mode "$dir/conf"
  # shellcheck disable=SC2086
  set -- ${args//BUNDLE/$dir/bundle}
  REC=$dir/argv OCI_INTERCEPTOR_CONFIG=$dir/conf "$bin" "$@" >"$dir/out" 2>"$dir/err" </dev/null
  echo $? >"$dir/rc"
  cat "$TMP/log.json" "$TMP/log.txt" 2>/dev/null | sed 's/"time":"[^"]*"//; s/time="[^"]*"//' >"$dir/log"
  sed -i "s|$dir|DIR|g; s|$bin|BIN|g" "$dir/out" "$dir/err" "$dir/argv" "$dir/log" 2>/dev/null
  # A real runtime (runc by default) stamps its own messages: two runs a
  # second apart must still compare equal.
  sed -i 's/time="[^"]*"/time=T/g; s/"time":"[^"]*"/"time":T/g' "$dir/err" 2>/dev/null
}

failed=0 total=0
for conf in "${CONFIGS[@]}"; do
  for args in "${ARGS[@]}"; do
    total=$((total + 1))
    run "$LAUNCHER" "$conf" "$args" a
    run "$MONO" "$conf" "$args" b
    for f in rc out err argv log bundle/config.json; do
      if ! cmp -s "$TMP/a/$f" "$TMP/b/$f" 2>/dev/null && [ -e "$TMP/a/$f" -o -e "$TMP/b/$f" ]; then
        failed=$((failed + 1))
        echo "DIFFERS ($f): config [$conf] args [$args]"
        diff "$TMP/a/$f" "$TMP/b/$f" | head -5 | sed 's/^/    /'
        break
      fi
    done
  done
done
echo "$((total - failed)) of $total cases behave identically"
[ "$failed" -eq 0 ]
