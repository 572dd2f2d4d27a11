#!/usr/bin/env python3
"""Keep a real nginx in front of a Service's ready endpoints, from the API (a watch).

Usage:
  scripts/lb-sync.py --server URL [--token-file FILE] [--namespace NS] --service NAME
                     --listen 127.0.0.1:PORT --dir DIR [--log FILE]

Lists then watches /api/v1/namespaces/NS/endpoints?fieldSelector=metadata.name=NAME (on
inplace-controller or any kube-apiserver), and writes DIR/nginx.conf with one upstream server per
ready address (subsets[].addresses, ip:port), then tells nginx (run here in the foreground,
`daemon off`, as a child) to reload with SIGHUP. Requests are proxied with retries off
(`proxy_next_upstream off`), so a request sent to a container that is gone fails and is seen.

Each applied change is one JSON line in --log: {"t": unix seconds, "ready": ["ip:port", ...],
"notReady": [...]}, written after nginx was told to reload. SIGTERM stops nginx and exits.
An address list that becomes empty keeps the last one (nginx needs a server); it is logged.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

NGINX_CONF = """# written by scripts/lb-sync.py
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/tmp/body;
  proxy_temp_path {dir}/tmp/proxy;
  fastcgi_temp_path {dir}/tmp/fastcgi;
  uwsgi_temp_path {dir}/tmp/uwsgi;
  scgi_temp_path {dir}/tmp/scgi;
  upstream backend {{
{servers}
  }}
  server {{
    listen {listen};
    location / {{
      proxy_pass http://backend;
      proxy_next_upstream off;
      proxy_connect_timeout 2s;
      proxy_read_timeout 5s;
    }}
  }}
}}
"""


def addresses(endpoints, key):
    out = []
    for subset in endpoints.get("subsets") or []:
        ports = subset.get("ports") or []
        port = ports[0]["port"] if ports else 80
        for a in subset.get(key) or []:
            out.append("%s:%d" % (a["ip"], port))
    return sorted(out)


class Sync:
    def __init__(self, args):
        self.args = args
        self.token = None
        if args.token_file:
            with open(args.token_file) as f:
                self.token = f.read().strip()
        self.nginx = None
        self.ready = None
        os.makedirs(os.path.join(args.dir, "tmp"), exist_ok=True)
        self.log = open(args.log, "a") if args.log else None

    def request(self, path, timeout):
        req = urllib.request.Request(self.args.server.rstrip("/") + path)
        req.add_header("Accept", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        return urllib.request.urlopen(req, timeout=timeout)

    def apply(self, endpoints):
        ready = addresses(endpoints, "addresses")
        not_ready = addresses(endpoints, "notReadyAddresses")
        if ready == self.ready:
            return
        servers = ready or self.ready or []
        if not servers:
            return  # nothing to serve yet; nginx starts with the first address
        conf = NGINX_CONF.format(
            dir=self.args.dir, listen=self.args.listen,
            servers="\n".join("    server %s;" % s for s in servers))
        path = os.path.join(self.args.dir, "nginx.conf")
        with open(path + ".new", "w") as f:
            f.write(conf)
        os.replace(path + ".new", path)
        if self.nginx is None:
            self.nginx = subprocess.Popen(["nginx", "-c", path, "-p", self.args.dir],
                                          stdin=subprocess.DEVNULL)
        else:
            self.nginx.send_signal(signal.SIGHUP)
        self.ready = ready
        if self.log:
            self.log.write(json.dumps({"t": time.time(), "ready": ready, "notReady": not_ready}) + "\n")
            self.log.flush()

    def run(self):
        ns = urllib.parse.quote(self.args.namespace)
        selector = urllib.parse.quote("metadata.name=" + self.args.service)
        base = "/api/v1/namespaces/%s/endpoints?fieldSelector=%s" % (ns, selector)
        version = None
        while True:
            try:
                if version is None:
                    with self.request(base, 10) as r:
                        listed = json.load(r)
                    version = listed["metadata"].get("resourceVersion", "0")
                    for item in listed.get("items") or []:
                        self.apply(item)
                path = base + "&watch=true&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=" + version
                with self.request(path, 330) as r:
                    for line in r:
                        event = json.loads(line)
                        obj = event.get("object") or {}
                        rv = (obj.get("metadata") or {}).get("resourceVersion")
                        if event.get("type") in ("ADDED", "MODIFIED"):
                            self.apply(obj)
                        elif event.get("type") == "ERROR":
                            version = None
                            break
                        if rv:
                            version = rv
            except Exception as e:  # the API restarts or the network drops: list again
                print("lb-sync: %s; listing again in 1 s" % e, file=sys.stderr, flush=True)
                version = None
                time.sleep(1)

    def stop(self, *_):
        # Graceful (QUIT), then fast (TERM), then KILL, each a few seconds apart; nginx's master
        # takes its workers with it.
        if self.nginx is not None:
            for sig, wait in ((signal.SIGQUIT, 5), (signal.SIGTERM, 3), (signal.SIGKILL, 3)):
                try:
                    self.nginx.send_signal(sig)
                    self.nginx.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
                except ProcessLookupError:
                    break
        os._exit(0)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--server", required=True)
    p.add_argument("--token-file")
    p.add_argument("--namespace", default="default")
    p.add_argument("--service", required=True)
    p.add_argument("--listen", required=True, help="address:port nginx listens on (loopback)")
    p.add_argument("--dir", required=True, help="nginx's own directory (config, pid, logs)")
    p.add_argument("--log", help="JSON lines of the applied endpoint changes")
    args = p.parse_args()
    args.dir = os.path.abspath(args.dir)
    # A parent may have started this with signals blocked (a test runner's thread): unblock the
    # ones this script handles, or SIGTERM would never reach its handler and nginx would outlive it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    sync = Sync(args)
    signal.signal(signal.SIGTERM, sync.stop)
    signal.signal(signal.SIGINT, sync.stop)
    sync.run()


if __name__ == "__main__":
    main()
