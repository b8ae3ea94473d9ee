#include "web/screens/account_screen.h"

#include <algorithm>
#include <vector>

#include <imgui.h>

#include "web/screens/record_text.h"
#include "web/screens/server_page_head.h"
#include "web/screens/user_agent_text.h"
#include "web/ui/colors.h"
#include "web/ui/dialog_buttons.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

void AccountScreen::leave() {
  password_.reset();
  sessions_.mark_stale();
  confirm_end_ = 0;
  error_.clear();
  notice_.clear();
}

void AccountScreen::reset() {
  password_.reset();
  sessions_.clear();
  ending_ = false;
  confirm_end_ = 0;
  error_.clear();
  notice_.clear();
}

void AccountScreen::password_changed(const Ui& ui, const HttpResponse& answer) {
  password_.answered(ui, answer);
  if (answer.status >= 200 && answer.status < 300) sessions_.mark_stale();  // the others were ended
}

void AccountScreen::session_ended(const Ui& ui, const HttpResponse& answer) {
  ending_ = false;
  sessions_.mark_stale();  // ended or not (already gone: 404), the list as the server has it now
  if (answer.status >= 200 && answer.status < 300) {
    error_.clear();
    notice_ = ui.tr("已结束该登录，那台设备需要重新登录", "Session ended: that device must sign in again");
  } else {
    notice_.clear();
    error_ = ui.tr("未能结束该登录：", "The session was not ended: ") + server_message(ui, answer);
  }
}

std::optional<AccountIntent> AccountScreen::draw(Ui& ui, bool online) {
  std::optional<AccountIntent> intent;
  draw_server_page_head(ui,
                        {"account",
                         {"我的账号", "My account"},
                         {"修改密码和管理登录设备需要联网；恢复网络后即可使用",
                          "Changing the password and the signed-in devices needs the network; both work once you are online"}},
                        online, !error_.empty() ? error_ : sessions_.error(), notice_);
  ImGui::Spacing();
  if (auto body = password_.draw(ui, online)) {
    intent = AccountIntent{AccountIntent::password, "POST", "/api/v1/auth/password", std::move(*body)};
    notice_.clear();
    error_.clear();
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  if (auto id = draw_sessions(ui, online, online && !ending_ && !password_.sending()); id && !intent) {
    intent = AccountIntent{AccountIntent::end_session, "DELETE", "/api/v1/auth/sessions/" + std::to_string(*id), nullptr};
    ending_ = true;
    notice_.clear();
    error_.clear();
  }
  return intent;
}

std::optional<int64_t> AccountScreen::draw_sessions(Ui& ui, bool online, bool can_send) {
  std::optional<int64_t> end;
  ui.text("account.sessions.title", ui.tr("登录设备", "Signed-in devices"));
  ui.text_colored("account.sessions.help",
                  ui.tr("您的账号当前在这些设备上保持登录。不认识的设备请结束它，并修改密码。",
                        "Your account is signed in on these devices. End any you do not recognise, and change your password."),
                  kGrey);
  // This device first, then the most recently active.
  std::vector<const json*> rows;
  for (const auto& s : sessions_.items()) rows.push_back(&s);
  std::stable_sort(rows.begin(), rows.end(), [](const json* a, const json* b) {
    const bool ca = a->value("current", false), cb = b->value("current", false);
    if (ca != cb) return ca;
    return row_text(*a, "last_seen_at") > row_text(*b, "last_seen_at");  // RFC 3339 UTC: text order is time order
  });
  if (rows.empty() && online && !sessions_.loading() && sessions_.error().empty())
    ui.text("account.sessions.none", ui.tr("没有登录中的设备", "No signed-in devices"));

  // As tall as its rows (a person has a few sessions): the page scrolls if ever they do not fit.
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("account.sessions", 5, flags)) {
    ui.table_headers({{{"浏览器", "Browser"}, 2.4f},
                      {{"IP 地址", "Address"}, 1.6f},
                      {{"登录时间", "Signed in"}, 1.6f},
                      {{"最近活动", "Last active"}, 1.6f},
                      {{"操作", "Actions"}, 1.2f}});
    for (const json* row : rows) {
      const json& s = *row;
      const int64_t id = s.value("id", int64_t{0});
      const std::string ids = std::to_string(id), agent = row_text(s, "user_agent"), ip = row_text(s, "ip");
      ImGui::PushID(static_cast<int>(id));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::AlignTextToFramePadding();
      ui.text("account.session.browser." + ids, ui.tr(user_agent_text(agent)));
      if (ImGui::IsItemHovered() && !agent.empty()) ImGui::SetTooltip("%s", agent.c_str());
      ImGui::TableSetColumnIndex(1);
      ui.text("account.session.ip." + ids, ip.empty() ? ui.tr("未知", "Unknown") : ip);
      ImGui::TableSetColumnIndex(2);
      ui.text("account.session.started." + ids, local_time_text(ui, row_text(s, "created_at")));
      ImGui::TableSetColumnIndex(3);
      ui.text("account.session.seen." + ids, local_time_text(ui, row_text(s, "last_seen_at")));
      ImGui::TableSetColumnIndex(4);
      if (s.value("current", false)) {
        ui.text_colored("account.session.current." + ids, ui.tr("本设备", "This device"), kGreen);
      } else {
        ImGui::BeginDisabled(!can_send);
        if (ui.button("account.session.end." + ids, ui.tr("结束登录", "End session")) && can_send) confirm_end_ = id;
        ImGui::EndDisabled();
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }

  // Ending a session signs that device out: asked first.
  if (confirm_end_ != 0) {
    std::string which;
    for (const json* row : rows)
      if (row->value("id", int64_t{0}) == confirm_end_)
        which = ui.tr(user_agent_text(row_text(*row, "user_agent"))) + ui.tr("，", ", ") + row_text(*row, "ip");
    const DialogAnswer answer = confirm_dialog(
        ui, "account_end",
        ui.tr("结束“" + which + "”上的登录？那台设备需要重新输入密码才能继续使用，未发送的修改留在那台设备上。",
              "End the session on \"" + which +
                  "\"? That device must sign in with the password again; edits it has not sent stay on it."),
        ui.tr("结束登录", "End session"), can_send);
    if (answer == DialogAnswer::ok) end = confirm_end_;
    if (answer != DialogAnswer::none) confirm_end_ = 0;
  }
  return end;
}

}  // namespace kehu::client
