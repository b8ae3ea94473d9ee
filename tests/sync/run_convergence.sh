#!/usr/bin/env bash
# run_convergence.sh — the randomized convergence test (tests/sync/convergence_test.cpp) over many seeds
# and more rounds than CI runs, printing what each seed did and a summary. Exits non-zero if any seed fails.
#
#   tests/sync/run_convergence.sh [SEEDS] [ROUNDS]     (default 50 seeds of 1000 rounds)
#
# BUILD (default build) must hold tests/convergence_tests (cmake --build build --target convergence_tests).
set -euo pipefail
seeds=${1:-50}
rounds=${2:-1000}
bin=${BUILD:-build}/tests/convergence_tests
[[ -x $bin ]] || { echo "run_convergence.sh: no $bin; build it first (cmake --build ${BUILD:-build} --target convergence_tests)" >&2; exit 2; }
failed=0
start=$(date +%s)
for ((seed = 1; seed <= seeds; ++seed)); do
  if out=$(KEHU_CONVERGENCE_SEED=$seed KEHU_CONVERGENCE_ROUNDS=$rounds "$bin" 2>&1); then
    echo "seed $seed: ok — $(grep -o 'seed [0-9]*, .*discarded' <<<"$out" | sed 's/^seed [0-9]*, //'); $(grep -o '[0-9]* values sent were checked' <<<"$out")"
  else
    failed=$((failed + 1))
    echo "seed $seed: FAILED"
    echo "$out" | tail -40
  fi
done
echo "$((seeds - failed)) of $seeds seeds converged ($rounds rounds each) in $(( $(date +%s) - start )) s"
echo "$((seeds - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
