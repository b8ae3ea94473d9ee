// stats_screen.h — 统计分析 for staff: a tab per area the user's role has statistics for (SPEC §3 "stats"),
// read from the server's /stats endpoints (the aggregates are the server's; a cache holds only the user's
// rows). Sales: day/month/year, a date range, totals with their change against the range before
// (previous_range), a bar per period, and for an admin or a manager the teams' sales over the same
// months (部门业绩). The other areas draw the dashboards the kiosk shows
// (stat_dashboards.h). Clicking a bar, a point, a stage or a slice lists the records behind it from the
// cache (a sales bar: its confirmed orders), each opening its record; a campaign opens at once.
// 流失预警 lists the customers at risk with the reason, and "log an activity" or "assign" in one click.
//
// Test ids: stats.tab.{area}, stats.group.{day|month|year}, stats.from, stats.to, stats.apply,
// stats.sales.{orders|quantity|amount} (and .change), stats.sales.range, stats.sales.chart (and its
// marks), stats.sales.teams.title, stats.sales.teams (and its marks), the dashboards' ids (stat_dashboards.h), stats.drill.title, stats.drill.{record id},
// stats.drill.none, stats.drill.error, stats.churn.{customer id}, stats.churn.{id}.activity, stats.churn.{id}.assign,
// stats.churn.none, stats.error.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
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
  // True once after a frame that scrolled: ImGui moves the view on the next frame, which must be drawn.
  bool take_scrolled() { return std::exchange(scrolled_, false); }
  void reset();

 private:
  // The totals of one currency in a /stats/sales answer.
  struct Totals {
    int64_t orders = 0, quantity = 0, amount = 0;
  };
  static Totals totals_in(const nlohmann::json* sales, const std::string& currency);
  // Queues the requests for what the current area shows and has not read (all of it when stale).
  void ask_for_unread();
  // The current area below the tabs; returns what the user chose.
  std::optional<StatsIntent> draw_area(Ui& ui, LocalCache& cache, const std::string& role);
  // The sales explorer: pickers, tiles against the range before, the bars; returns the bar clicked.
  std::optional<DashboardPick> draw_sales(Ui& ui);
  // Lists the records a click picked, from the cache, below the chart.
  void show_drill(const Ui& ui, LocalCache& cache, const std::string& role, DashboardPick pick);
  std::optional<StatsIntent> draw_drill(Ui& ui, LocalCache& cache);
  std::optional<StatsIntent> draw_churn(Ui& ui, bool may_assign);
  std::vector<std::string> paths_of(const std::string& area) const;
  std::string sales_path() const;
  // The same figures for the range before the one shown (previous_range), once that one's answer is
  // here; "" until then.
  std::string previous_sales_path() const;
  // Sales per team over the months of the range shown, for a role that sees more than its own (admin,
  // manager), once the range's answer is here; "" otherwise.
  std::string teams_path() const;
  // The teams' bars below the explorer's; returns the team clicked as its members' confirmed orders.
  std::optional<DashboardPick> draw_teams(Ui& ui, const std::string& currency, float height);

  static constexpr size_t kMaxDrillRows = 200;

  std::string area_;
  std::string role_;                 // the signed-in user's, as of the last draw
  std::string group_ = "month";
  std::string from_, to_;            // as typed
  std::string applied_from_, applied_to_;
  DashboardData data_;
  std::set<std::string> asked_;      // paths whose answer is awaited
  std::set<std::string> failed_;     // paths whose last answer was an error, until figures are read anew
  std::vector<std::string> wanted_;
  bool stale_ = true;
  std::string error_;
  std::optional<DashboardPick> drill_;  // the mark clicked: its records listed
  std::vector<nlohmann::json> drill_rows_;
  bool drill_more_ = false;              // more than kMaxDrillRows matched
  std::string drill_error_;              // the cache could not list them
  int drill_scroll_ = 0;                 // frames that still bring the list into view
  bool scrolled_ = false;                // a scroll was asked for this frame (take_scrolled)
};

}  // namespace kehu::client
