#include "web/ui/glyph_cache.h"

#include <cmath>

// A private copy of ImGui's stb_truetype (ImGui compiles its own as static functions).
#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC
#include <imstb_truetype.h>

namespace kehu::client {

struct GlyphCache::Fonts {
  stbtt_fontinfo primary{}, fallback{};
  bool has_primary = false, has_fallback = false;
};

GlyphCache::GlyphCache() : fonts_(std::make_unique<Fonts>()) {}
GlyphCache::~GlyphCache() = default;

namespace {

bool open_font(stbtt_fontinfo& info, const std::string& bytes) {
  if (bytes.empty()) return false;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const int offset = stbtt_GetFontOffsetForIndex(data, 0);
  return offset >= 0 && stbtt_InitFont(&info, data, offset) != 0;
}

}  // namespace

void GlyphCache::set_fonts(const std::string& primary, const std::string& fallback, float pixel_height) {
  glyphs_.clear();
  fonts_ = std::make_unique<Fonts>();
  fonts_->has_primary = open_font(fonts_->primary, primary);
  fonts_->has_fallback = open_font(fonts_->fallback, fallback);
  pixel_height_ = pixel_height;
  ascent_ = 0;
  if (fonts_->has_primary) {
    int ascent = 0, descent = 0, line_gap = 0;
    stbtt_GetFontVMetrics(&fonts_->primary, &ascent, &descent, &line_gap);
    const float scale = stbtt_ScaleForPixelHeight(&fonts_->primary, pixel_height);
    // As ImGui's builder: truncated, one pixel away from the baseline, then rounded where it is used.
    ascent_ = std::round(std::trunc(static_cast<float>(ascent) * scale + (ascent > 0 ? 1.0f : -1.0f)));
  }
}

const CachedGlyph* GlyphCache::get(uint32_t code_point) {
  auto found = glyphs_.find(code_point);
  if (found != glyphs_.end()) return found->second.get();
  const stbtt_fontinfo* info = nullptr;
  int index = 0;
  if (fonts_->has_primary && (index = stbtt_FindGlyphIndex(&fonts_->primary, static_cast<int>(code_point))) != 0) {
    info = &fonts_->primary;
  } else if (fonts_->has_fallback && (index = stbtt_FindGlyphIndex(&fonts_->fallback, static_cast<int>(code_point))) != 0) {
    info = &fonts_->fallback;
  }
  std::unique_ptr<CachedGlyph> glyph;
  if (info != nullptr) {
    glyph = std::make_unique<CachedGlyph>();
    const float scale = stbtt_ScaleForPixelHeight(info, pixel_height_);
    int advance = 0, bearing = 0;
    stbtt_GetGlyphHMetrics(info, index, &advance, &bearing);
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    stbtt_GetGlyphBitmapBox(info, index, scale, scale, &x0, &y0, &x1, &y1);
    glyph->width = x1 - x0;
    glyph->height = y1 - y0;
    glyph->x0 = static_cast<float>(x0);
    glyph->y0 = static_cast<float>(y0);
    glyph->advance = std::round(static_cast<float>(advance) * scale);
    if (glyph->width > 0 && glyph->height > 0) {
      glyph->alpha.resize(static_cast<size_t>(glyph->width) * static_cast<size_t>(glyph->height));
      stbtt_MakeGlyphBitmap(info, glyph->alpha.data(), glyph->width, glyph->height, glyph->width, scale, scale, index);
    } else {
      glyph->width = glyph->height = 0;
    }
  }
  return glyphs_.emplace(code_point, std::move(glyph)).first->second.get();
}

}  // namespace kehu::client
