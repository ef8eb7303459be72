#!/bin/sh
# Builds the container base image for peerlink from Debian packages alone (no container registry needed):
# a minimal Debian bookworm root file system with a headless OpenJDK 17 JRE, written as a docker-save style
# tarball that Jib takes as its base image:
#
#   deploy/image/build-base.sh                  # writes deploy/image/target/peerlink-base.tar (needs root)
#   ./mvnw -B -pl node -am package -Pimage -DskipTests \
#       -Dpeerlink.image.base=tar://$PWD/deploy/image/target/peerlink-base.tar
#
# OPTIONAL and MANUAL: no build or test runs it. With a registry at hand, skip it: the default base is
# eclipse-temurin:17-jre. It takes minutes, runs debootstrap and chroot as root and changes nothing outside its
# temporary directory (and the output file); run it on a build machine, not on one that matters, and never from a
# directory under a bind mount. Needs: root, debootstrap (apt-get install debootstrap), a Debian mirror
# (DEBIAN_MIRROR).
# The layer is written with sorted names, numeric owners and one fixed mtime (SOURCE_DATE_EPOCH), so the same
# packages give the same image id.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
out=${1:-$here/target/peerlink-base.tar}
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
epoch=${SOURCE_DATE_EPOCH:-1700000000}

if [ "$(id -u)" -ne 0 ]; then
  echo "build-base.sh: must run as root (debootstrap needs it)" >&2
  exit 2
fi
command -v debootstrap >/dev/null || { echo "build-base.sh: debootstrap missing (apt-get install debootstrap)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/peerlink-base.XXXXXX")
# debootstrap can leave /proc, /sys or a bind mount of the host's /dev inside the new root file system; deleting
# through such a mount deletes the host's files. So: unmount everything below $work, deepest first, delete only
# on $work's own file system, and keep $work (saying so) if anything is still mounted there.
mounts_below() { awk -v w="$work/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r; }
cleanup() {
  for m in $(mounts_below); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  if [ -n "$(mounts_below)" ]; then
    echo "build-base.sh: still mounted below $work, left in place: $(mounts_below | tr '\n' ' ')" >&2
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT
rootfs=$work/rootfs

echo "build-base.sh: debootstrap $suite (minbase + openjdk-17-jre-headless) from $mirror"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates "$suite" "$rootfs" "$mirror" \
  > "$work/debootstrap.log" 2>&1 || { tail -30 "$work/debootstrap.log" >&2; exit 1; }

# slimmer: no apt lists, caches, docs or man pages in the image
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/* \
  "$rootfs"/tmp/* "$rootfs"/root/.cache
# the user the image runs as (uid/gid 10001, no login, no home directory content)
chroot "$rootfs" groupadd --system --gid 10001 peerlink
chroot "$rootfs" useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/peerlink --create-home \
  --shell /usr/sbin/nologin peerlink
java_home=$(dirname "$(dirname "$(readlink -f "$rootfs/usr/bin/java" | sed "s|^$rootfs||")")")
case $java_home in /usr/lib/jvm/*) ;; *) echo "build-base.sh: unexpected java at $java_home" >&2; exit 1 ;; esac

mkdir -p "$work/image"
tar --create --file "$work/image/layer.tar" --directory "$rootfs" --sort=name --numeric-owner \
  --mtime="@$epoch" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* .
diff_id=$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
cat > "$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],
   "User":"10001:10001","WorkingDir":"/var/lib/peerlink"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"$created","created_by":"deploy/image/build-base.sh: debootstrap $suite minbase + openjdk-17-jre-headless"}]}
JSON
config_id=$(sha256sum "$work/image/config.json" | cut -d' ' -f1)
mv "$work/image/config.json" "$work/image/$config_id.json"
mkdir -p "$work/image/$diff_id"
mv "$work/image/layer.tar" "$work/image/$diff_id/layer.tar"
printf '[{"Config":"%s.json","RepoTags":["peerlink-base:17"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_id" "$diff_id" > "$work/image/manifest.json"
mkdir -p "$(dirname "$out")"
# member names without a leading ./ (Jib refuses a base image tarball with a ./ entry)
tar --create --file "$out" --directory "$work/image" --sort=name --numeric-owner --mtime="@$epoch" \
  --owner=0 --group=0 manifest.json "$config_id.json" "$diff_id"
echo "build-base.sh: wrote $out (image id sha256:$config_id, java $java_home)"
