#!/usr/bin/env bash
# shellcheck disable=SC2016,SC2046,SC2086,SC2206,SC2207  # pid lists are split on purpose; the image
#   commands are single-quoted on purpose (the image's sh expands them)
# A private, real containerd (CRI plugin, runc, overlayfs) with locally built test images, for the
# tests, the demo and the benchmark. Everything lives under one directory DIR (keep its path short:
# unix socket paths are limited to 107 bytes); nothing is pulled from a registry.
#
# Usage: scripts/containerd-env.sh up|down|check-clean|status DIR
#   up DIR           write DIR/config.toml, start containerd (log DIR/containerd.log, pid
#                    DIR/containerd.pid), build the test images into DIR/images (kept if present;
#                    IMAGE_CACHE=dir to use another directory) and import them into namespace
#                    k8s.io. The last line printed is INPLACED_CRI_ENDPOINT=unix://DIR/containerd.sock.
#                    Does nothing but print that line when already up.
#   down DIR         kill and delete every task and container left in k8s.io, stop containerd, kill
#                    leftover shims and container processes of this DIR, unmount what is mounted
#                    under DIR, remove DIR. Fails, listing them, if processes of ours survive.
#   check-clean DIR  exit 0 iff no shim of this DIR is left and (when containerd is up) k8s.io has
#                    no container and no task.
#   status DIR       print what is running.
#
# Images (all from scripts/oci-image.py; every command exits 0 within ms on SIGTERM):
#   example.local/pause:v1      sandbox image: sleeps forever
#   example.local/app:v1, :v2   /etc/image-version is v1 / v2; runs `httpd -f -p $HTTP_PORT -h /www`
#                               (HTTP_PORT=8080 by default, "none" for no server; /www has index.html,
#                               healthz ("ok") and version) and sleeps forever (a failed httpd,
#                               e.g. port taken under host network, does not end the container)
#   example.local/app:v1-alias  same image (same digest) as app:v1
#   example.local/app@sha256:<manifest digest> of app:v1 and app:v2 (repo digests, as a pull gives)
set -euo pipefail

SCRIPTS=$(cd "$(dirname "$0")" && pwd)
PAUSE_CMD='trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'
APP_CMD='trap "exit 0" TERM; if [ "$HTTP_PORT" != none ]; then httpd -f -p "$HTTP_PORT" -h /www & fi; while :; do sleep 3600 & wait $!; done'

