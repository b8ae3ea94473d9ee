#!/usr/bin/env bash
# slowloris_test.sh — slow clients against a real crm-server while a well-behaved user keeps working
# (docs/abuse_tests.md, test 2).
#
#   tests/abuse/slowloris_test.sh CRM_SERVER [SECONDS] [CONNECTIONS] [MODES]   (CI: 10 s, 300, "H B X")
#
# Phases, each SECONDS long, each with its own steady_client.py (a new connection per request, 15 s
# timeout) measuring the ordinary requests:
#   below  slowhttptest -H with 64 connections, fewer than the server's 96 threads (32 workers + 64 for
#          event streams, one pool): every ordinary request must be served.
#   H      slow headers (Slowloris) with CONNECTIONS connections, a header line every 5 s
#   B      slow body (R-U-Dead-Yet): POST /api/v1/auth/login, Content-Length 8192, a few bytes every 5 s
#   X      slow read: GET of a 4.5 MB static file (the size of the client's extra font) reading 32 bytes
#          a second through a 64-byte window
# The attacker connects from 127.0.0.1, the steady user from 127.0.0.2: two addresses, as they would be.
# Every ordinary request must be served during every phase (CONNECTIONS is far above the server's thread
# count; the connection gate keeps slow connections off the workers, and one address's share of them
# bounded). After each phase the server must be alive, answer /healthz within 20 s, and serve a 3 s
# steady run without a failure. RSS above 400 MB fails. KEHU_ABUSE_BELOW sets the below-capacity count
# (0 leaves that phase out).
set -u
bin=${1:?usage: slowloris_test.sh CRM_SERVER [SECONDS] [CONNECTIONS] [MODES]}
seconds=${2:-10}
connections=${3:-300}
modes=${4:-H B X}
below=${KEHU_ABUSE_BELOW:-64}  # 0: no below-capacity phase (run_long.sh's sweep)
command -v slowhttptest > /dev/null || { echo "FAILED: slowhttptest is not installed (Debian: apt-get install slowhttptest)"; exit 1; }
# shellcheck source=tests/abuse/lib.sh
source "$(dirname "$0")/lib.sh"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # thousands of connections: slowhttptest's and the server's
abuse_static_folder
mkdir -p "$work/web/fonts"
head -c 4700000 /dev/urandom > "$work/web/fonts/big-font.ttf"
abuse_start "$bin" || exit 1
failed=0
base="http://127.0.0.1:$port"
curl -s -o /dev/null "$base/fonts/big-font.ttf"  # loaded into the server's file cache before the clock starts

# steady ARGS...: a steady client in the background until $work/stop-$phase exists.
start_steady() { # phase [more steady_client.py options]
  local phase=$1; shift
  rm -f "$work/ready-$phase" "$work/stop-$phase"
  python3 "$abuse_dir/steady_client.py" --port "$port" --pid "$server_pid" --password "$admin_password" \
    --stop-file "$work/stop-$phase" --ready-file "$work/ready-$phase" --out "$work/steady-$phase.json" \
    --timeout 15 --interval 0.1 --from 127.0.0.2 "$@" > "$work/steady-$phase.out" 2>&1 &
  steady_pid=$!
  extra_pids+=("$steady_pid")
  for _ in $(seq 300); do [[ -e $work/ready-$phase ]] && return 0; kill -0 "$steady_pid" 2>/dev/null || break; sleep 0.1; done
  echo "FAILED: the steady client did not start before phase $phase"
  cat "$work/steady-$phase.out"
  return 1
}

# attack PHASE MODE CONNECTIONS: slowhttptest for $seconds with a steady client; sets $steady_status.
attack() {
  local phase=$1 mode=$2 count=$3 args=()
  case $mode in
    H) args=(-H -u "$base/index.html") ;;
    B) args=(-B -u "$base/api/v1/auth/login" -s 8192) ;;
    X) args=(-X -u "$base/fonts/big-font.ttf" -k 1 -n 1 -w 1 -y 64 -z 32) ;;
  esac
  start_steady "$phase" --min-requests 1 || return 1
  timeout $((seconds + 60)) slowhttptest "${args[@]}" -c "$count" -r 200 -i 5 -l "$seconds" -p 3 -g -o "$work/slow-$phase" \
    > "$work/slow-$phase.out" 2>&1
  touch "$work/stop-$phase"
  wait "$steady_pid"
  steady_status=$?
  local csv="$work/slow-$phase.csv"
  local connected unavailable
  connected=$(awk -F, 'NR > 1 && $4 > m { m = $4 } END { print m + 0 }' "$csv" 2>/dev/null)
  unavailable=$(awk -F, 'NR > 1 && $5 == 0 { n++ } END { print n + 0 }' "$csv" 2>/dev/null)
  echo "== phase $phase: slowhttptest -$mode, $count connections for $seconds s: at most $connected connected;" \
    "slowhttptest's own probe found the server unavailable for $unavailable s"
  sed 's/^/   /' "$work/steady-$phase.out"
}

# recover PHASE: after an attack the server must come back at once.
recover() {
  local phase=$1 t0 back
  t0=$(date +%s.%N)
  for _ in $(seq 40); do abuse_server_healthy && break; sleep 0.5; done
  back=$(python3 -c "import sys, time; print('%.1f' % (time.time() - float(sys.argv[1])))" "$t0")
  if ! abuse_server_healthy; then
    echo "FAILED: after phase $phase the server is gone or /healthz does not answer within 20 s"
    failed=1
    return
  fi
  # RSS is the attack phase's to judge: memory the attack made the server take stays counted here.
  start_steady "$phase-after" --min-requests 5 --rss-limit-mb 1000000 || { failed=1; return; }
  sleep 3
  touch "$work/stop-$phase-after"
  if wait "$steady_pid"; then
    echo "   after phase $phase: /healthz answered after $back s; then $(head -1 "$work/steady-$phase-after.out" | sed 's/^steady client: //')"
  else
    echo "FAILED: after phase $phase ordinary requests still fail:"
    cat "$work/steady-$phase-after.out"
    failed=1
  fi
}

if [[ $below != 0 ]]; then
  attack below H "$below"
  [[ $steady_status == 0 ]] || { echo "FAILED: with $below slow connections, fewer than the server's threads, ordinary requests failed"; failed=1; }
  recover below
fi

for mode in $modes; do
  attack "$mode" "$mode" "$connections"
  [[ $steady_status == 0 ]] || { echo "FAILED: with $connections slow connections (-$mode), ordinary requests failed"; failed=1; }
  recover "$mode"
done

[[ $failed == 0 ]] || abuse_show_log
[[ -n ${KEHU_ABUSE_KEEP:-} ]] && for f in "$work"/steady-*.json; do cp "$f" "$KEHU_ABUSE_KEEP/slowloris-$(basename "$f")"; done
[[ $failed == 0 ]] && echo "slowloris test passed"
exit $failed
