#include "web/screens/dashboard_screen.h"

#include <algorithm>

#include <imgui.h>

#include "core/clock.h"
#include "core/stats/churn.h"
#include "web/screens/record_text.h"
#include "web/ui/colors.h"

namespace kehu::client {

using nlohmann::json;

namespace {

std::string count_text(int64_t n) { return std::to_string(n); }

}  // namespace

void DashboardScreen::refresh(Ui& ui, LocalCache& cache, int64_t user_id, const std::string& role, int64_t now_ms) {
  if (!refresh_due(now_ms)) return;
  {
    stale_ = false;
    read_at_ms_ = now_ms;
    // The user's local day and month, as UTC bounds for the stored times.
    const int64_t offset_ms = int64_t{ui.utc_offset()} * 60'000;
    const std::string local = format_rfc3339_ms(now_ms + offset_ms);
    const int64_t day_start = parse_rfc3339_ms(local.substr(0, 10) + "T00:00:00.000Z") - offset_ms;
    auto churn_days = configured_churn_days(cache.db());  // the churn list's days, as the server takes them
    forgotten_days_ = churn_days.ok() ? *churn_days : 90;
    auto figures = read_dashboard(cache.db(), user_id, role, format_rfc3339_ms(now_ms), format_rfc3339_ms(day_start),
                                  format_rfc3339_ms(day_start + 86'400'000), local.substr(0, 8) + "01",
                                  format_rfc3339_ms(now_ms - forgotten_days_ * 86'400'000));
    if (figures.ok()) {
      figures_ = std::move(*figures);
      error_.clear();
    } else {
      error_ = ui.tr(figures.error().message);
    }
  }
}

std::optional<DashboardIntent> DashboardScreen::draw(Ui& ui, const std::vector<const EntityDef*>& menu) {
  std::optional<DashboardIntent> intent;
  ui.text("dash.title", ui.tr("工作台", "Dashboard"));
  if (!error_.empty()) ui.text_colored("dash.error", error_, kRed);

  // The tiles: a figure and what it counts; a click opens that module's list.
  struct Tile {
    const char* id;
    const EntityDef* module;
    Text label;
    std::string figure, detail;
  };
  const Tile tiles[] = {
      {"customers", &customers_def(), {"我的客户", "My customers"}, count_text(figures_.customers), ""},
      {"opportunities", &opportunities_def(), {"进行中的商机", "Open opportunities"}, count_text(figures_.open_opportunities),
       "¥" + money_text(figures_.open_amount)},
      {"contracts", &contracts_def(), {"待审批合同", "Contracts awaiting approval"}, count_text(figures_.contracts_pending), ""},
      {"tickets", &tickets_def(), {"未解决工单", "Open tickets"}, count_text(figures_.open_tickets), ""},
      {"orders", &orders_def(), {"本月订单", "Orders this month"}, count_text(figures_.month_orders), "¥" + money_text(figures_.month_amount)},
  };
  const float tile_w = ui.px(190), tile_h = ui.px(96);
  bool first = true;
  for (const auto& t : tiles) {
    if (std::find(menu.begin(), menu.end(), t.module) == menu.end()) continue;
    if (!first) ImGui::SameLine();
    first = false;
    ImGui::PushID(t.id);
    ImGui::BeginGroup();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (ImGui::InvisibleButton("tile", ImVec2(tile_w, tile_h))) intent = DashboardIntent{t.module, 0};
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(at, ImVec2(at.x + tile_w, at.y + tile_h), ImGui::GetColorU32(hovered ? ImGuiCol_ButtonHovered : ImGuiCol_FrameBg),
                      ui.px(6));
    const std::string label = ui.tr(t.label);
    ui.note(label);
    ui.note(t.figure);
    ui.note(t.detail);
    const float pad = ui.px(12);
    dl->AddText(ImVec2(at.x + pad, at.y + pad), ImGui::GetColorU32(ImGuiCol_TextDisabled), label.c_str());
    ImGui::SetWindowFontScale(1.8f);
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(at.x + pad, at.y + pad + ui.px(22)), ImGui::GetColorU32(ImGuiCol_Text),
                t.figure.c_str());
    ImGui::SetWindowFontScale(1.0f);
    if (!t.detail.empty())
      dl->AddText(ImVec2(at.x + pad, at.y + tile_h - pad - ImGui::GetFontSize()), ImGui::GetColorU32(ImGuiCol_Text), t.detail.c_str());
    ImGui::EndGroup();
    ui.record(std::string("dash.tile.") + t.id, t.figure + (t.detail.empty() ? "" : " " + t.detail), "button");
    ImGui::PopID();
  }

