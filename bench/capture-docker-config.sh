#!/usr/bin/env bash
# Captures the config.json that Docker generates for `docker run --rm
# --network none IMAGE true`, into bench/data/docker-config.json, with a
# private dockerd (needs root, dockerd, runc, busybox). Run it again when the
# engine changes; the benchmark uses the checked-in copy.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../tests/integration/lib.sh"
make_test_tmp
CAPTURE=$TEST_TMP/capture.sh
cat >"$CAPTURE" <<EOS
#!/bin/sh
# A runtime that copies the bundle's config.json, then runs runc.
prev=
for a in "\$@"; do
  [ "\$prev" = --bundle ] && cp "\$a/config.json" "$TEST_TMP/config.json"
  prev=\$a
done
exec runc "\$@"
EOS
chmod 755 "$CAPTURE"
start_private_dockerd "$TEST_TMP/docker" "{\"runtimes\":{\"capture\":{\"path\":\"$CAPTURE\"}}}"
docker_import_busybox
dk run --rm --network none --runtime capture "$BUSYBOX_IMAGE" true
cp "$TEST_TMP/config.json" "$HERE/data/docker-config.json"
echo "wrote $HERE/data/docker-config.json ($(wc -c <"$TEST_TMP/config.json") bytes as Docker wrote it)"
