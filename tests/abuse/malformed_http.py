#!/usr/bin/env python3
"""malformed_http.py — throws broken HTTP at a running crm-server from many connections at once.

Every case of malformed_cases.py runs once first, then cases are picked at random (with a byte-flipped
good request one time in ten) by --concurrency threads until --duration has passed. Cases that leave
the server waiting (stalls) run at most --stall-concurrency at a time. Each answer is checked against
the case's expectation (malformed_cases.py); the program prints a table of what the server answered
per case and exits 1 when any case got an answer it must not get: a 2xx/3xx for a broken request, any
5xx, a Range answer past its size bound, or silence with the connection left open past the server's
own read timeout. Deviations cpp-httplib is known for are reported, and fail only with --strict.

Raw sockets, standard library only. Signs in as --user to get a token for the API cases.
"""
import argparse
import collections
import json
import random
import socket
import sys
import threading
import time

from abuse_common import login, percentile
from malformed_cases import cases, pick


class Ctx:
    def __init__(self, port, token):
        self.port = port
        self.token = token


def parse_responses(buf, closed):
    """The complete responses at the start of `buf`: [(status, size)]. A response without a length
    ends at the close. Interim 1xx answers are skipped."""
    out = []
    pos = 0
    while True:
        end = buf.find(b"\r\n\r\n", pos)
        if end < 0:
            break
        head = buf[pos:end].decode("latin-1")
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            out.append((-1, len(buf) - pos))  # not HTTP at all: count it as a bad answer
            return out, len(buf)
        status = int(parts[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        body_start = end + 4
        if 100 <= status < 200:
            pos = body_start
            continue
        if "content-length" in headers:
            total = body_start + int(headers["content-length"])
            if len(buf) < total:
                break
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            total = chunked_end(buf, body_start)
            if total is None:
                break
        elif status in (204, 304):
            total = body_start
        else:
            if not closed:
                break
            total = len(buf)
        out.append((status, total - pos))
        pos = total
    return out, pos


def chunked_end(buf, pos):
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return None
        size = int(buf[pos:eol].split(b";")[0] or b"0", 16)
        pos = eol + 2
        if size == 0:
            end = buf.find(b"\r\n", pos)
            return None if end < 0 else end + 2
        pos += size + 2
        if pos > len(buf):
            return None


def run_case(case, ctx, timeout):
    """Sends the case on a new connection and reads what comes back. Returns a dict of what happened."""
    want = {"reject": 1, "tolerate": 1, "close_after": 2, "reject_close": 2, "pipeline": 2, "pipeline_all": 100}[case.expect]
    steps = case.build(ctx)
    started = time.monotonic()
    sent_error = ""
    try:
        s = socket.create_connection(("127.0.0.1", ctx.port), timeout=10)
    except OSError as e:
        return {"case": case, "statuses": [], "closed": False, "hung": False, "connect_error": str(e), "seconds": 0.0, "bytes": 0}
    buf = b""
    closed = False
    try:
        s.settimeout(timeout)
        for step in steps:
            if isinstance(step, bytes):
                s.sendall(step)
            elif step[0] == "sleep":
                time.sleep(step[1])
            elif step[0] == "stream":  # ("stream", seconds): body bytes as fast as the server takes them
                until = time.monotonic() + step[1]
                while time.monotonic() < until:
                    s.sendall(b" " * 65536)
                    time.sleep(0.01)  # ~6 MB/s: enough to keep the server reading, little CPU
            elif step[0] == "shutdown":
                s.shutdown(socket.SHUT_WR)
    except OSError as e:  # the server closed on us mid-request (EPIPE, ECONNRESET): it refused it
        sent_error = type(e).__name__
    # Read until enough answers, a close, or silence (the whole timeout before a first answer; after
    # one, 1.5 s is plenty for a pipelined request to be answered).
    responses = []
    answered_at = None
    follow_up = case.follow_up
    deadline = time.monotonic() + timeout
    while True:
        now = time.monotonic()
        wait = (deadline - now) if not responses else min(1.5, deadline - now)
        if wait <= 0:
            break
        s.settimeout(wait)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except OSError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        buf += chunk
        responses, _ = parse_responses(buf, False)
        if responses and answered_at is None:
            answered_at = time.monotonic()
        if len(responses) >= want:
            break
        if responses and follow_up:
            try:  # a good request on the same connection after the first answer
                s.sendall(follow_up)
            except OSError:
                closed = True
                break
            follow_up = None
    if closed:
        responses, _ = parse_responses(buf, True)
    ended = time.monotonic()
    s.close()
    hung = not responses and not closed and not sent_error
    return {"case": case, "statuses": [r[0] for r in responses], "closed": closed or bool(sent_error), "hung": hung,
            "seconds": (answered_at or ended) - started, "bytes": len(buf), "connect_error": ""}


def verdict(r):
    """(failure or "", deviation or ""): what was wrong with this answer."""
    case, st = r["case"], r["statuses"]
    first = st[0] if st else None
    if r["connect_error"]:
        return "could not connect: " + r["connect_error"], ""
    if r["hung"]:
        return "no answer and the connection still open after %.0f s" % r["seconds"], ""
    if any((s >= 500 and s not in case.allowed) or s < 0 for s in st):
        return "answered %s" % st, ""
    if case.expect in ("reject", "reject_close"):
        if first is not None and not 400 <= first < 500 and first not in case.allowed:
            return ("", "answered %d" % first) if case.known else ("answered %d to a broken request" % first, "")
        if case.expect == "reject_close" and len(st) > 1:
            return ("", "answered %s on the same connection" % st) if case.known else ("kept serving after the 4xx: %s" % st, "")
    elif case.expect == "tolerate":
        if case.max_bytes and r["bytes"] > case.max_bytes:
            return "answer of %d bytes, above the bound of %d" % (r["bytes"], case.max_bytes), ""
    elif case.expect == "close_after":
        if first is not None and 200 <= first < 300 and len(st) > 1:
            return ("", "answered %d and kept the connection (then %s)" % (first, st[1:])) if case.known else \
                ("kept the connection after answering %d" % first, "")
    elif case.expect == "pipeline_all":
        if st != [200] * 100:
            summary = "%d of 100 answered, %d of them 200" % (len(st), st.count(200))
            return ("", summary) if case.known else (summary, "")
    elif case.expect == "pipeline":
        if first is None or not 200 <= first < 300:
            return "the good request was answered %s" % first, ""
        if len(st) > 1 and not 400 <= st[1] < 500:
            return "the garbage behind it was answered %d" % st[1], ""
    return "", ""


def outcome_label(r):
    st = r["statuses"]
    if r["connect_error"]:
        return "connect error"
    if not st:
        return "closed" if r["closed"] else "hung"
    label = "/".join(str(s) for s in st[:3]) + ("/..." if len(st) > 3 else "")
    return label + (", closed" if r["closed"] and r["case"].expect != "tolerate" else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", required=True)
    ap.add_argument("--duration", type=float, default=40, help="seconds of random cases after the first pass")
    ap.add_argument("--concurrency", type=int, default=12)
    ap.add_argument("--stall-concurrency", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=15, help="client-side wait for an answer (s); the server's read timeout is 10 s")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--strict", action="store_true", help="known deviations fail too")
    ap.add_argument("--out", help="write per-case figures here as JSON")
    args = ap.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    ctx = Ctx(args.port, login(args.port, args.user, args.password))
    all_cases = cases()
    first_pass = list(all_cases)
    lock = threading.Lock()
    stall_slots = threading.Semaphore(args.stall_concurrency)
    results = []
    started = time.monotonic()
    stop_at = None  # set when the first pass is done

    def worker(n):
        nonlocal stop_at
        rng = random.Random(seed * 1000 + n)
        while True:
            with lock:
                case = first_pass.pop() if first_pass else None
                if case is None and stop_at is None:
                    stop_at = time.monotonic() + args.duration
            if case is None:
                if time.monotonic() >= stop_at:
                    return
                got_slot = stall_slots.acquire(blocking=False)
                case = pick(all_cases, rng, got_slot)
                if got_slot and not case.stall:
                    stall_slots.release()
                    got_slot = False
            else:
                got_slot = case.stall
                if got_slot:
                    stall_slots.acquire()
            try:
                r = run_case(case, ctx, args.timeout)
            finally:
                if got_slot:
                    stall_slots.release()
            with lock:
                results.append(r)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started

    per_case = collections.OrderedDict()
    failures, deviations = [], []
    for r in results:
        name = r["case"].name
        e = per_case.setdefault(name, {"family": r["case"].family, "expect": r["case"].expect, "known": r["case"].known,
                                       "runs": 0, "outcomes": collections.Counter(), "seconds": [], "bytes_max": 0})
        e["runs"] += 1
        e["outcomes"][outcome_label(r)] += 1
        e["seconds"].append(r["seconds"])
        e["bytes_max"] = max(e["bytes_max"], r["bytes"])
        fail, dev = verdict(r)
        if fail:
            failures.append((name, fail))
        if dev:
            deviations.append((name, dev))

    print("malformed HTTP: %d requests on %d connections at a time in %.0f s (%.1f/s), %d cases, seed %d"
          % (len(results), args.concurrency, elapsed, len(results) / elapsed, len(per_case), seed))
    print("%-52s %-8s %5s  %-36s %8s" % ("case", "expect", "runs", "answers (count)", "answer s"))
    order = sorted(per_case.items(), key=lambda kv: kv[1]["family"])
    for name, e in order:
        answers = ", ".join("%s (%d)" % (k, v) for k, v in e["outcomes"].most_common(3))
        print("%-52s %-8s %5d  %-36s %8.2f" % (name[:52], e["expect"][:8], e["runs"], answers[:36], percentile(e["seconds"], 50)))
    dev_names = collections.Counter(n for n, _ in deviations)
    for name, count in dev_names.items():
        note = per_case[name]["known"]
        example = next(d for n, d in deviations if n == name)
        print("KNOWN DEVIATION (%d runs): %s: %s — %s" % (count, name, example, note))
    fail_names = collections.Counter(n for n, _ in failures)
    for name, count in fail_names.items():
        example = next(f for n, f in failures if n == name)
        print("FAILED (%d runs): %s: %s" % (count, name, example))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"requests": len(results), "seconds": round(elapsed, 1), "seed": seed,
                       "failures": len(failures), "deviations": len(deviations),
                       "cases": {n: {"family": e["family"], "expect": e["expect"], "runs": e["runs"],
                                     "answers": dict(e["outcomes"]), "p50_s": percentile(e["seconds"], 50),
                                     "max_s": round(max(e["seconds"]), 2), "bytes_max": e["bytes_max"],
                                     "known": e["known"]} for n, e in per_case.items()}}, f, indent=1)
    missing = [c.name for c in all_cases if c.name not in per_case]
    if missing:
        print("FAILED: cases that never ran: %s" % missing)
    bad = failures or missing or (args.strict and deviations)
    print("malformed HTTP: %d answers broke the rules, %d known deviations%s" %
          (len(failures), len(deviations), " (fail: --strict)" if args.strict and deviations else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
