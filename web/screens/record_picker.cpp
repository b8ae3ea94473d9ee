#include "web/screens/record_picker.h"

#include <imgui.h>

#include "web/screens/record_text.h"

namespace kehu::client {

using nlohmann::json;

namespace {
constexpr size_t kMatches = 8;
}

void RecordPicker::reset(LocalCache& cache, const EntityDef& target, const json& value) {
  target_ = &target;
  searching_ = false;
  matches_.clear();
  text_.clear();
  if (!value.is_number_integer()) return;
  auto row = cache.record(target, value.get<int64_t>());
  text_ = row.ok() && row->has_value() ? record_title(target, **row) : "#" + value.dump();
}

void RecordPicker::search(LocalCache& cache) {
  matches_.clear();
  if (!target_ || text_.empty()) return;
  auto ids = cache.find_ids(*target_, {{"q", text_}}, kMatches);
  if (!ids.ok()) return;
  auto rows = cache.records(*target_, *ids);
  if (!rows.ok()) return;
  for (int64_t id : *ids) {
    if (id <= 0) continue;  // created here and not yet on the server: it cannot be referred to yet
    auto it = rows->find(id);
    if (it == rows->end()) continue;
    std::string title = record_title(*target_, it->second);
    const json code = it->second.value("code", json());
    if (code.is_string() && !code.get<std::string>().empty() && code.get<std::string>() != title) title += "  (" + code.get<std::string>() + ")";
    matches_.push_back({id, title});
  }
}

bool RecordPicker::draw(Ui& ui, LocalCache& cache, const std::string& id, json& value, float width) {
  bool changed = false;
  const std::string hint = target_ ? ui.tr("输入名称、编号或电话查找" + target_->label.zh, "Type a name, code or phone to find a " + target_->label.en) : "";
  if (ui.input(id, "", text_, hint, false, width - (value.is_null() ? 0 : ImGui::GetFrameHeight() + ImGui::GetStyle().ItemSpacing.x))) {
    searching_ = true;
    search(cache);
    if (!value.is_null()) {  // the text no longer names the picked record: none until one is picked
      value = nullptr;
      changed = true;
    }
  }
  if (!value.is_null()) {
    ImGui::SameLine();
    if (ui.button(id + ".clear", "×", ImGui::GetFrameHeight())) {
      value = nullptr;
      text_.clear();
      matches_.clear();
      searching_ = false;
      changed = true;
    }
  }
  if (searching_ && !text_.empty()) {
    const float indent = ImGui::GetCursorPosX();
    if (matches_.empty()) {
      ui.text(id + ".none", ui.tr("本机没有匹配的" + (target_ ? target_->label.zh : std::string()),
                                  "No matching " + (target_ ? target_->label.en : std::string()) + " on this device"));
    }
    for (size_t i = 0; i < matches_.size(); ++i) {
      ImGui::SetCursorPosX(indent);
      ui.note(matches_[i].second);
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::Selectable(matches_[i].second.c_str(), value == json(matches_[i].first), 0, ImVec2(width, 0))) {
        value = matches_[i].first;
        text_ = matches_[i].second.substr(0, matches_[i].second.find("  ("));
        searching_ = false;
        changed = true;
      }
      ImGui::PopID();
      ui.record(id + ".match." + std::to_string(i), matches_[i].second, "option");
    }
  }
  return changed;
}

}  // namespace kehu::client
