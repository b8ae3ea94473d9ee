// stats_screen.h — 统计分析 for staff: a tab per area the user's role has statistics for (SPEC §3 "stats"),
// read from the server's /stats endpoints (the aggregates are the server's; a cache holds only the user's
// rows). Sales: day/month/year, a date range, totals, a bar per period; clicking a bar lists the confirmed
// orders behind it from the cache, each opening its order. The other areas draw the dashboards the kiosk
// shows (stat_dashboards.h). 流失预警 lists the customers at risk with the reason, and "log an activity"
// or "assign" in one click.
//
// Test ids: stats.tab.{area}, stats.group.{day|month|year}, stats.from, stats.to, stats.apply,
// stats.sales.{orders|quantity|amount}, stats.sales.chart (and its marks), stats.drill.{order id},
// stats.drill.none, stats.churn.{customer id}, stats.churn.{id}.activity, stats.churn.{id}.assign,
// stats.churn.none, stats.error.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "web/cache/local_cache.h"
#include "web/platform.h"
#include "web/screens/stat_dashboards.h"
#include "web/ui/widgets.h"

namespace kehu::client {

struct StatsIntent {
  enum Kind { open, log_activity, assign } kind = open;
  const EntityDef* entity = nullptr;  // open: the record's module
  int64_t id = 0;                     // open: the record; log_activity, assign: the customer
};

class StatsScreen {
 public:
  // The areas `role` has statistics for, in tab order ("sales", "pipeline", "customers", "contracts",
  // "service", "campaigns", "churn"); empty for a role without statistics.
  static std::vector<std::string> areas(const std::string& role);

  // `settings`: the synced settings (option labels). Returns what the user chose.
  std::optional<StatsIntent> draw(Ui& ui, LocalCache& cache, const std::string& role, const nlohmann::json& settings, bool online);
  // Requests the screen wants sent now (GET paths); each answer comes back through answered().
  std::vector<std::string> take_wanted();
  void answered(const Ui& ui, const std::string& path, const HttpResponse& answer);
  // Figures moved on the server (a `stats` event, a sync): read again when next drawn.
  void mark_stale() { stale_ = true; }
  void reset();

 private:
  void draw_sales(Ui& ui, LocalCache& cache);
  std::optional<StatsIntent> draw_drill(Ui& ui, LocalCache& cache);
  std::optional<StatsIntent> draw_churn(Ui& ui, bool may_assign);
  std::vector<std::string> paths_of(const std::string& area) const;
  std::string sales_path() const;

  std::string area_;
  std::string group_ = "month";
  std::string from_, to_;            // as typed
  std::string applied_from_, applied_to_;
  DashboardData data_;
  std::set<std::string> asked_;      // paths whose answer is awaited
  std::vector<std::string> wanted_;
  bool stale_ = true;
  std::string error_;
  std::string drill_period_;         // the bar clicked: its orders listed
  std::vector<nlohmann::json> drill_orders_;
};

}  // namespace kehu::client
