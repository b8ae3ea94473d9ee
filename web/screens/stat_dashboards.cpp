#include "web/screens/stat_dashboards.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "core/clock.h"
#include "core/entity/entity_def.h"
#include "core/settings/field_options.h"
#include "web/ui/charts.h"

namespace kehu::client {

using nlohmann::json;

namespace {

const std::string kDaily = "/api/v1/stats/sales?group=day";
const std::string kMonthly = "/api/v1/stats/sales?group=month";
const std::string kByTeam = "/api/v1/stats/sales/by-team";
const std::string kTopCustomers = "/api/v1/stats/sales/by-customer?limit=8";
const std::string kFunnel = "/api/v1/stats/funnel";
const std::string kForecast = "/api/v1/stats/forecast";
const std::string kContracts = "/api/v1/stats/contracts";
const std::string kCustomers = "/api/v1/stats/customers";
const std::string kTickets = "/api/v1/stats/tickets";
const std::string kCampaigns = "/api/v1/stats/campaigns";

constexpr const char* kNotYet = "…";


// The rows of `series` in `currency`, in order.
std::vector<const json*> in_currency(const json* series, const std::string& currency) {
  std::vector<const json*> rows;
  if (series && series->is_array())
    for (const auto& r : *series)
      if (r.value("currency", "CNY") == currency) rows.push_back(&r);
  return rows;
}


std::string label_of(const Ui& ui, const DashboardData& data, const EntityDef& entity, const char* field, const std::string& value) {
  const FieldDef* f = entity.field(field);
  if (!f || value.empty()) return value.empty() ? ui.tr("未填", "not set") : value;
  const json settings = data.settings.is_object() ? data.settings : json::object();
  return ui.tr(option_label(settings, entity, *f, value));
}

// Lays a dashboard out in rows of panels; each panel gets its rectangle and a title.
class Grid {
 public:
  Grid(Ui& ui, ImVec2 size) : ui_(ui), origin_(ImGui::GetCursorScreenPos()), size_(size), y_(origin_.y) {}
  // Starts a row taking `share` of the height, split into panels by `weights`.
  void row(float share, std::vector<float> weights) {
    const float gap = ui_.px(12);
    row_h_ = size_.y * share - gap;
    float total = 0;
    for (float w : weights) total += w;
    const float usable = size_.x - gap * static_cast<float>(weights.size() - 1);
    rects_.clear();
    float x = origin_.x;
    for (float w : weights) {
      const float width = usable * w / total;
      rects_.push_back({ImVec2(x, y_), ImVec2(width, row_h_)});
      x += width + gap;
    }
    y_ += row_h_ + gap;
    next_ = 0;
  }
  // The next panel of the row: its title drawn, the cursor at its body; returns the body's size.
  ImVec2 panel(const std::string& id, const std::string& title) {
    const auto [pos, size] = rects_.at(next_++);
    ImGui::SetCursorScreenPos(pos);
    if (title.empty()) return size;
    ui_.text(id + ".title", title);
    // The next line starts at the window's left edge: the body goes back under the title.
    const float used = ImGui::GetCursorScreenPos().y - pos.y;
    ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + used));
    return ImVec2(size.x, size.y - used);
  }
  // Ends the dashboard: the window's content reaches the bottom of the grid.
  void end() { ImGui::SetCursorScreenPos(ImVec2(origin_.x, y_)); ImGui::Dummy(ImVec2(1, 1)); }

 private:
  Ui& ui_;
  ImVec2 origin_, size_;
  float y_ = 0, row_h_ = 0;
  std::vector<std::pair<ImVec2, ImVec2>> rects_;
  size_t next_ = 0;
};

ValueFormat money_format(const std::string& currency) {
  return [currency](double v) { return amount_text(static_cast<int64_t>(std::llround(v)), currency); };
}
ValueFormat short_money_format(const Ui& ui, const std::string& currency) {
  const Ui* u = &ui;
  return [u, currency](double v) { return short_amount_text(*u, v, currency); };
}
ValueFormat count_format() {
  return [](double v) { return count_text(static_cast<int64_t>(std::llround(v))); };
}

