#!/usr/bin/env bash
# The fleet benchmark: inplace-controller (release build) on SQLite, or on a private 3-member etcd
# cluster with `etcd`, and inplace-fleet-bench simulating NODES nodes (register, lease every 10 s,
# watch their pods, mark them Running) while PODS pods are created. Prints the time until every pod
# is placed and reported Running, the API requests per second, the watch-event latency and the
# controller's RSS. Not a test: figures, for docs/benchmarks.md.
#
# Usage: scripts/bench-fleet.sh [NODES=1000] [PODS=10000] [sqlite|etcd] [debug|release]
#        INPLACED_CONTROLLER_FLAGS="--default-watch-cache-size 0" adds controller flags.
# (release builds into .build-rel: the first time takes 30 minutes or more on 2 cores.)
set -euo pipefail
cd "$(dirname "$0")/.."
NODES=${1:-1000}
PODS=${2:-10000}
STORE=${3:-sqlite}
MODE=${4:-release}
if [ "$MODE" = release ]; then
  . scripts/release-flags.sh
  swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --product inplace-controller >/dev/null
  swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --product inplace-fleet-bench >/dev/null
  BIN=.build-rel/release
else
  swift build --product inplace-controller >/dev/null
  swift build --product inplace-fleet-bench >/dev/null
  BIN=.build/debug
fi
DIR=$(mktemp -d /tmp/bench-fleet.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
cleanup() {
  [ -n "${CTL:-}" ] && kill "$CTL" 2>/dev/null && wait "$CTL" 2>/dev/null || true
  [ "$STORE" = etcd ] && ./scripts/etcd-cluster.sh down "$DIR/etcd" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n 8192 || true
STORE_FLAGS=(--state-dir "$DIR/state")
if [ "$STORE" = etcd ]; then
  # Ports of its own, apart from a test cluster on the defaults.
  ENDPOINTS=$(INPLACED_ETCD_CLIENT_PORTS="24791 24792 24793" INPLACED_ETCD_PEER_PORTS="24801 24802 24803" \
    ./scripts/etcd-cluster.sh up "$DIR/etcd" | tail -n 1 | cut -d= -f2)
  STORE_FLAGS=(--etcd-servers "$ENDPOINTS")
fi
# Extra controller flags (e.g. INPLACED_CONTROLLER_FLAGS="--default-watch-cache-size 0").
# shellcheck disable=SC2206
EXTRA=(${INPLACED_CONTROLLER_FLAGS:-})
"$BIN/inplace-controller" "${STORE_FLAGS[@]}" "${EXTRA[@]}" --secure-port "$PORT" --log-level warning > "$DIR/controller.log" 2>&1 &
CTL=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
echo "store: $STORE; $NODES nodes, $PODS pods; $MODE build; $(nproc) cores; controller flags: ${EXTRA[*]:-none}"
"$BIN/inplace-fleet-bench" --server "http://127.0.0.1:$PORT" --nodes "$NODES" --pods "$PODS" --controller-pid "$CTL"
