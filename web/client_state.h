// client_state.h — the client's state machine: who is signed in, which screen shows, and the cache,
// outbox and sync engine of the signed-in user. ClientApp (client_app.h) forwards the host's calls here.
//
// Screens: login → opening (the user's cache loads) → syncing (first sync, with progress) → customers ⇄
// customer ⇄ customer_form. The last signed-in user is remembered (not the token: the browser's session
// cookie is HttpOnly), so a reload — online or offline — opens that user's cache at once and confirms the
// session in the background; a 401 returns to the login screen and keeps the cache and outbox for the same
// user's next sign-in (SPEC §6).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "web/cache/local_cache.h"
#include "web/platform.h"
#include "web/screens/customer_detail_screen.h"
#include "web/screens/customer_form_screen.h"
#include "web/screens/customer_list_screen.h"
#include "web/screens/login_screen.h"
#include "web/sync/outbox.h"
#include "web/sync/sync_engine.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class ClientState {
 public:
  ClientState(Platform& platform, FontAtlas& fonts, TestHook& hook);
  ~ClientState();

  void start();
  void frame(float scale, bool redraw);
  bool wants_frame() const;
  void on_online_changed(bool online);

 private:
  enum class Screen { login, opening, syncing, customers, customer, customer_form };

  void open_session(const nlohmann::json& user, bool verify);
  void close_session(bool delete_cache);
  void submit_login(const LoginIntent& intent);
  void verify_session();
  void signed_out();
  void save_form(const FormIntent& intent);
  void check_form_result();
  void set_language(Lang lang);
  std::string accept_language() const { return ui_.lang() == Lang::zh ? "zh-CN" : "en"; }
  std::string now_text() const;
  void redraw(int frames = 2) { frames_wanted_ = std::max(frames_wanted_, frames); }
  static const char* screen_name(Screen s);

  void draw_top_bar();
  void draw_status_bar();
  void draw_logout_dialog();
  void draw_syncing();

  Platform& platform_;
  TestHook& hook_;
  Ui ui_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  Screen screen_ = Screen::login;
  nlohmann::json user_;  // the signed-in user (id, username, display_name, role), null when none
  std::string cache_name_;
  std::unique_ptr<LocalCache> cache_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<SyncEngine> engine_;

  LoginScreen login_;
  CustomerListScreen list_;
  CustomerDetailScreen detail_;
  CustomerFormScreen form_;
  int64_t detail_id_ = 0;
  int64_t waiting_seq_ = 0;      // the outbox entry of the form being saved (0: none)
  bool login_busy_ = false;
  bool logout_dialog_ = false;
  bool confirm_discard_ = false;
  std::string notice_;           // a message for the status bar (e.g. the cache could not open)
  int frames_wanted_ = 2;
  float scale_ = 0;
};

}  // namespace kehu::client