// The period labels shortened for the axis: "2026-11-05" -> "11-05", "2026-11" stays.
std::string short_period(const std::string& period) { return period.size() == 10 ? period.substr(5) : period; }

// The records of `entity` whose `field` has `value` (an option of the settings), titled with its label.
DashboardPick option_pick(const Ui& ui, const DashboardData& data, const EntityDef& entity, const char* field, const std::string& value,
                          std::vector<std::string> columns) {
  const FieldDef* f = entity.field(field);
  const std::string name = f ? ui.tr(f->label) : field, shown = label_of(ui, data, entity, field, value);
  return {&entity, {{field, value}}, std::move(columns),
          ui.tr(name + "为「" + shown + "」的" + entity.label.zh, entity.label.en + " records with " + name + " " + shown), 0};
}

// Narrows `pick` to the records created within the answer's from/to, as figures of records created in a
// range count. The cache compares creation times by UTC day, so a record made within hours of the
// range's first or last local midnight may fall the other way than in the figure.
DashboardPick created_in(const Ui& ui, DashboardPick pick, const json* answer) {
  if (!answer) return pick;
  const std::string from = answer->value("from", ""), to = answer->value("to", "");
  if (from.empty() || to.empty()) return pick;
  pick.filters.insert({{"created_at_from", from}, {"created_at_to", to}});
  pick.title += ui.tr("（" + from + " 至 " + to + " 新建）", " (created " + from + " to " + to + ")");
  return pick;
}

// Narrows `pick` to one currency, as each money chart shows the main one.
DashboardPick of_currency(DashboardPick pick, const std::string& currency) {
  pick.filters.insert({"currency", currency});
  return pick;
}

const std::vector<std::string> kOrderColumns = {"customer_id", "order_date", "total"};
const std::vector<std::string> kOpportunityColumns = {"customer_id", "stage", "expected_close_date", "amount"};
const std::vector<std::string> kContractColumns = {"customer_id", "status", "signed_date", "amount"};
const std::vector<std::string> kCustomerColumns = {"level", "status", "owner_id"};
const std::vector<std::string> kTicketColumns = {"customer_id", "status", "type", "satisfaction"};

DashboardPick open_pick(const EntityDef& entity, int64_t id) { return {&entity, {}, {}, "", id}; }

