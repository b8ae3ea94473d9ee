#include "server/cli/user_command.h"

#include <cstdio>
#include <iostream>

#include "core/clock.h"
#include "core/users/user_store.h"
#include "server/auth/crypto.h"
#include "server/auth/password_hasher.h"
#include "server/auth/session_store.h"
#include "server/auth/trusted_devices.h"
#include "server/db_pool.h"

namespace kehu::server {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "crm-server: %s\n", message.c_str());
  return 1;
}

std::string read_password() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// "--name X" style options after the positional arguments.
std::string option(const std::vector<std::string>& args, const std::string& name, const std::string& fallback = "") {
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == name) return args[i + 1];
  return fallback;
}

}  // namespace

int run_user_command(const std::string& db_path, const std::vector<std::string>& args) {
  const char* usage =
      "usage: crm-server user add USERNAME --role ROLE [--name DISPLAY_NAME] [--email EMAIL] [--db FILE]\n"
      "       crm-server user passwd USERNAME [--db FILE]\n"
      "       crm-server user list [--db FILE]\n"
      "       (add and passwd read the password from standard input)\n";
  if (args.empty()) return std::fputs(usage, stderr), 2;
  auto pool = DbPool::open(db_path, 1);
  if (!pool.ok()) return fail(pool.error().message.en);
  SystemClock clock;
  const std::string& verb = args[0];
  if (verb == "list") {
    auto lease = (*pool)->read();
    auto users = list_users(lease.db());
    if (!users.ok()) return fail(users.error().message.en);
    std::printf("%-6s %-20s %-10s %-7s %s\n", "id", "username", "role", "active", "display name");
    for (const auto& u : *users)
      std::printf("%-6lld %-20s %-10s %-7s %s\n", static_cast<long long>(u.id), u.username.c_str(), u.role.c_str(),
                  u.active ? "yes" : "no", u.display_name.c_str());
    return 0;
  }
  if ((verb != "add" && verb != "passwd") || args.size() < 2) return std::fputs(usage, stderr), 2;
  const std::string username = args[1];
  std::string password = read_password();
  if (auto problem = check_password_policy(password)) return fail(problem->en);
  OsRandom random;
  PasswordHasher hasher(random, 1);
  auto hash = hasher.hash(password);
  if (!hash.ok()) return fail(hash.error().message.en);
  auto lease = (*pool)->write();
  auto txn = WriteTxn::begin(lease.db(), clock, Actor{});
  if (!txn.ok()) return fail(txn.error().message.en);
  if (verb == "add") {
    NewUser nu{username, option(args, "--name", username), option(args, "--email"), option(args, "--role")};
    auto user = create_user(**txn, nu, *hash);
    if (!user.ok()) {
      std::string msg = user.error().message.en;
      for (const auto& [f, t] : user.error().fields) msg += "\n  " + f + ": " + t.en;
      return fail(msg);
    }
    if (auto s = (*txn)->commit(); !s.ok()) return fail(s.error().message.en);
    std::printf("added user %s (id %lld, role %s)\n", user->username.c_str(), static_cast<long long>(user->id), user->role.c_str());
    return 0;
  }
  auto user = find_user_by_name(lease.db(), username);
  if (!user.ok()) return fail(user.error().message.en);
  if (!user->has_value()) return fail("no user named " + username);
  if (auto s = set_password_hash(**txn, (*user)->id, *hash); !s.ok()) return fail(s.error().message.en);
  if (auto s = revoke_user_sessions(lease.db(), (*user)->id, 0); !s.ok()) return fail(s.error().message.en);
  if (auto s = forget_user_devices(lease.db(), (*user)->id); !s.ok()) return fail(s.error().message.en);
  if (auto s = (*txn)->commit(); !s.ok()) return fail(s.error().message.en);
  std::printf("password changed for %s; their sessions were ended\n", username.c_str());
  return 0;
}

}  // namespace kehu::server
