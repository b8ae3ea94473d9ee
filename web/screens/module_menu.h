// module_menu.h — which modules the side bar offers a user, in which order (SPEC §8 "menus follow the
// admin's configuration").
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "core/i18n.h"

namespace kehu::client {

// The record modules for `role`: the admin's menu for the role (settings `menus`, synced) when it names
// one, else every module in the default order; in both cases only the modules the role may read.
std::vector<const EntityDef*> menu_modules(const std::string& role, const nlohmann::json& settings);

// The record modules a menu can list, in the default order (what a role without an admin's menu sees).
const std::vector<std::string>& record_menu_modules();

// The module's name in the side bar (GLOSSARY.md Modules): 客户 / Customers, 工单 / Service tickets.
Text module_title(const EntityDef& module);

}  // namespace kehu::client
