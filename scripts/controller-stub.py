#!/usr/bin/env python3
"""A stand-in controller on loopback for scripts/kill-test.sh and scripts/slow-controller-test.sh:
accepts kubelet's requests (PATCH .../pods/{name}/status as a strategic merge patch, POST nodes,
PATCH nodes/{node}/status, PUT and POST node leases) and writes the newest status of each pod to
a JSON file. With a third argument `slow`, every request waits 3 s and every other
one answers 500."""
import http.server, json, sys, threading, time, itertools

port, out = int(sys.argv[1]), sys.argv[2]
slow = len(sys.argv) > 3 and sys.argv[3] == "slow"
counter = itertools.count()
latest, lock = {}, threading.Lock()

class Handler(http.server.BaseHTTPRequestHandler):
    def _body(self):
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")

    def do_PATCH(self):
        body = self._body()
        if slow:
            time.sleep(3)
            if next(counter) % 2 == 0:
                self.send_response(500); self.end_headers(); self.wfile.write(b"slow and failing"); return
        parts = self.path.strip("/").split("/")  # api v1 namespaces NS pods NAME status
        if len(parts) == 4 and parts[2] == "nodes":
            self.send_response(200); self.end_headers(); self.wfile.write(b"{}"); return
        if self.headers.get("Content-Type") != "application/strategic-merge-patch+json" or len(parts) != 7:
            self.send_response(400); self.end_headers(); return
        with lock:
            latest[f"{parts[3]}/{parts[5]}"] = body["status"]
            with open(out + ".tmp", "w") as f:
                json.dump(latest, f)
            import os; os.replace(out + ".tmp", out)
        self.send_response(200); self.end_headers(); self.wfile.write(b"{}")

    def do_POST(self):
        self._body()
        self.send_response(201); self.end_headers(); self.wfile.write(b"{}")

    def do_PUT(self):
        self._body()
        if slow:
            time.sleep(3)
        self.send_response(200); self.end_headers(); self.wfile.write(b"{}")

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
