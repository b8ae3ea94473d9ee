#include "core/users/kiosk_token_input.h"

#include <map>

#include "core/entity/validation.h"
#include "core/stats/dashboards.h"
#include "core/text/utf8.h"

namespace kehu {

Result<KioskTokenInput> validate_kiosk_token_input(const nlohmann::json& body) {
  std::map<std::string, Text> bad;
  KioskTokenInput in;
  for (const auto& [key, value] : body.items()) {
    (void)value;
    if (key != "name" && key != "dashboards") bad[key] = {"未知字段", "unknown field"};
  }
  const auto name = body.find("name");
  if (name == body.end() || !name->is_string() || !is_valid_utf8(name->get_ref<const std::string&>())) {
    bad["name"] = {"请填写大屏名称", "give the display a name"};
  } else {
    in.name = std::string(trim(name->get_ref<const std::string&>()));
    if (in.name.empty()) bad["name"] = {"请填写大屏名称", "give the display a name"};
    else if (utf8_length(in.name) > 100) bad["name"] = {"大屏名称最多 100 个字", "the display name is at most 100 characters"};
  }
  const auto issued = body.find("dashboards");
  if (issued == body.end() || !issued->is_array() || issued->empty()) {
    bad["dashboards"] = {"请至少选择一个看板", "choose at least one dashboard"};
  } else {
    for (const auto& d : *issued) {
      if (!d.is_string() || !find_dashboard(d.get_ref<const std::string&>())) {
        // Named back only when it is short, readable text; anything else is just "not a dashboard".
        const bool nameable = d.is_string() && d.get_ref<const std::string&>().size() <= 40 &&
                              is_valid_utf8(d.get_ref<const std::string&>());
        const std::string what = nameable ? d.get<std::string>() : "?";
        bad["dashboards"] = {"没有这个看板：" + what, "no such dashboard: " + what};
        break;
      }
      const std::string id = d.get<std::string>();
      for (const auto& seen : in.dashboards)
        if (seen == id) bad["dashboards"] = {"看板重复：" + id, "dashboard listed twice: " + id};
      in.dashboards.push_back(id);
    }
  }
  if (!bad.empty()) return validation_error(std::move(bad));
  return in;
}

}  // namespace kehu
