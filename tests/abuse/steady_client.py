#!/usr/bin/env python3
"""steady_client.py — the well-behaved user of the abuse tests, and the server's memory watcher.

While an attack runs (malformed_http.py, slowhttptest), this signs in once and then makes a steady
stream of ordinary API requests — GET /api/v1/customers (now and then with a search) and POST a new
customer — timing each one, and samples the server's /proc/<pid>/status (VmRSS, Threads) and its open
sockets. It stops when --stop-file appears (or after --duration), prints what it measured, writes it
as JSON to --out, and exits 1 if any ordinary request failed, timed out or took longer than
--max-latency (a user who waits that long was not served), if the server's RSS went above
--rss-limit-mb, or if it made too few requests to mean anything.

Each request opens a new connection by default: a user arriving while the server is under attack
must get a worker, which a connection kept alive from before the attack would hide (--keep-alive
measures that case instead). Standard library only.
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
import uuid

from abuse_common import ProcessWatcher, login, percentile


class SteadyClient:
    def __init__(self, port, token, timeout, keep_alive, source="127.0.0.1"):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.keep_alive = keep_alive
        self.source = source
        self.conn = None
        self.samples = []  # (t, kind, status or None, latency_ms, error or "")

    def _connection(self):
        if self.keep_alive and self.conn is not None:
            return self.conn
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source, 0))
        return self.conn

    def request(self, kind, method, path, body=None):
        headers = {"Authorization": "Bearer " + self.token, "Accept-Language": "en"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            headers["Idempotency-Key"] = str(uuid.uuid4())
        start = time.monotonic()
        status, error = None, ""
        try:
            conn = self._connection()
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            status = resp.status
            if status >= 300:
                error = data[:200].decode("utf-8", "replace")
        except Exception as e:  # refused, reset, timed out: the user was not served
            error = "%s: %s" % (type(e).__name__, e)
            self.close()
        if not self.keep_alive:
            self.close()
        latency = (time.monotonic() - start) * 1000.0
        self.samples.append((time.time(), kind, status, latency, error))
        return status

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None

    def step(self, i):
        # Mostly lists, every fourth a new customer, every eighth a search: what a rep's screen does.
        if i % 4 == 3:
            name = "Steady customer %s" % uuid.uuid4().hex[:12]
            self.request("create", "POST", "/api/v1/customers", {"name": name, "type": "enterprise", "level": "B"})
        elif i % 8 == 1:
            self.request("search", "GET", "/api/v1/customers?q=Steady&limit=20")
        else:
            self.request("list", "GET", "/api/v1/customers?limit=20")


def expected_status(kind):
    return 201 if kind == "create" else 200


def summarize(samples, watcher, started, ended, max_latency_ms):
    ok = [s for s in samples if s[2] == expected_status(s[1]) and s[3] <= max_latency_ms]
    failed = [s for s in samples if s[2] != expected_status(s[1]) or s[3] > max_latency_ms]
    lat = [s[3] for s in samples]
    by_kind = {}
    for kind in ("list", "search", "create"):
        ks = [s[3] for s in samples if s[1] == kind]
        by_kind[kind] = {"count": len(ks), "p50_ms": percentile(ks, 50), "p99_ms": percentile(ks, 99),
                         "max_ms": max(ks) if ks else None}
    # Requests per second over the run: a starved server shows as seconds with nothing served.
    seconds = {}
    for s in ok:
        seconds[int(s[0] - started)] = seconds.get(int(s[0] - started), 0) + 1
    duration = max(ended - started, 1e-9)
    empty_seconds = sum(1 for sec in range(int(duration)) if seconds.get(sec, 0) == 0)
    return {
        "requests": len(samples),
        "ok": len(ok),
        "failed": len(failed),
        "failures": [{"t": round(s[0] - started, 2), "kind": s[1], "status": s[2], "ms": round(s[3], 1), "error": s[4]}
                     for s in failed[:20]],
        "duration_s": round(duration, 1),
        "p50_ms": percentile(lat, 50),
        "p99_ms": percentile(lat, 99),
        "max_ms": max(lat) if lat else None,
        "by_kind": by_kind,
        "seconds_without_a_served_request": empty_seconds,
        "server": watcher.summary(),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True, help="the server's pid, for /proc/<pid>/status")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", required=True)
    ap.add_argument("--stop-file", help="stop when this file exists")
    ap.add_argument("--ready-file", help="created once signed in and the first request succeeded")
    ap.add_argument("--duration", type=float, default=600, help="stop after this many seconds at most")
    ap.add_argument("--interval", type=float, default=0.05, help="pause between requests (s)")
    ap.add_argument("--timeout", type=float, default=15, help="give up on a request after this long (s)")
    ap.add_argument("--max-latency", type=float, default=5, help="a request slower than this was not served (s)")
    ap.add_argument("--keep-alive", action="store_true", help="reuse one connection instead of a new one per request")
    ap.add_argument("--rss-limit-mb", type=float, default=400)
    ap.add_argument("--min-requests", type=int, default=20)
    ap.add_argument("--out", help="write the figures here as JSON")
    ap.add_argument("--from", dest="source", default="127.0.0.1",
                    help="the local address to connect from (any 127.x.y.z): the user, apart from an attacker on 127.0.0.1")
    args = ap.parse_args()

    watcher = ProcessWatcher(args.pid)
    watcher.start()
    token = login(args.port, args.user, args.password, source=args.source)
    client = SteadyClient(args.port, token, args.timeout, args.keep_alive, args.source)
    if client.request("list", "GET", "/api/v1/customers?limit=20") != 200:
        print("steady client: the first ordinary request failed before any attack:", client.samples[-1])
        return 1
    client.samples.clear()
    watcher.mark_before()
    if args.ready_file:
        open(args.ready_file, "w").close()
    started = time.time()
    i = 0
    while time.time() - started < args.duration and not (args.stop_file and os.path.exists(args.stop_file)):
        client.step(i)
        i += 1
        time.sleep(args.interval)
    ended = time.time()
    client.close()
    time.sleep(0.5)
    watcher.stop()
    result = summarize(client.samples, watcher, started, ended, args.max_latency * 1000)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)

    srv = result["server"]
    print("steady client: %d ordinary requests in %.0f s (%s), %d failed; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms"
          % (result["requests"], result["duration_s"],
             ", ".join("%d %s" % (v["count"], k) for k, v in result["by_kind"].items()),
             result["failed"], result["p50_ms"] or 0, result["p99_ms"] or 0, result["max_ms"] or 0))
    print("steady client: seconds in which no ordinary request was served: %d" % result["seconds_without_a_served_request"])
    print("server: RSS before %.1f MB, peak %.1f MB, after %.1f MB; threads peak %d; open sockets peak %d"
          % (srv["rss_before_mb"], srv["rss_peak_mb"], srv["rss_after_mb"], srv["threads_peak"], srv["sockets_peak"]))
    for f in result["failures"][:10]:
        print("  failed: at %.1f s %s -> %s after %.0f ms %s" % (f["t"], f["kind"], f["status"], f["ms"], f["error"][:120]))
    bad = False
    if result["failed"]:
        print("FAILED: %d ordinary requests were not served (failed, or slower than %g s)" % (result["failed"], args.max_latency))
        bad = True
    if result["requests"] < args.min_requests:
        print("FAILED: only %d ordinary requests were made (at least %d expected)" % (result["requests"], args.min_requests))
        bad = True
    if srv["rss_peak_mb"] > args.rss_limit_mb:
        print("FAILED: the server's RSS peaked at %.1f MB, above %.0f MB" % (srv["rss_peak_mb"], args.rss_limit_mb))
        bad = True
    if not srv["alive_after"]:
        print("FAILED: the server process is gone")
        bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
