#include "web/ui/font_atlas.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <imgui.h>

#include "core/text/utf8.h"

namespace kehu::client {

namespace {

// Always in the atlas: ASCII, Latin-1, general punctuation, CJK punctuation, fullwidth forms, and the
// symbols ImGui draws (the ellipsis, check mark, arrows). ASCII is rasterized by ImGui; the rest comes
// from the glyph cache like any other character.
constexpr uint32_t kBaseRanges[][2] = {{0x00A0, 0x00FF}, {0x2000, 0x206F}, {0x2190, 0x21FF}, {0x25A0, 0x25FF},
                                       {0x2713, 0x2713}, {0x3000, 0x303F}, {0xFF00, 0xFFEF}};

bool in_base(uint32_t cp) {
  if (cp < 0x80) return true;
  for (const auto& r : kBaseRanges)
    if (cp >= r[0] && cp <= r[1]) return true;
  return false;
}

}  // namespace

void FontAtlas::set_primary(std::string bytes) {
  primary_ = std::move(bytes);
  scale_ = 0;  // force a rebuild
  fonts_changed_ = true;
}

void FontAtlas::set_fallback(std::string bytes) {
  fallback_ = std::move(bytes);
  fonts_changed_ = true;
  for (uint32_t cp : missing_) pending_.insert(cp);
  missing_.clear();
}

void FontAtlas::note_text(std::string_view utf8) {
  size_t i = 0;
  while (i < utf8.size()) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {  // ASCII is always present
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t len = decode_utf8(utf8, i, cp);
    if (len == 0) {
      ++i;
      continue;
    }
    i += len;
    if (in_base(cp) || in_atlas_.count(cp) || missing_.count(cp)) continue;
    pending_.insert(cp);
  }
}

bool FontAtlas::needs_rebuild(float scale) const {
  if (primary_.empty()) return false;
  return scale * zoom_ != scale_ || !pending_.empty();
}

void FontAtlas::rebuild(float scale) {
  scale *= zoom_;
  ImGuiIO& io = ImGui::GetIO();
  const float size = base_size() * scale;
  if (fonts_changed_ || scale != scale_) {
    glyphs_.set_fonts(primary_, fallback_, size);
    fonts_changed_ = false;
  }
  for (uint32_t cp : pending_) in_atlas_.insert(cp);
  pending_.clear();

  io.Fonts->Clear();
  ImFontConfig config;
  config.OversampleH = config.OversampleV = 1;  // CJK glyphs are dense; oversampling would quadruple the atlas
  config.PixelSnapH = true;
  config.FontDataOwnedByAtlas = false;          // the bytes stay ours; rebuilds reuse them
  static const ImWchar kAscii[] = {0x0020, 0x007E, 0};
  ImFont* font = io.Fonts->AddFontFromMemoryTTF(primary_.data(), static_cast<int>(primary_.size()), size, &config, kAscii);
  if (font == nullptr) return;

  // Every other character is a rectangle ImGui packs and this fills from the glyph cache.
  struct Placed {
    int rect;
    const CachedGlyph* glyph;
  };
  std::vector<Placed> placed;
  int64_t area = 0;
  auto place = [&](uint32_t cp, const CachedGlyph& g) {
    // One pixel more each way than the bitmap: ImGui packs custom rectangles edge to edge, and a glyph
    // drawn scaled (the dashboard's figures) samples the pixels just outside it. A blank glyph (a wide
    // space) is that one transparent pixel.
    const int w = std::max(g.width, 0) + 1, h = std::max(g.height, 0) + 1;
    const int rect = io.Fonts->AddCustomRectFontGlyph(font, static_cast<ImWchar>(cp), w, h, g.advance, ImVec2(g.x0, g.y0 + glyphs_.ascent()));
    placed.push_back({rect, &g});
    area += int64_t{w} * h;
  };
  for (const auto& r : kBaseRanges)
    for (uint32_t cp = r[0]; cp <= r[1]; ++cp)
      if (const CachedGlyph* g = glyphs_.get(cp)) place(cp, *g);
  // Characters no loaded file has: ask for the fallback once; never rebuild for them again.
  for (auto it = in_atlas_.begin(); it != in_atlas_.end();) {
    if (const CachedGlyph* g = glyphs_.get(*it)) {
      place(*it, *g);
      ++it;
    } else {
      missing_.insert(*it);
      if (fallback_.empty()) fallback_wanted_ = true;
      it = in_atlas_.erase(it);
    }
  }
  // ImGui sizes the texture by the area of the glyphs it rasterizes itself (ASCII here): a width for all
  // of them keeps the texture square-ish rather than 512 wide and many thousands high.
  int width = 512;
  while (width < 4096 && int64_t{width} * width < area * 2) width *= 2;
  io.Fonts->TexDesiredWidth = width;
  io.Fonts->Build();
  unsigned char* pixels = nullptr;
  int tex_width = 0, tex_height = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &tex_width, &tex_height);
  for (const Placed& p : placed) {
    const ImFontAtlasCustomRect* r = io.Fonts->GetCustomRectByIndex(p.rect);
    if (r == nullptr || !r->IsPacked()) continue;
    for (int y = 0; y < p.glyph->height; ++y)
      std::memcpy(pixels + static_cast<size_t>(r->Y + y) * static_cast<size_t>(tex_width) + r->X,
                  p.glyph->alpha.data() + static_cast<size_t>(y) * static_cast<size_t>(p.glyph->width), static_cast<size_t>(p.glyph->width));
  }
  // The glyphs end at their bitmaps, not at the padding pixel.
  for (ImFontGlyph& g : font->Glyphs) {
    if (g.Codepoint < 0x80) continue;
    g.X1 -= 1;
    g.Y1 -= 1;
    g.U1 -= 1.0f / static_cast<float>(tex_width);
    g.V1 -= 1.0f / static_cast<float>(tex_height);
  }
  io.FontDefault = font;
  scale_ = scale;
  ++rebuilds_;
}

}  // namespace kehu::client
