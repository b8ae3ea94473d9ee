#!/usr/bin/env bash
# Runs every test: sets up (idempotent), builds natively and to wasm, then runs CTest, which covers the
# core unit tests natively and in wasm under node, the server tests over loopback, the sanitizer build
# and the checks. Usage: bash tests/run_all.sh   (BUILD=dir to use another build folder)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
./emsdk-setup.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j2
ctest --test-dir "$build" -j2 --output-on-failure
