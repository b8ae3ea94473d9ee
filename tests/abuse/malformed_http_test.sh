#!/usr/bin/env bash
# malformed_http_test.sh — broken HTTP at volume against a real crm-server while a well-behaved user
# keeps working (docs/abuse_tests.md, test 1).
#
#   tests/abuse/malformed_http_test.sh CRM_SERVER [SECONDS] [CONNECTIONS]     (CI: 40 s, 12 connections)
#
# malformed_http.py sends every malformed case of malformed_cases.py, then random ones, from
# CONNECTIONS connections at once; meanwhile steady_client.py lists and creates customers and watches
# the server's RSS. Passes when every ordinary request succeeded, every broken request got a 4xx or a
# closed connection (never 2xx, never 5xx), the server's RSS stayed below 400 MB, and the server is
# alive and answers /healthz afterwards. KEHU_ABUSE_STRICT=1 also fails on the known deviations.
set -u
bin=${1:?usage: malformed_http_test.sh CRM_SERVER [SECONDS] [CONNECTIONS]}
seconds=${2:-40}
connections=${3:-12}
# shellcheck source=tests/abuse/lib.sh
source "$(dirname "$0")/lib.sh"
abuse_start "$bin" || exit 1

python3 "$abuse_dir/steady_client.py" --port "$port" --pid "$server_pid" --password "$admin_password" \
  --stop-file "$work/stop" --ready-file "$work/ready" --out "$work/steady.json" > "$work/steady.out" 2>&1 &
steady=$!
extra_pids+=("$steady")
for _ in $(seq 300); do [[ -e $work/ready ]] && break; kill -0 "$steady" 2>/dev/null || break; sleep 0.1; done
[[ -e $work/ready ]] || { echo "FAILED: the steady client did not start"; cat "$work/steady.out"; abuse_show_log; exit 1; }

strict=()
[[ ${KEHU_ABUSE_STRICT:-0} == 1 ]] && strict=(--strict)
python3 "$abuse_dir/malformed_http.py" --port "$port" --password "$admin_password" --duration "$seconds" \
  --concurrency "$connections" --out "$work/malformed.json" "${strict[@]}"
attack=$?

touch "$work/stop"
wait "$steady"
steady_status=$?
cat "$work/steady.out"

failed=0
[[ $attack == 0 ]] || { echo "FAILED: some malformed requests got an answer they must not get (above)"; failed=1; }
[[ $steady_status == 0 ]] || { echo "FAILED: the well-behaved client was not served well (above)"; failed=1; }
if abuse_server_healthy; then
  echo "server: alive and /healthz answers 200 after the attack"
else
  echo "FAILED: the server is gone or /healthz does not answer after the attack"
  failed=1
fi
[[ $failed == 0 ]] || abuse_show_log
[[ -n ${KEHU_ABUSE_KEEP:-} ]] && cp "$work"/*.json "$KEHU_ABUSE_KEEP"/ 2>/dev/null
[[ $failed == 0 ]] && echo "malformed HTTP test passed"
exit $failed
