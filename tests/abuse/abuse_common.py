"""abuse_common.py — what the abuse tests' Python helpers share: signing in, percentiles, and a watcher
of the server process (VmRSS and Threads from /proc/<pid>/status, open sockets from /proc/<pid>/fd).

Standard library only. The watcher runs on its own thread and samples every `period` seconds.
"""
import http.client
import json
import os
import threading
import time


def login(port, user, password, timeout=30, source="127.0.0.1"):
    """POST /api/v1/auth/login from the local address `source`; returns the session token or raises."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    conn.request("POST", "/api/v1/auth/login", body=json.dumps({"username": user, "password": password}),
                 headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    if resp.status != 200:
        raise RuntimeError("sign-in as %s answered %d: %s" % (user, resp.status, body[:200]))
    return json.loads(body)["token"]


def percentile(values, p):
    """The p-th percentile (nearest rank) of `values`, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(round(p / 100.0 * len(ordered) + 0.5))))
    return round(ordered[rank - 1], 1)


def read_status(pid):
    """(VmRSS in MB, Threads) of the process, or None when it is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            text = f.read()
    except OSError:
        return None
    rss_kb, threads = 0, 0
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            rss_kb = int(line.split()[1])
        elif line.startswith("Threads:"):
            threads = int(line.split()[1])
    return rss_kb / 1024.0, threads


def count_sockets(pid):
    """Open sockets of the process (its listening socket included), or 0 when it is gone."""
    n = 0
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                if os.readlink("/proc/%d/fd/%s" % (pid, fd)).startswith("socket:"):
                    n += 1
            except OSError:
                pass
    except OSError:
        return 0
    return n


class ProcessWatcher(threading.Thread):
    """Samples the server's RSS, threads and sockets until stop(); summary() gives before/peak/after."""

    def __init__(self, pid, period=0.2):
        super().__init__(daemon=True)
        self.pid = pid
        self.period = period
        self._stop_event = threading.Event()
        self.rss_before = None
        self.rss_peak = 0.0
        self.threads_peak = 0
        self.sockets_peak = 0
        self.last = None

    def mark_before(self):
        st = read_status(self.pid)
        self.rss_before = st[0] if st else 0.0

    def run(self):
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.period)

    def sample(self):
        st = read_status(self.pid)
        if st is None:
            self.last = None
            return
        self.last = st
        self.rss_peak = max(self.rss_peak, st[0])
        self.threads_peak = max(self.threads_peak, st[1])
        self.sockets_peak = max(self.sockets_peak, count_sockets(self.pid))

    def stop(self):
        self._stop_event.set()
        self.join()
        self.sample()

    def summary(self):
        after = self.last
        return {
            "rss_before_mb": round(self.rss_before or 0.0, 1),
            "rss_peak_mb": round(self.rss_peak, 1),
            "rss_after_mb": round(after[0], 1) if after else 0.0,
            "threads_peak": self.threads_peak,
            "sockets_peak": self.sockets_peak,
            "alive_after": after is not None,
        }
