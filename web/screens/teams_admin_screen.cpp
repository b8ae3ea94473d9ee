#include "web/screens/teams_admin_screen.h"

#include <cfloat>

#include <imgui.h>

#include "core/entity/entity_def.h"
#include "core/text/utf8.h"
#include "web/screens/server_page_head.h"
#include "web/ui/colors.h"
#include "web/ui/dialog_buttons.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

namespace {

int64_t id_of(const json& row, const char* field = "id") {
  const json v = row.value(field, json());
  return v.is_number_integer() ? v.get<int64_t>() : 0;
}

}  // namespace

void TeamsAdminScreen::reset() {
  teams_.clear();
  users_.clear();
  sending_ = false;
  new_name_.clear();
  new_manager_ = 0;
  name_edit_.clear();
  manager_edit_.clear();
  saving_team_ = 0;
  confirm_delete_ = 0;
  error_.clear();
  notice_.clear();
}

void TeamsAdminScreen::changed(Ui& ui, const HttpResponse& answer) {
  sending_ = false;
  teams_.mark_stale();
  users_.mark_stale();
  if (answer.status >= 200 && answer.status < 300) {
    notice_ = ui.tr("已保存", "Saved");
    error_.clear();
    // What was typed for the saved team is now what the server holds; other rows keep their typing.
    name_edit_.erase(saving_team_);
    manager_edit_.erase(saving_team_);
  } else {
    error_ = server_reasons(ui, answer);
    notice_.clear();
  }
}

void TeamsAdminScreen::manager_choices(const Ui& ui, std::vector<int64_t>& ids, std::vector<std::string>& labels) const {
  const FieldDef* role = users_def().field("role");
  for (const auto& u : users_.items()) {
    const std::string r = row_text(u, "role");
    if (!u.value("active", false) || (r != "manager" && r != "admin")) continue;
    ids.push_back(id_of(u));
    labels.push_back(row_text(u, "display_name") + ui.tr("（", " (") + ui.tr(value_label(*role, r)) + ui.tr("）", ")"));
  }
}

std::string TeamsAdminScreen::display_name(int64_t user_id) const {
  for (const auto& u : users_.items())
    if (id_of(u) == user_id) return row_text(u, "display_name");
  return "#" + std::to_string(user_id);
}

std::string TeamsAdminScreen::team_name(int64_t id) const {
  for (const auto& t : teams_.items())
    if (id_of(t) == id) return row_text(t, "name");
  return {};
}

