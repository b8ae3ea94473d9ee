#!/usr/bin/env bash
# run.sh — the browser end-to-end tests (SPEC §8): the WebAssembly client in headless Chromium against a
# crm-server of its own per test. The entry point CTest calls.
#
#   bash tests/browser/run.sh [BUILD_DIR] [--self-check] [--shard K/N] [TEST_FILE…]
#
# BUILD_DIR (default $BUILD or build, relative to the repository root) holds server/crm-server and the
# client in web/ (index.html, crm.js, crm.wasm). Screenshots go to BUILD_DIR/screenshots/.
# --self-check checks the harness instead of the client and needs no client build: selfcheck/*.mjs
# (Chromium + WebGL2, server and API helpers, input helpers against a stand-in page), then the test files
# against selfcheck/fake-client, a stand-in that follows the test-hook contract.
# --shard K/N runs every Nth file of the list from the Kth (CTest runs the suite as N shards, each under its
# own time limit). TEST_FILE… runs only those files (e.g. offline.test.mjs). Environment: KEHU_E2E_GREP=regex runs the
# tests whose names match; KEHU_E2E_SLOW=N multiplies every wait; KEHU_E2E_KEEP=1 keeps the servers'
# temp folders; KEHU_E2E_CONCURRENCY=N runs N test files at once (default 1: the idle test measures).
#
# node_modules is installed with `npm ci` from package-lock.json (from the registry in the machine's npm
# config) when it is missing or the lockfile changed since the last install (stamp in node_modules/).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

build=${BUILD:-build}
if [[ $# -gt 0 && $1 != --* && $1 != *.mjs ]]; then build=$1; shift; fi
case $build in /*) ;; *) build="$root/$build" ;; esac
export BUILD="$build"

self_check=0
shard=1/1
files=()
while [[ $# -gt 0 ]]; do
  arg=$1; shift
  case $arg in
    --self-check) self_check=1 ;;
    --shard) shard=${1:-}; shift || true ;;
    -*) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
    *) files+=("$arg") ;;
  esac
done
[[ $shard =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] && (( BASH_REMATCH[1] <= BASH_REMATCH[2] )) ||
  { echo "run.sh: --shard must be K/N with 1 <= K <= N, not '$shard'" >&2; exit 2; }
shard_k=${BASH_REMATCH[1]} shard_n=${BASH_REMATCH[2]}

fail() { echo "run.sh: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node not found (apt-get install -y nodejs npm)"
command -v npm >/dev/null || fail "npm not found (apt-get install -y npm)"
[[ -x ${KEHU_CHROMIUM:-/usr/bin/chromium} ]] || fail "Chromium not found at ${KEHU_CHROMIUM:-/usr/bin/chromium} (apt-get install -y chromium)"
[[ -x $build/server/crm-server ]] || fail "no $build/server/crm-server: build it first (cmake --build $build)"
if [[ $self_check == 0 ]]; then
  for f in index.html crm.js crm.wasm; do
    [[ -f $build/web/$f ]] || fail "no $build/web/$f: the web client is not built (cmake --build $build), or run with --self-check"
  done
fi

cd "$here"
stamp=node_modules/.kehu-package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -d node_modules/playwright-core || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "== npm ci in tests/browser (package-lock.json changed or node_modules missing)"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

if [[ $self_check == 1 ]]; then
  export KEHU_E2E_STATIC="$here/selfcheck/fake-client"
  [[ ${#files[@]} -eq 0 ]] && files=(selfcheck/*.selfcheck.mjs *.test.mjs)
fi
[[ ${#files[@]} -eq 0 ]] && files=(*.test.mjs)
if (( shard_n > 1 )); then
  picked=()
  for i in "${!files[@]}"; do (( i % shard_n == shard_k - 1 )) && picked+=("${files[$i]}"); done
  files=("${picked[@]}")
fi

args=(--test --test-reporter=spec --test-concurrency="${KEHU_E2E_CONCURRENCY:-1}")
[[ -n ${KEHU_E2E_GREP:-} ]] && args+=(--test-name-pattern="$KEHU_E2E_GREP")

echo "== browser tests: node $(node --version), $("${KEHU_CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | head -1), build $build"
[[ $self_check == 1 ]] && echo "== self-check: the client is the stand-in in $KEHU_E2E_STATIC, not the real one"
echo "== files: ${files[*]}"
start=$SECONDS
status=0
node "${args[@]}" "${files[@]}" || status=$?
echo "== browser tests $([[ $status == 0 ]] && echo passed || echo FAILED) in $((SECONDS - start)) s; screenshots in $build/screenshots/"
exit "$status"
