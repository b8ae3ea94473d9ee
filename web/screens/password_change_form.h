// password_change_form.h — 修改密码, the first part of 我的账号 (account_screen.h): the current password, the
// new one and the new one again, all masked (SPEC §5 POST /auth/password).
//
// Before anything is sent the form checks what it can alone: the current password given, the new one
// within the policy (core/users/password_policy.h, the server's own rule), the two new ones alike; a refusal shows beside its field
// and sends nothing. The server stays the authority: it checks the current password and the policy
// again and answers 204 — it has then ended the user's other sessions, this one stays, and the form says
// so — or 422 naming the field at fault (old_password, new_password), whose reason, in the language the
// request asked for, shows beside that field. Too many attempts (429, with the wait in the server's
// words), a busy server (503) or no answer show as a sentence under the form; nothing changed then.
//
// The typed passwords live only in this object: cleared once the change is made and by reset() (the user
// left the screen, or signed out).
//
// Test ids: account.password.title, account.password.{old,new,repeat} (inputs, labels shown as
// .label), account.password.{old,new,repeat}.error, account.password.submit, account.password.error,
// account.password.notice.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/i18n.h"
#include "web/platform.h"
#include "web/ui/widgets.h"

namespace kehu::client {

class PasswordChangeForm {
 public:
  // Draws the form. Returns the body of POST /api/v1/auth/password ({old_password, new_password}) when
  // the user submits and the checks pass; nothing is returned while offline or while a change is on its way.
  std::optional<nlohmann::json> draw(Ui& ui, bool online);
  // The server's answer to the change draw() returned.
  void answered(const Ui& ui, const HttpResponse& answer);
  // Forgets what was typed, the reasons and the notice.
  void reset();
  bool sending() const { return sending_; }

 private:
  // One masked field with its label on the left and its reason (if any) on the right.
  void field(Ui& ui, const std::string& id, const std::string& label, std::string& value, const std::string& hint,
             const std::string& error, float label_w, bool& submit);

  std::string old_, new_, repeat_;
  std::string old_error_, new_error_, repeat_error_;  // shown beside their fields
  std::string error_, notice_;                         // under the form
  bool sending_ = false;
};

}  // namespace kehu::client
