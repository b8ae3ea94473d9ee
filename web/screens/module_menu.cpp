#include "web/screens/module_menu.h"

#include <algorithm>
#include <map>

#include "core/users/role_rights.h"

namespace kehu::client {

const std::vector<std::string>& record_menu_modules() {
  // Customers first, then the sales path, service, marketing, the notice board.
  static const std::vector<std::string> kDefault = {"customers", "contacts",  "opportunities", "contracts",
                                                    "orders",    "products",  "activities",    "tickets",
                                                    "campaigns", "emails",    "announcements"};
  return kDefault;
}

std::vector<const EntityDef*> menu_modules(const std::string& role, const nlohmann::json& settings) {
  const std::vector<std::string>& kDefault = record_menu_modules();
  std::vector<std::string> names = kDefault;
  const nlohmann::json menus = settings.is_object() ? settings.value("menus", nlohmann::json()) : nlohmann::json();
  if (menus.is_object() && menus.contains(role) && menus[role].is_array()) {
    names.clear();
    for (const auto& m : menus[role])
      if (m.is_string()) names.push_back(m.get<std::string>());
  }
  std::vector<const EntityDef*> out;
  for (const auto& name : names) {
    const EntityDef* e = find_entity(name);
    if (!e || std::find(kDefault.begin(), kDefault.end(), name) == kDefault.end()) continue;  // not a record module
    if (!role_may(role, e->name, Action::read)) continue;
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  }
  return out;
}

Text module_title(const EntityDef& module) {
  static const std::map<std::string, Text> kTitles = {
      {"customers", {"客户", "Customers"}},          {"contacts", {"联系人", "Contacts"}},
      {"opportunities", {"商机", "Opportunities"}},  {"contracts", {"合同", "Contracts"}},
      {"orders", {"订单", "Orders"}},                {"products", {"产品维护", "Products"}},
      {"activities", {"联系活动", "Activities"}},    {"tickets", {"工单", "Service tickets"}},
      {"campaigns", {"市场活动", "Campaigns"}},      {"emails", {"邮件", "Email"}},
      {"announcements", {"公告", "Announcements"}},
  };
  auto it = kTitles.find(module.name);
  return it != kTitles.end() ? it->second : module.label;
}

}  // namespace kehu::client
