#!/usr/bin/env bash
# Benchmark (not a test): a release build of the agent with the mock runtime at zero latency.
# Prints, for 100, 1,000 and 5,000 pods of 2 containers: time to start them all, manifest edit ->
# new container running (p50, p99 over 200 edits), CPU seconds per in-place upgrade, peak RSS.
# Then one pod of WIDE (default 300) containers, and the status socket and reporter figures of
# scripts/bench-status.sh.
# Usage: scripts/bench.sh [POD-COUNTS [EDITS]]   e.g. scripts/bench.sh 100,1000 50
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/release-flags.sh
swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --product inplaced-bench >/dev/null
BIN=$(swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --show-bin-path)
# The malloc arenas of systemd/inplaced.service (Environment=MALLOC_ARENA_MAX=2), so the peak RSS is
# the installed daemon's; set MALLOC_ARENA_MAX to see another value.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# Each size runs in its own process so peak RSS is that size's.
IFS=',' read -ra COUNTS <<< "${1:-100,1000,5000}"
EDITS=${2:-200}
first=1
for n in "${COUNTS[@]}"; do
  if [ $first = 1 ]; then "$BIN/inplaced-bench" "$n" "$EDITS"; first=0
  else "$BIN/inplaced-bench" "$n" "$EDITS" | tail -n 1; fi
done
# One pod of many containers: the time from its manifest to all of them running.
"$BIN/inplaced-bench" wide "${WIDE:-300}"
# The status socket (GET of one pod, the list of 1,000) and the reporter's drain of 1,000 queued
# statuses after a controller outage: scripts/bench-status.sh, one run of each.
scripts/bench-status.sh --runs 1
