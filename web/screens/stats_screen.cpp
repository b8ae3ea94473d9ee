#include "web/screens/stats_screen.h"

#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "core/clock.h"
#include "core/stats/dashboards.h"
#include "core/stats/stat_query.h"
#include "core/users/record_scope.h"
#include "web/screens/record_text.h"
#include "web/ui/charts.h"
#include "web/ui/colors.h"
#include "web/ui/server_message.h"

namespace kehu::client {

using nlohmann::json;

namespace {

const std::string kChurn = "/api/v1/stats/churn";

struct Area {
  const char* id;
  Text label;
  std::vector<std::string> roles;
};

const std::vector<Area>& all_areas() {
  static const std::vector<Area> kAreas = {
      {"sales", {"销售额", "Sales"}, {"admin", "manager", "sales"}},
      {"pipeline", {"销售漏斗与预测", "Pipeline"}, {"admin", "manager", "sales"}},
      {"customers", {"客户", "Customers"}, {"admin", "manager", "sales"}},
      {"contracts", {"合同", "Contracts"}, {"admin", "manager", "sales", "contract"}},
      {"service", {"服务反馈", "Service"}, {"admin", "service"}},
      {"campaigns", {"市场活动", "Campaigns"}, {"admin", "manager"}},
      {"churn", {"客户流失预警", "Churn warning"}, {"admin", "manager", "sales"}},
  };
  return kAreas;
}

}  // namespace

StatsScreen::Totals StatsScreen::totals_in(const json* sales, const std::string& currency) {
  Totals sum;
  if (sales)
    for (const auto& t : sales->value("total", json::array()))
      if (t.value("currency", "CNY") == currency) sum.orders += int_of(t, "orders"), sum.quantity += int_of(t, "quantity"), sum.amount += int_of(t, "amount");
  return sum;
}

std::vector<std::string> StatsScreen::areas(const std::string& role) {
  std::vector<std::string> out;
  for (const auto& a : all_areas())
    if (std::find(a.roles.begin(), a.roles.end(), role) != a.roles.end()) out.push_back(a.id);
  return out;
}

void StatsScreen::reset() { *this = StatsScreen(); }

std::string StatsScreen::sales_path() const {
  std::string path = "/api/v1/stats/sales?group=" + group_;
  if (!applied_from_.empty()) path += "&from=" + applied_from_;
  if (!applied_to_.empty()) path += "&to=" + applied_to_;
  return path;
}

std::string StatsScreen::previous_sales_path() const {
  const json* sales = data_.answer(sales_path());
  if (!sales) return "";
  const auto before = previous_range(group_, {sales->value("from", ""), sales->value("to", "")});
  if (!before) return "";
  return "/api/v1/stats/sales?group=" + group_ + "&from=" + before->from + "&to=" + before->to;
}

std::string StatsScreen::teams_path() const {
  const Reach reach = stat_reach(Viewer{0, role_, std::nullopt}, StatDomain::sales);
  if (reach != Reach::all && reach != Reach::team) return "";
  const json* sales = data_.answer(sales_path());
  if (!sales) return "";
  const std::string from = sales->value("from", ""), to = sales->value("to", "");
  // by-team takes the range as months, by core's rule (stat_range): a yearly range too long for that
  // shows no teams rather than an error.
  if (!stat_range({{"from", from}, {"to", to}}, "month", to).ok()) return "";
  return "/api/v1/stats/sales/by-team?from=" + from + "&to=" + to;
}

std::vector<std::string> StatsScreen::paths_of(const std::string& area) const {
  if (area == "sales") {
    // The range's figures, then, once their range is known, those of the range before it and the teams'.
    std::vector<std::string> paths = {sales_path()};
    for (std::string later : {previous_sales_path(), teams_path()})
      if (!later.empty()) paths.push_back(std::move(later));
    return paths;
  }
  if (area == "churn") return {kChurn};
  return dashboard_requests(area);
}

std::vector<std::string> StatsScreen::take_wanted() { return std::exchange(wanted_, {}); }

void StatsScreen::answered(const Ui& ui, const std::string& path, const HttpResponse& answer) {
  asked_.erase(path);
  json body = json::parse(answer.body, nullptr, false);
  if (answer.status == 200 && body.is_object()) {
    data_.answers[path] = std::move(body);
    failed_.erase(path);
    error_.clear();
  } else {
    failed_.insert(path);
    error_ = answer.status == 0 ? ui.tr("无法连接服务器，显示的是上次读取的数字", "the server cannot be reached; the figures shown are the last ones read")
                                : server_message(ui, answer);
  }
}

std::optional<StatsIntent> StatsScreen::draw(Ui& ui, LocalCache& cache, const std::string& role, const json& settings, bool online) {
  const auto mine = areas(role);
  if (mine.empty()) {
    ui.text("stats.none", ui.tr("你的角色没有统计数据", "Your role has no statistics"));
    return std::nullopt;
  }
  if (std::find(mine.begin(), mine.end(), area_) == mine.end()) area_ = mine.front();
  role_ = role;
  data_.settings = settings;
  // The tabs.
  for (const auto& a : all_areas()) {
    if (std::find(mine.begin(), mine.end(), a.id) == mine.end()) continue;
    const bool current = area_ == a.id;
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    const std::string label = ui.tr(a.label);
    ui.same_line_if_fits(ImGui::CalcTextSize(label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2);
    if (ui.button(std::string("stats.tab.") + a.id, label) && !current) {
      area_ = a.id;
      drill_.reset();
    }
    if (current) ImGui::PopStyleColor();
  }
  ImGui::NewLine();
  if (online) ask_for_unread();
  if (!error_.empty()) ui.text_colored("stats.error", error_, kRed);
  ImGui::Separator();
  auto intent = draw_area(ui, cache, role);
  // Again after drawing: a range applied or a tab chosen in this frame is asked for now, as no frame
  // may follow the click that chose it.
  if (online) ask_for_unread();
  return intent;
}

void StatsScreen::ask_for_unread() {
  // What this area shows and has not been read, or everything again when figures moved.
  // A request that failed is asked again when the figures are next read anew, not every frame.
  if (stale_) failed_.clear();
  for (const auto& path : paths_of(area_)) {
    const bool have = data_.answers.count(path) > 0;
    if ((stale_ || (!have && !failed_.count(path))) && asked_.insert(path).second) wanted_.push_back(path);
  }
  stale_ = false;
}

std::optional<StatsIntent> StatsScreen::draw_area(Ui& ui, LocalCache& cache, const std::string& role) {
  if (area_ == "churn") return draw_churn(ui, role_may_assign(role));
  std::optional<DashboardPick> picked;
  if (area_ == "sales") {
    picked = draw_sales(ui);
  } else {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    picked = draw_dashboard(ui, area_, data_, ImVec2(avail.x, std::max(avail.y * (drill_ ? 0.6f : 1.0f), ui.px(520))));
  }
  if (picked && picked->open_id > 0) return StatsIntent{StatsIntent::open, picked->entity, picked->open_id};
  if (picked) show_drill(ui, cache, role, std::move(*picked));
  return draw_drill(ui, cache);
}

void StatsScreen::show_drill(const Ui& ui, LocalCache& cache, const std::string& role, DashboardPick pick) {
  drill_ = std::move(pick);
  drill_rows_.clear();
  drill_more_ = false;
  drill_error_.clear();
  drill_scroll_ = 2;
  // The records the user's cache holds (their own, the team's or all, as synced), the first kMaxDrillRows.
  auto ids = cache.find_ids(*drill_->entity, drill_->filters, kMaxDrillRows + 1);
  auto rows = ids.ok() ? cache.records(*drill_->entity, *ids) : Result<std::map<int64_t, json>>(ids.error());
  if (!rows.ok()) {
    drill_error_ = ui.tr(rows.error().message);
    return;
  }
  // A manager's or a rep's customer figures count the customers they (or their team) own; the cache also
  // holds the unowned pool (公海), which is left out here as there.
  const bool owned_only =
      drill_->entity == &customers_def() && stat_reach(Viewer{0, role, std::nullopt}, StatDomain::sales) != Reach::all;
  for (int64_t id : *ids) {
    auto it = rows->find(id);
    if (it == rows->end() || (owned_only && !it->second["owner_id"].is_number())) continue;
    if (drill_rows_.size() == kMaxDrillRows) {
      drill_more_ = true;
      break;
    }
    drill_rows_.push_back(it->second);
  }
}

std::optional<DashboardPick> StatsScreen::draw_sales(Ui& ui) {
  // The period and range pickers.
  for (const auto& [g, label] : {std::pair<const char*, Text>{"day", {"按日", "By day"}}, {"month", {"按月", "By month"}}, {"year", {"按年", "By year"}}}) {
    if (ui.radio(std::string("stats.group.") + g, ui.tr(label), group_ == g) && group_ != g) {
      group_ = g;
      drill_.reset();
    }
    ImGui::SameLine();
  }
  ui.input("stats.from", ui.tr("从", "From"), from_, "YYYY-MM-DD", false, ui.px(130));
  ImGui::SameLine();
  ui.input("stats.to", ui.tr("到", "To"), to_, "YYYY-MM-DD", false, ui.px(130));
  ImGui::SameLine();
  std::string range_error;
  if (!from_.empty() && !is_valid_date(from_)) range_error = ui.tr("开始日期应为 YYYY-MM-DD 格式的日期", "the start should be a date as YYYY-MM-DD");
  else if (!to_.empty() && !is_valid_date(to_)) range_error = ui.tr("结束日期应为 YYYY-MM-DD 格式的日期", "the end should be a date as YYYY-MM-DD");
  else if (!from_.empty() && !to_.empty() && from_ > to_) range_error = ui.tr("开始日期不能晚于结束日期", "the start cannot be after the end");
  ImGui::BeginDisabled(!range_error.empty());
  if (ui.button("stats.apply", ui.tr("查询", "Show"))) {
    applied_from_ = from_, applied_to_ = to_;
    drill_.reset();
  }
  ImGui::EndDisabled();
  if (!range_error.empty()) ui.text_colored("stats.range_error", range_error, kRed);

  const json* sales = data_.answer(sales_path());
  if (!sales) {
    ui.text("stats.loading", asked_.empty() ? ui.tr("离线时无法读取统计", "Statistics need the server") : ui.tr("正在读取…", "Loading…"));
    return std::nullopt;
  }
  // The main currency's totals against the range before, then its bars.
  const json totals = sales->value("total", json::array());
  const std::string currency = main_currency(&totals);
  const Totals now = totals_in(sales, currency);
  const std::string before_path = previous_sales_path();
  const json* before_answer = before_path.empty() ? nullptr : data_.answer(before_path);
  const std::optional<Totals> before = before_answer ? std::optional<Totals>(totals_in(before_answer, currency)) : std::nullopt;
  const auto change_of = [&before](int64_t Totals::*figure, int64_t value) {
    return before ? change_against(value, (*before).*figure) : std::nullopt;
  };
  const float w = (ImGui::GetContentRegionAvail().x - ui.px(24)) / 3, h = ui.px(72);
  kpi_tile(ui, "stats.sales.orders", ui.tr("订单数", "Orders"), count_text(now.orders), change_of(&Totals::orders, now.orders), ImVec2(w, h));
  ImGui::SameLine(0, ui.px(12));
  kpi_tile(ui, "stats.sales.quantity", ui.tr("数量", "Quantity"), count_text(now.quantity), change_of(&Totals::quantity, now.quantity), ImVec2(w, h));
  ImGui::SameLine(0, ui.px(12));
  kpi_tile(ui, "stats.sales.amount", ui.tr("销售额", "Sales amount"), amount_text(now.amount, currency), change_of(&Totals::amount, now.amount),
           ImVec2(w, h));
  std::string range = sales->value("from", "") + " — " + sales->value("to", "");
  if (before_answer)
    range += ui.tr("，对比 ", ", against ") + before_answer->value("from", "") + " — " + before_answer->value("to", "") + ": " +
             amount_text(before->amount, currency);
  ui.text("stats.sales.range", range + ui.tr("（点击柱子查看其中的订单）", " (click a bar for its orders)"));
  AxisChart chart{{}, {{ui.tr("销售额", "Sales"), {}}}, [currency](double v) { return amount_text(std::llround(v), currency); },
                  [&ui, currency](double v) { return short_amount_text(ui, v, currency); }};
  std::vector<std::string> periods;
  for (const auto& row : (*sales)["series"])
    if (row.value("currency", "CNY") == currency) {
      periods.push_back(row.value("period", ""));
      chart.categories.push_back(row.value("period", ""));
      chart.series[0].values.push_back(double(int_of(row, "amount")));
    }
  // The room left for charts (less while a drill list is open), the teams' chart taking 40 % of it.
  const bool teams = !teams_path().empty();
  const float room = ImGui::GetContentRegionAvail().y * (drill_ ? 0.55f : 0.95f);
  const float chart_h = std::max(ui.px(220), room * (teams ? 0.55f : 1.0f));
  if (auto picked = bar_chart(ui, "stats.sales.chart", chart, false, ImVec2(ImGui::GetContentRegionAvail().x, chart_h))) {
    // The days the bar counted: a daily range's own days; a monthly or yearly one's whole months.
    const std::string from = sales->value("from", ""), to = sales->value("to", "");
    const bool daily = group_ == "day";
    return orders_in_period(ui, periods.at(*picked), currency, daily ? from : period_days(from.substr(0, 7)).first,
                            daily ? to : period_days(to.substr(0, 7)).second);
  }
  if (teams) return draw_teams(ui, currency, std::max(ui.px(200), room * 0.4f));
  return std::nullopt;
}

std::optional<DashboardPick> StatsScreen::draw_teams(Ui& ui, const std::string& currency, float height) {
  const json* answer = data_.answer(teams_path());
  if (!answer) return std::nullopt;
  // by-team counts whole months: its range's first month's first day to its last month's last day.
  const std::string first = period_days(answer->value("from", "").substr(0, 7)).first;
  const std::string last = period_days(answer->value("to", "").substr(0, 7)).second;
  ui.text("stats.sales.teams.title", ui.tr("各部门销售额（" + first + " 至 " + last + "，点击柱子查看其中的订单）",
                                           "Sales by team, " + first + " to " + last + " (click a bar for its orders)"));
  AxisChart chart{{}, {{ui.tr("销售额", "Sales"), {}}}, [currency](double v) { return amount_text(std::llround(v), currency); },
                  [&ui, currency](double v) { return short_amount_text(ui, v, currency); }};
  std::vector<const json*> shown;  // into `answer`, which outlives them
  const auto teams = answer->find("teams");
  if (teams == answer->end() || !teams->is_array()) return std::nullopt;
  for (const auto& team : *teams)
    if (team.value("currency", "CNY") == currency) {
      shown.push_back(&team);
      const auto name = team.find("name");
      chart.categories.push_back(name != team.end() && name->is_string() ? name->get<std::string>() : ui.tr("未分部门", "No team"));
      chart.series[0].values.push_back(double(int_of(team, "amount")));
    }
  auto picked = bar_chart(ui, "stats.sales.teams", chart, false, ImVec2(ImGui::GetContentRegionAvail().x, height));
  if (!picked) return std::nullopt;
  // A rep's orders count in the team they are in now: the team's orders are its members' (and, for
  // "no team", those without an owner: member null).
  std::string owners;
  for (const auto& member : shown.at(*picked)->value("members", json::array())) {
    const auto id = member.find("owner_id");
    const bool someone = id != member.end() && id->is_number_integer();
    owners += (owners.empty() ? "" : ",") + (someone ? std::to_string(id->get<int64_t>()) : std::string("null"));
  }
  if (owners.empty()) return std::nullopt;
  const std::string& name = chart.categories.at(*picked);
  return DashboardPick{&orders_def(),
                       {{"owner_id", owners},
                        {"order_date_from", first},
                        {"order_date_to", last},
                        {"status", "confirmed"},
                        {"currency", currency},
                        {"sort", "order_date"}},
                       {"customer_id", "owner_id", "order_date", "total"},
                       ui.tr(name + " " + first + " 至 " + last + " 的已确认订单", "Confirmed orders of " + name + ", " + first + " to " + last),
                       0};
}

std::optional<StatsIntent> StatsScreen::draw_drill(Ui& ui, LocalCache& cache) {
  if (!drill_) return std::nullopt;
  const EntityDef& entity = *drill_->entity;
  ImGui::Separator();
  // The list just asked for comes into view. Twice: ImGui clamps a scroll to the height of the frame
  // before, which did not hold the list yet.
  if (drill_scroll_ > 0) ImGui::SetScrollHereY(0.0f), --drill_scroll_, scrolled_ = true;
  ui.text("stats.drill.title", drill_->title + (drill_more_ ? ui.tr("（前 " + std::to_string(kMaxDrillRows) + " 条）",
                                                                    " (the first " + std::to_string(kMaxDrillRows) + ")")
                                                             : ""));
  if (!drill_error_.empty()) {
    ui.text_colored("stats.drill.error", drill_error_, kRed);
    return std::nullopt;
  }
  if (drill_rows_.empty()) {
    ui.text("stats.drill.none", ui.tr("这台设备上没有这样的记录", "No such records on this device"));
    return std::nullopt;
  }
  std::optional<StatsIntent> intent;
  const int columns = static_cast<int>(drill_->columns.size()) + 1;
  if (ImGui::BeginTable("##drill", columns, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
    std::vector<Ui::Column> headers = {{entity.label, 2}};
    for (const auto& name : drill_->columns) {
      const FieldDef* f = entity.field(name);
      headers.push_back({f ? f->label : Text{name, name}, 1});
    }
    ui.table_headers(headers);
    for (const auto& record : drill_rows_) {
      const int64_t id = record.value("id", int64_t{0});
      const std::string sid = std::to_string(id);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string name = record_title(entity, record);
      ui.note(name);
      if (ImGui::Selectable((name + "##drill" + sid).c_str(), false, ImGuiSelectableFlags_SpanAllColumns))
        intent = StatsIntent{StatsIntent::open, &entity, id};
      ui.record("stats.drill." + sid, name, "row");
      for (const auto& field : drill_->columns) {
        ImGui::TableNextColumn();
        // Money with its currency ("¥25,000.00"), as the figures above show it.
        const FieldDef* f = entity.field(field);
        const json& value = record.contains(field) ? record[field] : json();
        const std::string text = f && f->format == TextFormat::money && value.is_number_integer()
                                     ? amount_text(value.get<int64_t>(), record.value("currency", "CNY"))
                                     : field_text(ui, cache, entity, field, record);
        ui.note(text);
        ImGui::TextUnformatted(text.c_str());
      }
    }
    ImGui::EndTable();
  }
  return intent;
}

std::optional<StatsIntent> StatsScreen::draw_churn(Ui& ui, bool may_assign) {
  const json* churn = data_.answer(kChurn);
  if (!churn) {
    ui.text("stats.loading", ui.tr("正在读取…", "Loading…"));
    return std::nullopt;
  }
  const int64_t days = int_of(*churn, "days");
  ui.text("stats.churn.title", ui.tr("超过 " + std::to_string(days) + " 天未联系、未下单，或订单额比上一期减半的客户",
                                     "Customers with no contact and no order for " + std::to_string(days) +
                                         " days, or whose orders fell by half against the period before"));
  const json& rows = (*churn)["customers"];
  if (!rows.is_array() || rows.empty()) {
    ui.text("stats.churn.none", ui.tr("没有需要预警的客户", "No customer is slipping away"));
    return std::nullopt;
  }
  std::optional<StatsIntent> intent;
  if (ImGui::BeginTable("##churn", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY)) {
    ui.table_headers({{{"客户", "Customer"}, 2}, {{"原因", "Reason"}, 3}, {{"最近联系", "Last contact"}, 1}, {{"操作", "Act"}, 2}});
    for (const auto& c : rows) {
      const int64_t id = int_of(c, "customer_id");
      const std::string sid = std::to_string(id);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string name = c.value("name", "#" + sid);
      ui.note(name);
      if (ImGui::Selectable((name + "##churn" + sid).c_str())) intent = StatsIntent{StatsIntent::open, &customers_def(), id};
      ui.record("stats.churn." + sid, name, "row");
      ImGui::TableNextColumn();
      std::string reason;
      if (c.value("reason", "") == "orders_fell") {
        const std::string cur = c.value("currency", "CNY");
        reason = ui.tr("订单额下降：", "Orders fell: ") + amount_text(int_of(c, "amount_before"), cur) + " → " +
                 amount_text(int_of(c, "amount_now"), cur);
      } else {
        reason = ui.tr(std::to_string(days) + " 天以上未联系、未下单", "No contact or order for " + std::to_string(days) + "+ days");
      }
      ui.text("stats.churn." + sid + ".reason", reason);
      ImGui::TableNextColumn();
      const json& last = c.contains("last_contact_at") ? c["last_contact_at"] : json();
      ui.text("stats.churn." + sid + ".last", last.is_string() ? local_time_text(ui, last.get<std::string>()).substr(0, 10) : ui.tr("从未", "never"));
      ImGui::TableNextColumn();
      if (ui.button("stats.churn." + sid + ".activity", ui.tr("记录活动", "Log activity"))) intent = StatsIntent{StatsIntent::log_activity, &customers_def(), id};
      if (may_assign) {
        ImGui::SameLine();
        if (ui.button("stats.churn." + sid + ".assign", ui.tr("分配", "Assign"))) intent = StatsIntent{StatsIntent::assign, &customers_def(), id};
      }
    }
    ImGui::EndTable();
  }
  return intent;
}

}  // namespace kehu::client
