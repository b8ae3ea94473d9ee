#!/usr/bin/env bash
# make_fonts.sh OUTDIR — build the two CJK fonts the web client ships to the browser.
#
# Why: Dear ImGui 1.90 rasterizes every glyph it may need into one texture atlas up front (no on-demand
# glyphs before 1.92), and the browser has to download the font file first. A whole CJK font is 5-20 MB,
# so the client gets two subsets, both TrueType (glyf outlines, no hinting: stb_truetype ignores hinting):
#
#   OUTDIR/kehu-ui.ttf      primary, loaded at start (must stay <= 1.5 MB). WenQuanYi Micro Hei
#                           (face 0 of wqy-microhei.ttc) cut down to ASCII, Latin-1 + Latin Extended-A,
#                           general punctuation, currency, letterlike symbols, number forms, arrows, math
#                           operators, enclosed alphanumerics, box drawing, geometric shapes, misc symbols,
#                           dingbats (▼ ▶ ✓ … ★), CJK symbols and punctuation (U+3000-303F), fullwidth forms
#                           (U+FF00-FFEF), U+FFFD, and every character of GB2312 (all 6763 hanzi of levels 1
#                           and 2 plus its 682 symbols: kana, Greek, Cyrillic, pinyin, bopomofo). The GB2312 list
#                           comes from decoding every GB2312 code point with Python's 'gb2312' codec.
#                           wqy-microhei 0.2.0-beta maps 16 characters to EMPTY outlines (ǎ ǐ ǒ ǔ ǘ ǚ ǜ ℃ ℉ Å
#                           Ⅴ Ⅹ ˊ ˋ ‾ ∼; ten of them are GB2312). An empty glyph would stop ImGui from falling
#                           back, so these are left out of the wqy subset; the 12 that Noto Sans CJK SC has (all
#                           but ˊ ˋ ‾ ∼, which no font here draws) are taken from Noto instead.
#   OUTDIR/kehu-ui-ext.ttf  fallback, fetched only when loaded data holds a character the primary lacks:
#                           the remaining CJK ideographs and CJK blocks (radicals, strokes, enclosed CJK,
#                           CJK compatibility, URO, Ext A, compatibility ideographs, Ext B-H), plus the symbols
#                           of the primary's blocks that wqy-microhei lacks (Ⓐ ❶ ➀ ⚠ ⌘ …). Each character
#                           comes from the first of these fonts that has a non-empty glyph for it:
#                             1. WenQuanYi Micro Hei — rest of the URO (same design as the primary)
#                             2. Droid Sans Fallback (Full) — Extension A (wqy-microhei is derived from it)
#                             3. Noto Sans CJK SC — what is still missing: Ext B-H (incl. 𠮷 U+20BB7 and the
#                                Ext B-E characters of the 2013 通用规范汉字表), newest URO additions.
#                           Noto Sans CJK is the only sans (hei) Debian 12 font with U+20BB7 and real Ext-B
#                           coverage (fonts-vlgothic has 𠮷 but only 5 Ext-B characters; BabelStone Han and
#                           Hanazono cover more of Ext B but are Ming/Mincho, and their Ext B alone subsets to
#                           12.5 MB / 22 MB). Noto's CFF outlines become quadratic TrueType within 0.001 em.
#                           The ext file carries the primary's vertical metrics, so a glyph merged into the same
#                           ImFont (MergeMode) is scaled exactly like the primary's glyphs.
#
# Licences: WenQuanYi Micro Hei and Droid Sans Fallback are Apache-2.0, Noto Sans CJK is SIL OFL 1.1
# (Reserved Font Name "Source"); both outputs hold Noto glyphs, so ship them under the OFL with the
# Apache notices. The outputs are renamed "Kehu UI" / "Kehu UI Ext" and list their sources in the name table.
#
# Needs Debian packages: fonts-wqy-microhei, fonts-droid-fallback, fonts-noto-cjk, python3-fonttools
# (pyftsubset, run as `/usr/bin/python3 -m fontTools.subset`).
#
# Idempotent: the same inputs give byte-identical outputs; when both outputs are newer than this script and
# the source fonts, nothing is rebuilt (FORCE=1 rebuilds anyway). Outputs are replaced atomically.
# KEEP_WORK=1 keeps the temporary directory with the intermediate subsets for inspection.
set -euo pipefail

