#!/usr/bin/env bash
# Benchmark (not a test): the in-place upgrade through the agent on a REAL containerd against its
# floor, the raw CRI calls, timed in the same run (release build of inplaced-bench-cri).
# For 1 pod and for 20 pods upgraded together it prints, in ms (medians over the rounds):
# agent in-place (manifest edit -> new container running, InPlaceUpdateReady and Ready True),
# raw in-place (StopContainer + RemoveContainer + CreateContainer + StartContainer), agent and raw
# recreate of the whole pod (new sandbox), their ratios, and the agent's CRI calls.
#
# Usage: scripts/bench-cri.sh [ROUNDS_1 [ROUNDS_20 [N]]]   (defaults 5 3 20)
# Uses $INPLACED_CRI_ENDPOINT when set; else (root, containerd installed) starts a private
# containerd with the test images (scripts/containerd-env.sh) and removes it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

. scripts/release-flags.sh
swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --product inplaced-bench-cri >/dev/null
BIN=$(swift build "${RELEASE_FLAGS[@]}" --scratch-path .build-rel --show-bin-path)/inplaced-bench-cri

ENV_DIR=""
cleanup() {
  local rc=$?
  if [ -n "$ENV_DIR" ]; then
    "$ROOT/scripts/containerd-env.sh" down "$ENV_DIR" >/dev/null || { echo "bench-cri: containerd-env.sh down $ENV_DIR failed" >&2; rc=1; }
  fi
  exit "$rc"
}

if [ -z "${INPLACED_CRI_ENDPOINT:-}" ]; then
  [ "$(id -u)" = 0 ] || { echo "bench-cri: set INPLACED_CRI_ENDPOINT, or run as root to start a private containerd" >&2; exit 1; }
  for tool in containerd ctr runc; do
    command -v "$tool" >/dev/null || { echo "bench-cri: $tool is not installed; run scripts/install-containerd.sh" >&2; exit 1; }
  done
  ENV_DIR=$(mktemp -d /tmp/ipd-bcri.XXXXXX)
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  line=$("$ROOT/scripts/containerd-env.sh" up "$ENV_DIR" | tail -n 1)
  case "$line" in INPLACED_CRI_ENDPOINT=*) export "${line?}" ;; *) echo "bench-cri: containerd-env.sh up failed" >&2; exit 1 ;; esac
fi

"$BIN" "$@"

if [ -n "$ENV_DIR" ]; then
  "$ROOT/scripts/containerd-env.sh" check-clean "$ENV_DIR"
fi
