# shellcheck shell=bash
# lib.sh — what the abuse tests share: a crm-server of their own on a free loopback port, with a fresh
# data folder and static folder under a temporary directory that an EXIT trap removes, and an admin
# whose password the test chose. Sourced by the *_test.sh runners; not run on its own.
#
#   source lib.sh; abuse_start "$bin" || exit 1   → $port, $server_pid, $work, $admin_password
#
# The server runs in the background; the EXIT trap (abuse_cleanup) ends it, and what the test put in
# extra_pids, by pid only.

# shellcheck disable=SC2034  # used by the scripts that source this
abuse_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kehu-abuse.XXXXXX")
server_pid=""
extra_pids=()
admin_password="abuse-admin-$RANDOM-$RANDOM"
abuse_cleanup() {
  for p in "${extra_pids[@]}"; do kill "$p" 2>/dev/null; done
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap abuse_cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A static folder with a page big enough for Range requests to have something to cut (64 KiB).
abuse_static_folder() {
  mkdir -p "$work/web"
  python3 - "$work/web/index.html" <<'EOF'
import sys
line = "<p>Kehu abuse test page: ranges of this file are asked for in many ways.</p>\n"
body = "<!doctype html><html><head><meta charset='utf-8'><title>Kehu</title></head><body>\n"
while len(body) < 65536 - 20:
    body += line
open(sys.argv[1], "w").write((body + "</body></html>\n")[:65536])
EOF
}

# abuse_start BIN: starts `BIN serve` and waits until /healthz answers (20 s at most).
abuse_start() {
  local bin=$1
  [[ -x $bin ]] || { echo "abuse test: no crm-server at $bin" >&2; return 1; }
  abuse_static_folder
  port=$(free_port)
  KEHU_ADMIN_PASSWORD=$admin_password "$bin" serve --db "$work/data/kehu.db" --port "$port" --host 127.0.0.1 \
    --static "$work/web" > "$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "abuse test: the server did not start:" >&2
  cat "$work/server.log" >&2
  return 1
}

# True while the server process lives and /healthz answers 200.
abuse_server_healthy() {
  kill -0 "$server_pid" 2>/dev/null && [[ $(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz") == 200 ]]
}

# The server's log, when something failed: it is in the temporary folder the trap removes.
abuse_show_log() {
  echo "--- server log (last 40 lines) ---"
  tail -40 "$work/server.log"
}
