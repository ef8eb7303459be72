#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar if needed and runs the load generator; arguments go to LoadGen.
#
#   benchmarks/run-load.sh all                      # every scenario, full counts (~6 min)
#   benchmarks/run-load.sh handshakes --duration 10 # one scenario
#   benchmarks/run-load.sh --smoke                  # everything, tiny counts (< 60 s)
#   ANCHORS=1 benchmarks/run-load.sh all            # then the peer anchors (socket.io, js-libp2p), same counts
#   ANCHORS=only benchmarks/run-load.sh             # only the anchors
#   ANCHORS=socketio / ANCHORS=js-libp2p            # one anchor (js-libp2p phases bounded by ANCHOR_TIMEOUT, 600 s)
#   ANCHORS=only-js-libp2p benchmarks/run-load.sh   # that anchor alone, no load generator run
#
# Results: benchmarks/target/load-result.json (+ benchmarks/target/anchors/*.json);
# the commands are appended to benchmarks/target/load-command.txt (delete it to start a fresh record).
# Then: java -cp benchmarks/target/benchmarks.jar io.peerlink.benchmarks.report.LoadReport  (updates docs/benchmarks.md)
set -euo pipefail

cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
build=(./mvnw -o -q -B -pl benchmarks -am package -DskipTests)
run=(java -Dio.netty.leakDetection.level=disabled -Xmx2g -cp "$jar" io.peerlink.benchmarks.load.LoadGen "$@")
record=benchmarks/target/load-command.txt
quoted() { printf '%q ' "$@" | sed 's/ $//'; }
anchors_src=${ANCHORS_SRC:-$(cd .. && pwd)/shared/anchors}
# anchors: one run each (RUNS=1) with the load generator's counts: 64 in flight, 2 s warm-up + 10 s window,
# 10,000 round trips; memory at N=2000 (libp2p) and N=5000 (socket.io, 5 processes)
anchor_env=(RUNS=1 CONC=64 WARMUP_MS=2000 DURATION_MS=10000 LAT_ITERS=10000)

if [[ ! -f "$jar" || -n "$(find benchmarks/src core/src protocol/src transport/src proto/src -newer "$jar" -type f | head -1)" ]]; then
  "${build[@]}"
fi
mkdir -p benchmarks/target/anchors
if [[ "${ANCHORS:-}" != only* ]]; then
  {
    quoted "${build[@]}"; echo
    quoted "${run[@]}"; echo
    echo "# load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  } >> "$record"
  "${run[@]}"
  echo "# load average after the run:  $(cut -d' ' -f1-3 /proc/loadavg)" >> "$record"
fi

run_anchor() { # name, extra env...
  local name=$1; shift
  local tmp; tmp=$(mktemp -d /tmp/peerlink-anchor-XXXXXX)
  cp -r "$anchors_src/$name" "$tmp/"
  (cd "$tmp/$name" && npm ci --no-audit --no-fund --loglevel=error >/dev/null && env "${anchor_env[@]}" "$@" node bench.mjs)
  cp "$tmp/$name"/results/*.json benchmarks/target/anchors/
  echo "cd <copy of $anchors_src/$name> && npm ci && $(quoted env "${anchor_env[@]}" "$@" node bench.mjs)" >> "$record"
  rm -rf "$tmp"
}
# ANCHORS: 1 (both), socketio, js-libp2p; prefixed with only- (or just "only") to skip the load generator run
which_anchors=${ANCHORS:-}
which_anchors=${which_anchors#only-}
[[ "$which_anchors" == only ]] && which_anchors=1
if [[ -n "$which_anchors" ]]; then
  ulimit -n 20000 2>/dev/null || true
  if [[ "$which_anchors" != js-libp2p ]]; then
    run_anchor socketio ONLY=handshake,latency,throughput
    run_anchor socketio LABEL=socketio-N5000 MEM_N=5000 MEM_PROCS=5 ONLY=memory
  fi
  if [[ "$which_anchors" != socketio ]]; then
    # each phase bounded: the memory phase can stall on dial timeouts on this machine
    for phase in "ONLY=handshake,latency,throughput" "MEM_N=2000 ONLY=memory"; do
      # shellcheck disable=SC2086
      timeout "${ANCHOR_TIMEOUT:-600}" bash -c "$(declare -f run_anchor quoted); anchors_src='$anchors_src' \
        record='$record'; anchor_env=(${anchor_env[*]}); run_anchor js-libp2p $phase" \
        || { echo "js-libp2p anchor ($phase) did not finish" >&2; pkill -f 'node (bench|listener|dialer)[.]mjs' || true; }
    done
  fi
fi
