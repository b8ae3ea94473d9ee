// bootstrap.h — first start: with no users, create `admin` with the password from KEHU_ADMIN_PASSWORD,
// else a random one printed once to the console (SPEC §5).
#pragma once

#include <string>

#include "core/clock.h"
#include "server/auth/password_hasher.h"
#include "server/db_pool.h"

namespace kehu::server {

// Returns a line to print (empty when users already existed).
Result<std::string> ensure_first_admin(DbPool& db, PasswordHasher& hasher, const Clock& clock, Random& random);

}  // namespace kehu::server
