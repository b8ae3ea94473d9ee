// users_admin_screen.h — 用户管理, the admin's list of accounts: registrations waiting for approval first
// (each approved with the role it gets), then every user with their role, state and last sign-in; an active
// account can be disabled (not one's own) and a disabled one enabled again.
//
// Users are not in the cache (only the directory's names are), so the list is read from the server
// (GET /users) when the screen opens and after each change, and changes are sent at once
// (PATCH /users/{id} with the rev read); offline the screen says so and changes nothing.
//
// Test ids: users.title, users.offline, users.error, users.notice, users.pending.{id}, users.row.{id},
// users.role.{id} (a combo), users.approve.{id}, users.disable.{id}, users.enable.{id}.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "web/platform.h"
#include "web/screens/server_list.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct UsersIntent {
  int64_t id = 0;
  nlohmann::json change;  // the PATCH body: {rev, active[, role]}
};

class UsersAdminScreen {
 public:
  // The accounts (GET /users), read when wanted.
  ServerList& list() { return list_; }
  // The answer to a change: its message when refused; the list is read again either way.
  void changed(Ui& ui, const HttpResponse& answer);
  // Forgets everything (another user signs in).
  void reset() {
    list_.clear();
    role_choice_.clear();
    error_.clear();
    notice_.clear();
    sending_ = false;
  }
  // `self`: the signed-in admin (who cannot disable their own account here).
  std::optional<UsersIntent> draw(Ui& ui, bool online, int64_t self);

 private:
  ServerList list_;
  bool sending_ = false;
  std::map<int64_t, int> role_choice_;  // a pending user's chosen role (index into the roles)
  std::string error_, notice_;
};

}  // namespace kehu::client
