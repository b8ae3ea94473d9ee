#include "core/users/role_rights.h"

#include <map>

namespace kehu {

namespace {

// role -> module -> allowed actions, as letters: r(ead) c(reate) u(pdate) d(elete).
const std::map<std::string, std::map<std::string, std::string>>& table() {
  static const std::map<std::string, std::map<std::string, std::string>> kTable = {
      {"admin",
       {{"customers", "rcud"}, {"contacts", "rcud"}, {"products", "rcud"}, {"opportunities", "rcud"}, {"contracts", "rcud"},
        {"orders", "rcud"}, {"activities", "rcud"}, {"tickets", "rcud"}, {"campaigns", "rcud"}, {"emails", "r"},
        {"announcements", "rcud"}, {"views", "rcud"}, {"users", "rcu"}, {"teams", "rcud"}, {"audit", "r"}}},
      {"manager",
       {{"customers", "rcud"}, {"contacts", "rcud"}, {"products", "rcud"}, {"opportunities", "rcud"}, {"contracts", "rcud"},
        {"orders", "rcud"}, {"activities", "rcud"}, {"tickets", "r"}, {"campaigns", "rcud"}, {"emails", "r"},
        {"announcements", "rcud"}, {"views", "rcud"}, {"teams", "r"}}},
      {"sales",
       {{"customers", "rcud"}, {"contacts", "rcud"}, {"products", "r"}, {"opportunities", "rcud"}, {"contracts", "rcud"},
        {"orders", "rcud"}, {"activities", "rcud"}, {"tickets", "r"}, {"campaigns", "r"}, {"emails", "r"},
        {"announcements", "r"}, {"views", "rcud"}, {"teams", "r"}}},
      {"service",
       {{"customers", "ru"}, {"contacts", "ru"}, {"products", "r"}, {"opportunities", "r"}, {"contracts", "r"},
        {"orders", "r"}, {"activities", "rcud"}, {"tickets", "rcud"}, {"announcements", "r"}, {"views", "rcud"},
        {"teams", "r"}}},
      {"contract",
       {{"customers", "r"}, {"contacts", "r"}, {"products", "r"}, {"opportunities", "r"}, {"contracts", "rcud"},
        {"orders", "r"}, {"activities", "r"}, {"tickets", "r"}, {"announcements", "r"}, {"views", "rcud"}, {"teams", "r"}}},
      {"viewer", {}},
  };
  return kTable;
}

char letter(Action a) {
  switch (a) {
    case Action::read: return 'r';
    case Action::create: return 'c';
    case Action::update: return 'u';
    case Action::remove: return 'd';
  }
  return '?';
}

}  // namespace

bool role_may(const std::string& role, const std::string& module, Action action) {
  auto r = table().find(role);
  if (r == table().end()) return false;
  auto m = r->second.find(module);
  return m != r->second.end() && m->second.find(letter(action)) != std::string::npos;
}

nlohmann::json role_rights_json(const std::string& role) {
  nlohmann::json out = nlohmann::json::object();
  auto r = table().find(role);
  if (r == table().end()) return out;
  for (const auto& [module, letters] : r->second) {
    nlohmann::json actions = nlohmann::json::array();
    if (letters.find('r') != std::string::npos) actions.push_back("read");
    if (letters.find('c') != std::string::npos) actions.push_back("create");
    if (letters.find('u') != std::string::npos) actions.push_back("update");
    if (letters.find('d') != std::string::npos) actions.push_back("delete");
    out[module] = actions;
  }
  return out;
}

bool role_may_override(const std::string& role) { return role == "admin" || role == "manager"; }

}  // namespace kehu
