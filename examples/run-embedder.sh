#!/usr/bin/env bash
# Builds examples/embedder (an application outside peerlink's reactor, no parent) against freshly installed peerlink
# artifacts, as a user's own build would see them, on JDK 17 and on JDK 25.
#   examples/run-embedder.sh            # install into a throwaway local repository, then build the example
# The throwaway repository holds only what peerlink installs; everything else is read from ~/.m2 (Maven 3.9's
# maven.repo.local.tail), so the example resolves io.peerlink:* exactly as installed and third-party jars as usual.
set -euo pipefail
cd "$(dirname "$0")/.."

repo=$(mktemp -d "${TMPDIR:-/tmp}/peerlink-repo.XXXXXX")
trap 'rm -rf "$repo"' EXIT
tail_repo="${MAVEN_REPO_TAIL:-$HOME/.m2/repository}"
repo_flags=(-Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="$tail_repo")

echo "== install peerlink into $repo"
./mvnw -B -q install -DskipTests "${repo_flags[@]}"

jdks=("${JAVA_HOME:-}")
# the second JDK: JDK25_HOME, or the Temurin 25 this machine image carries
jdk25="${JDK25_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)}"
if [[ -n "$jdk25" && -x "$jdk25/bin/java" ]]; then
    jdks+=("$jdk25")
else
    echo "!! no JDK 25 found (set JDK25_HOME): the example runs on the default JDK only" >&2
    [[ "${CI:-}" == "true" ]] && exit 1
fi

for jdk in "${jdks[@]}"; do
    if [[ -n "$jdk" ]]; then export JAVA_HOME="$jdk"; else unset JAVA_HOME; fi
    echo "== examples/embedder on $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1)"
    ./mvnw -B -q -f examples/embedder/pom.xml clean verify "${repo_flags[@]}"
done
echo "== examples/embedder: ok"
