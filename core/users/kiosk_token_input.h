// kiosk_token_input.h — what an admin gives to issue a kiosk token (POST /admin/kiosk-tokens, SPEC §5):
// {name, dashboards}. The same check runs in the admin screen before sending and on the server, so a bad
// field is named the same way in both.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace kehu {

struct KioskTokenInput {
  std::string name;                     // where the display hangs: "三楼销售部大屏"; trimmed, 1-100 characters
  std::vector<std::string> dashboards;  // ids from dashboards(), at least one, each once, in the given order
};

// `body` must be a JSON object; every bad or unknown field is named in a 422.
Result<KioskTokenInput> validate_kiosk_token_input(const nlohmann::json& body);

}  // namespace kehu
