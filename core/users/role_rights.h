// role_rights.h — what each role may do with each module, from SPEC §3's table.
//
// This is the role level only ("may a sales rep delete customers at all?"). Which rows a user sees
// (own, team's, pool) is record scope, applied where records are read and written.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace kehu {

enum class Action { read, create, update, remove };

// True if `role` may do `action` on `module` ("customers", "contacts", ...).
bool role_may(const std::string& role, const std::string& module, Action action);
// {module: ["read", "create", "update", "delete"], ...} for GET /me.
nlohmann::json role_rights_json(const std::string& role);
// Roles that may override the duplicate guard and assign owners.
bool role_may_override(const std::string& role);

}  // namespace kehu
