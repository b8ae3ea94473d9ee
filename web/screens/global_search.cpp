#include "web/screens/global_search.h"

#include <imgui.h>

#include "web/screens/module_menu.h"
#include "web/screens/record_text.h"
#include "web/ui/colors.h"

namespace kehu::client {

namespace {
constexpr size_t kHitsPerModule = 5;
}

void GlobalSearch::open() {
  open_ = true;
  focus_ = true;
  query_.clear();
  groups_.clear();
}

void GlobalSearch::search(LocalCache& cache, const std::vector<const EntityDef*>& modules) {
  groups_.clear();
  if (query_.empty()) return;
  for (const EntityDef* m : modules) {
    bool searchable = false;
    for (const auto& f : m->fields) searchable = searchable || f.searchable;
    if (!searchable) continue;
    auto ids = cache.find_ids(*m, {{"q", query_}}, kHitsPerModule);
    if (!ids.ok() || ids->empty()) continue;
    auto rows = cache.records(*m, *ids);
    if (!rows.ok()) continue;
    Group g{m, {}};
    for (int64_t id : *ids) {
      auto it = rows->find(id);
      if (it == rows->end()) continue;
      std::string title = record_title(*m, it->second);
      const nlohmann::json code = it->second.value("code", nlohmann::json());
      if (code.is_string() && code.get<std::string>() != title && id > 0) title = code.get<std::string>() + "  " + title;
      g.hits.push_back({id, title});
    }
    if (!g.hits.empty()) groups_.push_back(std::move(g));
  }
}

std::optional<SearchPick> GlobalSearch::draw(Ui& ui, LocalCache& cache, const std::vector<const EntityDef*>& modules) {
  if (!open_) return std::nullopt;
  std::optional<SearchPick> pick;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + ui.px(60)), ImGuiCond_Always, ImVec2(0.5f, 0));
  ImGui::SetNextWindowSize(ImVec2(ui.px(560), 0));
  ImGui::OpenPopup("##search");
  if (!ImGui::BeginPopupModal("##search", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) return pick;
  if (ImGui::IsKeyPressed(ImGuiKey_Escape)) {
    open_ = false;
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return pick;
  }
  if (focus_) {
    ImGui::SetKeyboardFocusHere();
    focus_ = false;
  }
  if (ui.input("search.input", "", query_, ui.tr("搜索全部：客户、联系人、商机、合同…（Esc 关闭）", "Search everything: customers, contacts, deals… (Esc closes)"),
               false, ui.px(540)))
    search(cache, modules);
  const bool enter = ImGui::IsKeyPressed(ImGuiKey_Enter) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter);
  if (enter && !groups_.empty()) pick = SearchPick{groups_[0].module, groups_[0].hits[0].first};
  if (!query_.empty() && groups_.empty()) ui.text("search.none", ui.tr("本机没有匹配的记录", "Nothing on this device matches"));
  for (const auto& g : groups_) {
    ImGui::Spacing();
    ui.text_colored("search.group." + g.module->name, ui.tr(module_title(*g.module)), kGrey);
    for (const auto& [id, title] : g.hits) {
      ui.note(title);
      ImGui::PushID((g.module->name + std::to_string(id)).c_str());
      if (ImGui::Selectable(title.c_str())) pick = SearchPick{g.module, id};
      ImGui::PopID();
      ui.record("search.result." + g.module->name + "." + std::to_string(id), title, "row");
    }
  }
  if (pick) {
    open_ = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  return pick;
}

}  // namespace kehu::client
