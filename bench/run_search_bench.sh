#!/usr/bin/env bash
# run_search_bench.sh — customer search and GET-by-id at N customers: in process, over HTTP, under wrk, and
# the same SQL in the sqlite3 CLI as the floor, with a summary table at the end.
#
#   bench/run_search_bench.sh [N]          N customers (default 100000)
#
# Builds nothing. Expects ${BUILD:-build}/bench/{kehu-gen,kehu-bench-search}; uses, when present,
# ${BUILD}/server/crm-server (HTTP and wrk parts), ${BUILD}/kehu-sqlite3 (CLI part), curl and wrk.
# The database is ${KEHU_BENCH_DIR:-/tmp/kehu-bench}/customers-N.db, generated once and reused.
# Other knobs: ITERATIONS (per query, default 20), GETS (GET-by-id requests, default 20000), CLI_RUNS (per statement, default 5), KEHU_BENCH_PORT,
# KEHU_ADMIN_PASSWORD (password of the bench-admin account the script adds), WRK_DURATION (default 10s).
set -euo pipefail

N=${1:-100000}
BUILD=${BUILD:-build}
DIR=${KEHU_BENCH_DIR:-/tmp/kehu-bench}
DB="$DIR/customers-$N.db"
GEN="$BUILD/bench/kehu-gen"
BENCH="$BUILD/bench/kehu-bench-search"
SERVER="$BUILD/server/crm-server"
CLI="$BUILD/kehu-sqlite3"
ITERATIONS=${ITERATIONS:-20}
GETS=${GETS:-20000}
CLI_RUNS=${CLI_RUNS:-5}
WRK_DURATION=${WRK_DURATION:-10s}
PORT=${KEHU_BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
ADMIN_PASSWORD=${KEHU_ADMIN_PASSWORD:-Kehu-bench-2025!}
BASE="http://127.0.0.1:$PORT"

for tool in "$GEN" "$BENCH"; do
  [ -x "$tool" ] || { echo "missing $tool: build it first (cmake --build $BUILD)" >&2; exit 1; }
done
have_server=0; [ -x "$SERVER" ] && command -v curl >/dev/null && have_server=1
have_cli=0; [ -x "$CLI" ] && have_cli=1

mkdir -p "$DIR"
WORK=$(mktemp -d "$DIR/run.XXXXXX")
mkdir -p "$WORK/static"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM  # so the EXIT trap stops the server on ^C or kill too

# Starts crm-server on $1 in the background; fails if /healthz does not answer within 30 s.
start_server() {
  KEHU_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$SERVER" serve --db "$1" --port "$PORT" --static "$WORK/static" \
    >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if curl -sf "$BASE/healthz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "crm-server did not come up; its log:" >&2
  tail -20 "$WORK/server.log" >&2 || true
  stop_server
  return 1
}

# Result line field of kehu-bench-search output: mode set column (4 p50, 5 p95, 6 max, 7 ops/s).
field() {
  [ -f "$1" ] || return 0
  awk -v m="$2" -v s="$3" -v c="$4" 'index($0, m " ") == 1 && $2 == s {print $c}' "$1" | head -1
}
# p50 and p95 (nearest rank) of the numbers on stdin, printed as "p50 p95".
p50_p95() {
  sort -g | awk '{a[NR]=$1} END {
    if (NR == 0) { print "- -"; exit }
    print a[rank(0.50)], a[rank(0.95)] }
    function rank(q,  i) { i = int(q * NR); if (i < q * NR) i++; return i < 1 ? 1 : i }'
}

# ---- 1. the database --------------------------------------------------------------------------------
if [ -f "$DB" ]; then
  echo "== reusing $DB"
else
  echo "== generating $N customers into $DB"
  rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
  "$GEN" --db "$DB.tmp" --customers "$N"
  mv "$DB.tmp" "$DB"
fi
# The bench signs in as its own administrator, added (or reset) through the CLI as an operator would.
if [ "$have_server" = 1 ]; then
  printf '%s\n' "$ADMIN_PASSWORD" | "$SERVER" user add bench-admin --role admin --db "$DB" >/dev/null 2>&1 ||
    printf '%s\n' "$ADMIN_PASSWORD" | "$SERVER" user passwd bench-admin --db "$DB" >/dev/null
fi

# ---- 2. in process ----------------------------------------------------------------------------------
echo "== in process"
"$BENCH" --db "$DB" --iterations "$ITERATIONS" --gets "$GETS" | tee "$WORK/inproc.txt"

# ---- 3. over HTTP, and wrk on GET-by-id ----------------------------------------------------------------
WRK_RPS="-"; WRK_LAT="-"
if [ "$have_server" = 0 ]; then
  echo "== skipping HTTP: $SERVER (or curl) is missing"
elif ! start_server "$DB"; then
  echo "== skipping HTTP: the server did not start"
