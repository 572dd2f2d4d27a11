#!/usr/bin/env bash
# The main job: builds inplaced, runs it, changes the web pod's image, and shows through inplacectl
# the in-place upgrade: the InPlaceUpdateReady gate going False then True, restartCount 1, a new
# imageID, the same sandbox (pod IP) and an untouched sidecar.
# Runtime: real containerd when it is there (INPLACED_CRI_ENDPOINT names a running one, or, as
# root with containerd, runc and busybox-static installed, a private one is started for the demo
# by scripts/containerd-env.sh and removed after); the mock runtime otherwise. It says which.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building inplaced and inplacectl (swift build; the first build takes 15 to 30 minutes on 2 cores) =="
BUILD_LOG=$(mktemp /tmp/inplaced-demo-build.XXXXXX)
for product in inplaced inplacectl; do
  # Progress: one line per 100 build steps, so a long first build does not look hung.
  { swift build --product "$product" 2>&1; echo "exit $?"; } | tee "$BUILD_LOG" \
    | awk '/^\[[0-9]+\/[0-9]+\]/ { n++; if (n % 100 == 1) { print "  " $1; fflush() } } /Build of product|Build complete/ { print; fflush() }'
  if ! grep -q '^exit 0$' "$BUILD_LOG"; then
    cat "$BUILD_LOG" >&2; echo "demo: build of $product failed" >&2; exit 1
  fi
done
rm -f "$BUILD_LOG"
BIN=$(swift build --show-bin-path)

WORK=$(mktemp -d /tmp/inplaced-demo.XXXXXX)
MANIFESTS=$WORK/manifests
mkdir -p "$MANIFESTS"
export INPLACED_SOCKET=$WORK/inplaced.sock
ctl() { "$BIN/inplacectl" --socket "$INPLACED_SOCKET" "$@"; }

