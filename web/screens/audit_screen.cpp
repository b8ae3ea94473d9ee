#include "web/screens/audit_screen.h"

#include <imgui.h>

#include "web/screens/module_menu.h"
#include "web/screens/record_text.h"
#include "web/screens/server_page_head.h"

namespace kehu::client {

using nlohmann::json;

namespace {

struct AuditAction {
  const char* name;
  Text label;
};
const AuditAction kActions[] = {
    {"create", {"新建", "create"}},        {"update", {"修改", "update"}},
    {"delete", {"删除", "delete"}},        {"login", {"登录", "sign-in"}},
    {"login_failed", {"登录失败", "failed sign-in"}}, {"logout", {"退出登录", "sign-out"}},
    {"export", {"导出", "export"}},        {"import", {"导入", "import"}},
    {"backup", {"备份", "backup"}},        {"restore", {"恢复", "restore"}},
    {"settings", {"修改设置", "settings"}}, {"override", {"强制保存重复客户", "duplicate override"}},
};

std::string action_label(const Ui& ui, const std::string& name) {
  for (const auto& a : kActions)
    if (name == a.name) return ui.tr(a.label);
  return name;
}

// A value in the changes as a person reads it: text without quotes, null as "—".
std::string value_text(const json& v) {
  if (v.is_null()) return "—";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// {field: [old, new]} as "name: A → B; phone: — → 138…", fields by their labels.
std::string changes_text(const Ui& ui, const EntityDef* entity, const json& changes) {
  if (!changes.is_object()) return "";
  std::string out;
  for (const auto& [field, pair] : changes.items()) {
    const FieldDef* f = entity ? entity->field(field) : nullptr;
    std::string line = (f ? ui.label(f->label) : field) + ": ";
    if (pair.is_array() && pair.size() == 2) line += value_text(pair[0]) + " → " + value_text(pair[1]);
    else line += value_text(pair);
    out += (out.empty() ? "" : "; ") + line;
  }
  return out;
}

}  // namespace

std::string AuditScreen::path() const {
  std::string p = "/api/v1/audit?limit=" + std::to_string(kLimit);
  if (action_ >= 0) p += std::string("&action=") + kActions[action_].name;
  if (entity_ >= 0) p += "&entity=" + record_entities()[static_cast<size_t>(entity_)]->name;
  return p;
}

void AuditScreen::draw(Ui& ui, LocalCache& cache, bool online) {
  draw_server_page_head(ui,
                        {"audit", {"审计日志", "Audit log"},
                         {"审计日志需要联网；恢复网络后自动显示", "The audit log needs the network; it shows once you are online"}},
                        online, list_.error());

  std::vector<std::string> actions, modules;
  for (const auto& a : kActions) actions.push_back(ui.tr(a.label));
  for (const EntityDef* e : record_entities()) modules.push_back(ui.tr(module_title(*e)));
  const float combo_w = ui.px(170);
  // Another filter: the last answer (and one on its way) is for the old one.
  if (ui.combo("audit.filter.action", "", action_, actions, ui.tr("全部操作", "Any action"), combo_w)) list_.clear();
  ImGui::SameLine();
  if (ui.combo("audit.filter.entity", "", entity_, modules, ui.tr("全部模块", "Any module"), combo_w)) list_.clear();
  ImGui::SameLine(0, ui.px(16));
  const size_t n = list_.items().size();
  ui.text("audit.count", list_.loading() ? ui.tr("正在读取…", "Reading…")
                         : n >= static_cast<size_t>(kLimit)
                             ? ui.tr("最近 " + std::to_string(kLimit) + " 条（可用筛选缩小范围）", "The newest " + std::to_string(kLimit) + " (narrow with the filters)")
                             : ui.tr("共 " + std::to_string(n) + " 条", std::to_string(n) + (n == 1 ? " entry" : " entries")));

  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("audit.table", 6, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ui.table_headers({{{"时间", "Time"}, 1.2f}, {{"用户", "User"}, 1.0f}, {{"操作", "Action"}, 1.0f},
                    {{"对象", "Record"}, 1.2f}, {{"变更", "Changes"}, 4.0f}, {{"来源地址", "From"}, 1.0f}});
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(n));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const json& a = list_.items()[static_cast<size_t>(i)];
      const int64_t id = a.value("id", int64_t{0});
      const std::string entity_name = a.value("entity", json()).is_string() ? a["entity"].get<std::string>() : "";
      const EntityDef* entity = entity_name.empty() ? nullptr : find_entity(entity_name);
      const json who = a.value("user_id", json());
      const json record = a.value("entity_id", json());
      std::string object = entity ? ui.tr(module_title(*entity)) : entity_name;
      if (record.is_number_integer()) object += " #" + std::to_string(record.get<int64_t>());
      const std::string cells[] = {
          local_time_text(ui, a.value("at", "")),
          who.is_number_integer() ? cache.user_name(who.get<int64_t>()) : ui.tr("系统", "system"),
          action_label(ui, a.value("action", "")),
          object,
          changes_text(ui, entity, a.value("changes", json())),
          a.value("ip", json()).is_string() ? a["ip"].get<std::string>() : "",
      };
      ImGui::TableNextRow();
      for (int c = 0; c < 6; ++c) {
        ImGui::TableSetColumnIndex(c);
        ui.note(cells[c]);
        if (c == 0) {
          ImGui::PushID(static_cast<int>(id));
          ImGui::Selectable(cells[c].c_str(), false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap);
          ImGui::PopID();
          // The whole row, for a test (and a tooltip with every change, which a cell may cut short).
          ui.record("audit.row." + std::to_string(id), cells[1] + " " + cells[2] + " " + cells[3] + " " + cells[4], "row");
          if (ImGui::IsItemHovered() && !cells[4].empty()) ImGui::SetTooltip("%s", cells[4].c_str());
        } else {
          ImGui::TextUnformatted(cells[c].c_str());
        }
      }
    }
  }
  ImGui::EndTable();
}

}  // namespace kehu::client
