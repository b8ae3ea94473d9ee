// stat_dashboards.h — the dashboards of core/stats/dashboards.h drawn from the /stats answers: KPI tiles
// with the change against the previous period, and charts (web/ui/charts.h). The kiosk display rotates
// through them; the statistics screen shows them too, where a click on a chart lists the records behind it.
//
// Test ids: dash.{dashboard}.{tile or chart} ("dash.sales.month_amount", "dash.sales.daily"), and the
// charts' marks under them (charts.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "web/ui/widgets.h"

namespace kehu::client {

// The statistics a dashboard is drawn from: request paths under /api/v1 ("/api/v1/stats/sales?group=day").
// Every one is an endpoint the dashboard is issued for (dashboards.h), so a kiosk token may read it.
std::vector<std::string> dashboard_requests(const std::string& dashboard);

// The answers read so far, by request path; `settings` holds the option lists for labels (may be null).
struct DashboardData {
  std::map<std::string, nlohmann::json> answers;
  nlohmann::json settings;
  const nlohmann::json* answer(const std::string& path) const {
    auto it = answers.find(path);
    return it == answers.end() ? nullptr : &it->second;
  }
};

// What a click on a chart asks to see: the records behind a bar, a point, a stage or a slice — those of
// `entity` matching `filters` (list_query.h parameters) that the user's local cache holds, listed under
// `title` with the `columns` fields after each record's name — or one record to open (`open_id` > 0).
struct DashboardPick {
  const EntityDef* entity = nullptr;
  std::multimap<std::string, std::string> filters;
  std::vector<std::string> columns;
  std::string title;
  int64_t open_id = 0;
};

// A figure of a statistics answer's row: row[key] as a whole number, 0 when absent or not a number.
int64_t int_of(const nlohmann::json& row, const char* key);

// The currency a chart shows: the one with the largest total in `totals` ([{currency, amount}]), CNY
// when there is none. A company selling in two currencies sees its main one; sums are never mixed.
std::string main_currency(const nlohmann::json* totals);

// The first and last day of a period label ("2026-11-05" -> itself twice, "2026-02" -> 02-01..02-28, "2026").
std::pair<std::string, std::string> period_days(const std::string& period);

// The confirmed orders in `currency` dated in `period` ("2026-11-05", "2026-11" or "2026") and within
// [counted_from, counted_to], the days the figure counted: a sales bar's, by date.
DashboardPick orders_in_period(const Ui& ui, const std::string& period, const std::string& currency, const std::string& counted_from,
                               const std::string& counted_to);

// Draws `dashboard` in `size` (the space left in the window); a figure not read yet shows as "…".
// Returns what was clicked this frame: a funnel stage, a forecast month, a contract status or signing
// month, a month of new customers, a customer split's slice, a ticket status, type or rating, a campaign;
// each narrowed as its figure counts (the chart's currency, created in the range). "Created" is compared
// by UTC day in the cache, which knows no time zone: a record made within hours of a local midnight may
// fall on the other side. The sales dashboard is the kiosk's and picks nothing (the statistics screen
// has its explorer, whose bars and team bars pick their orders).
std::optional<DashboardPick> draw_dashboard(Ui& ui, const std::string& dashboard, const DashboardData& data, ImVec2 size);

}  // namespace kehu::client