// The company's sales at a glance, for the kiosk (the statistics screen's sales tab is the explorer).
void draw_sales(Ui& ui, const DashboardData& data, ImVec2 size) {
  const json* daily = data.answer(kDaily);
  const json* monthly = data.answer(kMonthly);
  const std::string currency = main_currency(monthly ? &(*monthly)["total"] : nullptr);
  const auto months = in_currency(monthly ? &(*monthly)["series"] : nullptr, currency);
  const auto days = in_currency(daily ? &(*daily)["series"] : nullptr, currency);
  Grid grid(ui, size);
  grid.row(0.2f, {1, 1, 1, 1});
  const auto tile = [&](const std::string& id, const std::string& label, const std::vector<const json*>& rows, const char* key,
                        bool money) {
    ImVec2 s = grid.panel("dash.sales." + id, "");
    if (rows.size() < 2) return kpi_tile(ui, "dash.sales." + id, label, kNotYet, std::nullopt, s);
    const int64_t now = int_of(*rows.back(), key), before = int_of(*rows[rows.size() - 2], key);
    kpi_tile(ui, "dash.sales." + id, label, money ? amount_text(now, currency) : count_text(now), change_against(now, before), s);
  };
  tile("today_amount", ui.tr("今日销售额", "Sales today"), days, "amount", true);
  tile("month_amount", ui.tr("本月销售额", "Sales this month"), months, "amount", true);
  tile("month_orders", ui.tr("本月订单数", "Orders this month"), months, "orders", false);
  {
    ImVec2 s = grid.panel("dash.sales.year_amount", "");
    std::string value = kNotYet;
    if (!months.empty()) {
      const std::string year = months.back()->value("period", "").substr(0, 4);
      int64_t sum = 0;
      for (const json* m : months)
        if (m->value("period", "").rfind(year, 0) == 0) sum += int_of(*m, "amount");
      value = amount_text(sum, currency);
    }
    kpi_tile(ui, "dash.sales.year_amount", ui.tr("今年销售额", "Sales this year"), value, std::nullopt, s);
  }
  grid.row(0.42f, {3, 2});
  {
    ImVec2 s = grid.panel("dash.sales.daily", ui.tr("近 30 天销售额", "Sales, last 30 days"));
    AxisChart chart{{}, {{ui.tr("销售额", "Sales"), {}}}, money_format(currency), short_money_format(ui, currency)};
    for (const json* d : days) chart.categories.push_back(short_period(d->value("period", ""))), chart.series[0].values.push_back(double(int_of(*d, "amount")));
    bar_chart(ui, "dash.sales.daily", chart, false, s);
  }
  {
    ImVec2 s = grid.panel("dash.sales.teams", ui.tr("各部门销售额（近 12 个月）", "Sales by team, last 12 months"));
    AxisChart chart{{}, {{ui.tr("销售额", "Sales"), {}}}, money_format(currency), short_money_format(ui, currency)};
    if (const json* teams = data.answer(kByTeam))
      for (const auto& t : (*teams)["teams"])
        if (t.value("currency", "CNY") == currency && chart.categories.size() < 8) {
          chart.categories.push_back(t["name"].is_string() ? t["name"].get<std::string>() : ui.tr("未分部门", "No team"));
          chart.series[0].values.push_back(double(int_of(t, "amount")));
        }
    bar_chart(ui, "dash.sales.teams", chart, false, s);
  }
  grid.row(0.38f, {3, 2});
  {
    ImVec2 s = grid.panel("dash.sales.monthly", ui.tr("近 12 个月销售额与订单", "Sales by month, last 12 months"));
    AxisChart chart{{}, {{ui.tr("销售额", "Sales"), {}}}, money_format(currency), short_money_format(ui, currency)};
    for (const json* m : months) chart.categories.push_back(m->value("period", "")), chart.series[0].values.push_back(double(int_of(*m, "amount")));
    line_chart(ui, "dash.sales.monthly", chart, s);
  }
  {
    ImVec2 s = grid.panel("dash.sales.customers", ui.tr("今年客户销售排行", "Top customers this year"));
    std::vector<std::string> names;
    std::vector<double> amounts;
    if (const json* top = data.answer(kTopCustomers))
      for (const auto& c : (*top)["customers"])
        if (c.value("currency", "CNY") == currency) names.push_back(c.value("name", "")), amounts.push_back(double(int_of(c, "amount")));
    funnel_chart(ui, "dash.sales.customers", names, amounts, money_format(currency), s);
  }
  grid.end();
}

