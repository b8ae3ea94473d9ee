// user_store.h — user accounts: the rows behind login, the directory and `crm-server user ...`.
//
// Password hashing is the server's (Argon2id, server/auth/password_hasher.h); core stores the encoded
// hash as opaque text and never returns it in a record. Usernames are case-insensitive and unique.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/store/write_txn.h"

namespace kehu {

struct User {
  int64_t id = 0;
  int64_t rev = 0;
  std::string username;
  std::string display_name;
  std::string email;
  std::string role;
  std::optional<int64_t> team_id;
  bool active = true;
  std::string last_login_at;
  std::string password_hash;  // server only
  int64_t scope_rev = 0;      // rev of the last change to what this user may see (role, team): sync resets
};

const std::vector<std::string>& user_roles();  // admin, manager, sales, service, contract, viewer
Text role_label(const std::string& role);

struct NewUser {
  std::string username, display_name, email, role;
  bool active = true;
  std::optional<int64_t> team_id;
};

// The checks of a new user's own fields (no database): field -> message; empty when all is well.
std::map<std::string, Text> check_new_user(const NewUser& user);
// Validates (username 3-32 of a-z 0-9 . _ -, display name 1-50, known role, e-mail format) and inserts.
Result<User> create_user(WriteTxn& txn, const NewUser& user, const std::string& password_hash);
Result<std::optional<User>> find_user_by_name(Database& db, const std::string& username);
Result<std::optional<User>> find_user(Database& db, int64_t id);
Result<std::vector<User>> list_users(Database& db);
Status set_password_hash(WriteTxn& txn, int64_t user_id, const std::string& password_hash);
// Not a synced change: last_login_at is not part of the directory, so rev is left alone.
Status touch_last_login(Database& db, int64_t user_id, const std::string& at);
Result<int64_t> count_users(Database& db);

// After a user's row changed from `before` to `after` (records, users_def()): when the role or team
// changed, that user's next sync starts over (users.scope_rev, SPEC §6 reset), and so does that of the
// managers of the teams they left and joined, whose "team's" records changed.
Status note_user_scope_change(WriteTxn& txn, const nlohmann::json& before, const nlohmann::json& after);

// The public view of a user (no hash), for /me and the admin list.
nlohmann::json user_json(const User& user);

}  // namespace kehu
