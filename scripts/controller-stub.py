#!/usr/bin/env python3
"""A stand-in controller on loopback for scripts/kill-test.sh: accepts PATCH .../pods/{name}/status
and PUT .../nodes/{node}/status and writes the newest status of each pod to a JSON file."""
import http.server, json, sys, threading

port, out = int(sys.argv[1]), sys.argv[2]
latest, lock = {}, threading.Lock()

class Handler(http.server.BaseHTTPRequestHandler):
    def _body(self):
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")

    def do_PATCH(self):
        body = self._body()
        parts = self.path.strip("/").split("/")  # api v1 namespaces NS pods NAME status
        if self.headers.get("Content-Type") != "application/merge-patch+json" or len(parts) != 7:
            self.send_response(400); self.end_headers(); return
        with lock:
            latest[f"{parts[3]}/{parts[5]}"] = body["status"]
            with open(out + ".tmp", "w") as f:
                json.dump(latest, f)
            import os; os.replace(out + ".tmp", out)
        self.send_response(200); self.end_headers(); self.wfile.write(b"{}")

    def do_PUT(self):
        self._body(); self.send_response(200); self.end_headers(); self.wfile.write(b"{}")

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
