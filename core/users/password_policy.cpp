#include "core/users/password_policy.h"

#include "core/text/utf8.h"

namespace kehu {

std::optional<Text> check_password_policy(const std::string& password) {
  if (!is_valid_utf8(password)) return Text{"密码包含无效字符", "the password contains invalid characters"};
  size_t n = utf8_length(password);
  if (n < PasswordPolicy::kMinLength) return Text{"密码至少 8 个字符", "the password must have at least 8 characters"};
  if (n > PasswordPolicy::kMaxLength) return Text{"密码最多 128 个字符", "the password may have at most 128 characters"};
  if (trim(password).empty()) return Text{"密码不能全是空格", "the password cannot be only spaces"};
  return std::nullopt;
}

}  // namespace kehu
