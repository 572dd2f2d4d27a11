#!/usr/bin/env bash
# A private, real 3-member etcd cluster on loopback (plain HTTP, no TLS) for the EtcdStore tests.
# Everything lives under one directory DIR: member data dirs DIR/m1..m3, logs DIR/mN.log, PIDs
# DIR/mN.pid, the ports in DIR/ports. Needs etcd and etcdctl 3.4 (apt-get install -y
# --no-install-recommends etcd-server etcd-client).
#
# Usage: scripts/etcd-cluster.sh up|down|status DIR
#        scripts/etcd-cluster.sh stop-member|start-member DIR N      (N = 1, 2 or 3)
#   up DIR             start the three members, wait until each answers `etcdctl endpoint health`
#                      (30 s at most). The last line printed is
#                      INPLACED_ETCD_ENDPOINTS=127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3.
#                      Client ports: $INPLACED_ETCD_CLIENT_PORTS (default "23791 23792 23793"),
#                      peer ports: $INPLACED_ETCD_PEER_PORTS (default "23801 23802 23803").
#   down DIR           stop every member by its PID (SIGTERM, SIGKILL after 5 s), remove DIR.
#   stop-member DIR N  stop member N the same way (its data is kept).
#   start-member DIR N start member N again on its data and wait until it is healthy.
#   status DIR         `etcdctl endpoint status` of the three members.
set -euo pipefail

die() { echo "etcd-cluster: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: $0 up|down|status DIR | stop-member|start-member DIR N"
CMD=$1
DIR=$(realpath -m -- "$2")
case "$DIR" in /|/tmp|/root|/home|/var|/run|/usr|/etc|/work|*[[:space:]]*) die "refusing DIR '$DIR'" ;; esac

if [ -f "$DIR/ports" ]; then
  # shellcheck source=/dev/null
  . "$DIR/ports"
else
  CLIENT_PORTS=(${INPLACED_ETCD_CLIENT_PORTS:-23791 23792 23793})
  PEER_PORTS=(${INPLACED_ETCD_PEER_PORTS:-23801 23802 23803})
fi
[ ${#CLIENT_PORTS[@]} -eq 3 ] && [ ${#PEER_PORTS[@]} -eq 3 ] || die "need three client and three peer ports"

endpoint() { echo "127.0.0.1:${CLIENT_PORTS[$(($1 - 1))]}"; }
all_endpoints() { echo "$(endpoint 1),$(endpoint 2),$(endpoint 3)"; }
etcdctl_() { ETCDCTL_API=3 timeout 10 etcdctl --dial-timeout=2s --command-timeout=3s "$@"; }

# member_pid N: the PID in DIR/mN.pid if that process is still an etcd of this DIR.
member_pid() {
  local pid
  pid=$(cat "$DIR/m$1.pid" 2>/dev/null) || return 0
  [ -n "$pid" ] && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$DIR/m$1" && echo "$pid"
  return 0
}

close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

start_member() {
  local n=$1 cluster="" i
  [ -z "$(member_pid "$n")" ] || { echo "etcd-cluster: member m$n already running" >&2; return 0; }
  for i in 1 2 3; do cluster="${cluster:+$cluster,}m$i=http://127.0.0.1:${PEER_PORTS[$((i - 1))]}"; done
  local client="http://$(endpoint "$n")" peer="http://127.0.0.1:${PEER_PORTS[$((n - 1))]}"
  # setsid: the member outlives this script and is not in the caller's process group. Every
  # inherited descriptor above 2 is closed first: a caller that waits for the script through a
  # descriptor (Foundation's Process on Linux watches a socket the child holds) would otherwise
  # wait as long as the member lives.
  (
    close_inherited_fds
    exec setsid etcd --name "m$n" --data-dir "$DIR/m$n" --logger=zap \
      --listen-client-urls "$client" --advertise-client-urls "$client" \
      --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "inplaced-$(basename "$DIR")" \
      >>"$DIR/m$n.log" 2>&1 </dev/null
  ) &
  echo $! >"$DIR/m$n.pid"
}

wait_healthy() { # wait_healthy ENDPOINTS...: each answers endpoint health within 30 s
  local deadline=$((SECONDS + 30)) e
  for e in "$@"; do
    until etcdctl_ --endpoints="$e" endpoint health >/dev/null 2>&1; do
      [ $SECONDS -lt $deadline ] || die "member $e not healthy after 30 s (logs: $DIR/m*.log)"
      sleep 0.5
    done
  done
}

stop_member() {
  local n=$1 pid i
  pid=$(member_pid "$n")
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "etcd-cluster: m$n (pid $pid) still running 5 s after SIGTERM, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$DIR/m$n.pid"
}

member_arg() {
  [ $# -eq 3 ] || die "usage: $0 $CMD DIR N"
  case "$3" in 1|2|3) echo "$3" ;; *) die "member N must be 1, 2 or 3, not '$3'" ;; esac
}

case "$CMD" in
up)
  mkdir -p "$DIR"
  if [ ! -f "$DIR/ports" ]; then
    { echo "CLIENT_PORTS=(${CLIENT_PORTS[*]})"; echo "PEER_PORTS=(${PEER_PORTS[*]})"; } >"$DIR/ports"
  fi
  for n in 1 2 3; do
    [ -n "$(member_pid "$n")" ] && continue
    if (exec 3<>"/dev/tcp/127.0.0.1/${CLIENT_PORTS[$((n - 1))]}") 2>/dev/null; then
      die "port ${CLIENT_PORTS[$((n - 1))]} is already in use (another cluster?): set INPLACED_ETCD_CLIENT_PORTS and INPLACED_ETCD_PEER_PORTS"
    fi
  done
  for n in 1 2 3; do start_member "$n"; done
  wait_healthy "$(endpoint 1)" "$(endpoint 2)" "$(endpoint 3)"
  echo "etcd-cluster: 3 members healthy under $DIR" >&2
  echo "INPLACED_ETCD_ENDPOINTS=$(all_endpoints)"
  ;;
down)
  # In parallel: a member whose peers are gone first can take seconds to stop.
  for n in 1 2 3; do stop_member "$n" & done
  wait
  for n in 1 2 3; do [ -z "$(member_pid "$n")" ] || die "member m$n survived"; done
  rm -rf "$DIR"
  ;;
stop-member)
  n=$(member_arg "$@")
  stop_member "$n"
  echo "etcd-cluster: m$n stopped" >&2
  ;;
start-member)
  n=$(member_arg "$@")
  [ -d "$DIR/m$n" ] || die "no data dir $DIR/m$n (run up first)"
  start_member "$n"
  wait_healthy "$(endpoint "$n")"
  echo "etcd-cluster: m$n healthy" >&2
  ;;
status)
  etcdctl_ --endpoints="$(all_endpoints)" endpoint status -w table
  ;;
*) die "unknown command '$CMD'" ;;
esac
