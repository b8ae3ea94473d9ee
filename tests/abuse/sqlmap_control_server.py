#!/usr/bin/env python3
"""sqlmap_control_server.py — a deliberately injectable JSON list route, the positive control of the
sqlmap test: if sqlmap (with the options the test uses against crm-server) does not find these, a clean
result on crm-server means nothing.

  GET /api/v1/things?name=...   -> {"items": [...]}   (name pasted into the WHERE clause)
  GET /api/v1/things?sort=...   -> {"items": [...]}   (sort pasted into ORDER BY; row order differs from
                                                      name order, so sort=name shows the difference)

Listens on 127.0.0.1 at --port; requires the same Authorization header sqlmap sends (Bearer --token).
In-memory SQLite from the standard library; never point anything real at it.
"""
import argparse
import json
import sqlite3
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

db = sqlite3.connect(":memory:", check_same_thread=False)
db.executescript("""
CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, level TEXT);
INSERT INTO things (name, level) VALUES ('Third Co', 'C'), ('Injection Test Trading Co', 'A'), ('Other Co', 'B');
""")
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    token = ""

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if self.headers.get("Authorization") != "Bearer " + self.token:
            return self.reply(401, {"error": {"code": "unauthorized"}})
        if url.path != "/api/v1/things":
            return self.reply(404, {"error": {"code": "not_found"}})
        q = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        sql = "SELECT id, name, level FROM things"
        if "name" in q:
            sql += " WHERE name = '%s'" % q["name"]  # the injection the control exists for
        if "sort" in q:
            sql += " ORDER BY %s" % q["sort"]
        try:
            with lock:
                rows = db.execute(sql).fetchall()
        except sqlite3.Error as e:
            return self.reply(500, {"error": {"code": "internal", "message": "SQLite error: %s" % e}})
        self.reply(200, {"items": [{"id": r[0], "name": r[1], "level": r[2]} for r in rows]})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--token", required=True)
    args = ap.parse_args()
    Handler.token = args.token
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