  ImGui::Spacing();
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  ImGui::BeginChild("dash.today.panel", ImVec2(half, 0), true);
  ui.text("dash.today", ui.tr("今日待办", "Today"));
  ImGui::Separator();
  if (figures_.today.empty()) ui.text("dash.today.none", ui.tr("今天没有待办的联系活动", "No activities due today"));
  const std::string now_text = format_rfc3339_ms(read_at_ms_);
  for (const auto& a : figures_.today) {
    const int64_t id = a.value("id", int64_t{0});
    const std::string at = a.value("at", json()).is_string() ? a["at"].get<std::string>() : "";
    const bool overdue = !at.empty() && parse_rfc3339_ms(at) >= 0 && parse_rfc3339_ms(at) < read_at_ms_;
    // Today's read as a time; an overdue one from another day with its date.
    const std::string when = at.empty() ? std::string() : local_time_text(ui, at);
    const bool today = when.substr(0, 10) == local_time_text(ui, now_text).substr(0, 10);
    std::string line = (when.empty() ? std::string() : (today ? when.substr(11) : when.substr(5)) + "  ") + a.value("subject", "");
    if (overdue) line += ui.tr("（已逾期）", " (overdue)");
    ui.note(line);
    ImGui::PushID(static_cast<int>(id));
    if (overdue) ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    if (ImGui::Selectable(line.c_str())) intent = DashboardIntent{&activities_def(), id};
    if (overdue) ImGui::PopStyleColor();
    ImGui::PopID();
    ui.record("dash.today." + std::to_string(id), a.value("subject", ""), "row");
  }
  // Customers of the user's own whom nobody has contacted for the churn list's days: a nudge to call.
  if (figures_.forgotten_count > 0) {
    ImGui::Spacing();
    const std::string days = std::to_string(forgotten_days_),
                      count = count_text(figures_.forgotten_count) + (figures_.forgotten_count >= kForgottenCountCap ? "+" : "");
    ui.text("dash.forgotten", ui.tr("久未联系的客户（超过 " + days + " 天，共 " + count + " 位）",
                                    "Customers not contacted for over " + days + " days (" + count + ")"));
    ImGui::Separator();
    for (const auto& c : figures_.forgotten) {
      const int64_t id = c.value("id", int64_t{0});
      const int64_t touched = parse_rfc3339_ms(c.value("touched_at", ""));
      const int64_t idle_days = touched >= 0 ? (read_at_ms_ - touched) / 86'400'000 : 0;
      const std::string line = c.value("name", "") + ui.tr("  " + std::to_string(idle_days) + " 天未联系",
                                                           "  " + std::to_string(idle_days) + " days without contact");
      ui.note(line);
      ImGui::PushID(static_cast<int>(id));
      if (ImGui::Selectable(line.c_str())) intent = DashboardIntent{&customers_def(), id};
      ImGui::PopID();
      ui.record("dash.forgotten." + std::to_string(id), line, "row");
    }
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("dash.notices.panel", ImVec2(0, 0), true);
  ui.text("dash.announcements", ui.tr("公告", "Announcements"));
  ImGui::Separator();
  if (figures_.announcements.empty()) ui.text("dash.announcements.none", ui.tr("暂无公告", "No announcements"));
  for (const auto& n : figures_.announcements) {
    const int64_t id = n.value("id", int64_t{0});
    ui.text("dash.announcement." + std::to_string(id), n.value("title", ""));
    if (n.value("body", json()).is_string()) {
      ImGui::PushTextWrapPos(0);
      ui.text_colored("dash.announcement.body." + std::to_string(id), n["body"].get<std::string>(), ImGui::GetColorU32(ImGuiCol_TextDisabled));
      ImGui::PopTextWrapPos();
    }
    ImGui::Spacing();
  }
  ImGui::EndChild();
  return intent;
}

DashboardScreen::ReminderAnswer DashboardScreen::draw_reminders(Ui& ui, LocalCache& cache, int64_t now_ms) {
  ReminderAnswer answer;
  std::optional<DashboardIntent>& intent = answer.open;
  answered_.load(cache);
  json due = json::array();
  for (const auto& r : figures_.reminders)
    if (!answered_.hidden(r.value("id", int64_t{0}), r.value("remind_at", ""), now_ms)) due.push_back(r);
  if (due.empty()) return answer;
  // Each answer is kept on the device; one that cannot be written still closes the window for now.
  Status kept = ok_status();
  auto dismiss = [&](const json& r) {
    Status st = answered_.dismiss(cache, r.value("id", int64_t{0}), r.value("remind_at", ""));
    if (!st.ok()) kept = std::move(st);
    answer.remembered = true;
  };
  ImGui::OpenPopup("##reminders");
  ImGui::SetNextWindowSize(ImVec2(ui.px(420), 0));
  if (ImGui::BeginPopupModal("##reminders", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) {
    ui.text("reminder.title", ui.tr("提醒", "Reminder"));
    ImGui::Separator();
    for (const auto& r : due) {
      const int64_t id = r.value("id", int64_t{0});
      const std::string line = local_time_text(ui, r.value("remind_at", "")) + "  " + r.value("subject", "");
      ui.note(line);
      ImGui::PushID(static_cast<int>(id));
      if (ImGui::Selectable(line.c_str())) {
        intent = DashboardIntent{&activities_def(), id};
        dismiss(r);
      }
      ImGui::PopID();
      ui.record("reminder." + std::to_string(id), r.value("subject", ""), "row");
    }
    if (ui.button("reminder.dismiss", ui.tr("知道了", "Got it"))) {
      for (const auto& r : due) dismiss(r);
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ui.button("reminder.snooze", ui.tr("10 分钟后再提醒", "Remind me in 10 minutes"))) {
      for (const auto& r : due) {
        Status st = answered_.snooze(cache, r.value("id", int64_t{0}), now_ms + 10 * 60'000);
        if (!st.ok()) kept = std::move(st);
      }
      answer.remembered = true;
      ImGui::CloseCurrentPopup();
    }
    if (intent) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
  if (!kept.ok()) error_ = ui.tr(kept.error().message);
  return answer;
}

}  // namespace kehu::client
