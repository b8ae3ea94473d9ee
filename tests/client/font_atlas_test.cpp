// The font atlas adds every character but ASCII from its glyph cache (web/ui/glyph_cache.h). Such a glyph
// must sit where ImGui's own builder would put it — the same box on the same baseline, the same advance,
// the same coverage — or Chinese text would jump against Latin text. Checked against a second atlas that
// ImGui rasterizes itself, with the client's real font files.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include <imgui.h>

#include "web/ui/font_atlas.h"

using namespace kehu::client;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The coverage of `g` in the atlas whose alpha is `pixels` (`width` wide, `height` high), row by row.
std::string coverage(const ImFontGlyph& g, const unsigned char* pixels, int width, int height) {
  const int x = static_cast<int>(g.U0 * static_cast<float>(width) + 0.5f), y = static_cast<int>(g.V0 * static_cast<float>(height) + 0.5f);
  const int w = static_cast<int>(g.X1 - g.X0), h = static_cast<int>(g.Y1 - g.Y0);
  std::string out;
  for (int row = 0; row < h; ++row) out.append(reinterpret_cast<const char*>(pixels + (y + row) * width + x), static_cast<size_t>(w));
  return out;
}

struct ImGuiContextScope {
  ImGuiContextScope() { ImGui::CreateContext(); }
  ~ImGuiContextScope() { ImGui::DestroyContext(); }
};

}  // namespace

TEST_CASE("a glyph from the cache sits and looks exactly as ImGui would rasterize it") {
  const std::string primary = read_file(KEHU_TEST_FONT_DIR "/kehu-ui.ttf");
  REQUIRE(!primary.empty());
  ImGuiContextScope scope;
  FontAtlas atlas;
  atlas.set_primary(primary);
  atlas.note_text("客户 Ann");
  REQUIRE(atlas.needs_rebuild(1.25f));
  atlas.rebuild(1.25f);
  CHECK_FALSE(atlas.needs_rebuild(1.25f));
  ImFontAtlas& ours_atlas = *ImGui::GetIO().Fonts;
  ImFont* ours = ImGui::GetIO().FontDefault;
  REQUIRE(ours != nullptr);
  unsigned char* ours_pixels = nullptr;
  int ours_w = 0, ours_h = 0;
  ours_atlas.GetTexDataAsAlpha8(&ours_pixels, &ours_w, &ours_h);

  ImFontAtlas reference;
  ImFontConfig config;
  config.OversampleH = config.OversampleV = 1;
  config.PixelSnapH = true;
  config.FontDataOwnedByAtlas = false;
  // 客 户, the ellipsis, fullwidth parentheses, a Latin-1 letter and ASCII.
  static const ImWchar kRanges[] = {0x0020, 0x007E, 0x00E9, 0x00E9, 0x2026, 0x2026, 0x5BA2, 0x5BA2, 0x6237, 0x6237, 0xFF08, 0xFF09, 0};
  ImFont* ref = reference.AddFontFromMemoryTTF(const_cast<char*>(primary.data()), static_cast<int>(primary.size()), 16.0f * 1.25f, &config, kRanges);
  REQUIRE(ref != nullptr);
  reference.Build();
  unsigned char* ref_pixels = nullptr;
  int ref_w = 0, ref_h = 0;
  reference.GetTexDataAsAlpha8(&ref_pixels, &ref_w, &ref_h);

  CHECK(ours->Ascent == ref->Ascent);
  for (ImWchar cp : {ImWchar('A'), ImWchar('g'), ImWchar(0x00E9), ImWchar(0x2026), ImWchar(0x5BA2), ImWchar(0x6237), ImWchar(0xFF08)}) {
    CAPTURE(static_cast<unsigned>(cp));
    const ImFontGlyph* a = ours->FindGlyphNoFallback(cp);
    const ImFontGlyph* b = ref->FindGlyphNoFallback(cp);
    REQUIRE(a != nullptr);
    REQUIRE(b != nullptr);
    CHECK(a->X0 == b->X0);
    CHECK(a->Y0 == b->Y0);
    CHECK(a->X1 == b->X1);
    CHECK(a->Y1 == b->Y1);
    CHECK(a->AdvanceX == b->AdvanceX);
    CHECK(coverage(*a, ours_pixels, ours_w, ours_h) == coverage(*b, ref_pixels, ref_w, ref_h));
  }
  // Not noted: not in the atlas (the atlas holds what the client draws, not the whole font).
  CHECK(ours->FindGlyphNoFallback(0x4E2D) == nullptr);  // 中
}

TEST_CASE("a character only the fallback file has is drawn once the fallback arrives") {
  const std::string primary = read_file(KEHU_TEST_FONT_DIR "/kehu-ui.ttf");
  const std::string fallback = read_file(KEHU_TEST_FONT_DIR "/kehu-ui-ext.ttf");
  REQUIRE(!primary.empty());
  REQUIRE(!fallback.empty());
  ImGuiContextScope scope;
  FontAtlas atlas;
  atlas.set_primary(primary);
  atlas.note_text("吉𠮷");  // U+20BB7 is in Extension B: not in the primary subset
  atlas.rebuild(1.0f);
  CHECK(atlas.wants_fallback());
  CHECK(ImGui::GetIO().FontDefault->FindGlyphNoFallback(0x20BB7) == nullptr);
  CHECK(ImGui::GetIO().FontDefault->FindGlyphNoFallback(0x5409) != nullptr);
  CHECK_FALSE(atlas.needs_rebuild(1.0f));  // a missing character does not ask for rebuild after rebuild

  atlas.set_fallback(fallback);
  CHECK_FALSE(atlas.wants_fallback());
  REQUIRE(atlas.needs_rebuild(1.0f));
  atlas.rebuild(1.0f);
  const ImFontGlyph* g = ImGui::GetIO().FontDefault->FindGlyphNoFallback(0x20BB7);
  REQUIRE(g != nullptr);
  CHECK(g->Visible);
  CHECK(g->AdvanceX > 0);
  CHECK(ImGui::GetIO().FontDefault->FindGlyphNoFallback(0x5409) != nullptr);
}
