// login_screen.h — sign-in form (SPEC §5 auth): username, password, language switch, errors in words.
#pragma once

#include <optional>
#include <string>

#include "web/ui/widgets.h"

namespace kehu::client {

struct LoginIntent {
  std::string username, password;
};

class LoginScreen {
 public:
  // Draws the form; returns the credentials when the user submits. `busy` greys the button.
  std::optional<LoginIntent> draw(Ui& ui, bool busy, bool& switch_language);
  void set_error(std::string message) { error_ = std::move(message); }
  void clear_password() { password_.clear(); }
  void set_username(std::string name) { username_ = std::move(name); }

 private:
  std::string username_, password_, error_;
};

}  // namespace kehu::client
