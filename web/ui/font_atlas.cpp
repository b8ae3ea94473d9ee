#include "web/ui/font_atlas.h"

#include <imgui.h>

#include "core/text/utf8.h"

namespace kehu::client {

namespace {

// Always in the atlas: ASCII, Latin-1, general punctuation, CJK punctuation, fullwidth forms, and the
// symbols ImGui draws (the ellipsis, check mark, arrows).
void add_base_ranges(ImFontGlyphRangesBuilder& b) {
  static const ImWchar kBase[] = {0x0020, 0x00FF, 0x2000, 0x206F, 0x2190, 0x21FF, 0x25A0, 0x25FF, 0x2713, 0x2713,
                                  0x3000, 0x303F, 0xFF00, 0xFFEF, 0};
  b.AddRanges(kBase);
}

}  // namespace

void FontAtlas::set_primary(std::string bytes) {
  primary_ = std::move(bytes);
  scale_ = 0;  // force a rebuild
}

void FontAtlas::set_fallback(std::string bytes) {
  fallback_ = std::move(bytes);
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
    if (cp >= 0x2000 && cp <= 0x206F) continue;
    if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) || cp <= 0xFF) continue;
    if (in_atlas_.count(cp) || missing_.count(cp)) continue;
    pending_.insert(cp);
  }
}

bool FontAtlas::needs_rebuild(float scale) const {
  if (primary_.empty()) return false;
  return scale != scale_ || !pending_.empty();
}

void FontAtlas::rebuild(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  for (uint32_t cp : pending_) in_atlas_.insert(cp);
  pending_.clear();

  ImFontGlyphRangesBuilder builder;
  add_base_ranges(builder);
  for (uint32_t cp : in_atlas_) builder.AddChar(static_cast<ImWchar>(cp));
  ImVector<ImWchar> ranges;
  builder.BuildRanges(&ranges);

  io.Fonts->Clear();
  const float size = base_size() * scale;
  ImFontConfig config;
  config.OversampleH = config.OversampleV = 1;  // CJK glyphs are dense; oversampling would quadruple the atlas
  config.PixelSnapH = true;
  config.FontDataOwnedByAtlas = false;          // the bytes stay ours; rebuilds reuse them
  ImFont* font = io.Fonts->AddFontFromMemoryTTF(primary_.data(), static_cast<int>(primary_.size()), size, &config,
                                                ranges.Data);
  if (!fallback_.empty()) {
    ImFontConfig merge = config;
    merge.MergeMode = true;
    io.Fonts->AddFontFromMemoryTTF(fallback_.data(), static_cast<int>(fallback_.size()), size, &merge, ranges.Data);
  }
  io.Fonts->Build();
  io.FontDefault = font;

  // Characters no loaded file has: ask for the fallback once; never rebuild for them again.
  if (font) {
    for (auto it = in_atlas_.begin(); it != in_atlas_.end();) {
      if (*it > 0xFF && !font->FindGlyphNoFallback(static_cast<ImWchar>(*it))) {
        missing_.insert(*it);
        if (fallback_.empty()) fallback_wanted_ = true;
        it = in_atlas_.erase(it);
      } else {
        ++it;
      }
    }
  }
  scale_ = scale;
  ++rebuilds_;
}

}  // namespace kehu::client
