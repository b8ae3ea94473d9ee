#!/usr/bin/env bash
# core/ must depend on the standard library, SQLite and nlohmann-json only (STYLE.md §1).
# 1. every #include under core/ names core/, a standard header, sqlite3.h or nlohmann/json.hpp;
# 2. every core source compiles with an include path holding only the source root, SQLite and the
#    header-only folder — no httplib, ImGui or GLFW anywhere on it.
set -u
src=$1
tp="$src/third_party"
status=0
bad=$(grep -rhoE '^#include [<"][^>"]+[>"]' "$src/core" | sort -u |
      grep -vE '^#include "core/' | grep -vE '^#include <(sqlite3\.h|nlohmann/json\.hpp|[a-z_0-9]+)>$' || true)
if [ -n "$bad" ]; then
  echo "core/ includes something outside the standard library, SQLite and nlohmann-json:"
  echo "$bad"
  status=1
fi
work=$(mktemp -d)
mkdir -p "$work/include"
cp -r "$tp/include/nlohmann" "$work/include/"   # json only: doctest is not core's either
find "$src/core" -name '*.cpp' -print0 |
  xargs -0 -P2 -I{} "${CXX:-c++}" -std=c++20 -fsyntax-only -I"$src" -isystem "$tp/sqlite" -isystem "$work/include" {} ||
  { echo "core does not compile on its own include path"; status=1; }
rm -rf "$work"
[ $status = 0 ] && echo "core depends only on the standard library, SQLite and nlohmann-json"
exit $status
