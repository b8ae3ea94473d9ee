#!/usr/bin/env bash
# run_client_bench.sh — the WebAssembly client measured in headless Chromium (client_bench.mjs): cold start
# to first frame, first sync of N customers + 2N contacts, long tasks while the cache is flushed to
# IndexedDB, an edit after the sync, and a warm (offline) reload. Prints figures; asserts nothing.
#
#   bash bench/browser/run_client_bench.sh [N]          (default N=100000)
#
# Environment: BUILD (default build; needs server/crm-server, bench/kehu-gen, web/), KEHU_BENCH_DIR (where
# the generated database is kept and reused, default /tmp/kehu-bench), KEHU_BENCH_COLD_RUNS (default 5),
# KEHU_BENCH_SEED (default 1), KEHU_BENCH_BATCH (kehu-gen customers per transaction, default 666). Further
# arguments after N go to client_bench.mjs (e.g. --skip-warm, --skip-cold).
#
# The database is made once per N and batch with kehu-gen (customers and 2 contacts each, through the
# production write path); kehu-gen creates only sales users, so `admin` is added with the browser tests'
# password. Each run serves a copy of it, so the cached file never changes.
# Why batch 666: one kehu-gen transaction is one rev, and GET /sync never splits a rev (core/sync/sync_reader.h), so a
# batch of B customers makes sync pages of 3B changes whatever the client asks for. 666 × 3 = 1998 fits
# the client's 2000-change pages (web/sync/sync_engine.cpp kPullLimit), as records written one by one
# would; kehu-gen's own default (5000) would make pages of 15,000 changes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

n=${1:-100000}
[[ $# -gt 0 ]] && shift
[[ $n =~ ^[0-9]+$ && $n -gt 0 ]] || { echo "run_client_bench.sh: N must be a positive number, got '$n'" >&2; exit 2; }

build=${BUILD:-build}
case $build in /*) ;; *) build="$root/$build" ;; esac
export BUILD="$build"

fail() { echo "run_client_bench.sh: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node not found (apt-get install -y nodejs npm)"
[[ -x ${KEHU_CHROMIUM:-/usr/bin/chromium} ]] || fail "Chromium not found at ${KEHU_CHROMIUM:-/usr/bin/chromium} (apt-get install -y chromium)"
[[ -x $build/server/crm-server ]] || fail "no $build/server/crm-server: build it first (cmake --build $build)"
[[ -x $build/bench/kehu-gen ]] || fail "no $build/bench/kehu-gen: build it first (cmake --build $build --target kehu-gen)"
for f in index.html crm.js crm.wasm; do
  [[ -f $build/web/$f ]] || fail "no $build/web/$f: the web client is not built (cmake --build $build)"
done

# playwright-core, as the browser tests install it (tests/browser/run.sh): npm ci when node_modules is
# missing or package-lock.json changed since the last install.
tests="$root/tests/browser"
stamp="$tests/node_modules/.kehu-package-lock.sha256"
want=$(sha256sum "$tests/package-lock.json" | cut -d' ' -f1)
if [[ ! -d $tests/node_modules/playwright-core || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "== npm ci in tests/browser (package-lock.json changed or node_modules missing)"
  (cd "$tests" && npm ci --no-audit --no-fund)
  echo "$want" > "$stamp"
fi

# The same password the browser tests' admin has (tests/browser/lib/env.js ADMIN_PASSWORD).
admin_password=Kehu-e2e-admin-1
dir=${KEHU_BENCH_DIR:-/tmp/kehu-bench}
seed=${KEHU_BENCH_SEED:-1}
batch=${KEHU_BENCH_BATCH:-666}
db="$dir/client-$n-b$batch.db"
mkdir -p "$dir"
if [[ ! -f $db ]]; then
  echo "== generating $db: $n customers, $((2 * n)) contacts (seed $seed, $batch customers per transaction)"
  tmp="$dir/client-$n-b$batch.tmp.db"
  rm -f "$tmp" "$tmp-wal" "$tmp-shm"
  "$build/bench/kehu-gen" --db "$tmp" --customers "$n" --contacts-per-customer 2 --seed "$seed" --batch "$batch"
  printf '%s\n' "$admin_password" | "$build/server/crm-server" user add admin --role admin --name 系统管理员 --db "$tmp"
  [[ ! -f $tmp-wal ]] || fail "kehu-gen left $tmp-wal behind (the database is copied without it)"
  mv "$tmp" "$db"
else
  echo "== reusing $db ($(du -h "$db" | cut -f1))"
fi

echo "== client bench: node $(node --version), $("${KEHU_CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | head -1), build $build"
exec node "$here/client_bench.mjs" --db "$db" --customers "$n" --contacts "$((2 * n))" \
  --cold-runs "${KEHU_BENCH_COLD_RUNS:-5}" "$@"
