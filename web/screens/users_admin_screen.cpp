#include "web/screens/users_admin_screen.h"

#include <imgui.h>

#include "core/entity/entity_def.h"
#include "web/screens/record_text.h"
#include "web/screens/server_page_head.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

void UsersAdminScreen::changed(Ui& ui, const HttpResponse& answer) {
  sending_ = false;
  list_.mark_stale();
  if (answer.status == 200) {
    const json user = json::parse(answer.body, nullptr, false);
    notice_ = ui.tr("已保存：", "Saved: ") + (user.is_object() ? row_text(user, "username") : std::string());
    error_.clear();
  } else {
    error_ = server_reasons(ui, answer);
    notice_.clear();
  }
}

std::optional<UsersIntent> UsersAdminScreen::draw(Ui& ui, bool online, int64_t self) {
  std::optional<UsersIntent> intent;
  draw_server_page_head(ui,
                        {"users", {"用户管理", "Users"},
                         {"用户管理需要联网；恢复网络后自动显示", "Managing users needs the network; the list shows once you are online"}},
                        online, !error_.empty() ? error_ : list_.error(), notice_);
  const FieldDef* role_field = users_def().field("role");
  std::vector<std::string> role_labels;
  for (const auto& r : role_field->values) role_labels.push_back(ui.tr(value_label(*role_field, r)));
  const bool can_send = online && !sending_;
  auto send = [&](const json& user, json change) {
    change["rev"] = user.value("rev", int64_t{0});
    intent = UsersIntent{user.value("id", int64_t{0}), std::move(change)};
    sending_ = true;
    notice_.clear();
  };

  // Registrations waiting for approval: never signed in, not active.
  std::vector<const json*> pending;
  for (const auto& u : list_.items())
    if (!u.value("active", true) && u.value("last_login_at", json()).is_null()) pending.push_back(&u);
  ImGui::Spacing();
  ui.text("users.pending.title", ui.tr("待审批的注册（" + std::to_string(pending.size()) + "）",
                                       "Registrations awaiting approval (" + std::to_string(pending.size()) + ")"));
  for (const json* u : pending) {
    const int64_t id = u->value("id", int64_t{0});
    const std::string ids = std::to_string(id);
    ImGui::PushID(static_cast<int>(id));
    ImGui::AlignTextToFramePadding();
    ui.text("users.pending." + ids, row_text(*u, "display_name") + ui.tr("（", " (") + row_text(*u, "username") + ui.tr("）", ")") + "  " +
                                        row_text(*u, "email"));
    ImGui::SameLine(ui.px(420));
    int& choice = role_choice_.try_emplace(id, -1).first->second;
    ui.combo("users.role." + ids, "", choice, role_labels, ui.tr("选择角色", "Choose a role"), ui.px(140));
    ImGui::SameLine();
    ImGui::BeginDisabled(!can_send || choice < 0);
    if (ui.button("users.approve." + ids, ui.tr("批准", "Approve")) && can_send && choice >= 0)
      send(*u, {{"active", true}, {"role", role_field->values[static_cast<size_t>(choice)]}});
    ImGui::EndDisabled();
    ImGui::PopID();
  }

  ImGui::Spacing();
  ImGui::Separator();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
  if (ImGui::BeginTable("users.table", 6, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ui.table_headers({{{"用户名", "User name"}}, {{"姓名", "Name"}}, {{"角色", "Role"}}, {{"状态", "State"}},
                      {{"最近登录", "Last sign-in"}}, {{"操作", "Action"}}});
    for (const auto& u : list_.items()) {
      const int64_t id = u.value("id", int64_t{0});
      const std::string ids = std::to_string(id);
      const bool active = u.value("active", true);
      const std::string last = row_text(u, "last_login_at");
      ImGui::PushID(static_cast<int>(id));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ui.text("users.row." + ids, row_text(u, "username"));
      ImGui::TableSetColumnIndex(1);
      ui.text("users.name." + ids, row_text(u, "display_name"));
      ImGui::TableSetColumnIndex(2);
      // A registration carries the role given at sign-up (viewer) until the admin approves it with a real one.
      const bool awaiting = !active && last.empty();
      ui.text("users.role_text." + ids, awaiting ? "—" : ui.tr(value_label(*role_field, row_text(u, "role"))));
      ImGui::TableSetColumnIndex(3);
      const std::string state = active ? ui.tr("启用", "Active") : awaiting ? ui.tr("待审批", "Awaiting approval") : ui.tr("已停用", "Disabled");
      ui.text("users.state." + ids, state);
      ImGui::TableSetColumnIndex(4);
      ui.text("users.last." + ids, last.empty() ? "—" : local_time_text(ui, last));
      ImGui::TableSetColumnIndex(5);
      ImGui::BeginDisabled(!can_send);
      if (active && id != self) {
        if (ui.button("users.disable." + ids, ui.tr("停用", "Disable")) && can_send) send(u, {{"active", false}});
      } else if (!active && !last.empty()) {
        if (ui.button("users.enable." + ids, ui.tr("启用", "Enable")) && can_send) send(u, {{"active", true}});
      }
      ImGui::EndDisabled();
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  return intent;
}

}  // namespace kehu::client
