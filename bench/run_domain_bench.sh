#!/usr/bin/env bash
# run_domain_bench.sh — a sales rep's lists, search, a busy customer's timeline and sync batches at N
# customers (issue 4 budgets), in process, beside the raw SQL.
#
#   bench/run_domain_bench.sh [N]          N customers (default 100000), with 3 contacts, 2 activities and
#                                          1 order each, and one busy customer (2,000 more activities, 400
#                                          more orders) owned by sales01
#
# Builds nothing. Expects ${BUILD:-build}/bench/{kehu-gen,kehu-bench-domain}. The database is
# ${KEHU_BENCH_DIR:-/tmp/kehu-bench}/domain-N.db, generated once (100 customers per transaction, as many
# small transactions as a live server makes) and reused. ITERATIONS per measurement (default 30).
set -euo pipefail

N=${1:-100000}
BUILD=${BUILD:-build}
DIR=${KEHU_BENCH_DIR:-/tmp/kehu-bench}
DB="$DIR/domain-$N.db"
GEN="$BUILD/bench/kehu-gen"
BENCH="$BUILD/bench/kehu-bench-domain"
ITERATIONS=${ITERATIONS:-30}

for tool in "$GEN" "$BENCH"; do
  [ -x "$tool" ] || { echo "missing $tool: build it first (cmake --build $BUILD)" >&2; exit 1; }
done
mkdir -p "$DIR"
if [ ! -f "$DB" ]; then
  "$GEN" --db "$DB.part" --customers "$N" --contacts-per-customer 3 --activities-per-customer 2 \
    --orders-per-customer 1 --busy-customer-extra 2000 --batch 100
  mv "$DB.part" "$DB"
  rm -f "$DB.part-wal" "$DB.part-shm"
fi
"$BENCH" --db "$DB" --busy-customer 1 --iterations "$ITERATIONS"
