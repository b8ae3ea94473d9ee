// account_screen.h — 我的账号 (My account), for every signed-in user whatever their role, opened from their
// name in the top bar: change the password (password_change_form.h), and see where the account is
// signed in — 登录设备 (SPEC §5 GET /auth/sessions) — with when each session started, when it was last
// active, its address and its browser, ending any but this one (after a confirmation: DELETE
// /auth/sessions/{id}; the list is then read again). This device's session is marked 本设备 and has no
// end button: signing out is the top bar's.
//
// Both parts talk to the server only: the list is read when the screen opens and after each change;
// offline the screen says it needs the network and sends nothing.
//
// Test ids: account.title, account.offline, account.error, account.notice (the head, server_page_head.h);
// the password form's (password_change_form.h); account.sessions.title, account.sessions.none,
// account.session.browser.{id} (the full User-Agent on hover), account.session.ip.{id},
// account.session.started.{id}, account.session.seen.{id}, account.session.current.{id} (本设备),
// account.session.end.{id}, account_end.question, account_end.confirm, account_end.cancel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/screens/password_change_form.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

// A change to send: the password (POST /api/v1/auth/password) or ending a session (DELETE
// /api/v1/auth/sessions/{id}). Its answer goes back to the screen: password_changed() or session_ended().
struct AccountIntent {
  enum Kind { password, end_session } kind = password;
  std::string method, path;
  nlohmann::json body;  // null for a DELETE
};

class AccountScreen {
 public:
  // The user's sessions (GET /api/v1/auth/sessions).
  ServerList& sessions() { return sessions_; }
  void password_changed(const Ui& ui, const HttpResponse& answer);
  void session_ended(const Ui& ui, const HttpResponse& answer);
  // The user left the screen: what was typed is forgotten, the list is read again next time.
  void leave();
  // Forgets everything (signed out).
  void reset();
  std::optional<AccountIntent> draw(Ui& ui, bool online);

 private:
  // The table and the confirmation; returns the session the user confirmed ending.
  std::optional<int64_t> draw_sessions(Ui& ui, bool online, bool can_send);

  PasswordChangeForm password_;
  ServerList sessions_;
  bool ending_ = false;      // a DELETE on its way
  int64_t confirm_end_ = 0;      // the session the dialog asks about
  std::string error_, notice_;  // of ending a session
};

}  // namespace kehu::client
