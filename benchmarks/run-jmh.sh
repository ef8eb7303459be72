#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs JMH with JSON output; extra arguments go to JMH.
#
#   benchmarks/run-jmh.sh                                   # all benchmarks, the defaults of AbstractBenchmark
#   benchmarks/run-jmh.sh -f 1 -wi 1 -i 2 -w 1s -r 1s       # a quick look
#   benchmarks/run-jmh.sh EnvelopeCodecBenchmark -p kind=PING
#
# Results: benchmarks/target/jmh-result.json; the command line: benchmarks/target/jmh-command.txt.
# Then: java -cp benchmarks/target/benchmarks.jar io.peerlink.benchmarks.report.JmhReport  (updates docs/benchmarks.md)
set -euo pipefail

cd "$(dirname "$0")/.."
build=(./mvnw -q -B -pl benchmarks -am package -DskipTests)
run=(java -jar benchmarks/target/benchmarks.jar -rf json -rff benchmarks/target/jmh-result.json "$@")

"${build[@]}"
printf '%q ' "${build[@]}" | sed 's/ $//' > benchmarks/target/jmh-command.txt
printf '\n' >> benchmarks/target/jmh-command.txt
printf '%q ' "${run[@]}" | sed 's/ $//' >> benchmarks/target/jmh-command.txt
printf '\n' >> benchmarks/target/jmh-command.txt
"${run[@]}"
