#!/bin/sh
# Builds a small container base image for peerlink from what this machine already has, without a registry,
# debootstrap, mount or chroot: a jlink'ed Java 17 runtime, busybox (static) for the launcher's /bin/sh, and the
# shared libraries the runtime links against, copied from the host. Written as a docker-archive tarball that Jib
# takes as its base image (tar://...). Used by deploy/image/test-image.sh; fine for tests and air-gapped labs, while
# production images should keep the default registry base (eclipse-temurin:17-jre).
#
#   deploy/image/local-base.sh [OUT.tar]        # default: deploy/image/target/peerlink-local-base.tar
#
# Needs: podman (to import and save the image), busybox-static, a JDK 17 with jlink (JAVA_HOME or the default java).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
out=${1:-$here/target/peerlink-local-base.tar}
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
busybox=$(command -v busybox || true)

fail() { echo "local-base.sh: $*" >&2; exit 2; }
[ -x "$jdk/bin/jlink" ] || fail "no jlink in $jdk (set JAVA_HOME to a JDK 17)"
[ -n "$busybox" ] || fail "busybox missing (apt-get install busybox-static)"
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || ldd "$busybox" 2>&1 | grep -q 'not a dynamic' \
  || fail "$busybox is not static (apt-get install busybox-static)"
command -v podman >/dev/null || fail "podman missing (apt-get install podman)"

work=$(mktemp -d "${TMPDIR:-/tmp}/peerlink-local-base.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT
root=$work/root
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/var/lib/peerlink" "$root/etc/peerlink" "$root/opt"
chmod 1777 "$root/tmp"

# the runtime: the modules peerlink's jars use (jdeps --print-module-deps over node/target/lib) plus TLS/EC
"$jdk/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --output "$root/opt/java"

# shared libraries of the runtime (glibc and friends), at the paths the dynamic loader looks for them
find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) | while read -r f; do
  ldd "$f" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'
done | sort -u | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# and what JNI libraries such as netty-tcnative (BoringSSL) and Netty's epoll/io_uring link against beyond the JVM's
# own needs: without librt the node silently falls back to the JDK's TLS and NIO (what distroless/cc also carries)
for name in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libgcc_s.so.1; do
  lib=$(ldconfig -p | awk -v n="$name" '$1 == n && /x86-64/ { print $NF; exit }')
  [ -n "$lib" ] || fail "$name not found by ldconfig"
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# the loader is also looked up through /lib64 on x86_64
if [ -e /lib64/ld-linux-x86-64.so.2 ]; then
  mkdir -p "$root/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi

cp "$busybox" "$root/bin/busybox"
for tool in sh dirname readlink cat ls env sleep; do ln -s busybox "$root/bin/$tool"; done
ln -s /opt/java/bin/java "$root/bin/java"
printf 'root:x:0:0:root:/root:/bin/sh\npeerlink:x:10001:10001:peerlink:/var/lib/peerlink:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\npeerlink:x:10001:\n' >"$root/etc/group"
chown 10001:10001 "$root/var/lib/peerlink"

name=localhost/peerlink-local-base:17
tar -C "$root" --numeric-owner -c . | podman import -q --change 'ENV PATH=/opt/java/bin:/bin' --change 'ENV JAVA_HOME=/opt/java' - "$name" >/dev/null
mkdir -p "$(dirname "$out")"
rm -f "$out"
podman save -q --format docker-archive -o "$out" "$name"
echo "local-base.sh: wrote $out ($(du -h "$out" | cut -f1))"
