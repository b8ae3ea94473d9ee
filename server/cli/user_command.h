// user_command.h — `crm-server user add|passwd|list`: managing accounts from the server's console.
// Passwords are read from standard input (one line), never from the command line (which `ps` shows).
#pragma once

#include <string>
#include <vector>

namespace kehu::server {

int run_user_command(const std::string& db_path, const std::vector<std::string>& args);

}  // namespace kehu::server
