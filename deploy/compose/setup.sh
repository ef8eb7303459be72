#!/bin/sh
# Writes what compose.yaml mounts: nodes/v1..v4/node.key (mode 0600, owned by the image's uid 10001) and
# nodes/trust/trust.txt listing the four as validators. Refuses to overwrite existing keys.
#   PEERLINK: the launcher to run keygen with (default: node/target/peerlink of this checkout)
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
peerlink=${PEERLINK:-$here/../../node/target/peerlink}
[ -x "$peerlink" ] || { echo "setup.sh: $peerlink not found; build it: ./mvnw -B -pl node -am package -DskipTests" >&2; exit 2; }
mkdir -p "$here/nodes/trust"
trust=$here/nodes/trust/trust.txt
tmp=$trust.tmp
echo "# the four validators of deploy/compose; edits apply live in every container" > "$tmp"
for n in v1 v2 v3 v4; do
  key=$here/nodes/$n/node.key
  if [ -e "$key" ]; then
    id=$("$peerlink" id --key "$key")
  else
    id=$("$peerlink" keygen --out "$key" | head -n 1)
  fi
  echo "$id validator" >> "$tmp"
done
mv "$tmp" "$trust"   # atomic: a running network never sees a half-written file
if [ "$(id -u)" -eq 0 ]; then
  chown 10001:10001 "$here"/nodes/v*/node.key
else
  echo "setup.sh: not root, so the keys stay owned by $(id -un); the containers (uid 10001) need them:" >&2
  echo "          sudo chown 10001:10001 $here/nodes/v*/node.key  (or: podman unshare chown ...)" >&2
fi
cat "$trust"
