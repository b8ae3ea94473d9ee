#!/usr/bin/env bash
# run_client_cache_bench.sh — the client's first sync, local search and phone book at N customers (2 contacts each),
# natively and as wasm under node (the engine Chromium runs the client with), with the wasm/native ratio.
#
#   bench/run_client_cache_bench.sh [N]     N customers (default 100000)
#
# Builds nothing. Expects ${BUILD:-build}/bench/{kehu-gen,kehu-bench-cache} and, for the wasm column,
# ${WASM:-${BUILD}/wasm/bench/kehu-bench-cache.js} (the native build makes it when em++ is found) and node.
# The server database is ${KEHU_BENCH_DIR:-/tmp/kehu-bench}/customers-N.db, generated once and reused
# (the same file run_search_bench.sh uses). ITERATIONS: timed runs per query (default 10).
set -euo pipefail

N=${1:-100000}
BUILD=${BUILD:-build}
DIR=${KEHU_BENCH_DIR:-/tmp/kehu-bench}
DB="$DIR/customers-$N.db"
GEN="$BUILD/bench/kehu-gen"
NATIVE="$BUILD/bench/kehu-bench-cache"
WASM=${WASM:-$BUILD/wasm/bench/kehu-bench-cache.js}
ITERATIONS=${ITERATIONS:-10}

for tool in "$GEN" "$NATIVE"; do
  [ -x "$tool" ] || { echo "missing $tool: build it first (cmake --build $BUILD)" >&2; exit 1; }
done
mkdir -p "$DIR"
if [ ! -f "$DB" ]; then
  echo "== generating $N customers into $DB"
  "$GEN" --db "$DB.tmp" --customers "$N" >/dev/null
  mv "$DB.tmp" "$DB"
  for suffix in -wal -shm; do [ -f "$DB.tmp$suffix" ] && mv "$DB.tmp$suffix" "$DB$suffix"; done
fi

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "== native: $NATIVE"
"$NATIVE" --server-db "$DB" --iterations "$ITERATIONS" | tee "$OUT/native"
have_wasm=0
if [ -f "$WASM" ] && command -v node >/dev/null; then
  have_wasm=1
  echo "== wasm under node $(node --version): $WASM"
  # --no-experimental-fetch: Emscripten 3.1.6 would load the .wasm with fetch(), which cannot read a path.
  node --no-experimental-fetch "$WASM" --server-db "$DB" --iterations "$ITERATIONS" | tee "$OUT/wasm"
else
  echo "WARNING: no $WASM or node: the wasm column is skipped"
fi

echo
echo "== summary: $N customers, $((N * 2)) contacts (ms unless noted)"
printf '| %-22s | %10s | %10s | %6s |\n' "measure" "native" "wasm" "ratio"
printf '|%s|%s|%s|%s|\n' "------------------------" "------------" "------------" "--------"
row() {  # label native wasm
  local ratio="-"
  [ "$3" != "-" ] && ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')
  printf '| %-22s | %10s | %10s | %6s |\n' "$1" "$2" "$3" "$ratio"
}
field() {  # file key column
  [ -f "$1" ] || { echo "-"; return; }
  awk -v k="$2" -v c="$3" '$1 == "sync" && k == "sync" { print $c } $1 == "search" && $2 == k { print $c }' "$1"
}
wasm_file="$OUT/wasm"; [ "$have_wasm" = 1 ] || wasm_file=/nonexistent
row "first sync, s" "$(field "$OUT/native" sync 3)" "$(field "$wasm_file" sync 3)"
row "  of which JSON, s" "$(field "$OUT/native" sync 5)" "$(field "$wasm_file" sync 5)"
row "first sync, rows/s" "$(field "$OUT/native" sync 4)" "$(field "$wasm_file" sync 4)"
row "server side, s" "$(field "$OUT/native" sync 6)" "$(field "$wasm_file" sync 6)"
row "cache size, MB" "$(field "$OUT/native" sync 7)" "$(field "$wasm_file" sync 7)"
for set in 1char 2char 4char; do
  row "search $set p50" "$(field "$OUT/native" "$set" 4)" "$(field "$wasm_file" "$set" 4)"
  row "search $set p95" "$(field "$OUT/native" "$set" 5)" "$(field "$wasm_file" "$set" 5)"
done
for kind in all name customer number; do
  row "phone book $kind p50" "$(field "$OUT/native" "phonebook_$kind" 4)" "$(field "$wasm_file" "phonebook_$kind" 4)"
  row "phone book $kind p95" "$(field "$OUT/native" "phonebook_$kind" 5)" "$(field "$wasm_file" "phonebook_$kind" 5)"
done
