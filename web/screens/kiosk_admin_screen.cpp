#include "web/screens/kiosk_admin_screen.h"

#include <cfloat>

#include <imgui.h>

#include "core/stats/dashboards.h"
#include "core/text/utf8.h"
#include "web/screens/record_text.h"
#include "web/screens/server_page_head.h"
#include "web/ui/colors.h"
#include "web/ui/dialog_buttons.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

namespace {

// "销售业绩、销售漏斗" / "Sales, Pipeline": the dashboards a display shows, in the catalog's words.
std::string dashboard_titles(const Ui& ui, const json& ids) {
  std::string out;
  if (!ids.is_array()) return out;
  for (const auto& id : ids) {
    if (!id.is_string()) continue;
    const Dashboard* d = find_dashboard(id.get<std::string>());
    out += (out.empty() ? "" : ui.tr("、", ", ")) + (d ? ui.tr(d->title) : id.get<std::string>());
  }
  return out;
}

}  // namespace

void KioskAdminScreen::reset() {
  list_.clear();
  sending_ = false;
  new_name_.clear();
  new_dashboards_.clear();
  issued_token_.clear();
  issued_name_.clear();
  confirm_revoke_ = 0;
  error_.clear();
  notice_.clear();
}

void KioskAdminScreen::changed(Ui& ui, const HttpResponse& answer) {
  sending_ = false;
  list_.mark_stale();
  if (answer.status < 200 || answer.status >= 300) {
    error_ = server_reasons(ui, answer);
    notice_.clear();
    return;
  }
  error_.clear();
  const json body = json::parse(answer.body, nullptr, false);
  if (answer.status == 201 && body.is_object() && body.value("token", json()).is_string()) {
    issued_token_ = body["token"].get<std::string>();
    issued_name_ = row_text(body, "name");
    new_name_.clear();
    new_dashboards_.clear();
    notice_ = ui.tr("已生成大屏链接", "The display's link is ready");
  } else {
    notice_ = ui.tr("已撤销", "Revoked");
  }
}