else
  LOGIN=$(curl -s -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench-admin\",\"password\":\"$ADMIN_PASSWORD\"}")
  TOKEN=$(printf '%s' "$LOGIN" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
  if [ -z "$TOKEN" ]; then
    echo "== skipping HTTP: login as bench-admin failed: $LOGIN"
  else
    echo "== over HTTP ($BASE)"
    "$BENCH" --db "$DB" --no-inproc --iterations "$ITERATIONS" --gets "$GETS" --url "$BASE" --token "$TOKEN" | tee "$WORK/http.txt"
    if command -v wrk >/dev/null; then
      read -r MIN_ID MAX_ID < <("$BENCH" --db "$DB" --id-range)
      cat >"$WORK/get_by_id.lua" <<EOF
-- GET /api/v1/customers/{random id} with the bench's token.
local min_id, max_id = $MIN_ID, $MAX_ID
local auth = "Bearer $TOKEN"
local counter = 0
function setup(thread) counter = counter + 1; thread:set("seed", counter) end
function init(args) math.randomseed(os.time() + (seed or 0)) end
function request()
  return wrk.format("GET", "/api/v1/customers/" .. math.random(min_id, max_id), {["Authorization"] = auth})
end
EOF
      echo "== wrk -t2 -c16 -d$WRK_DURATION GET /api/v1/customers/{id}"
      wrk -t2 -c16 -d"$WRK_DURATION" --latency -s "$WORK/get_by_id.lua" "$BASE" | tee "$WORK/wrk.txt"
      WRK_RPS=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.txt")
      WRK_LAT=$(awk '$1=="50%" {p50=$2} $1=="99%" {p99=$2} END {print p50 "/" p99}' "$WORK/wrk.txt")
      if grep -q "Non-2xx" "$WORK/wrk.txt"; then echo "   WARNING: wrk saw non-2xx answers (see above)"; fi
    else
      echo "== skipping wrk: not installed"
    fi
  fi
fi

# ---- 4. the same SQL in the sqlite3 CLI ---------------------------------------------------------------
if [ "$have_cli" = 0 ]; then
  echo "== skipping the CLI comparison: $CLI is missing"
else
  echo "== sqlite3 CLI: each search (page + count statements) $CLI_RUNS times, best real time per search"
  "$BENCH" --print-sql >"$WORK/queries.sql"
  {
    echo ".timer on"
    while IFS= read -r line; do
      stmt="${line%%; -- set=*};"
      for _ in $(seq 1 "$CLI_RUNS"); do echo "$stmt"; done
    done <"$WORK/queries.sql"
  } >"$WORK/timed.sql"
  "$CLI" -readonly "$DB" <"$WORK/timed.sql" | awk '/^Run Time: real/ {print $4 * 1000}' >"$WORK/cli_times.txt"  # one line = page + count
  expected=$(( $(wc -l <"$WORK/queries.sql") * CLI_RUNS ))
  if [ "$(wc -l <"$WORK/cli_times.txt")" -ne "$expected" ]; then
    echo "   WARNING: expected $expected timings from the CLI, got $(wc -l <"$WORK/cli_times.txt")"
  fi
  # One "set best_ms q" line per query.
  sed -n 's/.*; -- set=\([^ ]*\) q=\(.*\)$/\1 \2/p' "$WORK/queries.sql" >"$WORK/query_names.txt"
  awk -v runs="$CLI_RUNS" 'NR == FNR { t[NR] = $1; next }
    { best = -1; for (k = 1; k <= runs; k++) { v = t[(FNR - 1) * runs + k]; if (v != "" && (best < 0 || v + 0 < best)) best = v + 0 }
      printf "%s %.3f %s\n", $1, best, $2 }' "$WORK/cli_times.txt" "$WORK/query_names.txt" >"$WORK/cli_best.txt"
  awk '{printf "  cli    %-6s best=%7.3f ms  q=%s\n", $1, $2, $3}' "$WORK/cli_best.txt"
fi

# ---- 5. summary ----------------------------------------------------------------------------------------
echo
echo "== summary: $N customers (ms; search = limit 50, default sort; CLI = the same page + count SQL in kehu-sqlite3)"
printf "%-6s %10s %10s %10s %10s %10s %10s %14s\n" set inproc_p50 inproc_p95 http_p50 http_p95 cli_p50 cli_p95 http_p95/cli_p95
for set in 1char 2char 4char; do
  ip50=$(field "$WORK/inproc.txt" inproc $set 4); ip95=$(field "$WORK/inproc.txt" inproc $set 5)
  hp50=$(field "$WORK/http.txt" http $set 4); hp95=$(field "$WORK/http.txt" http $set 5)
  cp50="-"; cp95="-"; ratio="-"
  if [ -s "$WORK/cli_best.txt" ]; then
    read -r cp50 cp95 < <(awk -v s=$set '$1==s {print $2}' "$WORK/cli_best.txt" | p50_p95)
  fi
  if [ -n "$hp95" ] && [ "$cp95" != "-" ]; then ratio=$(awk -v a="$hp95" -v b="$cp95" 'BEGIN {printf (b > 0 ? "%.1f" : "-"), (b > 0 ? a / b : 0)}'); fi
  printf "%-6s %10s %10s %10s %10s %10s %10s %14s\n" $set "${ip50:--}" "${ip95:--}" "${hp50:--}" "${hp95:--}" "$cp50" "$cp95" "$ratio"
done
gi50=$(field "$WORK/inproc.txt" inproc get 4); gi95=$(field "$WORK/inproc.txt" inproc get 5)
gh50=$(field "$WORK/http.txt" http get 4); gh95=$(field "$WORK/http.txt" http get 5)
gi_ops=$(field "$WORK/inproc.txt" inproc get 7); gh_ops=$(field "$WORK/http.txt" http get 7)
printf "%-6s %10s %10s %10s %10s\n" get "${gi50:--}" "${gi95:--}" "${gh50:--}" "${gh95:--}"
echo "GET-by-id ops/s: in process ${gi_ops:--}, over HTTP (one connection) ${gh_ops:--}," \
  "wrk -t2 -c16 ${WRK_RPS} req/s (latency p50/p99 ${WRK_LAT})"
