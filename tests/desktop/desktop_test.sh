#!/usr/bin/env bash
# crm-desktop as a person starts it, under a virtual X display: a real crm-server on loopback, the real
# window (OpenGL through Mesa's software renderer), and a screenshot that must show a drawn UI — the
# PNG is decoded and must hold at least 10 distinct colours (a blank or single-colour window fails).
# Usage: bash tests/desktop/desktop_test.sh BUILD_DIR    (needs xvfb; writes BUILD_DIR/screenshots/desktop.png)
set -u
build=$(cd "${1:?usage: desktop_test.sh BUILD_DIR}" && pwd)
server_bin=$build/server/crm-server
desktop_bin=$build/shell/desktop/crm-desktop
for f in "$server_bin" "$desktop_bin"; do
  [ -x "$f" ] || { echo "FAILED: $f is not built"; exit 1; }
done
command -v Xvfb >/dev/null || { echo "FAILED: Xvfb is not installed (apt-get install xvfb)"; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A free X display: the first N without a lock file or socket.
display=
for n in $(seq 90 190); do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=$n; break; fi
done
[ -n "$display" ] || { echo "FAILED: no free X display number"; exit 1; }
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp > "$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X$display" ] || { echo "FAILED: Xvfb did not start"; cat "$work/xvfb.log"; exit 1; }

port=$(free_port)
KEHU_ADMIN_PASSWORD=desktop-test-pw "$server_bin" serve --db "$work/kehu.db" --static "$build/web" \
  --host 127.0.0.1 --port "$port" > "$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "FAILED: crm-server did not start"; cat "$work/server.log"; exit 1; }

mkdir -p "$build/screenshots"
png=$build/screenshots/desktop.png
rm -f "$png"
# timeout: a hung window must fail the test, not hang CTest.
DISPLAY=":$display" LIBGL_ALWAYS_SOFTWARE=1 HOME="$work/home" timeout 60 \
  "$desktop_bin" --server "http://127.0.0.1:$port" --cache "$work/cache" \
  --screenshot "$png" --screenshot-after-ms 3000 > "$work/desktop.log" 2>&1
code=$?

passed=0 failed=0
check() { # description, command...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $what"; fi
}
check "crm-desktop exits 0 after the screenshot (exit $code)" [ "$code" = 0 ]
check "the screenshot exists" test -s "$png"
# Decodes the PNG with zlib (no image library needed): 8-bit RGB or RGBA, non-interlaced, as libpng
# writes it; undoes the row filters and counts distinct colours.
check "the screenshot is a 1280x800 image of a drawn UI (>= 10 colours)" /usr/bin/python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, hdr = 8, b'', None
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b'IHDR': hdr = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT': idat += body
w, h, depth, ctype, _, _, interlace = hdr
assert depth == 8 and ctype in (2, 6) and interlace == 0, f'unexpected PNG format {hdr}'
assert (w, h) == (1280, 800), f'size {w}x{h}'
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, colours = bytearray(stride), set()
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp): colours.add(bytes(line[x:x + 3]))
    prev = line
print(f'{len(colours)} distinct colours in {w}x{h}')
assert len(colours) >= 10, f'only {len(colours)} colours: the window looks blank'
PY

