// glyph_cache.h — CJK glyphs rasterized once, kept as bitmaps for the font atlas's rebuilds.
//
// Dear ImGui 1.90 rebuilds its whole atlas to add one character, rasterizing every glyph again; with the
// one or two thousand characters a list of Chinese names brings, that took 15–20 ms, in a frame that must
// also draw. FontAtlas (font_atlas.h) therefore gives ImGui only ASCII to rasterize and adds every other
// character as a custom rectangle filled from this cache, so a rebuild rasterizes only what is new.
//
// Contract: the font bytes given to set_fonts() stay alive and unchanged until the next set_fonts(); a
// glyph is looked up in the primary file first, then in the fallback. Metrics follow ImGui's own builder
// (stb_truetype, no oversampling, advance snapped to whole pixels), so a cached glyph sits on the same
// baseline and takes the same width as one ImGui rasterized.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace kehu::client {

struct CachedGlyph {
  int width = 0, height = 0;      // the bitmap, in pixels (0 × 0 for a blank glyph such as U+3000)
  float x0 = 0, y0 = 0;           // its top left from the pen position on the baseline (y down)
  float advance = 0;              // whole pixels
  std::vector<unsigned char> alpha;  // width × height coverage, row by row
};

class GlyphCache {
 public:
  GlyphCache();
  ~GlyphCache();
  GlyphCache(const GlyphCache&) = delete;
  GlyphCache& operator=(const GlyphCache&) = delete;

  // The font files (TTF bytes; `fallback` may be empty) and the pixel height glyphs are drawn at. Glyphs
  // cached for other files or another size are dropped.
  void set_fonts(const std::string& primary, const std::string& fallback, float pixel_height);
  // The glyph for `code_point`, rasterized on first use; nullptr when neither file has it.
  const CachedGlyph* get(uint32_t code_point);
  // ImGui's ascent for the primary file at this size, rounded as its builder rounds it: add it to y0 to
  // place a glyph from the top of the line.
  float ascent() const { return ascent_; }
  size_t size() const { return glyphs_.size(); }

 private:
  struct Fonts;
  std::unique_ptr<Fonts> fonts_;
  float pixel_height_ = 0;
  float ascent_ = 0;
  std::unordered_map<uint32_t, std::unique_ptr<CachedGlyph>> glyphs_;  // null: in neither file
};

}  // namespace kehu::client