std::optional<DashboardPick> draw_pipeline(Ui& ui, const DashboardData& data, ImVec2 size) {
  std::optional<DashboardPick> picked;
  const json* funnel = data.answer(kFunnel);
  const json* forecast = data.answer(kForecast);
  const std::string currency = main_currency(forecast ? &(*forecast)["total"] : nullptr);
  Grid grid(ui, size);
  grid.row(0.22f, {1, 1, 1, 1});
  {
    ImVec2 s = grid.panel("dash.pipeline.win_rate", "");
    std::string v = kNotYet;
    if (funnel) v = (*funnel)["win_rate"].is_number() ? std::to_string(std::lround((*funnel)["win_rate"].get<double>() * 100)) + "%" : "—";
    kpi_tile(ui, "dash.pipeline.win_rate", ui.tr("赢单率", "Win rate"), v, std::nullopt, s);
  }
  {
    ImVec2 s = grid.panel("dash.pipeline.days", "");
    std::string v = kNotYet;
    if (funnel) {
      const json& d = (*funnel)["average_days_to_close"];
      v = d.is_number() ? std::to_string(std::lround(d.get<double>())) + ui.tr(" 天", " days") : "—";
    }
    kpi_tile(ui, "dash.pipeline.days", ui.tr("平均成交天数", "Average days to close"), v, std::nullopt, s);
  }
  int64_t open = 0, amount = 0, weighted = 0;
  for (const json* t : in_currency(forecast ? &(*forecast)["total"] : nullptr, currency))
    open += int_of(*t, "opportunities"), amount += int_of(*t, "amount"), weighted += int_of(*t, "weighted");
  {
    ImVec2 s = grid.panel("dash.pipeline.open", "");
    kpi_tile(ui, "dash.pipeline.open", ui.tr("进行中的商机", "Open opportunities"), forecast ? count_text(open) : kNotYet, std::nullopt, s);
  }
  {
    ImVec2 s = grid.panel("dash.pipeline.weighted", "");
    kpi_tile(ui, "dash.pipeline.weighted", ui.tr("加权预测金额", "Weighted forecast"), forecast ? amount_text(weighted, currency) : kNotYet,
             std::nullopt, s);
  }
  grid.row(0.78f, {1, 1});
  {
    ImVec2 s = grid.panel("dash.pipeline.funnel", ui.tr("销售漏斗（近 12 个月新建商机）", "Funnel: opportunities created in the last 12 months"));
    std::vector<std::string> stages, values;
    std::vector<double> counts;
    if (funnel)
      for (const auto& st : (*funnel)["stages"]) {
        values.push_back(st.value("stage", ""));
        stages.push_back(label_of(ui, data, opportunities_def(), "stage", values.back()));
        counts.push_back(double(int_of(st, "opportunities")));
      }
    if (auto i = funnel_chart(ui, "dash.pipeline.funnel", stages, counts, count_format(), s))
      picked = created_in(ui, option_pick(ui, data, opportunities_def(), "stage", values.at(*i), kOpportunityColumns), funnel);
  }
  {
    ImVec2 s = grid.panel("dash.pipeline.forecast", ui.tr("销售预测（按预计成交月份）", "Sales forecast by expected month"));
    AxisChart chart{{}, {{ui.tr("商机金额", "Amount"), {}}, {ui.tr("加权金额", "Weighted"), {}}}, money_format(currency),
                    short_money_format(ui, currency)};
    std::vector<std::string> periods;  // "" for the opportunities without a date
    for (const json* m : in_currency(forecast ? &(*forecast)["months"] : nullptr, currency)) {
      periods.push_back((*m)["period"].is_string() ? (*m)["period"].get<std::string>() : "");
      chart.categories.push_back(periods.back().empty() ? ui.tr("未定", "No date") : periods.back());
      chart.series[0].values.push_back(double(int_of(*m, "amount")));
      chart.series[1].values.push_back(double(int_of(*m, "weighted")));
    }
    if (auto i = bar_chart(ui, "dash.pipeline.forecast", chart, false, s); i && !periods.at(*i).empty()) {
      // The open ones: every stage but won and lost, as the forecast counts them.
      const json settings = data.settings.is_object() ? data.settings : json::object();
      std::string open_stages;
      for (const auto& o : field_options(settings, opportunities_def(), *opportunities_def().field("stage")))
        if (o.value != "won" && o.value != "lost") open_stages += (open_stages.empty() ? "" : ",") + o.value;
      const auto [first, last] = period_days(periods[*i]);
      picked = DashboardPick{&opportunities_def(),
                             {{"stage", open_stages}, {"currency", currency}, {"expected_close_date_from", first}, {"expected_close_date_to", last},
                              {"sort", "expected_close_date"}},
                             kOpportunityColumns,
                             ui.tr(periods[*i] + " 预计成交的进行中商机", "Open opportunities expected to close in " + periods[*i]),
                             0};
    }
  }
  grid.end();
  return picked;
}

