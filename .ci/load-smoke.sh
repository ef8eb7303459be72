#!/usr/bin/env bash
# Fragment for .ci/run: the load generator's smoke run (every scenario, tiny counts, < 60 s), so it cannot rot.
#   bash .ci/load-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== load generator smoke run"
benchmarks/smoke.sh
