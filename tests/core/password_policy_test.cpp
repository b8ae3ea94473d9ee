// The password policy the server enforces and the client checks before sending (core/users/password_policy.h):
// bounds counted in characters, not bytes, and reasons a user understands.
#include <doctest/doctest.h>

#include <string>

#include "core/users/password_policy.h"

using namespace kehu;

TEST_CASE("the password policy: 8 to 128 characters, valid UTF-8, not only spaces") {
  CHECK_FALSE(check_password_policy("12345678").has_value());
  CHECK(check_password_policy("1234567")->en == "the password must have at least 8 characters");
  CHECK(check_password_policy("1234567")->zh == "密码至少 8 个字符");
  // Characters, not bytes: eight Chinese characters pass, seven do not.
  CHECK_FALSE(check_password_policy("客户管理系统密码").has_value());
  CHECK(check_password_policy("客户管理系统密").has_value());
  CHECK_FALSE(check_password_policy(std::string(128, 'a')).has_value());
  CHECK(check_password_policy(std::string(129, 'a'))->en == "the password may have at most 128 characters");
  CHECK(check_password_policy("        ")->en == "the password cannot be only spaces");
  CHECK(check_password_policy("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8")->en == "the password contains invalid characters");
}
