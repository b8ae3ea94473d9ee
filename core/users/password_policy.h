// password_policy.h — what a password must be (SPEC §9), checked by the server on every password it
// stores and by the client before it sends one, so a user hears of a short password without a round
// trip while the server stays the authority: valid UTF-8, 8 to 128 characters (not bytes), not only
// spaces.
#pragma once

#include <optional>
#include <string>

#include "core/i18n.h"

namespace kehu {

struct PasswordPolicy {
  static constexpr size_t kMinLength = 8;
  static constexpr size_t kMaxLength = 128;
};

// nullopt when acceptable, else what is wrong (bilingual), for field "password"/"new_password".
std::optional<Text> check_password_policy(const std::string& password);

}  // namespace kehu