# Signed in, three screens reached through their addresses: each writes its picture and the test hook's
# snapshot (screen name and the items drawn), which must name that screen and show its data.
api="http://127.0.0.1:$port/api/v1"
token=$(curl -sf -X POST "$api/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"desktop-test-pw"}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -sf -X POST "$api/customers" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"桌面端测试客户有限公司"}' > "$work/customer.json"
shots=$build/screenshots
rm -f "$shots"/desktop-{dashboard,customers,activities}.png*
DISPLAY=":$display" LIBGL_ALWAYS_SOFTWARE=1 HOME="$work/home" KEHU_PASSWORD=desktop-test-pw timeout 90 \
  "$desktop_bin" --server "http://127.0.0.1:$port" --cache "$work/cache2" --sign-in admin --screenshot-after-ms 3000 \
  --visit "/dashboard=$shots/desktop-dashboard.png" --visit "/customers=$shots/desktop-customers.png" \
  --visit "/activities=$shots/desktop-activities.png" > "$work/desktop2.log" 2>&1
code=$?
check "crm-desktop signed in and visited three screens (exit $code)" [ "$code" = 0 ]
check "each screen is the one asked for and shows its data" /usr/bin/python3 - "$shots" "$work/customer.json" <<'PY'
import hashlib, json, sys
shots, customer = sys.argv[1], json.load(open(sys.argv[2]))
want = {'dashboard': 'dash.tile.customers', 'customers': f"customers.row.{customer['id']}", 'activities': 'activities.view.calendar'}
digests = set()
for screen, item in want.items():
    png = f'{shots}/desktop-{screen}.png'
    snap = json.load(open(png + '.json'))
    ids = {i['id']: i['label'] for i in snap['items']}
    assert snap['screen'] == screen, f"{png}: screen {snap['screen']}, wanted {screen}"
    assert item in ids, f'{png}: no {item} among {sorted(ids)[:20]}'
    digests.add(hashlib.sha256(open(png, 'rb').read()).hexdigest())
    print(f'{screen}: {item} = {ids[item]!r}')
    # The desktop's own event stream (shell/desktop/event_stream.h) is open: changes arrive live.
    assert ids.get('status.live') == '实时更新', f"{png}: status.live is {ids.get('status.live')!r}"
assert len(digests) == 3, 'the three pictures differ'
PY

# A kiosk display: the token from the environment (--kiosk), no sign-in, the customers dashboard with the
# server's figures (two customers made above and here: the tile must count them).
curl -sf -X POST "$api/customers" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"大屏测试客户"}' > /dev/null
kiosk_token=$(curl -sf -X POST "$api/admin/kiosk-tokens" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"桌面大屏","dashboards":["customers"]}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
kiosk_png=$shots/desktop-kiosk.png
rm -f "$kiosk_png" "$kiosk_png.json"
DISPLAY=":$display" LIBGL_ALWAYS_SOFTWARE=1 HOME="$work/home" KEHU_KIOSK_TOKEN="$kiosk_token" timeout 60 \
  "$desktop_bin" --server "http://127.0.0.1:$port" --cache "$work/cache3" --kiosk \
  --screenshot "$kiosk_png" --screenshot-after-ms 4000 > "$work/desktop3.log" 2>&1
code=$?
check "crm-desktop ran as a kiosk display (exit $code)" [ "$code" = 0 ]
check "the kiosk display shows the customers dashboard with the server's count" /usr/bin/python3 - "$kiosk_png.json" <<'PY'
import json, sys
snap = json.load(open(sys.argv[1]))
ids = {i['id']: i['label'] for i in snap['items']}
assert snap['screen'] == 'kiosk.customers', f"screen {snap['screen']}"
label = ids.get('dash.customers.total', '')
print(f'kiosk.customers: dash.customers.total = {label!r}')
assert label.split(': ')[-1] == '2', f'dash.customers.total is {label!r}, wanted a count of 2'
PY
DISPLAY=":$display" HOME="$work/home" timeout 20 "$desktop_bin" --server "http://127.0.0.1:$port" --kiosk \
  > "$work/desktop4.log" 2>&1
code=$?
check "--kiosk without KEHU_KIOSK_TOKEN is refused with the reason (exit $code)" \
  bash -c '[ "$0" = 2 ] && grep -q KEHU_KIOSK_TOKEN "$1"' "$code" "$work/desktop4.log"

if [ "$failed" != 0 ]; then
  echo "--- crm-desktop output"; cat "$work/desktop.log"; cat "$work/desktop2.log" "$work/desktop3.log" 2>/dev/null
  echo "--- crm-server output"; tail -20 "$work/server.log"
fi
echo "desktop: $passed passed, $failed failed"
[ "$failed" = 0 ]