std::optional<DashboardPick> draw_contracts(Ui& ui, const DashboardData& data, ImVec2 size) {
  std::optional<DashboardPick> picked;
  const json* contracts = data.answer(kContracts);
  const std::string currency = main_currency(contracts ? &(*contracts)["total"] : nullptr);
  const auto months = in_currency(contracts ? &(*contracts)["by_month"] : nullptr, currency);
  Grid grid(ui, size);
  grid.row(0.22f, {1, 1, 1});
  int64_t count = 0, amount = 0;
  for (const json* t : in_currency(contracts ? &(*contracts)["total"] : nullptr, currency)) count += int_of(*t, "contracts"), amount += int_of(*t, "amount");
  {
    ImVec2 s = grid.panel("dash.contracts.count", "");
    kpi_tile(ui, "dash.contracts.count", ui.tr("合同总数", "Contracts"), contracts ? count_text(count) : kNotYet, std::nullopt, s);
  }
  {
    ImVec2 s = grid.panel("dash.contracts.amount", "");
    kpi_tile(ui, "dash.contracts.amount", ui.tr("合同总金额", "Contract value"), contracts ? amount_text(amount, currency) : kNotYet, std::nullopt, s);
  }
  {
    ImVec2 s = grid.panel("dash.contracts.month", "");
    if (months.size() < 2) kpi_tile(ui, "dash.contracts.month", ui.tr("本月签约金额", "Signed this month"), kNotYet, std::nullopt, s);
    else {
      const int64_t now = int_of(*months.back(), "amount"), before = int_of(*months[months.size() - 2], "amount");
      kpi_tile(ui, "dash.contracts.month", ui.tr("本月签约金额", "Signed this month"), amount_text(now, currency), change_against(now, before), s);
    }
  }
  grid.row(0.78f, {2, 3});
  {
    ImVec2 s = grid.panel("dash.contracts.status", ui.tr("按状态（份数）", "By status (count)"));
    std::vector<std::string> labels, statuses;
    std::vector<double> values;
    for (const json* r : in_currency(contracts ? &(*contracts)["by_status"] : nullptr, currency)) {
      statuses.push_back(r->value("status", ""));
      labels.push_back(label_of(ui, data, contracts_def(), "status", statuses.back()));
      values.push_back(double(int_of(*r, "contracts")));
    }
    if (auto i = donut_chart(ui, "dash.contracts.status", labels, values, count_format(), s))
      picked = of_currency(option_pick(ui, data, contracts_def(), "status", statuses.at(*i), kContractColumns), currency);
  }
  {
    ImVec2 s = grid.panel("dash.contracts.monthly", ui.tr("每月签约金额", "Signed by month"));
    AxisChart chart{{}, {{ui.tr("签约金额", "Signed"), {}}}, money_format(currency), short_money_format(ui, currency)};
    for (const json* m : months) chart.categories.push_back(m->value("period", "")), chart.series[0].values.push_back(double(int_of(*m, "amount")));
    if (auto i = bar_chart(ui, "dash.contracts.monthly", chart, false, s)) {
      // Signed ones, as the figures count them: signed, executing or completed, by signing date.
      const std::string& period = chart.categories.at(*i);
      const auto [first, last] = period_days(period);
      picked = DashboardPick{&contracts_def(),
                             {{"status", "signed,executing,completed"}, {"currency", currency}, {"signed_date_from", first}, {"signed_date_to", last},
                              {"sort", "signed_date"}},
                             kContractColumns, ui.tr(period + " 签订的合同", "Contracts signed in " + period), 0};
    }
  }
  grid.end();
  return picked;
}

// A donut of [{value|status|type, customers|tickets}] rows, labelled by `entity`'s `field` options; a slice
// clicked picks the records with its value (none for "not set", which no filter names).
std::optional<DashboardPick> split_donut(Ui& ui, const DashboardData& data, const std::string& id, const json* rows, const char* key,
                                         const char* count, const EntityDef& entity, const char* field,
                                         const std::vector<std::string>& columns, ImVec2 s) {
  std::vector<std::string> labels, options;
  std::vector<double> values;
  if (rows && rows->is_array())
    for (const auto& r : *rows) {
      const json& v = r.contains(key) ? r[key] : json();
      options.push_back(v.is_string() ? v.get<std::string>() : "");
      labels.push_back(label_of(ui, data, entity, field, options.back()));
      values.push_back(double(int_of(r, count)));
    }
  auto i = donut_chart(ui, id, labels, values, count_format(), s);
  if (!i || options.at(*i).empty()) return std::nullopt;
  return option_pick(ui, data, entity, field, options[*i], columns);
}

