// kiosk_display.h — kiosk mode (SPEC §8): the client opened as /?kiosk=TOKEN on an office TV. No login, no
// cache: it asks the server what the token was issued (GET /kiosk), then shows those dashboards full
// screen in large type, one after another (&rotate=SECONDS, default 20), drawn from the /stats answers (stat_dashboards.h).
//
// Live: a `stats` event on GET /events (the token rides as ?kiosk=, EventSource sends no headers) reads
// the figures again within moments; a poll every minute covers a stream that cannot open. When the server
// does not answer, the last figures stay with a small "reconnecting" mark, and it retries every few seconds
// until the server is back: it never needs input. A token refused (revoked, unknown) shows that the link
// no longer works and drops every figure (it still asks once a minute: a database restored to before the
// revocation brings the token back).
//
// Test ids: kiosk.title, kiosk.page.{n}, kiosk.reconnecting, kiosk.revoked, and the dashboards' own
// (stat_dashboards.h). Screen name: "kiosk.{dashboard}", "kiosk.revoked" or "kiosk.loading".
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/screens/stat_dashboards.h"
#include "web/ui/font_atlas.h"
#include "web/ui/test_hook.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class KioskDisplay {
 public:
  KioskDisplay(Platform& platform, FontAtlas& fonts, TestHook& hook, std::string token);
  ~KioskDisplay();

  void start();
  // `scale` as ClientApp::frame; the display enlarges it to read across a room (zoom()).
  void frame(float scale);
  bool wants_frame() const;
  void on_online_changed(bool online);

  // How long each dashboard shows before the next (unless the address says &rotate=SECONDS), and how
  // often figures are read without an event.
  static constexpr double kRotateSeconds = 20;
  static constexpr double kPollSeconds = 60;
  static constexpr double kRetrySeconds = 5;

 private:
  void ask_issue();                 // GET /api/v1/kiosk
  void read_figures();              // every request of every issued dashboard
  void send(const std::string& path, std::function<void(const HttpResponse&)> done);
  void answered(const std::string& path, const HttpResponse& answer);
  void refused();                   // 401: the token no longer works
  void unreachable();               // no answer: keep the figures, mark, retry
  void listen();
  float zoom(float scale) const;
  std::string screen_name() const;
  void draw_header();
  void draw_message(const std::string& id, const std::string& text);

  Platform& platform_;
  FontAtlas& fonts_;
  TestHook& hook_;
  Ui ui_;
  std::string token_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  nlohmann::json issue_;            // {name, dashboards, company, option_lists}, null until read
  std::vector<std::string> dashboards_;
  DashboardData data_;
  size_t showing_ = 0;
  double rotate_seconds_ = kRotateSeconds;
  double shown_at_ = 0;             // monotonic seconds the current dashboard came up
  double next_read_ = 0;            // when figures (or the issue) are read again
  int in_flight_ = 0;               // requests awaiting an answer
  bool stats_moved_ = false;        // a `stats` event came while requests were out
  bool revoked_ = false;
  bool reconnecting_ = false;
  bool events_open_ = false;
  int listener_ = 0;
  int frames_wanted_ = 2;
  float scale_ = 0;
};

}  // namespace kehu::client
