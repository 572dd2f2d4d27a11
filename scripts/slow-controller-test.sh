#!/usr/bin/env bash
# Responsiveness test: with a controller that answers every request after 3 s and fails every
# other one with 500, the agent's in-place updates still run and its status socket still answers;
# when the controller recovers, the newest status of the pod arrives.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product inplaced >/dev/null 2>&1
swift build --product inplacectl >/dev/null 2>&1
BIN=$(swift build --show-bin-path)
WORK=$(mktemp -d /tmp/inplaced-slow.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
mkdir -p "$WORK/m"
python3 scripts/controller-stub.py "$PORT" "$WORK/controller.json" slow &
CTL=$!
DAEMON=""
cleanup() { [ -n "$DAEMON" ] && kill -9 "$DAEMON" 2>/dev/null; kill "$CTL" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
ctl() { "$BIN/inplacectl" --socket "$WORK/s.sock" "$@"; }
pod() { printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: app, image: "nginx:%s"}\n' "$1" >"$WORK/m/.w"; mv "$WORK/m/.w" "$WORK/m/web.yaml"; }
pod 1.0
"$BIN/inplaced" --manifest-dir "$WORK/m" --state-dir "$WORK/state" --socket "$WORK/s.sock" --relist-period 0.2 \
  --controller-url "http://127.0.0.1:$PORT" --node-status-period 1 >"$WORK/daemon.log" 2>&1 &
DAEMON=$!
for _ in $(seq 1 200); do ctl status >/dev/null 2>&1 && break; sleep 0.05; done
fail=0
for v in 1 2 3 4 5; do
  pod "1.$v"
  done_=0
  # 10 s is generous: on the mock an update takes milliseconds; the controller's 3 s answers must not add up here.
  for _ in $(seq 1 100); do
    if ctl get pod web -o json | python3 -c "import json,sys; p=json.load(sys.stdin); c=p['status']['containerStatuses'][0]; sys.exit(0 if c['image']=='nginx:1.$v' and c['restartCount']==$v and 'running' in c['state'] else 1)"; then done_=1; break; fi
    sleep 0.1
  done
  [ $done_ = 1 ] || { echo "update to nginx:1.$v did not finish while the controller was slow" >&2; fail=$((fail + 1)); }
  start=$(date +%s%N); ctl get pods >/dev/null; ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$ms" -lt 2000 ] || { echo "the socket took ${ms} ms while the controller was slow" >&2; fail=$((fail + 1)); }
done
ctl status | sed -n '/Controller:/,/Heartbeats:/p'
# The controller recovers: the pod's newest status arrives.
kill "$CTL"; wait "$CTL" 2>/dev/null || true
python3 scripts/controller-stub.py "$PORT" "$WORK/controller.json" &
CTL=$!
ok=0
for _ in $(seq 1 300); do
  if python3 -c "import json,sys; s=json.load(open('$WORK/controller.json'))['default/web']; sys.exit(0 if s['containerStatuses'][0]['image']=='nginx:1.5' and s['containerStatuses'][0]['restartCount']==5 else 1)" 2>/dev/null; then ok=1; break; fi
  sleep 0.1
done
[ $ok = 1 ] || { echo "the newest status did not reach the recovered controller" >&2; fail=$((fail + 1)); }
echo "slow-controller-test: $((6 - fail)) passed, $fail failed"
[ "$fail" = 0 ] && rm -rf "$WORK"
exit "$fail"