usage() { echo "usage: $0 OUTDIR   (FORCE=1 to rebuild even when up to date)" >&2; exit 2; }
[[ $# -eq 1 && -n $1 ]] || usage
outdir=$1

PY=/usr/bin/python3
WQY=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
DROID=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
NOTO=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
PRIMARY=kehu-ui.ttf
EXT=kehu-ui-ext.ttf
PRIMARY_MAX_BYTES=1500000

missing=0
need_file() { # path package
  if [[ ! -r $1 ]]; then
    echo "make_fonts.sh: missing $1 — install the Debian package $2 (apt-get install -y $2)" >&2
    missing=1
  fi
}
need_file "$PY" python3
need_file "$WQY" fonts-wqy-microhei
need_file "$DROID" fonts-droid-fallback
need_file "$NOTO" fonts-noto-cjk
if [[ $missing -eq 0 ]] && ! "$PY" -c 'import fontTools.subset' 2>/dev/null; then
  echo "make_fonts.sh: $PY cannot import fontTools — install the Debian package python3-fonttools" >&2
  missing=1
fi
[[ $missing -eq 0 ]] || exit 1

mkdir -p "$outdir"
self=${BASH_SOURCE[0]}
if [[ ${FORCE:-0} != 1 ]]; then
  uptodate=1
  for out in "$outdir/$PRIMARY" "$outdir/$EXT"; do
    for src in "$self" "$WQY" "$DROID" "$NOTO"; do
      [[ -f $out && $out -nt $src ]] || uptodate=0
    done
  done
  if [[ $uptodate -eq 1 ]]; then
    echo "make_fonts.sh: $outdir/$PRIMARY and $outdir/$EXT are up to date"
    exit 0
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kehu-fonts.XXXXXX")
trap '[[ -n ${KEEP_WORK:-} ]] || rm -rf "$work"' EXIT

# ---------------------------------------------------------------------------------------------------------
# The Python half: `plan` decides which source font supplies each code point (writes U+XXXX lists for
# pyftsubset); `graft` adds the glyphs of other pyftsubset outputs to a base subset and renames the font.
cat >"$work/fonts.py" <<'PYEOF'
import copy, sys, unicodedata
from fontTools.ttLib import TTFont, TTCollection
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

def parse_ranges(spec):
    out = set()
    for part in spec.split():
        a, _, b = part.partition('-')
        out.update(range(int(a, 16), int(b or a, 16) + 1))
    return out

PRIMARY_RANGES = parse_ranges("""
  0020-007E 00A0-00FF 0100-017F 2000-206F 20A0-20CF 2100-214F 2150-218F 2190-21FF 2200-22FF 2300-23FF
  2460-24FF 2500-257F 2580-259F 25A0-25FF 2600-26FF 2700-27BF 3000-303F FF00-FFEF FFFD""")
EXT_RANGES = parse_ranges("""
  2E80-2EFF 2F00-2FDF 2FF0-2FFF 3100-312F 31A0-31BF 31C0-31EF 3200-32FF 3300-33FF 3400-4DBF 4E00-9FFF
  F900-FAFF FE10-FE1F FE30-FE4F 20000-2A6DF 2A700-2EBEF 2F800-2FA1F 30000-323AF""")

def gb2312():
    cps = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                cps.add(ord(bytes((hi, lo)).decode('gb2312')))
            except UnicodeDecodeError:
                pass
    return cps

def may_be_blank(cp):  # characters whose glyph is legitimately empty
    return unicodedata.category(chr(cp)) in ('Zs', 'Cc', 'Cf') or cp in (0x115F, 0x1160, 0x3164, 0xFFA0)

def glyf_inked(font):
    cmap, glyf = font.getBestCmap(), font['glyf']
    return lambda cp: cp in cmap and glyf[cmap[cp]].numberOfContours != 0

def cff_inked(font):
    cmap, gs = font.getBestCmap(), font.getGlyphSet()
    def inked(cp):
        if cp not in cmap:
            return False
        pen = BoundsPen(gs)
        gs[cmap[cp]].draw(pen)
        return pen.bounds is not None
    return inked

def write_list(path, cps):
    with open(path, 'w') as f:
        f.write(''.join('U+%04X\n' % cp for cp in sorted(cps)))

def find_face(ttc, family):
    for i, face in enumerate(TTCollection(ttc, lazy=True).fonts):
        if face['name'].getDebugName(4) == family:
            return i
    sys.exit('make_fonts.sh: no face "%s" in %s' % (family, ttc))

def plan(work, wqy_path, droid_path, noto_path):
    noto_face = find_face(noto_path, 'Noto Sans CJK SC')
    wqy = TTFont(wqy_path, fontNumber=0, lazy=True)
    droid = TTFont(droid_path, lazy=True)
    noto = TTFont(noto_path, fontNumber=noto_face, lazy=True)
    wqy_ok, droid_ok, noto_ok = glyf_inked(wqy), glyf_inked(droid), cff_inked(noto)
    wqy_cmap = wqy.getBestCmap()

    gb = gb2312()
    hanzi = {cp for cp in gb if 0x4E00 <= cp <= 0x9FFF}
    assert len(hanzi) == 6763, len(hanzi)
    want = PRIMARY_RANGES | gb
    p_wqy = {cp for cp in want if cp in wqy_cmap and (wqy_ok(cp) or may_be_blank(cp))}
    blank = {cp for cp in want - p_wqy if cp in wqy_cmap}  # wqy-microhei bug: empty outline
    p_noto = {cp for cp in blank if noto_ok(cp)}
    primary = p_wqy | p_noto
    assert gb <= primary, sorted(gb - primary)

    want = (EXT_RANGES | PRIMARY_RANGES) - primary  # symbols wqy lacks go to the fallback too
    e_wqy = {cp for cp in want if wqy_ok(cp)}
    e_droid = {cp for cp in want - e_wqy if droid_ok(cp)}
    e_noto = {cp for cp in want - e_wqy - e_droid if noto_ok(cp)}

    for name, cps in (('p-wqy', p_wqy), ('p-noto', p_noto), ('e-wqy', e_wqy), ('e-droid', e_droid),
                      ('e-noto', e_noto)):
        write_list('%s/%s.txt' % (work, name), cps)
    with open(work + '/noto-face', 'w') as f:
        f.write('%d\n' % noto_face)
    print('primary: %d code points from wqy-microhei, %d from Noto Sans CJK SC (%s)'
          % (len(p_wqy), len(p_noto), ''.join(chr(c) for c in sorted(p_noto))))
    print('ext:     %d from wqy-microhei, %d from Droid Sans Fallback, %d from Noto Sans CJK SC'
          % (len(e_wqy), len(e_droid), len(e_noto)))

def graft(out, family, base_path, *donor_paths):
    base = TTFont(base_path, recalcTimestamp=False)
    for tag in base.keys():
        base[tag]  # decompile everything before the glyph order changes,
    glyf, hmtx = base['glyf'], base['hmtx']
    for gn in base.getGlyphOrder():
        glyf[gn]  # including every glyph (components are stored as glyph ids)
    upem = base['head'].unitsPerEm
    cmap = dict(base.getBestCmap())
    copyrights, versions = [base['name'].getDebugName(0)], [base['name'].getDebugName(5)]
    for i, path in enumerate(donor_paths):
        donor = TTFont(path)
        s = upem / donor['head'].unitsPerEm
        pre = 'k%d.' % (i + 1)
        names = [g for g in donor.getGlyphOrder() if g != '.notdef']
        if 'glyf' in donor:  # copy TrueType outlines (composites keep their components), scaled to our em
            for gn in names:
                g = copy.deepcopy(donor['glyf'][gn])
                if g.isComposite():
                    for c in g.components:
                        c.glyphName = pre + c.glyphName
                        c.x, c.y = round(c.x * s), round(c.y * s)
                elif g.numberOfContours > 0 and s != 1:
                    g.coordinates.scale((s, s))
                    g.coordinates.toInt()
                if g.numberOfContours != 0:  # an integer scale scales the bounds exactly
                    g.xMin, g.yMin, g.xMax, g.yMax = (round(v * s) for v in (g.xMin, g.yMin, g.xMax, g.yMax))
                    if s != int(s) and g.numberOfContours > 0:
                        g.recalcBounds(glyf)
                glyf.glyphs[pre + gn] = g
                hmtx[pre + gn] = (round(donor['hmtx'][gn][0] * s), g.xMin if g.numberOfContours else 0)
        else:  # CFF: cubic -> quadratic within 0.001 em, outer contours clockwise
            gs = donor.getGlyphSet()
            for gn in names:
                tt = TTGlyphPen(None)
                gs[gn].draw(TransformPen(Cu2QuPen(tt, max_err=upem / 1000, reverse_direction=True), (s, 0, 0, s, 0, 0)))
                g = tt.glyph()
                if g.numberOfContours:
                    g.recalcBounds(glyf)
                glyf.glyphs[pre + gn] = g
                hmtx[pre + gn] = (round(donor['hmtx'][gn][0] * s), g.xMin if g.numberOfContours else 0)
        for cp, gn in donor.getBestCmap().items():
            cmap.setdefault(cp, pre + gn)
        copyrights.append(donor['name'].getDebugName(0))
        versions.append('%s %s' % (donor['name'].getDebugName(4), donor['name'].getDebugName(5)))

    # glyph order sorted by code point keeps the format 4 cmap compact; unmapped components go last
    first_cp = {}
    for cp, gn in sorted(cmap.items()):
        first_cp.setdefault(gn, cp)
    order = ['.notdef'] + sorted((g for g in first_cp if g != '.notdef'), key=first_cp.get)
    order += sorted(g for g in glyf.glyphs if g not in first_cp and g != '.notdef')
    assert len(order) == len(glyf.glyphs) <= 65535
    base.setGlyphOrder(order)
    glyf.glyphOrder = order
    glyf.getGlyphID = {g: i for i, g in enumerate(order)}.__getitem__  # list.index is O(n)
    # glyph bounds are all set above; recompute only the tables derived from them (fast, no outlines)
    base.recalcBBoxes = False
    base['maxp'].recalc(base)
    base['hhea'].recalc(base)

    fb = FontBuilder(font=base)
    fb.setupCharacterMap(cmap)
    ps = family.replace(' ', '') + '-Regular'
    fb.setupNameTable({
        'copyright': ' '.join(c for c in copyrights if c).replace('\n', ' '),
        'familyName': family, 'styleName': 'Regular', 'uniqueFontIdentifier': ps + ' (Kehu)',
        'fullName': family, 'psName': ps,
        'version': 'Version 1.000; subset of ' + '; '.join(v for v in versions if v),
        'description': 'Subset made by shell/fonts/make_fonts.sh of the Kehu CRM for its Dear ImGui client.',
        'licenseDescription': 'Glyphs from WenQuanYi Micro Hei (Apache-2.0), Droid Sans Fallback (Apache-2.0) '
                              'and Noto Sans CJK SC (SIL Open Font License 1.1). This font is licensed under '
                              'the SIL Open Font License 1.1 and keeps the Apache-2.0 notices of its sources.',
        'licenseInfoURL': 'https://openfontlicense.org',
    }, mac=False)
    base['OS/2'].recalcUnicodeRanges(base)
    base.save(out)

if __name__ == '__main__':
    {'plan': plan, 'graft': graft}[sys.argv[1]](*sys.argv[2:])
PYEOF
# ---------------------------------------------------------------------------------------------------------

start=$SECONDS
"$PY" "$work/fonts.py" plan "$work" "$WQY" "$DROID" "$NOTO"
noto_face=$(cat "$work/noto-face")

subset() { # font face codepoint-list output
  "$PY" -m fontTools.subset "$1" --font-number="$2" --unicodes-file="$3" --output-file="$4" \
    --no-hinting --layout-features='' --name-IDs='*' \
    --drop-tables+=GSUB,GPOS,GDEF,BASE,JSTF,MATH,VORG,vhea,vmtx,kern,FFTM,DSIG
}
pids=()
subset "$WQY" 0 "$work/p-wqy.txt" "$work/p-wqy.ttf" & pids+=($!)
subset "$NOTO" "$noto_face" "$work/p-noto.txt" "$work/p-noto.otf" & pids+=($!)
subset "$WQY" 0 "$work/e-wqy.txt" "$work/e-wqy.ttf" & pids+=($!)
subset "$DROID" 0 "$work/e-droid.txt" "$work/e-droid.ttf" & pids+=($!)
subset "$NOTO" "$noto_face" "$work/e-noto.txt" "$work/e-noto.otf" & pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done

"$PY" "$work/fonts.py" graft "$work/$PRIMARY" "Kehu UI" "$work/p-wqy.ttf" "$work/p-noto.otf" &
pid1=$!
"$PY" "$work/fonts.py" graft "$work/$EXT" "Kehu UI Ext" "$work/e-wqy.ttf" "$work/e-droid.ttf" "$work/e-noto.otf"
wait "$pid1"

size=$(stat -c %s "$work/$PRIMARY")
if (( size > PRIMARY_MAX_BYTES )); then
  echo "make_fonts.sh: $PRIMARY is $size bytes, over the $PRIMARY_MAX_BYTES-byte budget" >&2
  exit 1
fi
"$PY" - "$work/$PRIMARY" "$work/$EXT" <<'PYEOF'
import sys
from fontTools.ttLib import TTFont
p, e = (TTFont(f).getBestCmap() for f in sys.argv[1:3])
for ch in '科技华夏张伟客户¥…▼▶✓℃ǎ':
    assert ord(ch) in p, 'primary lacks ' + ch
for ch in '𠮷鑫䶮𬌗':
    assert ord(ch) in p or ord(ch) in e, 'no font has ' + ch
assert 0x20BB7 in e and not set(p) & set(e)
PYEOF

for f in "$PRIMARY" "$EXT"; do
  cp "$work/$f" "$outdir/.$f.tmp"
  mv -f "$outdir/.$f.tmp" "$outdir/$f"
  printf '%-16s %9d bytes, %9d gzip -9\n' "$f" "$(stat -c %s "$outdir/$f")" "$(gzip -9c "$outdir/$f" | wc -c)"
done
echo "make_fonts.sh: built in $((SECONDS - start)) s"
