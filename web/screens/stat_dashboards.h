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

// The confirmed orders dated in `period` ("2026-11-05", "2026-11" or "2026"), by date: a sales bar's.
DashboardPick orders_in_period(const Ui& ui, const std::string& period);

// Draws `dashboard` in `size` (the space left in the window); a figure not read yet shows as "…".
// Returns what was clicked this frame: a day's or a month's sales, a top customer, a funnel stage, a
// forecast month, a contract status or signing month, a customer split's slice, a ticket status, type
// or rating, a campaign. The team bars and new customers per month pick nothing: the cache cannot say
// which team a rep was in, nor a record's creation day in the company's time zone.
std::optional<DashboardPick> draw_dashboard(Ui& ui, const std::string& dashboard, const DashboardData& data, ImVec2 size);

}  // namespace kehu::client
