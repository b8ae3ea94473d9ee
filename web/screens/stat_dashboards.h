// stat_dashboards.h — the dashboards of core/stats/dashboards.h drawn from the /stats answers: KPI tiles
// with the change against the previous period, and charts (web/ui/charts.h). The kiosk display rotates
// through them; the same drawing serves any screen that shows a whole dashboard.
//
// Test ids: dash.{dashboard}.{tile or chart} ("dash.sales.month_amount", "dash.sales.daily"), and the
// charts' marks under them (charts.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <imgui.h>
#include <nlohmann/json.hpp>

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

// Draws `dashboard` in `size` (the space left in the window); a figure not read yet shows as "…".
void draw_dashboard(Ui& ui, const std::string& dashboard, const DashboardData& data, ImVec2 size);

}  // namespace kehu::client