std::optional<KioskIntent> KioskAdminScreen::draw(Ui& ui, bool online, const std::string& origin,
                                                  const std::function<void(const std::string&)>& copy) {
  std::optional<KioskIntent> intent;
  draw_server_page_head(ui,
                        {"kiosks",
                         {"展示大屏", "Kiosk displays"},
                         {"管理展示大屏需要联网；恢复网络后自动显示",
                          "Managing kiosk displays needs the network; the list shows once you are online"}},
                        online, !error_.empty() ? error_ : list_.error(), notice_);
  const bool can_send = online && !sending_;
  auto send = [&](std::string method, std::string path, json body) {
    intent = KioskIntent{std::move(method), std::move(path), std::move(body)};
    sending_ = true;
    notice_.clear();
    error_.clear();
  };

  // A new display: its name and the dashboards it rotates through.
  ImGui::Spacing();
  ui.text("kiosks.help",
          ui.tr("为办公室电视生成一个链接：在电视的浏览器中打开，无需登录，所选看板轮流显示并实时更新。",
                "Make a link for an office TV: opened in the TV's browser, it needs no sign-in and shows the "
                "chosen dashboards in turn, live."));
  ImGui::AlignTextToFramePadding();
  ui.text("kiosks.new.label", ui.tr("大屏名称", "Display name"));
  ImGui::SameLine();
  ui.input("kiosks.new.name", "", new_name_, ui.tr("如 三楼销售部电视", "e.g. Sales floor TV"), false, ui.px(260));
  ImGui::AlignTextToFramePadding();
  ui.text("kiosks.new.dashboards", ui.tr("显示看板", "Dashboards"));
  for (const Dashboard& d : dashboards()) {
    ImGui::SameLine();
    bool chosen = new_dashboards_.count(d.id) > 0;
    if (ui.checkbox("kiosks.new.dashboard." + d.id, ui.tr(d.title), chosen)) {
      if (chosen)
        new_dashboards_.insert(d.id);
      else
        new_dashboards_.erase(d.id);
    }
  }
  const bool named = !trim(new_name_).empty(), some = !new_dashboards_.empty();
  ImGui::BeginDisabled(!can_send || !named || !some);
  if (ui.button("kiosks.new.create", ui.tr("生成链接", "Make link")) && can_send && named && some) {
    json ids = json::array();
    for (const Dashboard& d : dashboards())  // the catalog's order: the order the display rotates in
      if (new_dashboards_.count(d.id)) ids.push_back(d.id);
    send("POST", "/api/v1/admin/kiosk-tokens",
         {{"name", std::string(trim(new_name_))}, {"dashboards", std::move(ids)}});
  }
  ImGui::EndDisabled();
  if (!named || !some) {
    ImGui::SameLine();
    ui.text_colored("kiosks.new.missing",
                    !named ? ui.tr("请填写大屏名称", "Give the display a name")
                           : ui.tr("请至少选择一个看板", "Choose at least one dashboard"),
                    kGrey);
  }

  // The link just issued: shown this once.
  if (!issued_token_.empty()) {
    ImGui::Spacing();
    ImGui::Separator();
    const std::string link = origin + "/?kiosk=" + issued_token_;
    ui.text("kiosks.link.title", ui.tr("“" + issued_name_ + "”的链接", "Link for \"" + issued_name_ + "\""));
    std::string shown = link;  // read-only: selectable, so it can also be copied by hand
    ImGui::SetNextItemWidth(ui.px(640));
    ImGui::InputText("##kiosks.link", shown.data(), shown.size() + 1, ImGuiInputTextFlags_ReadOnly);
    ui.record("kiosks.link", link, "text");
    ImGui::SameLine();
    if (ui.button("kiosks.link.copy", ui.tr("复制链接", "Copy link"))) {
      copy(link);
      notice_ = ui.tr("链接已复制", "Link copied");
    }
    ui.text_colored("kiosks.link.note",
                    ui.tr("此链接只显示这一次，请现在复制并在电视上打开。遗失时撤销它并重新生成。",
                          "This link is shown only this once: copy it now and open it on the TV. If it is lost, revoke "
                          "it and make a new one."),
                    kAmber);
  }

  // Every display issued, newest first.
  ImGui::Spacing();
  ImGui::Separator();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
  if (list_.items().empty() && !list_.loading() && online)
    ui.text("kiosks.none", ui.tr("还没有展示大屏", "No kiosk displays yet"));
  if (ImGui::BeginTable("kiosks.table", 6, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ui.table_headers({{{"名称", "Name"}, 2.0f},
                      {{"显示看板", "Dashboards"}, 2.6f},
                      {{"创建时间", "Created"}, 1.6f},
                      {{"最近访问", "Last seen"}, 1.6f},
                      {{"状态", "State"}, 2.2f},
                      {{"操作", "Actions"}, 0.8f}});
    for (const auto& k : list_.items()) {
      const int64_t id = k.value("id", int64_t{0});
      const std::string ids = std::to_string(id);
      const std::string revoked = row_text(k, "revoked_at"), seen = row_text(k, "last_seen_at");
      ImGui::PushID(static_cast<int>(id));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::AlignTextToFramePadding();
      ui.text("kiosks.name." + ids, row_text(k, "name"));
      ImGui::TableSetColumnIndex(1);
      ImGui::PushTextWrapPos(0);
      ui.text("kiosks.dashboards." + ids, dashboard_titles(ui, k.value("dashboards", json())));
      ImGui::PopTextWrapPos();
      ImGui::TableSetColumnIndex(2);
      ui.text("kiosks.created." + ids, local_time_text(ui, row_text(k, "created_at")));
      ImGui::TableSetColumnIndex(3);
      ui.text("kiosks.seen." + ids, seen.empty() ? ui.tr("从未打开", "Never opened") : local_time_text(ui, seen));
      ImGui::TableSetColumnIndex(4);
      ImGui::PushTextWrapPos(0);  // "已撤销 2026-11-25 07:28" wraps in a narrow column rather than being cut
      if (revoked.empty())
        ui.text_colored("kiosks.state." + ids, ui.tr("有效", "Active"), kGreen);
      else
        ui.text_colored("kiosks.state." + ids, ui.tr("已撤销 ", "Revoked ") + local_time_text(ui, revoked), kGrey);
      ImGui::PopTextWrapPos();
      ImGui::TableSetColumnIndex(5);
      if (revoked.empty()) {
        ImGui::BeginDisabled(!can_send);
        if (ui.button("kiosks.revoke." + ids, ui.tr("撤销", "Revoke")) && can_send) confirm_revoke_ = id;
        ImGui::EndDisabled();
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }

  // Destructive: asked first.
  if (confirm_revoke_ != 0) {
    std::string name;
    for (const auto& k : list_.items())
      if (k.value("id", int64_t{0}) == confirm_revoke_) name = row_text(k, "name");
    const DialogAnswer answer =
        confirm_dialog(ui, "kiosks_revoke",
                       ui.tr("撤销大屏“" + name + "”？它的屏幕将在几秒内停止显示数据，链接不能再用。",
                             "Revoke the display \"" + name +
                                 "\"? Its screen stops showing figures within seconds and the link no longer works."),
                       ui.tr("撤销", "Revoke"), can_send);
    if (answer == DialogAnswer::ok)
      send("DELETE", "/api/v1/admin/kiosk-tokens/" + std::to_string(confirm_revoke_), nullptr);
    if (answer != DialogAnswer::none) confirm_revoke_ = 0;
  }
  return intent;
}

}  // namespace kehu::client
