#include "server/bootstrap.h"

#include <cstdlib>

#include "core/text/base64url.h"
#include "core/users/user_store.h"
#include "server/auth/crypto.h"

namespace kehu::server {

Result<std::string> ensure_first_admin(DbPool& pool, PasswordHasher& hasher, const Clock& clock, Random& random) {
  auto lease = pool.write();
  auto n = count_users(lease.db());
  if (!n.ok()) return n.take_error();
  if (*n > 0) return std::string();
  const char* env = std::getenv("KEHU_ADMIN_PASSWORD");
  std::string password = env && *env ? env : base64url_encode(random.bytes(12));
  if (auto problem = check_password_policy(password))
    return Error::make(ErrorCode::validation, {"KEHU_ADMIN_PASSWORD 不可用：" + problem->zh, "KEHU_ADMIN_PASSWORD is not usable: " + problem->en});
  auto txn = WriteTxn::begin(lease.db(), clock, Actor{});
  if (!txn.ok()) return txn.take_error();
  auto hash = hasher.hash(password);
  if (!hash.ok()) return hash.take_error();
  auto user = create_user(**txn, NewUser{"admin", "系统管理员", "", "admin"}, *hash);
  if (!user.ok()) return user.take_error();
  KEHU_TRY((*txn)->commit());
  if (env && *env) return std::string("created user 'admin' with the password from KEHU_ADMIN_PASSWORD");
  return "created user 'admin' with password: " + password + "  (shown once; change it after signing in)";
}

}  // namespace kehu::server