# Which runtime: containerd when it is there, the mock otherwise.
ENDPOINT=${INPLACED_CRI_ENDPOINT:-}
OWN_CTRD=""
if [ -z "$ENDPOINT" ] && [ "$(id -u)" = 0 ] && command -v containerd >/dev/null && command -v runc >/dev/null \
   && [ -x /bin/busybox ]; then
  OWN_CTRD=$(mktemp -d /tmp/ipd-demo-ctrd.XXXXXX); rmdir "$OWN_CTRD"
  echo "== containerd found: starting a private one for the demo in $OWN_CTRD =="
  if LINE=$(./scripts/containerd-env.sh up "$OWN_CTRD" | tail -n 1); then ENDPOINT=${LINE#INPLACED_CRI_ENDPOINT=}
  else echo "demo: could not start containerd; using the mock runtime" >&2; ./scripts/containerd-env.sh down "$OWN_CTRD" || true; OWN_CTRD=""; fi
fi
if [ -n "$ENDPOINT" ]; then
  RUNTIME_FLAGS=(--runtime cri --runtime-endpoint "$ENDPOINT")
  cp examples/containerd/*.yaml "$MANIFESTS"/
  OLD_IMAGE=example.local/app:v1; NEW_IMAGE=example.local/app:v2
  echo "== runtime: containerd at $ENDPOINT (real containers) =="
else
  RUNTIME_FLAGS=(--runtime mock)
  cp examples/*.yaml examples/*.json "$MANIFESTS"/
  OLD_IMAGE=nginx:1.25; NEW_IMAGE=nginx:1.26
  echo "== runtime: mock (no containerd here; run as root with containerd, runc and busybox-static installed for real containers) =="
fi

echo "== starting inplaced (state in $WORK/state) =="
"$BIN/inplaced" --manifest-dir "$MANIFESTS" --state-dir "$WORK/state" --socket "$INPLACED_SOCKET" \
  "${RUNTIME_FLAGS[@]}" --node-name demo-node >"$WORK/inplaced.log" 2>&1 &
PID=$!
stopped=""
cleanup() {
  [ -n "$stopped" ] && return; stopped=1
  if [ -n "$ENDPOINT" ]; then
    # Real containers: delete the pods (empty manifest dir) so nothing is left in containerd.
    rm -f "$MANIFESTS"/*
    for _ in $(seq 1 150); do [ "$(ctl get pods -A -o name 2>/dev/null | wc -l)" = 0 ] && break; sleep 0.1; done
  fi
  kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true
  if [ -n "$OWN_CTRD" ]; then ./scripts/containerd-env.sh down "$OWN_CTRD" >/dev/null || echo "demo: containerd cleanup left something" >&2; fi
}
trap cleanup EXIT

for _ in $(seq 1 100); do [ -S "$INPLACED_SOCKET" ] && ctl status >/dev/null 2>&1 && break; sleep 0.1; done

field() { # field POD PYTHON-EXPRESSION over the pod JSON `p`
  ctl get pod "$1" -o json | python3 -c "import json,sys; p=json.load(sys.stdin); print($2)"
}
cond() { echo "p['status'].get('conditions') and next((c['status'] for c in p['status']['conditions'] if c['type']=='$1'), '-')"; }
app() { echo "next(c for c in p['status']['containerStatuses'] if c['name']=='app')['$1']"; }

for _ in $(seq 1 300); do [ "$(field web "$(cond Ready)" 2>/dev/null)" = "True" ] && break; sleep 0.1; done
echo
ctl get pods -A
echo
BEFORE_ID=$(field web "$(app imageID)")
BEFORE_CID=$(field web "$(app containerID)")
BEFORE_IP=$(field web "p['status']['podIP']")
SIDECAR=$(field web "next(c for c in p['status']['containerStatuses'] if c['name']=='log-shipper')['containerID']")
echo "web/app: image $OLD_IMAGE  imageID $BEFORE_ID  restartCount $(field web "$(app restartCount)")  podIP $BEFORE_IP"

echo
echo "== editing web.yaml in the manifest dir: app image $OLD_IMAGE -> $NEW_IMAGE =="
python3 - "$MANIFESTS/web.yaml" "$OLD_IMAGE" "$NEW_IMAGE" <<'PY'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
# Only the app container's image (the first one); the sidecar keeps its image.
open(path, "w").write(text.replace("image: " + old, "image: " + new, 1))
PY

LAST=""
for _ in $(seq 1 600); do
  NOW=$(field web "'InPlaceUpdateReady=' + str($(cond InPlaceUpdateReady)) + '  Ready=' + str($(cond Ready)) + '  app.restartCount=' + str($(app restartCount))" 2>/dev/null || true)
  if [ -n "$NOW" ] && [ "$NOW" != "$LAST" ]; then echo "  $(date +%H:%M:%S.%N | cut -c1-12)  $NOW"; LAST=$NOW; fi
  case "$NOW" in *"InPlaceUpdateReady=True  Ready=True  app.restartCount=1"*) break;; esac
  sleep 0.05
done

AFTER_ID=$(field web "$(app imageID)")
AFTER_CID=$(field web "$(app containerID)")
AFTER_IP=$(field web "p['status']['podIP']")
SIDECAR_AFTER=$(field web "next(c for c in p['status']['containerStatuses'] if c['name']=='log-shipper')['containerID']")
echo
echo "imageID      $BEFORE_ID"
echo "          -> $AFTER_ID"
echo "containerID  $BEFORE_CID -> $AFTER_CID"
echo "podIP        $BEFORE_IP -> $AFTER_IP (same sandbox)"
echo "sidecar      $SIDECAR -> $SIDECAR_AFTER (untouched)"
echo
ctl describe pod web
echo
ctl get pods -A

ok=1
[ "$(field web "$(app restartCount)")" = "1" ] || ok=0
[ "$AFTER_ID" != "$BEFORE_ID" ] || ok=0
[ "$AFTER_IP" = "$BEFORE_IP" ] || ok=0
[ "$SIDECAR" = "$SIDECAR_AFTER" ] || ok=0
echo
if [ -n "$ENDPOINT" ]; then
  SERVED=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:18080/version', timeout=5).read().decode().strip())" 2>/dev/null || echo "no answer")
  echo "the new app container serves /version on :18080 (host network): $SERVED"
  [ "$SERVED" = "v2" ] || ok=0
  echo
fi
echo "== stopping inplaced with SIGTERM (on the mock containers stay running; on containerd the demo deletes its pod first) =="
cleanup
trap - EXIT
if [ "$ok" = 1 ]; then
  rm -rf "$WORK"
  echo "demo: in-place upgrade done: restartCount 1, new imageID, same sandbox, sidecar untouched"
else
  echo "demo: FAILED: see $WORK/inplaced.log" >&2
  exit 1
fi
