#!/usr/bin/env bash
# CI smoke run of the load generator: builds benchmarks/target/benchmarks.jar if it is missing or older than the
# sources, then runs every scenario with tiny counts (well under 60 s). Exits non-zero if the build or any scenario
# fails. Figures of a smoke run say nothing about speed; the JSON goes to benchmarks/target/load-smoke.json.
set -euo pipefail

cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [[ ! -f "$jar" || -n "$(find benchmarks/src core/src protocol/src transport/src proto/src -newer "$jar" -type f | head -1)" ]]; then
  ./mvnw -q -B -pl benchmarks -am package -DskipTests
fi
exec timeout 150 java -Dio.netty.leakDetection.level=disabled -Xmx1g -cp "$jar" io.peerlink.benchmarks.load.LoadGen --smoke "$@"