std::optional<DashboardPick> draw_customers(Ui& ui, const DashboardData& data, ImVec2 size) {
  std::optional<DashboardPick> picked;
  const json* customers = data.answer(kCustomers);
  const json* per_month = customers ? &(*customers)["new_per_month"] : nullptr;
  Grid grid(ui, size);
  grid.row(0.2f, {1, 1});
  {
    ImVec2 s = grid.panel("dash.customers.total", "");
    kpi_tile(ui, "dash.customers.total", ui.tr("客户总数", "Customers"), customers ? count_text(int_of(*customers, "total")) : kNotYet,
             std::nullopt, s);
  }
  {
    ImVec2 s = grid.panel("dash.customers.new", "");
    if (!per_month || per_month->size() < 2) kpi_tile(ui, "dash.customers.new", ui.tr("本月新增客户", "New this month"), kNotYet, std::nullopt, s);
    else {
      const int64_t now = int_of(per_month->back(), "customers"), before = int_of((*per_month)[per_month->size() - 2], "customers");
      kpi_tile(ui, "dash.customers.new", ui.tr("本月新增客户", "New this month"), count_text(now), change_against(now, before), s);
    }
  }
  grid.row(0.4f, {1});
  {
    ImVec2 s = grid.panel("dash.customers.monthly", ui.tr("每月新增客户", "New customers by month"));
    AxisChart chart{{}, {{ui.tr("新增客户", "New customers"), {}}}, count_format(), {}};
    if (per_month)
      for (const auto& m : *per_month) chart.categories.push_back(m.value("period", "")), chart.series[0].values.push_back(double(int_of(m, "customers")));
    if (auto i = bar_chart(ui, "dash.customers.monthly", chart, false, s)) {
      // The customers created in the month, within the range counted. By UTC day, as created_in().
      const std::string& month = chart.categories.at(*i);
      auto [first, last] = period_days(month);
      first = std::max(first, customers->value("from", first)), last = std::min(last, customers->value("to", last));
      picked = DashboardPick{&customers_def(),
                             {{"created_at_from", first}, {"created_at_to", last}, {"sort", "created_at"}},
                             kCustomerColumns,
                             ui.tr(month + " 新增的客户", "Customers new in " + month),
                             0};
    }
  }
  grid.row(0.4f, {1, 1, 1});
  {
    ImVec2 s = grid.panel("dash.customers.level", ui.tr("按客户级别", "By level"));
    if (auto pick = split_donut(ui, data, "dash.customers.level", customers ? &(*customers)["by_level"] : nullptr, "value", "customers", customers_def(),
                                "level", kCustomerColumns, s))
      picked = pick;
  }
  {
    ImVec2 s = grid.panel("dash.customers.source", ui.tr("按客户来源", "By source"));
    if (auto pick = split_donut(ui, data, "dash.customers.source", customers ? &(*customers)["by_source"] : nullptr, "value", "customers", customers_def(),
                                "source", kCustomerColumns, s))
      picked = pick;
  }
  {
    ImVec2 s = grid.panel("dash.customers.status", ui.tr("按客户状态", "By status"));
    if (auto pick = split_donut(ui, data, "dash.customers.status", customers ? &(*customers)["by_status"] : nullptr, "value", "customers", customers_def(),
                                "status", kCustomerColumns, s))
      picked = pick;
  }
  grid.end();
  return picked;
}

