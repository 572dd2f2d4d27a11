#!/usr/bin/env bash
# Durability test (not a benchmark): the daemon is killed with SIGKILL at random points of
# in-place updates, KILLS times (default 50), and restarted on the same state dir. After each
# restart the update must finish with exactly one more restart of the container and exactly one
# live container of that name; at the end the store must open cleanly and the stand-in controller
# (scripts/controller-stub.py on loopback) must hold every pod's correct final status.
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-50}
swift build --product inplaced >/dev/null 2>&1
swift build --product inplacectl >/dev/null 2>&1
BIN=$(swift build --show-bin-path)
WORK=$(mktemp -d /tmp/inplaced-kill.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
mkdir -p "$WORK/m"
python3 scripts/controller-stub.py "$PORT" "$WORK/controller.json" &
CTL=$!
DAEMON=""
cleanup() { [ -n "$DAEMON" ] && kill -9 "$DAEMON" 2>/dev/null; kill "$CTL" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
ctl() { "$BIN/inplacectl" --socket "$WORK/s.sock" "$@"; }
start() {
  "$BIN/inplaced" --manifest-dir "$WORK/m" --state-dir "$WORK/state" --socket "$WORK/s.sock" --node-name kill-node \
    --relist-period 0.2 --backoff-base 1 --backoff-max 4 --controller-url "http://127.0.0.1:$PORT" >>"$WORK/daemon.log" 2>&1 &
  DAEMON=$!
  for _ in $(seq 1 200); do ctl status >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "kill-test: daemon did not come up" >&2; tail -20 "$WORK/daemon.log" >&2; exit 1
}
manifest() { # NAME TAG GRACE GATE
  local gate=""; [ "$4" = yes ] && gate=$'  readinessGates:\n  - conditionType: InPlaceUpdateReady'
  cat >"$WORK/m/.$1.tmp" <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: $1
  annotations: {inplaced.io/inplace-update-grace-seconds: "$3"}
spec:
$gate
  containers:
  - {name: app, image: "registry.local/$1:$2"}
  - {name: sidecar, image: "busybox:1.36"}
YAML
  mv "$WORK/m/.$1.tmp" "$WORK/m/$1.yaml"
}
app() { ctl get pod "$1" -o json | python3 -c "import json,sys; p=json.load(sys.stdin); c=[c for c in p['status']['containerStatuses'] if c['name']=='app'][0]; r=[x['status'] for x in p['status']['conditions'] if x['type']=='Ready'][0]; print(c['image'], c['restartCount'], r, 'running' if 'running' in c['state'] else 'not-running')"; }
live_apps() { # pods' live app containers in the mock runtime's state file
  python3 - "$WORK/state/mock-runtime.json" "$1" <<'PY'
import json, sys
state = json.load(open(sys.argv[1]))
def walk(v):
    if isinstance(v, dict):
        yield v
        for x in v.values(): yield from walk(x)
    elif isinstance(v, list):
        for x in v: yield from walk(x)
n = 0
for o in walk(state):
    labels = o.get("labels") or (o.get("config") or {}).get("labels") or {}
    if labels.get("io.kubernetes.pod.name") == sys.argv[2] and labels.get("io.kubernetes.container.name") == "app" \
       and "RUNNING" in json.dumps(o.get("state", "")).upper():
        n += 1
print(n)
PY
}

PODS=(alpha beta gamma)
GRACES=(1 0.4 0)
GATES=(yes yes no)
declare -A COUNT
for i in 0 1 2; do manifest "${PODS[$i]}" v0 "${GRACES[$i]}" "${GATES[$i]}"; COUNT[${PODS[$i]}]=0; done
start
for p in "${PODS[@]}"; do
  for _ in $(seq 1 200); do [ "$(app "$p" 2>/dev/null)" = "registry.local/$p:v0 0 True running" ] && break; sleep 0.05; done
done
fail=0
for k in $(seq 1 "$KILLS"); do
  i=$((k % 3)); p=${PODS[$i]}
  manifest "$p" "v$k" "${GRACES[$i]}" "${GATES[$i]}"
  sleep "$(python3 -c "import random; print(round(random.uniform(0, 1.4), 3))")"
  kill -9 "$DAEMON"; wait "$DAEMON" 2>/dev/null || true
  start
  want="registry.local/$p:v$k $((COUNT[$p] + 1)) True running"
  got=""
  for _ in $(seq 1 300); do got=$(app "$p" 2>/dev/null || true); [ "$got" = "$want" ] && break; sleep 0.05; done
  live=$(live_apps "$p")
  if [ "$got" != "$want" ] || [ "$live" != 1 ]; then
    echo "kill $k ($p): want '$want' and 1 live app container, got '$got' and $live" >&2; fail=$((fail + 1))
  fi
  COUNT[$p]=$((COUNT[$p] + 1))
done
# The controller must end with every pod's final status.
for _ in $(seq 1 200); do
  ok=1
  for p in "${PODS[@]}"; do
    python3 - "$WORK/controller.json" "default/$p" "${COUNT[$p]}" <<'PY' || ok=0
import json, sys
s = json.load(open(sys.argv[1]))[sys.argv[2]]
app = [c for c in s["containerStatuses"] if c["name"] == "app"][0]
ready = [c["status"] for c in s["conditions"] if c["type"] == "Ready"][0]
sys.exit(0 if app["restartCount"] == int(sys.argv[3]) and ready == "True" and "running" in app["state"] else 1)
PY
  done
  [ $ok = 1 ] && break; sleep 0.1
done
[ $ok = 1 ] || { echo "kill-test: the controller does not hold the final statuses" >&2; fail=$((fail + 1)); }
kill -TERM "$DAEMON"; wait "$DAEMON" 2>/dev/null || true; DAEMON=""
sqlite3 "$WORK/state/state.sqlite" "PRAGMA integrity_check;" | grep -qx ok || { echo "kill-test: store integrity check failed" >&2; fail=$((fail + 1)); }
echo "kill-test: $KILLS SIGKILLs during in-place updates; restart counts: alpha ${COUNT[alpha]}, beta ${COUNT[beta]}, gamma ${COUNT[gamma]}"
echo "$((KILLS - fail)) passed, $fail failed"
[ "$fail" = 0 ] && rm -rf "$WORK"
exit "$fail"
