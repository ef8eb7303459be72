#!/bin/sh
# Prints (to stdout, for kubectl apply -f -) the Secret peerlink-keys with one key per pod (peerlink-0.key ...)
# and the ConfigMap peerlink-trust listing them all as validators. Keys are generated in a temporary directory
# that is removed afterwards; keep the printed manifest safe, it holds private keys.
#   deploy/k8s/secrets.sh [REPLICAS] | kubectl apply -f -
#   PEERLINK: the launcher to run keygen with (default: node/target/peerlink of this checkout)
set -eu
n=${1:-4}
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
peerlink=${PEERLINK:-$here/../../node/target/peerlink}
[ -x "$peerlink" ] || { echo "secrets.sh: $peerlink not found; build it: ./mvnw -B -pl node -am package -DskipTests" >&2; exit 2; }
case $n in ''|*[!0-9]*) echo "secrets.sh: replicas '$n' (expected: a number)" >&2; exit 2 ;; esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
trust=""
echo "apiVersion: v1"
echo "kind: Secret"
echo "metadata:"
echo "  name: peerlink-keys"
echo "type: Opaque"
echo "data:"
i=0
while [ "$i" -lt "$n" ]; do
  id=$("$peerlink" keygen --out "$dir/peerlink-$i.key" | head -n 1)
  echo "  peerlink-$i.key: $(base64 -w0 < "$dir/peerlink-$i.key")"
  trust="$trust    $id validator
"
  i=$((i + 1))
done
echo "---"
echo "apiVersion: v1"
echo "kind: ConfigMap"
echo "metadata:"
echo "  name: peerlink-trust"
echo "data:"
echo "  trust.txt: |"
echo "    # peerlink validators; edit with kubectl edit configmap peerlink-trust (applies live)"
printf '%s' "$trust"