std::optional<DashboardPick> draw_service(Ui& ui, const DashboardData& data, ImVec2 size) {
  std::optional<DashboardPick> picked;
  const json* tickets = data.answer(kTickets);
  Grid grid(ui, size);
  grid.row(0.22f, {1, 1, 1, 1});
  {
    ImVec2 s = grid.panel("dash.service.tickets", "");
    kpi_tile(ui, "dash.service.tickets", ui.tr("工单数（近 12 个月）", "Tickets, last 12 months"), tickets ? count_text(int_of(*tickets, "tickets")) : kNotYet,
             std::nullopt, s);
  }
  {
    ImVec2 s = grid.panel("dash.service.resolved", "");
    kpi_tile(ui, "dash.service.resolved", ui.tr("已解决", "Resolved"), tickets ? count_text(int_of(*tickets, "resolved")) : kNotYet, std::nullopt, s);
  }
  {
    ImVec2 s = grid.panel("dash.service.hours", "");
    std::string v = kNotYet;
    if (tickets) {
      const json& h = (*tickets)["average_resolution_hours"];
      v = h.is_number() ? std::to_string(std::lround(h.get<double>())) + ui.tr(" 小时", " h") : "—";
    }
    kpi_tile(ui, "dash.service.hours", ui.tr("平均处理时长", "Average resolution"), v, std::nullopt, s);
  }
  {
    ImVec2 s = grid.panel("dash.service.satisfaction", "");
    std::string v = kNotYet;
    if (tickets) {
      const json& a = (*tickets)["satisfaction"]["average"];
      if (a.is_number()) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.1f / 5", a.get<double>());
        v = buf;
      } else {
        v = "—";
      }
    }
    kpi_tile(ui, "dash.service.satisfaction", ui.tr("满意度", "Satisfaction"), v, std::nullopt, s);
  }
  grid.row(0.78f, {1, 1, 1});
  {
    ImVec2 s = grid.panel("dash.service.status", ui.tr("按状态", "By status"));
    if (auto pick = split_donut(ui, data, "dash.service.status", tickets ? &(*tickets)["by_status"] : nullptr, "status", "tickets", tickets_def(), "status",
                                kTicketColumns, s))
      picked = created_in(ui, *pick, tickets);
  }
  {
    ImVec2 s = grid.panel("dash.service.type", ui.tr("按类型", "By type"));
    if (auto pick = split_donut(ui, data, "dash.service.type", tickets ? &(*tickets)["by_type"] : nullptr, "type", "tickets", tickets_def(), "type",
                                kTicketColumns, s))
      picked = created_in(ui, *pick, tickets);
  }
  {
    ImVec2 s = grid.panel("dash.service.ratings", ui.tr("满意度评分分布", "Satisfaction ratings"));
    AxisChart chart{{"1", "2", "3", "4", "5"}, {{ui.tr("工单", "Tickets"), {0, 0, 0, 0, 0}}}, count_format(), {}};
    if (tickets) {
      const json& counts = (*tickets)["satisfaction"]["counts"];
      for (size_t i = 0; i < 5 && i < counts.size(); ++i) chart.series[0].values[i] = counts[i].is_number() ? counts[i].get<double>() : 0;
    }
    if (auto i = bar_chart(ui, "dash.service.ratings", chart, false, s)) {
      const std::string& rating = chart.categories.at(*i);
      picked = created_in(ui, DashboardPick{&tickets_def(), {{"satisfaction", rating}}, kTicketColumns, ui.tr("满意度评分为 " + rating + " 的工单", "Tickets rated " + rating), 0},
                          tickets);
    }
  }
  grid.end();
  return picked;
}

