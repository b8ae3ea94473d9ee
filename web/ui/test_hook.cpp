#include "web/ui/test_hook.h"

#include <nlohmann/json.hpp>

namespace kehu::client {

void TestHook::begin_frame() {
  items_.clear();
  ++frame_;
}

std::string TestHook::snapshot(float scale) const {
  if (scale <= 0) scale = 1;
  nlohmann::json items = nlohmann::json::array();
  for (const auto& it : items_) {
    items.push_back({{"id", it.id}, {"label", it.label}, {"kind", it.kind}, {"x", it.x / scale}, {"y", it.y / scale},
                     {"w", it.w / scale}, {"h", it.h / scale}});
    if (it.disabled) items.back()["disabled"] = true;
  }
  nlohmann::json out = {{"screen", screen_}, {"frame", frame_}, {"lang", lang_},
                        {"online", online_},  {"pending", pending_}, {"items", std::move(items)}};
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace kehu::client
