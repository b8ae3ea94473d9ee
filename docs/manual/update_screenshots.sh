#!/usr/bin/env bash
# update_screenshots.sh — copies the screenshots the manual shows from a build's browser-test run
# (BUILD/screenshots, written by tests/browser/*.test.mjs) into docs/manual/images, so the manual shows
# the current client. Run after `bash tests/browser/run.sh BUILD`; fails naming any picture missing.
#
#   bash docs/manual/update_screenshots.sh [BUILD]      (default build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build="$root/$build" ;; esac
shots="$build/screenshots"
# Every picture either manual names.
names=$(grep -ho 'src="images/[^"]*"' "$here"/*.html | sed 's/src="images\///; s/"$//' | sort -u)
missing=0
for n in $names; do
  if [[ -f $shots/$n ]]; then cp "$shots/$n" "$here/images/$n"; else echo "missing: $shots/$n"; missing=1; fi
done
[[ $missing == 0 ]] || { echo "update_screenshots.sh: run the browser tests first (bash tests/browser/run.sh $build)" >&2; exit 1; }
echo "copied $(echo "$names" | wc -w) screenshots into docs/manual/images"