std::optional<DashboardPick> draw_campaigns(Ui& ui, const DashboardData& data, ImVec2 size) {
  std::optional<DashboardPick> picked;
  const json* campaigns = data.answer(kCampaigns);
  Grid grid(ui, size);
  grid.row(0.2f, {1, 1});
  int64_t responses = 0, won = 0;
  if (campaigns)
    for (const auto& c : (*campaigns)["campaigns"]) responses += int_of(c, "responses"), won += int_of(c, "won");
  {
    ImVec2 s = grid.panel("dash.campaigns.responses", "");
    kpi_tile(ui, "dash.campaigns.responses", ui.tr("回复总数", "Responses"), campaigns ? count_text(responses) : kNotYet, std::nullopt, s);
  }
  {
    ImVec2 s = grid.panel("dash.campaigns.won", "");
    kpi_tile(ui, "dash.campaigns.won", ui.tr("带来的赢单", "Opportunities won"), campaigns ? count_text(won) : kNotYet, std::nullopt, s);
  }
  grid.row(0.8f, {1});
  {
    ImVec2 s = grid.panel("dash.campaigns.members", ui.tr("最近的市场活动：成员状态", "Latest campaigns: members by status"));
    static const char* kStatuses[] = {"targeted", "sent", "opened", "responded", "converted"};
    static const Text kStatusLabels[] = {{"目标", "Targeted"}, {"已发送", "Sent"}, {"已打开", "Opened"}, {"已回复", "Responded"}, {"已转化", "Converted"}};
    AxisChart chart{{}, {}, count_format(), {}};
    for (const auto& label : kStatusLabels) chart.series.push_back({ui.tr(label), {}});
    std::vector<int64_t> ids;
    if (campaigns)
      for (const auto& c : (*campaigns)["campaigns"]) {
        if (chart.categories.size() == 8) break;
        chart.categories.push_back(c.value("name", ""));
        ids.push_back(int_of(c, "campaign_id"));
        for (size_t k = 0; k < 5; ++k) chart.series[k].values.push_back(double(int_of(c["members"], kStatuses[k])));
      }
    if (auto i = bar_chart(ui, "dash.campaigns.members", chart, true, s)) picked = open_pick(campaigns_def(), ids.at(*i));
  }
  grid.end();
  return picked;
}

}  // namespace

int64_t int_of(const json& row, const char* key) {
  auto it = row.find(key);
  return it != row.end() && it->is_number() ? it->get<int64_t>() : 0;
}

std::string main_currency(const json* totals) {
  std::string best = "CNY";
  int64_t most = -1;
  if (totals && totals->is_array())
    for (const auto& t : *totals)
      if (int_of(t, "amount") > most && t.value("currency", "").size() == 3) most = int_of(t, "amount"), best = t["currency"];
  return best;
}

std::vector<std::string> dashboard_requests(const std::string& dashboard) {
  if (dashboard == "sales") return {kDaily, kMonthly, kByTeam, kTopCustomers};
  if (dashboard == "pipeline") return {kFunnel, kForecast};
  if (dashboard == "contracts") return {kContracts};
  if (dashboard == "customers") return {kCustomers};
  if (dashboard == "service") return {kTickets};
  if (dashboard == "campaigns") return {kCampaigns};
  return {};
}

std::pair<std::string, std::string> period_days(const std::string& period) {
  if (period.size() == 4 && is_valid_date(period + "-01-01")) return {period + "-01-01", period + "-12-31"};
  if (period.size() == 7 && is_valid_date(period + "-01")) {
    const CivilDate first = civil_of_day(day_of_date(period + "-01"));
    const int64_t next_month = first.month == 12 ? day_of_civil(first.year + 1, 1, 1) : day_of_civil(first.year, first.month + 1, 1);
    return {period + "-01", date_of_day(next_month - 1)};
  }
  return {period, period};  // a day, or a label no date filter takes (refused by the list query, not guessed)
}

DashboardPick orders_in_period(const Ui& ui, const std::string& period, const std::string& currency, const std::string& counted_from,
                               const std::string& counted_to) {
  const auto [first, last] = period_days(period);
  return {&orders_def(),
          {{"order_date_from", std::max(first, counted_from)},
           {"order_date_to", std::min(last, counted_to)},
           {"status", "confirmed"},
           {"currency", currency},
           {"sort", "order_date"}},
          kOrderColumns,
          ui.tr(period + " 的已确认订单", "Confirmed orders of " + period),
          0};
}

std::optional<DashboardPick> draw_dashboard(Ui& ui, const std::string& dashboard, const DashboardData& data, ImVec2 size) {
  if (dashboard == "sales") {
    draw_sales(ui, data, size);
    return std::nullopt;
  }
  if (dashboard == "pipeline") return draw_pipeline(ui, data, size);
  if (dashboard == "contracts") return draw_contracts(ui, data, size);
  if (dashboard == "customers") return draw_customers(ui, data, size);
  if (dashboard == "service") return draw_service(ui, data, size);
  if (dashboard == "campaigns") return draw_campaigns(ui, data, size);
  return std::nullopt;
}

}  // namespace kehu::client
