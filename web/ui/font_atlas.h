// font_atlas.h — the CJK font in ImGui's atlas, holding only the glyphs the client needs.
//
// A full Chinese atlas is a 4096² texture (tens of MB), so the atlas holds ASCII, punctuation, the UI's
// own strings and the characters seen in drawn data. Text drawn through the ui/ helpers is noted here;
// a character the atlas lacks triggers a rebuild before the next frame, so no name ever shows boxes.
// Two font files: the primary subset shipped with the client (common characters) and a fallback with
// the rest (rare and supplementary-plane characters such as 𠮷), fetched only when a noted character is
// missing from the primary. Glyphs from both are merged into one ImGui font. ImGui before 1.92 has no
// on-demand glyphs, hence the rebuilds; they are rare (new characters only) and batched per frame, and
// cheap: each glyph is rasterized once (glyph_cache.h) and only copied into the atlas at a rebuild.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "web/ui/glyph_cache.h"

struct ImFont;

namespace kehu::client {

class FontAtlas {
 public:
  // The font files' bytes (TTF/OTF). The host loads the primary before the first frame; the fallback
  // arrives when wants_fallback() asked for it, or fallback_unavailable() says it will not (the asking
  // stops, so a failed download does not keep the client drawing; its characters stay boxes).
  void set_primary(std::string bytes);
  void set_fallback(std::string bytes);
  void fallback_unavailable() { fallback_failed_ = true; }
  bool wants_fallback() const { return fallback_wanted_ && fallback_.empty() && !fallback_failed_; }
  bool has_primary() const { return !primary_.empty(); }

  // Notes characters of `utf8` for the atlas; cheap when they are all present.
  void note_text(std::string_view utf8);

  // Whether the atlas must be rebuilt before the next frame (new characters, or a new scale).
  bool needs_rebuild(float scale) const;
  // Rebuilds ImGui's font atlas at `scale`; the host re-creates the GPU texture afterwards.
  void rebuild(float scale);
  // Text `zoom` times larger than the host's scale asks (the kiosk display's large type, read across a
  // room): the client sets it, hosts keep passing their own scale.
  void set_zoom(float zoom) { zoom_ = zoom; }
  float zoom() const { return zoom_; }

  float base_size() const { return 16.0f; }  // CSS pixels
  int rebuilds() const { return rebuilds_; }
  size_t glyph_count() const { return in_atlas_.size(); }

 private:
  std::string primary_, fallback_;
  GlyphCache glyphs_;             // everything but ASCII, rasterized once per font files and size
  bool fonts_changed_ = false;    // a file arrived since glyphs_ was set up
  std::set<uint32_t> in_atlas_;   // code points requested at the last rebuild
  std::set<uint32_t> pending_;    // noted, not yet in the atlas
  std::set<uint32_t> missing_;    // not in any loaded font file: asked again when the fallback arrives
  bool fallback_wanted_ = false;
  bool fallback_failed_ = false;
  float scale_ = 0.0f;  // of the atlas built: the host's scale times zoom_
  float zoom_ = 1.0f;
  int rebuilds_ = 0;
};

}  // namespace kehu::client
