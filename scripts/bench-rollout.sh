#!/usr/bin/env bash
# The CloneSet rollout benchmark: inplace-controller on SQLite and either AGENTS real inplaced
# agents (mock runtime) or NODES simulated nodes (inplace-fleet-bench, kwok-style), then a
# CloneSet of PODS replicas (InPlaceIfPossible, maxUnavailable MAXU, grace 0) created, made ready
# and rolled out in place. Prints the rollout's time against its floor (the waves times the
# in-place update of a one-pod set, measured in the same run) as a ratio, and the API requests
# per pod updated (the controller's apiserver_request_total: every client). Not a test.
#
# Usage: scripts/bench-rollout.sh agents|simulated COUNT PODS [MAXU=10] [debug|release]
#   agents 10 100 10        100 pods on 10 real agents
#   simulated 1000 10000 10 10,000 pods on 1,000 simulated nodes
# (release builds into .build-rel: the first time takes 30 minutes or more on 2 cores.)
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:?agents or simulated}
COUNT=${2:?number of agents or nodes}
PODS=${3:?pods}
MAXU=${4:-10}
MODE=${5:-release}
if [ "$MODE" = release ]; then
  . scripts/release-flags.sh
  for p in inplace-controller inplace-fleet-bench inplaced; do
    swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --product "$p" >/dev/null
  done
  BIN=.build-rel/release
else
  for p in inplace-controller inplace-fleet-bench inplaced; do swift build --product "$p" >/dev/null; done
  BIN=.build/debug
fi
DIR=$(mktemp -d /tmp/bench-rollout.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n 8192 || true
"$BIN/inplace-controller" --state-dir "$DIR/state" --secure-port "$PORT" --log-level warning > "$DIR/controller.log" 2>&1 &
CTL=$!
PIDS+=("$CTL")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
NODES=0
if [ "$KIND" = agents ]; then
  for i in $(seq 1 "$COUNT"); do
    mkdir -p "$DIR/node-$i/manifests"
    "$BIN/inplaced" --state-dir "$DIR/node-$i" --manifest-dir "$DIR/node-$i/manifests" --socket "$DIR/node-$i/sock" \
      --node-name "node-$i" --controller-url "http://127.0.0.1:$PORT" --log-level warning > "$DIR/node-$i.log" 2>&1 &
    PIDS+=("$!")
  done
  for _ in $(seq 1 300); do
    ready=$(curl -sf "http://127.0.0.1:$PORT/api/v1/nodes" | grep -o '"type":"Ready","status":"True"' | wc -l || true)
    [ "$ready" -ge "$COUNT" ] && break
    sleep 0.2
  done
else
  NODES=$COUNT
fi
echo "$KIND: $COUNT; $PODS pods; maxUnavailable $MAXU; $MODE build; $(nproc) cores"
"$BIN/inplace-fleet-bench" --server "http://127.0.0.1:$PORT" --nodes "$NODES" --cloneset "$PODS" --max-unavailable "$MAXU" \
  --controller-pid "$CTL"
