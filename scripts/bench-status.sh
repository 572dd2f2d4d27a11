#!/usr/bin/env bash
# Benchmark (not a test): the status socket and the reporter, in a release build, against the goals
# of issue 12 item 5. The real agent (mock runtime, SQLite store) with 1,000 pods of 2 containers
# serves its status socket; it prints, with the median of 3 runs and each run:
#   - GET of one pod over the unix socket with 8, 32 and 64 keep-alive connections: requests per
#     second and p50 / p99 latency (goal >= 10,000 req/s), beside the same client against a fixed
#     body served by Hummingbird alone and by bare NIO (what the client itself can do);
#   - the list of all pods, sequential on one connection: p50 / p99 (goal p99 <= 20 ms);
#   - the time for the 1,000 statuses queued while a loopback controller answered 503 to reach it
#     once it answers 200 (goal <= 1 s), with and without the heartbeat's "controller is back" signal.
# Usage: scripts/bench-status.sh [inplaced-bench-status options]
#   e.g. scripts/bench-status.sh --connections 8,64 --seconds 3 --runs 5 --only get,list
set -euo pipefail
cd "$(dirname "$0")/.."
# .build-rel is shared with other release builds; SwiftPM waits for the lock of a running one.
. scripts/release-flags.sh
swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --product inplaced-bench-status >/dev/null
BIN=$(swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --show-bin-path)
echo "machine: $(nproc) cores, $(uname -sr); uptime: $(uptime)"
exec "$BIN/inplaced-bench-status" "$@"
