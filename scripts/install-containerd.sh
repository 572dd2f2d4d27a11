#!/usr/bin/env bash
# Installs the real container runtime used by the containerd-backed tests, demo and benchmark:
# containerd (1.6.x on Debian 12, with the CRI plugin), runc, and busybox-static (whose
# /bin/busybox goes into the locally built test images, see scripts/oci-image.py), Debian's
# containernetworking-plugins (the pod network: bridge + host-local) and nginx (the load balancer
# of the zero-traffic-loss test, kept in sync by scripts/lb-sync.py).
# Uses apt-get when it exists (CI on Debian); elsewhere it only checks what is installed.
# Usage: scripts/install-containerd.sh
set -euo pipefail

if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  missing=()
  for pkg in containerd runc busybox-static containernetworking-plugins nginx-light; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    # Wait (bounded) for another apt/dpkg run to release its lock instead of failing at once.
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

fail=0
containerd --version || { echo "install-containerd: containerd is not installed or does not run" >&2; fail=1; }
# The first line of each version (read whole, then cut: `| head -1` under pipefail can fail
# with SIGPIPE when the writer is still writing).
if out=$(runc --version 2>&1); then echo "${out%%$'\n'*}"
else echo "install-containerd: runc is not installed or does not run" >&2; fail=1; fi
if [ -x /bin/busybox ]; then
  out=$(/bin/busybox 2>&1 || true); echo "${out%%$'\n'*}"
else
  echo "install-containerd: /bin/busybox (package busybox-static) is missing" >&2; fail=1
fi
exit "$fail"