die() { echo "containerd-env: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 up|down|check-clean|status DIR"
CMD=$1
DIR=$(realpath -m -- "$2")
case "$DIR" in /|/tmp|/root|/home|/var|/run|/usr|/etc|*[[:space:]]*) die "refusing DIR '$DIR'" ;; esac
SOCK=$DIR/containerd.sock
ENDPOINT_LINE="INPLACED_CRI_ENDPOINT=unix://$SOCK"
[ ${#SOCK} -le 100 ] || die "DIR path too long for a unix socket: $SOCK"

ctr_() { timeout 20 ctr --address "$SOCK" -n k8s.io "$@"; }
containerd_pids() { # the containerd processes running with DIR/config.toml (normally one)
  local f
  for f in $(grep -alsF -- "$DIR/config.toml" /proc/[0-9]*/cmdline); do
    case "$(tr '\0' '\n' 2>/dev/null <"$f" | head -n 1)" in containerd|*/containerd) ;; *) continue ;; esac
    tr '\0' '\n' 2>/dev/null <"$f" | grep -qxF -- "$DIR/config.toml" && { f=${f#/proc/}; echo "${f%/cmdline}"; }
  done
  return 0
}
answers() { timeout 5 ctr --address "$SOCK" version >/dev/null 2>&1; }
# Shims started by this containerd: `containerd-shim-runc-v2 -namespace NS -id ID -address SOCK`.
our_shims() {
  local f
  for f in $(grep -alsF -- "$SOCK" /proc/[0-9]*/cmdline); do
    tr '\0' '\n' 2>/dev/null <"$f" | grep -qxF -- "$SOCK" &&
      tr '\0' '\n' 2>/dev/null <"$f" | head -n 1 | grep -q 'containerd-shim' && { f=${f#/proc/}; echo "${f%/cmdline}"; }
  done
  return 0
}
descendants() { # all live descendants of the given pids
  local all
  all=$(ps -e -o pid=,ppid=) || return 0
  awk -v roots="$*" 'BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1 }
    { parent[$1] = $2 } END { do { changed = 0; for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1; print p } } while (changed) }' <<<"$all"
}
alive() { # the given pids that still exist and are not zombies
  local p
  for p in "$@"; do
    [ -e "/proc/$p" ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ] && echo "$p"
  done
  return 0
}
describe() { local p; for p in "$@"; do echo "  pid $p: $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | cut -c1-160)"; done; }

build_images() { # builds the archives into $1 when missing or older than the scripts
  local out=$1 name tar
  mkdir -p "$out"
  for name in pause-v1 app-v1 app-v2; do
    tar=$out/$name.tar
    if [ -s "$tar" ] && [ "$tar" -nt "$SCRIPTS/oci-image.py" ] && [ "$tar" -nt "$SCRIPTS/containerd-env.sh" ]; then
      continue
    fi
    case $name in
      pause-v1) python3 "$SCRIPTS/oci-image.py" --ref example.local/pause:v1 --sh "$PAUSE_CMD" -o "$tar" >/dev/null ;;
      app-v*) v=${name#app-}
              python3 "$SCRIPTS/oci-image.py" --ref "example.local/app:$v" --env HTTP_PORT=8080 \
                --file "/etc/image-version=$v" --file "/www/version=$v" --file /www/healthz=ok \
                --file "/www/index.html=<html><body>example.local/app $v</body></html>" \
                --sh "$APP_CMD" -o "$tar" >/dev/null ;;
    esac || die "building image archive $tar failed"
  done
}

manifest_digest() { # manifest digest of an image in k8s.io
  ctr_ images ls | awk -v ref="$1" '$1 == ref { print $3 }'
}

up() {
  local running
  running=$(containerd_pids)
  if [ -n "$running" ]; then  # never a second containerd on the same DIR
    for _ in 1 2 3; do
      answers && { echo "containerd-env: already up in $DIR (pid $(echo $running))"; echo "$ENDPOINT_LINE"; return 0; }
      sleep 1
    done
    die "containerd $(echo $running) of $DIR runs but does not answer on $SOCK; run: $0 down $DIR"
  fi
  [ ! -d "$DIR" ] || [ -z "$(ls -A "$DIR")" ] || grep -qs '^# written by scripts/containerd-env.sh' "$DIR/config.toml" ||
    die "$DIR is neither empty nor a directory of this script; use a new or empty one"
  local tool
  for tool in containerd ctr runc; do
    command -v "$tool" >/dev/null || die "$tool is not installed (run scripts/install-containerd.sh)"
  done
  mkdir -p "$DIR/root" "$DIR/state" "$DIR/runc" "$DIR/cni/net.d"
  cat >"$DIR/config.toml" <<EOF
# written by scripts/containerd-env.sh
version = 2
root = "$DIR/root"
state = "$DIR/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "example.local/pause:v1"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$DIR/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$DIR/cni/net.d"
EOF
  write_cni_conf
  rm -f "$SOCK" "$SOCK.ttrpc"
  setsid containerd --config "$DIR/config.toml" </dev/null >>"$DIR/containerd.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$DIR/containerd.pid"
  for _ in $(seq 100); do
    answers && break
    [ -n "$(alive "$pid")" ] || { tail -n 20 "$DIR/containerd.log" >&2; die "containerd exited at start (log: $DIR/containerd.log)"; }
    sleep 0.1
  done
  answers || { tail -n 20 "$DIR/containerd.log" >&2; die "containerd (pid $pid) does not answer on $SOCK after 10 s"; }

  local images=${IMAGE_CACHE:-$DIR/images} name
  build_images "$images"
  for name in pause-v1 app-v1 app-v2; do
    ctr_ images import "$images/$name.tar" >/dev/null || die "ctr images import $images/$name.tar failed"
  done
  ctr_ images tag --force example.local/app:v1 example.local/app:v1-alias >/dev/null || die "ctr images tag app:v1-alias failed"
  for name in v1 v2; do
    local d
    d=$(manifest_digest "example.local/app:$name")
    [ -n "$d" ] || die "example.local/app:$name not in ctr images ls after import"
    ctr_ images tag --force "example.local/app:$name" "example.local/app@$d" >/dev/null || die "tagging example.local/app@$d failed"
  done
  echo "containerd-env: up in $DIR (pid $pid); images:"
  ctr_ images ls | awk 'NR > 1 { print "  " $1 "  " $3 }'
  echo "$ENDPOINT_LINE"
}

# The pod network (Debian's containernetworking-plugins): a bridge of this DIR and host-local
# addresses from a /24 of 10.200.0.0/13 chosen by DIR, so each pod listens at its own IP, as in
# a cluster. Host-network pods need none of it. Without the plugins, no config is written.
CNI_BIN=/usr/lib/cni
net_id() { cksum <<<"$DIR" | awk '{ print $1 }'; }
bridge_name() { printf 'ipd%06x' $(( $(net_id) % 16777216 )); }
pod_subnet() { local n; n=$(net_id); echo "10.$(( 200 + n % 8 )).$(( (n / 8) % 256 )).0/24"; }
write_cni_conf() {
  [ -x "$CNI_BIN/bridge" ] && [ -x "$CNI_BIN/host-local" ] && [ -x "$CNI_BIN/loopback" ] || return 0
  mkdir -p "$DIR/cni/ipam"
  cat >"$DIR/cni/net.d/10-inplaced.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "inplaced-$(bridge_name)",
 "plugins": [
  {"type": "bridge", "bridge": "$(bridge_name)", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$DIR/cni/ipam", "ranges": [[{"subnet": "$(pod_subnet)"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "loopback"}
 ]}
EOF
}

down() {
  [ -d "$DIR" ] || { echo "containerd-env: $DIR does not exist; nothing to do"; return 0; }
  [ -z "$(ls -A "$DIR")" ] || grep -qs '^# written by scripts/containerd-env.sh' "$DIR/config.toml" ||
    die "$DIR was not set up by this script (no config.toml of ours); not removing it"
  local pids id left
  pids=$(containerd_pids)
  if [ -n "$pids" ] && answers; then
    for id in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    # (CRI deletes the tasks it sees exit too, so a delete may fail for a task already gone.)
    for id in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks delete -f "$id" >/dev/null 2>&1 || true; done
    for id in $(ctr_ containers ls -q 2>/dev/null); do ctr_ containers delete "$id" >/dev/null 2>&1 || true; done
    left=$(ctr_ tasks ls -q 2>/dev/null; ctr_ containers ls -q 2>/dev/null) || true
    [ -z "$left" ] || echo "containerd-env: ctr could not delete: $(tr '\n' ' ' <<<"$left")" >&2
  fi
  # Whatever is left: shims, their children (container processes), runc containers under DIR/runc.
  local shims procs=() runc_pids=() root
  shims=$(our_shims)
  for root in "$DIR"/runc/*/; do
    [ -d "$root" ] || continue
    runc_pids+=($(timeout 5 runc --root "$root" list -q 2>/dev/null | while read -r id; do
      timeout 5 runc --root "$root" state "$id" 2>/dev/null | awk -F'[:,]' '/"pid"/ { gsub(/ /, "", $2); print $2 }'; done))
  done
  procs=($shims $(descendants $shims ${runc_pids[@]+"${runc_pids[@]}"}) ${runc_pids[@]+"${runc_pids[@]}"})
  # Shim socket files (in /run/containerd/s whatever the config says) of shims that will be killed.
  local socks="" p
  for p in $shims; do
    socks+=" $(ls -l "/proc/$p/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]/\1/p' |
      awk 'NR == FNR { ino[$1] = 1; next } ($7 in ino) && $8 ~ "^/run/containerd/s/" { print $8 }' - /proc/net/unix)"
  done
  if [ -n "$pids" ]; then
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 50); do [ -n "$(alive $pids)" ] || break; sleep 0.1; done
    if [ -n "$(alive $pids)" ]; then
      echo "containerd-env: containerd $(alive $pids | tr '\n' ' ')ignored SIGTERM for 5 s; SIGKILL" >&2
      kill -KILL $(alive $pids) 2>/dev/null || true
      for _ in $(seq 20); do [ -n "$(alive $pids)" ] || break; sleep 0.1; done
    fi
    procs+=($pids)
  fi
  if [ ${#procs[@]} -gt 0 ] && [ -n "$(alive "${procs[@]}")" ]; then
    echo "containerd-env: killing leftover shim/container processes: $(alive "${procs[@]}" | tr '\n' ' ')" >&2
    kill -KILL $(alive "${procs[@]}") 2>/dev/null || true
    # (a killed pid-namespace init waits for its namespace to empty, which can take ~2 s here)
    for _ in $(seq 100); do [ -z "$(alive "${procs[@]}")" ] && break; sleep 0.1; done
  fi
  for p in $socks; do rm -f "$p"; done
  local mounts
  mounts=$(awk -v d="$DIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
  for p in $mounts; do umount "$p" 2>/dev/null || umount -l "$p" 2>/dev/null || echo "containerd-env: cannot unmount $p" >&2; done
  local extra
  left=()
  [ ${#procs[@]} -gt 0 ] && left=($(alive "${procs[@]}"))
  extra=$(our_shims)
  [ -z "$extra" ] || left+=($extra)
  if [ ${#left[@]} -gt 0 ]; then
    echo "containerd-env: processes of $DIR survive; DIR kept:" >&2; describe "${left[@]}" >&2; exit 1
  fi
  [ -z "$(awk -v d="$DIR/" 'index($2, d) == 1' /proc/self/mounts)" ] || die "mounts left under $DIR; DIR kept"
  if ip link show "$(bridge_name)" >/dev/null 2>&1; then ip link del "$(bridge_name)" 2>/dev/null || true; fi
  rm -rf -- "$DIR" || die "cannot remove $DIR"
  echo "containerd-env: down; removed $DIR"
}

check_clean() {
  local problems=() shims out
  shims=$(our_shims)
  [ -z "$shims" ] || problems+=("shims left: $(tr '\n' ' ' <<<"$shims")")
  if [ -n "$(containerd_pids)" ] && answers; then
    out=$(ctr_ containers ls -q) || problems+=("ctr containers ls failed")
    [ -z "$out" ] || problems+=("containers left in k8s.io: $(tr '\n' ' ' <<<"$out")")
    out=$(ctr_ tasks ls -q) || problems+=("ctr tasks ls failed")
    [ -z "$out" ] || problems+=("tasks left in k8s.io: $(tr '\n' ' ' <<<"$out")")
  fi
  if [ ${#problems[@]} -gt 0 ]; then
    printf 'containerd-env: not clean: %s\n' "${problems[@]}" >&2; exit 1
  fi
  echo "containerd-env: clean"
}

status() {
  local pids
  pids=$(containerd_pids)
  if [ -z "$pids" ]; then echo "containerd: not running (DIR $DIR)"
  elif answers; then echo "containerd: running, pid $(echo $pids), answering on $SOCK"
  else echo "containerd: pid $(echo $pids) runs but does not answer on $SOCK"; fi
  if [ -n "$pids" ] && answers; then
    echo "images:"; ctr_ images ls | awk 'NR > 1 { print "  " $1 "  " $3 }'
    echo "containers:"; ctr_ containers ls | sed 's/^/  /'
    echo "tasks:"; ctr_ tasks ls | sed 's/^/  /'
  fi
  local shims
  shims=$(our_shims)
  echo "shims: ${shims:-none}" | tr '\n' ' '; echo
  echo "$ENDPOINT_LINE"
}

case "$CMD" in
  up) up ;;
  down) down ;;
  check-clean) check_clean ;;
  status) status ;;
  *) die "unknown subcommand '$CMD' (up, down, check-clean, status)" ;;
esac
