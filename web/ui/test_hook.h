// test_hook.h — what end-to-end tests read back from the last drawn frame (SPEC §8).
//
// With the page opened with ?test=1, window.kehuTest.snapshot() returns
//   {screen, frame, lang, online, pending, items: [{id, label, kind, x, y, w, h, disabled?}]}
// in CSS pixels, so a browser test finds a widget by id or label, clicks its centre and types like a
// person. The ui/ widget helpers record every labelled item as they draw it; `frame` counts frames
// actually drawn (the idle check reads it). Recording costs a vector push per widget; it is always on.
#pragma once

#include <string>
#include <vector>

namespace kehu::client {

struct TestItem {
  std::string id;     // stable, language-independent: "login.username", "customers.row.42"
  std::string label;  // the text as shown
  std::string kind;   // button, input, text, row, tab, checkbox, combo, progress
  float x = 0, y = 0, w = 0, h = 0;  // device pixels while recording
  bool disabled = false;             // drawn greyed out: a click does nothing (only written when true)
};

class TestHook {
 public:
  void begin_frame();
  void add(TestItem item) { items_.push_back(std::move(item)); }
  void set_screen(std::string screen) { screen_ = std::move(screen); }
  const std::string& screen() const { return screen_; }
  void set_status(std::string lang, bool online, int pending) {
    lang_ = std::move(lang);
    online_ = online;
    pending_ = pending;
  }
  // The JSON text of the last drawn frame; coordinates divided by `scale` (device px per CSS px).
  std::string snapshot(float scale) const;
  long frame() const { return frame_; }

 private:
  std::vector<TestItem> items_;
  std::string screen_, lang_;
  bool online_ = false;
  int pending_ = 0;
  long frame_ = 0;
};

}  // namespace kehu::client
