#include "web/ui/server_message.h"

#include <nlohmann/json.hpp>

namespace kehu::client {

std::string server_message(const Ui& ui, const HttpResponse& answer) {
  const nlohmann::json body = nlohmann::json::parse(answer.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    std::string m = body["error"].value("message", "");
    if (!m.empty()) return m;
  }
  if (answer.status == 0) return ui.tr("无法连接服务器，请检查网络", "Cannot reach the server; check the network");
  return ui.tr("服务器出错（", "The server answered with an error (") + std::to_string(answer.status) + ui.tr("）", ")");
}

std::string server_reasons(const Ui& ui, const HttpResponse& answer) {
  std::string out = server_message(ui, answer);
  const nlohmann::json body = nlohmann::json::parse(answer.body, nullptr, false);
  if (!body.is_object() || !body.value("error", nlohmann::json()).is_object()) return out;
  const nlohmann::json fields = body["error"].value("fields", nlohmann::json());
  if (!fields.is_object()) return out;
  bool first = true;
  for (const auto& [field, why] : fields.items()) {
    if (!why.is_string()) continue;
    out += first ? ui.tr("：", ": ") : ui.tr("；", "; ");
    out += why.get<std::string>();
    first = false;
  }
  return out;
}

}  // namespace kehu::client
