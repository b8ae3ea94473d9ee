#include "web/screens/saved_views.h"

#include <vector>

#include <imgui.h>

#include "core/text/utf8.h"
#include "web/ui/colors.h"
#include "web/ui/dialog_buttons.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

namespace {

// A view's state in the list's terms: {filters, sort}.
json state_of(const json& view) {
  const json filters = view.value("filters", json());
  const json sort = view.value("sort", json());
  return {{"filters", filters.is_object() ? filters : json::object()}, {"sort", sort.is_string() ? sort : json("")}};
}

}  // namespace

void SavedViews::answered(Ui& ui, const HttpResponse& answer) {
  sending_ = false;
  list_.mark_stale();
  error_ = answer.status >= 200 && answer.status < 300 ? std::string() : server_reasons(ui, answer);
}

SavedViews::Drawn SavedViews::draw(Ui& ui, bool online, const json& state) {
  Drawn out;
  const std::string id = resource_ + ".views";
  std::vector<const json*> views;
  std::vector<std::string> names;
  int chosen = -1;
  for (const auto& v : list_.items()) {
    if (v.value("resource", json()) != resource_) continue;
    if (state_of(v) == state) chosen = static_cast<int>(views.size());
    views.push_back(&v);
    names.push_back(v.value("name", std::string()));
  }
  int pick = chosen;
  if (ui.combo(id, "", pick, names, ui.tr("列表视图", "Saved views"), ui.px(160)) && pick >= 0)
    out.apply = state_of(*views[static_cast<size_t>(pick)]);
  const bool can_send = online && !sending_;
  ImGui::SameLine();
  ImGui::BeginDisabled(!can_send);
  if (ui.button(id + ".save", ui.tr("保存为视图", "Save as view")) && can_send) {
    naming_ = true;
    name_.clear();
  }
  if (chosen >= 0) {
    ImGui::SameLine();
    if (ui.button(id + ".delete", ui.tr("删除视图", "Delete view")) && can_send) confirm_delete_ = views[static_cast<size_t>(chosen)]->value("id", int64_t{0});
  }
  ImGui::EndDisabled();
  if (!error_.empty()) {
    ImGui::SameLine();
    ui.text_colored(id + ".error", error_, kRed);
  }

  if (naming_) {
    ImGui::OpenPopup("##view_name");
    if (ImGui::BeginPopupModal("##view_name", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
      ui.text(id + ".question", ui.tr("把当前的搜索、筛选和排序保存为视图：", "Save the current search, filters and sort as a view:"));
      if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
      ui.input(id + ".name", "", name_, ui.tr("视图名称，如 华北重点客户", "View name, e.g. Key accounts north"), false, ui.px(320));
      const std::string name(trim(name_));
      const DialogAnswer answer = dialog_buttons(ui, id, ui.tr("保存", "Save"), can_send && !name.empty());
      if (answer == DialogAnswer::ok) {
        json body = state;
        body["name"] = name;
        body["resource"] = resource_;
        out.change = ViewChange{ViewChange::save, std::move(body), 0};
        sending_ = true;
      }
      if (answer != DialogAnswer::none) naming_ = false;
      ImGui::EndPopup();
    }
  }
  if (confirm_delete_ != 0) {
    std::string name;
    for (const json* v : views)
      if (v->value("id", int64_t{0}) == confirm_delete_) name = v->value("name", std::string());
    const DialogAnswer answer = confirm_dialog(ui, id + "_delete", ui.tr("确定删除视图“" + name + "”？", "Delete the view \"" + name + "\"?"),
                                               ui.tr("删除", "Delete"), can_send);
    if (answer == DialogAnswer::ok) {
      out.change = ViewChange{ViewChange::remove, nullptr, confirm_delete_};
      sending_ = true;
    }
    if (answer != DialogAnswer::none) confirm_delete_ = 0;
  }
  return out;
}

}  // namespace kehu::client
