#!/bin/sh
# End-to-end check of the container image as an operator would run it: builds the image with Jib (on a local base,
# deploy/image/local-base.sh, so no registry is needed), loads it into podman and starts deploy/compose's
# 4-validator network with podman-compose, then asks every node's admin /peers until each one is linked to the
# three others, restarts one container and waits for the mesh to be whole again. Run by .ci/run.
#
#   deploy/image/test-image.sh            # needs root, podman, podman-compose, runc, busybox-static
#   deploy/image/test-image.sh --install  # installs those Debian packages first (apt-get); skips, saying so, if
#                                         # they cannot be installed (no package source reachable)
# Exit: 0 mesh formed (or skipped with --install), 1 the image or the network failed, 2 usage/prerequisites.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(CDPATH= cd -- "$here/../.." && pwd)
compose=$repo/deploy/compose
export CONTAINERS_CONF=$here/sandbox-containers.conf
project=peerlink-image-test
deadline_s=${PEERLINK_IMAGE_TEST_TIMEOUT:-90}

say() { echo "test-image: $*"; }
need="podman podman-compose runc busybox"
missing() { for c in $need; do command -v "$c" >/dev/null 2>&1 || { echo "$c"; return; }; done; }

if [ "${1:-}" = "--install" ]; then
  if [ -n "$(missing)" ]; then
    say "installing podman podman-compose runc busybox-static"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman podman-compose runc busybox-static; } >/tmp/peerlink-image-apt.log 2>&1; then
      say "SKIPPED: could not install podman (see /tmp/peerlink-image-apt.log)"
      exit 0
    fi
  fi
elif [ -n "${1:-}" ]; then
  echo "usage: $0 [--install]" >&2; exit 2
fi
[ -z "$(missing)" ] || { say "missing: $(missing) (run with --install)"; exit 2; }
[ "$(id -u)" -eq 0 ] || { say "must run as root (rootful podman)"; exit 2; }

base=$here/target/peerlink-local-base.tar
"$here/local-base.sh" "$base"
say "building the image with Jib on tar://$base"
(cd "$repo" && ./mvnw -B -q -pl node -am package -Pimage -DskipTests -Dmaven.javadoc.skip=true \
  -Dpeerlink.image.base="tar://$base" -Dpeerlink.image.name=localhost/peerlink:test)
podman load -q -i "$repo/node/target/jib-image.tar" >/dev/null
image=localhost/peerlink:test

# what the operator would inspect: entrypoint, user, ports
# (printed with echo: 'tee /dev/stderr' would reopen a log file that stderr points to and truncate it)
config=$(podman image inspect "$image" --format '{{json .Config.Entrypoint}} {{json .Config.Cmd}} user={{.Config.User}}')
say "image config: $config"
case "$config" in
  *'"/opt/peerlink/peerlink"'*) ;;
  *) say "FAIL: unexpected entrypoint"; exit 1 ;;
esac

# a fresh copy of deploy/compose, so the checkout's keys and trust file are not touched
work=$(mktemp -d "${TMPDIR:-/tmp}/peerlink-image-test.XXXXXX")
cp "$compose/compose.yaml" "$compose/node.toml" "$compose/setup.sh" "$work/"
PEERLINK="$repo/node/target/peerlink" sh "$work/setup.sh" >/dev/null
pc() { (cd "$work" && PEERLINK_IMAGE=$image podman-compose -p "$project" -f compose.yaml "$@"); }
cleanup() {
  status=$?
  if [ $status -ne 0 ]; then
    for n in v1 v2 v3 v4; do say "--- last log lines of $n"; podman logs --tail 15 "${project}_${n}_1" 2>&1 || true; done
  fi
  pc down -t 5 >/dev/null 2>&1 || true
  rm -rf --one-file-system "$work"
  exit $status
}
trap cleanup EXIT
pc up -d >/dev/null 2>&1

peers_of() { curl -fsS --max-time 2 "http://127.0.0.1:910$1/peers" 2>/dev/null | grep -o '"id"' | wc -l; }
wait_mesh() {
  what=$1; start=$(date +%s)
  while :; do
    whole=yes
    for i in 1 2 3 4; do [ "$(peers_of $i)" -ge 3 ] || whole=no; done
    [ $whole = yes ] && { say "$what: every validator linked to the 3 others after $(( $(date +%s) - start )) s"; return 0; }
    [ $(( $(date +%s) - start )) -lt "$deadline_s" ] || { say "FAIL: $what: mesh not whole within ${deadline_s} s"; return 1; }
    sleep 1
  done
}
wait_mesh "start"
# the image must carry what the native libraries need: BoringSSL for TLS, not the 10x costlier JDK fallback
for i in 1 2 3 4; do
  health=$(curl -fsS --max-time 2 "http://127.0.0.1:910$i/health")
  echo "$health" | grep -q '"tls":"boringssl"' || { say "FAIL: v$i does not use BoringSSL: $health"; exit 1; }
done
say "every validator links over BoringSSL TLS 1.3"
podman kill -s KILL "${project}_v3_1" >/dev/null
podman start "${project}_v3_1" >/dev/null
wait_mesh "after kill -9 and restart of v3"
say "ok"