std::optional<TeamsIntent> TeamsAdminScreen::draw(Ui& ui, bool online) {
  std::optional<TeamsIntent> intent;
  draw_server_page_head(ui,
                        {"teams", {"部门管理", "Teams"},
                         {"部门管理需要联网；恢复网络后自动显示", "Managing teams needs the network; the lists show once you are online"}},
                        online, !error_.empty() ? error_ : !teams_.error().empty() ? teams_.error() : users_.error(), notice_);
  const bool can_send = online && !sending_;
  auto send = [&](std::string method, std::string path, json body, int64_t team = 0) {
    saving_team_ = team;
    intent = TeamsIntent{std::move(method), std::move(path), std::move(body)};
    sending_ = true;
    notice_.clear();
    error_.clear();
  };
  std::vector<int64_t> manager_ids;
  std::vector<std::string> manager_labels;
  manager_choices(ui, manager_ids, manager_labels);
  auto manager_index = [&](int64_t id) {
    for (size_t i = 0; i < manager_ids.size(); ++i)
      if (manager_ids[i] == id) return static_cast<int>(i);
    return -1;
  };
  const std::string no_manager = ui.tr("（无部门经理）", "(no manager)");

  // A new team.
  ImGui::Spacing();
  ImGui::AlignTextToFramePadding();
  ui.text("teams.new.label", ui.tr("新建部门", "New team"));
  ImGui::SameLine();
  ui.input("teams.new.name", "", new_name_, ui.tr("部门名称，如 华东销售部", "Team name, e.g. East sales"), false, ui.px(220));
  ImGui::SameLine();
  int new_manager = manager_index(new_manager_);
  if (ui.combo("teams.new.manager", "", new_manager, manager_labels, no_manager, ui.px(200)))
    new_manager_ = new_manager >= 0 ? manager_ids[static_cast<size_t>(new_manager)] : 0;
  ImGui::SameLine();
  const bool named = !trim(new_name_).empty();
  ImGui::BeginDisabled(!can_send || !named);
  if (ui.button("teams.new.create", ui.tr("创建", "Create")) && can_send && named) {
    json body = {{"name", std::string(trim(new_name_))}};
    if (new_manager_ != 0) body["manager_id"] = new_manager_;
    send("POST", "/api/v1/teams", std::move(body));
    new_name_.clear();
    new_manager_ = 0;
  }
  ImGui::EndDisabled();

  // The teams: name, manager, members; save what changed, delete an empty one.
  std::map<int64_t, std::vector<std::string>> members;
  for (const auto& u : users_.items())
    if (u.value("active", false) && id_of(u, "team_id") != 0) members[id_of(u, "team_id")].push_back(row_text(u, "display_name"));
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
  ImGui::Spacing();
  if (ImGui::BeginTable("teams.table", 4, flags)) {
    ui.table_headers({{{"部门名称", "Team"}, 2.0f}, {{"部门经理", "Manager"}, 2.0f}, {{"成员", "Members"}, 3.0f}, {{"操作", "Actions"}, 1.2f}});
    for (const auto& t : teams_.items()) {
      const int64_t id = id_of(t);
      const std::string ids = std::to_string(id);
      ImGui::PushID(static_cast<int>(id));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      // What the server holds, unless the admin has changed it and not saved yet.
      std::string name = name_edit_.count(id) ? name_edit_.at(id) : row_text(t, "name");
      ImGui::SetNextItemWidth(-FLT_MIN);
      if (ui.input("teams.name." + ids, "", name)) name_edit_[id] = name;
      ImGui::TableSetColumnIndex(1);
      const int64_t stored_manager = id_of(t, "manager_id");
      int manager = manager_index(manager_edit_.count(id) ? manager_edit_.at(id) : stored_manager);
      // A manager who is not among the choices (the people not read yet, or no longer a manager) shows by
      // name and stays unless the admin picks another.
      std::string shown_none = no_manager;
      if (manager < 0 && stored_manager != 0 && !manager_edit_.count(id)) shown_none = display_name(stored_manager);
      if (ui.combo("teams.manager." + ids, "", manager, manager_labels, shown_none, -FLT_MIN))
        manager_edit_[id] = manager >= 0 ? manager_ids[static_cast<size_t>(manager)] : 0;
      ImGui::TableSetColumnIndex(2);
      std::string list;
      for (const auto& m : members[id]) list += (list.empty() ? "" : ui.tr("、", ", ")) + m;
      ImGui::PushTextWrapPos(0);
      ui.text("teams.members." + ids, list.empty() ? "—" : list);
      ImGui::PopTextWrapPos();
      ImGui::TableSetColumnIndex(3);
      json change = json::object();
      if (std::string typed(trim(name)); typed != row_text(t, "name")) change["name"] = typed;
      if (auto chosen = manager_edit_.find(id); chosen != manager_edit_.end() && chosen->second != stored_manager)
        change["manager_id"] = chosen->second ? json(chosen->second) : json(nullptr);
      ImGui::BeginDisabled(!can_send || change.empty());
      if (ui.button("teams.save." + ids, ui.tr("保存", "Save")) && can_send && !change.empty()) {
        change["rev"] = t.value("rev", int64_t{0});
        send("PATCH", "/api/v1/teams/" + ids, std::move(change), id);
      }
      ImGui::EndDisabled();
      ImGui::SameLine();
      ImGui::BeginDisabled(!can_send);
      if (ui.button("teams.delete." + ids, ui.tr("删除", "Delete")) && can_send) confirm_delete_ = id;
      ImGui::EndDisabled();
      ImGui::PopID();
    }
    ImGui::EndTable();
  }

  // Destructive: asked first.
  if (confirm_delete_ != 0) {
    const std::string name = team_name(confirm_delete_);
    const DialogAnswer answer = confirm_dialog(ui, "teams_delete", ui.tr("确定删除部门“" + name + "”？", "Delete the team \"" + name + "\"?"),
                                               ui.tr("删除", "Delete"), can_send);
    if (answer == DialogAnswer::ok) send("DELETE", "/api/v1/teams/" + std::to_string(confirm_delete_), nullptr);
    if (answer != DialogAnswer::none) confirm_delete_ = 0;
  }

  // Who is in which team: a change is sent at once.
  ImGui::Spacing();
  ImGui::Separator();
  ui.text("teams.people", ui.tr("人员所属部门", "Who is in which team"));
  std::vector<int64_t> team_ids;
  std::vector<std::string> team_labels;
  for (const auto& t : teams_.items()) {
    team_ids.push_back(id_of(t));
    team_labels.push_back(row_text(t, "name"));
  }
  const FieldDef* role = users_def().field("role");
  if (ImGui::BeginTable("teams.people.table", 3, flags | ImGuiTableFlags_ScrollY, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ui.table_headers({{{"姓名", "Name"}}, {{"角色", "Role"}}, {{"部门", "Team"}}});
    for (const auto& u : users_.items()) {
      if (!u.value("active", false)) continue;  // a registration or a disabled account has no team to choose
      const int64_t uid = id_of(u);
      const std::string uids = std::to_string(uid);
      ImGui::PushID(static_cast<int>(uid));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::AlignTextToFramePadding();
      ui.text("teams.user." + uids, row_text(u, "display_name") + ui.tr("（", " (") + row_text(u, "username") + ui.tr("）", ")"));
      ImGui::TableSetColumnIndex(1);
      ui.text("teams.user_role." + uids, ui.tr(value_label(*role, row_text(u, "role"))));
      ImGui::TableSetColumnIndex(2);
      int team = -1;
      for (size_t i = 0; i < team_ids.size(); ++i)
        if (team_ids[i] == id_of(u, "team_id")) team = static_cast<int>(i);
      ImGui::BeginDisabled(!can_send);
      if (ui.combo("teams.user_team." + uids, "", team, team_labels, ui.tr("（未分配）", "(none)"), ui.px(220)) && can_send) {
        json change = {{"rev", u.value("rev", int64_t{0})}, {"team_id", team >= 0 ? json(team_ids[static_cast<size_t>(team)]) : json(nullptr)}};
        send("PATCH", "/api/v1/users/" + uids, std::move(change));
      }
      ImGui::EndDisabled();
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  return intent;
}

}  // namespace kehu::client
