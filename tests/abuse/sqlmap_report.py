#!/usr/bin/env python3
"""sqlmap_report.py — reads what sqlmap printed and wrote, and says whether anything was injectable.

sqlmap's exit status does not tell: it exits 0 whether or not it found an injection (only a crash or a
critical error, such as a refused connection, gives 1). What does tell:
  - the CSV of --results-file (multiple-target mode): one line per injection point found (false positives
    included, with a note) below the header;
  - the log: "sqlmap identified the following injection point(s)", "GET parameter 'x' is vulnerable",
    "heuristic (basic) test shows that GET parameter 'x' might be injectable" (a database error leaked
    into the answer), and per parameter "testing for SQL injection on GET parameter 'x'" then "GET
    parameter 'x' does not seem to be injectable".
This fails when any injection point or leaked database error was found, when a target parameter was not
tested (sqlmap skips some on its own), on a [CRITICAL] line, a 401 (the token stopped working: nothing
was tested), or a 5xx answer to a payload (SPEC §5: never 500 on bad input).
With --expect-injectable (the positive control), it fails unless those parameters WERE found.
"""
import argparse
import collections
import json
import re
import sys
import urllib.parse


PARAM = r"(GET |POST |URI |Cookie )?parameter '([^']*)'"


def name_of(m):
    """A query parameter by its name; a header as "(header) Name"."""
    return m.group(2) if m.group(1) == "GET " else "(%s) %s" % ((m.group(1) or "header ").strip(), m.group(2))


def parse_log(path, seen):
    url = None
    with open(path, errors="replace") as f:
        for line in f:
            m = re.search(r"\[INFO\] testing URL '([^']*)'", line)
            if m:
                url = urllib.parse.urlsplit(m.group(1)).path
                continue
            # "GET parameter 'q'", or at --level >= 3 "parameter 'User-Agent'" (a header).
            m = re.search(r"testing for SQL injection on " + PARAM, line)
            if m:
                seen["tested"].add((url, name_of(m)))
            m = re.search(PARAM + r" does not seem to be injectable", line)
            if m:
                seen["clean"].add((url, name_of(m)))
            m = re.search(PARAM + r" (is vulnerable|appears to be .* injectable)", line)
            if m:
                seen["found"].add((url, name_of(m)))
            m = re.search(r"heuristic \(basic\) test shows that " + PARAM + " might be injectable", line)
            if m:
                seen["heuristic"].add((url, name_of(m)))
            m = re.search(r"heuristic \(XSS\) test shows that " + PARAM, line)
            if m:
                seen["xss"].add((url, name_of(m)))
            if "sqlmap identified the following injection point" in line:
                seen["identified"] += 1
            if "[CRITICAL]" in line:
                seen["critical"].append(line.strip())
            m = re.match(r"^(\d{3}) \(([^)]*)\) - (\d+) times", line.strip())
            if m:
                seen["codes"][m.group(1)] += int(m.group(3))


def parse_results(path, seen):
    try:
        with open(path, errors="replace") as f:
            rows = [line.strip() for line in f if line.strip()]
    except OSError:
        return
    for row in rows[1:]:  # the header first
        parts = row.split(",")
        if len(parts) >= 3:
            seen["found"].add((urllib.parse.urlsplit(parts[0]).path, parts[2]))
        seen["csv_rows"].append(row)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--targets", required=True, help="the -m file(s) sqlmap was given, comma-separated")
    ap.add_argument("--logs", required=True, help="sqlmap's output, comma-separated")
    ap.add_argument("--results", default="", help="--results-file CSVs, comma-separated")
    ap.add_argument("--expect-injectable", default="", help="positive control: these parameters must be found")
    ap.add_argument("--label", default="sqlmap")
    ap.add_argument("--out", help="write the figures as JSON")
    args = ap.parse_args()

    targets = set()
    for path in args.targets.split(","):
        for line in open(path):
            if line.strip():
                u = urllib.parse.urlsplit(line.strip())
                for name, _ in urllib.parse.parse_qsl(u.query, keep_blank_values=True):
                    targets.add((u.path, name))
    seen = {"tested": set(), "clean": set(), "found": set(), "heuristic": set(), "xss": set(), "identified": 0,
            "critical": [], "codes": collections.Counter(), "csv_rows": []}
    for path in args.logs.split(","):
        parse_log(path, seen)
    for path in filter(None, args.results.split(",")):
        parse_results(path, seen)

    routes = collections.defaultdict(list)
    for route, name in sorted(seen["tested"]):
        if not name.startswith("("):
            routes[route].append(name)
    headers = {name.split(") ", 1)[1] for _, name in seen["tested"] if name.startswith("(")}
    print("%s: %d of %d target parameters tested on %d routes%s; %d injectable, %d leaked a database error; answers to payloads: %s"
          % (args.label, len(seen["tested"] & targets), len(targets), len(routes),
             " (and the headers %s)" % ", ".join(sorted(headers)) if headers else "", len(seen["found"]), len(seen["heuristic"]),
             ", ".join("%s x%d" % kv for kv in sorted(seen["codes"].items())) or "none"))
    for route, names in routes.items():
        print("  %s: %s" % (route, " ".join(names)))
    if seen["xss"]:
        print("  (sqlmap's XSS heuristic saw a payload echoed in %d JSON error answers; JSON is not rendered as HTML)" % len(seen["xss"]))

    problems = []
    if args.expect_injectable:
        expected = set(args.expect_injectable.split(","))
        found_names = {name for _, name in seen["found"]}
        if not expected <= found_names:
            problems.append("the positive control's injectable parameters %s were not all found (found %s): sqlmap or "
                            "this report is not working, so a clean result would mean nothing" % (sorted(expected), sorted(found_names)))
    else:
        for route, name in sorted(seen["found"]):
            problems.append("INJECTABLE: %s parameter %s" % (route, name))
        for route, name in sorted(seen["heuristic"]):
            problems.append("a database error leaked: %s parameter %s" % (route, name))
        if seen["identified"]:
            problems.append("sqlmap identified injection points %d times" % seen["identified"])
        for row in seen["csv_rows"]:
            problems.append("results file: " + row)
        for code, n in seen["codes"].items():
            if code.startswith("5"):
                problems.append("%d answers with HTTP %s to sqlmap's payloads" % (n, code))
        if seen["codes"].get("401"):
            problems.append("401 answers: the token stopped working, so parameters went untested")
        untested = sorted(targets - seen["tested"])
        if untested:
            problems.append("parameters sqlmap did not test: %s" % untested)
    for line in seen["critical"]:
        problems.append("sqlmap: " + line)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"targets": len(targets), "tested": len(seen["tested"] & targets), "routes": routes,
                       "found": sorted(seen["found"]), "heuristic": sorted(seen["heuristic"]),
                       "codes": dict(seen["codes"])}, f, indent=1)
    for p in problems:
        print("FAILED: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
