// widgets.h — the ImGui calls screens use, each recording its item for the test hook (test_hook.h) and
// noting its text for the font atlas (font_atlas.h), so no screen can forget either.
//
// `id` is the stable, language-independent name tests use ("login.submit"); the label is what the user
// reads, in the current language. Every helper returns what ImGui returns.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/i18n.h"
#include "web/ui/font_atlas.h"
#include "web/ui/test_hook.h"

namespace kehu::client {

class Ui {
 public:
  Ui(FontAtlas& fonts, TestHook& hook) : fonts_(fonts), hook_(hook) {}

  Lang lang() const { return lang_; }
  void set_lang(Lang lang) { lang_ = lang; }
  float scale() const { return scale_; }
  // Minutes local time is ahead of UTC (Platform::utc_offset_minutes).
  int utc_offset() const { return utc_offset_; }
  void set_utc_offset(int minutes) { utc_offset_ = minutes; }
  void set_scale(float scale) { scale_ = scale; }
  // Device pixels for a length in CSS pixels.
  float px(float css) const { return css * scale_; }

  // The text in the current language.
  const std::string& tr(const Text& text) const { return text.in(lang_); }
  std::string tr(const char* zh, const char* en) const { return lang_ == Lang::zh ? zh : en; }
  std::string tr(const std::string& zh, const std::string& en) const { return lang_ == Lang::zh ? zh : en; }
  // A field's label as a heading or form label: in English with a capital ("Contract code").
  std::string label(const Text& text) const {
    std::string out = text.in(lang_);
    if (lang_ == Lang::en && !out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
  }

  bool button(const std::string& id, const std::string& label, float width = 0);
  // A single-line input; `hint` shows while empty. Returns true when the text changed.
  bool input(const std::string& id, const std::string& label, std::string& value, const std::string& hint = {},
             bool password = false, float width = 0);
  bool input_multiline(const std::string& id, const std::string& label, std::string& value, float height);
  bool checkbox(const std::string& id, const std::string& label, bool& value);
  // One choice of several: drawn selected when `selected`; true when clicked. Recorded as kind "radio"
  // with "true"/"false" after the label ("label|true").
  bool radio(const std::string& id, const std::string& label, bool selected);
  void text(const std::string& id, const std::string& label);
  void text_colored(const std::string& id, const std::string& label, unsigned int rgba);
  // A combo over `labels`; `selected` is an index (-1: none, shown as `none_label`).
  bool combo(const std::string& id, const std::string& label, int& selected, const std::vector<std::string>& labels,
             const std::string& none_label, float width);
  void progress(const std::string& id, float fraction, const std::string& overlay);
  // Records the last ImGui item under `id` (for widgets drawn directly with ImGui).
  void record(const std::string& id, const std::string& label, const char* kind);
  // Notes text drawn directly with ImGui for the atlas.
  void note(std::string_view text) { fonts_.note_text(text); }
  // Continues the line when an item `width` wide still fits, else starts the next one: a toolbar wraps
  // in a narrow window (a tablet held upright) instead of running off its edge.
  void same_line_if_fits(float width, float spacing = -1.0f);
  // A table's columns, titled in the language shown, and its header row; a weight > 0 stretches the
  // column by it. Called after BeginTable (and TableSetupScrollFreeze).
  struct Column {
    Text title;
    float weight = 0;
  };
  void table_headers(const std::vector<Column>& columns);

  TestHook& hook() { return hook_; }

 private:
  FontAtlas& fonts_;
  TestHook& hook_;
  Lang lang_ = Lang::zh;
  float scale_ = 1.0f;
  int utc_offset_ = 0;
};

}  // namespace kehu::client
