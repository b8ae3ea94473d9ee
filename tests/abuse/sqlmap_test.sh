#!/usr/bin/env bash
# sqlmap_test.sh — sqlmap against every search and filter parameter of the list routes of a real
# crm-server, signed in with a Bearer token (docs/abuse_tests.md, test 3).
#
#   tests/abuse/sqlmap_test.sh CRM_SERVER [quick|full] [PROCESSES]      (CI: quick, 2 processes)
#
# sqlmap_targets.py seeds one record of every kind and asks the server which query parameters each list
# route takes (one target URL per parameter); sqlmap then tests them all, split over PROCESSES sqlmap
# processes. quick: --level=1 --risk=1 --technique=BEU --dbms=SQLite (boolean-blind, error-based, UNION)
# on the record lists and the audit log. full: --level=3 --risk=3 --technique=BEUST (adds stacked and
# time-based heavy queries, more boundaries and the User-Agent/Referer headers) and also the statistics,
# /sync and /directory. First, a positive control: the same sqlmap options must find the injection in
# sqlmap_control_server.py, or a clean result would mean nothing. sqlmap_report.py decides (sqlmap's exit
# status does not say whether it found anything). Last, `sort` of every list must refuse ORDER BY
# payloads with 400: sqlmap does not detect an ORDER BY injection into SQLite even at --level=4.
set -u
bin=${1:?usage: sqlmap_test.sh CRM_SERVER [quick|full] [PROCESSES]}
mode=${2:-quick}
processes=${3:-2}
command -v sqlmap > /dev/null || { echo "FAILED: sqlmap is not installed (Debian: apt-get install sqlmap)"; exit 1; }
# shellcheck source=tests/abuse/lib.sh
source "$(dirname "$0")/lib.sh"

if [[ $mode == full ]]; then
  options=(--level=3 --risk=3 --technique=BEUST --dbms=SQLite --time-sec=2)
  full=(--full)
else
  options=(--level=1 --risk=1 --technique=BEU --dbms=SQLite)
  full=()
fi
common=(--batch --disable-coloring --skip-waf --timeout=15 --retries=1 -v 1)
failed=0
started=$(date +%s)

# Positive control.
control_port=$(free_port)
python3 "$abuse_dir/sqlmap_control_server.py" --port "$control_port" --token control-token &
extra_pids+=($!)
echo "http://127.0.0.1:$control_port/api/v1/things?name=Injection+Test+Trading+Co" > "$work/control.txt"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$control_port/" && break; sleep 0.1; done
sqlmap -m "$work/control.txt" -H "Authorization: Bearer control-token" "${options[@]}" "${common[@]}" \
  --output-dir="$work/control-out" --results-file="$work/control.csv" > "$work/control.log" 2>&1
python3 "$abuse_dir/sqlmap_report.py" --label "positive control" --targets "$work/control.txt" --logs "$work/control.log" \
  --results "$work/control.csv" --expect-injectable name || failed=1

# The real server.
abuse_start "$bin" || exit 1
token=$(python3 "$abuse_dir/sqlmap_targets.py" --port "$port" --password "$admin_password" --targets "$work/targets.txt" \
  --params "$work/params.json" "${full[@]}" | tee "$work/targets.out" | tail -1)
head -n -1 "$work/targets.out"
[[ -s $work/targets.txt ]] || { echo "FAILED: no targets"; abuse_show_log; exit 1; }
split -n "r/$processes" -d "$work/targets.txt" "$work/part-"
logs=() results=() parts=() runs=()
for part in "$work"/part-*; do
  [[ -s $part ]] || continue
  name=$(basename "$part")
  sqlmap -m "$part" -H "Authorization: Bearer $token" "${options[@]}" "${common[@]}" \
    --output-dir="$work/out-$name" --results-file="$work/$name.csv" > "$work/$name.log" 2>&1 &
  runs+=($!)
  extra_pids+=($!)
  logs+=("$work/$name.log") results+=("$work/$name.csv") parts+=("$part")
done
for r in "${runs[@]}"; do wait "$r" || { echo "FAILED: sqlmap exited with $? (see below)"; failed=1; }; done
join() { local IFS=,; echo "$*"; }
python3 "$abuse_dir/sqlmap_report.py" --label "sqlmap $mode (${options[*]})" --targets "$(join "${parts[@]}")" \
  --logs "$(join "${logs[@]}")" --results "$(join "${results[@]}")" --out "$work/sqlmap.json" || failed=1
[[ $failed == 0 ]] || grep -h "CRITICAL\|ERROR.*\(connection\|timed out\)" "${logs[@]}" | sort | uniq -c | head -20

# ORDER BY: sort takes a field name from an allow-list; anything else is a 400 naming the parameter.
sort_bad=0 sort_checked=0
for route in $(python3 -c 'import json,sys; print(" ".join(k for k, v in json.load(open(sys.argv[1])).items() if "sort" in v))' "$work/params.json"); do
  for payload in 'name,(SELECT 1)' '(CASE WHEN 1=1 THEN id ELSE rev END)' '-id;DROP TABLE customers' 'id DESC' \
                 'id--' 'RANDOM()' '1' "name' OR '1'='1"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -G -H "Authorization: Bearer $token" --data-urlencode "sort=$payload" \
      "http://127.0.0.1:$port$route")
    sort_checked=$((sort_checked + 1))
    [[ $code == 400 ]] || { echo "FAILED: $route?sort=$payload answered $code, not 400"; sort_bad=1; }
  done
done
echo "sort: $sort_checked ORDER BY payloads on the list routes, $( [[ $sort_bad == 0 ]] && echo 'all refused with 400' || echo 'NOT all refused')"
[[ $sort_bad == 0 ]] || failed=1

if abuse_server_healthy; then
  echo "server: alive and /healthz answers 200 after sqlmap"
else
  echo "FAILED: the server is gone or /healthz does not answer after sqlmap"
  failed=1
fi
[[ $failed == 0 ]] || abuse_show_log
[[ -n ${KEHU_ABUSE_KEEP:-} ]] && cp "$work/sqlmap.json" "$work/params.json" "$KEHU_ABUSE_KEEP"/ 2>/dev/null
echo "sqlmap test took $(( $(date +%s) - started )) s"
[[ $failed == 0 ]] && echo "sqlmap test passed"
exit $failed
