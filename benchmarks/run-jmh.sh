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

record=benchmarks/target/jmh-command.txt
quoted() { printf '%q ' "$@" | sed 's/ $//'; }

"${build[@]}"
{
  quoted "${build[@]}"; echo
  quoted "${run[@]}"; echo
  echo "# load average before the run: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
} > "$record"
"${run[@]}"
echo "# load average after the run:  $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >> "$record"
